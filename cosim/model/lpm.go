package model

import (
	"fmt"

	"github.com/linerate/linerate/tables"
)

// lpmRow is one ternary entry: lpm[i].valid, value, mask, adj.
type lpmRow struct {
	valid       bool
	value, mask uint32
	adj         uint16
	prefix      string // the route it came from, for the trace only
}

func loadLPM(es []tables.LPMEntry) []lpmRow {
	rows := make([]lpmRow, len(es))
	for i, e := range es {
		rows[i] = lpmRow{valid: e.Valid, value: e.Value, mask: e.Mask, adj: e.Adj, prefix: e.Prefix}
	}
	return rows
}

// lookupRes is the result of the LPM and adjacency stages.
type lookupRes struct {
	done   bool   // the frame was looked up (it passed rules 1-10)
	hit    bool   // an entry matched
	lpmIdx int    // the lowest matching valid index
	adjIdx uint16 // its adjacency row
	adjRow adjRow // the row read (zero, i.e. glean, when adjIdx is past the table)
	adjOK  bool   // adjIdx is inside the table
}

// lookup is the LPM stage (lr_lpm_tcam.v): key matches entry i when (key^value)&mask == 0;
// the lowest matching valid index wins. Prefix length plays no part here: the compiler stores
// longer prefixes at lower indexes.
func (m *Model) lookup(key uint32, tr *trace) lookupRes {
	res := lookupRes{done: true}
	for i, e := range m.lpm {
		if e.valid && (key^e.value)&e.mask == 0 {
			res.hit, res.lpmIdx, res.adjIdx = true, i, e.adj
			pfx := e.prefix
			if pfx == "" {
				pfx = fmt.Sprintf("%s/%s", ipString(e.value), ipString(e.mask))
			}
			tr.addf("lpm", "hit index %d (%s) -> adj %d", i, pfx, e.adj)
			return res
		}
	}
	tr.addf("lpm", "miss for %s", ipString(key))
	return res
}
