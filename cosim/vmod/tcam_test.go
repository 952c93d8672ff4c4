//go:build verilator

package vmod

import (
	"fmt"
	"math/rand"
	"testing"
)

// tcamEntry is one TCAM row as the register block writes it.
type tcamEntry struct {
	valid       bool
	value, mask uint32
	adj         uint16
}

// tcamResult is a lookup's answer.
type tcamResult struct {
	hit      bool
	idx, adj uint16
}

// tcamLookup is the contract: the lowest valid index whose value matches the key under its mask.
func tcamLookup(tab []tcamEntry, key uint32) tcamResult {
	for i, e := range tab {
		if e.valid && (key^e.value)&e.mask == 0 {
			return tcamResult{true, uint16(i), e.adj}
		}
	}
	return tcamResult{}
}

// lookup in flight: issued at clock `at`, any of `ok` is a right answer
type tcamPending struct {
	at  int
	key uint32
	ok  []tcamResult
}

func (p *tcamPending) allow(r tcamResult) {
	for _, o := range p.ok {
		if o == r {
			return
		}
	}
	p.ok = append(p.ok, r)
}

// lr_lpm_tcam_bram against the contract with lookups in every other clock or so while entries
// are written, deleted, re-pointed and read back. A lookup that overlaps the write of entry i may
// see the table before it, without entry i (while its bitmaps are rewritten) or after it; every
// other lookup must see exactly the table. The sweep's write-backs are skipped in clocks with a
// lookup (no bitmap is read and written in one clock), so heavy traffic exercises the re-reads.
func TestLPMTCAMBRAM(t *testing.T) {
	const n = TCAMEntries
	rng := rand.New(rand.NewSource(7))
	tab := make([]tcamEntry, n)
	var (
		clk      int
		pend     []*tcamPending
		looked   int // lookups checked
		inSweep  int // of them, issued while an entry was being rewritten
		writing  = -1
		sameKey  bool
		old, nw  tcamEntry
		lookupP  float64
		maxBusy  int
		busyFrom int
		hist     []string
	)
	randKey := func() uint32 {
		if rng.Intn(3) == 0 {
			return rng.Uint32()
		}
		e := tab[rng.Intn(n)] // near an entry: its value with random bits outside the mask
		return e.value&e.mask | rng.Uint32()&^e.mask
	}
	// allowed answers for a lookup now: the table, and during a write the states it passes
	allowed := func(p *tcamPending) {
		p.allow(tcamLookup(tab, p.key))
		if writing < 0 {
			return
		}
		saved := tab[writing]
		tab[writing] = old
		p.allow(tcamLookup(tab, p.key))
		if !sameKey {
			tab[writing] = tcamEntry{}
			p.allow(tcamLookup(tab, p.key))
		}
		tab[writing] = nw
		p.allow(tcamLookup(tab, p.key))
		tab[writing] = saved
	}
	step := func(c *TCAMClock) {
		if rng.Float64() < lookupP {
			c.Lookup, c.Key = true, randKey()
			p := &tcamPending{at: clk, key: c.Key}
			allowed(p)
			if writing >= 0 {
				inSweep++
			}
			pend = append(pend, p)
		}
		TCAMStep(c)
		if c.Resp {
			if len(pend) == 0 {
				t.Fatalf("clock %d: a response without a lookup", clk)
			}
			p := pend[0]
			pend = pend[1:]
			if clk-p.at != 2 {
				t.Fatalf("clock %d: response to the lookup of clock %d: want 3 clocks", clk, p.at)
			}
			got := tcamResult{c.Hit, c.HitIndex, c.HitAdj}
			ok := false
			for _, o := range p.ok {
				ok = ok || o == got
			}
			if !ok {
				for _, h := range hist[max(0, len(hist)-6):] {
					t.Log(h)
				}
				t.Fatalf("clock %d: lookup %08x (clock %d): got %+v, want one of %+v", clk, p.key, p.at, got, p.ok)
			}
			looked++
		}
		clk++
	}
	idle := func(k int) {
		for i := 0; i < k; i++ {
			step(&TCAMClock{})
		}
	}
	// a lookup that overlaps a write's first clocks read the table already (clock 1) but takes
	// `live` a clock later: it may see the write's states too
	overlap := func() {
		for _, p := range pend {
			if clk-p.at <= 2 {
				allowed(p)
			}
		}
	}

	lookupP = 0
	step(&TCAMClock{Rst: true})
	step(&TCAMClock{Rst: true})
	idle(2)

	for cmd := 0; cmd < 400; cmd++ {
		lookupP = []float64{0, 0.2, 0.5, 0.9}[rng.Intn(4)]
		i := rng.Intn(n)
		if rng.Intn(4) == 0 { // read-back
			c := &TCAMClock{Read: true, Index: uint16(i)}
			step(c)
			e := tab[i] // a deleted entry keeps the fields written with it
			if c.RdValid != e.valid || c.RdValue != e.value || c.RdMask != e.mask || c.RdAdj != e.adj {
				t.Fatalf("read-back of %d: got valid %v %08x/%08x adj %d, want %+v", i, c.RdValid, c.RdValue, c.RdMask, c.RdAdj, e)
			}
			idle(rng.Intn(4))
			continue
		}
		old = tab[i]
		switch r := rng.Intn(10); {
		case r == 0: // delete
			nw = tcamEntry{value: old.value, mask: old.mask, adj: old.adj}
		case r <= 2 && old.valid: // same key, a new adjacency (updated in place)
			nw = old
			nw.adj = uint16(rng.Intn(1 << 16))
		default:
			plen := rng.Intn(33)
			mask := uint32(0)
			if plen > 0 {
				mask = ^uint32(0) << (32 - plen)
			}
			if rng.Intn(5) == 0 {
				mask = rng.Uint32() // any ternary mask
			}
			nw = tcamEntry{valid: true, value: rng.Uint32() & mask, mask: mask, adj: uint16(rng.Intn(1 << 16))}
		}
		sameKey = old.valid && nw.valid && old.value == nw.value && old.mask == nw.mask
		hist = append(hist, fmt.Sprintf("clock %d: write %d %+v -> %+v same %v", clk, i, old, nw, sameKey))
		writing = i
		overlap()
		busyFrom = clk
		c := &TCAMClock{Write: true, Index: uint16(i), WrValid: nw.valid, WrValue: nw.value, WrMask: nw.mask, WrAdj: nw.adj}
		step(c)
		for c.Busy {
			if clk-busyFrom > 100000 {
				t.Fatalf("write of %d: busy for %d clocks", i, clk-busyFrom)
			}
			c = &TCAMClock{}
			step(c)
		}
		if d := clk - busyFrom; d > maxBusy {
			maxBusy = d
		}
		tab[i] = nw
		writing = -1
		idle(rng.Intn(3))
	}
	lookupP = 0
	idle(4)
	if len(pend) != 0 {
		t.Fatalf("%d lookups never answered", len(pend))
	}
	// everything written is read back
	for i := range tab {
		c := &TCAMClock{Read: true, Index: uint16(i)}
		step(c)
		if e := tab[i]; c.RdValid != e.valid || (e.valid && (c.RdValue != e.value || c.RdMask != e.mask || c.RdAdj != e.adj)) {
			t.Fatalf("final read-back of %d: got valid %v %08x/%08x adj %d, want %+v", i, c.RdValid, c.RdValue, c.RdMask, c.RdAdj, e)
		}
	}
	t.Logf("%d lookups checked, %d of them during a write; longest write %d clocks", looked, inSweep, maxBusy)
	if inSweep < 5000 {
		t.Fatalf("only %d lookups met a write: the test no longer exercises the sweep", inSweep)
	}
}
