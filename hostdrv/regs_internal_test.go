package hostdrv

import (
	"testing"

	"github.com/linerate/linerate/hostdrv/link"
	"github.com/linerate/linerate/hostdrv/regmap"
)

// TestPackKeepsUnitsWhole: a request ends only between units (an entry's INDEX/CMD and its
// staging reads or writes travel together), whatever the size limit, unless one unit alone is
// larger than a request.
func TestPackKeepsUnitsWhole(t *testing.T) {
	b := &Batch{idempotent: true}
	for i := 0; i < 50; i++ {
		b.ReadEntry(&regmap.TableAdj, i)
	}
	b.Ops(regmap.TableLPM.EntryWrites(nil, 3, []uint32{1, 2, 3, 4}))
	unitBytes, unitReads := b.unitCost(0)
	if unitBytes != 2*link.OpHeader+8 || unitReads != len(regmap.TableAdj.Fields) {
		t.Fatalf("unit cost %d bytes %d reads", unitBytes, unitReads)
	}
	for _, limit := range []int{32, 33, 3*unitBytes - 1, minRequest, 1000} { // 32: the LPM write unit
		p := pos{}
		units := 0
		for p.i < len(b.ops) {
			payload, reads, words, next := b.pack(p, limit, 1000)
			if words == 0 || len(payload) > limit || (next.i < len(b.ops) && next.k != 0) {
				t.Fatalf("limit %d: request of %d bytes, %d words, next %+v", limit, len(payload), words, next)
			}
			if next.i < len(b.ops) && !b.ops[next.i-1].end {
				t.Fatalf("limit %d: request ends inside a unit at op %d", limit, next.i)
			}
			units++
			_ = reads
			p = next
		}
		if units == 0 {
			t.Fatal("nothing packed")
		}
	}
	// a unit larger than the limit is split rather than stuck
	big := &Batch{idempotent: true}
	big.Read(regmap.CounterAddr(0), 300)
	p, n := pos{}, 0
	for p.i < len(big.ops) {
		_, reads, _, next := big.pack(p, 64, 10)
		if reads == 0 || reads > 10 {
			t.Fatalf("split read of %d words", reads)
		}
		n += reads
		p = next
	}
	if n != 300 {
		t.Fatalf("%d words read", n)
	}
}
