//go:build verilator

package vmod

import (
	"encoding/binary"
	"hash/crc32"
	"math/rand/v2"
	"testing"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"
)

// crcFrame runs lr_crc32 over a frame beat by beat, as lr_fcs_check does, with the given number
// of valid bytes per beat (1..8, so partial beats happen mid-frame too), and returns the FCS.
func crcFrame(frame []byte, per []int) uint32 {
	var beats []CRC32Beat
	for off, k := 0, 0; off < len(frame); k++ {
		n := per[k%len(per)]
		if n > len(frame)-off {
			n = len(frame) - off
		}
		var d [8]byte
		copy(d[:], frame[off:off+n])
		beats = append(beats, CRC32Beat{Data: binary.LittleEndian.Uint64(d[:]), Keep: uint8(1<<n - 1), En: true})
		off += n
	}
	c := uint32(0xFFFFFFFF)
	for i := range beats {
		beats[i].CRCIn = c
		CRC32(beats[i : i+1])
		c = beats[i].Out
	}
	return ^c
}

// TestCRC32MatchesHashCRC32 checks the RTL CRC against Go's hash/crc32 on random frames of every
// length 1..1600, with full beats and with ragged beats; and the residue of frame+FCS.
func TestCRC32MatchesHashCRC32(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for n := 1; n <= 1600; n++ {
		f := make([]byte, n)
		for i := range f {
			f[i] = byte(r.Uint32())
		}
		want := crc32.ChecksumIEEE(f)
		if got := crcFrame(f, []int{8}); got != want {
			t.Fatalf("len %d full beats: rtl %08x, hash/crc32 %08x", n, got, want)
		}
		if n%7 == 0 {
			if got := crcFrame(f, []int{3, 8, 1, 5, 8, 2}); got != want {
				t.Fatalf("len %d ragged beats: rtl %08x, hash/crc32 %08x", n, got, want)
			}
			withFCS := binary.LittleEndian.AppendUint32(append([]byte(nil), f...), want)
			if res := ^crcFrame(withFCS, []int{8}); res != 0xDEBB20E3 {
				t.Fatalf("len %d: residue %08x, want debb20e3", n, res)
			}
		}
	}
}

func TestCRC32Disabled(t *testing.T) {
	b := []CRC32Beat{{Data: 0x1122334455667788, CRCIn: 0xCAFEF00D, Keep: 0xFF, En: false}, {Data: 1, CRCIn: 7, Keep: 0, En: true}}
	CRC32(b)
	if b[0].Out != 0xCAFEF00D || b[1].Out != 7 {
		t.Fatalf("disabled or empty beat changed the CRC: %08x %08x", b[0].Out, b[1].Out)
	}
}

// onesComplementOK is an independent RFC 1071 check, written for this test: sum the header as
// 16-bit words in a 64-bit accumulator, fold at the end.
func onesComplementOK(h []byte) bool {
	var s uint64
	for i := 0; i+1 < len(h); i += 2 {
		s += uint64(h[i])<<8 | uint64(h[i+1])
	}
	for s>>16 != 0 {
		s = s&0xFFFF + s>>16
	}
	return s == 0xFFFF
}

// TestIPChecksum streams frames through lr_ip_checksum at 8 and 128 bits per beat and checks its
// verdict against gopacket-serialized headers (which must pass) and against the independent
// routine on random headers of every IHL, corrupted or not, with and without idle clocks between
// beats. The frames follow each other through the same instance, so each must start a new sum.
func TestIPChecksum(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	var cases []IPChecksumCase
	var want []bool
	for i := 0; i < 4000; i++ {
		var c IPChecksumCase
		for k := range c.Frame {
			c.Frame[k] = byte(r.Uint32())
		}
		ihl := 5 + r.IntN(11)
		opts := []layers.IPv4Option{}
		if ihl > 5 {
			// NOPs to the wanted length
			for len(opts) < 4*(ihl-5) {
				opts = append(opts, layers.IPv4Option{OptionType: 1, OptionLength: 1})
			}
		}
		ip := &layers.IPv4{Version: 4, IHL: uint8(ihl), TTL: uint8(r.IntN(256)), Protocol: layers.IPProtocol(r.IntN(256)),
			Id: uint16(r.Uint32()), SrcIP: []byte{10, byte(i), 1, 2}, DstIP: []byte{192, 0, byte(i), 9}, Options: opts}
		buf := gopacket.NewSerializeBuffer()
		if err := ip.SerializeTo(buf, gopacket.SerializeOptions{ComputeChecksums: true, FixLengths: true}); err != nil {
			t.Fatal(err)
		}
		h := buf.Bytes()
		if len(h) != 4*ihl {
			t.Fatalf("gopacket header of %d bytes, want %d", len(h), 4*ihl)
		}
		copy(c.Frame[14:], h)
		c.Gaps = i%2 == 1
		if i%3 == 1 { // corrupt one byte of the header
			c.Frame[14+r.IntN(4*ihl)] ^= byte(1 + r.IntN(255))
		}
		if i%5 == 2 { // an IHL that does not match the header's length
			c.Frame[14] = c.Frame[14]&0xF0 | byte(r.IntN(16))
		}
		cases = append(cases, c)
		w := onesComplementOK(c.Frame[14 : 14+4*int(c.Frame[14]&15)])
		if i%3 == 0 && i%5 != 2 && !w {
			t.Fatalf("case %d: gopacket's checksum fails the independent check", i)
		}
		want = append(want, w)
	}
	IPChecksum(cases)
	for i, c := range cases {
		if c.OK8 != want[i] || c.OK128 != want[i] {
			n := 14 + 4*int(c.Frame[14]&15)
			t.Fatalf("case %d (ihl %d): rtl ok=%v (8 bits) %v (128 bits), independent routine %v, header % x",
				i, c.Frame[14]&15, c.OK8, c.OK128, want[i], c.Frame[14:n])
		}
	}
}
