package flashtest

import (
	"encoding/binary"
	"math/rand/v2"
)

// Flash is the SPI NOR flash on the fake board. It knows write enable (0x06), read status
// (0x05), JEDEC ID (0x9F), read (0x03), page program (0x02), 4 KiB and 64 KiB erase (0x20,
// 0xD8), deep power-down (0xB9) and its release (0xAB), and ignores other commands as a real
// chip does. As on a real chip, program and erase need the write enable latch (and clear it),
// the flash is busy after them (for a number of status polls here), a page program only
// clears bits and wraps within its 256-byte page, and a chip in deep power-down or busy
// ignores commands; the misuses are also issues.
type Flash struct {
	JEDEC uint32
	Mem   []byte // its contents: tests may set and inspect them

	// CorruptAt, if not negative, is an address whose reads return the stored byte with bit
	// 4 flipped: a bad cell.
	CorruptAt int
	// StuckBusy keeps the flash busy forever once it starts a program or erase.
	StuckBusy bool
	// Protect is status register bits BP0..BP2 (0x1C); with any set, program and erase do
	// nothing.
	Protect byte
	// PowerDown is deep power-down: only 0xAB is heard.
	PowerDown bool

	// What the fake saw:
	Erases4K, Erases64K, Programs int

	programPolls, erasePolls int
	in                       []byte // bytes since CS fell
	wel                      bool
	busy                     int  // status polls left with WIP set
	wip                      bool // WIP as reported by the current status command
	issue                    func(format string, args ...any)
}

func newFlash(cfg Config, issue func(string, ...any)) *Flash {
	size := 1 << (cfg.JEDEC & 0xFF)
	if cfg.JEDEC&0xFF < 0x10 || cfg.JEDEC&0xFF > 0x18 {
		size = 1 << 20
	}
	mem := make([]byte, size)
	var seed [32]byte
	binary.LittleEndian.PutUint64(seed[:], cfg.Seed)
	rand.NewChaCha8(seed).Read(mem)
	return &Flash{JEDEC: cfg.JEDEC, Mem: mem, CorruptAt: -1, programPolls: cfg.ProgramPolls,
		erasePolls: cfg.ErasePolls, issue: issue}
}

// Busy reports whether a program or erase is in progress.
func (f *Flash) Busy() bool { return f.busy > 0 || (f.StuckBusy && f.wip) }

// addr is the address in bytes 1..3 of a command.
func (f *Flash) addr(in []byte) int {
	return (int(in[1])<<16 | int(in[2])<<8 | int(in[3])) % len(f.Mem)
}

// shift takes one byte on SI and returns the byte on SO (0xFF while SO is high-impedance).
func (f *Flash) shift(b byte) byte {
	f.in = append(f.in, b)
	pos, cmd := len(f.in)-1, f.in[0]
	if f.PowerDown {
		return 0xFF
	}
	if f.Busy() && cmd != 0x05 {
		if pos == 0 {
			f.issue("flash command %#02x while busy: ignored", cmd)
		}
		return 0xFF
	}
	switch cmd {
	case 0x9F:
		switch {
		case pos == 0:
			return 0xFF
		case pos <= 3:
			return byte(f.JEDEC >> (8 * (3 - pos)))
		}
		return 0
	case 0x05:
		if pos == 0 {
			f.wip = f.busy > 0 || f.StuckBusy && f.wip
			if f.busy > 0 {
				f.busy--
			}
			return 0xFF
		}
		st := f.Protect
		if f.wip {
			st |= 0x01
		}
		if f.wel {
			st |= 0x02
		}
		return st
	case 0x03:
		if pos < 4 {
			return 0xFF
		}
		a := (f.addr(f.in) + pos - 4) % len(f.Mem)
		v := f.Mem[a]
		if a == f.CorruptAt {
			v ^= 0x10
		}
		return v
	}
	return 0xFF
}

// selectChip starts a command: CS fell.
func (f *Flash) selectChip() { f.in = f.in[:0] }

// deselect acts on the command that CS rising ends.
func (f *Flash) deselect() {
	in := f.in
	f.in = f.in[:0]
	if len(in) == 0 {
		return
	}
	cmd := in[0]
	if f.PowerDown {
		if cmd == 0xAB {
			f.PowerDown = false
		}
		return
	}
	if f.Busy() && cmd != 0x05 {
		return
	}
	switch cmd {
	case 0x06:
		if len(in) != 1 {
			f.issue("write enable of %d bytes: ignored", len(in))
			return
		}
		f.wel = true
	case 0x04:
		f.wel = false
	case 0xB9:
		f.PowerDown = true
	case 0x20, 0xD8:
		size := 4 << 10
		if cmd == 0xD8 {
			size = 64 << 10
		}
		if !f.writeOK(cmd, len(in) == 4) {
			return
		}
		a := f.addr(in) &^ (size - 1)
		if f.Protect == 0 {
			for i := a; i < a+size && i < len(f.Mem); i++ {
				f.Mem[i] = 0xFF
			}
		}
		if size == 4<<10 {
			f.Erases4K++
		} else {
			f.Erases64K++
		}
		f.startBusy(f.erasePolls)
	case 0x02:
		if !f.writeOK(cmd, len(in) >= 5) {
			return
		}
		a, data := f.addr(in), in[4:]
		if len(data) > 256 {
			f.issue("page program of %d bytes: only the last 256 are kept", len(data))
			data = data[len(data)-256:]
		}
		if a%256+len(data) > 256 {
			f.issue("page program of %d bytes at %#06x crosses a page: it wraps", len(data), a)
		}
		if f.Protect == 0 {
			base := a &^ 0xFF
			for i, b := range data {
				f.Mem[base|(a+i)&0xFF] &= b
			}
		}
		f.Programs++
		f.startBusy(f.programPolls)
	}
}

// writeOK checks a program or erase command: its length, and the write enable latch.
func (f *Flash) writeOK(cmd byte, lenOK bool) bool {
	switch {
	case !lenOK:
		f.issue("flash command %#02x of wrong length: ignored", cmd)
		return false
	case !f.wel:
		f.issue("flash command %#02x without write enable: ignored", cmd)
		return false
	}
	return true
}

func (f *Flash) startBusy(polls int) {
	f.wel = false
	f.busy = polls
	f.wip = f.StuckBusy
}
