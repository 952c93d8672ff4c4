package flash

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/linerate/linerate/hostdrv/ftdi"
)

// USB is channel A of an FT2232H: the device's control endpoint and the channel's bulk
// endpoints (OUT 0x02, IN 0x81). Open claims one through package ftdi, over libusb; tests use
// flashtest's fake. ReadBulk hands out packets that each start with two modem status bytes,
// and an idle chip answers with a status-only packet once per latency period, so it never
// blocks for long.
type USB = ftdi.Channel

const (
	chanA = 1 // wIndex of channel A (interface 0)

	// latencyMs is how long the chip holds a partly filled IN packet; send-immediate (0x87)
	// flushes replies anyway, so it only paces status-only packets.
	latencyMs = 1
)

// USB IDs, bcdDevice and bulk packet size (at high speed) of the FT2232H.
const (
	VendorFTDI        = 0x0403
	ProductFT2232H    = 0x6010
	bcdFT2232H        = ftdi.BCDFT2232H
	DefaultPacketSize = 512
)

// Open finds the board's FT2232H (Options.VID:PID, default 0403:6010, and Options.Serial if
// set), claims channel A through libusb (the kernel's ftdi_sio lets go of channel A only;
// channel B's /dev/ttyUSBn stays) and sets it up as New does.
func Open(ctx context.Context, opt Options) (*Programmer, error) {
	opt.defaults()
	u, info, err := ftdi.Open(ctx, ftdi.Options{
		VID: opt.VID, PID: opt.PID, Serial: opt.Serial,
		Channel: 0, // A
		Chips:   []uint16{bcdFT2232H},
		Vet: func(found []ftdi.DeviceID) error {
			_, err := pickDevice(found, opt.VID, opt.PID)
			return err
		},
	})
	if err != nil {
		if errors.Is(err, errors.ErrUnsupported) {
			return nil, fmt.Errorf("flash: %w (use OpenFPGALoader)", err)
		}
		return nil, err
	}
	opt.PacketSize = info.MaxPacketSize
	p, err := New(ctx, u, opt)
	if err != nil {
		u.Control(ftdi.RequestOut, ftdi.ReqSetBitmode, ftdi.BitmodeReset<<8, chanA, nil) // best effort
		u.Close()
		name := fmt.Sprintf("usb:%04x:%04x", opt.VID, opt.PID)
		if opt.Serial != "" {
			name += ":" + opt.Serial
		}
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return p, nil
}

// pickDevice explains why none of the devices found is an FT2232H with vid:pid, or returns
// the indexes of those that are. A device with the right IDs whose bcdDevice is not an
// FT2232H's (such as the older FT2232D, whose MPSSE lacks the 60 MHz clock) is ErrWrongDevice,
// and so is an FTDI chip with another product ID when none has the right one.
func pickDevice(found []ftdi.DeviceID, vid, pid uint16) ([]int, error) {
	var ok []int
	var others, wrongChip []string
	for i, d := range found {
		switch {
		case d.VID == vid && d.PID == pid && d.BCD == bcdFT2232H:
			ok = append(ok, i)
		case d.VID == vid && d.PID == pid:
			wrongChip = append(wrongChip, fmt.Sprintf("bcdDevice 0x%04x", d.BCD))
		case d.VID == vid:
			others = append(others, fmt.Sprintf("%04x:%04x", d.VID, d.PID))
		}
	}
	if len(ok) > 0 {
		return ok, nil
	}
	id := fmt.Sprintf("%04x:%04x", vid, pid)
	switch {
	case len(wrongChip) > 0:
		return nil, fmt.Errorf("%w: USB device %s is not an FT2232H (%s; want bcdDevice 0x%04x)",
			ErrWrongDevice, id, strings.Join(wrongChip, ", "), bcdFT2232H)
	case len(others) > 0:
		return nil, fmt.Errorf("%w: no USB device %s, but %s: not the FT2232H of an iCEBreaker or iCE40-HX8K breakout",
			ErrWrongDevice, id, strings.Join(others, ", "))
	}
	return nil, fmt.Errorf("%w: no USB device %s (is the board plugged in?)", ErrNoDevice, id)
}
