//go:build verilator && !boardsim

package vboard

import (
	"testing"

	"github.com/linerate/linerate/cosim/traffic"
	"github.com/linerate/linerate/hostdrv/punt"
)

// A mix of traffic on every port, port 3 carried by the link: every frame leaves where the golden
// model says (port 3's as PORT_TX), punts arrive as PUNT frames with gapless punt seqs, and a
// burst read of all counters matches the model.
func TestForwardingAndPunts(t *testing.T) {
	r := newRouter(t, Options{UARTDiv: 4, LinkPorts: 1 << 3}, "demo.conf")
	frames := traffic.Mix(r.im, 11, 160, traffic.MixOptions{})
	exp := newExpect()
	for i, f := range frames {
		w := wire(f)
		exp.add(r.m.Receive(f.Port, w))
		r.b.Push(f.Port, w)
		if i%20 == 19 { // batches small enough for the punt FIFO
			r.run(r.budget(20000))
		}
	}
	r.run(r.budget(20000))
	out := outByPort(r.b.Out())
	dev := r.take()
	tx := portTX(t, dev)
	for p := 0; p < r.b.Info().Ports; p++ {
		got := out[p]
		if p == 3 {
			got = tx[3]
			if len(out[3]) != 0 {
				t.Errorf("link port 3 sent %d frames on Out", len(out[3]))
			}
		}
		if err := sameFrames(got, exp.ports[p]); err != nil {
			t.Errorf("port %d: %v", p, err)
		}
	}
	punts, seqs := puntsOf(t, dev)
	if err := sameFrames(punts, exp.punts); err != nil {
		t.Errorf("punts: %v", err)
	}
	for i, s := range seqs {
		if s != uint32(i) {
			t.Fatalf("punt %d has seq %d: not gapless", i, s)
		}
	}
	for _, p := range punts {
		h, _ := punt.Parse(p)
		if h.Version != punt.Version || !h.Reason.IsPunt() {
			t.Errorf("punt header %v", h)
		}
	}
	c, mc := r.counters(r.b.Info().Ports), r.m.Counters()
	for p := range mc.RxFrames {
		if c.RxFrames[p] != mc.RxFrames[p] || c.RxBytes[p] != mc.RxBytes[p] || c.TxFrames[p] != mc.TxFrames[p] || c.TxBytes[p] != mc.TxBytes[p] {
			t.Errorf("port %d counters %d/%d/%d/%d, model %d/%d/%d/%d", p, c.RxFrames[p], c.RxBytes[p], c.TxFrames[p], c.TxBytes[p],
				mc.RxFrames[p], mc.RxBytes[p], mc.TxFrames[p], mc.TxBytes[p])
		}
	}
	if c.Reason != mc.Reason || c.CPUFrames != mc.CPUFrames || c.CPUBytes != mc.CPUBytes {
		t.Errorf("reason/CPU counters differ:\n rtl %v %d %d\nmodel %v %d %d", c.Reason, c.CPUFrames, c.CPUBytes, mc.Reason, mc.CPUFrames, mc.CPUBytes)
	}
	l := r.linkRegs()
	if l[linkPuntFrames] != uint32(len(exp.punts)) || l[linkPuntDropped] != 0 || l[linkPortFrames] != uint32(len(tx[3])) || l[linkPortDropped] != 0 {
		t.Errorf("link registers %x", l)
	}
	if s := r.b.Stats(); s != (Stats{}) {
		t.Errorf("stats %+v", s)
	}
}

// A punt flood on every port while the UART is slow: the punt FIFO drops whole punts (counted),
// the punts that arrive keep increasing seqs, and the core never stalls: every forwarded frame
// leaves on time.
func TestPuntFlood(t *testing.T) {
	r := newRouter(t, Options{UARTDiv: 16}, "demo.conf")
	frames := traffic.Mix(r.im, 5, 600, traffic.MixOptions{OnlyValid: true, Weights: map[string]int{
		traffic.KindForward: 1, traffic.KindToMe: 1, traffic.KindTTLExpired: 1, traffic.KindARP: 1}})
	exp := newExpect()
	perPort := map[int]int{}
	for _, f := range frames {
		w := wire(f)
		exp.add(r.m.Receive(f.Port, w))
		r.b.Push(f.Port, w)
		perPort[f.Port] += len(w)
	}
	// the frames enter at port speed, far faster than the UART drains punts: give them twice
	// the time their bytes take at one beat per clock on the busiest port and on the CPU stream
	// (which all punts share)
	most, puntBytes := 0, 0
	for _, n := range perPort {
		most = max(most, n)
	}
	for _, p := range exp.punts {
		puntBytes += len(p)
	}
	cycles, idle := r.b.Run(uint64(2*(most+puntBytes)/(r.b.Info().DataWidth/8) + 20_000))
	if idle {
		t.Fatalf("idle after %d clocks: no flood", cycles)
	}
	out := outByPort(r.b.Out())
	for p := 0; p < r.b.Info().Ports; p++ {
		if err := sameFrames(out[p], exp.ports[p]); err != nil {
			t.Errorf("port %d, forwarded frames within %d clocks: %v", p, cycles, err)
		}
	}
	// a request during the flood is answered before the queued punts (at the next frame boundary)
	for _, f := range r.feed() {
		r.frames = append(r.frames, f)
	}
	before := len(r.frames)
	r.seq++
	r.b.UARTWrite(appendReq(nil, tReg, r.seq, ops{}.read(linkPuntFrames, 2)))
	var answer []uint32
	for i := 0; answer == nil && i < 200; i++ {
		r.b.Run(10_000)
		for _, f := range r.feed() {
			if f.Type == tPunt {
				r.frames = append(r.frames, f)
			} else if f.Seq == r.seq {
				_, answer = parseRegAnswer(t, f)
			}
		}
	}
	if answer == nil || answer[1] == 0 {
		t.Fatalf("no answer during the flood (%v)", answer)
	}
	if n := len(r.frames) - before; n > 2 {
		t.Errorf("%d punts went before the answer", n)
	}
	r.run(r.budget(20000))
	if extra := r.b.Out(); len(extra) != 0 {
		t.Errorf("%d frames left late", len(extra))
	}
	punts, seqs := puntsOf(t, r.take())
	want := map[string]int{}
	for _, p := range exp.punts {
		want[string(p)]++
	}
	for _, p := range punts {
		if want[string(p)] == 0 {
			t.Fatalf("unexpected punt %x", p)
		}
		want[string(p)]--
	}
	total := uint32(len(exp.punts))
	if len(seqs) > 0 && seqs[len(seqs)-1] >= total {
		t.Errorf("punt seq %d of %d punts", seqs[len(seqs)-1], total)
	}
	l := r.linkRegs()
	if l[linkPuntDropped] == 0 || l[linkPuntFrames] != uint32(len(punts)) || l[linkPuntFrames]+l[linkPuntDropped] != total {
		t.Errorf("punt_frames %d + punt_dropped %d, want %d punts, %d delivered", l[linkPuntFrames], l[linkPuntDropped], total, len(punts))
	}
	c := r.counters(r.b.Info().Ports)
	if c.CPUFrames != total {
		t.Errorf("cpu_frames %d, want %d", c.CPUFrames, total)
	}
	t.Logf("%d punts: %d delivered, %d dropped; %d forwarded", total, len(punts), l[linkPuntDropped], len(frames)-int(total))
}
