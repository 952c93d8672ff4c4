package router

import (
	"encoding/binary"
	"net/netip"
)

// Protocol numbers, ethertypes and ICMP types the slow path uses.
const (
	etIPv4 = 0x0800
	etARP  = 0x0806

	protoICMP = 1
	protoTCP  = 6
	protoUDP  = 17

	icmpEchoReply    = 0
	icmpDestUnreach  = 3
	icmpEchoRequest  = 8
	icmpTimeExceeded = 11
	icmpParamProblem = 12

	codeNetUnreach   = 0
	codeHostUnreach  = 1
	codeProtoUnreach = 2
	codePortUnreach  = 3
	codeFragNeeded   = 4

	ipDF     = 0x4000
	ipMF     = 0x2000
	ipOffset = 0x1fff

	// defaultTTL is the TTL of the router's own packets (Linux's ip_default_ttl).
	defaultTTL = 64
	// icmpErrorRoom bounds an ICMP error to 576 bytes (RFC 1812 4.3.2.3, as Linux's icmp_send).
	icmpErrorRoom = 576
)

// ipHeader is a parsed IPv4 header; the packet it came from is ip[:tot].
type ipHeader struct {
	ihl   int // header length in bytes
	tos   uint8
	tot   int
	id    uint16
	frag  uint16 // flags and fragment offset
	ttl   uint8
	proto uint8
	src   netip.Addr
	dst   netip.Addr
}

// parseIPv4 parses the header at ip (which the data plane has checked: version 4, IHL >= 5,
// lengths, checksum) and trims ip to the total length.
func parseIPv4(ip []byte) (ipHeader, []byte, bool) {
	if len(ip) < 20 || ip[0]>>4 != 4 {
		return ipHeader{}, nil, false
	}
	h := ipHeader{
		ihl:   int(ip[0]&15) * 4,
		tos:   ip[1],
		tot:   int(binary.BigEndian.Uint16(ip[2:])),
		id:    binary.BigEndian.Uint16(ip[4:]),
		frag:  binary.BigEndian.Uint16(ip[6:]),
		ttl:   ip[8],
		proto: ip[9],
		src:   netip.AddrFrom4([4]byte(ip[12:16])),
		dst:   netip.AddrFrom4([4]byte(ip[16:20])),
	}
	if h.ihl < 20 || h.tot < h.ihl || h.tot > len(ip) {
		return ipHeader{}, nil, false
	}
	return h, ip[:h.tot], true
}

// fragment reports whether the packet is a fragment, and whether it is a later one (offset > 0).
func (h ipHeader) fragment() (any, later bool) {
	return h.frag&(ipMF|ipOffset) != 0, h.frag&ipOffset != 0
}

// onesSum adds b as big-endian 16-bit words (an odd last byte padded with zero) to s.
func onesSum(s uint32, b []byte) uint32 {
	for len(b) >= 2 {
		s += uint32(b[0])<<8 | uint32(b[1])
		b = b[2:]
	}
	if len(b) == 1 {
		s += uint32(b[0]) << 8
	}
	return s
}

// checksum folds a ones-complement sum and complements it.
func checksum(s uint32) uint16 {
	for s>>16 != 0 {
		s = s&0xffff + s>>16
	}
	return ^uint16(s)
}

// setIPChecksum recomputes the header checksum of the IPv4 header at ip.
func setIPChecksum(ip []byte) {
	hl := int(ip[0]&15) * 4
	ip[10], ip[11] = 0, 0
	binary.BigEndian.PutUint16(ip[10:], checksum(onesSum(0, ip[:hl])))
}

// pseudoSum is the sum of the TCP/UDP pseudo-header.
func pseudoSum(src, dst netip.Addr, proto uint8, n int) uint32 {
	s, d := src.As4(), dst.As4()
	sum := onesSum(0, s[:])
	sum = onesSum(sum, d[:])
	return sum + uint32(proto) + uint32(n)
}

// buildIPv4 returns an IPv4 packet with options opts (a multiple of 4 bytes) around payload,
// checksum set.
func buildIPv4(tos uint8, id uint16, frag uint16, ttl, proto uint8, src, dst netip.Addr, opts, payload []byte) []byte {
	hl := 20 + len(opts)
	ip := make([]byte, hl+len(payload))
	ip[0] = 0x40 | uint8(hl/4)
	ip[1] = tos
	binary.BigEndian.PutUint16(ip[2:], uint16(len(ip)))
	binary.BigEndian.PutUint16(ip[4:], id)
	binary.BigEndian.PutUint16(ip[6:], frag)
	ip[8] = ttl
	ip[9] = proto
	s, d := src.As4(), dst.As4()
	copy(ip[12:], s[:])
	copy(ip[16:], d[:])
	copy(ip[20:], opts)
	copy(ip[hl:], payload)
	setIPChecksum(ip)
	return ip
}

// isICMPError reports whether an ICMP type is an error message (or unknown, beyond the types
// Linux knows): no ICMP error is ever sent about one (RFC 1812 4.3.2.7).
func isICMPError(typ uint8) bool {
	switch typ {
	case icmpDestUnreach, 4, 5, icmpTimeExceeded, icmpParamProblem:
		return true
	}
	return typ > 18
}

// limitedBroadcast and the rest classify IPv4 addresses.
func limitedBroadcast(a netip.Addr) bool { return a == netip.AddrFrom4([4]byte{255, 255, 255, 255}) }

func u32(a netip.Addr) uint32 { b := a.As4(); return binary.BigEndian.Uint32(b[:]) }
