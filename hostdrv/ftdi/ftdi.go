// Package ftdi reaches one channel of an FTDI H chip (FT2232H, FT4232H, FT232H) natively over
// USB: vendor control requests configure the channel, its two bulk endpoints carry the bytes.
// It is what the host link's UART (package transport, usb: URIs, channel B of the boards'
// FT2232H) and the flash programmer (package flash, MPSSE on channel A) have in common.
//
// Channel is the boundary: the control and bulk transfers of one claimed channel. Open binds it
// to libusb through gousb when built with cgo (and reports errors.ErrUnsupported without);
// the layers above are tested over fakes of it.
package ftdi

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Channel is one claimed channel of an FTDI chip: the device's control endpoint and the
// channel's bulk endpoints. ReadBulk and WriteBulk make one bulk transfer each and return when
// ctx ends. An unplugged device shows as an error wrapping io.EOF, as a hung-up tty does.
type Channel interface {
	// Control makes one control transfer (the vendor requests below).
	Control(rType, req uint8, val, idx uint16, data []byte) (int, error)
	// ReadBulk makes one bulk IN transfer into p, whose length should be a multiple of the
	// packet size. Every packet starts with StatusLen status bytes (StripStatus removes them);
	// an idle chip answers with a status-only packet once per latency period, so ReadBulk
	// never blocks for long.
	ReadBulk(ctx context.Context, p []byte) (int, error)
	// WriteBulk makes one bulk OUT transfer; the bytes go out as they are, with no header.
	WriteBulk(ctx context.Context, p []byte) (int, error)
	// Close releases the channel, and gives it back to the kernel driver if one was detached.
	Close() error
}

// Vendor requests (bRequest) and their arguments. The low byte of wIndex names the channel:
// 1 = A, 2 = B, and so on.
const (
	RequestOut = 0x40 // bmRequestType: vendor, device, host to device

	ReqReset           = 0x00 // wValue: ResetSIO, or a purge of one FIFO
	ReqSetFlowCtrl     = 0x02 // wValue 0, wIndex high byte: handshake (0 = none)
	ReqSetBaudRate     = 0x03 // wValue and the high byte of wIndex: the encoded divisor
	ReqSetData         = 0x04 // wValue: data bits | parity<<8 | stop bits<<11 | break<<14
	ReqSetLatencyTimer = 0x09 // wValue: milliseconds
	ReqSetBitmode      = 0x0B // wValue: mode<<8 | pin mask

	// ResetSIO is ReqReset's wValue that resets the channel.
	ResetSIO = 0
	// ResetPurge1 and ResetPurge2 purge one FIFO each. FTDI's own names for these values are
	// known to be swapped against what the chip does (libftdi 1.5 renamed them), so drivers
	// simply send both.
	ResetPurge1 = 1
	ResetPurge2 = 2

	BitmodeReset = 0x00 // back to the channel's default mode, the UART
	BitmodeMPSSE = 0x02

	// StatusLen is the number of modem and line status bytes at the start of every bulk IN
	// packet.
	StatusLen = 2
)

// bcdDevice of the H chips.
const (
	BCDFT2232H = 0x0700
	BCDFT4232H = 0x0800
	BCDFT232H  = 0x0900
)

// hChips are the chips Open accepts by default: the H chips, whose channels this package and
// its users know (their bulk endpoints, the UART divisor encoding, the MPSSE's 60 MHz clock).
var hChips = []uint16{BCDFT2232H, BCDFT4232H, BCDFT232H}

var chipNames = map[uint16]string{BCDFT2232H: "FT2232H", BCDFT4232H: "FT4232H", BCDFT232H: "FT232H"}

var (
	// ErrNoDevice says no USB device matches (or libusb is unavailable). transport.ErrNoDevice
	// and flash.ErrNoDevice are this same value.
	ErrNoDevice = errors.New("no device")
	// ErrWrongDevice says a device with the IDs asked for is not one of the chips asked for.
	// flash.ErrWrongDevice is this same value.
	ErrWrongDevice = errors.New("wrong device")
)

// AutoChannel as Options.Channel picks channel B on a chip with two or more channels (the UART
// on the iCEBreaker and the iCE40-HX8K breakout) and A on a single-channel FT232H.
const AutoChannel = -1

// Options select the device and the channel Open claims.
type Options struct {
	// VID and PID select the device; Serial, if not "", its USB serial number. Without a
	// serial number exactly one device may match.
	VID, PID uint16
	Serial   string
	// Channel is the channel's index, 0 = A (the zero value), or AutoChannel.
	Channel int
	// Chips lists the bcdDevice values of the chips to open; nil means the H chips
	// (FT2232H, FT4232H, FT232H).
	Chips []uint16
	// Vet, if not nil, is shown every device with VID (of any product ID) before any device
	// is opened, and an error from it ends Open as it is: a caller that knows better which
	// device is missing or wrong says so.
	Vet func(found []DeviceID) error
}

// DeviceID is what enumeration tells of a device before it is opened.
type DeviceID struct {
	VID, PID, BCD uint16
}

// Info tells what Open claimed.
type Info struct {
	Channel       int // the channel's index, 0 = A (AutoChannel resolved)
	MaxPacketSize int // of the bulk IN endpoint: 512 at high speed, 64 at full speed
}

// id is VID:PID as lsusb shows it.
func (o *Options) id() string { return fmt.Sprintf("%04x:%04x", o.VID, o.PID) }

func (o *Options) chips() []uint16 {
	if o.Chips == nil {
		return hChips
	}
	return o.Chips
}

// wants reports whether d is a device to open.
func (o *Options) wants(d DeviceID) bool {
	return d.VID == o.VID && d.PID == o.PID && slices.Contains(o.chips(), d.BCD)
}

// check explains, given every device found with o.VID, why none of them is to be opened, or
// returns nil when one is.
func (o *Options) check(found []DeviceID) error {
	if o.Vet != nil {
		if err := o.Vet(found); err != nil {
			return err
		}
	}
	var wrong []string
	for _, d := range found {
		switch {
		case o.wants(d):
			return nil
		case d.VID == o.VID && d.PID == o.PID:
			wrong = append(wrong, fmt.Sprintf("0x%04x", d.BCD))
		}
	}
	if len(wrong) > 0 {
		var names []string
		for _, bcd := range o.chips() {
			if n, ok := chipNames[bcd]; ok {
				names = append(names, n)
			} else {
				names = append(names, fmt.Sprintf("chip of bcdDevice 0x%04x", bcd))
			}
		}
		return fmt.Errorf("%w: USB device %s is not an %s (bcdDevice %s)",
			ErrWrongDevice, o.id(), orList(names), strings.Join(wrong, ", "))
	}
	return fmt.Errorf("%w: no USB device %s", ErrNoDevice, o.id())
}

// orList joins "a", "b", "c" as "a, b or c".
func orList(s []string) string {
	if len(s) < 2 {
		return strings.Join(s, "")
	}
	return strings.Join(s[:len(s)-1], ", ") + " or " + s[len(s)-1]
}

// pickSerial chooses among the serial numbers of the devices opened: the first with o.Serial,
// or the only one when o.Serial is "".
func (o *Options) pickSerial(serials []string) (int, error) {
	pick := slices.IndexFunc(serials, func(sn string) bool { return o.Serial == "" || sn == o.Serial })
	quoted := make([]string, len(serials))
	for i, sn := range serials {
		quoted[i] = fmt.Sprintf("%q", sn)
	}
	switch {
	case pick < 0:
		return -1, fmt.Errorf("%w: no USB device %s with serial number %q (found %s)",
			ErrNoDevice, o.id(), o.Serial, strings.Join(quoted, ", "))
	case o.Serial == "" && len(serials) > 1:
		return -1, fmt.Errorf("%d USB devices are %s (serial numbers %s): choose one by serial number",
			len(serials), o.id(), strings.Join(quoted, ", "))
	}
	return pick, nil
}

// channel resolves o.Channel on a device with n channels (USB interfaces).
func (o *Options) channel(n int) (int, error) {
	ch := o.Channel
	if ch == AutoChannel {
		ch = 0
		if n >= 2 {
			ch = 1
		}
	}
	if ch < 0 || ch >= n {
		return 0, fmt.Errorf("USB device %s has %d channel(s), so no channel %s", o.id(), n, channelName(ch))
	}
	return ch, nil
}

// channelName is the letter of channel index ch (0 = A).
func channelName(ch int) string {
	if ch < 0 || ch > 25 {
		return fmt.Sprintf("with index %d", ch)
	}
	return string(rune('A' + ch))
}

// endpoints gives the bulk endpoint addresses of channel index ch (0 = A): A is IN 0x81,
// OUT 0x02; B is IN 0x83, OUT 0x04; and so on for the FT4232H's C and D.
func endpoints(ch int) (in, out int) {
	return 0x81 + 2*ch, 0x02 + 2*ch
}

// StripStatus removes the status bytes at the start of each maxPacket-sized packet of one bulk
// IN transfer, in place, and returns the payload.
func StripStatus(b []byte, maxPacket int) []byte {
	out := b[:0]
	for len(b) > 0 {
		pkt := b[:min(len(b), maxPacket)]
		b = b[len(pkt):]
		if len(pkt) > StatusLen {
			out = append(out, pkt[StatusLen:]...) // never overtakes the bytes still unread
		}
	}
	return out
}
