package model

import (
	"fmt"

	"github.com/linerate/linerate/tables"
)

// adjRow is one adjacency row: adj[j].kind, port, dmac, smac, mtu.
type adjRow struct {
	kind       tables.AdjKind
	port       uint8
	dmac, smac [6]byte
	mtu        uint16
	nextHop    string // for the trace only
}

func loadAdj(es []tables.AdjEntry) []adjRow {
	rows := make([]adjRow, len(es))
	for i, e := range es {
		r := adjRow{kind: e.Kind & 3, port: e.Port, mtu: e.MTU, nextHop: e.NextHop}
		copy(r.dmac[:], e.DstMAC)
		copy(r.smac[:], e.SrcMAC)
		rows[i] = r
	}
	return rows
}

// kind is the row's 2-bit kind field (the image's value is cut to 2 bits, as the register
// write does). The decision tests kind == blackhole (rule 17) and kind == glean (rule 19) and
// forwards otherwise (rule 21), so the undefined value 3 forwards like 1.
func (a adjRow) isGlean() bool     { return a.kind == tables.AdjGlean }
func (a adjRow) isBlackhole() bool { return a.kind == tables.AdjBlackhole }

// adjacency is the adjacency stage (lr_adjacency.v): it reads row j. A row index past the end
// of the table (the compiler never writes one) reads as an empty row: glean, port 0, MTU 0.
func (m *Model) adjacency(j uint16, tr *trace) (adjRow, bool) {
	if int(j) >= len(m.adj) {
		tr.addf("adjacency", "row %d is past the table (%d rows): empty row (glean)", j, len(m.adj))
		return adjRow{}, false
	}
	a := m.adj[j]
	if !tr.on {
		return a, true
	}
	note := fmt.Sprintf("row %d: %s port %d", j, a.kind, a.port)
	if !a.isGlean() && !a.isBlackhole() {
		note += fmt.Sprintf(" dmac %s smac %s mtu %d", macString(a.dmac), macString(a.smac), a.mtu)
	}
	if a.nextHop != "" {
		note += " (via " + a.nextHop + ")"
	}
	tr.add("adjacency", note)
	return a, true
}
