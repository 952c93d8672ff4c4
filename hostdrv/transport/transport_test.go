package transport_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/linerate/linerate/hostdrv/transport"
	"github.com/linerate/linerate/hostdrv/transport/transporttest"
)

func TestOpenBadURI(t *testing.T) {
	ctx := context.Background()
	for _, uri := range []string{
		"", "ttyUSB1", ":/dev/x", "bogus:x", "Serial:/dev/ttyUSB1",
		"serial:", "serial:/dev/ttyUSB1?bogus=1", "serial:/dev/ttyUSB1?baud=0", "serial:/dev/ttyUSB1?baud=x",
		"/dev/ttyUSB1?baud=-3",
		"sim:", "sim:/tmp/x.sock", "sim:unix:", "sim:tcp:127.0.0.1:9", "sim:unix:/tmp/x.sock?baud=1",
		"usb:", "usb:0403", "usb:0403:6010?iface=Q", "usb:6010",
	} {
		c, err := transport.Open(ctx, uri, transport.Options{})
		if err == nil {
			c.Close()
			t.Errorf("Open(%q) succeeded", uri)
			continue
		}
		if !errors.Is(err, transport.ErrBadURI) {
			t.Errorf("Open(%q) = %v; want ErrBadURI", uri, err)
		}
		if !strings.Contains(err.Error(), uri) {
			t.Errorf("Open(%q): error %q does not name the URI", uri, err)
		}
	}
	// An unknown scheme's error lists the known ones.
	_, err := transport.Open(ctx, "bogus:x", transport.Options{})
	for _, s := range []string{"serial", "sim", "usb", "/dev/ttyUSB1"} {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("error %q does not mention %q", err, s)
		}
	}
}

func TestOpenMissingDevice(t *testing.T) {
	ctx := context.Background()
	for _, uri := range []string{
		"serial:/dev/ttyLINERATE-none",
		"/dev/ttyLINERATE-none",
		"serial:/dev/pts/999999?baud=115200",
		"sim:unix:/nonexistent/linerate.sock",
		"usb:0403:0001", // no FTDI product has this ID
	} {
		c, err := transport.Open(ctx, uri, transport.Options{})
		if err == nil {
			c.Close()
			t.Errorf("Open(%q) succeeded", uri)
			continue
		}
		if errors.Is(err, errors.ErrUnsupported) && strings.HasPrefix(uri, "usb:") {
			continue // built without cgo
		}
		if !errors.Is(err, transport.ErrNoDevice) || !strings.Contains(err.Error(), uri) {
			t.Errorf("Open(%q) = %v; want ErrNoDevice naming the URI", uri, err)
		}
	}
}

func TestRegister(t *testing.T) {
	var gotRest string
	var gotOpt transport.Options
	transport.Register("test+fake", func(ctx context.Context, rest string, opt transport.Options) (transport.Conn, error) {
		gotRest, gotOpt = rest, opt
		a, _ := transporttest.Pipe()
		return a, nil
	})
	c, err := transport.Open(context.Background(), "test+fake:abc:def?x=1", transport.Options{})
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
	if gotRest != "abc:def?x=1" || gotOpt.Baud != transport.DefaultBaud {
		t.Errorf("opener got %q, %+v", gotRest, gotOpt)
	}
	if _, err := transport.Open(context.Background(), "test+fake:x", transport.Options{Baud: 9600}); err != nil || gotOpt.Baud != 9600 {
		t.Errorf("Options.Baud not passed: %+v, %v", gotOpt, err)
	}
	// A failing opener's error is prefixed with the URI.
	transport.Register("test+fail", func(context.Context, string, transport.Options) (transport.Conn, error) {
		return nil, transport.ErrNoDevice
	})
	if _, err := transport.Open(context.Background(), "test+fail:here", transport.Options{}); !errors.Is(err, transport.ErrNoDevice) || !strings.Contains(err.Error(), "test+fail:here") {
		t.Errorf("failing opener: %v", err)
	}

	for _, s := range []string{"", "Upper", "9lives", "a b", "a:b"} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("Register(%q) did not panic", s)
				}
			}()
			transport.Register(s, func(context.Context, string, transport.Options) (transport.Conn, error) { return nil, nil })
		}()
	}
}

func TestOpenCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := transport.Open(ctx, "sim:unix:/nonexistent.sock", transport.Options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("Open with a cancelled context: %v", err)
	}
}
