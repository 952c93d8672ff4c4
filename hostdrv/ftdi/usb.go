//go:build cgo

package ftdi

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/google/gousb"
)

// Open finds the device opt selects and claims its channel through libusb (gousb). The
// kernel's ftdi_sio lets go of the claimed channel only, and gets it back at Close; the other
// channels' /dev/ttyUSBn stay. A missing device is ErrNoDevice, one that is not among
// opt.Chips ErrWrongDevice (unless opt.Vet says otherwise first).
func Open(ctx context.Context, opt Options) (Channel, Info, error) {
	uctx, err := newUSBContext()
	if err != nil {
		return nil, Info{}, fmt.Errorf("%w: libusb unavailable: %v", ErrNoDevice, err)
	}
	c := &gousbChannel{ctx: uctx}
	info, err := c.open(ctx, &opt)
	if err != nil {
		c.Close()
		return nil, Info{}, err
	}
	return c, info, nil
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

// gousbChannel is Channel over gousb: one claimed channel of one opened device.
type gousbChannel struct {
	ctx  *gousb.Context
	dev  *gousb.Device
	cfg  *gousb.Config
	intf *gousb.Interface
	in   *gousb.InEndpoint
	out  *gousb.OutEndpoint
}

func (c *gousbChannel) open(ctx context.Context, opt *Options) (Info, error) {
	id := opt.id()
	var found []DeviceID
	devs, oerr := c.ctx.OpenDevices(func(desc *gousb.DeviceDesc) bool {
		d := DeviceID{uint16(desc.Vendor), uint16(desc.Product), uint16(desc.Device)}
		if d.VID != opt.VID {
			return false
		}
		found = append(found, d)
		return opt.wants(d)
	})
	if err := opt.check(found); err != nil {
		for _, d := range devs {
			d.Close()
		}
		return Info{}, err
	}
	if len(devs) == 0 {
		return Info{}, fmt.Errorf("USB device %s found but cannot be opened (permissions: is there a udev rule for it?): %w", id, oerr)
	}
	// Keep the device with the wanted serial number (or the only one) and close the others.
	serials := make([]string, len(devs))
	for i, d := range devs {
		serials[i], _ = d.SerialNumber()
	}
	pick, err := opt.pickSerial(serials)
	for i, d := range devs {
		if i == pick {
			c.dev = d
			continue
		}
		d.Close()
	}
	if err != nil {
		return Info{}, err
	}
	c.dev.ControlTimeout = time.Second
	if err := ctx.Err(); err != nil {
		return Info{}, err
	}

	// Claim the configuration first and only then turn auto-detach on: gousb's Config detaches
	// the kernel driver from every interface when auto-detach is on, while libusb's own
	// auto-detach (on claiming an interface) takes only the claimed channel from ftdi_sio and
	// gives it back on release, leaving the other channels' /dev/ttyUSBn alone.
	num, err := c.dev.ActiveConfigNum()
	if err != nil {
		return Info{}, fmt.Errorf("USB device %s: active configuration: %w", id, err)
	}
	if c.cfg, err = c.dev.Config(num); err != nil {
		return Info{}, fmt.Errorf("USB device %s: %w", id, err)
	}
	ch, err := opt.channel(len(c.cfg.Desc.Interfaces))
	if err != nil {
		return Info{}, err
	}
	name := channelName(ch)
	if err := c.dev.SetAutoDetach(true); err != nil {
		return Info{}, fmt.Errorf("USB device %s: enable kernel driver auto-detach: %w", id, err)
	}
	if c.intf, err = c.cfg.Interface(ch, 0); err != nil {
		if strings.Contains(err.Error(), gousb.ErrorBusy.Error()) {
			return Info{}, fmt.Errorf("USB device %s channel %s is busy (claimed by another program, or its kernel driver could not be detached): %w", id, name, err)
		}
		return Info{}, fmt.Errorf("USB device %s channel %s: %w", id, name, err)
	}
	inAddr, outAddr := endpoints(ch)
	if c.in, err = c.intf.InEndpoint(inAddr & 0x7f); err != nil {
		return Info{}, fmt.Errorf("USB device %s channel %s: %w", id, name, err)
	}
	if c.out, err = c.intf.OutEndpoint(outAddr); err != nil {
		return Info{}, fmt.Errorf("USB device %s channel %s: %w", id, name, err)
	}
	return Info{Channel: ch, MaxPacketSize: c.in.Desc.MaxPacketSize}, nil
}

func (c *gousbChannel) Control(rType, req uint8, val, idx uint16, data []byte) (int, error) {
	n, err := c.dev.Control(rType, req, val, idx, data)
	return n, usbErr(err)
}

func (c *gousbChannel) ReadBulk(ctx context.Context, p []byte) (int, error) {
	n, err := c.in.ReadContext(ctx, p)
	return n, usbErr(err)
}

func (c *gousbChannel) WriteBulk(ctx context.Context, p []byte) (int, error) {
	n, err := c.out.WriteContext(ctx, p)
	return n, usbErr(err)
}

// Close releases what open acquired, in reverse; releasing the interface reattaches the kernel
// driver that auto-detach took away.
func (c *gousbChannel) Close() error {
	var errs []error
	if c.intf != nil {
		c.intf.Close()
		c.intf = nil
	}
	if c.cfg != nil {
		errs = append(errs, c.cfg.Close())
		c.cfg = nil
	}
	if c.dev != nil {
		errs = append(errs, c.dev.Close())
		c.dev = nil
	}
	if c.ctx != nil {
		errs = append(errs, c.ctx.Close())
		c.ctx = nil
	}
	return errors.Join(errs...)
}

// usbErr makes an unplugged device an io.EOF, as a hung-up tty is.
func usbErr(err error) error {
	if errors.Is(err, gousb.ErrorNoDevice) || errors.Is(err, gousb.TransferNoDevice) {
		return fmt.Errorf("device unplugged: %w (%w)", io.EOF, err)
	}
	return err
}
