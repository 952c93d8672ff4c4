package flash_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/linerate/linerate/hostdrv/flash"
	"github.com/linerate/linerate/hostdrv/flash/flashtest"
)

var _ flash.USB = (*flashtest.FT2232H)(nil)

// bitstream returns an n-byte stand-in for an iCE40 bitstream: a comment, the sync word and
// random bytes.
func bitstream(n int, seed uint64) []byte {
	b := []byte{0xFF, 0x00}
	b = append(b, "linerate test"...)
	b = append(b, 0x00, 0xFF, 0x7E, 0xAA, 0x99, 0x7E)
	r := rand.New(rand.NewPCG(seed, 2))
	for len(b) < n {
		b = append(b, byte(r.Uint32()))
	}
	return b[:n]
}

// progressLog records progress calls and checks that each stage counts up to its total.
type progressLog struct {
	calls map[string][][2]int
}

func (p *progressLog) fn(stage string, done, total int) {
	if p.calls == nil {
		p.calls = map[string][][2]int{}
	}
	p.calls[stage] = append(p.calls[stage], [2]int{done, total})
}

func (p *progressLog) check(t *testing.T, stage string, total int) {
	t.Helper()
	c := p.calls[stage]
	if len(c) < 2 || c[0][0] != 0 || c[len(c)-1] != [2]int{total, total} {
		t.Errorf("progress %q: %d calls, first %v, last %v; want 0 .. %d of %d", stage, len(c), first(c), last(c), total, total)
		return
	}
	for i := 1; i < len(c); i++ {
		if c[i][0] < c[i-1][0] || c[i][1] != total {
			t.Errorf("progress %q: %v after %v", stage, c[i], c[i-1])
		}
	}
}

func first(c [][2]int) any {
	if len(c) == 0 {
		return nil
	}
	return c[0]
}

func last(c [][2]int) any {
	if len(c) == 0 {
		return nil
	}
	return c[len(c)-1]
}

// open returns a Programmer over a fake board, on the fake's virtual clock.
func open(t *testing.T, cfg flashtest.Config, opt flash.Options) (*flash.Programmer, *flashtest.FT2232H) {
	t.Helper()
	fake := flashtest.New(cfg)
	if opt.Sleep == nil {
		opt.Sleep = fake.Sleep
	}
	p, err := flash.New(context.Background(), fake, opt)
	if err != nil {
		t.Fatalf("New: %v\n%v", err, fake.Err())
	}
	t.Cleanup(func() { p.Close() })
	return p, fake
}

// checkReleased checks that the FPGA is out of reset and the FTDI off the SPI bus.
func checkReleased(t *testing.T, fake *flashtest.FT2232H) {
	t.Helper()
	if val, dir := fake.Pins(); dir != flashtest.PinCRESET || val&flashtest.PinCRESET == 0 {
		t.Errorf("ADBUS value %#02x, direction %#02x: want only CRESET_B driven, high", val, dir)
	}
}

func TestOpenSequence(t *testing.T) {
	fake := flashtest.New(flashtest.ICEBreaker())
	p, err := flash.New(context.Background(), fake, flash.Options{Sleep: fake.Sleep})
	if err != nil {
		t.Fatal(err)
	}
	want := []flashtest.Control{
		{RType: 0x40, Req: 0x00, Val: 0, Idx: 1},      // reset
		{RType: 0x40, Req: 0x00, Val: 1, Idx: 1},      // purge
		{RType: 0x40, Req: 0x00, Val: 2, Idx: 1},      // purge
		{RType: 0x40, Req: 0x09, Val: 1, Idx: 1},      // latency timer 1 ms
		{RType: 0x40, Req: 0x0B, Val: 0x0000, Idx: 1}, // bit mode reset
		{RType: 0x40, Req: 0x0B, Val: 0x0200, Idx: 1}, // bit mode MPSSE
	}
	if got := fake.Controls(); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("control transfers at open:\n got %v\nwant %v", got, want)
	}
	wantWrites := [][]byte{
		{0xAA, 0x87}, // bogus opcode, send immediate: sync on the 0xFA 0xAA answer
		{
			0x8A,             // divide by 5 off: 60 MHz
			0x97,             // adaptive clocking off
			0x8D,             // 3-phase clocking off
			0x86, 0x04, 0x00, // divisor 4: 6 MHz
			0x85,             // loopback off
			0x80, 0x90, 0x00, // SCK low, CS and CRESET_B high, all inputs
		},
	}
	if got := fake.Writes(); fmt.Sprintf("% x", got) != fmt.Sprintf("% x", wantWrites) {
		t.Errorf("MPSSE commands at open:\n got % x\nwant % x", got, wantWrites)
	}
	if hz := fake.SCKHz(); hz != 6_000_000 {
		t.Errorf("SCK %d Hz, want 6 MHz", hz)
	}
	if fake.FPGA.Resets != 0 {
		t.Errorf("open reset the FPGA")
	}
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	c := fake.Controls()
	if last := c[len(c)-1]; last != (flashtest.Control{RType: 0x40, Req: 0x0B, Val: 0, Idx: 1}) || !fake.Closed() {
		t.Errorf("Close: last control %v, closed %v; want a bit mode reset, closed", last, fake.Closed())
	}
	if err := fake.Err(); err != nil {
		t.Error(err)
	}
}

func TestFlash(t *testing.T) {
	for _, board := range []struct {
		name string
		cfg  flashtest.Config
	}{{"icebreaker", flashtest.ICEBreaker()}, {"hx8k", flashtest.HX8K()}} {
		t.Run(board.name, func(t *testing.T) {
			var prog progressLog
			p, fake := open(t, board.cfg, flash.Options{Progress: prog.fn})
			old := bytes.Clone(fake.Flash.Mem)
			image := bitstream(100<<10, 1)
			if err := p.Flash(context.Background(), image); err != nil {
				t.Fatalf("%v\n%v", err, fake.Err())
			}
			if err := fake.Err(); err != nil {
				t.Fatal(err)
			}
			mem := fake.Flash.Mem
			if i := bytes.Compare(mem[:len(image)], image); i != 0 {
				t.Fatalf("flash does not hold the image")
			}
			if !bytes.Equal(mem[len(image):], old[len(image):]) {
				t.Errorf("flash changed past the image (which ends on a sector boundary)")
			}
			if fake.Flash.Erases64K != 1 || fake.Flash.Erases4K != 9 || fake.Flash.Programs != 400 {
				t.Errorf("%d block and %d sector erases, %d page programs; want 1, 9, 400",
					fake.Flash.Erases64K, fake.Flash.Erases4K, fake.Flash.Programs)
			}
			if !fake.FPGA.Configured() || fake.FPGA.Mode() != "flash" || fake.FPGA.Boots != 1 {
				t.Errorf("FPGA configured %v, mode %s, boots %d; want true, flash, 1",
					fake.FPGA.Configured(), fake.FPGA.Mode(), fake.FPGA.Boots)
			}
			checkReleased(t, fake)
			prog.check(t, "erase", len(image))
			prog.check(t, "write", len(image))
			prog.check(t, "verify", len(image))
			if done, err := p.CDONE(context.Background()); err != nil || !done {
				t.Errorf("CDONE after Flash: %v, %v", done, err)
			}
		})
	}
}

func TestFlashUnaligned(t *testing.T) {
	for _, n := range []int{32, 255, 256, 257, 4095, 4097, 65535, 65537, 104090, 135100} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			p, fake := open(t, flashtest.Config{JEDEC: 0xEF4018, Seed: uint64(n)}, flash.Options{})
			old := bytes.Clone(fake.Flash.Mem)
			image := bitstream(n, uint64(n))
			if err := p.Flash(context.Background(), image); err != nil {
				t.Fatalf("%v\n%v", err, fake.Err())
			}
			if err := fake.Err(); err != nil {
				t.Fatal(err)
			}
			mem := fake.Flash.Mem
			end := (n + 4095) &^ 4095
			if !bytes.Equal(mem[:n], image) {
				t.Errorf("flash does not hold the image")
			}
			if !bytes.Equal(mem[n:end], bytes.Repeat([]byte{0xFF}, end-n)) {
				t.Errorf("the rest of the last sector is not erased")
			}
			if !bytes.Equal(mem[end:], old[end:]) {
				t.Errorf("flash changed past the last sector of the image")
			}
			if !fake.FPGA.Configured() {
				t.Errorf("FPGA not configured")
			}
		})
	}
}

func TestFlashVerifyError(t *testing.T) {
	p, fake := open(t, flashtest.HX8K(), flash.Options{})
	fake.Flash.CorruptAt = 70001
	err := p.Flash(context.Background(), bitstream(100<<10, 3))
	var ve *flash.VerifyError
	if !errors.Is(err, flash.ErrVerify) || !errors.As(err, &ve) || ve.Offset != 70001 {
		t.Fatalf("Flash with a bad cell at 70001: %v; want a VerifyError at 70001", err)
	}
	if ve.Got^ve.Want != 0x10 {
		t.Errorf("VerifyError %+v: want the bytes to differ in bit 4", ve)
	}
	if !strings.Contains(err.Error(), "0x011171") {
		t.Errorf("error %q does not name the offset", err)
	}
	checkReleased(t, fake)
}

func TestFlashNoFlash(t *testing.T) {
	for _, low := range []bool{false, true} {
		p, fake := open(t, flashtest.Config{MISOLow: low}, flash.Options{})
		err := p.Flash(context.Background(), bitstream(1000, 4))
		if !errors.Is(err, flash.ErrNoDevice) || !strings.Contains(err.Error(), "no flash answers") {
			t.Errorf("MISO low %v: %v; want ErrNoDevice, no flash answers", low, err)
		}
		checkReleased(t, fake)
	}
}

func TestFlashWrongJEDEC(t *testing.T) {
	p, fake := open(t, flashtest.Config{JEDEC: 0x123456}, flash.Options{})
	err := p.Flash(context.Background(), bitstream(1000, 5))
	if !errors.Is(err, flash.ErrWrongDevice) || !strings.Contains(err.Error(), "123456") {
		t.Errorf("%v; want ErrWrongDevice naming the ID", err)
	}
	if fake.Flash.Erases4K+fake.Flash.Erases64K+fake.Flash.Programs != 0 {
		t.Errorf("an unknown flash was erased or programmed")
	}
}

func TestFlashCDONELow(t *testing.T) {
	p, fake := open(t, flashtest.ICEBreaker(), flash.Options{})
	fake.FPGA.StuckLow = true
	image := bitstream(50000, 6)
	err := p.Flash(context.Background(), image)
	if !errors.Is(err, flash.ErrNotConfigured) || !strings.Contains(err.Error(), "FPGA did not configure") {
		t.Fatalf("%v; want ErrNotConfigured", err)
	}
	if !bytes.Equal(fake.Flash.Mem[:len(image)], image) {
		t.Errorf("flash does not hold the image")
	}
	if err := fake.Err(); err != nil {
		t.Error(err)
	}

	// An image that is no bitstream: the error says so.
	p, _ = open(t, flashtest.ICEBreaker(), flash.Options{})
	err = p.Flash(context.Background(), bytes.Repeat([]byte("not a bitstream"), 100))
	if !errors.Is(err, flash.ErrNotConfigured) || !strings.Contains(err.Error(), "sync word") {
		t.Errorf("%v; want ErrNotConfigured with a hint about the sync word", err)
	}
}

func TestFlashWakesPoweredDownFlash(t *testing.T) {
	p, fake := open(t, flashtest.HX8K(), flash.Options{})
	fake.Flash.PowerDown = true
	image := bitstream(5000, 7)
	if err := p.Flash(context.Background(), image); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(fake.Flash.Mem[:len(image)], image) || fake.Flash.PowerDown {
		t.Errorf("flash not woken and written")
	}
}

func TestFlashWriteProtected(t *testing.T) {
	p, fake := open(t, flashtest.ICEBreaker(), flash.Options{})
	fake.Flash.Protect = 0x1C
	err := p.Flash(context.Background(), bitstream(5000, 8))
	if err == nil || !strings.Contains(err.Error(), "write-protected") {
		t.Errorf("%v; want a write-protected error", err)
	}
	if fake.Flash.Erases4K+fake.Flash.Erases64K != 0 {
		t.Errorf("a protected flash was erased")
	}
}

func TestFlashTooBig(t *testing.T) {
	p, fake := open(t, flashtest.HX8K(), flash.Options{})
	err := p.Flash(context.Background(), bitstream(4<<20+1, 9))
	if err == nil || !strings.Contains(err.Error(), "does not fit") {
		t.Errorf("%v; want does not fit", err)
	}
	if fake.Flash.Erases4K+fake.Flash.Erases64K != 0 {
		t.Errorf("erased before finding the image too big")
	}
}

func TestFlashBusyTimeout(t *testing.T) {
	p, fake := open(t, flashtest.ICEBreaker(), flash.Options{})
	fake.Flash.StuckBusy = true
	err := p.Flash(context.Background(), bitstream(5000, 10))
	if !errors.Is(err, flash.ErrTimeout) || !strings.Contains(err.Error(), "erase") {
		t.Errorf("%v; want ErrTimeout in erase", err)
	}
	checkReleased(t, fake)
}

func TestFlashCancelMidErase(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	p, fake := open(t, flashtest.ICEBreaker(), flash.Options{
		Progress: func(stage string, done, total int) {
			if stage == "erase" && done > 0 {
				cancel()
			}
		},
	})
	err := p.Flash(ctx, bitstream(1<<20, 11)) // 16 block erases
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("%v; want context.Canceled", err)
	}
	if n := fake.Flash.Erases64K; n != 1 || fake.Flash.Programs != 0 {
		t.Errorf("%d block erases and %d programs after a cancel in the first erase's progress", n, fake.Flash.Programs)
	}
	checkReleased(t, fake)
}

func TestFlashDeadlineRealTime(t *testing.T) {
	// Real sleeps, a flash that never finishes erasing: the context's deadline ends it.
	fake := flashtest.New(flashtest.ICEBreaker())
	p, err := flash.New(context.Background(), fake, flash.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	fake.Flash.StuckBusy = true
	ctx, cancel := context.WithTimeout(context.Background(), 50e6) // 50 ms
	defer cancel()
	if err := p.Flash(ctx, bitstream(5000, 12)); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("%v; want context.DeadlineExceeded", err)
	}
	checkReleased(t, fake)
}

func TestIdentify(t *testing.T) {
	for _, tc := range []struct {
		cfg  flashtest.Config
		want string
	}{
		{flashtest.ICEBreaker(), "Winbond W25Q128 (JEDEC ef4018, 16384 KiB)"},
		{flashtest.HX8K(), "Micron N25Q032 (JEDEC 20ba16, 4096 KiB)"},
	} {
		p, fake := open(t, tc.cfg, flash.Options{})
		chip, err := p.Identify(context.Background())
		if err != nil || chip.String() != tc.want {
			t.Errorf("Identify: %v, %v; want %s", chip, err, tc.want)
		}
		checkReleased(t, fake)
		if err := fake.Err(); err != nil {
			t.Error(err)
		}
	}
}

func TestLoadSRAM(t *testing.T) {
	var prog progressLog
	p, fake := open(t, flashtest.ICEBreaker(), flash.Options{Progress: prog.fn})
	old := bytes.Clone(fake.Flash.Mem)
	image := bitstream(104090, 13)
	if err := p.LoadSRAM(context.Background(), image); err != nil {
		t.Fatalf("%v\n%v", err, fake.Err())
	}
	if err := fake.Err(); err != nil {
		t.Fatal(err)
	}
	fpga := fake.FPGA
	if !bytes.Equal(fpga.SRAM, image) {
		t.Errorf("the FPGA received %d bytes, not the %d-byte bitstream", len(fpga.SRAM), len(image))
	}
	if fpga.Resets != 1 || fpga.Mode() != "sram" || !fpga.Configured() {
		t.Errorf("FPGA resets %d, mode %s, configured %v; want 1, sram, true", fpga.Resets, fpga.Mode(), fpga.Configured())
	}
	if fpga.Leading < 8 || fpga.Trailing < 49 {
		t.Errorf("%d dummy clocks before the bitstream and %d after; want at least 8 and 49", fpga.Leading, fpga.Trailing)
	}
	if !bytes.Equal(fake.Flash.Mem, old) || fake.Flash.Erases4K+fake.Flash.Erases64K+fake.Flash.Programs != 0 {
		t.Errorf("SRAM mode changed the flash")
	}
	checkReleased(t, fake)
	prog.check(t, "sram", len(image))
}

func TestLoadSRAMNotConfigured(t *testing.T) {
	p, fake := open(t, flashtest.HX8K(), flash.Options{})
	fake.FPGA.StuckLow = true
	err := p.LoadSRAM(context.Background(), bitstream(20000, 14))
	if !errors.Is(err, flash.ErrNotConfigured) || !strings.Contains(err.Error(), "SRAM") {
		t.Errorf("%v; want ErrNotConfigured in SRAM mode", err)
	}
	checkReleased(t, fake)
}

// silentUSB is an FTDI channel that accepts everything and never answers.
type silentUSB struct{}

func (silentUSB) Control(uint8, uint8, uint16, uint16, []byte) (int, error) { return 0, nil }
func (silentUSB) WriteBulk(_ context.Context, p []byte) (int, error)        { return len(p), nil }
func (silentUSB) ReadBulk(_ context.Context, p []byte) (int, error) {
	return copy(p, []byte{0x32, 0x60}), nil
}
func (silentUSB) Close() error { return nil }

func TestNewNoMPSSE(t *testing.T) {
	_, err := flash.New(context.Background(), silentUSB{}, flash.Options{ReplyTimeout: 20e6})
	if !errors.Is(err, flash.ErrTimeout) || !strings.Contains(err.Error(), "sync") {
		t.Errorf("%v; want ErrTimeout in sync", err)
	}
}
