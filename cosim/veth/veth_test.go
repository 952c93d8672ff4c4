//go:build verilator

package veth

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"testing"
)

const (
	maxFrame   = 1536 // lr_eth_rgmii MAX_FRAME_BYTES (the Makefile builds the defaults)
	fifoBytes  = 2048 // RX_FIFO_BYTES, TX_FIFO_BYTES
	ifg        = 12   // IFG_BYTES
	linkStatus = 0x0D // RTL8211F in-band status between frames: link up, 1000 Mb/s, full duplex
	us         = 1e6  // picoseconds
	core150    = 6667 // a core clock faster than the wire (150 MHz), so the receive FIFO never fills
	tailPS     = 400 * us
)

// newSim makes a port for one test; VETH_FST=path writes its waveform.
func newSim(t *testing.T, o Options) *Sim {
	t.Helper()
	o.WavePath = os.Getenv("VETH_FST")
	s, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// reproduce is the line every failure ends with.
func reproduce(t *testing.T) string {
	return fmt.Sprintf("reproduce with a waveform: VETH_FST=/tmp/veth.fst go test -count=1 -tags verilator -run '^%s$' ./cosim/veth/", t.Name())
}

// run runs one batch and fails on what no test expects: a timeout, lost output, a broken stream.
func run(t *testing.T, s *Sim, r Run) Result {
	t.Helper()
	if r.TailPS == 0 {
		r.TailPS = tailPS
	}
	if r.MaxPS == 0 {
		r.MaxPS = uint64(len(r.RX))*8000*2 + uint64(len(r.TX))*21000*4 + r.TailPS + 100*us
	}
	res, err := s.Run(r)
	if err != nil {
		t.Fatalf("%v; %s", err, reproduce(t))
	}
	if res.TimedOut {
		t.Fatalf("timed out after %d ps: %d of %d transmit beats taken; %s", res.RanPS, res.TxTaken, len(r.TX), reproduce(t))
	}
	if res.ProtocolErrors != 0 {
		t.Fatalf("m_axis_rx broke the stream rules %d times; %s", res.ProtocolErrors, reproduce(t))
	}
	return res
}

// wire builds receive pins: frames with their preamble, idle (in-band status) between them.
type wire struct{ g []GMII }

func (w *wire) frame(f []byte)  { w.g = append(w.g, Frame(f)...) }
func (w *wire) idle(n int)      { w.g = append(w.g, Idle(n, linkStatus)...) }
func (w *wire) raw(g ...GMII)   { w.g = append(w.g, g...) }
func (w *wire) cycles() []Cycle { return Encode(append(w.g, Idle(16, linkStatus)...)) }

// beats turns frames into a core-side stream.
func beats(frames ...[]byte) []Beat {
	var out []Beat
	for _, f := range frames {
		for i, b := range f {
			out = append(out, Beat{Data: b, Last: i == len(f)-1})
		}
	}
	return out
}

// received splits the core-side receive stream into frames.
func received(t *testing.T, bs []Beat) [][]byte {
	t.Helper()
	var out [][]byte
	var cur []byte
	for _, b := range bs {
		cur = append(cur, b.Data)
		if b.Last {
			out = append(out, cur)
			cur = nil
		}
	}
	if len(cur) != 0 {
		t.Fatalf("receive stream ends inside a frame (%d bytes without tlast); %s", len(cur), reproduce(t))
	}
	return out
}

// sent decodes the transmit pins into frames, checking TXC, preamble, SFD and TX_ER.
func sent(t *testing.T, pins []Cycle) []WireFrame {
	t.Helper()
	g, err := Decode(pins, true)
	if err != nil {
		t.Fatalf("transmit pins: %v; %s", err, reproduce(t))
	}
	fs, err := Frames(g)
	if err != nil {
		t.Fatalf("transmit pins: %v; %s", err, reproduce(t))
	}
	return fs
}

// sameFrames fails unless got equals want frame by frame, naming the first frame that differs.
func sameFrames(t *testing.T, stage string, got, want [][]byte) {
	t.Helper()
	for i := 0; i < len(got) && i < len(want); i++ {
		if !bytes.Equal(got[i], want[i]) {
			d := firstDiff(got[i], want[i])
			t.Fatalf("%s: frame %d (seq %d) differs from byte %d:\n  rtl:  %s\n  sent: %s\n%s",
				stage, i, seqOf(want[i]), d, describe(got[i]), describe(want[i]), reproduce(t))
		}
	}
	if len(got) != len(want) {
		t.Fatalf("%s: %d frames, want %d; %s", stage, len(got), len(want), reproduce(t))
	}
}

// checkGaps fails if two transmitted frames are closer than the inter-frame gap.
func checkGaps(t *testing.T, fs []WireFrame) {
	t.Helper()
	for i, f := range fs {
		if f.Gap >= 0 && f.Gap < ifg {
			t.Fatalf("transmit frame %d follows the previous after %d idle bytes, want >= %d; %s", i, f.Gap, ifg, reproduce(t))
		}
	}
}

func wireData(fs []WireFrame) [][]byte {
	out := make([][]byte, len(fs))
	for i, f := range fs {
		out[i] = f.Data
	}
	return out
}

// sweepSizes: every size 64..130, then the sizes around powers of two and the maximum.
func sweepSizes() []int {
	var n []int
	for s := 64; s <= 130; s++ {
		n = append(n, s)
	}
	return append(n, 255, 256, 257, 511, 512, 1000, 1023, 1024, 1499, 1500, 1514, 1518, maxFrame)
}

func pace(r *rand.Rand, n, rxStallPct, txGapPct int) []uint8 {
	p := make([]uint8, n)
	for i := range p {
		if r.IntN(100) >= rxStallPct {
			p[i] |= PaceRxReady
		}
		if r.IntN(100) >= txGapPct {
			p[i] |= PaceTxValid
		}
	}
	return p
}

// TestRxFrameSizes receives every size from 64 to MAX_FRAME_BYTES: back-to-back at full wire
// rate (minimum preamble and gap) into a core clock faster than the wire, and at 48 MHz with
// gaps long enough for the core to keep up. Every frame arrives whole, nothing is dropped.
func TestRxFrameSizes(t *testing.T) {
	for _, tc := range []struct {
		name string
		core uint32
		gap  func(n int) int
	}{
		{"wire-rate", core150, func(int) int { return ifg }},
		{"core48", 0, func(n int) int { return 3*n + 64 }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newSim(t, Options{CorePeriodPS: tc.core})
			var w wire
			var want [][]byte
			w.idle(20)
			for i, n := range sweepSizes() {
				f := buildFrame(n, uint32(i))
				want = append(want, f)
				w.frame(f)
				w.idle(tc.gap(n))
			}
			res := run(t, s, Run{RX: w.cycles()})
			sameFrames(t, "receive", received(t, res.RX), want)
			if res.Stats != (Stats{}) {
				t.Fatalf("stats %+v, want none; %s", res.Stats, reproduce(t))
			}
		})
	}
}

// TestRxBurst: a burst of small frames at full wire rate into the 48 MHz core fits the receive
// FIFO (about 2 KB, the core drains 48/125 of it meanwhile): nothing is dropped.
func TestRxBurst(t *testing.T) {
	s := newSim(t, Options{})
	r := rand.New(rand.NewPCG(2, 2))
	var w wire
	var want [][]byte
	for i := range 20 {
		f := buildFrame(64+r.IntN(33), uint32(i))
		want = append(want, f)
		w.frame(f)
		w.idle(ifg)
	}
	res := run(t, s, Run{RX: w.cycles()})
	sameFrames(t, "receive", received(t, res.RX), want)
	if res.Stats != (Stats{}) {
		t.Fatalf("stats %+v, want none; %s", res.Stats, reproduce(t))
	}
}

// TestRxOverflow receives frames back to back at full wire rate while the 48 MHz core stalls
// at random, with frames going out the other way meanwhile. The receive FIFO overflows: every
// frame delivered is whole and in order, every other one is counted as dropped, none as an error.
func TestRxOverflow(t *testing.T) {
	s := newSim(t, Options{})
	r := rand.New(rand.NewPCG(3, 3))
	var w wire
	var rxWant [][]byte
	w.idle(20)
	for i := range 200 {
		f := buildFrame(64+r.IntN(1518-64+1), uint32(i))
		rxWant = append(rxWant, f)
		w.frame(f)
		w.idle(ifg)
	}
	var txWant [][]byte
	for i := range 30 {
		txWant = append(txWant, buildFrame(64+r.IntN(600), uint32(1000+i)))
	}
	res := run(t, s, Run{RX: w.cycles(), TX: beats(txWant...), Pace: pace(r, 4099, 40, 10)})

	got := received(t, res.RX)
	j := 0
	for i, f := range got {
		for j < len(rxWant) && seqOf(rxWant[j]) != seqOf(f) {
			j++
		}
		if j == len(rxWant) {
			t.Fatalf("received frame %d (%s, seq %d) is not a later sent frame: out of order or corrupt; %s",
				i, describe(f), seqOf(f), reproduce(t))
		}
		if !bytes.Equal(f, rxWant[j]) {
			t.Fatalf("received frame %d (seq %d) differs from byte %d:\n  rtl:  %s\n  sent: %s\n%s",
				i, seqOf(f), firstDiff(f, rxWant[j]), describe(f), describe(rxWant[j]), reproduce(t))
		}
		j++
	}
	dropped := len(rxWant) - len(got)
	t.Logf("%d of %d frames delivered, %d dropped (stat_rx_drop_overflow %d)", len(got), len(rxWant), dropped, res.Stats.RxDropOverflow)
	if dropped == 0 {
		t.Fatalf("no frame dropped: the test no longer overflows the FIFO; %s", reproduce(t))
	}
	if int(res.Stats.RxDropOverflow) != dropped || res.Stats.RxDropError != 0 || res.Stats.TxDropOversize != 0 {
		t.Fatalf("stats %+v, want %d overflow drops only; %s", res.Stats, dropped, reproduce(t))
	}
	fs := sent(t, res.TXPins)
	checkGaps(t, fs)
	sameFrames(t, "transmit", wireData(fs), txWant)

	// Afterwards, with the core always ready and time to drain, nothing more is lost: the drops
	// left the FIFO empty, not clogged with the remains of dropped frames.
	w = wire{}
	rxWant = nil
	for i := range 20 {
		f := buildFrame(64+r.IntN(1518-64+1), uint32(500+i))
		rxWant = append(rxWant, f)
		w.frame(f)
		w.idle(3*len(f) + 64)
	}
	before := res.Stats
	res = run(t, s, Run{RX: w.cycles()})
	sameFrames(t, "receive after the overflow", received(t, res.RX), rxWant)
	if res.Stats != before {
		t.Fatalf("stats went from %+v to %+v without an overflow; %s", before, res.Stats, reproduce(t))
	}
}

// TestRxFifoBoundary fills the receive FIFO with the core stalled: it holds fifoBytes words in
// its RAM plus one in its output register. Two frames that fill it exactly both arrive; one byte
// more and the second frame is dropped on its very last byte, which must not commit it.
func TestRxFifoBoundary(t *testing.T) {
	for _, tc := range []struct {
		name    string
		second  int
		dropped bool
	}{
		{"fits", fifoBytes + 1 - 1024, false},
		{"last-byte-overflows", fifoBytes + 2 - 1024, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newSim(t, Options{})
			a, b, c := buildFrame(1024, 1), buildFrame(tc.second, 2), buildFrame(64, 3)
			var w wire
			w.idle(20)
			w.frame(a)
			w.idle(ifg)
			w.frame(b)
			w.idle(ifg)
			stalled := []uint8{0} // m_axis_rx_tready low throughout
			res := run(t, s, Run{RX: w.cycles(), Pace: stalled, TailPS: 20 * us})
			if len(res.RX) != 0 {
				t.Fatalf("%d beats taken with tready low; %s", len(res.RX), reproduce(t))
			}
			w = wire{}
			w.idle(1000) // the core drains some of the full FIFO first
			w.frame(c)
			res2 := run(t, s, Run{RX: w.cycles()})
			want := [][]byte{a, b, c}
			var drops uint32
			if tc.dropped {
				want, drops = [][]byte{a, c}, 1
			}
			sameFrames(t, "receive", received(t, res2.RX), want)
			if res2.Stats != (Stats{RxDropOverflow: drops}) {
				t.Fatalf("stats %+v, want %d overflow drops; %s", res2.Stats, drops, reproduce(t))
			}
		})
	}
}

// TestRxErrorsAndGarbage: frames with RX_ER (in the frame, in the preamble) are dropped and
// counted as errors; receptions without an SFD (garbage, a preamble alone) are ignored; a frame
// longer than the FIFO is dropped as an overflow; false carrier (RX_ER without RX_DV) and the
// in-band status between frames are ignored. Every good frame around them arrives.
func TestRxErrorsAndGarbage(t *testing.T) {
	s := newSim(t, Options{})
	r := rand.New(rand.NewPCG(4, 4))
	var w wire
	var want [][]byte
	seq := uint32(0)
	good := func() {
		f := buildFrame(64+r.IntN(200), seq)
		seq++
		want = append(want, f)
		w.frame(f)
		w.idle(600) // time for the 48 MHz core to drain it
	}
	en := func(bs ...byte) []GMII {
		g := make([]GMII, len(bs))
		for i, b := range bs {
			g[i] = GMII{Data: b, En: true}
		}
		return g
	}

	w.idle(20)
	good()
	// RX_ER on one byte in the middle of a frame
	bad := Frame(buildFrame(300, 900))
	bad[100].Er = true
	w.raw(bad...)
	w.idle(600)
	good()
	// RX_ER in the preamble
	bad = Frame(buildFrame(80, 901))
	bad[3].Er = true
	w.raw(bad...)
	w.idle(600)
	good()
	// garbage: a preamble, then random bytes (never an SFD right after the 0x55s)
	g := en(0x55, 0x55, 0x55)
	for range 100 {
		g = append(g, GMII{Data: byte(r.IntN(0xD5)), En: true})
	}
	g[3].Data = 0x17
	w.raw(g...)
	w.idle(ifg)
	good()
	// garbage without a preamble: RX_DV with bytes that never start with 0x55 or 0xD5
	w.raw(en(0x00, 0xD5, 0x12, 0x34, 0xD5)...)
	w.idle(ifg)
	good()
	// a preamble that ends without an SFD
	w.raw(en(0x55, 0x55, 0x55, 0x55, 0x55, 0x55, 0x55)...)
	w.idle(ifg)
	good()
	// false carrier: RX_ER without RX_DV, between frames
	w.raw(GMII{Data: 0x0E, Er: true}, GMII{Data: 0x0E, Er: true})
	w.idle(ifg)
	good()
	// a frame longer than the receive FIFO
	w.frame(buildFrame(fifoBytes+500, 902))
	w.idle(600)
	good()
	// an SFD and nothing after it
	w.raw(en(0x55, 0xD5)...)
	w.idle(ifg)
	good()

	res := run(t, s, Run{RX: w.cycles()})
	sameFrames(t, "receive", received(t, res.RX), want)
	if want := (Stats{RxDropError: 2, RxDropOverflow: 1}); res.Stats != want {
		t.Fatalf("stats %+v, want %+v; %s", res.Stats, want, reproduce(t))
	}
}

// TestTxFrames sends every size from 64 to MAX_FRAME_BYTES with random gaps in the core's
// stream: each leaves with 7 x 0x55, the SFD and its bytes, at least 12 idle bytes apart.
func TestTxFrames(t *testing.T) {
	s := newSim(t, Options{})
	r := rand.New(rand.NewPCG(5, 5))
	var want [][]byte
	for i, n := range sweepSizes() {
		want = append(want, buildFrame(n, uint32(i)))
	}
	res := run(t, s, Run{TX: beats(want...), Pace: pace(r, 1021, 0, 30)})
	fs := sent(t, res.TXPins)
	checkGaps(t, fs)
	sameFrames(t, "transmit", wireData(fs), want)
	if res.Stats != (Stats{}) {
		t.Fatalf("stats %+v, want none; %s", res.Stats, reproduce(t))
	}
}

// TestTxBackToBack slows the transmit clock below the core's byte rate, so frames queue in the
// FIFO: they leave back to back, exactly IFG_BYTES apart, never closer.
func TestTxBackToBack(t *testing.T) {
	s := newSim(t, Options{TxPeriodPS: 32000})
	r := rand.New(rand.NewPCG(6, 6))
	var want [][]byte
	for i := range 40 {
		want = append(want, buildFrame(64+r.IntN(300), uint32(i)))
	}
	res := run(t, s, Run{TX: beats(want...), TailPS: 2000 * us})
	fs := sent(t, res.TXPins)
	checkGaps(t, fs)
	sameFrames(t, "transmit", wireData(fs), want)
	minGap := -1
	for _, f := range fs[1:] {
		if minGap < 0 || f.Gap < minGap {
			minGap = f.Gap
		}
	}
	if minGap != ifg {
		t.Fatalf("queued frames left %d idle bytes apart at the closest, want exactly %d; %s", minGap, ifg, reproduce(t))
	}
}

// TestTxWaitsForWholeFrame gives the MAC most of a frame and holds back its end: nothing may
// start on the wire. Once the end comes, the frame leaves whole.
func TestTxWaitsForWholeFrame(t *testing.T) {
	s := newSim(t, Options{})
	f := buildFrame(1000, 7)
	b := beats(f)
	res := run(t, s, Run{TX: b[:900], TailPS: 100 * us})
	if res.TxTaken != 900 {
		t.Fatalf("MAC took %d of 900 beats; %s", res.TxTaken, reproduce(t))
	}
	g, err := Decode(res.TXPins, true)
	if err != nil {
		t.Fatal(err)
	}
	for i, x := range g {
		if x.En {
			t.Fatalf("TX_EN at byte time %d with the frame incomplete in the FIFO; %s", i, reproduce(t))
		}
	}
	res = run(t, s, Run{TX: b[900:]})
	sameFrames(t, "transmit", wireData(sent(t, res.TXPins)), [][]byte{f})
}

// TestTxOversize: frames longer than MAX_FRAME_BYTES are dropped whole and counted; a frame of
// exactly MAX_FRAME_BYTES and the frames around them leave intact.
func TestTxOversize(t *testing.T) {
	s := newSim(t, Options{})
	a, max, c := buildFrame(100, 1), buildFrame(maxFrame, 2), buildFrame(64, 3)
	res := run(t, s, Run{TX: beats(a, buildFrame(maxFrame+1, 10), max, buildFrame(3000, 11), c)})
	fs := sent(t, res.TXPins)
	checkGaps(t, fs)
	sameFrames(t, "transmit", wireData(fs), [][]byte{a, max, c})
	if want := (Stats{TxDropOversize: 2}); res.Stats != want {
		t.Fatalf("stats %+v, want %+v; %s", res.Stats, want, reproduce(t))
	}
}
