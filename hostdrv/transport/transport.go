package transport

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/linerate/linerate/hostdrv/ftdi"
)

// Conn is a byte transport to a device: a UART (tty), an FTDI channel over USB, a socket.
//
// Read blocks until bytes arrive or Close is called; after Close (also for a Read already
// blocked) it returns an error wrapping net.ErrClosed, and when the device hangs up one wrapping
// io.EOF. Write writes all bytes or returns an error. Read and Write may be called from
// different goroutines at the same time.
type Conn interface {
	io.ReadWriteCloser
}

// Options are the settings a URI does not carry.
type Options struct {
	// Baud is the UART bit rate for serial: and usb: devices; 0 means DefaultBaud. A baud=N
	// in the URI wins over it.
	Baud int
}

// DefaultBaud is the link's UART rate (rtl/link/README.md: 3 Mbaud at 48 MHz).
const DefaultBaud = 3000000

var (
	// ErrNoDevice says the device is missing: no such tty, no socket or nobody listening on
	// it, no USB device with that VID:PID (and serial number). Open wraps it with the URI.
	// It is ftdi.ErrNoDevice, which a usb: device that is missing reports.
	ErrNoDevice = ftdi.ErrNoDevice
	// ErrBadURI says a device URI is malformed or names an unknown scheme.
	ErrBadURI = errors.New("bad device URI")
)

// opener opens the device named by the part of a URI after "scheme:" (see Register).
type opener func(ctx context.Context, rest string, opt Options) (Conn, error)

var registry struct {
	mu      sync.Mutex
	openers map[string]opener
}

// Register makes scheme available to Open. open receives the part of the URI after "scheme:"
// and the Options with Baud defaulted; it should wrap ErrNoDevice when the device is missing and
// ErrBadURI when rest is malformed, and honour ctx while it blocks. Open prefixes its errors
// with "open URI: ". Registering a scheme again replaces its opener (a test may stub a scheme
// this way). A scheme is lowercase letters, digits, '+', '-' and '.', starting with a letter.
// Register panics on an invalid scheme or a nil open: like database/sql.Register it is called
// from init or test set-up, where that is a programming error, and it has no error to return.
func Register(scheme string, open func(ctx context.Context, rest string, opt Options) (Conn, error)) {
	if !validScheme(scheme) || open == nil {
		panic(fmt.Sprintf("transport.Register(%q): invalid scheme or nil opener", scheme))
	}
	registry.mu.Lock()
	defer registry.mu.Unlock()
	if registry.openers == nil {
		registry.openers = make(map[string]opener)
	}
	registry.openers[scheme] = open
}

func validScheme(s string) bool {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.') {
			return false
		}
	}
	return true
}

// schemes lists the registered schemes, sorted.
func schemes() []string {
	registry.mu.Lock()
	defer registry.mu.Unlock()
	s := make([]string, 0, len(registry.openers))
	for k := range registry.openers {
		s = append(s, k)
	}
	sort.Strings(s)
	return s
}

func init() {
	Register("serial", openSerial)
	Register("sim", openSim)
	Register("usb", openUSB)
}

// Open opens the device named by uri (see the package documentation for the forms). A bare
// absolute path is a tty: "/dev/ttyUSB1" is "serial:/dev/ttyUSB1".
func Open(ctx context.Context, uri string, opt Options) (Conn, error) {
	if opt.Baud == 0 {
		opt.Baud = DefaultBaud
	}
	if opt.Baud < 0 {
		return nil, fmt.Errorf("open %s: negative baud rate %d", uri, opt.Baud)
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("open %s: %w", uri, err)
	}
	scheme, rest := "serial", uri
	if !strings.HasPrefix(uri, "/") {
		var ok bool
		scheme, rest, ok = strings.Cut(uri, ":")
		if !ok || scheme == "" {
			return nil, fmt.Errorf("%w %q: want SCHEME:..., with a scheme among %s, or a tty path such as /dev/ttyUSB1",
				ErrBadURI, uri, strings.Join(schemes(), ", "))
		}
	}
	registry.mu.Lock()
	open := registry.openers[scheme]
	registry.mu.Unlock()
	if open == nil {
		return nil, fmt.Errorf("%w %q: unknown scheme %q (known: %s; or a tty path such as /dev/ttyUSB1)",
			ErrBadURI, uri, scheme, strings.Join(schemes(), ", "))
	}
	c, err := open(ctx, rest, opt)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", uri, err)
	}
	return c, nil
}

// splitQuery splits "path?k=v&..." and checks that only the allowed keys appear, each once.
func splitQuery(rest string, allowed ...string) (string, url.Values, error) {
	path, raw, _ := strings.Cut(rest, "?")
	q, err := url.ParseQuery(raw)
	if err != nil {
		return "", nil, fmt.Errorf("%w: query %q: %v", ErrBadURI, raw, err)
	}
	for k, v := range q {
		known := false
		for _, a := range allowed {
			known = known || k == a
		}
		if !known {
			if len(allowed) == 0 {
				return "", nil, fmt.Errorf("%w: unknown parameter %q (this scheme takes none)", ErrBadURI, k)
			}
			return "", nil, fmt.Errorf("%w: unknown parameter %q (known: %s)", ErrBadURI, k, strings.Join(allowed, ", "))
		}
		if len(v) != 1 {
			return "", nil, fmt.Errorf("%w: parameter %q given %d times", ErrBadURI, k, len(v))
		}
	}
	return path, q, nil
}

// baudParam applies a baud=N parameter to opt.
func baudParam(q url.Values, opt *Options) error {
	if !q.Has("baud") {
		return nil
	}
	s := q.Get("baud")
	b, err := strconv.Atoi(s)
	if err != nil || b <= 0 {
		return fmt.Errorf("%w: baud=%q is not a positive integer", ErrBadURI, s)
	}
	opt.Baud = b
	return nil
}
