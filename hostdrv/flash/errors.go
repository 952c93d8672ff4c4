package flash

import (
	"errors"
	"fmt"

	"github.com/linerate/linerate/hostdrv/ftdi"
)

var (
	// ErrNoDevice says nothing answered: no FTDI chip on USB, or no flash on its SPI bus.
	// It is ftdi.ErrNoDevice, as transport.ErrNoDevice is, so one test covers a missing
	// board in either package.
	ErrNoDevice = ftdi.ErrNoDevice
	// ErrWrongDevice says something answered, but not what this package drives: an FTDI chip
	// other than an FT2232H, or a flash chip whose JEDEC ID is of no known SPI NOR flash.
	// It is ftdi.ErrWrongDevice.
	ErrWrongDevice = ftdi.ErrWrongDevice
	// ErrVerify says the flash read back differently from what was written; the error is a
	// *VerifyError with the offset.
	ErrVerify = errors.New("verify failed")
	// ErrNotConfigured says the FPGA did not raise CDONE after its configuration.
	ErrNotConfigured = errors.New("FPGA did not configure")
	// ErrTimeout says the FTDI chip or the flash did not answer, or stayed busy, for longer
	// than it ever should.
	ErrTimeout = errors.New("timeout")
)

// VerifyError reports the first byte where the flash differs from the image written.
type VerifyError struct {
	Offset    int  // from the start of the flash
	Want, Got byte // written, read back
}

func (e *VerifyError) Error() string {
	return fmt.Sprintf("%v at offset 0x%06x: wrote 0x%02x, read back 0x%02x", ErrVerify, e.Offset, e.Want, e.Got)
}

// Unwrap makes errors.Is(err, ErrVerify) hold.
func (e *VerifyError) Unwrap() error { return ErrVerify }
