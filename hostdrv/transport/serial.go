package transport

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"sync"
	"sync/atomic"
	"syscall"

	"go.bug.st/serial"
)

// openSerial opens "PATH[?baud=N]" as a raw 8N1 tty without flow control.
func openSerial(ctx context.Context, rest string, opt Options) (Conn, error) {
	path, q, err := splitQuery(rest, "baud")
	if err != nil {
		return nil, err
	}
	if path == "" {
		return nil, fmt.Errorf("%w: no tty path (want serial:/dev/ttyUSB1)", ErrBadURI)
	}
	if err := baudParam(q, &opt); err != nil {
		return nil, err
	}
	// go.bug.st/serial opens the tty with O_NOCTTY|O_NDELAY (it never waits for carrier), sets
	// raw mode with CLOCAL|CREAD and no RTS/CTS, then the mode below, then makes reads
	// blocking and takes exclusive access (TIOCEXCL).
	p, err := serial.Open(path, &serial.Mode{
		BaudRate: opt.Baud,
		DataBits: 8,
		Parity:   serial.NoParity,
		StopBits: serial.OneStopBit,
	})
	if err != nil {
		return nil, serialOpenError(err)
	}
	if err := ctx.Err(); err != nil {
		p.Close()
		return nil, err
	}
	return &serialConn{port: p, name: "serial:" + path}, nil
}

// serialOpenError sorts the library's open errors into a missing device and the rest.
func serialOpenError(err error) error {
	var pe *serial.PortError
	if errors.As(err, &pe) {
		switch pe.Code() {
		case serial.PortNotFound:
			return fmt.Errorf("%w (%v)", ErrNoDevice, err)
		case serial.PortBusy:
			return fmt.Errorf("tty busy (another program holds it): %w", err)
		case serial.PermissionDenied:
			return fmt.Errorf("permission denied (is the user in the tty's group, often dialout?): %w", err)
		}
		return err
	}
	// A missing node (ENOENT), or a node without a device behind it (ENXIO, ENODEV: an unplugged
	// adapter, a PTY whose master is gone).
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENXIO) || errors.Is(err, syscall.ENODEV) {
		return fmt.Errorf("%w (%w)", ErrNoDevice, err)
	}
	return err
}

// serialConn adapts a go.bug.st/serial port to the Conn contract.
//
// The library's Close unblocks a Read in progress: Read waits in select(2) on the tty and on a
// pipe that Close writes to. What the library reports in its own words (PortClosed, a short
// write, EINTR, a zero-length Read) is mapped here to net.ErrClosed, io.EOF and write-all.
type serialConn struct {
	port   serial.Port
	name   string
	closed atomic.Bool
	once   sync.Once
	cerr   error
}

func (c *serialConn) errClosed(op string) error {
	return fmt.Errorf("%s %s: %w", op, c.name, net.ErrClosed)
}

func (c *serialConn) Read(p []byte) (int, error) {
	if c.closed.Load() {
		return 0, c.errClosed("read")
	}
	if len(p) == 0 {
		// The library would read(2) zero bytes and call that a closed port.
		return 0, nil
	}
	for {
		n, err := c.port.Read(p)
		if n > 0 {
			return n, nil
		}
		if c.closed.Load() {
			return 0, c.errClosed("read")
		}
		if err == nil {
			continue // a read timeout; none is set, but the library allows it
		}
		var pe *serial.PortError
		if errors.As(err, &pe) && pe.Code() == serial.PortClosed || errors.Is(err, syscall.EIO) {
			// Not closed by us: the device hung up (an adapter unplugged: a zero-length read;
			// a PTY whose other side closed: EIO).
			return 0, fmt.Errorf("read %s: device hung up: %w", c.name, io.EOF)
		}
		return 0, fmt.Errorf("read %s: %w", c.name, err)
	}
}

func (c *serialConn) Write(p []byte) (int, error) {
	done := 0
	for done < len(p) {
		if c.closed.Load() {
			return done, c.errClosed("write")
		}
		n, err := c.port.Write(p[done:])
		done += n
		switch {
		case err == nil && n == 0:
			return done, fmt.Errorf("write %s: %w", c.name, io.ErrShortWrite)
		case errors.Is(err, syscall.EINTR):
			continue
		case err != nil && c.closed.Load():
			return done, c.errClosed("write")
		case err != nil:
			return done, fmt.Errorf("write %s: %w", c.name, err)
		}
	}
	return done, nil
}

// Close releases the tty and unblocks a Read in progress. A Write blocked because the device
// does not drain (a PTY nobody reads) finishes when the kernel accepts its bytes.
func (c *serialConn) Close() error {
	c.once.Do(func() {
		c.closed.Store(true)
		if err := c.port.Close(); err != nil {
			c.cerr = fmt.Errorf("close %s: %w", c.name, err)
		}
	})
	return c.cerr
}
