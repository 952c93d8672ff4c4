package model

import (
	"github.com/linerate/linerate/hostdrv/punt"
)

// Counters are the data plane's counters (lr_counters.v). Every counter is 32 bits and wraps.
type Counters struct {
	// Per port. RxFrames/RxBytes count every frame that arrives, runts included, and its W
	// (bytes including FCS). TxFrames/TxBytes count frames sent and their bytes including
	// padding and FCS, forwarded and injected alike.
	RxFrames, RxBytes, TxFrames, TxBytes []uint32
	// Reason[r] counts the received frames decided with reason code r (Forward included).
	// Injected frames are not decided and not counted here.
	Reason [punt.ReasonSlots]uint32
	// CPUFrames/CPUBytes count punted frames and their bytes on the CPU stream (16-byte punt
	// header plus L). InjectFrames counts every frame given to Inject, InjectDropped those of
	// them that were dropped (no such port, or no frame after the header).
	CPUFrames, CPUBytes, InjectFrames, InjectDropped uint32
}

func (c *Counters) clone() Counters {
	d := *c
	d.RxFrames = append([]uint32(nil), c.RxFrames...)
	d.RxBytes = append([]uint32(nil), c.RxBytes...)
	d.TxFrames = append([]uint32(nil), c.TxFrames...)
	d.TxBytes = append([]uint32(nil), c.TxBytes...)
	return d
}

// resize gives the per-port counters n entries, keeping the values of the first ones.
func (c *Counters) resize(n int) {
	fit := func(s []uint32) []uint32 {
		t := make([]uint32, n)
		copy(t, s)
		return t
	}
	c.RxFrames, c.RxBytes = fit(c.RxFrames), fit(c.RxBytes)
	c.TxFrames, c.TxBytes = fit(c.TxFrames), fit(c.TxBytes)
}

// countRx counts an arriving frame on its port (ingress stage).
func (m *Model) countRx(f *frame) {
	if f.portOK {
		m.ctr.RxFrames[f.port]++
		m.ctr.RxBytes[f.port] += uint32(f.w)
	}
}

// count counts the decision and the output of a received frame.
func (m *Model) count(f *frame, r *Result, tr *trace) {
	if !f.portOK {
		tr.add("counters", "none (no such port)")
		return
	}
	m.ctr.Reason[r.Reason]++
	switch {
	case r.ToCPU:
		m.ctr.CPUFrames++
		m.ctr.CPUBytes += uint32(len(r.Out))
		tr.addf("counters", "rx port %d +1 frame +%d bytes; %s +1; cpu +1 frame +%d bytes", f.port, f.w, r.Reason, len(r.Out))
	case r.Out != nil:
		m.countTx(r.OutPort, len(r.Out))
		tr.addf("counters", "rx port %d +1 frame +%d bytes; %s +1; tx port %d +1 frame +%d bytes", f.port, f.w, r.Reason, r.OutPort, len(r.Out))
	default:
		tr.addf("counters", "rx port %d +1 frame +%d bytes; %s +1", f.port, f.w, r.Reason)
	}
}

// countInject counts an injected frame.
func (m *Model) countInject(r *Result, tr *trace) {
	m.ctr.InjectFrames++
	if r.Out == nil {
		m.ctr.InjectDropped++
		tr.add("counters", "inject +1; inject_dropped +1")
	} else {
		m.countTx(r.OutPort, len(r.Out))
		tr.addf("counters", "inject +1; tx port %d +1 frame +%d bytes", r.OutPort, len(r.Out))
	}
}

func (m *Model) countTx(port, n int) {
	m.ctr.TxFrames[port]++
	m.ctr.TxBytes[port] += uint32(n)
}
