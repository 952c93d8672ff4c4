package simboard

import (
	"fmt"
	"os"

	"golang.org/x/sys/unix"
)

// pty is a pseudo-terminal pair: the simulated board holds the master side; the slave side
// (/dev/pts/N) is what a host opens as a serial port.
type pty struct {
	master *os.File
	slave  int // kept open so the master never sees a hang-up between host sessions
	path   string
}

func openPTY() (*pty, error) {
	fd, err := unix.Open("/dev/ptmx", unix.O_RDWR|unix.O_NOCTTY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, fmt.Errorf("open /dev/ptmx: %w", err)
	}
	if err := unix.IoctlSetPointerInt(fd, unix.TIOCSPTLCK, 0); err != nil {
		unix.Close(fd)
		return nil, fmt.Errorf("unlock pty: %w", err)
	}
	n, err := unix.IoctlGetInt(fd, unix.TIOCGPTN)
	if err != nil {
		unix.Close(fd)
		return nil, fmt.Errorf("pty number: %w", err)
	}
	path := fmt.Sprintf("/dev/pts/%d", n)
	sfd, err := unix.Open(path, unix.O_RDWR|unix.O_NOCTTY|unix.O_CLOEXEC, 0)
	if err != nil {
		unix.Close(fd)
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	// raw, 8N1: a UART carries bytes, not lines
	tio, err := unix.IoctlGetTermios(sfd, unix.TCGETS)
	if err == nil {
		tio.Iflag &^= unix.IGNBRK | unix.BRKINT | unix.PARMRK | unix.ISTRIP | unix.INLCR | unix.IGNCR | unix.ICRNL | unix.IXON | unix.IXOFF
		tio.Oflag &^= unix.OPOST
		tio.Lflag &^= unix.ECHO | unix.ECHONL | unix.ICANON | unix.ISIG | unix.IEXTEN
		tio.Cflag &^= unix.CSIZE | unix.PARENB
		tio.Cflag |= unix.CS8
		tio.Cc[unix.VMIN], tio.Cc[unix.VTIME] = 1, 0
		err = unix.IoctlSetTermios(sfd, unix.TCSETS, tio)
	}
	if err != nil {
		unix.Close(fd)
		unix.Close(sfd)
		return nil, fmt.Errorf("raw mode on %s: %w", path, err)
	}
	// non-blocking, so the runtime poller serves it and Close wakes a pending Read
	if err := unix.SetNonblock(fd, true); err != nil {
		unix.Close(fd)
		unix.Close(sfd)
		return nil, err
	}
	return &pty{master: os.NewFile(uintptr(fd), "/dev/ptmx"), slave: sfd, path: path}, nil
}

// discard drops bytes written towards the host that nobody has read, like a UART line with
// nobody listening.
func (p *pty) discard() {
	unix.IoctlSetInt(p.slave, unix.TCFLSH, unix.TCIFLUSH)
}

func (p *pty) Close() error {
	err := p.master.Close()
	unix.Close(p.slave)
	return err
}
