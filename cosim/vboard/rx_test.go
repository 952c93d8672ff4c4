//go:build verilator && !boardsim

package vboard

import (
	"bytes"
	"testing"

	"github.com/linerate/linerate/hostdrv/link"
)

func appendReq(dst []byte, typ uint8, seq uint16, payload []byte) []byte {
	return link.Append(dst, link.Frame{Type: typ, Seq: seq, Payload: payload})
}

// Bad CRC, broken COBS, garbage, short and oversize frames are dropped without an answer and
// counted in rx_bad; the link keeps working.
func TestBadFramesDropped(t *testing.T) {
	h := newHost(t, Options{UARTDiv: 4})
	h.hello()
	good := appendReq(nil, tReg, 7, ops{}.write(regScratch, 1))
	badCRC := append([]byte(nil), good...)
	badCRC[5] ^= 0x01 // a data byte (never becomes zero here)
	if badCRC[5] == 0 {
		t.Fatal("test frame")
	}
	// COBS: code bytes promising more bytes than their frames hold
	brokenCOBS := []byte{0x09, 0x02, 0x00, 0x07, 0x00}
	short := link.Append(nil, link.Frame{Type: tReg, Seq: 1})[:0]
	short = append(short, 0x04, 0x02, 0x03, 0x04, 0x00) // 3 bytes decoded: shorter than 7
	oversize := link.Append(nil, link.Frame{Type: tReg, Seq: 9, Payload: bytes.Repeat([]byte{0x11}, h.b.Info().RxBufBytes)})
	cases := []struct {
		name  string
		bytes []byte
		bad   uint32
	}{
		{"bad crc", badCRC, 1},
		{"broken cobs", brokenCOBS, 2}, // two blocks, both cut short
		{"garbage", []byte{0xAA, 0x55, 0xFF, 0x01, 0x13, 0x37, 0x00}, 1},
		{"short", short, 1},
		{"truncated", good[:len(good)-3], 0},  // no delimiter yet: joins the next frame
		{"delimiters", []byte{0, 0, 0, 0}, 1}, // ... which the first delimiter ends, bad
		{"oversize", oversize, 1},
	}
	var want uint32
	for _, c := range cases {
		h.b.UARTWrite(c.bytes)
		if as := h.run(h.budget(len(c.bytes))); len(as) != 0 {
			t.Errorf("%s: answered %v", c.name, as)
		}
		want += c.bad
	}
	r := h.linkRegs()
	if r[linkRxBad] != want {
		t.Errorf("rx_bad = %d, want %d", r[linkRxBad], want)
	}
	if v := h.read1(regScratch); v != 0 {
		t.Errorf("SCRATCH = %d: a dropped frame was executed", v)
	}
	// the link works: a good request, then a frame right after garbage without a delimiter
	h.b.UARTWrite(append([]byte{0x00}, good...))
	if as := h.run(h.budget(len(good))); len(as) != 1 || as[0].Seq != 7 {
		t.Fatalf("answers %v", as)
	}
	if v := h.read1(regScratch); v != 1 {
		t.Errorf("SCRATCH = %d", v)
	}
	if s := h.b.Stats(); s.UARTFramingErrors != 0 {
		t.Errorf("stats %+v", s)
	}
}
