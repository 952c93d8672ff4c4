package model

import (
	"bytes"
	"testing"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"
	"github.com/linerate/linerate/hostdrv/punt"
)

// Punts are numbered 0, 1, 2, ... in order; other frames take no number; Load keeps the count.
func TestPuntSequence(t *testing.T) {
	m := New(testImage(), Options{Trace: true})
	frames := [][]byte{
		pkt{dst: "192.0.2.1"}.build(t), // to_me
		pkt{}.build(t),                 // forward
		pkt{dst: "8.8.8.8"}.build(t),   // no_route
		pkt{src: "127.0.0.1"}.build(t), // martian
		arpFrame(t, bcastMAC, 1),       // arp
		pkt{ttl: 1}.build(t),           // ttl
	}
	want := uint32(0)
	for i, f := range frames {
		if i == 4 {
			m.Load(testImage())
		}
		r := m.Receive(0, wire(f))
		if !r.ToCPU {
			continue
		}
		if r.Punt.Seq != want {
			t.Errorf("frame %d: seq %d, want %d", i, r.Punt.Seq, want)
		}
		h, err := punt.Parse(r.Out)
		if err != nil || h != r.Punt {
			t.Errorf("frame %d: Out header %+v, %v; Punt %+v", i, h, err, r.Punt)
		}
		want++
	}
	if want != 4 {
		t.Errorf("%d punts, want 4", want)
	}
}

// A punted frame decodes end to end with the punt layer, and the frame is the original one,
// FCS removed, padding and all.
func TestPuntDecodes(t *testing.T) {
	m := New(testImage(), Options{Trace: true})
	f := append(pkt{ttl: 1}.build(t), 0xEE, 0xEE) // junk after the padding stays in a punt
	r := m.Receive(2, wire(patch(f, false, func(b []byte) { copy(b, portMAC[2]) })))
	if r.Reason != punt.TTLExpired {
		t.Fatalf("reason %v", r.Reason)
	}
	p := gopacket.NewPacket(r.Out, punt.LayerTypePunt, gopacket.Default)
	if p.ErrorLayer() != nil {
		t.Fatalf("decode: %v", p.ErrorLayer().Error())
	}
	pl := p.Layer(punt.LayerTypePunt).(*punt.Layer)
	if pl.Reason != punt.TTLExpired || pl.InPort != 2 || int(pl.Length) != len(f) || !pl.LPMHit {
		t.Errorf("header %+v", pl.Header)
	}
	if !bytes.Equal(pl.LayerPayload()[12:], f[12:]) {
		t.Errorf("payload is not the original frame")
	}
	if ip, ok := p.Layer(layers.LayerTypeIPv4).(*layers.IPv4); !ok || ip.TTL != 1 {
		t.Errorf("IPv4 not decoded: %v", p)
	}
}
