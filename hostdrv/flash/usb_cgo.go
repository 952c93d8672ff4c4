//go:build cgo

package flash

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/google/gousb"
)

// Open finds the board's FT2232H (Options.VID:PID, default 0403:6010, and Options.Serial if
// set), claims channel A through libusb (the kernel's ftdi_sio lets go of channel A only;
// channel B's /dev/ttyUSBn stays) and sets it up as New does.
func Open(ctx context.Context, opt Options) (*Programmer, error) {
	opt.defaults()
	u, err := openGousb(ctx, opt)
	if err != nil {
		return nil, err
	}
	opt.PacketSize = u.in.Desc.MaxPacketSize
	p, err := New(ctx, u, opt)
	if err != nil {
		u.Control(ftdiOut, sioSetBitmode, bitmodeReset<<8, chanA, nil) // best effort
		u.Close()
		return nil, fmt.Errorf("%s: %w", u.name, err)
	}
	return p, nil
}

// gousbUSB is USB over gousb: channel A of one opened device.
type gousbUSB struct {
	name string
	ctx  *gousb.Context
	dev  *gousb.Device
	cfg  *gousb.Config
	intf *gousb.Interface
	in   *gousb.InEndpoint
	out  *gousb.OutEndpoint
}

// newUSBContext returns a libusb context; gousb panics when libusb cannot start.
func newUSBContext() (c *gousb.Context, err error) {
	defer func() {
		if r := recover(); r != nil {
			c, err = nil, fmt.Errorf("%v", r)
		}
	}()
	return gousb.NewContext(), nil
}

func openGousb(ctx context.Context, opt Options) (*gousbUSB, error) {
	uctx, err := newUSBContext()
	if err != nil {
		return nil, fmt.Errorf("%w: libusb unavailable: %v", ErrNoDevice, err)
	}
	u := &gousbUSB{ctx: uctx, name: fmt.Sprintf("usb:%04x:%04x", opt.VID, opt.PID)}
	if err := u.open(ctx, opt); err != nil {
		u.Close()
		return nil, err
	}
	return u, nil
}

func (u *gousbUSB) open(ctx context.Context, opt Options) error {
	var found []usbID
	devs, oerr := u.ctx.OpenDevices(func(d *gousb.DeviceDesc) bool {
		id := usbID{uint16(d.Vendor), uint16(d.Product), uint16(d.Device)}
		if id.vid != opt.VID {
			return false
		}
		found = append(found, id)
		return id.pid == opt.PID && id.bcd == bcdFT2232H
	})
	if _, err := pickDevice(found, opt.VID, opt.PID); err != nil {
		for _, d := range devs {
			d.Close()
		}
		return err
	}
	if len(devs) == 0 {
		return fmt.Errorf("%s found but cannot be opened (permissions: is there a udev rule for it?): %w", u.name, oerr)
	}
	var serials []string
	for _, d := range devs {
		sn, _ := d.SerialNumber()
		serials = append(serials, fmt.Sprintf("%q", sn))
		if u.dev == nil && (opt.Serial == "" || sn == opt.Serial) {
			u.dev = d
			continue
		}
		d.Close()
	}
	switch {
	case u.dev == nil:
		return fmt.Errorf("%w: no %s with serial number %q (found %s)", ErrNoDevice, u.name, opt.Serial, strings.Join(serials, ", "))
	case opt.Serial == "" && len(devs) > 1:
		return fmt.Errorf("%d boards are %s (serial numbers %s): choose one by serial number", len(devs), u.name, strings.Join(serials, ", "))
	}
	if opt.Serial != "" {
		u.name += ":" + opt.Serial
	}
	u.dev.ControlTimeout = time.Second
	if err := ctx.Err(); err != nil {
		return err
	}
	// As in transport/usb.go: claim the configuration before turning auto-detach on, so that
	// only the claimed channel is taken from ftdi_sio (and given back on release).
	num, err := u.dev.ActiveConfigNum()
	if err != nil {
		return fmt.Errorf("%s: active configuration: %w", u.name, err)
	}
	if u.cfg, err = u.dev.Config(num); err != nil {
		return fmt.Errorf("%s: %w", u.name, err)
	}
	if err := u.dev.SetAutoDetach(true); err != nil {
		return fmt.Errorf("%s: enable kernel driver auto-detach: %w", u.name, err)
	}
	if u.intf, err = u.cfg.Interface(0, 0); err != nil {
		if strings.Contains(err.Error(), gousb.ErrorBusy.Error()) {
			return fmt.Errorf("%s channel A is busy (claimed by another program?): %w", u.name, err)
		}
		return fmt.Errorf("%s channel A: %w", u.name, err)
	}
	if u.in, err = u.intf.InEndpoint(0x81 & 0x7f); err != nil {
		return fmt.Errorf("%s channel A: %w", u.name, err)
	}
	if u.out, err = u.intf.OutEndpoint(0x02); err != nil {
		return fmt.Errorf("%s channel A: %w", u.name, err)
	}
	return nil
}

func (u *gousbUSB) Control(rType, req uint8, val, idx uint16, data []byte) (int, error) {
	n, err := u.dev.Control(rType, req, val, idx, data)
	return n, usbErr(err)
}

func (u *gousbUSB) Write(ctx context.Context, p []byte) (int, error) {
	n, err := u.out.WriteContext(ctx, p)
	return n, usbErr(err)
}

func (u *gousbUSB) Read(ctx context.Context, p []byte) (int, error) {
	n, err := u.in.ReadContext(ctx, p)
	return n, usbErr(err)
}

// Close releases what open acquired, in reverse; releasing the interface gives channel A
// back to the kernel driver.
func (u *gousbUSB) Close() error {
	var errs []error
	if u.intf != nil {
		u.intf.Close()
		u.intf = nil
	}
	if u.cfg != nil {
		errs = append(errs, u.cfg.Close())
		u.cfg = nil
	}
	if u.dev != nil {
		errs = append(errs, u.dev.Close())
		u.dev = nil
	}
	if u.ctx != nil {
		errs = append(errs, u.ctx.Close())
		u.ctx = nil
	}
	return errors.Join(errs...)
}

// usbErr makes an unplugged device an io.EOF, as transport does.
func usbErr(err error) error {
	if errors.Is(err, gousb.ErrorNoDevice) || errors.Is(err, gousb.TransferNoDevice) {
		return fmt.Errorf("device unplugged: %w (%w)", io.EOF, err)
	}
	return err
}
