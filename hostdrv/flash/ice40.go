package flash

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/linerate/linerate/hostdrv/ftdi"
)

// ADBUS pins of channel A (see the package comment).
const (
	pinSCK    = 1 << 0
	pinMOSI   = 1 << 1
	pinCS     = 1 << 4
	pinCDONE  = 1 << 6 // input
	pinCRESET = 1 << 7

	dirBus     = pinSCK | pinMOSI | pinCS | pinCRESET // the FTDI drives the SPI bus
	dirRelease = pinCRESET                            // only CRESET_B: the FPGA may drive the bus
)

// Defaults of Options.
const (
	DefaultSPIHz         = 6_000_000
	DefaultConfigTimeout = 2 * time.Second
)

// iCE40 timing (Lattice TN1248, SPI slave configuration) and CDONE polling.
const (
	resetHold    = time.Millisecond     // CRESET_B low: at least 200 ns
	sramClear    = 2 * time.Millisecond // after CRESET_B rises, before data: at least 1200 us
	cdonePoll    = 10 * time.Millisecond
	leadingBytes = 1 // 8 dummy clocks with SPI_SS_B high before the bitstream
	trailBytes   = 7 // 56 dummy clocks after it: at least 49 start the design
)

// syncWord starts every iCE40 bitstream (after an optional comment); it only serves to
// explain a failed configuration.
var syncWord = []byte{0x7E, 0xAA, 0x99, 0x7E}

// Options configure a Programmer. The zero value is the defaults.
type Options struct {
	// Progress, if not nil, is called as work advances, with stage "erase", "write",
	// "verify" (Flash) or "sram" (LoadSRAM), and done and total in bytes (for "erase", of
	// the whole 4 KiB sectors erased). Each stage starts with done 0 and ends at total.
	Progress func(stage string, done, total int)
	// SPIHz is the SPI clock (default 6 MHz, at most 30 MHz).
	SPIHz int
	// ConfigTimeout bounds the wait for CDONE after configuration (default 2 s).
	ConfigTimeout time.Duration
	// ReplyTimeout bounds the wait for the FTDI chip's replies (default 1 s).
	ReplyTimeout time.Duration
	// PacketSize is the bulk IN packet size (default 512, a high-speed FT2232H's).
	PacketSize int
	// Sleep waits d or until ctx ends; nil sleeps in real time. Tests pass a fake's
	// virtual clock.
	Sleep func(ctx context.Context, d time.Duration) error

	// VID, PID and Serial select the board for Open (default 0403:6010, any serial number).
	VID, PID uint16
	Serial   string
}

func (o *Options) defaults() {
	if o.SPIHz == 0 {
		o.SPIHz = DefaultSPIHz
	}
	if o.ConfigTimeout == 0 {
		o.ConfigTimeout = DefaultConfigTimeout
	}
	if o.ReplyTimeout == 0 {
		o.ReplyTimeout = defaultReply
	}
	if o.PacketSize == 0 {
		o.PacketSize = DefaultPacketSize
	}
	if o.Sleep == nil {
		o.Sleep = sleep
	}
	if o.VID == 0 && o.PID == 0 {
		o.VID, o.PID = VendorFTDI, ProductFT2232H
	}
}

// sleep waits d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Programmer configures an iCE40 board through channel A of its FT2232H. It is not safe for
// concurrent use.
type Programmer struct {
	usb USB
	m   *mpsse
	opt Options
}

// New sets channel A of an FT2232H up for MPSSE and checks that it answers. The board is
// not touched (every pin stays an input) until an operation needs it. Close releases usb.
func New(ctx context.Context, usb USB, opt Options) (*Programmer, error) {
	opt.defaults()
	if opt.PacketSize <= ftdi.StatusLen {
		return nil, fmt.Errorf("packet size %d: too small", opt.PacketSize)
	}
	m, err := newMPSSE(ctx, usb, opt.PacketSize, opt.ReplyTimeout, opt.SPIHz)
	if err != nil {
		return nil, err
	}
	return &Programmer{usb: usb, m: m, opt: opt}, nil
}

// Close puts channel A back in its default mode (every pin an input) and releases it.
func (p *Programmer) Close() error {
	_, err := p.usb.Control(ftdi.RequestOut, ftdi.ReqSetBitmode, ftdi.BitmodeReset<<8, chanA, nil)
	if err != nil {
		err = fmt.Errorf("ftdi reset bit mode: %w", err)
	}
	return errors.Join(err, p.usb.Close())
}

func (p *Programmer) progress(stage string, done, total int) {
	if p.opt.Progress != nil {
		p.opt.Progress(stage, done, total)
	}
}

// CDONE reads the FPGA's CDONE pin: true once it is configured.
func (p *Programmer) CDONE(ctx context.Context) (bool, error) {
	p.m.getLow()
	r, err := p.m.exchange(ctx)
	if err != nil {
		return false, fmt.Errorf("read CDONE: %w", err)
	}
	return r[0]&pinCDONE != 0, nil
}

// holdReset drives the bus with the FPGA in reset and the flash deselected, and returns the
// flash behind it.
func (p *Programmer) holdReset(ctx context.Context) (*spiFlash, error) {
	p.m.setLow(pinCS, dirBus)
	if _, err := p.m.exchange(ctx); err != nil {
		return nil, fmt.Errorf("hold FPGA in reset: %w", err)
	}
	if err := p.opt.Sleep(ctx, resetHold); err != nil {
		return nil, err
	}
	return &spiFlash{m: p.m, idle: pinCS, dir: dirBus, sleep: p.opt.Sleep}, nil
}

// release lets the FPGA go: CRESET_B high, every other pin an input, so the FPGA can read
// its flash (or run its design) without the FTDI driving the bus.
func (p *Programmer) release(ctx context.Context) error {
	p.m.setLow(pinCS|pinCRESET, dirRelease)
	if _, err := p.m.exchange(ctx); err != nil {
		return fmt.Errorf("release FPGA reset: %w", err)
	}
	return nil
}

// releaseAfterError releases the FPGA after a failure, even when ctx has ended.
func (p *Programmer) releaseAfterError(ctx context.Context) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), p.opt.ReplyTimeout)
	defer cancel()
	p.m.cmd, p.m.reply = p.m.cmd[:0], 0 // drop what a failed exchange may have left
	_ = p.release(ctx)
}

// waitCDONE polls CDONE until it is high or ConfigTimeout has passed.
func (p *Programmer) waitCDONE(ctx context.Context, what string, image []byte) error {
	var waited time.Duration
	for {
		done, err := p.CDONE(ctx)
		if err != nil {
			return err
		}
		if done {
			return nil
		}
		if waited >= p.opt.ConfigTimeout {
			hint := ""
			if !bytes.Contains(image[:min(len(image), 4096)], syncWord) {
				hint = fmt.Sprintf("; the image has no iCE40 sync word % x: is it a .bin from icepack?", syncWord)
			}
			return fmt.Errorf("%w: CDONE still low %v after %s%s", ErrNotConfigured, p.opt.ConfigTimeout, what, hint)
		}
		if err := p.opt.Sleep(ctx, cdonePoll); err != nil {
			return err
		}
		waited += cdonePoll
	}
}

// Identify holds the FPGA in reset, wakes the flash and reads its JEDEC ID, then lets the
// FPGA boot again.
func (p *Programmer) Identify(ctx context.Context) (chip Chip, err error) {
	defer func() {
		if err != nil {
			p.releaseAfterError(ctx)
		}
	}()
	f, err := p.holdReset(ctx)
	if err != nil {
		return Chip{}, err
	}
	if err := f.wake(ctx); err != nil {
		return Chip{}, err
	}
	if chip, err = f.identify(ctx); err != nil {
		return Chip{}, err
	}
	return chip, p.release(ctx)
}

// Flash writes image to the start of the flash and boots the FPGA from it: it holds the FPGA
// in reset, wakes the flash and checks its JEDEC ID, erases what the image covers (64 KiB
// blocks and 4 KiB sectors), programs it page by page, reads it back (a difference is a
// *VerifyError), then releases the FPGA and waits for CDONE (ErrNotConfigured if it stays
// low). On an error the FPGA is released too.
func (p *Programmer) Flash(ctx context.Context, image []byte) (err error) {
	if len(image) == 0 {
		return errors.New("flash: empty image")
	}
	defer func() {
		if err != nil {
			p.releaseAfterError(ctx)
			err = fmt.Errorf("flash: %w", err)
		}
	}()
	f, err := p.holdReset(ctx)
	if err != nil {
		return err
	}
	if err := f.wake(ctx); err != nil {
		return err
	}
	chip, err := f.identify(ctx)
	if err != nil {
		return err
	}
	if len(image) > min(chip.Size, maxAddr) {
		return fmt.Errorf("image of %d bytes does not fit the %s", len(image), chip)
	}
	st, err := f.status(ctx)
	if err != nil {
		return err
	}
	if st&statusBP != 0 {
		return fmt.Errorf("%s is write-protected (status register 0x%02x has block protect bits set)", chip, st)
	}
	if err := f.waitIdle(ctx, "flash busy before erase", st, pollErase, limitBlock); err != nil {
		return err
	}

	ops := planErase(len(image))
	total := ops[len(ops)-1].addr + ops[len(ops)-1].size
	p.progress("erase", 0, total)
	for _, op := range ops {
		if err := f.erase(ctx, op); err != nil {
			return err
		}
		p.progress("erase", op.addr+op.size, total)
	}

	p.progress("write", 0, len(image))
	for addr := 0; addr < len(image); {
		end := min(len(image), (addr/pageSize+1)*pageSize)
		if err := f.program(ctx, addr, image[addr:end]); err != nil {
			return err
		}
		addr = end
		p.progress("write", addr, len(image))
	}

	p.progress("verify", 0, len(image))
	for addr := 0; addr < len(image); {
		n := min(len(image)-addr, 16<<10)
		got, err := f.read(ctx, addr, n)
		if err != nil {
			return err
		}
		if i := firstDiff(got, image[addr:addr+n]); i >= 0 {
			return &VerifyError{Offset: addr + i, Want: image[addr+i], Got: got[i]}
		}
		addr += n
		p.progress("verify", addr, len(image))
	}

	if err := p.release(ctx); err != nil {
		return err
	}
	return p.waitCDONE(ctx, fmt.Sprintf("booting from the %s", chip), image)
}

// firstDiff gives the index of the first byte where a and b differ, or -1.
func firstDiff(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	if len(a) != len(b) {
		return min(len(a), len(b))
	}
	return -1
}

// LoadSRAM configures the FPGA directly with bitstream, without touching the flash, in the
// iCE40's SPI slave mode (Lattice TN1248; iceprog -S): CRESET_B low with SPI_SS_B low, then
// CRESET_B high, a wait for the configuration memory to clear, 8 clocks with SPI_SS_B high,
// the bitstream with SPI_SS_B low, 56 more clocks with SPI_SS_B high, and CDONE must be high
// (ErrNotConfigured if not). The board must be wired for it (see the package comment).
func (p *Programmer) LoadSRAM(ctx context.Context, bitstream []byte) (err error) {
	if len(bitstream) == 0 {
		return errors.New("sram: empty bitstream")
	}
	defer func() {
		if err != nil {
			p.releaseAfterError(ctx)
			err = fmt.Errorf("sram: %w", err)
		}
	}()
	p.m.setLow(0, dirBus) // SPI_SS_B low, CRESET_B low
	if _, err := p.m.exchange(ctx); err != nil {
		return fmt.Errorf("reset FPGA: %w", err)
	}
	if err := p.opt.Sleep(ctx, resetHold); err != nil {
		return err
	}
	p.m.setLow(pinCRESET, dirBus) // CRESET_B rises with SPI_SS_B low: SPI slave mode
	if _, err := p.m.exchange(ctx); err != nil {
		return fmt.Errorf("release FPGA reset: %w", err)
	}
	if err := p.opt.Sleep(ctx, sramClear); err != nil {
		return err
	}

	p.m.setLow(pinCRESET|pinCS, dirBus)
	p.m.spiWrite(make([]byte, leadingBytes))
	p.m.setLow(pinCRESET, dirBus)
	p.progress("sram", 0, len(bitstream))
	const chunk = 16 << 10
	for done := 0; done < len(bitstream); {
		n := min(len(bitstream)-done, chunk)
		p.m.spiWrite(bitstream[done : done+n])
		if _, err := p.m.exchange(ctx); err != nil {
			return fmt.Errorf("send bitstream at %d: %w", done, err)
		}
		done += n
		p.progress("sram", done, len(bitstream))
	}
	p.m.setLow(pinCRESET|pinCS, dirBus)
	p.m.spiWrite(make([]byte, trailBytes))
	if _, err := p.m.exchange(ctx); err != nil {
		return fmt.Errorf("dummy clocks: %w", err)
	}
	if err := p.waitCDONE(ctx, fmt.Sprintf("a %d-byte bitstream in SRAM mode (is the board wired for SRAM programming?)", len(bitstream)), bitstream); err != nil {
		return err
	}
	return p.release(ctx)
}
