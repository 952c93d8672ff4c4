package model

import (
	"encoding/binary"
	"hash/crc32"
	"testing"
)

// TestDecTTLChecksum compares the incremental update with a full recomputation for every
// checksum value 0x0000..0xFFFF and every TTL 1..255.
//
// For each (checksum C, TTL) it builds a valid 20-byte header that carries C: the ID field is
// chosen so that the header sums to 0xFFFF. It then decrements the TTL, recomputes the
// checksum from scratch (rfc1071) and compares with DecTTLChecksum(C).
//
// What this finds (and why the README's ">=" matters):
//   - They agree for all 65536 values and all TTLs.
//   - C = 0xFEFF is the corner: C + 0x0100 = 0xFFFF, ones-complement -0. The ">=" test turns it
//     into 0x0000, which is what a full recomputation gives (a recomputed checksum is never
//     0xFFFF, since the sum of a header with a nonzero version word is never 0). With ">"
//     instead the result would be 0xFFFF: still a valid checksum, but a different byte pattern
//     from Linux and from the RTL. TestDecTTLChecksumCorner pins this down.
//   - C = 0xFFFF (also -0) can only be valid when the other words sum to 0xFFFF, where 0x0000
//     would be equally valid; both give 0x0100 after the update, as the recomputation does.
func TestDecTTLChecksum(t *testing.T) {
	hdr := []byte{0x45, 0x00, 0x00, 0x54, 0, 0, 0x40, 0x00, 0, 17, 0, 0,
		198, 51, 100, 7, 203, 0, 113, 9}
	bad := 0
	for ttl := 1; ttl <= 255; ttl++ {
		hdr[8] = byte(ttl)
		for c := 0; c <= 0xFFFF; c++ {
			// The ID that makes the header valid with checksum c: the ones-complement of the sum
			// of every other word.
			hdr[4], hdr[5] = 0, 0
			binary.BigEndian.PutUint16(hdr[10:], uint16(c))
			id := rfc1071(hdr)
			binary.BigEndian.PutUint16(hdr[4:], id)
			if !IPChecksumOK(hdr) {
				t.Fatalf("ttl %d c %04x: test header invalid", ttl, c)
			}
			hdr[8]--
			hdr[10], hdr[11] = 0, 0
			full := rfc1071(hdr)
			hdr[8]++
			if got := DecTTLChecksum(uint16(c)); got != full {
				if bad++; bad < 10 {
					t.Errorf("ttl %d checksum %04x: incremental %04x, full %04x", ttl, c, got, full)
				}
			}
		}
	}
}

func TestDecTTLChecksumCorner(t *testing.T) {
	if got := DecTTLChecksum(0xFEFF); got != 0x0000 {
		t.Errorf("DecTTLChecksum(feff) = %04x, want 0000", got)
	}
	// A ">" variant differs in exactly that one value.
	gt := func(c uint16) uint16 {
		s := uint32(c) + 0x0100
		if s > 0xFFFF {
			s++
		}
		return uint16(s)
	}
	for c := 0; c <= 0xFFFF; c++ {
		a, b := DecTTLChecksum(uint16(c)), gt(uint16(c))
		if (a != b) != (c == 0xFEFF) {
			t.Errorf("c %04x: >= gives %04x, > gives %04x", c, a, b)
		}
	}
	for c, want := range map[uint16]uint16{0x0000: 0x0100, 0xFEFE: 0xFFFE, 0xFF00: 0x0001, 0xFFFF: 0x0100} {
		if got := DecTTLChecksum(c); got != want {
			t.Errorf("DecTTLChecksum(%04x) = %04x, want %04x", c, got, want)
		}
	}
}

func TestIPChecksumOK(t *testing.T) {
	f := pkt{options: true}.build(t) // gopacket computed the checksum
	hdr := f[14:38]
	if !IPChecksumOK(hdr) {
		t.Errorf("gopacket header rejected")
	}
	for i := range hdr {
		b := append([]byte(nil), hdr...)
		b[i] ^= 0x10
		if IPChecksumOK(b) {
			t.Errorf("flipped bit in byte %d accepted", i)
		}
	}
	if IPChecksumOK(nil) || IPChecksumOK(make([]byte, 20)) {
		t.Errorf("empty or zero header accepted")
	}
	if !IPChecksumOK([]byte{0xFF, 0xFF}) || !IPChecksumOK([]byte{0x80, 0x00, 0x7F, 0xFF}) {
		t.Errorf("sums of 0xFFFF rejected")
	}
}

func TestFCS(t *testing.T) {
	// The CRC-32 check value of "123456789" (IEEE 802.3).
	if got := FCS([]byte("123456789")); got != 0xCBF43926 {
		t.Errorf("FCS check value %08x", got)
	}
	f := pkt{}.build(t)
	if got, want := AppendFCS(append([]byte(nil), f...)), wire(f); string(got) != string(want) {
		t.Errorf("AppendFCS differs from hash/crc32, little-endian")
	}
	// The whole frame with its FCS leaves the CRC residue 0x2144DF1C (0xDEBB20E3 before the
	// final inversion): the property a MAC checks.
	if r := crc32.ChecksumIEEE(wire(f)); r != 0x2144DF1C {
		t.Errorf("residue %08x", r)
	}
	for _, n := range []int{0, 1, 59, 60, 61, 1500} {
		in := make([]byte, n)
		for i := range in {
			in[i] = byte(i) | 1
		}
		out := FCSInsert(in)
		if len(out) != max(n, 60)+4 || !fcsOK(out) || string(out[:n]) != string(in) {
			t.Errorf("FCSInsert(%d bytes): %d bytes, fcs ok %v", n, len(out), fcsOK(out))
		}
		for _, b := range out[n : len(out)-4] {
			if b != 0 {
				t.Errorf("FCSInsert(%d): padding not zero", n)
				break
			}
		}
	}
}
