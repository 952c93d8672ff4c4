package flash

import (
	"context"
	"fmt"
	"strings"
)

// USB is channel A of an FT2232H: the device's control endpoint and the channel's bulk
// endpoints (OUT 0x02, IN 0x81). Open provides one over libusb; tests use flashtest's fake.
type USB interface {
	// Control makes one control transfer (the FTDI vendor requests).
	Control(rType, req uint8, val, idx uint16, data []byte) (int, error)
	// Write makes one bulk OUT transfer of MPSSE commands.
	Write(ctx context.Context, p []byte) (int, error)
	// Read makes one bulk IN transfer into p, whose length is a multiple of the packet size.
	// Every packet starts with two modem status bytes; an idle chip answers with a
	// status-only packet once per latency period, so Read never blocks for long.
	Read(ctx context.Context, p []byte) (int, error)
	// Close releases the channel.
	Close() error
}

// FTDI vendor requests (bRequest) and arguments, as in transport/ftdi.go, for channel A.
const (
	ftdiOut = 0x40 // bmRequestType: vendor, device, host to device

	sioReset           = 0x00 // wValue: sioResetSIO, or a purge of one FIFO
	sioSetLatencyTimer = 0x09 // wValue: milliseconds
	sioSetBitmode      = 0x0B // wValue: mode<<8 | pin mask

	sioResetSIO = 0
	// The two FIFO purges; FTDI's names for them are swapped against what the chip does, so
	// both are sent (see transport/ftdi.go).
	sioPurge1 = 1
	sioPurge2 = 2

	bitmodeReset = 0x00 // back to the channel's default (UART) mode
	bitmodeMPSSE = 0x02

	chanA = 1 // wIndex of channel A (interface 0)

	// latencyMs is how long the chip holds a partly filled IN packet; send-immediate (0x87)
	// flushes replies anyway, so it only paces status-only packets.
	latencyMs = 1

	statusLen = 2 // modem status bytes at the start of every IN packet

)

// USB IDs, bcdDevice and bulk packet size (at high speed) of the FT2232H.
const (
	VendorFTDI        = 0x0403
	ProductFT2232H    = 0x6010
	bcdFT2232H        = 0x0700
	DefaultPacketSize = 512
)

// usbID is what enumeration tells about a device before opening it.
type usbID struct {
	vid, pid, bcd uint16
}

// pickDevice explains why none of the devices found is an FT2232H with vid:pid, or returns
// the indexes of those that are. A device with the right IDs whose bcdDevice is not an
// FT2232H's (such as the older FT2232D, whose MPSSE lacks the 60 MHz clock) is ErrWrongDevice,
// and so is an FTDI chip with another product ID when none has the right one.
func pickDevice(found []usbID, vid, pid uint16) ([]int, error) {
	var ok []int
	var others, wrongChip []string
	for i, d := range found {
		switch {
		case d.vid == vid && d.pid == pid && d.bcd == bcdFT2232H:
			ok = append(ok, i)
		case d.vid == vid && d.pid == pid:
			wrongChip = append(wrongChip, fmt.Sprintf("bcdDevice 0x%04x", d.bcd))
		case d.vid == vid:
			others = append(others, fmt.Sprintf("%04x:%04x", d.vid, d.pid))
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
