//go:build !cgo

package ftdi

import (
	"context"
	"errors"
	"fmt"
)

// Open needs libusb, which gousb reaches through cgo; this build has none.
func Open(ctx context.Context, opt Options) (Channel, Info, error) {
	return nil, Info{}, fmt.Errorf("built without cgo, so without libusb: %w", errors.ErrUnsupported)
}
