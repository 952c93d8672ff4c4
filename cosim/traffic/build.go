package traffic

import (
	"encoding/binary"
	"math/rand/v2"
)

// Ethertypes and IP protocols used by the generators.
const (
	etIPv4  = 0x0800
	etARP   = 0x0806
	etIPv6  = 0x86dd
	etVLAN  = 0x8100
	etQinQ  = 0x88a8
	etLLDP  = 0x88cc
	etLocal = 0x88b5 // IEEE 802 local experimental ethertype 1
	etMPLS  = 0x8847

	protoICMP = 1
	protoTCP  = 6
	protoUDP  = 17
	protoOSPF = 89
)

// mac is an Ethernet address.
type mac [6]byte

var broadcastMAC = mac{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}

func macFrom(b []byte) mac {
	var m mac
	copy(m[:], b)
	return m
}

// ethHeader returns an Ethernet II header; each tag is a (TPID, TCI) pair inserted before the
// ethertype.
func ethHeader(dst, src mac, et uint16, tags ...[2]uint16) []byte {
	b := make([]byte, 0, 14+4*len(tags))
	b = append(b, dst[:]...)
	b = append(b, src[:]...)
	for _, t := range tags {
		b = binary.BigEndian.AppendUint16(b, t[0])
		b = binary.BigEndian.AppendUint16(b, t[1])
	}
	return binary.BigEndian.AppendUint16(b, et)
}

// ipHdr describes an IPv4 header to build. Fields are written as given, so a builder can make
// any malformed header; Opts fills bytes 20.. of the header.
type ipHdr struct {
	Ver      int // 4 for IPv4
	IHL      int // header length in 32-bit words as written in the header
	TOS      byte
	Tot      int // total length field
	ID       uint16
	DF       bool
	TTL      byte
	Proto    byte
	Src, Dst uint32
	Opts     []byte // (IHL-5)*4 bytes for IHL > 5
}

// headerBytes returns the header: 20 bytes, plus options up to 4*IHL, with a correct checksum
// over 4*IHL bytes (over 20 when IHL < 5).
func (h ipHdr) headerBytes() []byte {
	n := 4 * h.IHL
	if n < 20 {
		n = 20
	}
	b := make([]byte, n)
	b[0] = byte(h.Ver<<4) | byte(h.IHL&15)
	b[1] = h.TOS
	binary.BigEndian.PutUint16(b[2:4], uint16(h.Tot))
	binary.BigEndian.PutUint16(b[4:6], h.ID)
	if h.DF {
		b[6] = 0x40
	}
	b[8] = h.TTL
	b[9] = h.Proto
	binary.BigEndian.PutUint32(b[12:16], h.Src)
	binary.BigEndian.PutUint32(b[16:20], h.Dst)
	copy(b[20:], h.Opts)
	binary.BigEndian.PutUint16(b[10:12], ^onesSum(b, 0))
	return b
}

// onesSum is the ones-complement sum of b as big-endian 16-bit words, added to sum.
func onesSum(b []byte, sum uint32) uint16 {
	for i := 0; i+1 < len(b); i += 2 {
		sum += uint32(b[i])<<8 | uint32(b[i+1])
	}
	if len(b)%2 == 1 {
		sum += uint32(b[len(b)-1]) << 8
	}
	for sum > 0xffff {
		sum = sum&0xffff + sum>>16
	}
	return uint16(sum)
}

// pseudoSum is the sum of the IPv4 pseudo header of a TCP or UDP segment.
func pseudoSum(src, dst uint32, proto byte, n int) uint32 {
	return src>>16 + src&0xffff + dst>>16 + dst&0xffff + uint32(proto) + uint32(n)
}

// l4 returns a segment of n bytes for proto with a random payload and, when the header fits,
// a header with a correct checksum. ICMP is an echo request.
func l4(rng *rand.Rand, proto byte, src, dst uint32, n int) []byte {
	b := make([]byte, n)
	fill(rng, b)
	be := binary.BigEndian
	switch proto {
	case protoUDP:
		if n < 8 {
			return b
		}
		be.PutUint16(b[0:2], uint16(1024+rng.IntN(60000)))
		be.PutUint16(b[2:4], []uint16{53, 123, 4789, 5001, 33434, 9}[rng.IntN(6)])
		be.PutUint16(b[4:6], uint16(n))
		be.PutUint16(b[6:8], 0)
		c := ^onesSum(b, pseudoSum(src, dst, proto, n))
		if c == 0 {
			c = 0xffff // UDP: 0 means "no checksum"
		}
		be.PutUint16(b[6:8], c)
	case protoTCP:
		if n < 20 {
			return b
		}
		be.PutUint16(b[0:2], uint16(1024+rng.IntN(60000)))
		be.PutUint16(b[2:4], []uint16{80, 443, 22, 179, 5201}[rng.IntN(5)])
		b[12] = 5 << 4
		b[13] = []byte{0x02, 0x10, 0x18, 0x11}[rng.IntN(4)] // SYN, ACK, PSH+ACK, FIN+ACK
		b[16], b[17], b[18], b[19] = 0, 0, 0, 0
		be.PutUint16(b[16:18], ^onesSum(b, pseudoSum(src, dst, proto, n)))
	case protoICMP:
		if n < 8 {
			return b
		}
		b[0], b[1], b[2], b[3] = 8, 0, 0, 0 // echo request
		be.PutUint16(b[2:4], ^onesSum(b, 0))
	}
	return b
}

// ipv4Frame returns a frame of exactly size bytes: the L2 header, the IPv4 header h, a segment
// of h.Tot-4*h.IHL bytes (when the lengths make sense), all cut to size, then padding (zero,
// or random when junk is set) up to size.
func ipv4Frame(rng *rand.Rand, l2 []byte, h ipHdr, size int, junk bool) []byte {
	b := make([]byte, size)
	off := copy(b, l2)
	hdr := h.headerBytes()
	copy(b[off:], hdr)
	if h.Ver == 4 && h.IHL >= 5 && h.Tot >= 4*h.IHL && off+4*h.IHL < size {
		n := h.Tot - 4*h.IHL
		if room := size - off - 4*h.IHL; n > room {
			n = room // a lying total length: the segment is what fits
		}
		copy(b[off+4*h.IHL:], l4(rng, h.Proto, h.Src, h.Dst, n))
	}
	if end := off + h.Tot; junk && end < size && end >= off {
		fill(rng, b[end:])
	}
	return b
}

// ipOptions returns n bytes (a multiple of 4) of well-formed IPv4 options: NOPs, a Router
// Alert or an empty Record Route, and End-of-Options padding.
func ipOptions(rng *rand.Rand, n int) []byte {
	b := make([]byte, 0, n)
	switch rng.IntN(3) {
	case 0: // NOPs only
		for len(b) < n {
			b = append(b, 1)
		}
	case 1: // Router Alert (RFC 2113), then NOPs
		b = append(b, 0x94, 4, 0, 0)
		for len(b) < n {
			b = append(b, 1)
		}
	default: // Record Route with room for k addresses, then End of Options
		k := (n - 3) / 4
		b = append(b, 7, byte(3+4*k), 4)
		b = append(b, make([]byte, 4*k)...)
		for len(b) < n {
			b = append(b, 0)
		}
	}
	return b[:n]
}

func fill(rng *rand.Rand, b []byte) {
	for i := 0; i < len(b); i += 8 {
		v := rng.Uint64()
		for j := i; j < i+8 && j < len(b); j++ {
			b[j] = byte(v)
			v >>= 8
		}
	}
}

// pad returns b extended with zero bytes to at least n bytes.
func pad(b []byte, n int) []byte {
	if len(b) >= n {
		return b
	}
	return append(b, make([]byte, n-len(b))...)
}

func ip4(a, b, c, d byte) uint32 { return uint32(a)<<24 | uint32(b)<<16 | uint32(c)<<8 | uint32(d) }

func ipBytes(a uint32) []byte { return binary.BigEndian.AppendUint32(nil, a) }

// multicastMAC is the Ethernet group address of an IPv4 multicast group (RFC 1112).
func multicastMAC(a uint32) mac {
	return mac{0x01, 0x00, 0x5e, byte(a>>16) & 0x7f, byte(a >> 8), byte(a)}
}
