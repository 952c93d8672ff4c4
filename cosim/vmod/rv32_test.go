//go:build verilator

package vmod

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/linerate/linerate/cosim/rv32"
)

// The memory every program runs in: 16 KiB (addresses wrap), code from 0 (lr_rv32's RESET_PC),
// a data region of random bytes at 0x2000..0x2FFF with gp (x3) at its middle, so that any
// 12-bit offset from gp stays inside it.
const (
	rvMemSize  = 1 << 14
	rvData     = 0x2000
	rvDataSize = 0x1000
	rvGP       = rvData + rvDataSize/2
	rvMaxSteps = 20000
	regGP      = 3 // data base: random instructions never write it
	regTP      = 4 // loop counter: only loops write it
)

// rvProgram is one test program: the words from address 0 and the data region's bytes.
type rvProgram struct {
	name  string
	words []uint32
	data  []byte
}

func (p *rvProgram) image() []byte {
	m := make(rv32.Mem, rvMemSize)
	m.Put(0, p.words...)
	copy(m[rvData:], p.data)
	return m
}

// prologue gives every register a value (the core's registers are undefined after reset; the
// model's are zero): gp the data base, the others random, edge or data-region values.
func prologue(r *rand.Rand) []uint32 {
	var w []uint32
	for x := 1; x < 32; x++ {
		v := r.Uint32()
		switch {
		case x == regGP:
			v = rvGP
		case r.IntN(4) == 0:
			v = []uint32{0, 1, 0xFFFFFFFF, 0x80000000, 0x7FFFFFFF, 31, 32}[r.IntN(7)]
		case r.IntN(3) == 0:
			v = rvData + uint32(r.IntN(rvDataSize))
		}
		w = append(w, rv32.Li(x, v)...)
	}
	return w
}

// rvBlock is a piece of a random program. Control transfers go to the start of a later block
// (fwd blocks ahead; the program's last block is its final trap) or, in a loop, backwards over a
// counted body, so every program ends.
type rvBlock struct {
	words []uint32
	fwd   int                    // > 0: the last word branches to block index+fwd
	patch func(off int32) uint32 // encodes that last word for the byte offset
	jalr  bool                   // words are auipc rX,0; jalr rd,off(rX): patch the jalr
}

// rvGen writes random programs: mixes of ALU, immediate, shift, LUI/AUIPC, loads and stores
// into the data region (and loads from anywhere), forward branches and jumps, counted loops
// with backward branches and jumps, FENCE; ending in a trap of every kind.
type rvGen struct {
	r *rand.Rand
}

func (g *rvGen) rd() int {
	for {
		x := g.r.IntN(32)
		if x == 0 && g.r.IntN(4) != 0 {
			continue // x0 now and then
		}
		if x != regGP && x != regTP {
			return x
		}
	}
}

func (g *rvGen) rs() int { return g.r.IntN(32) }

func (g *rvGen) imm12() int32 {
	switch g.r.IntN(5) {
	case 0:
		return []int32{0, 1, -1, 2047, -2048}[g.r.IntN(5)]
	case 1:
		return int32(g.r.IntN(64)) - 32
	}
	return int32(g.r.IntN(4096)) - 2048
}

// straight returns one instruction that does not transfer control (and never writes gp or tp).
func (g *rvGen) straight() uint32 {
	r := g.r
	switch k := r.IntN(100); {
	case k < 25:
		f := []func(int, int, int) uint32{rv32.Add, rv32.Sub, rv32.Sll, rv32.Slt, rv32.Sltu,
			rv32.Xor, rv32.Srl, rv32.Sra, rv32.Or, rv32.And}[r.IntN(10)]
		return f(g.rd(), g.rs(), g.rs())
	case k < 45:
		f := []func(int, int, int32) uint32{rv32.Addi, rv32.Slti, rv32.Sltiu, rv32.Xori,
			rv32.Ori, rv32.Andi}[r.IntN(6)]
		return f(g.rd(), g.rs(), g.imm12())
	case k < 53:
		f := []func(int, int, uint32) uint32{rv32.Slli, rv32.Srli, rv32.Srai}[r.IntN(3)]
		sh := uint32(r.IntN(32))
		if r.IntN(3) == 0 {
			sh = []uint32{0, 1, 31}[r.IntN(3)]
		}
		return f(g.rd(), g.rs(), sh)
	case k < 58:
		if r.IntN(2) == 0 {
			return rv32.Lui(g.rd(), uint32(r.IntN(1<<20)))
		}
		return rv32.Auipc(g.rd(), uint32(r.IntN(1<<20)))
	case k < 78:
		loads := []struct {
			f    func(int, int, int32) uint32
			size int32
		}{{rv32.Lb, 1}, {rv32.Lbu, 1}, {rv32.Lh, 2}, {rv32.Lhu, 2}, {rv32.Lw, 4}}
		l := loads[r.IntN(len(loads))]
		if r.IntN(6) == 0 {
			// any base: the address wraps into the 16 KiB; mostly bytes (a misaligned
			// halfword or word ends the program)
			if r.IntN(4) != 0 {
				l = loads[r.IntN(2)]
			}
			return l.f(g.rd(), g.rs(), g.imm12())
		}
		return l.f(g.rd(), regGP, g.imm12()&^(l.size-1))
	case k < 95:
		stores := []struct {
			f    func(int, int, int32) uint32
			size int32
		}{{rv32.Sb, 1}, {rv32.Sh, 2}, {rv32.Sw, 4}}
		s := stores[r.IntN(len(stores))]
		return s.f(g.rs(), regGP, g.imm12()&^(s.size-1))
	case k < 97:
		return rv32.Fence()
	}
	return rv32.Nop()
}

// terminal returns the program's last instruction: a trap of some kind (ECALL mostly).
func (g *rvGen) terminal() uint32 {
	switch g.r.IntN(10) {
	case 0:
		return rv32.Ebreak()
	case 1:
		return 0 // illegal
	case 2:
		return rv32.EncI(0x73, 1, 1, 2, 0x300) // csrrw: not implemented
	case 3:
		return rv32.Lw(1, regGP, 2) // misaligned
	case 4:
		return rv32.Sh(1, regGP, 1) // misaligned
	}
	return rv32.Ecall()
}

func (g *rvGen) program(name string, n int) rvProgram {
	r := g.r
	var blocks []rvBlock
	add := func(b rvBlock) { blocks = append(blocks, b) }
	brs := []func(int, int, int32) uint32{rv32.Beq, rv32.Bne, rv32.Blt, rv32.Bge, rv32.Bltu, rv32.Bgeu}
	for len(blocks) < n {
		switch k := r.IntN(100); {
		case k < 72:
			add(rvBlock{words: []uint32{g.straight()}})
		case k < 84: // forward conditional branch
			f, a, b := brs[r.IntN(6)], g.rs(), g.rs()
			add(rvBlock{words: []uint32{0}, fwd: 1 + r.IntN(6), patch: func(off int32) uint32 { return f(a, b, off) }})
		case k < 88: // forward jump with link
			rd := g.rd()
			add(rvBlock{words: []uint32{0}, fwd: 1 + r.IntN(6), patch: func(off int32) uint32 { return rv32.Jal(rd, off) }})
		case k < 92: // forward indirect jump: auipc rX, 0; jalr rd, off(rX)
			x, rd := g.rd(), g.rd()
			for x == 0 {
				x = g.rd()
			}
			odd := int32(r.IntN(2)) // bit 0 of the target is ignored
			add(rvBlock{words: []uint32{rv32.Auipc(x, 0), 0}, fwd: 1 + r.IntN(6), jalr: true,
				patch: func(off int32) uint32 { return rv32.Jalr(rd, x, off+odd) }})
		case k < 97: // a counted loop: tp := n; body; tp--; bne tp, x0, body
			body := []uint32{}
			for range 1 + r.IntN(5) {
				body = append(body, g.straight())
			}
			w := []uint32{rv32.Addi(regTP, 0, int32(1+r.IntN(4)))}
			w = append(w, body...)
			w = append(w, rv32.Addi(regTP, regTP, -1), rv32.Bne(regTP, 0, -4*int32(len(body)+1)))
			add(rvBlock{words: w})
		default: // a loop closed by a backward jump: tp := n; L: tp--; beq tp,x0,out; body; jal L
			body := []uint32{}
			for range 1 + r.IntN(4) {
				body = append(body, g.straight())
			}
			w := []uint32{rv32.Addi(regTP, 0, int32(1+r.IntN(4))), rv32.Addi(regTP, regTP, -1),
				rv32.Beq(regTP, 0, 4*int32(len(body)+2))}
			w = append(w, body...)
			w = append(w, rv32.Jal(0, -4*int32(len(body)+2)))
			add(rvBlock{words: w})
		}
	}
	// now and then a jump or taken branch to a misaligned target ends the program early
	if r.IntN(8) == 0 {
		i := r.IntN(len(blocks))
		switch r.IntN(3) {
		case 0:
			blocks[i] = rvBlock{words: []uint32{rv32.Jal(g.rd(), 4*int32(1+r.IntN(4))+2)}}
		case 1:
			blocks[i] = rvBlock{words: []uint32{rv32.Beq(0, 0, 4*int32(1+r.IntN(4))+2)}}
		default:
			blocks[i] = rvBlock{words: []uint32{rv32.Auipc(1, 0), rv32.Jalr(2, 1, 10)}}
		}
	}
	add(rvBlock{words: []uint32{g.terminal()}})
	words := prologue(r)
	start := make([]int, len(blocks)+1) // word index of each block
	for i, b := range blocks {
		start[i] = len(words)
		words = append(words, b.words...)
	}
	for i, b := range blocks {
		if b.fwd == 0 {
			continue
		}
		to := min(i+b.fwd, len(blocks)-1)
		at := start[i] + len(b.words) - 1 // the branching word
		from := at
		if b.jalr {
			from = at - 1 // relative to the auipc
		}
		words[at] = b.patch(int32(4 * (start[to] - from)))
	}
	data := make([]byte, rvDataSize)
	for i := range data {
		data[i] = byte(r.Uint32())
	}
	return rvProgram{name: name, words: words, data: data}
}

// randomWords is a program of random instruction words (biased to the major opcodes, funct
// fields that mean something): decode, legality and traps; wild jumps are followed wherever they go.
func (g *rvGen) randomWords(name string, n int) rvProgram {
	r := g.r
	words := prologue(r)
	majors := []uint32{0x03, 0x0F, 0x13, 0x17, 0x23, 0x33, 0x37, 0x63, 0x67, 0x6F, 0x73}
	for range n {
		w := r.Uint32()
		if r.IntN(8) != 0 {
			w = w&^0x7F | majors[r.IntN(len(majors))]
			if r.IntN(2) == 0 {
				w = w&^(0x7F<<25) | []uint32{0, 0x20}[r.IntN(2)]<<25
			}
		}
		words = append(words, w)
	}
	words = append(words, rv32.Ecall())
	return rvProgram{name: name, words: words, data: make([]byte, rvDataSize)}
}

// runModel runs the reference model on a copy of the image; with reset >= 0, the hart restarts
// at 0 after that many instructions, as the core does after rst (registers and memory kept).
func runModel(img []byte, max, reset int) ([]rv32.Retire, rv32.Mem) {
	mem := append(rv32.Mem(nil), img...)
	h := rv32.New(0)
	if reset < 0 {
		return h.Run(mem, max), mem
	}
	out := h.Run(mem, reset)
	h.PC = 0
	return append(out, h.Run(mem, max-len(out))...), mem
}

// rvCompare checks the RTL's trace and memory against the model's, record by record: pc,
// instruction, trap, the register written and its value, the lanes loaded or stored, their
// address and data. It names the first difference and the instructions before it.
func rvCompare(p *rvProgram, run *RV32Run, want []rv32.Retire, wantMem rv32.Mem) error {
	if run.Err != nil {
		return fmt.Errorf("program %s: %w", p.name, run.Err)
	}
	lanes := func(v uint32, m uint8) uint32 {
		var k uint32
		for i := 0; i < 4; i++ {
			if m&(1<<i) != 0 {
				k |= 0xFF << (8 * i)
			}
		}
		return v & k
	}
	context := func(i int) string {
		var b strings.Builder
		for k := max(0, i-4); k < i; k++ {
			fmt.Fprintf(&b, "\n    #%d pc 0x%04x  %s", k, want[k].PC, rv32.Disasm(want[k].Insn))
		}
		return b.String()
	}
	for i := 0; i < min(len(run.Trace), len(want)); i++ {
		g, w := run.Trace[i], want[i]
		var diff []string
		f := func(name string, got, exp uint32) {
			if got != exp {
				diff = append(diff, fmt.Sprintf("%s rtl 0x%x model 0x%x", name, got, exp))
			}
		}
		f("pc", g.PC, w.PC)
		f("insn", g.Insn, w.Insn)
		if g.Trap != (w.Trap != rv32.NoTrap) {
			diff = append(diff, fmt.Sprintf("trap rtl %v model %v", g.Trap, w.Trap))
		}
		if !g.Trap && w.Trap == rv32.NoTrap {
			f("rd", uint32(g.Rd), uint32(w.Rd))
			if g.Rd != 0 && g.Rd == w.Rd {
				f(fmt.Sprintf("x%d", g.Rd), g.RdV, w.RdV)
			}
			f("load lanes", uint32(g.RMask), uint32(w.RMask))
			f("store lanes", uint32(g.WMask), uint32(w.WMask))
			if w.RMask|w.WMask != 0 {
				f("address", g.MemAddr, w.MemAddr)
			}
			if w.RMask != 0 && g.RMask == w.RMask {
				f("loaded word", lanes(g.RData, w.RMask), lanes(w.RData, w.RMask))
			}
			if w.WMask != 0 && g.WMask == w.WMask {
				f("stored word", lanes(g.WData, w.WMask), lanes(w.WData, w.WMask))
			}
		}
		if len(diff) > 0 {
			return fmt.Errorf("program %s, instruction #%d at pc 0x%04x (%s; model: %v): %s%s",
				p.name, i, w.PC, rv32.Disasm(w.Insn), w.Trap, strings.Join(diff, ", "), context(i))
		}
	}
	if len(run.Trace) != len(want) {
		return fmt.Errorf("program %s: rtl retired %d instructions, model %d%s", p.name, len(run.Trace), len(want), context(min(len(run.Trace), len(want))))
	}
	for a := range wantMem {
		if run.Mem[a] != wantMem[a] {
			return fmt.Errorf("program %s: memory at 0x%04x: rtl 0x%02x, model 0x%02x", p.name, a, run.Mem[a], wantMem[a])
		}
	}
	return nil
}

// rvWaits are the memory timings every program meets: no wait state, a block RAM's one, and
// random ones.
var rvWaits = []struct{ min, max uint8 }{{0, 0}, {1, 1}, {0, 3}, {0, 8}}

// rvRunAll runs the programs on the RTL (in batches, wait timing w) and compares each with the
// model. With resets, a quarter of the runs get a rst at a random clock in the middle. It returns
// the clocks and instructions retired (of the runs without a reset), and counts in tally (when not nil) the instructions by
// mnemonic and the traps by cause.
func rvRunAll(t *testing.T, progs []rvProgram, w int, seed uint64, maxSteps int, resets bool, tally map[string]int) (cycles, retired int) {
	t.Helper()
	const batch = 200
	for lo := 0; lo < len(progs); lo += batch {
		ps := progs[lo:min(lo+batch, len(progs))]
		runs := make([]RV32Run, len(ps))
		for i := range ps {
			runs[i] = RV32Run{Mem: ps[i].image(), Seed: seed + uint64(lo+i), WaitMin: rvWaits[w].min,
				WaitMax: rvWaits[w].max, MaxRetire: maxSteps, MaxCycles: 40 * maxSteps}
			if resets && (seed+uint64(lo+i))%4 == 0 {
				runs[i].ResetAt = 1 + int((seed+uint64(lo+i))*7919%2000)
			}
		}
		if err := RV32(runs); err != nil {
			t.Fatal(err)
		}
		for i := range ps {
			want, wantMem := runModel(ps[i].image(), maxSteps, runs[i].BeforeReset)
			if err := rvCompare(&ps[i], &runs[i], want, wantMem); err != nil {
				t.Fatalf("wait states %d..%d, seed %d, reset at clock %d (after %d instructions): %v",
					rvWaits[w].min, rvWaits[w].max, runs[i].Seed, runs[i].ResetAt, runs[i].BeforeReset, err)
			}
			if tally != nil {
				tally["compared"] += len(want)
				if runs[i].BeforeReset >= 0 {
					tally["resets"]++
				}
			}
			if runs[i].BeforeReset < 0 { // clocks per instruction from runs without a reset
				cycles += runs[i].Cycles
				retired += len(runs[i].Trace)
			}
			for k, r := range want {
				if tally == nil {
					break
				}
				if r.Trap != rv32.NoTrap {
					tally["trap: "+r.Trap.String()]++
					continue
				}
				mn := strings.Fields(rv32.Disasm(r.Insn))[0]
				tally[mn]++
				if k > 0 && w < 2 { // clocks from the last retirement, fetch included
					tally[fmt.Sprintf("clocks/%d: %s", w, mn)] += runs[i].Trace[k].Cycle - runs[i].Trace[k-1].Cycle
					tally[fmt.Sprintf("n/%d: %s", w, mn)]++
				}
			}
		}
	}
	return cycles, retired
}

// TestRV32 runs lr_rv32 and the reference model (cosim/rv32) side by side on directed programs
// and thousands of random ones, under every memory timing, and compares the retire traces
// instruction by instruction and the memory at the end.
func TestRV32(t *testing.T) {
	t.Run("directed", func(t *testing.T) {
		progs := rvDirected(rand.New(rand.NewPCG(1, 32)))
		tally := map[string]int{}
		for w := range rvWaits {
			rvRunAll(t, progs, w, 100, 2000, false, tally)
		}
		rvCovered(t, tally)
		t.Logf("%d directed programs x %d memory timings", len(progs), len(rvWaits))
	})
	t.Run("random", func(t *testing.T) {
		n := 4000
		if testing.Short() {
			n = 400
		}
		g := &rvGen{r: rand.New(rand.NewPCG(2, 32))}
		var progs []rvProgram
		for i := range n {
			progs = append(progs, g.program(fmt.Sprintf("random-%d", i), 20+g.r.IntN(300)))
		}
		// every program must end by a trap in the model (the generator's promise)
		for i := range progs {
			if want, _ := runModel(progs[i].image(), rvMaxSteps, -1); want[len(want)-1].Trap == rv32.NoTrap {
				t.Fatalf("program %s does not end within %d instructions", progs[i].name, rvMaxSteps)
			}
		}
		tally := map[string]int{}
		for w := range rvWaits {
			part := progs[w*n/len(rvWaits) : (w+1)*n/len(rvWaits)]
			c, r := rvRunAll(t, part, w, 1000*uint64(w+1), rvMaxSteps, w >= 2, tally)
			t.Logf("memory wait states %d..%d: %d programs, %d instructions, %d clocks (runs without a reset): %.2f clocks per instruction",
				rvWaits[w].min, rvWaits[w].max, len(part), r, c, float64(c)/float64(r))
		}
		t.Logf("%d random programs, %d instructions compared; %d runs reset in the middle", n, tally["compared"], tally["resets"])
		rvCovered(t, tally)
		for w := 0; w < 2; w++ {
			var per []string
			for _, mn := range rvMnemonics {
				if k := tally[fmt.Sprintf("clocks/%d: %s", w, mn)]; k > 0 {
					per = append(per, fmt.Sprintf("%s %.2f", mn, float64(k)/float64(tally[fmt.Sprintf("n/%d: %s", w, mn)])))
				}
			}
			t.Logf("clocks per instruction at %d wait states: %s", rvWaits[w].min, strings.Join(per, ", "))
		}
	})
	t.Run("words", func(t *testing.T) {
		g := &rvGen{r: rand.New(rand.NewPCG(3, 32))}
		var progs []rvProgram
		for i := range 1000 {
			progs = append(progs, g.randomWords(fmt.Sprintf("words-%d", i), 1+g.r.IntN(8)))
		}
		rvRunAll(t, progs, 2, 7, 500, false, nil)
	})
}

var rvMnemonics = strings.Fields("lui auipc jal jalr beq bne blt bge bltu bgeu lb lh lw lbu lhu sb sh sw " +
	"addi slti sltiu xori ori andi slli srli srai add sub sll slt sltu xor srl sra or and fence")

// rvCovered fails unless the programs executed every RV32I instruction and met every trap
// cause, and logs the mix.
func rvCovered(t *testing.T, tally map[string]int) {
	t.Helper()
	all := append([]string(nil), rvMnemonics...)
	for c := rv32.TrapIllegal; c <= rv32.TrapJumpMisaligned; c++ {
		all = append(all, "trap: "+c.String())
	}
	var mix []string
	for _, k := range all {
		if tally[k] == 0 {
			t.Errorf("never executed: %s", k)
		}
		mix = append(mix, fmt.Sprintf("%s %d", k, tally[k]))
	}
	t.Logf("mix: %s", strings.Join(mix, ", "))
}

// rvDirected builds the hand-written programs: every instruction, load sign extension, writes
// to x0, shifts by 0 and 31, each trap, branch edges, back-to-back dependences.
func rvDirected(r *rand.Rand) []rvProgram {
	var out []rvProgram
	prog := func(name string, body ...uint32) {
		w := prologue(r)
		w = append(w, body...)
		w = append(w, rv32.Ecall())
		data := make([]byte, rvDataSize)
		for i := range data {
			data[i] = byte(r.Uint32())
		}
		out = append(out, rvProgram{name: name, words: w, data: data})
	}
	li := rv32.Li
	cat := func(parts ...[]uint32) []uint32 {
		var w []uint32
		for _, p := range parts {
			w = append(w, p...)
		}
		return w
	}
	// every instruction once, on values that exercise it
	prog("every instruction", cat(
		li(5, 0x80000000), li(6, 0x7FFFFFFF), li(7, 0xFFFFFFFF),
		[]uint32{
			rv32.Add(8, 5, 6), rv32.Sub(9, 5, 6), rv32.Sll(10, 7, 6), rv32.Slt(11, 5, 6),
			rv32.Sltu(12, 5, 6), rv32.Xor(13, 5, 7), rv32.Srl(14, 5, 6), rv32.Sra(15, 5, 6),
			rv32.Or(16, 5, 6), rv32.And(17, 7, 6),
			rv32.Addi(8, 5, -1), rv32.Slti(9, 5, 0), rv32.Sltiu(10, 7, -1), rv32.Xori(11, 6, -1),
			rv32.Ori(12, 5, 0x555), rv32.Andi(13, 7, 0x7F0), rv32.Slli(14, 7, 4), rv32.Srli(15, 5, 4),
			rv32.Srai(16, 5, 4), rv32.Lui(17, 0xABCDE), rv32.Auipc(18, 0x12345),
			rv32.Sw(7, regGP, 0), rv32.Sh(6, regGP, 4), rv32.Sb(5, regGP, 7),
			rv32.Lw(19, regGP, 0), rv32.Lh(20, regGP, 4), rv32.Lhu(21, regGP, 6), rv32.Lb(22, regGP, 7),
			rv32.Lbu(23, regGP, 7), rv32.Fence(),
			rv32.Beq(5, 5, 8), rv32.Nop(), rv32.Bne(5, 6, 8), rv32.Nop(), rv32.Blt(5, 6, 8), rv32.Nop(),
			rv32.Bge(6, 5, 8), rv32.Nop(), rv32.Bltu(6, 5, 8), rv32.Nop(), rv32.Bgeu(5, 6, 8), rv32.Nop(),
			rv32.Jal(1, 8), rv32.Nop(), rv32.Auipc(24, 0), rv32.Jalr(25, 24, 12), rv32.Nop(),
		})...,
	)
	// loads of every width at every offset of bytes with and without their top bit set
	var lw []uint32
	lw = append(lw, li(5, 0x807F80FF)...)
	lw = append(lw, li(6, 0x00FF7F80)...)
	lw = append(lw, rv32.Sw(5, regGP, 0), rv32.Sw(6, regGP, 4))
	for off := int32(0); off < 8; off++ {
		lw = append(lw, rv32.Lb(7, regGP, off), rv32.Lbu(8, regGP, off))
		if off%2 == 0 {
			lw = append(lw, rv32.Lh(9, regGP, off), rv32.Lhu(10, regGP, off))
		}
		if off%4 == 0 {
			lw = append(lw, rv32.Lw(11, regGP, off))
		}
	}
	prog("load sign extension", lw...)
	// stores of every width at every offset, then read back by words
	var sw []uint32
	sw = append(sw, li(5, 0xA1B2C3D4)...)
	for off := int32(0); off < 8; off++ {
		sw = append(sw, rv32.Sb(5, regGP, 16+off))
		if off%2 == 0 {
			sw = append(sw, rv32.Sh(5, regGP, 32+off))
		}
	}
	sw = append(sw, rv32.Lw(6, regGP, 16), rv32.Lw(7, regGP, 20), rv32.Lw(8, regGP, 32), rv32.Lw(9, regGP, 36))
	prog("store lanes", sw...)
	// x0: every kind of write is dropped, reads give 0
	prog("x0 writes", rv32.Addi(0, 0, 5), rv32.Lui(0, 0xFFFFF), rv32.Auipc(0, 1), rv32.Lw(0, regGP, 0),
		rv32.Add(0, 5, 6), rv32.Slli(0, 7, 3), rv32.Jal(0, 4), rv32.Auipc(5, 0), rv32.Jalr(0, 5, 8),
		rv32.Add(6, 0, 0), rv32.Sub(7, 0, 7), rv32.Or(8, 0, 0), rv32.Sw(0, regGP, 0), rv32.Lw(9, regGP, 0),
		rv32.Beq(0, 0, 8), rv32.Nop(), rv32.Addi(10, 0, 0))
	// shifts by 0, 1, 31 and by registers holding 0, 31, 32 and 63 (only the low 5 bits count)
	var sh []uint32
	sh = append(sh, li(5, 0x80000001)...)
	for _, s := range []uint32{0, 1, 31} {
		sh = append(sh, rv32.Slli(6, 5, s), rv32.Srli(7, 5, s), rv32.Srai(8, 5, s))
	}
	for _, s := range []uint32{0, 31, 32, 63, 0xFFFFFFE1} {
		sh = append(sh, li(9, s)...)
		sh = append(sh, rv32.Sll(10, 5, 9), rv32.Srl(11, 5, 9), rv32.Sra(12, 5, 9), rv32.Sra(13, 9, 9))
	}
	prog("shifts by 0 and 31", sh...)
	// branches on the signed/unsigned edges, taken and not taken
	var br []uint32
	pairs := [][2]uint32{{0, 0}, {1, 0}, {0x80000000, 1}, {0x7FFFFFFF, 0x80000000}, {0xFFFFFFFF, 0}, {5, 5}}
	brs := []func(int, int, int32) uint32{rv32.Beq, rv32.Bne, rv32.Blt, rv32.Bge, rv32.Bltu, rv32.Bgeu}
	for _, p := range pairs {
		br = append(br, li(5, p[0])...)
		br = append(br, li(6, p[1])...)
		for _, f := range brs {
			br = append(br, f(5, 6, 8), rv32.Addi(7, 7, 1), f(6, 5, 8), rv32.Addi(8, 8, 1))
		}
	}
	prog("branch edges", br...)
	// results used at once: register-file write then read in the next instruction
	prog("back to back", rv32.Addi(5, 0, 1), rv32.Add(5, 5, 5), rv32.Add(5, 5, 5), rv32.Sub(6, 5, 5),
		rv32.Sw(5, regGP, 0), rv32.Lw(7, regGP, 0), rv32.Add(7, 7, 7), rv32.Sb(7, regGP, 1),
		rv32.Lbu(8, regGP, 1), rv32.Jal(9, 4), rv32.Add(10, 9, 9), rv32.Lui(11, 1), rv32.Srai(11, 11, 12))
	// a store into the code: the core fetches what is in memory when it gets there
	prog("self-modifying", cat(li(5, rv32.Addi(6, 0, 42)), []uint32{rv32.Auipc(7, 0), rv32.Sw(5, 7, 8), rv32.Nop()})...)
	// each trap, last
	for _, c := range []struct {
		name string
		w    []uint32
	}{
		{"ecall", []uint32{rv32.Ecall()}},
		{"ebreak", []uint32{rv32.Ebreak()}},
		{"illegal zero", []uint32{0}},
		{"illegal csrrs", []uint32{rv32.EncI(0x73, 2, 5, 0, 0xC00)}},
		{"illegal mul", []uint32{rv32.EncR(0x33, 0, 1, 5, 6, 7)}},
		{"illegal fence.i", []uint32{rv32.EncI(0x0F, 1, 0, 0, 0)}},
		{"misaligned lh", []uint32{rv32.Lh(5, regGP, 1)}},
		{"misaligned lhu", []uint32{rv32.Lhu(5, regGP, -1)}},
		{"misaligned lw", []uint32{rv32.Lw(5, regGP, 2)}},
		{"misaligned lw+3", []uint32{rv32.Lw(5, regGP, 3)}},
		{"misaligned sh", []uint32{rv32.Sh(5, regGP, 3)}},
		{"misaligned sw", []uint32{rv32.Sw(5, regGP, 1)}},
		{"misaligned jal", []uint32{rv32.Jal(1, 6)}},
		{"misaligned jalr", []uint32{rv32.Auipc(5, 0), rv32.Jalr(1, 5, 10)}},
		{"misaligned branch", []uint32{rv32.Addi(5, 0, 1), rv32.Bne(5, 0, 10)}},
		{"misaligned branch not taken", []uint32{rv32.Beq(3, 0, 10)}},
	} {
		prog("trap: "+c.name, c.w...)
	}
	return out
}
