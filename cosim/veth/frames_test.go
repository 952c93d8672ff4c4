package veth

import (
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"net"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"
)

// seqOffset is where buildFrame puts the frame's sequence number (the UDP payload).
const seqOffset = 14 + 20 + 8

// buildFrame returns an Ethernet/IPv4/UDP frame of exactly n bytes (n >= 64), FCS included,
// whose UDP payload starts with seq and is filled with bytes derived from it.
func buildFrame(n int, seq uint32) []byte {
	payload := make([]byte, n-4-seqOffset)
	binary.BigEndian.PutUint32(payload, seq)
	for i := 4; i < len(payload); i++ {
		payload[i] = byte(seq*7 + uint32(i)*13)
	}
	eth := &layers.Ethernet{
		SrcMAC:       net.HardwareAddr{0x02, 0, 0, 0, 0, 1},
		DstMAC:       net.HardwareAddr{0x02, 0, 0, 0, 0, 2},
		EthernetType: layers.EthernetTypeIPv4,
	}
	ip := &layers.IPv4{Version: 4, IHL: 5, TTL: 64, Protocol: layers.IPProtocolUDP, Id: uint16(seq),
		SrcIP: net.IP{10, 0, 0, 1}, DstIP: net.IP{10, 0, 1, byte(seq)}}
	udp := &layers.UDP{SrcPort: 1024, DstPort: layers.UDPPort(5000 + seq%1000)}
	if err := udp.SetNetworkLayerForChecksum(ip); err != nil {
		panic(err)
	}
	buf := gopacket.NewSerializeBuffer()
	opts := gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}
	if err := gopacket.SerializeLayers(buf, opts, eth, ip, udp, gopacket.Payload(payload)); err != nil {
		panic(err)
	}
	f := buf.Bytes()
	if len(f) != n-4 {
		panic(fmt.Sprintf("buildFrame(%d): %d bytes before the FCS", n, len(f)))
	}
	return binary.LittleEndian.AppendUint32(append([]byte(nil), f...), crc32.ChecksumIEEE(f))
}

// fcsOK reports whether a frame ends in its correct FCS.
func fcsOK(f []byte) bool {
	return len(f) >= 4 && binary.LittleEndian.Uint32(f[len(f)-4:]) == crc32.ChecksumIEEE(f[:len(f)-4])
}

// seqOf returns the sequence number buildFrame put into f (or 0xFFFFFFFF if f is too short).
func seqOf(f []byte) uint32 {
	if len(f) < seqOffset+4 {
		return 0xFFFFFFFF
	}
	return binary.BigEndian.Uint32(f[seqOffset:])
}

// describe decodes a frame with gopacket, one line per layer, for failure messages.
func describe(f []byte) string {
	p := gopacket.NewPacket(f, layers.LayerTypeEthernet, gopacket.Default)
	s := fmt.Sprintf("%d bytes, fcs ok=%v:", len(f), fcsOK(f))
	for _, l := range p.Layers() {
		s += " " + l.LayerType().String()
	}
	if ip, ok := p.Layer(layers.LayerTypeIPv4).(*layers.IPv4); ok {
		s += fmt.Sprintf(" (ip id %d, len %d)", ip.Id, ip.Length)
	}
	return s
}

// firstDiff returns the first offset where a and b differ (or the shorter length).
func firstDiff(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}
