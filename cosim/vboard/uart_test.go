//go:build verilator && !boardsim

package vboard

import (
	"encoding/binary"
	"testing"
)

// The link works at the smallest divisor and at odd ones; HELLO reports the divisor in use.
func TestUARTDivisors(t *testing.T) {
	h := newHost(t, Options{UARTDiv: 4})
	for _, div := range []int{4, 5, 7, 16, 4} {
		h.setDiv(div)
		p := h.hello()
		if got := int(binary.BigEndian.Uint16(p[6:])); got != div {
			t.Errorf("HELLO reports divisor %d, want %d", got, div)
		}
		v := uint32(0x5A000000 | div)
		if w := h.reg(ops{}.write(regScratch, v).read(regScratch, 1).read(0x1000, 40)); w[0] != v || len(w) != 41 {
			t.Errorf("div %d: read %x", div, w[0])
		}
	}
	r := h.linkRegs()
	if r[linkRxBad] != 0 || r[linkUARTErrors] != 0 || r[linkRxOverrun] != 0 {
		t.Errorf("link registers %x", r)
	}
	if s := h.b.Stats(); s.UARTFramingErrors != 0 {
		t.Errorf("stats %+v", s)
	}
}

// A long request and a long answer at divisor 4: the whole receive buffer and answer buffer.
func TestUARTDiv4Large(t *testing.T) {
	h := newHost(t, Options{UARTDiv: 4})
	h.hello()
	info := h.b.Info()
	// the largest request: WRITE ops to the (read-only, so unchanged) counters, then SCRATCH
	var o ops
	for len(o)+4+4*255+8 <= info.RxBufBytes-7 {
		words := make([]uint32, 255)
		for i := range words {
			words[i] = uint32(len(o) + i)
		}
		o = o.write(0x1000, words...)
	}
	for len(o)+8 <= info.RxBufBytes-7 {
		o = o.write(regScratch, uint32(len(o)))
	}
	o = o[:len(o)-4]
	o = binary.BigEndian.AppendUint32(o, 0xC0FFEE)
	if len(o)+7 > info.RxBufBytes || len(o)+7 < info.RxBufBytes-8 {
		t.Fatalf("request of %d bytes", len(o)+7)
	}
	if st, w := h.regStatus(o); st != attached|stOK || len(w) != 0 {
		t.Fatalf("status %#x", st)
	}
	if v := h.read1(regScratch); v != 0xC0FFEE {
		t.Errorf("SCRATCH = %#x", v)
	}
	maxWords := (info.RespBufBytes - 1) / 4
	if w := h.reg(ops{}.read(0x0000, maxWords)); len(w) != maxWords || w[0] != 0x4C4E5254 {
		t.Errorf("%d words", len(w))
	}
}
