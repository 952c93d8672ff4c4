// Package rv32 is the reference model of the management core (rtl/mgmt/lr_rv32.v): an RV32I
// interpreter with exactly the core's semantics, one instruction per Step, and the retire record
// the core's trace reports for it. The per-module test (cosim/vmod TestRV32) runs the same
// programs on both and compares the records instruction by instruction.
//
// Semantics (rtl/mgmt/README.md): the RV32I base ISA with FENCE as a no-op. ECALL, EBREAK, every
// encoding outside RV32I (CSR instructions, FENCE.I, reserved funct fields, ...), a misaligned
// load or store and a jump or taken branch to an address that is not 4-byte aligned trap: the
// instruction changes nothing and the hart halts. There are no CSRs, interrupts or privilege
// modes.
//
// The model is pure: no goroutines, clocks or I/O; memory is reached through the Bus interface,
// word by word with byte strobes, as the core's bus does. It never panics.
//
// The package also holds an instruction encoder (encode.go), so tests write programs without an
// assembler, and a disassembler (disasm.go) for mismatch reports.
package rv32

import (
	"encoding/binary"
	"fmt"
)

// Bus is the memory a hart reads and writes: 32-bit little-endian words at 4-byte aligned byte
// addresses, writes with one strobe bit per byte lane (bit i: bits 8i+7..8i of data).
type Bus interface {
	Read(addr uint32) uint32
	Write(addr uint32, data uint32, strb uint8)
}

// Mem is a Bus over a byte slice whose length is a power of two (at least 4): addresses wrap.
type Mem []byte

// NewMem returns a zeroed memory of size bytes, or an error when size is not a power of two >= 4.
func NewMem(size int) (Mem, error) {
	if size < 4 || size&(size-1) != 0 {
		return nil, fmt.Errorf("rv32: memory size %d is not a power of two >= 4", size)
	}
	return make(Mem, size), nil
}

func (m Mem) word(addr uint32) uint32 { return addr & uint32(len(m)-1) &^ 3 }

// Read returns the word at addr (its low two bits are ignored).
func (m Mem) Read(addr uint32) uint32 {
	return binary.LittleEndian.Uint32(m[m.word(addr):])
}

// Write stores the lanes of data selected by strb into the word at addr.
func (m Mem) Write(addr uint32, data uint32, strb uint8) {
	a := m.word(addr)
	for i := uint32(0); i < 4; i++ {
		if strb&(1<<i) != 0 {
			m[a+i] = byte(data >> (8 * i))
		}
	}
}

// Put writes words from addr on (a program, a table).
func (m Mem) Put(addr uint32, words ...uint32) {
	for i, w := range words {
		m.Write(addr+4*uint32(i), w, 0xF)
	}
}

// Cause says why an instruction trapped.
type Cause uint8

// The trap causes. The core raises one `trap` for all of them; the model tells them apart.
const (
	NoTrap              Cause = iota
	TrapIllegal               // not an RV32I instruction (or one the core leaves out)
	TrapEcall                 // ECALL
	TrapEbreak                // EBREAK
	TrapLoadMisaligned        // LH/LHU at an odd address, LW not 4-byte aligned
	TrapStoreMisaligned       // SH at an odd address, SW not 4-byte aligned
	TrapJumpMisaligned        // JAL, JALR or a taken branch to an address not 4-byte aligned
)

var causeNames = [...]string{"none", "illegal instruction", "ecall", "ebreak", "misaligned load",
	"misaligned store", "misaligned jump target"}

func (c Cause) String() string {
	if int(c) < len(causeNames) {
		return causeNames[c]
	}
	return fmt.Sprintf("cause(%d)", uint8(c))
}

// Retire is what one instruction did, as the core's retire trace reports it.
type Retire struct {
	PC   uint32
	Insn uint32
	Rd   uint8  // register written, 0 for none (an instruction whose rd is x0 writes none)
	RdV  uint32 // its new value
	// A load or store: the byte address, the lanes read or written and the bus words. Only
	// the lanes in RMask (WMask) of RData (WData) are defined.
	MemAddr uint32
	RMask   uint8
	WMask   uint8
	RData   uint32
	WData   uint32
	Trap    Cause // the instruction trapped: nothing above is written or accessed
}

// Hart is the architectural state: pc, x0..x31 (X[0] stays 0) and the trap that halted it.
type Hart struct {
	PC   uint32
	X    [32]uint32
	Trap Cause // NoTrap while running
}

// New returns a hart about to fetch at pc with all registers zero. (The core's registers other
// than x0 are undefined after reset: programs that are compared with it set them first.)
func New(pc uint32) *Hart { return &Hart{PC: pc} }

// Step executes one instruction. A halted hart (Trap != NoTrap) does nothing and returns a record
// with only PC and Trap set.
func (h *Hart) Step(bus Bus) Retire {
	r := Retire{PC: h.PC}
	if h.Trap != NoTrap {
		r.Trap = h.Trap
		return r
	}
	in := bus.Read(h.PC)
	r.Insn = in
	d := decode(in)
	a, b := h.X[d.rs1], h.X[d.rs2]
	next := h.PC + 4
	var (
		val   uint32
		write bool
	)
	trap := func(c Cause) Retire {
		h.Trap = c
		return Retire{PC: h.PC, Insn: in, Trap: c}
	}
	switch d.opcode {
	case opLUI:
		val, write = d.immU, true
	case opAUIPC:
		val, write = h.PC+d.immU, true
	case opJAL:
		next = h.PC + d.immJ
		val, write = h.PC+4, true
	case opJALR:
		if d.f3 != 0 {
			return trap(TrapIllegal)
		}
		next = (a + d.immI) &^ 1
		val, write = h.PC+4, true
	case opBranch:
		var take bool
		switch d.f3 {
		case 0:
			take = a == b
		case 1:
			take = a != b
		case 4:
			take = int32(a) < int32(b)
		case 5:
			take = int32(a) >= int32(b)
		case 6:
			take = a < b
		case 7:
			take = a >= b
		default:
			return trap(TrapIllegal)
		}
		if take {
			next = h.PC + d.immB
		}
	case opLoad:
		addr := a + d.immI
		size, c := access(d.f3, true, addr)
		if c != NoTrap {
			return trap(c)
		}
		off := addr & 3
		w := bus.Read(addr &^ 3)
		v := w >> (8 * off)
		switch d.f3 {
		case 0:
			v = uint32(int32(int8(v)))
		case 1:
			v = uint32(int32(int16(v)))
		case 4:
			v &= 0xFF
		case 5:
			v &= 0xFFFF
		}
		r.MemAddr, r.RMask, r.RData = addr, lanes(size, off), w
		val, write = v, true
	case opStore:
		addr := a + d.immS
		size, c := access(d.f3, false, addr)
		if c != NoTrap {
			return trap(c)
		}
		off := addr & 3
		r.MemAddr, r.WMask, r.WData = addr, lanes(size, off), b<<(8*off)
	case opOpImm:
		v, ok := alu(d.f3, d.f7, a, d.immI, true)
		if !ok {
			return trap(TrapIllegal)
		}
		val, write = v, true
	case opOp:
		v, ok := alu(d.f3, d.f7, a, b, false)
		if !ok {
			return trap(TrapIllegal)
		}
		val, write = v, true
	case opFence:
		if d.f3 != 0 {
			return trap(TrapIllegal) // FENCE.I (Zifencei) and reserved encodings
		}
	case opSystem:
		switch in {
		case 0x00000073:
			return trap(TrapEcall)
		case 0x00100073:
			return trap(TrapEbreak)
		}
		return trap(TrapIllegal)
	default:
		return trap(TrapIllegal)
	}
	if next&3 != 0 {
		return trap(TrapJumpMisaligned)
	}
	// no trap from here on: the instruction takes effect
	if r.WMask != 0 {
		bus.Write(r.MemAddr&^3, r.WData, r.WMask)
	}
	if write && d.rd != 0 {
		h.X[d.rd] = val
		r.Rd, r.RdV = d.rd, val
	}
	h.PC = next
	return r
}

// Run steps until the hart traps or max instructions have retired and returns their records.
func (h *Hart) Run(bus Bus, max int) []Retire {
	var out []Retire
	for len(out) < max && h.Trap == NoTrap {
		out = append(out, h.Step(bus))
	}
	return out
}

// the major opcodes (bits 6:0)
const (
	opLoad   = 0x03
	opFence  = 0x0F
	opOpImm  = 0x13
	opAUIPC  = 0x17
	opStore  = 0x23
	opOp     = 0x33
	opLUI    = 0x37
	opBranch = 0x63
	opJALR   = 0x67
	opJAL    = 0x6F
	opSystem = 0x73
)

// fields is one instruction's fields and the immediates of every format.
type fields struct {
	opcode, rd, f3, rs1, rs2, f7 uint8
	immI, immS, immB, immU, immJ uint32
}

func decode(in uint32) fields {
	sx := func(v uint32, bits uint) uint32 { return uint32(int32(v<<(32-bits)) >> (32 - bits)) }
	bit := func(hi, lo uint) uint32 { return in >> lo & (1<<(hi-lo+1) - 1) }
	return fields{
		opcode: uint8(bit(6, 0)),
		rd:     uint8(bit(11, 7)),
		f3:     uint8(bit(14, 12)),
		rs1:    uint8(bit(19, 15)),
		rs2:    uint8(bit(24, 20)),
		f7:     uint8(bit(31, 25)),
		immI:   sx(bit(31, 20), 12),
		immS:   sx(bit(31, 25)<<5|bit(11, 7), 12),
		immB:   sx(bit(31, 31)<<12|bit(7, 7)<<11|bit(30, 25)<<5|bit(11, 8)<<1, 13),
		immU:   in &^ 0xFFF,
		immJ:   sx(bit(31, 31)<<20|bit(19, 12)<<12|bit(20, 20)<<11|bit(30, 21)<<1, 21),
	}
}

// access gives the bytes a load (or store) with funct3 f3 moves, or why it traps: a reserved f3,
// or addr not aligned to the size.
func access(f3 uint8, load bool, addr uint32) (uint32, Cause) {
	var size uint32
	switch {
	case f3 == 0 || load && f3 == 4:
		size = 1
	case f3 == 1 || load && f3 == 5:
		size = 2
	case f3 == 2:
		size = 4
	default:
		return 0, TrapIllegal
	}
	switch {
	case addr%size == 0:
		return size, NoTrap
	case load:
		return 0, TrapLoadMisaligned
	}
	return 0, TrapStoreMisaligned
}

// lanes is the byte strobe of an aligned access of size bytes at byte offset off of its word.
func lanes(size, off uint32) uint8 { return uint8((1<<size - 1) << off) }

// alu computes OP (imm false) and OP-IMM (b is the immediate) results; false for a reserved
// encoding.
func alu(f3, f7 uint8, a, b uint32, imm bool) (uint32, bool) {
	sh := b & 31
	switch f3 {
	case 0:
		switch {
		case imm || f7 == 0:
			return a + b, true
		case f7 == 0x20:
			return a - b, true
		}
	case 1:
		if f7 == 0 {
			return a << sh, true
		}
	case 2:
		if imm || f7 == 0 {
			return b2u(int32(a) < int32(b)), true
		}
	case 3:
		if imm || f7 == 0 {
			return b2u(a < b), true
		}
	case 4:
		if imm || f7 == 0 {
			return a ^ b, true
		}
	case 5:
		switch f7 {
		case 0:
			return a >> sh, true
		case 0x20:
			return uint32(int32(a) >> sh), true
		}
	case 6:
		if imm || f7 == 0 {
			return a | b, true
		}
	case 7:
		if imm || f7 == 0 {
			return a & b, true
		}
	}
	return 0, false
}

func b2u(v bool) uint32 {
	if v {
		return 1
	}
	return 0
}
