package transport_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/linerate/linerate/hostdrv/transport"
	"github.com/linerate/linerate/hostdrv/transport/transporttest"
)

// openPTY opens a PTY pair the way a simulated board does: the master, and the slave's path.
func openPTY(t *testing.T) (*os.File, string) {
	t.Helper()
	m, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil { // every Linux machine has /dev/ptmx
		t.Fatal(err)
	}
	var n int
	rc, err := m.SyscallConn()
	if err == nil {
		err = rc.Control(func(fd uintptr) {
			if err = unix.IoctlSetPointerInt(int(fd), unix.TIOCSPTLCK, 0); err != nil { // unlockpt
				return
			}
			n, err = unix.IoctlGetInt(int(fd), unix.TIOCGPTN) // ptsname
		})
	}
	if err != nil {
		m.Close()
		t.Fatalf("PTY set-up: %v", err)
	}
	return m, fmt.Sprintf("/dev/pts/%d", n)
}

// slaveTermios reads the slave's settings through the master (on Linux the termios ioctls of a
// PTY master act on its slave).
func slaveTermios(t *testing.T, m *os.File) *unix.Termios {
	t.Helper()
	var tio *unix.Termios
	rc, err := m.SyscallConn()
	if err == nil {
		err = rc.Control(func(fd uintptr) { tio, err = unix.IoctlGetTermios(int(fd), unix.TCGETS2) })
	}
	if err != nil {
		t.Fatal(err)
	}
	return tio
}

func TestSerialPTY(t *testing.T) {
	for name, form := range map[string]string{
		"serial:PATH":             "serial:%s",
		"bare PATH":               "%s",
		"serial:PATH?baud=115200": "serial:%s?baud=115200",
	} {
		t.Run(name, func(t *testing.T) {
			m, slave := openPTY(t)
			defer m.Close()
			uri := fmt.Sprintf(form, slave)
			c, err := transport.Open(context.Background(), uri, transport.Options{})
			if err != nil {
				t.Fatal(err)
			}
			transporttest.CheckConn(t, c, m)
		})
	}
}

// The tty is raw 8N1 without flow control, at the baud rate of the URI, else of Options, else
// 3 Mbaud; rates without a Bnnn constant work too.
func TestSerialSettings(t *testing.T) {
	for _, tc := range []struct {
		query string
		opt   int
		want  uint32
	}{
		{"", 0, 3000000},
		{"", 1000000, 1000000},
		{"?baud=115200", 1000000, 115200},
		{"?baud=250000", 0, 250000},
	} {
		m, slave := openPTY(t)
		c, err := transport.Open(context.Background(), "serial:"+slave+tc.query, transport.Options{Baud: tc.opt})
		if err != nil {
			t.Fatal(err)
		}
		tio := slaveTermios(t, m)
		if tio.Ospeed != tc.want || tio.Ispeed != tc.want {
			t.Errorf("%s with Options.Baud %d: speed %d/%d, want %d", tc.query, tc.opt, tio.Ispeed, tio.Ospeed, tc.want)
		}
		if tio.Cflag&unix.CSIZE != unix.CS8 || tio.Cflag&(unix.PARENB|unix.CSTOPB|unix.CRTSCTS) != 0 || tio.Cflag&unix.CLOCAL == 0 {
			t.Errorf("cflag 0x%x: not 8N1 without flow control", tio.Cflag)
		}
		if tio.Lflag&(unix.ICANON|unix.ECHO|unix.ISIG|unix.IEXTEN) != 0 || tio.Iflag&(unix.IXON|unix.IXOFF|unix.ICRNL|unix.ISTRIP) != 0 || tio.Oflag&unix.OPOST != 0 {
			t.Errorf("lflag 0x%x iflag 0x%x oflag 0x%x: not raw", tio.Lflag, tio.Iflag, tio.Oflag)
		}
		c.Close()
		m.Close()
	}
}

// A simulated board that exits closes the master: the host's Read ends with io.EOF.
func TestSerialHangUp(t *testing.T) {
	m, slave := openPTY(t)
	c, err := transport.Open(context.Background(), "serial:"+slave, transport.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := m.Write([]byte("bye")); err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(io.LimitReader(c, 3))
	if err != nil || string(got) != "bye" {
		t.Fatalf("read %q, %v", got, err)
	}
	m.Close()
	if _, err := c.Read(make([]byte, 1)); !errors.Is(err, io.EOF) {
		t.Fatalf("Read after the master closed: %v; want io.EOF", err)
	}
}

// Read into an empty buffer returns at once (the library alone would read(2) zero bytes and
// report a closed port), and the Conn keeps working.
func TestSerialZeroByteRead(t *testing.T) {
	m, slave := openPTY(t)
	defer m.Close()
	c, err := transport.Open(context.Background(), slave, transport.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for range 3 {
		if n, err := c.Read(nil); n != 0 || err != nil {
			t.Fatalf("Read(nil) = %d, %v", n, err)
		}
	}
	m.Write([]byte{0})
	if n, err := c.Read(make([]byte, 4)); n != 1 || err != nil {
		t.Fatalf("Read = %d, %v", n, err)
	}
}
