package model

import (
	"fmt"

	"github.com/linerate/linerate/hostdrv/punt"
)

// puntHeader builds the punt header of a punted frame, without the sequence number. The lookup
// fields are those of the LPM and adjacency stages for frames that passed rule 10, and zero
// (egress 255) for frames decided by rules 1-10, which are not looked up.
func puntHeader(f *frame, v verdict) punt.Header {
	h := punt.Header{
		Version: punt.Version,
		Reason:  v.reason,
		InPort:  uint8(f.port),
		Egress:  punt.EgressNone,
		Length:  uint16(f.l),
	}
	if lk := &f.look; lk.done && lk.hit {
		h.LPMHit = true
		h.LPMIndex = uint16(lk.lpmIdx)
		h.AdjIndex = lk.adjIdx
		h.Egress = lk.adjRow.port
	}
	return h
}

// cpuQueue is the CPU queue (lr_cpu_mux.v): it stamps the next sequence number and sends the
// punt header followed by the original frame b[0..L) without FCS.
func (m *Model) cpuQueue(f *frame, v verdict, tr *trace) (punt.Header, []byte) {
	h := puntHeader(f, v)
	h.Seq = m.seq
	m.seq++
	out := make([]byte, 0, punt.HeaderLen+len(f.b))
	out = h.AppendTo(out)
	out = append(out, f.b...)
	tr.add("punt", h.String())
	return h, out
}

// injectHeader reads the inject header in front of an injected frame (lr_inject.v) and returns
// its egress port. It reports false, and the frame is dropped, when no frame byte follows the
// 8-byte header (data of 8 bytes or less) or the port does not exist. Like the RTL it does not
// check the version byte (byte 0) and ignores bytes 2-7.
func (m *Model) injectHeader(data []byte, tr *trace) (int, bool) {
	if len(data) <= punt.InjectHeaderLen {
		tr.addf("inject", "%d bytes: no frame after the %d-byte header: dropped", len(data), punt.InjectHeaderLen)
		return -1, false
	}
	port, n := int(data[1]), len(data)-punt.InjectHeaderLen
	note := ""
	if data[0] != punt.Version {
		note = fmt.Sprintf(" (version %d, not checked)", data[0])
	}
	if port >= len(m.ports) {
		tr.addf("inject", "port %d does not exist (%d ports): %d-byte frame dropped%s", port, len(m.ports), n, note)
		return -1, false
	}
	tr.addf("inject", "%d-byte frame to port %d%s", n, port, note)
	return port, true
}
