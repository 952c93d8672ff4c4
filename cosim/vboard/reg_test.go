//go:build verilator && !boardsim

package vboard

import (
	"testing"

	"github.com/linerate/linerate/hostdrv/regmap"
)

func TestRegScratch(t *testing.T) {
	h := newHost(t, Options{})
	// before HELLO: answers work, without ATTACHED
	st, w := h.regStatus(ops{}.write(regScratch, 0xA5A5_0001).read(regScratch, 1))
	if st != stOK || len(w) != 1 || w[0] != 0xA5A5_0001 {
		t.Fatalf("write+read SCRATCH: status %#x words %x", st, w)
	}
	h.hello()
	st, w = h.regStatus(ops{}.read(regScratch, 1).write(regScratch, 0xDEADBEEF).read(regScratch, 1).read(0x0000, 2))
	if st != attached|stOK || len(w) != 4 || w[0] != 0xA5A5_0001 || w[1] != 0xDEADBEEF || w[2] != 0x4C4E5254 || w[3] != 0x00010001 {
		t.Fatalf("status %#x words %x", st, w)
	}
	// an empty op list is a ping
	if st, w := h.regStatus(nil); st != attached|stOK || len(w) != 0 {
		t.Fatalf("ping: status %#x words %x", st, w)
	}
	if s := h.b.Stats(); s.UARTFramingErrors != 0 || s.ProtocolErrors != 0 {
		t.Errorf("stats %+v", s)
	}
}

// A table entry written and read back in one request: the READ of DATA follows CMD=2 directly.
func TestRegTableEntry(t *testing.T) {
	h := newHost(t, Options{})
	lpm := &regmap.TableLPM
	fields := []uint32{1, 0xC0000200, 0xFFFFFF00, 7}
	o := ops{}.write(lpm.Data(0), fields...).write(lpm.Index(), 37, regmap.CmdWrite)
	// clobber the staging registers, then read entry 37 back
	o = o.write(lpm.Data(0), 0, 0, 0, 0).write(lpm.Index(), 37, 2).read(lpm.Data(0), 4)
	// and an adjacency row the same way
	adj := &regmap.TableAdj
	row := []uint32{1, 2, 0x0200, 0x00000102, 0x0200, 0x00000012, 1400}
	o = o.write(adj.Data(0), row...).write(adj.Index(), 5, regmap.CmdWrite)
	o = o.write(adj.Index(), 5, 2).read(adj.Data(0), 7)
	w := h.reg(o)
	if len(w) != 11 {
		t.Fatalf("%d words", len(w))
	}
	for i, f := range fields {
		if w[i] != f {
			t.Errorf("lpm field %d = %#x, want %#x", i, w[i], f)
		}
	}
	for i, f := range row {
		if w[4+i] != f {
			t.Errorf("adj field %d = %#x, want %#x", i, w[4+i], f)
		}
	}
}

// Malformed op lists: BAD_REQUEST and nothing executed, not even the good ops before the fault.
func TestRegMalformed(t *testing.T) {
	h := newHost(t, Options{})
	h.hello()
	h.reg(ops{}.write(regScratch, 0x1111))
	good := ops{}.write(regScratch, 0x2222).write(regCtrl, 1)
	cases := map[string]ops{
		"count 0":          append(good, opRead, 0x00, 0x30, 0),
		"write count 0":    append(good, opWrite, 0x00, 0x30, 0),
		"unknown op":       append(good, 0x07, 0x00, 0x30, 1),
		"op 0":             append(good, 0x00, 0x00, 0x30, 1),
		"truncated header": append(good, opRead, 0x00),
		"truncated data":   append(good, opWrite, 0x00, 0x30, 2, 1, 2, 3, 4, 5),
		"missing data":     append(good, opWrite, 0x00, 0x30, 3, 1, 2, 3, 4),
		"one stray byte":   append(good, 0x02),
	}
	for name, o := range cases {
		st, w := h.regStatus(o)
		if st != attached|stBad || len(w) != 0 {
			t.Errorf("%s: status %#x words %d, want BAD_REQUEST", name, st, len(w))
		}
	}
	if v := h.read1(regScratch); v != 0x1111 {
		t.Errorf("SCRATCH = %#x after malformed lists, want 0x1111", v)
	}
}

func TestRegTooBig(t *testing.T) {
	h := newHost(t, Options{})
	h.hello()
	maxWords := (h.b.Info().RespBufBytes - 1) / 4
	h.reg(ops{}.write(regScratch, 5))
	st, w := h.regStatus(ops{}.write(regScratch, 6).read(0x1000, maxWords+1))
	if st != attached|stTooBig || len(w) != 0 {
		t.Fatalf("status %#x, %d words: want TOO_BIG", st, len(w))
	}
	if v := h.read1(regScratch); v != 5 {
		t.Errorf("SCRATCH = %d after TOO_BIG, want 5", v)
	}
	// exactly the answer buffer: fine; the first words are SCRATCH and the identity
	st, w = h.regStatus(ops{}.read(regScratch, 1).read(0x0000, maxWords-1))
	if st != attached|stOK || len(w) != maxWords || w[0] != 5 || w[1] != 0x4C4E5254 {
		t.Fatalf("status %#x, %d words (want %d)", st, len(w), maxWords)
	}
}

func TestUnknownType(t *testing.T) {
	h := newHost(t, Options{})
	for _, typ := range []uint8{0x00, 0x04, 0x7F} {
		a := h.request(typ, []byte{1, 2, 3})
		if len(a.Payload) != 1 || a.Payload[0]&0x0F != stBad {
			t.Errorf("type %#x: answer %x", typ, a.Payload)
		}
	}
	// device-to-host types are not requests: no answer (a looped-back line does not ping-pong)
	for _, typ := range []uint8{0x81, 0x82, 0x90, 0x91, 0xFF} {
		h.seq++
		if as := h.exchange(typ, h.seq, []byte{1, 2, 3}); len(as) != 0 || len(h.take()) != 0 {
			t.Errorf("type %#x: answered", typ)
		}
	}
	r := h.linkRegs()
	if r[linkRxFrames] != 3+5+1 || r[linkRxBad] != 0 || r[linkTxFrames] != 3 {
		t.Errorf("link registers %x", r)
	}
}

// Answers with long runs of non-zero bytes (COBS blocks of 254) and zeros at block edges; the
// host checks every frame's encoding against hostdrv/link (host.checkEncoding).
func TestLongAnswerEncoding(t *testing.T) {
	h := newHost(t, Options{UARTDiv: 4})
	for _, v := range []uint32{0x01010101, 0x00000000, 0xFF00FFFF, 0x000000FF} {
		var o ops
		o = o.write(regScratch, v)
		for i := 0; i < 200; i++ {
			o = o.read(regScratch, 1)
		}
		w := h.reg(o)
		if len(w) != 200 || w[0] != v || w[199] != v {
			t.Fatalf("%#x: %d words", v, len(w))
		}
	}
	// and every answer length around a block boundary
	for n := 60; n < 68; n++ {
		h.reg(ops{}.write(regScratch, 0x11223344).read(regScratch, 1).read(0x1000, n))
	}
}
