package punt

import (
	"bytes"
	"net"
	"testing"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"
)

// testFrame is an Ethernet/IPv4/UDP frame built with gopacket.
func testFrame(t *testing.T) []byte {
	t.Helper()
	eth := &layers.Ethernet{
		SrcMAC:       net.HardwareAddr{2, 0, 0, 0, 0, 1},
		DstMAC:       net.HardwareAddr{2, 0, 0, 0, 0, 2},
		EthernetType: layers.EthernetTypeIPv4,
	}
	ip := &layers.IPv4{Version: 4, TTL: 1, Protocol: layers.IPProtocolUDP,
		SrcIP: net.IPv4(192, 0, 2, 7), DstIP: net.IPv4(198, 51, 100, 9)}
	udp := &layers.UDP{SrcPort: 1234, DstPort: 9}
	if err := udp.SetNetworkLayerForChecksum(ip); err != nil {
		t.Fatal(err)
	}
	buf := gopacket.NewSerializeBuffer()
	opts := gopacket.SerializeOptions{ComputeChecksums: true, FixLengths: true}
	if err := gopacket.SerializeLayers(buf, opts, eth, ip, udp, gopacket.Payload("hello, router")); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestLayerDecodeEndToEnd(t *testing.T) {
	frame := testFrame(t)
	h := Header{Seq: 7, Version: Version, Reason: TTLExpired, InPort: 1, LPMHit: true,
		LPMIndex: 4, AdjIndex: 9, Egress: 2, Length: uint16(len(frame))}
	cpu := append(h.Marshal(), frame...)

	p := gopacket.NewPacket(cpu, LayerTypePunt, gopacket.Default)
	if el := p.ErrorLayer(); el != nil {
		t.Fatalf("decode error: %v", el.Error())
	}
	want := []gopacket.LayerType{LayerTypePunt, layers.LayerTypeEthernet, layers.LayerTypeIPv4,
		layers.LayerTypeUDP, gopacket.LayerTypePayload}
	ls := p.Layers()
	if len(ls) != len(want) {
		t.Fatalf("layers %v, want %v", ls, want)
	}
	for i, l := range ls {
		if l.LayerType() != want[i] {
			t.Errorf("layer %d = %v, want %v", i, l.LayerType(), want[i])
		}
	}
	pl, ok := p.Layer(LayerTypePunt).(*Layer)
	if !ok {
		t.Fatalf("no punt layer")
	}
	if pl.Header != h {
		t.Errorf("decoded %+v, want %+v", pl.Header, h)
	}
	if !bytes.Equal(pl.LayerContents(), cpu[:HeaderLen]) || !bytes.Equal(pl.LayerPayload(), frame) {
		t.Errorf("contents/payload split wrong")
	}
	if ip := p.Layer(layers.LayerTypeIPv4).(*layers.IPv4); !ip.DstIP.Equal(net.IPv4(198, 51, 100, 9)) {
		t.Errorf("IPv4 dst %v", ip.DstIP)
	}
	if p.Metadata().Truncated {
		t.Errorf("complete frame marked truncated")
	}

	// A frame shorter than Length is marked truncated.
	h.Length += 10
	p = gopacket.NewPacket(append(h.Marshal(), frame...), LayerTypePunt, gopacket.Default)
	if !p.Metadata().Truncated {
		t.Errorf("short frame not marked truncated")
	}

	// DecodingLayerParser works too.
	var (
		punt Layer
		eth  layers.Ethernet
		ip   layers.IPv4
		udp  layers.UDP
		pay  gopacket.Payload
	)
	dlp := gopacket.NewDecodingLayerParser(LayerTypePunt, &punt, &eth, &ip, &udp, &pay)
	var decoded []gopacket.LayerType
	if err := dlp.DecodeLayers(cpu, &decoded); err != nil {
		t.Fatalf("DecodingLayerParser: %v", err)
	}
	if len(decoded) != 5 || punt.Reason != TTLExpired {
		t.Errorf("DecodingLayerParser decoded %v, reason %v", decoded, punt.Reason)
	}
}

func TestLayerDecodeErrors(t *testing.T) {
	frame := testFrame(t)
	bad := Header{Version: 2, Reason: ARP}.Marshal()
	cases := map[string]struct {
		data []byte
		lt   gopacket.LayerType
	}{
		"punt empty":     {nil, LayerTypePunt},
		"punt short":     {make([]byte, HeaderLen-1), LayerTypePunt},
		"punt version 0": {append(make([]byte, HeaderLen), frame...), LayerTypePunt},
		"punt version 2": {append(bad, frame...), LayerTypePunt},
		"inject short":   {[]byte{1, 0, 0}, LayerTypeInject},
		"inject v2":      {append([]byte{2, 0, 0, 0, 0, 0, 0, 0}, frame...), LayerTypeInject},
	}
	for name, c := range cases {
		p := gopacket.NewPacket(c.data, c.lt, gopacket.Default)
		if p.ErrorLayer() == nil {
			t.Errorf("%s: no decode error", name)
		}
	}
}

func TestLayerSerialize(t *testing.T) {
	frame := testFrame(t)
	buf := gopacket.NewSerializeBuffer()
	l := &Layer{Header: Header{Seq: 3, Version: Version, Reason: NoRoute, InPort: 2, Egress: EgressNone}}
	err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true}, l, gopacket.Payload(frame))
	if err != nil {
		t.Fatal(err)
	}
	h, err := Parse(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	want := l.Header
	want.Length = uint16(len(frame))
	if h != want {
		t.Errorf("serialized header %+v, want %+v", h, want)
	}
	if !bytes.Equal(buf.Bytes()[HeaderLen:], frame) {
		t.Errorf("frame not after the header")
	}

	buf = gopacket.NewSerializeBuffer()
	il := &InjectLayer{InjectHeader: InjectHeader{Version: Version, Port: 2}}
	if err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{}, il, gopacket.Payload(frame)); err != nil {
		t.Fatal(err)
	}
	p := gopacket.NewPacket(buf.Bytes(), LayerTypeInject, gopacket.Default)
	if p.ErrorLayer() != nil {
		t.Fatalf("inject decode: %v", p.ErrorLayer().Error())
	}
	got, ok := p.Layer(LayerTypeInject).(*InjectLayer)
	if !ok || got.InjectHeader != il.InjectHeader {
		t.Errorf("inject layer %+v", p.Layer(LayerTypeInject))
	}
	if p.Layer(layers.LayerTypeUDP) == nil {
		t.Errorf("inject: UDP not decoded: %v", p)
	}
}
