package cosim

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"sort"
	"strings"

	"github.com/linerate/linerate/cosim/model"
	"github.com/linerate/linerate/hostdrv/punt"
)

// MaxReported bounds the mismatches kept in a Result (all are counted).
const MaxReported = 20

// Mismatch is one difference between RTL and model.
type Mismatch struct {
	Input    int    // index of the input frame (-1 when the RTL sent a frame the model did not)
	Where    string // "port 2" or "cpu", and the ingress port
	Stage    string // the stage the difference points at
	Field    string // the first field that differs
	Detail   string
	Model    string // decode of the model's frame
	RTL      string // decode of the RTL's frame
	ModelHex string
	RTLHex   string
}

func (m Mismatch) String() string {
	var b strings.Builder
	if m.Input >= 0 {
		fmt.Fprintf(&b, "frame #%d, ", m.Input)
	}
	fmt.Fprintf(&b, "%s: stage %s, %s: %s", m.Where, m.Stage, m.Field, m.Detail)
	if m.Model != "" {
		fmt.Fprintf(&b, "\n  model: %s", m.Model)
	}
	if m.RTL != "" {
		fmt.Fprintf(&b, "\n  rtl:   %s", m.RTL)
	}
	return b.String()
}

type streamKey struct{ out, in int }

func (k streamKey) String() string {
	in := fmt.Sprintf("from port %d", k.in)
	if k.in < 0 {
		in = "injected"
	}
	if k.out == CPU {
		return "cpu queue, " + in
	}
	return fmt.Sprintf("port %d, %s", k.out, in)
}

func (r *Result) addMismatch(m Mismatch) {
	r.MismatchCount++
	if len(r.Mismatches) < MaxReported {
		r.Mismatches = append(r.Mismatches, m)
	}
}

// compare matches RTL outputs to model outputs per (output, ingress port) stream, where order
// is defined, and compares them byte for byte (the punt sequence number as a property).
func compare(r *Result) {
	want := map[streamKey][]Output{}
	for _, o := range modelOutputs(r.Model) {
		k := streamKey{o.Port, o.InPort}
		want[k] = append(want[k], o)
	}
	got := map[streamKey][]int{} // indexes into r.Outputs
	var seq uint32
	for i, o := range r.Outputs {
		k := streamKey{o.Port, o.InPort}
		got[k] = append(got[k], i)
		if o.Port == CPU {
			if len(o.Data) < punt.HeaderLen {
				continue
			}
			s := binary.BigEndian.Uint32(o.Data)
			if s != seq {
				r.addMismatch(Mismatch{Input: -1, Where: k.String(), Stage: "cpu_mux", Field: "seq",
					Detail: fmt.Sprintf("punt sequence number %d, want %d (gapless, in CPU-stream order)", s, seq)})
			}
			seq = s + 1
		}
	}
	keys := map[streamKey]bool{}
	for k := range want {
		keys[k] = true
	}
	for k := range got {
		keys[k] = true
	}
	var order []streamKey
	for k := range keys {
		order = append(order, k)
	}
	sort.Slice(order, func(i, j int) bool {
		if order[i].out != order[j].out {
			return order[i].out < order[j].out
		}
		return order[i].in < order[j].in
	})
	for _, k := range order {
		w, g := want[k], got[k]
		cpu := k.out == CPU
		same := func(i, j int) bool {
			if i >= len(w) || j >= len(g) {
				return false
			}
			_, ok := diffFrames(w[i].Data, r.Outputs[g[j]].Data, cpu)
			return ok
		}
		// Walk both streams; one frame too few or too many on a side is resynchronised by
		// looking one frame ahead, so a single lost frame reports as one mismatch, not a
		// cascade.
		i, j := 0, 0
		for i < len(w) || j < len(g) {
			switch {
			case same(i, j):
				r.Outputs[g[j]].Input = w[i].Input
				i++
				j++
			case j >= len(g) || (i < len(w) && !same(i, j+1) && same(i+1, j)):
				in := w[i].Input
				r.addMismatch(Mismatch{Input: in, Where: k.String(), Stage: "decide",
					Field: "missing frame", Detail: fmt.Sprintf("the model sent this frame (%s), the RTL did not (stream: RTL %d frames, model %d)",
						r.Model[in].Reason, len(g), len(w)),
					Model: Describe(w[i].Data, cpu), ModelHex: fmt.Sprintf("%x", w[i].Data)})
				i++
			case i >= len(w) || same(i, j+1):
				o := r.Outputs[g[j]]
				r.addMismatch(Mismatch{Input: -1, Where: k.String(), Stage: "decide",
					Field: "unexpected frame", Detail: fmt.Sprintf("the RTL sent a frame the model did not (stream: RTL %d frames, model %d)", len(g), len(w)),
					RTL: Describe(o.Data, cpu), RTLHex: fmt.Sprintf("%x", o.Data)})
				j++
			default:
				wd, gd := w[i].Data, r.Outputs[g[j]].Data
				r.Outputs[g[j]].Input = w[i].Input
				m, _ := diffFrames(wd, gd, cpu)
				m.Input = w[i].Input
				m.Where = k.String()
				m.Model = Describe(wd, cpu)
				m.RTL = Describe(gd, cpu)
				m.ModelHex = fmt.Sprintf("%x", wd)
				m.RTLHex = fmt.Sprintf("%x", gd)
				r.addMismatch(m)
				i++
				j++
			}
		}
	}
	if r.ModelCounters != nil && r.RTLCounters != nil {
		for _, d := range diffCounters(r.ModelCounters, r.RTLCounters) {
			r.addMismatch(Mismatch{Input: -1, Where: "counters", Stage: "counters", Field: d.name,
				Detail: fmt.Sprintf("model %d, rtl %d", d.model, d.rtl)})
		}
	}
	if r.ProtocolErrors > 0 {
		r.addMismatch(Mismatch{Input: -1, Where: "streams", Stage: "output", Field: "AXI-Stream",
			Detail: fmt.Sprintf("%d output beats changed or vanished while tvalid was held without tready", r.ProtocolErrors)})
	}
}

// diffFrames compares one expected and one actual frame; CPU frames skip the sequence number.
func diffFrames(want, got []byte, cpu bool) (Mismatch, bool) {
	w, g := want, got
	if cpu && len(w) >= 4 && len(g) >= 4 && bytes.Equal(w[4:], g[4:]) {
		return Mismatch{}, true
	}
	if cpu && len(w) >= 4 && len(g) >= 4 {
		w = append([]byte{0, 0, 0, 0}, w[4:]...)
		g = append([]byte{0, 0, 0, 0}, g[4:]...)
	}
	if bytes.Equal(w, g) {
		return Mismatch{}, true
	}
	off := 0
	for off < len(w) && off < len(g) && w[off] == g[off] {
		off++
	}
	var stage, field string
	if cpu {
		stage, field = cpuField(off, len(w), len(g))
	} else {
		stage, field = portField(w, off, len(w), len(g))
	}
	detail := fmt.Sprintf("first difference at byte %d", off)
	if off < len(w) && off < len(g) {
		detail += fmt.Sprintf(": model 0x%02x, rtl 0x%02x", w[off], g[off])
	}
	if len(w) != len(g) {
		detail += fmt.Sprintf("; length model %d, rtl %d", len(w), len(g))
	}
	return Mismatch{Stage: stage, Field: field, Detail: detail}, false
}

func cpuField(off, lw, lg int) (string, string) {
	switch {
	case off >= lw || off >= lg:
		return "rewrite", "punted frame length"
	case off < 4:
		return "cpu_mux", "seq"
	case off == 4:
		return "rewrite", "punt header version"
	case off == 5:
		return "decide", "punt reason"
	case off == 6:
		return "ingress", "ingress port"
	case off == 7 || off < 10:
		return "lpm", "LPM hit/index"
	case off < 13:
		return "adjacency", "adjacency index/egress port"
	case off < punt.HeaderLen:
		return "rewrite", "punt header length"
	}
	return "rewrite", fmt.Sprintf("punted frame byte %d", off-punt.HeaderLen)
}

func portField(w []byte, off, lw, lg int) (string, string) {
	if off >= lw-4 || off >= lg-4 {
		if lw != lg {
			return "rewrite", "frame length (trim to IP length / padding)"
		}
		return "fcs_insert", "FCS"
	}
	ihl := 5
	if len(w) > 14 {
		ihl = int(w[14] & 15)
	}
	switch {
	case off < 6:
		return "rewrite", "destination MAC"
	case off < 12:
		return "rewrite", "source MAC"
	case off < 14:
		return "rewrite", "ethertype"
	case off == 22:
		return "rewrite", "IPv4 TTL"
	case off == 24 || off == 25:
		return "rewrite", "IPv4 header checksum"
	case off < 14+4*ihl:
		return "rewrite", fmt.Sprintf("IPv4 header byte %d", off-14)
	case off >= 60 && lw == 64:
		return "fcs_insert", "padding"
	}
	return "rewrite", fmt.Sprintf("payload byte %d", off-14-4*ihl)
}

type counterDiff struct {
	name       string
	model, rtl uint32
}

func diffCounters(m, r *model.Counters) []counterDiff {
	var d []counterDiff
	add := func(name string, a, b uint32) {
		if a != b {
			d = append(d, counterDiff{name, a, b})
		}
	}
	for p := range m.RxFrames {
		if p >= len(r.RxFrames) {
			break
		}
		add(fmt.Sprintf("port%d.rx_frames", p), m.RxFrames[p], r.RxFrames[p])
		add(fmt.Sprintf("port%d.rx_bytes", p), m.RxBytes[p], r.RxBytes[p])
		add(fmt.Sprintf("port%d.tx_frames", p), m.TxFrames[p], r.TxFrames[p])
		add(fmt.Sprintf("port%d.tx_bytes", p), m.TxBytes[p], r.TxBytes[p])
	}
	for i := range m.Reason {
		add("reason."+punt.Reason(i).String(), m.Reason[i], r.Reason[i])
	}
	add("cpu_frames", m.CPUFrames, r.CPUFrames)
	add("cpu_bytes", m.CPUBytes, r.CPUBytes)
	add("inject_frames", m.InjectFrames, r.InjectFrames)
	add("inject_dropped", m.InjectDropped, r.InjectDropped)
	return d
}
