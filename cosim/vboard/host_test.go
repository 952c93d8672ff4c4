//go:build verilator && !boardsim

package vboard

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"testing"

	"github.com/linerate/linerate/hostdrv/link"
	"github.com/linerate/linerate/hostdrv/regmap"
)

// Frame types and status codes of the link protocol (rtl/link/README.md).
const (
	tHello   = 0x01
	tReg     = 0x02
	tInject  = 0x03
	tPunt    = 0x90
	tPortTX  = 0x91
	opWrite  = 0x01
	opRead   = 0x02
	stOK     = 0
	stBad    = 1
	stTooBig = 2
	attached = 0x80

	regScratch = 0x0030
	regCtrl    = 0x0034

	linkRxFrames    = 0xF000
	linkRxBad       = 0xF004
	linkRxOverrun   = 0xF008
	linkRxDup       = 0xF00C
	linkUARTErrors  = 0xF010
	linkPuntFrames  = 0xF014
	linkPuntDropped = 0xF018
	linkPortFrames  = 0xF01C
	linkPortDropped = 0xF020
	linkInjectCount = 0xF024
	linkTxFrames    = 0xF028
)

// host is a minimal stop-and-wait host for tests: it frames requests with hostdrv/link, sends
// them through the board's UART pins and sorts what comes back into answers and device frames.
type host struct {
	t      testing.TB
	b      *Board
	dec    link.Decoder
	seq    uint16
	curDiv int
	frames []link.Frame // device-originated frames (PUNT, PORT_TX) not yet taken
	block  []byte       // bytes of a COBS block not ended yet (checkEncoding)
}

func newHost(t testing.TB, o Options) *host {
	t.Helper()
	b, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return &host{t: t, b: b, seq: 100, curDiv: normDiv(o.UARTDiv)}
}

func (h *host) setDiv(d int) {
	h.b.SetUARTDiv(d)
	h.curDiv = normDiv(d)
}

// budget is a generous clock bound for n bytes each way over the UART.
func (h *host) budget(n int) uint64 {
	return uint64(n+64)*uint64(h.div())*10*4 + 2_000_000
}

func (h *host) div() int {
	return h.curDiv
}

// run clocks until idle and sorts the bytes that came out.
func (h *host) run(max uint64) []link.Frame {
	h.t.Helper()
	if _, idle := h.b.Run(max); !idle {
		h.t.Fatalf("board not idle after %d clocks", max)
	}
	var answers []link.Frame
	for _, f := range h.feed() {
		if f.Type == tPunt || f.Type == tPortTX {
			h.frames = append(h.frames, f)
		} else {
			answers = append(answers, f)
		}
	}
	if h.dec.Bad != 0 {
		h.t.Fatalf("host decoder dropped %d frames from the board: %v", h.dec.Bad, h.dec.LastError)
	}
	return answers
}

// feed decodes the bytes the board sent since the last call.
func (h *host) feed() []link.Frame {
	h.t.Helper()
	raw := h.b.UARTRead()
	h.checkEncoding(raw)
	return h.dec.Feed(raw)
}

// checkEncoding checks that every frame the board sends is encoded byte for byte as
// hostdrv/link encodes it (same COBS blocks, same CRC).
func (h *host) checkEncoding(raw []byte) {
	h.t.Helper()
	for _, c := range raw {
		if c != 0 {
			h.block = append(h.block, c)
			continue
		}
		if len(h.block) > 0 {
			f, err := link.Decode(h.block)
			if err != nil {
				h.t.Fatalf("board sent a bad frame: %v", err)
			}
			if want := link.Append(nil, f); !bytes.Equal(append(h.block, 0), want) {
				h.t.Fatalf("frame type %#x encoded as\n %x\nhostdrv/link encodes\n %x", f.Type, h.block, want)
			}
		}
		h.block = h.block[:0]
	}
}

// exchange sends one frame and returns the answers that came back (normally one).
func (h *host) exchange(typ uint8, seq uint16, payload []byte) []link.Frame {
	h.t.Helper()
	wire := link.Append(nil, link.Frame{Type: typ, Seq: seq, Payload: payload})
	h.b.UARTWrite(wire)
	return h.run(h.budget(len(wire) + 2100))
}

// request sends a request with the next seq and returns its single answer.
func (h *host) request(typ uint8, payload []byte) link.Frame {
	h.t.Helper()
	h.seq++
	return h.requestSeq(typ, h.seq, payload)
}

func (h *host) requestSeq(typ uint8, seq uint16, payload []byte) link.Frame {
	h.t.Helper()
	as := h.exchange(typ, seq, payload)
	if len(as) != 1 {
		h.t.Fatalf("request type %#x seq %d: %d answers, want 1", typ, seq, len(as))
	}
	a := as[0]
	if a.Type != 0x80|typ || a.Seq != seq || len(a.Payload) == 0 {
		h.t.Fatalf("request type %#x seq %d: answer type %#x seq %d len %d", typ, seq, a.Type, a.Seq, len(a.Payload))
	}
	return a
}

// take returns the device frames received so far and forgets them.
func (h *host) take() []link.Frame {
	f := h.frames
	h.frames = nil
	return f
}

// ops builds a REG op list.
type ops []byte

func (o ops) write(addr uint16, words ...uint32) ops {
	for len(words) > 0 {
		n := min(len(words), 255)
		o = append(o, opWrite, byte(addr>>8), byte(addr), byte(n))
		for _, w := range words[:n] {
			o = binary.BigEndian.AppendUint32(o, w)
		}
		words = words[n:]
		addr += uint16(4 * n)
	}
	return o
}

func (o ops) read(addr uint16, n int) ops {
	for n > 0 {
		c := min(n, 255)
		o = append(o, opRead, byte(addr>>8), byte(addr), byte(c))
		n -= c
		addr += uint16(4 * c)
	}
	return o
}

// reg runs an op list that must succeed and returns the words read.
func (h *host) reg(o ops) []uint32 {
	h.t.Helper()
	st, words := h.regStatus(o)
	if st&0x0F != stOK {
		h.t.Fatalf("REG: status %#x", st)
	}
	return words
}

func (h *host) regStatus(o ops) (uint8, []uint32) {
	h.t.Helper()
	a := h.request(tReg, o)
	return parseRegAnswer(h.t, a)
}

func parseRegAnswer(t testing.TB, a link.Frame) (uint8, []uint32) {
	t.Helper()
	p := a.Payload
	if (len(p)-1)%4 != 0 {
		t.Fatalf("REG_R payload of %d bytes", len(p))
	}
	var w []uint32
	for i := 1; i < len(p); i += 4 {
		w = append(w, binary.BigEndian.Uint32(p[i:]))
	}
	return p[0], w
}

func (h *host) read1(addr uint16) uint32 {
	h.t.Helper()
	return h.reg(ops{}.read(addr, 1))[0]
}

func (h *host) hello() []byte {
	h.t.Helper()
	a := h.request(tHello, nil)
	return a.Payload
}

// writeOps sends register writes, as few WRITE ops and requests as fit the receive buffer.
// Entries whose fields are all zero are skipped when skipZero is set (a fresh board's RAM is
// zero already; the tables keep their content over a reset, so only the first load may).
func (h *host) writeOps(ws []regmap.Op, skipZero bool) {
	h.t.Helper()
	if skipZero {
		ws = dropZeroEntries(ws)
	}
	maxPayload := h.b.Info().RxBufBytes - 7 - 64
	var cur ops
	flush := func() {
		if len(cur) > 0 {
			h.reg(cur)
			cur = nil
		}
	}
	for i := 0; i < len(ws); {
		// a run of consecutive addresses
		j := i + 1
		for j < len(ws) && j-i < 255 && ws[j].Addr == ws[j-1].Addr+4 {
			j++
		}
		words := make([]uint32, 0, j-i)
		for _, w := range ws[i:j] {
			words = append(words, w.Data)
		}
		if len(cur)+4+4*len(words) > maxPayload {
			flush()
		}
		cur = cur.write(ws[i].Addr, words...)
		i = j
	}
	flush()
}

// dropZeroEntries removes the writes of table entries (staging writes ending with CMD=1) whose
// staged fields are all zero.
func dropZeroEntries(ws []regmap.Op) []regmap.Op {
	var out []regmap.Op
	start := 0
	for i, w := range ws {
		if w.Addr&0xFF != regmap.TableCmdOff || w.Data != regmap.CmdWrite || w.Addr < 0x100 {
			continue
		}
		zero := true
		for _, d := range ws[start:i] {
			if d.Addr&0xFF >= regmap.TableDataOff && d.Data != 0 {
				zero = false
			}
		}
		if !zero {
			out = append(out, ws[start:i+1]...)
		}
		start = i + 1
	}
	return append(out, ws[start:]...)
}

func (h *host) String() string { return fmt.Sprintf("host(seq %d)", h.seq) }
