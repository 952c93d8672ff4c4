//go:build !cgo

package flash

import (
	"context"
	"errors"
	"fmt"
)

// Open needs libusb, which gousb reaches through cgo; this build has none.
func Open(ctx context.Context, opt Options) (*Programmer, error) {
	return nil, fmt.Errorf("flash: built without cgo, so without libusb (use OpenFPGALoader): %w", errors.ErrUnsupported)
}
