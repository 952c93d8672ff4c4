package model

// onesSum returns the 16-bit ones-complement sum (RFC 1071) of b taken as big-endian words; an
// odd last byte is padded with zero. The result is 0 only when every word is 0.
func onesSum(b []byte) uint16 {
	var s uint32
	for i := 0; i < len(b); i += 2 {
		s += uint32(u16(b, i))
	}
	for s > 0xFFFF {
		s = s&0xFFFF + s>>16
	}
	return uint16(s)
}

// IPChecksumOK reports whether hdr, an IPv4 header (IHL*4 bytes, checksum field included),
// has a valid checksum: the ones-complement sum of its 16-bit words is 0xFFFF.
func IPChecksumOK(hdr []byte) bool { return onesSum(hdr) == 0xFFFF }

// DecTTLChecksum returns the IPv4 header checksum after the TTL is decremented, given the
// checksum c before: the RFC 1624 incremental update of the TTL/protocol word, computed exactly
// as Linux's ip_decrease_ttl does:
//
//	c = c + 0x0100; if c >= 0xFFFF { c = c + 1 }; c &= 0xFFFF
//
// The ">=" (not ">") folds the one case c = 0xFEFF, whose sum would be 0xFFFF (ones-complement
// -0), to 0x0000 (+0), which is what a full recomputation gives.
func DecTTLChecksum(c uint16) uint16 {
	s := uint32(c) + 0x0100
	if s >= 0xFFFF {
		s++
	}
	return uint16(s)
}

// ipHeaderSum is the IP checksum stage (lr_ip_checksum.v): the ones-complement sum of the
// 2*ihl 16-bit words from byte 14, reading zeros past L. The decision checks it only for IPv4
// frames that pass rule 9, where the whole header lies inside the frame.
func ipHeaderSum(f *frame, tr *trace) uint16 {
	n := 4 * int(f.hdr.ihl)
	var s uint32
	for i := 0; i < n; i += 2 {
		s += uint32(u16(f.b, offIP+i))
	}
	for s > 0xFFFF {
		s = s&0xFFFF + s>>16
	}
	if f.hdr.et == etIPv4 {
		ok := "ok"
		if s != 0xFFFF {
			ok = "bad"
		}
		tr.addf("checksum", "sum of %d header words %04x (%s)", n/2, s, ok)
	}
	return uint16(s)
}
