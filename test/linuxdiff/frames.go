//go:build linux

package linuxdiff

import (
	"encoding/binary"
	"fmt"
)

// Ethertypes and the fields this package reads.
const (
	etIPv4 = 0x0800
	etARP  = 0x0806
	etVLAN = 0x8100
	etQinQ = 0x88a8
)

// ipKey identifies one IPv4 packet across the router: the fields a router never rewrites
// (source, destination, protocol) and the identification, which Tag makes unique per input.
type ipKey struct {
	Src, Dst uint32
	Proto    uint8
	ID       uint16
}

func (k ipKey) String() string {
	return fmt.Sprintf("%s > %s proto %d id %d", ip4String(k.Src), ip4String(k.Dst), k.Proto, k.ID)
}

func ip4String(a uint32) string {
	return fmt.Sprintf("%d.%d.%d.%d", byte(a>>24), byte(a>>16), byte(a>>8), byte(a))
}

// l3Offset returns the offset of the IPv4 header of an Ethernet frame, skipping up to two VLAN
// tags, and false when the frame does not carry IPv4 (version 4, 20 header bytes present).
func l3Offset(frame []byte) (int, bool) {
	off := 12
	for tags := 0; ; tags++ {
		if len(frame) < off+2 {
			return 0, false
		}
		et := binary.BigEndian.Uint16(frame[off:])
		if (et == etVLAN || et == etQinQ) && tags < 2 {
			off += 4
			continue
		}
		if et != etIPv4 {
			return 0, false
		}
		off += 2
		break
	}
	if len(frame) < off+20 || frame[off]>>4 != 4 {
		return 0, false
	}
	return off, true
}

// untaggedIPv4 returns the IPv4 header offset (14) of an untagged IPv4 frame.
func untaggedIPv4(frame []byte) bool {
	off, ok := l3Offset(frame)
	return ok && off == 14
}

// keyAt reads the ipKey of the IPv4 header at b.
func keyAt(b []byte) ipKey {
	return ipKey{
		Src:   binary.BigEndian.Uint32(b[12:]),
		Dst:   binary.BigEndian.Uint32(b[16:]),
		Proto: b[9],
		ID:    binary.BigEndian.Uint16(b[4:]),
	}
}

// onesSum is the ones-complement sum of b (big-endian 16-bit words), folded to 16 bits.
func onesSum(b []byte) uint16 {
	var s uint32
	for i := 0; i+1 < len(b); i += 2 {
		s += uint32(binary.BigEndian.Uint16(b[i:]))
	}
	if len(b)%2 == 1 {
		s += uint32(b[len(b)-1]) << 8
	}
	for s > 0xffff {
		s = s&0xffff + s>>16
	}
	return uint16(s)
}

// Tag sets the IPv4 identification of frame (untagged or inside VLAN tags) to id, in place, and
// keeps the header checksum exactly as right or wrong as it was: a valid header gets a freshly
// computed checksum, any other the RFC 1624 incremental update (eqn. 3), which keeps the sum of
// the header unchanged. It returns false, leaving the frame alone, when the frame carries no
// IPv4 header. Nothing else changes, so every rule of the data plane decides the tagged frame as
// it would the original.
func Tag(frame []byte, id uint16) bool {
	off, ok := l3Offset(frame)
	if !ok {
		return false
	}
	h := frame[off:]
	ihl := int(h[0]&15) * 4
	valid := ihl >= 20 && len(h) >= ihl && onesSum(h[:ihl]) == 0xffff
	old := binary.BigEndian.Uint16(h[4:])
	binary.BigEndian.PutUint16(h[4:], id)
	if valid {
		binary.BigEndian.PutUint16(h[10:], 0)
		binary.BigEndian.PutUint16(h[10:], ^onesSum(h[:ihl]))
		return true
	}
	hc := binary.BigEndian.Uint16(h[10:])
	s := uint32(^hc) + uint32(^old) + uint32(id)
	for s > 0xffff {
		s = s&0xffff + s>>16
	}
	binary.BigEndian.PutUint16(h[10:], ^uint16(s))
	return true
}

// ipTotal returns 14 + the IPv4 total length of an untagged IPv4 frame: the bytes a router
// forwards of it.
func ipTotal(frame []byte) int {
	return 14 + int(binary.BigEndian.Uint16(frame[16:]))
}

// icmpError is an ICMP error message the router sent, and the packet it quotes.
type icmpError struct {
	Type, Code uint8
	Quoted     ipKey
}

func (e icmpError) String() string {
	switch {
	case e.Type == 3 && e.Code == 0:
		return "icmp net-unreachable"
	case e.Type == 3 && e.Code == 1:
		return "icmp host-unreachable"
	case e.Type == 3 && e.Code == 3:
		return "icmp port-unreachable"
	case e.Type == 3 && e.Code == 4:
		return "icmp frag-needed"
	case e.Type == 3 && e.Code == 2:
		return "icmp protocol-unreachable"
	case e.Type == 11:
		return "icmp time-exceeded"
	case e.Type == 12:
		return "icmp parameter-problem"
	}
	return fmt.Sprintf("icmp %d/%d", e.Type, e.Code)
}

// parseICMPError decodes an untagged IPv4 frame carrying an ICMP error (destination
// unreachable, source quench, redirect, time exceeded, parameter problem).
func parseICMPError(frame []byte) (icmpError, bool) {
	if !untaggedIPv4(frame) {
		return icmpError{}, false
	}
	ip := frame[14:]
	ihl := int(ip[0]&15) * 4
	if ip[9] != 1 || ihl < 20 || len(ip) < ihl+8+20 {
		return icmpError{}, false
	}
	icmp := ip[ihl:]
	switch icmp[0] {
	case 3, 4, 5, 11, 12:
	default:
		return icmpError{}, false
	}
	q := icmp[8:]
	if q[0]>>4 != 4 {
		return icmpError{}, false
	}
	return icmpError{Type: icmp[0], Code: icmp[1], Quoted: keyAt(q)}, true
}

// arpMsg is an ARP message over Ethernet/IPv4.
type arpMsg struct {
	Op       uint16
	SPA, TPA uint32
}

func parseARP(frame []byte) (arpMsg, bool) {
	if len(frame) < 14+28 || binary.BigEndian.Uint16(frame[12:]) != etARP {
		return arpMsg{}, false
	}
	a := frame[14:]
	if binary.BigEndian.Uint16(a[0:]) != 1 || binary.BigEndian.Uint16(a[2:]) != etIPv4 || a[4] != 6 || a[5] != 4 {
		return arpMsg{}, false
	}
	return arpMsg{Op: binary.BigEndian.Uint16(a[6:]), SPA: binary.BigEndian.Uint32(a[14:]), TPA: binary.BigEndian.Uint32(a[24:])}, true
}

// isFragment reports whether the IPv4 header at b is a fragment (MF set or offset not zero).
func isFragment(b []byte) bool {
	return binary.BigEndian.Uint16(b[6:])&0x3fff != 0
}
