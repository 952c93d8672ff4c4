//go:build cgo

package transport

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/google/gousb"
)

// openUSB opens "VID:PID[:SERIAL][?iface=X&baud=N]": an FTDI H chip's channel, driven natively
// through libusb (gousb).
func openUSB(ctx context.Context, rest string, opt Options) (Conn, error) {
	spec, err := parseUSB(rest, opt)
	if err != nil {
		return nil, err
	}
	if _, _, err := ftdiDivisor(spec.baud); err != nil {
		return nil, err
	}
	uctx, err := newUSBContext()
	if err != nil {
		return nil, fmt.Errorf("%w: libusb unavailable: %v", ErrNoDevice, err)
	}
	d := &gousbDev{ctx: uctx}
	c, err := d.open(ctx, spec)
	if err != nil {
		d.Close()
		return nil, err
	}
	return c, nil
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

// gousbDev is usbDev over gousb: one claimed channel of one opened device.
type gousbDev struct {
	ctx  *gousb.Context
	dev  *gousb.Device
	cfg  *gousb.Config
	intf *gousb.Interface
	in   *gousb.InEndpoint
	out  *gousb.OutEndpoint
}

func (d *gousbDev) open(ctx context.Context, spec usbSpec) (Conn, error) {
	id := fmt.Sprintf("%04x:%04x", spec.vid, spec.pid)
	matched := 0
	devs, err := d.ctx.OpenDevices(func(desc *gousb.DeviceDesc) bool {
		ok := uint16(desc.Vendor) == spec.vid && uint16(desc.Product) == spec.pid
		if ok {
			matched++
		}
		return ok
	})
	if matched == 0 {
		return nil, fmt.Errorf("%w: no USB device %s", ErrNoDevice, id)
	}
	if len(devs) == 0 {
		return nil, fmt.Errorf("USB device %s found but cannot be opened (permissions: is there a udev rule for it?): %w", id, err)
	}
	// Keep the device with the wanted serial number (or the only one) and close the others.
	var serials []string
	for _, dv := range devs {
		sn, _ := dv.SerialNumber()
		serials = append(serials, fmt.Sprintf("%q", sn))
		if d.dev == nil && (spec.serial == "" || sn == spec.serial) {
			d.dev = dv
			continue
		}
		dv.Close()
	}
	switch {
	case d.dev == nil:
		return nil, fmt.Errorf("%w: no USB device %s with serial number %q (found %s)",
			ErrNoDevice, id, spec.serial, strings.Join(serials, ", "))
	case spec.serial == "" && len(devs) > 1:
		return nil, fmt.Errorf("%d USB devices are %s (serial numbers %s): name one as usb:%s:SERIAL",
			len(devs), id, strings.Join(serials, ", "), id)
	}
	if bcd := uint16(d.dev.Desc.Device); !ftdiHType(bcd) {
		return nil, fmt.Errorf("USB device %s is not an FTDI H chip (bcdDevice 0x%04x; FT2232H, FT4232H and FT232H are supported; for others use serial:/dev/ttyUSBn)", id, bcd)
	}
	d.dev.ControlTimeout = time.Second
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	// Claim the configuration first and only then turn auto-detach on: gousb's Config detaches
	// the kernel driver from every interface when auto-detach is on, while libusb's own
	// auto-detach (on claiming an interface) takes only the claimed channel from ftdi_sio and
	// gives it back on release, leaving the other channel's /dev/ttyUSBn alone.
	num, err := d.dev.ActiveConfigNum()
	if err != nil {
		return nil, fmt.Errorf("USB device %s: active configuration: %w", id, err)
	}
	if d.cfg, err = d.dev.Config(num); err != nil {
		return nil, fmt.Errorf("USB device %s: %w", id, err)
	}
	nIf := len(d.cfg.Desc.Interfaces)
	iface := spec.iface
	if iface < 0 {
		iface = 0
		if nIf >= 2 {
			iface = 1 // channel B: the UART on iCEBreaker and the iCE40-HX8K breakout
		}
	}
	ch := string(rune('A' + iface))
	if iface >= nIf {
		return nil, fmt.Errorf("USB device %s has %d channel(s), so no channel %s (iface=%d)", id, nIf, ch, iface)
	}
	if err := d.dev.SetAutoDetach(true); err != nil {
		return nil, fmt.Errorf("USB device %s: enable kernel driver auto-detach: %w", id, err)
	}
	if d.intf, err = d.cfg.Interface(iface, 0); err != nil {
		if strings.Contains(err.Error(), gousb.ErrorBusy.Error()) {
			return nil, fmt.Errorf("USB device %s channel %s is busy (claimed by another program, or its kernel driver could not be detached): %w", id, ch, err)
		}
		return nil, fmt.Errorf("USB device %s channel %s: %w", id, ch, err)
	}
	inAddr, outAddr := ftdiEndpoints(iface)
	if d.in, err = d.intf.InEndpoint(inAddr & 0x7f); err != nil {
		return nil, fmt.Errorf("USB device %s channel %s: %w", id, ch, err)
	}
	if d.out, err = d.intf.OutEndpoint(outAddr); err != nil {
		return nil, fmt.Errorf("USB device %s channel %s: %w", id, ch, err)
	}
	if err := ftdiSetup(d, iface, spec.baud); err != nil {
		return nil, fmt.Errorf("USB device %s channel %s: %w", id, ch, err)
	}
	name := "usb:" + id
	if spec.serial != "" {
		name += ":" + spec.serial
	}
	return newFTDIConn(d, name+"?iface="+ch, d.in.Desc.MaxPacketSize), nil
}

func (d *gousbDev) Control(rType, request uint8, value, index uint16, data []byte) (int, error) {
	n, err := d.dev.Control(rType, request, value, index, data)
	return n, usbErr(err)
}

func (d *gousbDev) ReadBulk(ctx context.Context, p []byte) (int, error) {
	n, err := d.in.ReadContext(ctx, p)
	return n, usbErr(err)
}

func (d *gousbDev) WriteBulk(ctx context.Context, p []byte) (int, error) {
	n, err := d.out.WriteContext(ctx, p)
	return n, usbErr(err)
}

// Close releases what open acquired, in reverse; releasing the interface reattaches the kernel
// driver that auto-detach took away.
func (d *gousbDev) Close() error {
	var errs []error
	if d.intf != nil {
		d.intf.Close()
		d.intf = nil
	}
	if d.cfg != nil {
		errs = append(errs, d.cfg.Close())
		d.cfg = nil
	}
	if d.dev != nil {
		errs = append(errs, d.dev.Close())
		d.dev = nil
	}
	if d.ctx != nil {
		errs = append(errs, d.ctx.Close())
		d.ctx = nil
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
