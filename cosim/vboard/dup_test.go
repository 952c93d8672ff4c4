//go:build verilator && !boardsim

package vboard

import (
	"bytes"
	"testing"

	"github.com/linerate/linerate/cosim/model"
	"github.com/linerate/linerate/cosim/traffic"
	"github.com/linerate/linerate/hostdrv/regmap"
)

// A resent REG (same seq) gets the kept answer and is not executed again: its CTRL counter clear
// does not run a second time, and its reads are not taken again.
func TestDuplicateReg(t *testing.T) {
	r := newRouter(t, Options{}, "small.conf")
	rx0 := regmap.CounterAddr(regmap.PortCounter(0, 0))
	frames := traffic.BackToBack(r.im, 3, 64)
	for _, f := range frames {
		r.b.Push(f.Port, wire(f))
	}
	r.run(r.budget(0))
	r.b.Out()

	clear := ops{}.read(rx0, 1).read(linkRxDup, 1).write(regCtrl, 1).read(rx0, 1)
	seq := r.seq + 1
	r.seq = seq
	first := r.requestSeq(tReg, seq, clear)
	st, w := parseRegAnswer(t, first)
	if st != attached|stOK || w[0] != 3 || w[1] != 0 || w[2] != 0 {
		t.Fatalf("first: status %#x words %v", st, w)
	}
	// more traffic, then the same request again
	for _, f := range frames {
		r.b.Push(f.Port, wire(f))
	}
	r.run(r.budget(0))
	again := r.requestSeq(tReg, seq, clear)
	if !bytes.Equal(again.Payload, first.Payload) {
		t.Errorf("resent answer %x, first %x", again.Payload, first.Payload)
	}
	if v := r.read1(rx0); v != 3 {
		t.Errorf("port 0 rx_frames = %d: the clear ran again (want 3)", v)
	}
	if v := r.read1(linkRxDup); v != 1 {
		t.Errorf("rx_dup = %d, want 1", v)
	}
	// the kept answer is the last one only: the previous seq executes anew
	if st, w := parseRegAnswer(t, r.requestSeq(tReg, seq, clear)); st != attached|stOK || w[0] != 3 {
		t.Errorf("old seq after other requests: status %#x words %v (want executed)", st, w)
	}
	// HELLO forgets the kept answer
	last := r.seq
	r.hello()
	if v := r.read1(rx0); v != 0 {
		t.Fatalf("rx_frames %d", v)
	}
	r.requestSeq(tReg, r.seq, ops{}.write(regScratch, 9)) // r.seq is the read1's seq: kept
	_ = last
	seq2 := r.seq + 1
	r.seq = seq2
	r.requestSeq(tReg, seq2, ops{}.write(regScratch, 10))
	r.hello()
	if st, _ := parseRegAnswer(t, r.requestSeq(tReg, seq2, ops{}.write(regScratch, 11))); st != attached|stOK {
		t.Fatal(st)
	}
	if v := r.read1(regScratch); v != 11 {
		t.Errorf("SCRATCH = %d: a request after HELLO with the old seq was not executed", v)
	}
}

// A resent INJECT is not injected twice.
func TestDuplicateInject(t *testing.T) {
	h := newHost(t, Options{})
	h.hello()
	frame := bytes.Repeat([]byte{0x42}, 70)
	payload := injectPayload(1, false, frame)
	h.seq++
	a1 := h.requestSeq(tInject, h.seq, payload)
	a2 := h.requestSeq(tInject, h.seq, payload)
	if !bytes.Equal(a1.Payload, a2.Payload) || a1.Payload[0] != attached|stOK {
		t.Fatalf("answers %x and %x", a1.Payload, a2.Payload)
	}
	out := h.b.Out()
	if len(out) != 1 || out[0].Port != 1 || !bytes.Equal(out[0].Data, model.FCSInsert(frame)) {
		t.Fatalf("out %v", out)
	}
	r := h.linkRegs()
	if r[linkInjectCount] != 1 || r[linkRxDup] != 1 {
		t.Errorf("inject_frames %d rx_dup %d", r[linkInjectCount], r[linkRxDup])
	}
	if v := h.counters(h.b.Info().Ports).InjectFrames; v != 1 {
		t.Errorf("core inject_frames = %d", v)
	}
}

// Reset clears ATTACHED and the kept answer; the tables keep their content.
func TestResetClearsAttached(t *testing.T) {
	h := newHost(t, Options{})
	h.hello()
	lpm := &regmap.TableLPM
	h.reg(ops{}.write(lpm.Data(0), 1, 0x0A000000, 0xFF000000, 3).write(lpm.Index(), 2, regmap.CmdWrite))
	seq := h.seq + 1
	h.seq = seq
	h.requestSeq(tReg, seq, ops{}.write(regScratch, 1))
	h.b.Reset(4)
	a := h.requestSeq(tReg, seq, ops{}.write(regScratch, 2).read(regScratch, 1))
	st, w := parseRegAnswer(t, a)
	if st != stOK || len(w) != 1 || w[0] != 2 {
		t.Fatalf("after reset: status %#x (want no ATTACHED) words %v (want executed)", st, w)
	}
	if v := h.reg(ops{}.write(lpm.Index(), 2, 2).read(lpm.Data(0), 4)); v[1] != 0x0A000000 || v[3] != 3 {
		t.Errorf("LPM entry after reset: %x", v)
	}
	if p := h.hello(); p[0] != attached|stOK {
		t.Errorf("HELLO status %#x", p[0])
	}
}

// A request sent while another is in progress is dropped and counted once.
func TestOverrun(t *testing.T) {
	h := newHost(t, Options{})
	h.hello()
	var w []byte
	w = appendReq(w, tReg, 1, ops{}.read(0x1000, 400))
	w = appendReq(w, tReg, 2, ops{}.write(regScratch, 77))
	h.b.UARTWrite(w)
	as := h.run(h.budget(len(w) + 3000))
	if len(as) != 1 || as[0].Seq != 1 {
		t.Fatalf("answers %v", as)
	}
	r := h.linkRegs()
	if r[linkRxOverrun] != 1 || r[linkRxBad] != 0 {
		t.Errorf("rx_overrun %d rx_bad %d", r[linkRxOverrun], r[linkRxBad])
	}
	if v := h.read1(regScratch); v == 77 {
		t.Errorf("the overrun request was executed")
	}
}
