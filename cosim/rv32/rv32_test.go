package rv32

import (
	"math/bits"
	"math/rand/v2"
	"strings"
	"testing"
)

// edge values for operands, then random ones
var edges = []uint32{0, 1, 2, 31, 32, 0x7FF, 0x800, 0x7FFFFFFF, 0x80000000, 0x80000001, 0xFFFFFFFF, 0xFFFFFFFE, 0x55555555, 0xAAAAAAAA}

func operands(r *rand.Rand, n int) []uint32 {
	out := append([]uint32(nil), edges...)
	for len(out) < n {
		out = append(out, r.Uint32())
	}
	return out
}

// randMem returns a 4 KiB memory with random bytes at 0x800..0x8FF.
func randMem(r *rand.Rand) Mem {
	mem, _ := NewMem(1 << 12)
	for i := 0x800; i < 0x900; i++ {
		mem[i] = byte(r.Uint32())
	}
	return mem
}

// exec1 runs one instruction at 0x100 with the given registers and returns the hart and record.
func exec1(t *testing.T, in uint32, regs map[int]uint32) (*Hart, Retire, Mem) {
	t.Helper()
	mem, err := NewMem(1 << 12)
	if err != nil {
		t.Fatal(err)
	}
	mem.Put(0x100, in)
	h := New(0x100)
	for k, v := range regs {
		h.X[k] = v
	}
	return h, h.Step(mem), mem
}

// TestALU checks every register-register and register-immediate operation against Go's own
// arithmetic on edge and random operands.
func TestALU(t *testing.T) {
	r := rand.New(rand.NewPCG(10, 1))
	slt := func(c bool) uint32 {
		if c {
			return 1
		}
		return 0
	}
	rr := []struct {
		name string
		enc  func(rd, rs1, rs2 int) uint32
		want func(a, b uint32) uint32
	}{
		{"add", Add, func(a, b uint32) uint32 { return a + b }},
		{"sub", Sub, func(a, b uint32) uint32 { return a - b }},
		{"sll", Sll, func(a, b uint32) uint32 { return a << (b % 32) }},
		{"slt", Slt, func(a, b uint32) uint32 { return slt(int32(a) < int32(b)) }},
		{"sltu", Sltu, func(a, b uint32) uint32 { return slt(a < b) }},
		{"xor", Xor, func(a, b uint32) uint32 { return a ^ b }},
		{"srl", Srl, func(a, b uint32) uint32 { return a >> (b % 32) }},
		{"sra", Sra, func(a, b uint32) uint32 { return uint32(int32(a) >> (b % 32)) }},
		{"or", Or, func(a, b uint32) uint32 { return a | b }},
		{"and", And, func(a, b uint32) uint32 { return a & b }},
	}
	ops := operands(r, 60)
	for _, c := range rr {
		for _, a := range ops {
			for _, b := range ops {
				h, ret, _ := exec1(t, c.enc(3, 1, 2), map[int]uint32{1: a, 2: b})
				want := c.want(a, b)
				if h.X[3] != want || ret.Rd != 3 || ret.RdV != want || ret.Trap != NoTrap || h.PC != 0x104 {
					t.Fatalf("%s 0x%08x, 0x%08x: x3 = 0x%08x (record %+v), want 0x%08x", c.name, a, b, h.X[3], ret, want)
				}
			}
		}
	}
	ri := []struct {
		name string
		enc  func(rd, rs1 int, imm int32) uint32
		want func(a uint32, imm int32) uint32
	}{
		{"addi", Addi, func(a uint32, i int32) uint32 { return a + uint32(i) }},
		{"slti", Slti, func(a uint32, i int32) uint32 { return slt(int32(a) < i) }},
		{"sltiu", Sltiu, func(a uint32, i int32) uint32 { return slt(a < uint32(i)) }},
		{"xori", Xori, func(a uint32, i int32) uint32 { return a ^ uint32(i) }},
		{"ori", Ori, func(a uint32, i int32) uint32 { return a | uint32(i) }},
		{"andi", Andi, func(a uint32, i int32) uint32 { return a & uint32(i) }},
	}
	imms := []int32{0, 1, -1, 2047, -2048, 0x555, -0x556}
	for range 40 {
		imms = append(imms, int32(r.IntN(4096))-2048)
	}
	for _, c := range ri {
		for _, a := range ops {
			for _, imm := range imms {
				h, ret, _ := exec1(t, c.enc(7, 6, imm), map[int]uint32{6: a})
				if want := c.want(a, imm); h.X[7] != want || ret.RdV != want {
					t.Fatalf("%s 0x%08x, %d: x7 = 0x%08x, want 0x%08x", c.name, a, imm, h.X[7], want)
				}
			}
		}
	}
	shifts := []struct {
		name string
		enc  func(rd, rs1 int, sh uint32) uint32
		want func(a, sh uint32) uint32
	}{
		{"slli", Slli, func(a, s uint32) uint32 { return a << s }},
		{"srli", Srli, func(a, s uint32) uint32 { return a >> s }},
		{"srai", Srai, func(a, s uint32) uint32 { return uint32(int32(a) >> s) }},
	}
	for _, c := range shifts {
		for _, a := range ops {
			for s := uint32(0); s < 32; s++ {
				h, _, _ := exec1(t, c.enc(9, 9, s), map[int]uint32{9: a})
				if want := c.want(a, s); h.X[9] != want {
					t.Fatalf("%s 0x%08x, %d: 0x%08x, want 0x%08x", c.name, a, s, h.X[9], want)
				}
			}
		}
	}
	// a rotate built from the shifts agrees with math/bits
	for _, a := range ops {
		mem, _ := NewMem(256)
		mem.Put(0, Slli(2, 1, 5), Srli(3, 1, 27), Or(4, 2, 3), Ecall())
		h := New(0)
		h.X[1] = a
		h.Run(mem, 10)
		if h.X[4] != bits.RotateLeft32(a, 5) {
			t.Fatalf("rotate 0x%08x: 0x%08x", a, h.X[4])
		}
	}
}

// TestUpper checks LUI and AUIPC.
func TestUpper(t *testing.T) {
	r := rand.New(rand.NewPCG(10, 2))
	for range 200 {
		imm := uint32(r.IntN(1 << 20))
		h, _, _ := exec1(t, Lui(4, imm), nil)
		if h.X[4] != imm<<12 {
			t.Fatalf("lui 0x%x: 0x%08x", imm, h.X[4])
		}
		h, _, _ = exec1(t, Auipc(4, imm), nil)
		if h.X[4] != 0x100+imm<<12 {
			t.Fatalf("auipc 0x%x at 0x100: 0x%08x", imm, h.X[4])
		}
	}
}

// TestLoads checks every load width and offset against Go's conversions (int8, int16) of the
// bytes in memory, and the lanes the record reports.
func TestLoads(t *testing.T) {
	r := rand.New(rand.NewPCG(10, 3))
	loads := []struct {
		name string
		enc  func(rd, rs1 int, imm int32) uint32
		size uint32
		ext  func(b []byte) uint32
	}{
		{"lb", Lb, 1, func(b []byte) uint32 { return uint32(int32(int8(b[0]))) }},
		{"lbu", Lbu, 1, func(b []byte) uint32 { return uint32(b[0]) }},
		{"lh", Lh, 2, func(b []byte) uint32 { return uint32(int32(int16(uint16(b[0]) | uint16(b[1])<<8))) }},
		{"lhu", Lhu, 2, func(b []byte) uint32 { return uint32(b[0]) | uint32(b[1])<<8 }},
		{"lw", Lw, 4, func(b []byte) uint32 {
			return uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16 | uint32(b[3])<<24
		}},
	}
	for _, c := range loads {
		for range 300 {
			mem := randMem(r)
			mem.Put(0x100, c.enc(5, 6, int32(r.IntN(64)-32)*int32(c.size)))
			base := uint32(0x880 + r.IntN(32)*int(c.size))
			h := New(0x100)
			h.X[6] = base
			ret := h.Step(mem)
			addr := base + decode(mem.Read(0x100)).immI
			want := c.ext(mem[addr:])
			if h.X[5] != want || ret.MemAddr != addr || ret.RMask != uint8((1<<c.size-1)<<(addr&3)) ||
				ret.RData != mem.Read(addr) || ret.WMask != 0 {
				t.Fatalf("%s at 0x%x: x5 = 0x%08x, record %+v; want 0x%08x", c.name, addr, h.X[5], ret, want)
			}
		}
	}
}

// TestStores checks that a store changes exactly its bytes.
func TestStores(t *testing.T) {
	r := rand.New(rand.NewPCG(10, 4))
	stores := []struct {
		name string
		enc  func(rs2, rs1 int, imm int32) uint32
		size uint32
	}{{"sb", Sb, 1}, {"sh", Sh, 2}, {"sw", Sw, 4}}
	for _, c := range stores {
		for range 300 {
			mem := randMem(r)
			before := append(Mem(nil), mem...)
			imm := int32(r.IntN(16)-8) * int32(c.size)
			mem.Put(0x100, c.enc(7, 8, imm))
			before.Put(0x100, c.enc(7, 8, imm))
			h := New(0x100)
			h.X[7], h.X[8] = r.Uint32(), uint32(0x880+r.IntN(32)*int(c.size))
			ret := h.Step(mem)
			addr := h.X[8] + uint32(imm)
			for i := range mem {
				want := before[i]
				if k := uint32(i) - addr; k < c.size {
					want = byte(h.X[7] >> (8 * k))
				}
				if mem[i] != want {
					t.Fatalf("%s 0x%08x at 0x%x: byte 0x%x is 0x%02x, want 0x%02x", c.name, h.X[7], addr, i, mem[i], want)
				}
			}
			if ret.MemAddr != addr || ret.WMask != uint8((1<<c.size-1)<<(addr&3)) || ret.Rd != 0 || ret.RMask != 0 {
				t.Fatalf("%s at 0x%x: record %+v", c.name, addr, ret)
			}
		}
	}
}

// TestBranchesAndJumps checks the branch conditions against Go's comparisons and the targets
// and links of JAL and JALR.
func TestBranchesAndJumps(t *testing.T) {
	r := rand.New(rand.NewPCG(10, 5))
	brs := []struct {
		name string
		enc  func(rs1, rs2 int, off int32) uint32
		take func(a, b uint32) bool
	}{
		{"beq", Beq, func(a, b uint32) bool { return a == b }},
		{"bne", Bne, func(a, b uint32) bool { return a != b }},
		{"blt", Blt, func(a, b uint32) bool { return int32(a) < int32(b) }},
		{"bge", Bge, func(a, b uint32) bool { return int32(a) >= int32(b) }},
		{"bltu", Bltu, func(a, b uint32) bool { return a < b }},
		{"bgeu", Bgeu, func(a, b uint32) bool { return a >= b }},
	}
	ops := operands(r, 40)
	for _, c := range brs {
		for _, a := range ops {
			for _, b := range append(ops, a) {
				off := int32(r.IntN(64)-32) * 4
				h, ret, _ := exec1(t, c.enc(1, 2, off), map[int]uint32{1: a, 2: b})
				want := uint32(0x104)
				if c.take(a, b) {
					want = 0x100 + uint32(off)
				}
				if h.PC != want || ret.Rd != 0 || ret.Trap != NoTrap {
					t.Fatalf("%s 0x%08x, 0x%08x, %d: pc 0x%x, want 0x%x", c.name, a, b, off, h.PC, want)
				}
			}
		}
	}
	for range 200 {
		off := int32(r.IntN(1<<12)-1<<11) * 4
		h, ret, _ := exec1(t, Jal(1, off), nil)
		if h.PC != 0x100+uint32(off) || h.X[1] != 0x104 || ret.Rd != 1 {
			t.Fatalf("jal %d: pc 0x%x, x1 0x%x", off, h.PC, h.X[1])
		}
		base, imm := r.Uint32()&^3, int32(r.IntN(2048))&^3
		if r.IntN(2) == 0 {
			imm |= 1 // bit 0 of the sum is cleared
		}
		h, _, _ = exec1(t, Jalr(5, 5, imm), map[int]uint32{5: base})
		if h.PC != (base+uint32(imm))&^1 || h.X[5] != 0x104 {
			t.Fatalf("jalr x5, %d(x5=0x%x): pc 0x%x, x5 0x%x", imm, base, h.PC, h.X[5])
		}
	}
}

// TestTraps checks each cause and that a trapping instruction changes nothing.
func TestTraps(t *testing.T) {
	cases := []struct {
		name string
		in   uint32
		regs map[int]uint32
		want Cause
	}{
		{"ecall", Ecall(), nil, TrapEcall},
		{"ebreak", Ebreak(), nil, TrapEbreak},
		{"csrrw", EncI(opSystem, 1, 1, 2, 0x300), nil, TrapIllegal},
		{"fence.i", EncI(opFence, 1, 0, 0, 0), nil, TrapIllegal},
		{"all zero", 0, nil, TrapIllegal},
		{"all ones", 0xFFFFFFFF, nil, TrapIllegal},
		{"compressed", 0x4501, nil, TrapIllegal},
		{"mul (M)", EncR(opOp, 0, 1, 1, 2, 3), nil, TrapIllegal},
		{"add funct7 0x40", EncR(opOp, 0, 0x40, 1, 2, 3), nil, TrapIllegal},
		{"sll funct7 0x20", EncR(opOp, 1, 0x20, 1, 2, 3), nil, TrapIllegal},
		{"slli funct7 0x20", EncI(opOpImm, 1, 1, 2, 0x405), nil, TrapIllegal},
		{"srli funct7 0x01", EncI(opOpImm, 5, 1, 2, 0x025), nil, TrapIllegal},
		{"jalr funct3 1", EncI(opJALR, 1, 1, 2, 0), nil, TrapIllegal},
		{"branch funct3 2", EncB(2, 1, 2, 8), nil, TrapIllegal},
		{"load funct3 3", EncI(opLoad, 3, 1, 2, 0), nil, TrapIllegal},
		{"load funct3 6", EncI(opLoad, 6, 1, 2, 0), nil, TrapIllegal},
		{"store funct3 4", EncS(opStore, 4, 1, 2, 0), nil, TrapIllegal},
		{"lh odd", Lh(1, 2, 1), map[int]uint32{2: 0x800}, TrapLoadMisaligned},
		{"lhu odd", Lhu(1, 2, 3), map[int]uint32{2: 0x800}, TrapLoadMisaligned},
		{"lw +2", Lw(1, 2, 2), map[int]uint32{2: 0x800}, TrapLoadMisaligned},
		{"lw +1", Lw(1, 2, 0), map[int]uint32{2: 0x801}, TrapLoadMisaligned},
		{"sh odd", Sh(1, 2, -1), map[int]uint32{2: 0x800}, TrapStoreMisaligned},
		{"sw +3", Sw(1, 2, 3), map[int]uint32{2: 0x800}, TrapStoreMisaligned},
		{"jal +2", Jal(1, 2), nil, TrapJumpMisaligned},
		{"jal -6", Jal(1, -6), nil, TrapJumpMisaligned},
		{"jalr +2", Jalr(1, 2, 2), map[int]uint32{2: 0x200}, TrapJumpMisaligned},
		{"jalr +3", Jalr(1, 2, 3), map[int]uint32{2: 0x200}, TrapJumpMisaligned},
		{"beq taken +6", Beq(1, 1, 6), nil, TrapJumpMisaligned},
	}
	for _, c := range cases {
		h, ret, mem := exec1(t, c.in, c.regs)
		before := New(0x100)
		for k, v := range c.regs {
			before.X[k] = v
		}
		before.Trap = c.want
		if ret.Trap != c.want || *h != *before || ret.Rd != 0 || ret.RMask != 0 || ret.WMask != 0 || ret.PC != 0x100 {
			t.Errorf("%s (%s): trap %v, hart %+v, record %+v; want %v and nothing changed", c.name, Disasm(c.in), ret.Trap, *h, ret, c.want)
		}
		for i, b := range mem {
			if b != 0 && (i < 0x100 || i >= 0x104) {
				t.Errorf("%s: memory changed at 0x%x", c.name, i)
			}
		}
		// halted: a further step does nothing
		if ret2 := h.Step(mem); ret2.Trap != c.want || h.PC != 0x100 {
			t.Errorf("%s: a halted hart stepped: %+v", c.name, ret2)
		}
	}
	// misaligned targets of branches not taken do not trap; a misaligned byte access is fine
	for _, in := range []uint32{Bne(1, 1, 6), Lb(1, 2, 3), Lbu(1, 2, 1), Sb(1, 2, 3)} {
		if _, ret, _ := exec1(t, in, map[int]uint32{2: 0x800}); ret.Trap != NoTrap {
			t.Errorf("%s: trapped (%v)", Disasm(in), ret.Trap)
		}
	}
}

// TestX0 checks that writes to x0 are dropped and reads give 0.
func TestX0(t *testing.T) {
	for _, in := range []uint32{Addi(0, 0, 5), Lui(0, 0xFFFFF), Jal(0, 8), Lw(0, 1, 0), Add(0, 1, 1)} {
		h, ret, _ := exec1(t, in, map[int]uint32{1: 0x800})
		if h.X[0] != 0 || ret.Rd != 0 {
			t.Errorf("%s: x0 = 0x%x, record rd %d", Disasm(in), h.X[0], ret.Rd)
		}
	}
	h, _, _ := exec1(t, Addi(5, 0, -1), map[int]uint32{5: 7})
	if h.X[5] != 0xFFFFFFFF {
		t.Errorf("addi x5, x0, -1: 0x%x", h.X[5])
	}
}

// FuzzStep executes any instruction word on random registers: the model never panics, x0 stays
// 0, a trap changes nothing, and otherwise the pc moves to pc+4 or an aligned target.
func FuzzStep(f *testing.F) {
	for _, in := range []uint32{Add(1, 2, 3), Lw(1, 2, 4), Sb(3, 4, -1), Jalr(1, 2, 3), Ecall(), 0, 0xFFFFFFFF} {
		f.Add(in, uint64(1))
	}
	f.Fuzz(func(t *testing.T, in uint32, seed uint64) {
		r := rand.New(rand.NewPCG(seed, 7))
		mem, _ := NewMem(1 << 10)
		mem.Put(0x100, in)
		h := New(0x100)
		for i := 1; i < 32; i++ {
			h.X[i] = r.Uint32()
		}
		before := *h
		memBefore := append(Mem(nil), mem...)
		ret := h.Step(mem)
		if ill := strings.HasPrefix(Disasm(in), "illegal"); ill != (ret.Trap == TrapIllegal) {
			t.Fatalf("0x%08x: Disasm %q, trap %v", in, Disasm(in), ret.Trap)
		}
		if h.X[0] != 0 {
			t.Fatalf("%s: x0 = 0x%x", Disasm(in), h.X[0])
		}
		if ret.Trap != NoTrap {
			before.Trap = ret.Trap
			if *h != before || string(mem) != string(memBefore) {
				t.Fatalf("%s: trapped (%v) but changed state", Disasm(in), ret.Trap)
			}
			return
		}
		if h.PC&3 != 0 {
			t.Fatalf("%s: pc 0x%x", Disasm(in), h.PC)
		}
	})
}
