package model

import (
	"fmt"
	"net"
)

// Ethertypes the parser knows.
const (
	etIPv4  = 0x0800
	etARP   = 0x0806
	etVLAN  = 0x8100 // 802.1Q
	etQinQ  = 0x88A8 // 802.1ad
	etIPv6  = 0x86DD
	offEt   = 12 // ethertype
	offIP   = 14 // IPv4 header
	offTTL  = 22
	offCsum = 24
)

// header holds the fields the parser extracts (lr_parser.v). Every field is read at a fixed
// offset, with b[k] = 0 for k >= L, so a short frame yields zeros, never an error.
type header struct {
	dmac  [6]byte // b[0..6)
	smac  [6]byte // b[6..12)
	et    uint16  // u16(12)
	ver   uint8   // b[14]>>4
	ihl   uint8   // b[14]&15
	tot   uint16  // u16(16)
	ttl   uint8   // b[22]
	proto uint8   // b[23]
	csum  uint16  // u16(24)
	src   uint32  // u32(26)
	dst   uint32  // u32(30)
}

// at returns b[k], or 0 when k is past the end of b.
func at(b []byte, k int) byte {
	if k < 0 || k >= len(b) {
		return 0
	}
	return b[k]
}

// u16 returns the big-endian 16-bit word at b[k], reading zeros past the end.
func u16(b []byte, k int) uint16 { return uint16(at(b, k))<<8 | uint16(at(b, k+1)) }

// u32 returns the big-endian 32-bit word at b[k], reading zeros past the end.
func u32(b []byte, k int) uint32 { return uint32(u16(b, k))<<16 | uint32(u16(b, k+2)) }

// parse is the parser stage.
func parse(b []byte, tr *trace) header {
	var h header
	for i := range 6 {
		h.dmac[i] = at(b, i)
		h.smac[i] = at(b, 6+i)
	}
	h.et = u16(b, offEt)
	v := at(b, offIP)
	h.ver, h.ihl = v>>4, v&15
	h.tot = u16(b, 16)
	h.ttl = at(b, offTTL)
	h.proto = at(b, 23)
	h.csum = u16(b, offCsum)
	h.src = u32(b, 26)
	h.dst = u32(b, 30)
	if tr.on {
		note := h.describe(b)
		if len(b) < offIP+20 {
			note += fmt.Sprintf(" [L=%d: bytes past L read as 0]", len(b))
		}
		tr.add("parser", note)
	}
	return h
}

func (h *header) describe(b []byte) string {
	l2 := fmt.Sprintf("%s -> %s", macString(h.smac), macString(h.dmac))
	switch h.et {
	case etIPv4:
		return fmt.Sprintf("%s IPv4 ver %d ihl %d tot %d ttl %d proto %d csum %04x %s -> %s",
			l2, h.ver, h.ihl, h.tot, h.ttl, h.proto, h.csum, ipString(h.src), ipString(h.dst))
	case etARP:
		return fmt.Sprintf("%s ARP op %d", l2, u16(b, 20))
	case etIPv6:
		return l2 + " IPv6"
	case etVLAN, etQinQ:
		name := "802.1Q"
		if h.et == etQinQ {
			name = "802.1ad"
		}
		return fmt.Sprintf("%s %s tag vid %d, inner ethertype %04x", l2, name, u16(b, 14)&0x0FFF, u16(b, 16))
	}
	return fmt.Sprintf("%s ethertype %04x", l2, h.et)
}

func macString(m [6]byte) string { return net.HardwareAddr(m[:]).String() }

func ipString(a uint32) string {
	return net.IPv4(byte(a>>24), byte(a>>16), byte(a>>8), byte(a)).String()
}
