package transport

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"strings"
	"syscall"
)

// openSim opens "unix:PATH", a simulated board's Unix stream socket. A *net.UnixConn meets the
// Conn contract as it is: Read after Close wraps net.ErrClosed, a hang-up is io.EOF, Write
// writes all bytes.
func openSim(ctx context.Context, rest string, _ Options) (Conn, error) {
	path, _, err := splitQuery(rest)
	if err != nil {
		return nil, err
	}
	kind, addr, ok := strings.Cut(path, ":")
	if !ok || kind == "" || addr == "" {
		return nil, fmt.Errorf("%w: want sim:unix:/path/to.sock", ErrBadURI)
	}
	if kind != "unix" {
		return nil, fmt.Errorf("%w: socket kind %q (only sim:unix:PATH)", ErrBadURI, kind)
	}
	var d net.Dialer
	c, err := d.DialContext(ctx, "unix", addr)
	if err != nil {
		// No socket file, or a stale one nobody listens on: the simulated board is not running.
		if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ECONNREFUSED) {
			return nil, fmt.Errorf("%w (is the simulated board running?): %w", ErrNoDevice, err)
		}
		return nil, err
	}
	return c, nil
}
