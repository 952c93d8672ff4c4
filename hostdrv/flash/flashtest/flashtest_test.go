package flashtest_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/linerate/linerate/hostdrv/flash/flashtest"
)

const (
	csLow  = 0x00 // SCK low, CS low, CRESET_B low
	csHigh = flashtest.PinCS
	dirBus = flashtest.PinSCK | flashtest.PinMOSI | flashtest.PinCS | flashtest.PinCRESET
)

// board is a fake in MPSSE mode with the FPGA held in reset, driven by raw commands.
type board struct {
	t    *testing.T
	fake *flashtest.FT2232H
}

func newBoard(t *testing.T) *board {
	fake := flashtest.New(flashtest.ICEBreaker())
	if _, err := fake.Control(0x40, 0x0B, 0x0200, 1, nil); err != nil {
		t.Fatal(err)
	}
	b := &board{t, fake}
	b.write(0x80, csHigh, dirBus)
	return b
}

func (b *board) write(p ...byte) {
	b.t.Helper()
	if _, err := b.fake.WriteBulk(context.Background(), p); err != nil {
		b.t.Fatal(err)
	}
}

// cmd runs one flash command (0x11) with CS low.
func (b *board) cmd(p ...byte) {
	b.t.Helper()
	n := len(p) - 1
	b.write(append([]byte{0x80, csLow, dirBus, 0x11, byte(n), byte(n >> 8)}, append(p, 0x80, csHigh, dirBus)...)...)
}

// read reads every reply byte due.
func (b *board) read() []byte {
	b.t.Helper()
	var out []byte
	buf := make([]byte, 4096)
	for range 20 { // the fake hands out replies in uneven pieces
		n, err := b.fake.ReadBulk(context.Background(), buf)
		if err != nil {
			b.t.Fatal(err)
		}
		for i := 0; i < n; i += 512 {
			if buf[i] != 0x32 || buf[i+1] != 0x60 {
				b.t.Fatalf("packet at %d starts % x, not status bytes", i, buf[i:i+2])
			}
			out = append(out, buf[i+2:min(n, i+512)]...)
		}
	}
	return out
}

func (b *board) waitIdle() {
	for range 100 {
		b.write(0x80, csLow, dirBus, 0x31, 1, 0, 0x05, 0, 0x80, csHigh, dirBus)
		if b.read()[1]&1 == 0 {
			return
		}
	}
	b.t.Fatal("flash stays busy")
}

func TestPageProgramANDsAndWraps(t *testing.T) {
	b := newBoard(t)
	mem := b.fake.Flash.Mem
	b.cmd(0x06)
	b.cmd(0x20, 0, 0x10, 0) // erase 0x1000..0x1FFF
	b.waitIdle()
	if !bytes.Equal(mem[0x1000:0x2000], bytes.Repeat([]byte{0xFF}, 0x1000)) {
		t.Fatal("sector not erased")
	}
	b.cmd(0x06)
	b.cmd(0x02, 0, 0x10, 0xFE, 0xF0, 0x0F, 0x55, 0xAA) // 2 bytes to the page's end, 3 wrap
	b.waitIdle()
	want := map[int]byte{0x10FE: 0xF0, 0x10FF: 0x0F, 0x1000: 0x55, 0x1001: 0xAA, 0x1100: 0xFF}
	for a, v := range want {
		if mem[a] != v {
			t.Errorf("mem[%#x] = %#02x, want %#02x", a, mem[a], v)
		}
	}
	b.cmd(0x06)
	b.cmd(0x02, 0, 0x10, 0xFE, 0x3C) // programming only clears bits
	b.waitIdle()
	if mem[0x10FE] != 0xF0&0x3C {
		t.Errorf("reprogrammed byte %#02x, want %#02x", mem[0x10FE], 0xF0&0x3C)
	}
	if err := b.fake.Err(); err == nil || !strings.Contains(err.Error(), "crosses a page") {
		t.Errorf("Err() = %v, want the page crossing reported", err)
	}
}

func TestWriteEnableEnforced(t *testing.T) {
	b := newBoard(t)
	old := b.fake.Flash.Mem[0]
	b.cmd(0x02, 0, 0, 0, ^old) // no write enable
	b.cmd(0xD8, 0, 0, 0)
	if b.fake.Flash.Mem[0] != old || b.fake.Flash.Busy() {
		t.Error("program or erase without write enable took effect")
	}
	if err := b.fake.Err(); err == nil || !strings.Contains(err.Error(), "without write enable") {
		t.Errorf("Err() = %v, want missing write enable reported", err)
	}
}

func TestBusyForPolls(t *testing.T) {
	b := newBoard(t)
	b.cmd(0x06)
	b.cmd(0x20, 0, 0, 0)
	busy := 0
	for range 10 {
		b.write(0x80, csLow, dirBus, 0x31, 1, 0, 0x05, 0, 0x80, csHigh, dirBus)
		if b.read()[1]&1 != 0 {
			busy++
		}
	}
	if busy != 5 {
		t.Errorf("busy for %d status polls after an erase, want 5", busy)
	}
}

func TestJEDECAndBadCommandEcho(t *testing.T) {
	b := newBoard(t)
	b.write(0xAA, 0x80, csLow, dirBus, 0x31, 3, 0, 0x9F, 0, 0, 0, 0x80, csHigh, dirBus, 0x81, 0x87)
	got := b.read()
	// ADBUS: CS high, SCK, MOSI and CRESET_B low; the inputs read high but for CDONE.
	adbus := byte(flashtest.PinCS | flashtest.PinMISO | 0x08 | 0x20)
	want := []byte{0xFA, 0xAA, 0xFF, 0xEF, 0x40, 0x18, adbus}
	if !bytes.Equal(got, want) {
		t.Errorf("replies % x, want % x", got, want)
	}
}

func TestUnknownOpcode(t *testing.T) {
	fake := flashtest.New(flashtest.HX8K())
	if _, err := fake.WriteBulk(context.Background(), []byte{0x80, 0, 0}); err == nil {
		t.Error("a write outside MPSSE mode was taken")
	}
	fake.Control(0x40, 0x0B, 0x0200, 1, nil)
	if _, err := fake.WriteBulk(context.Background(), []byte{0x8A, 0x8B}); err == nil || !strings.Contains(err.Error(), "0x8b") {
		t.Errorf("opcode 0x8B: %v, want an unknown opcode error", err)
	}
	if _, err := fake.Control(0x40, 0x0B, 0x0200, 2, nil); err == nil {
		t.Error("a control transfer to channel B was taken")
	}
}

func TestSplitCommands(t *testing.T) {
	// A command may straddle bulk transfers.
	b := newBoard(t)
	for _, c := range []byte{0x80, csLow, dirBus, 0x31, 3, 0, 0x9F, 0, 0, 0, 0x80, csHigh} {
		b.write(c)
	}
	b.write(dirBus)
	if got := b.read(); !bytes.Equal(got, []byte{0xFF, 0xEF, 0x40, 0x18}) {
		t.Errorf("JEDEC ID over split writes: % x", got)
	}
	if err := b.fake.Err(); err != nil {
		t.Error(err)
	}
}
