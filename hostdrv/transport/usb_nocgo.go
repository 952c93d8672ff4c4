//go:build !cgo

package transport

import (
	"context"
	"errors"
	"fmt"
)

// openUSB needs libusb, which gousb reaches through cgo; this build has none.
func openUSB(ctx context.Context, rest string, opt Options) (Conn, error) {
	if _, err := parseUSB(rest, opt); err != nil {
		return nil, err
	}
	return nil, fmt.Errorf("usb: built without cgo, so without libusb (use serial:/dev/ttyUSBn): %w", errors.ErrUnsupported)
}
