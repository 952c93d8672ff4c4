//go:build verilator

package vmod

import (
	"bytes"
	"math/rand"
	"testing"
)

// fifoFrame is one frame offered to the FIFO: its bytes (the first two its number, so every
// frame differs) and its tag.
type fifoFrame struct {
	data []byte
	tag  uint8
}

// TestLinkFIFOShared drives lr_link_fifo as lr_link's shared FIFO (three sources' frames tagged,
// storage single-ported) through three phases: frames spaced so a fast reader keeps up (nothing
// may drop), bursts against a slow reader with frames longer than the FIFO (some must drop, the
// long ones always), and a drain. Every frame offered must leave whole, in order, with its tag,
// or be reported dropped once with its tag; the output holds still while not taken.
func TestLinkFIFOShared(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	var cs []LinkFIFOClock
	var offered []fifoFrame
	newFrame := func(n int) fifoFrame {
		f := fifoFrame{data: make([]byte, n), tag: uint8(rng.Intn(3))}
		rng.Read(f.data)
		f.data[0], f.data[1] = byte(len(offered)), byte(len(offered)>>8)
		offered = append(offered, f)
		return f
	}
	send := func(f fifoFrame, ready func() bool) {
		for i, b := range f.data {
			cs = append(cs, LinkFIFOClock{InValid: true, InData: b, InLast: i == len(f.data)-1, InDest: f.tag, OutReady: ready()})
		}
	}
	idle := func(n int, ready func() bool) {
		for i := 0; i < n; i++ {
			cs = append(cs, LinkFIFOClock{OutReady: ready()})
		}
	}
	always := func() bool { return true }
	slow := func() bool { return rng.Intn(8) == 0 }

	for i := 0; i < 4; i++ {
		cs = append(cs, LinkFIFOClock{Rst: true})
	}
	// phase 1: room for every frame
	for i := 0; i < 200; i++ {
		f := newFrame(2 + rng.Intn(120))
		send(f, always)
		idle(len(f.data)+4, always)
	}
	spaced := len(offered)
	phase1End := len(cs)
	// phase 2: bursts, a slow reader, some frames longer than the FIFO
	long := map[int]bool{}
	for i := 0; i < 400; i++ {
		n := 2 + rng.Intn(100)
		if rng.Intn(10) == 0 {
			n = LinkFIFOBytes + 1 + rng.Intn(100)
			long[len(offered)] = true
		}
		send(newFrame(n), slow)
		idle(rng.Intn(4), slow)
	}
	// phase 3: drain
	idle(20*LinkFIFOBytes, always)
	LinkFIFORun(cs)

	// what left, and what was reported dropped
	type outFrame struct {
		data []byte
		tag  uint8
	}
	var outs []outFrame
	var drops []uint8
	var cur []byte
	var curTag uint8
	dropsPhase1 := 0
	for i := 1; i < len(cs); i++ {
		prev, c := cs[i-1], cs[i]
		if c.Drop {
			drops = append(drops, c.DropTag)
			if i < phase1End {
				dropsPhase1++
			}
		}
		if c.Rst || prev.Rst || !prev.OutValid {
			continue
		}
		if !c.OutReady {
			if !c.OutValid || c.OutData != prev.OutData || c.OutLast != prev.OutLast || c.OutDest != prev.OutDest {
				t.Fatalf("clock %d: the output changed while not taken", i)
			}
			continue
		}
		if len(cur) > 0 && prev.OutDest != curTag {
			t.Fatalf("clock %d: tag %d within a frame of tag %d", i, prev.OutDest, curTag)
		}
		cur, curTag = append(cur, prev.OutData), prev.OutDest
		if prev.OutLast {
			outs = append(outs, outFrame{cur, curTag})
			cur = nil
		}
	}
	if len(cur) != 0 {
		t.Fatalf("a frame left without its last byte (%d bytes)", len(cur))
	}
	if !cs[len(cs)-1].Empty {
		t.Fatal("not empty after the drain")
	}
	if dropsPhase1 != 0 {
		t.Fatalf("%d frames dropped while the reader kept up", dropsPhase1)
	}

	oi, di := 0, 0
	for i, f := range offered {
		if oi < len(outs) && bytes.Equal(outs[oi].data, f.data) {
			if outs[oi].tag != f.tag {
				t.Fatalf("frame %d left with tag %d, offered with %d", i, outs[oi].tag, f.tag)
			}
			if long[i] {
				t.Fatalf("frame %d (%d bytes) left through a %d-byte FIFO", i, len(f.data), LinkFIFOBytes)
			}
			oi++
			continue
		}
		if di >= len(drops) {
			t.Fatalf("frame %d (%d bytes, tag %d) neither left nor was reported dropped", i, len(f.data), f.tag)
		}
		if drops[di] != f.tag {
			t.Fatalf("frame %d (tag %d) dropped as tag %d", i, f.tag, drops[di])
		}
		di++
	}
	if oi != len(outs) || di != len(drops) {
		t.Fatalf("%d frames left and %d drops beyond the %d offered", len(outs)-oi, len(drops)-di, len(offered))
	}
	if len(drops) == 0 || oi <= spaced {
		t.Fatalf("the bursts dropped %d and passed %d frames: the test did not fill the FIFO", len(drops), oi-spaced)
	}
	t.Logf("%d frames offered: %d left in order with their tags, %d dropped (%d longer than the FIFO), over %d clocks",
		len(offered), len(outs), len(drops), len(long), len(cs))
}
