package model

import (
	"encoding/binary"

	"github.com/linerate/linerate/tables"
)

// portRow is one row of the port table: port[p].mac and port[p].mtu.
type portRow struct {
	mac [6]byte
	mtu uint16
}

func loadPorts(es []tables.PortEntry) []portRow {
	rows := make([]portRow, len(es))
	for i, e := range es {
		copy(rows[i].mac[:], e.MAC)
		rows[i].mtu = e.MTU
	}
	return rows
}

// ingress is the per-port input stage (lr_ingress.v): it counts the frame, stores it and splits
// off the FCS. W = len(wire), L = W-4; the frame proper is b[0..L).
//
// A port that does not exist (the RTL has no such input; the caller made a mistake) behaves as
// a port with MAC 0 and MTU 0, so that every frame is dropped (runt or giant), and has no
// counters: such a frame touches no counter at all.
func (m *Model) ingress(port int, wire []byte, tr *trace) *frame {
	f := &frame{port: port, w: len(wire), l: len(wire) - 4}
	if port >= 0 && port < len(m.ports) {
		f.portOK = true
		f.pe = m.ports[port]
	}
	if f.l > 0 {
		f.b = wire[:f.l]
	}
	if f.w >= 4 {
		f.fcs = binary.LittleEndian.Uint32(wire[f.w-4:])
	}
	m.countRx(f)
	switch {
	case !f.portOK:
		tr.addf("ingress", "port %d does not exist (treated as MTU 0, no counters); W=%d", port, f.w)
	case f.w < 4:
		tr.addf("ingress", "port %d: W=%d bytes, shorter than an FCS", port, f.w)
	default:
		tr.addf("ingress", "port %d: W=%d bytes (L=%d + FCS %08x)", port, f.w, f.l, f.fcs)
	}
	return f
}
