package transport

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"slices"
	"sync"
	"testing"
	"time"
)

// decodeDivisor is the H chip's side of the baud rate encoding, written from the tables of FTDI
// AN232B-05 and AN_120 as a cross-check of ftdiDivisor: it gives the rate an encoded divisor
// produces.
func decodeDivisor(enc uint32) float64 {
	clk := 3e6 // 48 MHz / 16
	if enc&(1<<17) != 0 {
		clk = 12e6 // 120 MHz / 10
	}
	n := enc & 0x3FFF
	code := enc >> 14 & 7
	// Sub-integer divisor codes 000..111: 0, 1/2, 1/4, 1/8, 3/8, 5/8, 3/4, 7/8.
	frac := [8]float64{0, 0.5, 0.25, 0.125, 0.375, 0.625, 0.75, 0.875}[code]
	d := float64(n) + frac
	switch {
	case n == 0 && code == 0:
		d = 1
	case n == 1 && code == 0:
		d = 1.5
	}
	return clk / d
}

func TestFTDIDivisorTable(t *testing.T) {
	for _, tc := range []struct {
		baud     int
		enc      uint32 // clock bit 17 | sub-divisor code << 14 | n
		achieved float64
	}{
		{12000000, 0x20000, 12e6},              // 12 MHz / 1 (n=0 means 1)
		{12300000, 0x20000, 12e6},              // 2.4% off: still within 3%
		{8000000, 0x20001, 8e6},                // 12 MHz / 1.5 (n=1 means 1.5)
		{6000000, 0x20002, 6e6},                // / 2
		{3000000, 0x20004, 3e6},                // / 4: the link's rate, exact
		{2000000, 0x20006, 2e6},                // / 6
		{1000000, 0x2000C, 1e6},                // / 12
		{921600, 0x2000D, 12e6 / 13},           // / 13, 0.16% fast
		{250000, 0x20030, 250000},              // / 48
		{115200, 0x2C068, 12e6 / 104.125},      // / (104 + 1/8): code 3 for an eighth
		{57600, 0x300D0, 12e6 / 208.375},       // / (208 + 3/8): code 4 sets bit 16
		{9600, 0x204E2, 9600},                  // / 1250
		{300, 0x02710, 300},                    // 3 MHz / 10000: beyond the 12 MHz divisor's range
		{1200, 0x22710, 1200},                  // 12 MHz / 10000
		{183, 0x3FFF | 7<<14, 3e6 / 16383.875}, // the largest divisor, 0.04% off
	} {
		enc, achieved, err := ftdiDivisor(tc.baud)
		if err != nil {
			t.Errorf("%d: %v", tc.baud, err)
			continue
		}
		if enc != tc.enc || math.Abs(achieved-tc.achieved) > 1e-6 {
			t.Errorf("%d: enc 0x%05x achieving %.3f; want 0x%05x achieving %.3f", tc.baud, enc, achieved, tc.enc, tc.achieved)
		}
		if got := decodeDivisor(enc); math.Abs(got-achieved) > 1e-6 {
			t.Errorf("%d: 0x%05x decodes to %.3f, ftdiDivisor says %.3f", tc.baud, enc, got, achieved)
		}
	}
	for _, baud := range []int{0, -9600, 100, 5823529, 7000000, 10000000, 12500000, 100000000} {
		if enc, achieved, err := ftdiDivisor(baud); err == nil {
			t.Errorf("%d: got 0x%05x (%.0f), want an error", baud, enc, achieved)
		}
	}
}

// Property: from 200 baud to 5.5 Mbaud every rate is reached within 3%, and the encoding decodes
// to the rate ftdiDivisor reports; the rates the FPGA's 48 MHz UART uses are exact. (Between
// 12 MHz / 2.125 and 12 MHz / 2 the steps are 6% apart, so around 5.82 Mbaud nothing is within
// 3%; above 6 Mbaud only 8 and 12 Mbaud exist.)
func TestFTDIDivisorProperty(t *testing.T) {
	worst := 0.0
	for b := 200.0; b <= 5.5e6; b *= 1.0007 {
		baud := int(b)
		enc, achieved, err := ftdiDivisor(baud)
		if err != nil {
			t.Fatalf("%d: %v", baud, err)
		}
		if got := decodeDivisor(enc); math.Abs(got-achieved) > 1e-6*achieved {
			t.Fatalf("%d: 0x%05x decodes to %f, ftdiDivisor says %f", baud, enc, got, achieved)
		}
		rel := math.Abs(achieved-float64(baud)) / float64(baud)
		if rel > 0.03 {
			t.Fatalf("%d: achieved %f is %.2f%% off", baud, achieved, 100*rel)
		}
		worst = max(worst, rel)
	}
	t.Logf("worst error %.3f%%", 100*worst)
	for _, baud := range []int{12000000, 6000000, 3000000, 1500000, 1000000, 500000, 250000, 115200*0 + 100000} {
		if _, achieved, err := ftdiDivisor(baud); err != nil || achieved != float64(baud) {
			t.Errorf("%d: achieved %f, %v; want exact", baud, achieved, err)
		}
	}
}

type ctrl struct {
	rType, req   uint8
	value, index uint16
}

// fakeUSB is an ftdi.Channel: it records control transfers and writes, and hands out queued IN
// transfers (raw, status bytes included).
type fakeUSB struct {
	mu      sync.Mutex
	ctrls   []ctrl
	writes  [][]byte
	in      chan []byte
	inErr   error // returned by ReadBulk once the queue is empty, if set
	ctrlErr error
	closes  int
}

func newFakeUSB() *fakeUSB { return &fakeUSB{in: make(chan []byte, 64)} }

func (f *fakeUSB) Control(rType, req uint8, value, index uint16, data []byte) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.ctrls = append(f.ctrls, ctrl{rType, req, value, index})
	return 0, f.ctrlErr
}

func (f *fakeUSB) ReadBulk(ctx context.Context, p []byte) (int, error) {
	select {
	case b := <-f.in:
		if len(b) > len(p) {
			return 0, fmt.Errorf("fake: transfer of %d bytes into a %d-byte buffer (overflow)", len(b), len(p))
		}
		return copy(p, b), nil
	default:
	}
	if f.inErr != nil {
		return 0, f.inErr
	}
	select {
	case b := <-f.in:
		return copy(p, b), nil
	case <-ctx.Done():
		return 0, errors.New("fake: transfer was cancelled")
	}
}

func (f *fakeUSB) WriteBulk(ctx context.Context, p []byte) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.writes = append(f.writes, slices.Clone(p))
	return len(p), nil
}

func (f *fakeUSB) Close() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.closes++
	return nil
}

func TestFTDISetupSequence(t *testing.T) {
	for _, tc := range []struct {
		iface                int
		baud                 int
		baudValue, baudIndex uint16
	}{
		{1, 3000000, 0x0004, 0x0202},  // channel B (wIndex 2), 12 MHz / 4
		{1, 115200, 0xC068, 0x0202},   // 12 MHz / 104.125
		{1, 12000000, 0x0000, 0x0202}, // 12 MHz / 1
		{1, 1000000, 0x000C, 0x0202},  // 12 MHz / 12
		{1, 57600, 0x00D0, 0x0302},    // sub-divisor bit 2 lands in wIndex bit 8
		{0, 3000000, 0x0004, 0x0201},  // channel A (wIndex 1)
		{1, 300, 0x2710, 0x0002},      // 3 MHz base: no clock bit
	} {
		f := newFakeUSB()
		if err := ftdiSetup(f, tc.iface, tc.baud); err != nil {
			t.Fatalf("iface %d, %d baud: %v", tc.iface, tc.baud, err)
		}
		ch := uint16(tc.iface + 1)
		want := []ctrl{
			{0x40, 0x00, 0x0000, ch},                 // SIO_RESET: reset
			{0x40, 0x03, tc.baudValue, tc.baudIndex}, // SIO_SET_BAUD_RATE
			{0x40, 0x04, 0x0008, ch},                 // SIO_SET_DATA: 8N1
			{0x40, 0x02, 0x0000, ch},                 // SIO_SET_FLOW_CTRL: none
			{0x40, 0x09, 0x0001, ch},                 // SIO_SET_LATENCY_TIMER: 1 ms
			{0x40, 0x0B, 0x0000, ch},                 // SIO_SET_BITMODE: reset (UART)
			{0x40, 0x00, 0x0001, ch},                 // SIO_RESET: purge one FIFO
			{0x40, 0x00, 0x0002, ch},                 // SIO_RESET: purge the other
		}
		if !slices.Equal(f.ctrls, want) {
			t.Errorf("iface %d, %d baud:\n got  %x\n want %x", tc.iface, tc.baud, f.ctrls, want)
		}
	}

	f := newFakeUSB()
	f.ctrlErr = errors.New("pipe error")
	if err := ftdiSetup(f, 1, 3000000); err == nil || !bytes.Contains([]byte(err.Error()), []byte("reset")) {
		t.Errorf("failing control transfer: %v", err)
	}
	if err := ftdiSetup(newFakeUSB(), 1, 10000000); err == nil {
		t.Error("10 Mbaud accepted")
	}
}

// packets builds one IN transfer: each payload behind the two status bytes, as the chip sends
// it; every packet but the last must be max-packet-size.
func packets(payloads ...[]byte) []byte {
	var b []byte
	for _, p := range payloads {
		b = append(b, 0x31, 0x60) // modem status, line status (THRE, TEMT)
		b = append(b, p...)
	}
	return b
}

func seq(from, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(from + i)
	}
	return b
}

func TestFTDIRead(t *testing.T) {
	for _, mp := range []int{512, 64} {
		f := newFakeUSB()
		c := newFTDIConn(f, "usb:test", mp)
		pl := mp - 2
		// Idle status packets, then a transfer of two full packets and a short one, idle again,
		// then a transfer whose last packet carries only status.
		f.in <- packets(nil)
		f.in <- packets(nil)
		f.in <- packets(seq(0, pl), seq(pl, pl), seq(2*pl, 7))
		f.in <- packets(nil)
		f.in <- packets(seq(2*pl+7, pl), nil)
		want := seq(0, 3*pl+7)
		got := make([]byte, 0, len(want))
		buf := make([]byte, 100) // smaller than a transfer: the rest waits in the conn
		for len(got) < len(want) {
			n, err := c.Read(buf)
			if err != nil || n == 0 {
				t.Fatalf("max packet %d: Read = %d, %v after %d bytes", mp, n, err, len(got))
			}
			got = append(got, buf[:n]...)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("max packet %d: bytes differ", mp)
		}
		// The chip is idle now: Read blocks through status-only packets until Close.
		f.in <- packets(nil)
		errc := make(chan error, 1)
		go func() {
			_, err := c.Read(buf)
			errc <- err
		}()
		time.Sleep(20 * time.Millisecond)
		c.Close()
		if err := <-errc; !errors.Is(err, net.ErrClosed) {
			t.Fatalf("Read during Close: %v; want net.ErrClosed", err)
		}
		if _, err := c.Write([]byte{1}); !errors.Is(err, net.ErrClosed) {
			t.Fatalf("Write after Close: %v", err)
		}
		if c.Close(); f.closes != 1 {
			t.Fatalf("device closed %d times", f.closes)
		}
	}
}

func TestFTDIReadUnplugged(t *testing.T) {
	f := newFakeUSB()
	f.inErr = fmt.Errorf("device unplugged: %w", io.EOF)
	c := newFTDIConn(f, "usb:test", 512)
	defer c.Close()
	f.in <- packets([]byte("bye"))
	buf := make([]byte, 10)
	if n, err := c.Read(buf); err != nil || string(buf[:n]) != "bye" {
		t.Fatalf("Read = %q, %v", buf[:n], err)
	}
	if _, err := c.Read(buf); !errors.Is(err, io.EOF) {
		t.Fatalf("Read of an unplugged device: %v; want io.EOF", err)
	}
}

func TestFTDIWrite(t *testing.T) {
	f := newFakeUSB()
	c := newFTDIConn(f, "usb:test", 512)
	defer c.Close()
	data := seq(0, 40000)
	if n, err := c.Write(data); n != len(data) || err != nil {
		t.Fatalf("Write = %d, %v", n, err)
	}
	if n, err := c.Write(nil); n != 0 || err != nil {
		t.Fatalf("Write(nil) = %d, %v", n, err)
	}
	var all []byte
	for _, w := range f.writes {
		if len(w) > ftdiWriteChunk || len(w) == 0 {
			t.Fatalf("a bulk OUT transfer of %d bytes", len(w))
		}
		all = append(all, w...) // no header on OUT: the bytes go out as they are
	}
	if !bytes.Equal(all, data) {
		t.Fatal("written bytes differ")
	}
}

func TestParseUSB(t *testing.T) {
	opt := Options{Baud: DefaultBaud}
	for _, tc := range []struct {
		rest string
		want usbSpec
	}{
		{"0403:6010", usbSpec{0x0403, 0x6010, "", -1, 3000000}},
		{"0403:6010?iface=B", usbSpec{0x0403, 0x6010, "", 1, 3000000}},
		{"0403:6010?iface=1", usbSpec{0x0403, 0x6010, "", 1, 3000000}},
		{"0403:6010?iface=a&baud=115200", usbSpec{0x0403, 0x6010, "", 0, 115200}},
		{"0403:6014:FT4ZX8KB", usbSpec{0x0403, 0x6014, "FT4ZX8KB", -1, 3000000}},
		{"0403:6011:AB:C?iface=D", usbSpec{0x0403, 0x6011, "AB:C", 3, 3000000}},
		{"0403:6010?iface=0", usbSpec{0x0403, 0x6010, "", 0, 3000000}},
	} {
		got, err := parseUSB(tc.rest, opt)
		if err != nil || got != tc.want {
			t.Errorf("parseUSB(%q) = %+v, %v; want %+v", tc.rest, got, err, tc.want)
		}
	}
	for _, rest := range []string{"", "0403", "403:6010", "zzzz:6010", "0403:60100", "0403:6010:",
		"0403:6010?iface=E", "0403:6010?iface=4", "0403:6010?iface=", "0403:6010?baud=", "0403:6010?speed=1",
		"0403:6010?baud=fast", "0403:6010?iface=A&iface=B"} {
		if got, err := parseUSB(rest, opt); !errors.Is(err, ErrBadURI) {
			t.Errorf("parseUSB(%q) = %+v, %v; want ErrBadURI", rest, got, err)
		}
	}
}
