// Package flashtest is a fake iCE40 board for the tests of package flash: an FT2232H whose
// channel A decodes the MPSSE command stream and drives simulated pins, with an SPI NOR flash
// chip and an iCE40 on them, wired as on the iCEBreaker and the iCE40-HX8K breakout.
//
// The fake is strict: besides behaving like the hardware (a flash ignores a program without
// write enable, an iCE40 stays unconfigured without its dummy clocks), it records every such
// misuse, and Err reports them, so a test of a working sequence ends with
// `if err := fake.Err(); err != nil`. Time is virtual: it advances only through Sleep, which
// the code under test uses to wait.
package flashtest

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"
)

// ADBUS pins, as wired on the boards.
const (
	PinSCK    = 1 << 0
	PinMOSI   = 1 << 1
	PinMISO   = 1 << 2
	PinCS     = 1 << 4
	PinCDONE  = 1 << 6
	PinCRESET = 1 << 7
)

// Config describes a fake board.
type Config struct {
	// JEDEC is the flash chip's ID; 0 means no flash answers on the bus.
	JEDEC uint32
	// MISOLow makes a bus without a flash read 0x00 rather than 0xFF (a pull-down).
	MISOLow bool
	// ProgramPolls and ErasePolls are the status polls for which the flash stays busy after
	// a page program and an erase (default 2 and 5).
	ProgramPolls, ErasePolls int
	// BootTime is how long the iCE40 takes to configure from flash (default 30 ms).
	BootTime time.Duration
	// Seed fills the flash with pseudo-random old contents.
	Seed uint64
}

// ICEBreaker is an iCEBreaker: a Winbond W25Q128 (16 MiB).
func ICEBreaker() Config { return Config{JEDEC: 0xEF4018} }

// HX8K is a Lattice iCE40-HX8K breakout: a Micron N25Q032 (4 MiB).
func HX8K() Config { return Config{JEDEC: 0x20BA16} }

// Control is one control transfer the fake received.
type Control struct {
	RType, Req uint8
	Val, Idx   uint16
}

func (c Control) String() string {
	return fmt.Sprintf("{%#02x %#02x %#04x %#04x}", c.RType, c.Req, c.Val, c.Idx)
}

// FT2232H is the fake chip with the board behind it. Its methods are safe for concurrent use;
// Flash and FPGA may be read once the code under test has returned.
type FT2232H struct {
	Flash *Flash // nil when Config.JEDEC is 0
	FPGA  *ICE40

	mu       sync.Mutex
	cfg      Config
	now      time.Duration
	controls []Control
	writes   [][]byte
	issues   []string
	closed   bool

	mpsse   bool
	div5    bool
	divisor uint16

	val, dir byte   // ADBUS as set by 0x80
	pending  []byte // command bytes not yet complete
	offset   int    // of pending[0] in the stream since the last reset
	out      []byte // reply bytes not yet read
	reads    int
}

// New returns a fake board; all of channel A's pins are inputs, as after power-up.
func New(cfg Config) *FT2232H {
	if cfg.ProgramPolls == 0 {
		cfg.ProgramPolls = 2
	}
	if cfg.ErasePolls == 0 {
		cfg.ErasePolls = 5
	}
	if cfg.BootTime == 0 {
		cfg.BootTime = 30 * time.Millisecond
	}
	f := &FT2232H{cfg: cfg}
	if cfg.JEDEC != 0 {
		f.Flash = newFlash(cfg, f.issue)
	}
	// Powered up with CRESET_B and SPI_SS_B pulled high, the iCE40 boots from its flash.
	f.FPGA = &ICE40{bootTime: cfg.BootTime, issue: f.issue, flash: f.Flash, mode: modeMaster}
	f.FPGA.bootOK = f.Flash != nil && hasSync(f.Flash.Mem)
	f.resetMPSSE()
	return f
}

func (f *FT2232H) issue(format string, args ...any) {
	f.issues = append(f.issues, fmt.Sprintf("t=%v: ", f.now)+fmt.Sprintf(format, args...))
}

// Err reports every misuse seen so far, or nil.
func (f *FT2232H) Err() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.issues) == 0 {
		return nil
	}
	return errors.New("fake FT2232H: " + strings.Join(f.issues, "\n\t"))
}

// Controls returns the control transfers received, in order.
func (f *FT2232H) Controls() []Control {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Control(nil), f.controls...)
}

// Writes returns the bulk OUT transfers received, in order.
func (f *FT2232H) Writes() [][]byte {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([][]byte(nil), f.writes...)
}

// Closed reports whether Close was called.
func (f *FT2232H) Closed() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.closed
}

// Now is the virtual time.
func (f *FT2232H) Now() time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

// Sleep advances the virtual time by d, or returns ctx's error if it has ended.
func (f *FT2232H) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.now += d
	return nil
}

// SCKHz is the SPI clock the MPSSE is set up for.
func (f *FT2232H) SCKHz() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	base := 60_000_000
	if f.div5 {
		base /= 5
	}
	return base / (2 * (1 + int(f.divisor)))
}

// Pins returns ADBUS as last set: values and directions (1 = output).
func (f *FT2232H) Pins() (val, dir byte) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.val, f.dir
}

// Control handles the FTDI vendor requests the flash package sends, for channel A.
func (f *FT2232H) Control(rType, req uint8, val, idx uint16, data []byte) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.controls = append(f.controls, Control{rType, req, val, idx})
	switch {
	case f.closed:
		return 0, errors.New("fake FT2232H: closed")
	case rType != 0x40:
		return 0, fmt.Errorf("fake FT2232H: request type %#02x, want 0x40 (vendor, out)", rType)
	case idx != 1:
		return 0, fmt.Errorf("fake FT2232H: wIndex %d, want 1 (channel A)", idx)
	}
	switch req {
	case 0x00: // reset, purges
		switch val {
		case 0:
			f.pending, f.out, f.offset = nil, nil, 0
		case 1, 2:
			f.out = nil
			if val == 2 {
				f.pending, f.offset = nil, 0
			}
		default:
			return 0, fmt.Errorf("fake FT2232H: reset with value %d", val)
		}
	case 0x09: // latency timer: this fake answers at once anyway
	case 0x0B: // bit mode
		switch mode := val >> 8; mode {
		case 0x00:
			f.mpsse = false
			f.setLow(f.val, 0) // every pin an input
		case 0x02:
			f.mpsse = true
			f.resetMPSSE()
		default:
			return 0, fmt.Errorf("fake FT2232H: bit mode %#02x not modelled", mode)
		}
	default:
		return 0, fmt.Errorf("fake FT2232H: request %#02x not modelled", req)
	}
	return 0, nil
}

// resetMPSSE gives the MPSSE its power-on clock: 12 MHz (60 MHz divided by 5).
func (f *FT2232H) resetMPSSE() {
	f.div5, f.divisor = true, 0
	f.pending, f.offset = nil, 0
}

// WriteBulk takes MPSSE commands. An unknown opcode is an error (and an issue).
func (f *FT2232H) WriteBulk(ctx context.Context, p []byte) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	switch {
	case f.closed:
		return 0, errors.New("fake FT2232H: closed")
	case !f.mpsse:
		f.issue("bulk OUT of %d bytes with channel A not in MPSSE mode", len(p))
		return 0, errors.New("fake FT2232H: not in MPSSE mode")
	}
	f.writes = append(f.writes, append([]byte(nil), p...))
	f.pending = append(f.pending, p...)
	if err := f.decode(); err != nil {
		f.issue("%v", err)
		return 0, fmt.Errorf("fake FT2232H: %w", err)
	}
	return len(p), nil
}

// readLimits cycles the payload bytes each ReadBulk hands out, so the reader meets status-only
// packets, short packets and transfers of several packets.
var readLimits = []int{1 << 30, 0, 1, 509, 510, 511, 0, 1 << 30, 3}

// ReadBulk returns reply bytes as the chip does: in packets of 512 bytes, each starting with
// two status bytes; a status-only packet when nothing is due.
func (f *FT2232H) ReadBulk(ctx context.Context, p []byte) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		return 0, errors.New("fake FT2232H: closed")
	}
	if len(p) < 2 {
		return 0, fmt.Errorf("fake FT2232H: read buffer of %d bytes", len(p))
	}
	const packet, status = 512, 2
	room := len(p)/packet*(packet-status) + max(0, len(p)%packet-status)
	n := min(len(f.out), room, readLimits[f.reads%len(readLimits)])
	f.reads++
	payload := f.out[:n]
	f.out = f.out[n:]
	w := 0
	for {
		k := min(len(payload), packet-status)
		w += copy(p[w:], []byte{0x32, 0x60})
		w += copy(p[w:], payload[:k])
		payload = payload[k:]
		if len(payload) == 0 {
			return w, nil
		}
	}
}

// Close marks the fake closed.
func (f *FT2232H) Close() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		return errors.New("fake FT2232H: closed twice")
	}
	f.closed = true
	return nil
}

// decode runs every complete command in f.pending.
func (f *FT2232H) decode() error {
	for len(f.pending) > 0 {
		op := f.pending[0]
		need := 1
		switch op {
		case 0x80, 0x86:
			need = 3
		case 0x11, 0x31:
			if len(f.pending) < 3 {
				return nil
			}
			need = 3 + int(binary.LittleEndian.Uint16(f.pending[1:3])) + 1
		case 0x81, 0x85, 0x87, 0x8A, 0x8D, 0x97:
		case 0xAA, 0xAB: // bogus opcodes sent on purpose to sync
		default:
			return fmt.Errorf("unknown MPSSE opcode %#02x at stream offset %d", op, f.offset)
		}
		if len(f.pending) < need {
			return nil
		}
		cmd := f.pending[:need]
		f.pending = f.pending[need:]
		f.offset += need
		f.exec(cmd)
	}
	return nil
}

func (f *FT2232H) exec(cmd []byte) {
	switch cmd[0] {
	case 0x80:
		f.setLow(cmd[1], cmd[2])
	case 0x81:
		f.out = append(f.out, f.readLow())
	case 0x86:
		f.divisor = binary.LittleEndian.Uint16(cmd[1:])
	case 0x87: // replies are always available at once
	case 0x8A:
		f.div5 = false
	case 0x85, 0x8D, 0x97: // loopback, 3-phase and adaptive clocking off: off at power-up too
	case 0xAA, 0xAB:
		f.out = append(f.out, 0xFA, cmd[0])
	case 0x11, 0x31:
		for _, b := range cmd[3:] {
			in := f.clock(b)
			if cmd[0] == 0x31 {
				f.out = append(f.out, in)
			}
		}
	}
}

// level is a pin's level: driven if an output; CS and CRESET_B have pull-ups on the boards,
// and the other inputs read high too.
func (f *FT2232H) level(pin byte) bool {
	if f.dir&pin != 0 {
		return f.val&pin != 0
	}
	return true
}

func (f *FT2232H) setLow(val, dir byte) {
	cs0, rst0 := f.level(PinCS), f.level(PinCRESET)
	f.val, f.dir = val, dir
	cs1, rst1 := f.level(PinCS), f.level(PinCRESET)
	if dir&(PinMISO|PinCDONE) != 0 {
		f.issue("ADBUS direction %#02x drives an input (MISO or CDONE) against the board", dir)
	}
	switch {
	case rst0 && !rst1:
		f.FPGA.reset()
	case !rst0 && rst1:
		f.FPGA.release(f.now, cs1)
	}
	if cs0 != cs1 && f.Flash != nil {
		if cs1 {
			f.Flash.deselect()
		} else {
			f.Flash.selectChip()
		}
	}
	if f.FPGA.booting(f.now) && dir&(PinSCK|PinMOSI|PinCS) != 0 {
		f.issue("the FTDI drives the SPI bus (direction %#02x) while the iCE40 boots from flash", dir)
	}
}

func (f *FT2232H) readLow() byte {
	v := f.val&f.dir | ^f.dir
	if !f.FPGA.cdone(f.now) {
		v &^= PinCDONE
	}
	return v
}

// clock shifts one byte out on MOSI and returns the byte on MISO, in SPI mode 0.
func (f *FT2232H) clock(mosi byte) byte {
	switch {
	case f.dir&(PinSCK|PinMOSI) != PinSCK|PinMOSI:
		f.issue("SPI clocked with SCK or MOSI not an output (direction %#02x)", f.dir)
	case f.val&PinSCK != 0:
		f.issue("SPI clocked with SCK idling high: mode 0 wants it low")
	}
	cs, rst := f.level(PinCS), f.level(PinCRESET)
	if !cs && rst && f.FPGA.mode == modeMaster {
		f.issue("flash selected with CRESET_B high: the iCE40 may be driving the bus")
	}
	f.FPGA.clock(mosi, cs, f.now)
	switch {
	case !cs && f.Flash != nil:
		return f.Flash.shift(mosi)
	case f.cfg.MISOLow:
		return 0x00
	}
	return 0xFF
}
