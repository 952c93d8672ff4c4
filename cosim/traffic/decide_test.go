package traffic

import (
	"encoding/binary"

	"github.com/linerate/linerate/tables"
)

// decide is a test-only transcription of the decision order of rtl/core/README.md, written
// apart from the generators, to check that each generated frame is what its Kind says. It
// returns the reason's name and, for "forward", the egress port. (The golden model in
// cosim/model is the oracle for the data plane; this only keeps the generators honest.)
func decide(im *tables.Image, port int, f []byte, badFCS bool) (string, int) {
	L := len(f)
	W := L + 4
	b := func(k int) uint32 {
		if k < L {
			return uint32(f[k])
		}
		return 0
	}
	u16 := func(k int) uint32 { return b(k)<<8 | b(k+1) }
	u32 := func(k int) uint32 { return u16(k)<<16 | u16(k+2) }
	pm := im.Ports[port].MAC
	switch {
	case W < 64:
		return "runt", -1
	case L > 9600 || L > int(im.Ports[port].MTU)+18:
		return "giant", -1
	case badFCS:
		return "bad_fcs", -1
	}
	unicastToMe := string(f[0:6]) == string(pm)
	group := f[0]&1 == 1
	if !unicastToMe && !group {
		return "wrong_dst_mac", -1
	}
	switch et := u16(12); et {
	case 0x8100, 0x88a8:
		return "vlan", -1
	case 0x0806:
		return "arp", -1
	case 0x86dd:
		return "ipv6", -1
	case 0x0800:
	default:
		return "non_ip", -1
	}
	ver, ihl, tot := int(b(14)>>4), int(b(14)&15), int(u16(16))
	if ver != 4 || ihl < 5 || L < 14+4*ihl || tot < 4*ihl || tot > L-14 {
		return "bad_ip_header", -1
	}
	sum := uint32(0)
	for i := 0; i < 2*ihl; i++ {
		sum += u16(14 + 2*i)
	}
	for sum > 0xffff {
		sum = sum>>16 + sum&0xffff
	}
	if sum != 0xffff {
		return "bad_ip_checksum", -1
	}
	ttl, src, dst := b(22), u32(26), u32(30)
	in := func(a, net uint32, plen int) bool { return a>>(32-plen) == net>>(32-plen) }
	if in(src, 0, 8) || in(src, 127<<24, 8) || in(src, 224<<24, 4) || in(src, 240<<24, 4) ||
		in(dst, 0, 8) || in(dst, 127<<24, 8) || (in(dst, 240<<24, 4) && dst != 0xffffffff) {
		return "martian", -1
	}
	for _, r := range im.RAddr {
		if r.Valid && r.Addr == dst {
			return "to_me", -1
		}
	}
	if in(dst, 224<<24, 4) || dst == 0xffffffff {
		return "multicast", -1
	}
	if group {
		return "l2_broadcast_transit", -1
	}
	if ihl > 5 {
		return "ip_options", -1
	}
	hit := -1
	for i, e := range im.LPM {
		if e.Valid && (dst^e.Value)&e.Mask == 0 {
			hit = i
			break
		}
	}
	if hit < 0 {
		return "no_route", -1
	}
	a := im.Adj[im.LPM[hit].Adj]
	switch {
	case a.Kind == tables.AdjBlackhole:
		return "blackhole", -1
	case ttl <= 1:
		return "ttl_expired", -1
	case a.Kind == tables.AdjGlean:
		return "glean", -1
	case tot > int(a.MTU):
		return "mtu_exceeded", -1
	}
	return "forward", int(a.Port)
}

// ipTot returns an untagged IPv4 frame's total length field, or -1.
func ipTot(f []byte) int {
	if len(f) < 18 || binary.BigEndian.Uint16(f[12:14]) != 0x0800 {
		return -1
	}
	return int(binary.BigEndian.Uint16(f[16:18]))
}
