//go:build verilator && !boardsim

package vboard

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"sort"
	"testing"

	"github.com/linerate/linerate/cosim/model"
	"github.com/linerate/linerate/cosim/traffic"
	"github.com/linerate/linerate/hostdrv/link"
	"github.com/linerate/linerate/hostdrv/punt"
	"github.com/linerate/linerate/hostdrv/regmap"
	"github.com/linerate/linerate/tables"
)

// router is a board with a configuration loaded through the link, and its golden model.
type router struct {
	*host
	im *tables.Image
	m  *model.Model
}

// newRouter builds a board, says HELLO and loads test/configs/<conf> through REG requests
// (tables.Build and regmap.ImageWrites).
func newRouter(t testing.TB, o Options, conf string) *router {
	t.Helper()
	h := newHost(t, o)
	info := h.b.Info()
	im, _, err := tables.Build("../../test/configs/"+conf, tables.Sizes{Ports: info.Ports, LPM: info.LPM, Adj: info.Adj, RAddr: info.RAddr})
	if err != nil {
		t.Fatal(err)
	}
	h.hello()
	h.writeOps(regmap.ImageWrites(im), true)
	return &router{host: h, im: im, m: model.New(im, model.Options{MaxFrameBytes: info.MaxFrameBytes})}
}

// wire adds the FCS to generated frames (a wrong one for bad_fcs frames).
func wire(f traffic.Frame) []byte {
	w := model.AppendFCS(append(make([]byte, 0, len(f.Data)+4), f.Data...))
	if f.BadFCS {
		w[len(w)-1] ^= 0x5a
	}
	return w
}

// expect is what the golden model says leaves the board for a batch of frames.
type expect struct {
	ports map[int][][]byte // port -> frames (with FCS)
	punts [][]byte         // punt header (seq zeroed) + frame
}

func newExpect() *expect { return &expect{ports: map[int][][]byte{}} }

func (e *expect) add(r model.Result) {
	switch {
	case r.Out == nil:
	case r.ToCPU:
		e.punts = append(e.punts, zeroSeq(r.Out))
	default:
		e.ports[r.OutPort] = append(e.ports[r.OutPort], r.Out)
	}
}

func zeroSeq(p []byte) []byte {
	q := append([]byte(nil), p...)
	copy(q, []byte{0, 0, 0, 0})
	return q
}

// sameFrames compares two frame lists as multisets (ports interleave by timing).
func sameFrames(got, want [][]byte) error {
	sortB := func(s [][]byte) [][]byte {
		c := append([][]byte(nil), s...)
		sort.Slice(c, func(i, j int) bool { return bytes.Compare(c[i], c[j]) < 0 })
		return c
	}
	g, w := sortB(got), sortB(want)
	if len(g) != len(w) {
		return fmt.Errorf("%d frames, want %d", len(g), len(w))
	}
	for i := range g {
		if !bytes.Equal(g[i], w[i]) {
			return fmt.Errorf("frame %d differs:\n got %x\nwant %x", i, g[i], w[i])
		}
	}
	return nil
}

// puntsOf returns the PUNT payloads among device frames and checks that punt-header seqs and
// link seqs increase strictly.
func puntsOf(t testing.TB, fs []link.Frame) (payloads [][]byte, seqs []uint32) {
	t.Helper()
	var lastLink int = -1
	for _, f := range fs {
		if lastLink >= 0 && f.Seq != uint16(lastLink+1) {
			t.Errorf("device seq %d after %d", f.Seq, lastLink)
		}
		lastLink = int(f.Seq)
		if f.Type != tPunt {
			continue
		}
		h, err := punt.Parse(f.Payload)
		if err != nil {
			t.Fatalf("punt header: %v", err)
		}
		if int(h.Length)+punt.HeaderLen != len(f.Payload) {
			t.Errorf("punt length %d, payload %d", h.Length, len(f.Payload))
		}
		if len(seqs) > 0 && h.Seq <= seqs[len(seqs)-1] {
			t.Errorf("punt seq %d after %d", h.Seq, seqs[len(seqs)-1])
		}
		seqs = append(seqs, h.Seq)
		payloads = append(payloads, zeroSeq(f.Payload))
	}
	return payloads, seqs
}

// portTX splits PORT_TX frames by port.
func portTX(t testing.TB, fs []link.Frame) map[int][][]byte {
	t.Helper()
	m := map[int][][]byte{}
	for _, f := range fs {
		if f.Type != tPortTX {
			continue
		}
		if len(f.Payload) < 2 {
			t.Fatalf("PORT_TX of %d bytes", len(f.Payload))
		}
		m[int(f.Payload[0])] = append(m[int(f.Payload[0])], f.Payload[1:])
	}
	return m
}

func outByPort(fs []Frame) map[int][][]byte {
	m := map[int][][]byte{}
	for _, f := range fs {
		m[f.Port] = append(m[f.Port], f.Data)
	}
	return m
}

// counters reads every core counter in one burst request.
func (h *host) counters(nports int) *model.Counters {
	h.t.Helper()
	n := regmap.NumCounters(nports)
	v := h.reg(ops{}.read(regmap.CounterAddr(0), n))
	if len(v) != n {
		h.t.Fatalf("%d counters read, want %d", len(v), n)
	}
	c := &model.Counters{
		RxFrames: make([]uint32, nports), RxBytes: make([]uint32, nports),
		TxFrames: make([]uint32, nports), TxBytes: make([]uint32, nports),
	}
	for p := 0; p < nports; p++ {
		c.RxFrames[p] = v[regmap.PortCounter(p, 0)]
		c.RxBytes[p] = v[regmap.PortCounter(p, 1)]
		c.TxFrames[p] = v[regmap.PortCounter(p, 2)]
		c.TxBytes[p] = v[regmap.PortCounter(p, 3)]
	}
	for r := range c.Reason {
		c.Reason[r] = v[regmap.ReasonCounter(nports, r)]
	}
	c.CPUFrames = v[regmap.CPUCounter(nports, 0)]
	c.CPUBytes = v[regmap.CPUCounter(nports, 1)]
	c.InjectFrames = v[regmap.CPUCounter(nports, 2)]
	c.InjectDropped = v[regmap.CPUCounter(nports, 3)]
	return c
}

// linkRegs reads the 11 link registers in one burst.
func (h *host) linkRegs() map[uint16]uint32 {
	h.t.Helper()
	v := h.reg(ops{}.read(linkRxFrames, 11))
	m := map[uint16]uint32{}
	for i, x := range v {
		m[uint16(linkRxFrames+4*i)] = x
	}
	return m
}

func injectPayload(port uint8, pipeline bool, frame []byte) []byte {
	var flags byte
	if pipeline {
		flags = 1
	}
	p := []byte{punt.Version, port, flags, 0, 0, 0, 0, 0}
	return append(p, frame...)
}

func be32(b []byte) uint32 { return binary.BigEndian.Uint32(b) }
