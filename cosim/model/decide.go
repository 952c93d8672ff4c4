package model

import (
	"fmt"

	"github.com/linerate/linerate/hostdrv/punt"
)

// verdict is the decision for one frame: the reason code and the rule that decided it.
type verdict struct {
	reason punt.Reason
	rule   int    // 1..21, the rule of rtl/core/README.md "The decision, in order"
	why    string // the facts that made the rule apply
}

func (v verdict) String() string {
	class := "drop"
	switch {
	case v.reason == punt.Forward:
		class = "forward"
	case v.reason.IsPunt():
		class = "punt"
	}
	if v.reason == punt.Forward {
		return fmt.Sprintf("rule %d: forward (%s)", v.rule, v.why)
	}
	return fmt.Sprintf("rule %d: %s %s (%s)", v.rule, class, v.reason, v.why)
}

// decideEarly applies rules 1-10 of the decision order, which need no table lookup. It
// reports false when none applies; such a frame is then looked up and decided by decideLate.
func decideEarly(f *frame, maxFrame int) (verdict, bool) {
	h, c := &f.hdr, &f.chk
	ihl4 := 4 * int(h.ihl)
	v := func(r punt.Reason, rule int, format string, args ...any) (verdict, bool) {
		return verdict{r, rule, fmt.Sprintf(format, args...)}, true
	}
	switch {
	case f.w < 64: // 1
		return v(punt.Runt, 1, "W=%d < 64", f.w)
	case f.l > maxFrame: // 2
		return v(punt.Giant, 2, "L=%d > MAX_FRAME_BYTES %d", f.l, maxFrame)
	case f.l > int(f.pe.mtu)+18:
		return v(punt.Giant, 2, "L=%d > port MTU %d + 18", f.l, f.pe.mtu)
	case !f.fcsOK: // 3
		return v(punt.BadFCS, 3, "CRC-32 mismatch")
	case !c.unicastToMe && !c.group: // 4
		return v(punt.WrongDstMAC, 4, "dmac %s", macString(h.dmac))
	case h.et == etVLAN || h.et == etQinQ: // 5
		return v(punt.VLAN, 5, "ethertype %04x", h.et)
	case h.et == etARP: // 6
		return v(punt.ARP, 6, "ethertype 0806")
	case h.et == etIPv6: // 7
		return v(punt.IPv6, 7, "ethertype 86dd")
	case h.et != etIPv4: // 8
		return v(punt.NonIP, 8, "ethertype %04x", h.et)
	case h.ver != 4: // 9
		return v(punt.BadIPHeader, 9, "version %d", h.ver)
	case h.ihl < 5:
		return v(punt.BadIPHeader, 9, "ihl %d < 5", h.ihl)
	case f.l < 14+ihl4:
		return v(punt.BadIPHeader, 9, "L=%d < 14 + 4*ihl = %d", f.l, 14+ihl4)
	case int(h.tot) < ihl4:
		return v(punt.BadIPHeader, 9, "tot %d < 4*ihl = %d", h.tot, ihl4)
	case int(h.tot) > f.l-14:
		return v(punt.BadIPHeader, 9, "tot %d > L-14 = %d", h.tot, f.l-14)
	case f.ipSum != 0xFFFF: // 10
		return v(punt.BadIPChecksum, 10, "header sum %04x != ffff", f.ipSum)
	}
	return verdict{}, false
}

// decideLate applies rules 11-21 to a frame that passed rules 1-10 and has been looked up.
func decideLate(f *frame) verdict {
	h, c, lk := &f.hdr, &f.chk, &f.look
	a := &lk.adjRow
	v := func(r punt.Reason, rule int, format string, args ...any) verdict {
		return verdict{r, rule, fmt.Sprintf(format, args...)}
	}
	switch {
	case c.martian != "": // 11
		return v(punt.Martian, 11, "%s", c.martian)
	case c.raddr >= 0: // 12
		return v(punt.ToMe, 12, "dst %s = raddr[%d]", ipString(h.dst), c.raddr)
	case h.dst>>28 == 0xE || h.dst == 0xFFFFFFFF: // 13
		return v(punt.Multicast, 13, "dst %s", ipString(h.dst))
	case c.group: // 14
		return v(punt.L2BroadcastTransit, 14, "transit IPv4 to group dmac %s", macString(h.dmac))
	case h.ihl > 5: // 15
		return v(punt.IPOptions, 15, "ihl %d", h.ihl)
	case !lk.hit: // 16
		return v(punt.NoRoute, 16, "LPM miss for %s", ipString(h.dst))
	case a.isBlackhole(): // 17
		return v(punt.Blackhole, 17, "adj %d is blackhole", lk.adjIdx)
	case h.ttl <= 1: // 18
		return v(punt.TTLExpired, 18, "ttl %d", h.ttl)
	case a.isGlean(): // 19
		return v(punt.Glean, 19, "adj %d has no MAC", lk.adjIdx)
	case h.tot > a.mtu: // 20
		return v(punt.MTUExceeded, 20, "tot %d > adj MTU %d", h.tot, a.mtu)
	}
	return v(punt.Forward, 21, "out of port %d", a.port) // 21
}
