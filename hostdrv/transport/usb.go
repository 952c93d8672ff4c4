package transport

import (
	"context"
	"errors"
	"fmt"

	"github.com/linerate/linerate/hostdrv/ftdi"
)

// openUSB opens "VID:PID[:SERIAL][?iface=X&baud=N]": an FTDI H chip's channel, driven natively
// through package ftdi (libusb, which needs cgo).
func openUSB(ctx context.Context, rest string, opt Options) (Conn, error) {
	spec, err := parseUSB(rest, opt)
	if err != nil {
		return nil, err
	}
	if _, _, err := ftdiDivisor(spec.baud); err != nil {
		return nil, err
	}
	dev, info, err := ftdi.Open(ctx, ftdi.Options{VID: spec.vid, PID: spec.pid, Serial: spec.serial, Channel: spec.iface})
	if err != nil {
		if errors.Is(err, ftdi.ErrWrongDevice) || errors.Is(err, errors.ErrUnsupported) {
			err = fmt.Errorf("%w (use serial:/dev/ttyUSBn)", err)
		}
		return nil, err
	}
	ch := string(rune('A' + info.Channel))
	if err := ftdiSetup(dev, info.Channel, spec.baud); err != nil {
		dev.Close()
		return nil, fmt.Errorf("USB device %04x:%04x channel %s: %w", spec.vid, spec.pid, ch, err)
	}
	name := fmt.Sprintf("usb:%04x:%04x", spec.vid, spec.pid)
	if spec.serial != "" {
		name += ":" + spec.serial
	}
	return newFTDIConn(dev, name+"?iface="+ch, info.MaxPacketSize), nil
}
