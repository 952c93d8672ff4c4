package model

import (
	"testing"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"
)

// BenchmarkReceive64B measures the golden model alone on a forwarded minimum-size frame, with
// and without the per-stage trace.
func BenchmarkReceive64B(b *testing.B) {
	im := testImage()
	var dst []byte
	for _, e := range im.LPM {
		if e.Valid && im.Adj[e.Adj].Kind == 1 {
			v := e.Value | 1
			dst = []byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)}
			break
		}
	}
	if dst == nil {
		b.Fatal("test image has no forward route")
	}
	pe := &layers.Ethernet{SrcMAC: []byte{2, 9, 9, 9, 9, 9}, DstMAC: im.Ports[0].MAC, EthernetType: layers.EthernetTypeIPv4}
	ip := &layers.IPv4{Version: 4, IHL: 5, TTL: 64, Protocol: layers.IPProtocolUDP, SrcIP: []byte{192, 0, 2, 9}, DstIP: dst}
	udp := &layers.UDP{SrcPort: 1, DstPort: 2}
	udp.SetNetworkLayerForChecksum(ip)
	buf := gopacket.NewSerializeBuffer()
	if err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{ComputeChecksums: true, FixLengths: true}, pe, ip, udp, gopacket.Payload(make([]byte, 18))); err != nil {
		b.Fatal(err)
	}
	wire := AppendFCS(append([]byte(nil), buf.Bytes()...))
	for _, tr := range []bool{false, true} {
		name := "plain"
		if tr {
			name = "trace"
		}
		b.Run(name, func(b *testing.B) {
			m := New(im, Options{Trace: tr})
			for i := 0; i < b.N; i++ {
				m.Receive(0, wire)
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "frames/s")
		})
	}
}
