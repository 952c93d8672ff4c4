package model

import (
	"fmt"
	"strings"

	"github.com/linerate/linerate/tables"
)

// raddrRow is one router address: raddr[i].valid and raddr[i].addr.
type raddrRow struct {
	valid bool
	addr  uint32
}

func loadRAddr(es []tables.RAddrEntry) []raddrRow {
	rows := make([]raddrRow, len(es))
	for i, e := range es {
		rows[i] = raddrRow{valid: e.Valid, addr: e.Addr}
	}
	return rows
}

// l3Result is what the L3 checks stage (lr_l3_checks.v) finds.
type l3Result struct {
	unicastToMe bool   // dmac == port[p].mac
	group       bool   // b[0]&1: broadcast or multicast
	martian     string // why the frame is martian (RFC 1812 5.3.7), "" if it is not
	raddr       int    // lowest valid raddr index equal to dst, -1 if none
}

// l3Checks is the L3 checks stage: router MAC, martian addresses, router addresses. Its
// results are used by the decision only for the frames the rules say.
func (m *Model) l3Checks(f *frame, tr *trace) {
	h := &f.hdr
	c := l3Result{
		unicastToMe: h.dmac == f.pe.mac,
		group:       h.dmac[0]&1 != 0,
		martian:     martian(h.src, h.dst),
		raddr:       -1,
	}
	for i, r := range m.raddr {
		if r.valid && r.addr == h.dst {
			c.raddr = i
			break
		}
	}
	f.chk = c
	if !tr.on {
		return
	}

	var notes []string
	switch {
	case c.group && h.dmac == [6]byte{0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF}:
		notes = append(notes, "dmac broadcast")
	case c.group:
		notes = append(notes, "dmac multicast")
	case c.unicastToMe:
		notes = append(notes, fmt.Sprintf("dmac is port %d's MAC", f.port))
	default:
		notes = append(notes, fmt.Sprintf("dmac is not port %d's MAC %s", f.port, macString(f.pe.mac)))
	}
	if h.et == etIPv4 {
		if c.martian != "" {
			notes = append(notes, "martian: "+c.martian)
		}
		if c.raddr >= 0 {
			notes = append(notes, fmt.Sprintf("dst is router address raddr[%d]", c.raddr))
		}
	}
	tr.add("checks", strings.Join(notes, "; "))
}

// martian applies RFC 1812 5.3.7 as rule 11 states it: src in 0/8, 127/8, 224/4 or 240/4
// (which includes 255.255.255.255); dst in 0/8, 127/8, or 240/4 except 255.255.255.255.
func martian(src, dst uint32) string {
	switch {
	case src>>24 == 0:
		return "src in 0.0.0.0/8"
	case src>>24 == 127:
		return "src in 127.0.0.0/8"
	case src>>28 == 0xE:
		return "src in 224.0.0.0/4"
	case src>>28 == 0xF:
		return "src in 240.0.0.0/4"
	case dst>>24 == 0:
		return "dst in 0.0.0.0/8"
	case dst>>24 == 127:
		return "dst in 127.0.0.0/8"
	case dst>>28 == 0xF && dst != 0xFFFFFFFF:
		return "dst in 240.0.0.0/4"
	}
	return ""
}
