//go:build usbhw

package transport_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"net"
	"os"
	"testing"
	"time"

	"github.com/linerate/linerate/hostdrv/transport"
)

// TestUSBHardware runs against a real FTDI board, built only with the usbhw tag:
// LINERATE_USB_TEST=usb:0403:6010 go test -tags usbhw -run USBHardware ./hostdrv/transport/
// (any URI Open takes). With LINERATE_USB_LOOPBACK=1 the channel's TX must be wired to its RX (or the
// FPGA must echo), and the bytes sent are read back.
func TestUSBHardware(t *testing.T) {
	uri := os.Getenv("LINERATE_USB_TEST")
	if uri == "" {
		t.Fatal("needs a board: set LINERATE_USB_TEST=usb:0403:6010")
	}
	ctx := context.Background()
	for round := range 2 { // the second Open proves Close released the channel
		c, err := transport.Open(ctx, uri, transport.Options{})
		if err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		// Zero bytes are idle fill between link frames: every device ignores them.
		if _, err := c.Write(make([]byte, 64)); err != nil {
			t.Fatal(err)
		}
		if os.Getenv("LINERATE_USB_LOOPBACK") != "" {
			out := make([]byte, 4096)
			for i := range out {
				out[i] = byte(rand.Uint32())
			}
			go c.Write(out)
			got := make([]byte, len(out))
			if _, err := io.ReadFull(c, got); err != nil || !bytes.Equal(got, out) {
				t.Fatalf("loopback: %v, equal=%v", err, bytes.Equal(got, out))
			}
		}
		errc := make(chan error, 1)
		go func() {
			buf := make([]byte, 512)
			for {
				if _, err := c.Read(buf); err != nil {
					errc <- err
					return
				}
			}
		}()
		time.Sleep(200 * time.Millisecond)
		c.Close()
		select {
		case err := <-errc:
			if !errors.Is(err, net.ErrClosed) {
				t.Fatalf("Read during Close: %v", err)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("Close did not unblock Read")
		}
	}
}
