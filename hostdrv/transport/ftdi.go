package transport

// The FTDI UART protocol of the H chips (FT2232H, FT4232H, FT232H), spoken natively over USB:
// vendor control requests configure a channel, bulk endpoints carry the bytes. This file is
// pure logic over an ftdi.Channel; usb.go opens one through package ftdi, and the tests drive
// it with a fake that records control transfers.

import (
	"context"
	"fmt"
	"io"
	"math"
	"net"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/linerate/linerate/hostdrv/ftdi"
)

const (
	data8N1 = 8 // SIO_SET_DATA: 8 data bits, parity none (0<<8), one stop bit (0<<11), no break

	ftdiLatencyMs = 1 // the chip sends what it has after at most 1 ms: low link latency
)

// Baud rate generation on the H chips (FTDI AN232B-05, AN_120): the UART rate is a base clock
// divided by D, where D is n + f/8 with a 14-bit integer n and an eighth f. Encoded divisor bits:
//
//	0-13   n
//	14-16  f as a 3-bit code: eighths 0..7 are codes 0, 3, 2, 4, 1, 5, 6, 7
//	17     1: base 12 MHz (the 120 MHz clock / 10); 0: base 3 MHz (the 48 MHz clock / 16, as
//	       on the older BM chips)
//
// D below 2 is only possible as 1 (encoded n=0) and 1.5 (encoded n=1), so 12 MHz reaches
// 12, 8 and 6 Mbaud and everything from 6 Mbaud down in steps of an eighth of D.
const (
	ftdiClk10      = 12000000 // 120 MHz / 10
	ftdiClk16      = 3000000  // 48 MHz / 16
	ftdiClk10Bit   = 1 << 17
	ftdiMaxEighths = 0x3FFF<<3 | 7
	// ftdiMaxBaudErr bounds the achieved rate's error: a UART frame of 10 bits tolerates a
	// few percent of clock mismatch between the two ends.
	ftdiMaxBaudErr = 0.03
)

var ftdiFracCode = [8]uint32{0, 3, 2, 4, 1, 5, 6, 7}

// ftdiDivisor chooses the encoded divisor for baud on an H chip: the achievable rate nearest to
// baud, preferring the 12 MHz base on a tie. It returns the rate achieved, and an error when no
// divisor comes within 3%.
func ftdiDivisor(baud int) (enc uint32, achieved float64, err error) {
	if baud <= 0 {
		return 0, 0, fmt.Errorf("baud rate %d: not positive", baud)
	}
	bestErr := math.Inf(1)
	for _, clk := range []struct {
		hz   float64
		flag uint32
	}{{ftdiClk10, ftdiClk10Bit}, {ftdiClk16, 0}} {
		// Candidates, as D in eighths: 1, 1.5, and the two eighths around the ideal D.
		ideal := 8 * clk.hz / float64(baud)
		for _, e := range []float64{8, 12, math.Floor(ideal), math.Ceil(ideal)} {
			if e != 8 && e != 12 {
				e = math.Max(16, math.Min(ftdiMaxEighths, e))
			}
			rate := 8 * clk.hz / e
			rel := math.Abs(rate-float64(baud)) / float64(baud)
			if rel < bestErr {
				bestErr, achieved = rel, rate
				enc = clk.flag | ftdiEncode(uint32(e))
			}
		}
	}
	if bestErr > ftdiMaxBaudErr {
		return 0, 0, fmt.Errorf("baud rate %d: an FTDI H chip gets no closer than %.0f (%.1f%% off)",
			baud, achieved, 100*bestErr)
	}
	return enc, achieved, nil
}

// ftdiEncode encodes D given in eighths (8, 12, or 16 and above) without the clock bit.
func ftdiEncode(eighths uint32) uint32 {
	switch eighths {
	case 8:
		return 0
	case 12:
		return 1
	}
	return eighths>>3 | ftdiFracCode[eighths&7]<<14
}

// ftdiBaudArgs gives wValue and wIndex of SIO_SET_BAUD_RATE for an encoded divisor on channel
// index iface: the divisor's bits 16 and up go to wIndex's high byte, the channel to its low.
func ftdiBaudArgs(enc uint32, iface int) (value, index uint16) {
	return uint16(enc), uint16(enc>>16)<<8 | uint16(iface+1)
}

// ftdiSetup puts channel index iface (0 = A) into plain UART mode at baud, 8N1, no flow
// control, latency 1 ms, with both FIFOs purged.
func ftdiSetup(dev ftdi.Channel, iface, baud int) error {
	enc, _, err := ftdiDivisor(baud)
	if err != nil {
		return err
	}
	bv, bi := ftdiBaudArgs(enc, iface)
	ch := uint16(iface + 1) // wIndex: the channel, 1 = A
	for _, r := range []struct {
		what         string
		req          uint8
		value, index uint16
	}{
		{"reset", ftdi.ReqReset, ftdi.ResetSIO, ch},
		{"set baud rate", ftdi.ReqSetBaudRate, bv, bi},
		{"set 8N1", ftdi.ReqSetData, data8N1, ch},
		{"disable flow control", ftdi.ReqSetFlowCtrl, 0, ch},
		{"set latency timer", ftdi.ReqSetLatencyTimer, ftdiLatencyMs, ch},
		{"reset bit mode", ftdi.ReqSetBitmode, ftdi.BitmodeReset << 8, ch},
		{"purge", ftdi.ReqReset, ftdi.ResetPurge1, ch},
		{"purge", ftdi.ReqReset, ftdi.ResetPurge2, ch},
	} {
		if _, err := dev.Control(ftdi.RequestOut, r.req, r.value, r.index, nil); err != nil {
			return fmt.Errorf("ftdi %s (request 0x%02x, value 0x%04x, index 0x%04x): %w",
				r.what, r.req, r.value, r.index, err)
		}
	}
	return nil
}

// ftdiConn is a Conn over one FTDI channel in UART mode.
type ftdiConn struct {
	dev       ftdi.Channel
	name      string
	maxPacket int // of the IN endpoint: 512 at high speed, 64 at full speed

	ctx    context.Context // ends at Close, which cancels transfers in flight
	cancel context.CancelFunc
	closed atomic.Bool
	once   sync.Once
	cerr   error

	rmu     sync.Mutex
	rbuf    []byte // one bulk IN transfer
	pending []byte // payload of rbuf not yet returned

	wmu sync.Mutex
}

// ftdiReadPackets and ftdiWriteChunk size the bulk transfers: 16 KiB at high speed, many
// milliseconds of data at 3 Mbaud.
const (
	ftdiReadPackets = 32
	ftdiWriteChunk  = 16 << 10
)

func newFTDIConn(dev ftdi.Channel, name string, maxPacket int) *ftdiConn {
	ctx, cancel := context.WithCancel(context.Background())
	return &ftdiConn{
		dev:       dev,
		name:      name,
		maxPacket: maxPacket,
		ctx:       ctx,
		cancel:    cancel,
		rbuf:      make([]byte, maxPacket*ftdiReadPackets),
	}
}

func (c *ftdiConn) errClosed(op string) error {
	return fmt.Errorf("%s %s: %w", op, c.name, net.ErrClosed)
}

func (c *ftdiConn) Read(p []byte) (int, error) {
	if c.closed.Load() {
		return 0, c.errClosed("read")
	}
	if len(p) == 0 {
		return 0, nil
	}
	c.rmu.Lock()
	defer c.rmu.Unlock()
	for len(c.pending) == 0 {
		// An idle chip answers every latency period with a status-only packet: keep reading.
		n, err := c.dev.ReadBulk(c.ctx, c.rbuf)
		if c.closed.Load() {
			return 0, c.errClosed("read")
		}
		c.pending = ftdi.StripStatus(c.rbuf[:n], c.maxPacket)
		if err != nil {
			if len(c.pending) > 0 {
				break // deliver what came; a lasting error shows again on the next transfer
			}
			return 0, fmt.Errorf("read %s: %w", c.name, err)
		}
	}
	n := copy(p, c.pending)
	c.pending = c.pending[n:]
	return n, nil
}

func (c *ftdiConn) Write(p []byte) (int, error) {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	done := 0
	for done < len(p) {
		if c.closed.Load() {
			return done, c.errClosed("write")
		}
		chunk := p[done:min(len(p), done+ftdiWriteChunk)]
		n, err := c.dev.WriteBulk(c.ctx, chunk)
		done += n
		if c.closed.Load() && (err != nil || done < len(p)) {
			return done, c.errClosed("write")
		}
		if err != nil {
			return done, fmt.Errorf("write %s: %w", c.name, err)
		}
		if n == 0 {
			return done, fmt.Errorf("write %s: %w", c.name, io.ErrShortWrite)
		}
	}
	return done, nil
}

// Close cancels the transfers in flight, waits for Read and Write to return, then releases
// the channel (and gives it back to the kernel driver, if one was detached).
func (c *ftdiConn) Close() error {
	c.once.Do(func() {
		c.closed.Store(true)
		c.cancel()
		c.rmu.Lock()
		c.wmu.Lock()
		defer c.rmu.Unlock()
		defer c.wmu.Unlock()
		if err := c.dev.Close(); err != nil {
			c.cerr = fmt.Errorf("close %s: %w", c.name, err)
		}
	})
	return c.cerr
}

// usbSpec is a parsed usb: URI.
type usbSpec struct {
	vid, pid uint16
	serial   string // "" = any
	iface    int    // channel index, 0 = A; ftdi.AutoChannel = B, or A on a single-channel chip
	baud     int
}

// parseUSB parses "VID:PID[:SERIAL][?iface=X&baud=N]" (VID and PID in hex).
func parseUSB(rest string, opt Options) (usbSpec, error) {
	path, q, err := splitQuery(rest, "iface", "baud")
	if err != nil {
		return usbSpec{}, err
	}
	if err := baudParam(q, &opt); err != nil {
		return usbSpec{}, err
	}
	s := usbSpec{iface: ftdi.AutoChannel, baud: opt.Baud}
	parts := strings.SplitN(path, ":", 3)
	if len(parts) < 2 {
		return usbSpec{}, fmt.Errorf("%w: want usb:VID:PID[:SERIAL] in hex, such as usb:0403:6010", ErrBadURI)
	}
	for i, dst := range []*uint16{&s.vid, &s.pid} {
		v, err := strconv.ParseUint(parts[i], 16, 16)
		if err != nil || len(parts[i]) != 4 {
			return usbSpec{}, fmt.Errorf("%w: %q is not a 4-digit hex USB ID (want usb:VID:PID such as usb:0403:6010)",
				ErrBadURI, parts[i])
		}
		*dst = uint16(v)
	}
	if len(parts) == 3 {
		if parts[2] == "" {
			return usbSpec{}, fmt.Errorf("%w: empty serial number after usb:%s:%s:", ErrBadURI, parts[0], parts[1])
		}
		s.serial = parts[2]
	}
	if q.Has("iface") {
		v := q.Get("iface")
		s.iface = ifaceIndex(v)
		if s.iface < 0 {
			return usbSpec{}, fmt.Errorf("%w: iface=%q (want A, B, C, D or 0..3)", ErrBadURI, v)
		}
	}
	return s, nil
}

// ifaceIndex maps a channel letter (A..D) or index (0..3) to the index, or -1.
func ifaceIndex(v string) int {
	if len(v) != 1 {
		return -1
	}
	switch c := v[0]; {
	case c >= 'A' && c <= 'D':
		return int(c - 'A')
	case c >= 'a' && c <= 'd':
		return int(c - 'a')
	case c >= '0' && c <= '3':
		return int(c - '0')
	}
	return -1
}
