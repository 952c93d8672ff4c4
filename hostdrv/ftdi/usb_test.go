package ftdi_test

import (
	"context"
	"errors"
	"testing"

	"github.com/linerate/linerate/hostdrv/ftdi"
)

// No FTDI product has the ID 0403:0001: Open finds nothing, through libusb (or without it,
// when libusb cannot start), or reports that this build has no libusb.
func TestOpenMissingDevice(t *testing.T) {
	c, _, err := ftdi.Open(context.Background(), ftdi.Options{VID: 0x0403, PID: 0x0001})
	if err == nil {
		c.Close()
		t.Fatal("Open succeeded")
	}
	if !errors.Is(err, ftdi.ErrNoDevice) && !errors.Is(err, errors.ErrUnsupported) {
		t.Fatalf("Open = %v; want ErrNoDevice (or ErrUnsupported without cgo)", err)
	}
}
