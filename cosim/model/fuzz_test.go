package model

import (
	"bytes"
	"encoding/binary"
	"testing"

	"github.com/linerate/linerate/hostdrv/punt"
	"github.com/linerate/linerate/tables"
)

// FuzzReceive feeds arbitrary frames to the model. mode bit 0 repairs the IPv4 header checksum
// and bit 1 appends a correct FCS (otherwise the input is the wire as is), so that the fuzzer
// reaches the later rules too. Invariants:
//   - never panics; the result is consistent with its class (forward, punt, drop);
//   - a forwarded output carries the adjacency's MACs, the trimmed and padded frame and a
//     valid FCS;
//   - a punt output is the 16-byte header followed by the original L bytes;
//   - drops have no output;
//   - the counters change by exactly what the result says.
func FuzzReceive(f *testing.F) {
	for _, c := range ruleCases(f) {
		f.Add(uint8(c.port), uint8(0), c.wire)
		if len(c.wire) >= 4 {
			f.Add(uint8(c.port), uint8(3), c.wire[:len(c.wire)-4])
		}
	}
	f.Add(uint8(9), uint8(2), []byte{})
	im := testImage()
	f.Fuzz(func(t *testing.T, port, mode uint8, data []byte) {
		w := data
		if mode&1 != 0 {
			w = patch(w, true, func([]byte) {})
		}
		if mode&2 != 0 {
			w = wire(w)
		}
		keep := append([]byte(nil), w...)
		p := int(port % 6) // ports 4 and 5 do not exist
		m := New(im, Options{Trace: true})
		before := m.Counters()
		r := m.Receive(p, w)
		after := m.Counters()
		if !bytes.Equal(w, keep) {
			t.Fatalf("input modified")
		}
		if r.InPort != p || int(r.Reason) >= punt.NumReasons || len(r.Trace) == 0 {
			t.Fatalf("result %+v", r)
		}
		l := len(w) - 4
		switch {
		case r.Reason == punt.Forward:
			a := im.Adj[im.LPM[refLookup(im.LPM, binary.BigEndian.Uint32(w[30:34]))].Adj]
			if r.ToCPU || (r.Out == nil) != (int(a.Port) >= len(im.Ports)) {
				t.Fatalf("forward: ToCPU %v Out %d bytes, port %d", r.ToCPU, len(r.Out), a.Port)
			}
			if r.Out == nil {
				break // the adjacency's port does not exist: the frame leaves no port
			}
			tot := int(binary.BigEndian.Uint16(w[16:18]))
			if r.OutPort != int(a.Port) || !bytes.Equal(r.Out[0:6], a.DstMAC) || !bytes.Equal(r.Out[6:12], a.SrcMAC) {
				t.Fatalf("forward: port %d MACs % x", r.OutPort, r.Out[:12])
			}
			if len(r.Out) != max(14+tot, 60)+4 || !fcsOK(r.Out) {
				t.Fatalf("forward: %d bytes for tot %d, fcs ok %v", len(r.Out), tot, fcsOK(r.Out))
			}
			if !bytes.Equal(r.Out[12:22], w[12:22]) || r.Out[22] != w[22]-1 || !bytes.Equal(r.Out[26:14+tot], w[26:14+tot]) {
				t.Fatalf("forward: frame changed beyond MACs, TTL and checksum")
			}
			if !IPChecksumOK(r.Out[14 : 14+4*int(w[14]&15)]) {
				t.Fatalf("forward: output checksum invalid")
			}
		case r.Reason.IsPunt():
			if !r.ToCPU || r.OutPort != -1 || r.Punt.Reason != r.Reason || int(r.Punt.Length) != l ||
				r.Punt.Seq != 0 || r.Punt.InPort != uint8(p) {
				t.Fatalf("punt: %+v", r)
			}
			if !bytes.Equal(r.Out, append(r.Punt.Marshal(), w[:l]...)) {
				t.Fatalf("punt: output is not header + frame")
			}
			// The lookup fields: empty for the punts of rules 1-10 (not IPv4), else the LPM's.
			lk := punt.Header{Egress: punt.EgressNone}
			if r.Reason != punt.ARP && r.Reason != punt.IPv6 && r.Reason != punt.NonIP && r.Reason != punt.VLAN {
				if i := refLookup(im.LPM, binary.BigEndian.Uint32(w[30:34])); i >= 0 {
					lk = punt.Header{LPMHit: true, LPMIndex: uint16(i), AdjIndex: im.LPM[i].Adj}
					if int(lk.AdjIndex) < len(im.Adj) {
						lk.Egress = im.Adj[lk.AdjIndex].Port
					}
				}
			}
			if r.Punt.LPMHit != lk.LPMHit || r.Punt.LPMIndex != lk.LPMIndex || r.Punt.AdjIndex != lk.AdjIndex || r.Punt.Egress != lk.Egress {
				t.Fatalf("punt lookup fields %+v, want %+v", r.Punt, lk)
			}
		default:
			if r.Out != nil || r.ToCPU || r.OutPort != -1 {
				t.Fatalf("drop %v with output", r.Reason)
			}
			if l < 60 && r.Reason != punt.Runt {
				t.Fatalf("W=%d decided %v", len(w), r.Reason)
			}
		}

		// Counters: exactly the result's effect, or nothing for a port that does not exist.
		want := newWant(4)
		want.Counters = before
		want.resize(4)
		if p < 4 {
			want.receive(p, w, r)
		}
		equalCounters(t, after, want.Counters)
	})
}

// refLookup is an independent LPM lookup on the image: the lowest valid matching index, or -1.
func refLookup(es []tables.LPMEntry, key uint32) int {
	for i, e := range es {
		if e.Valid && (key^e.Value)&e.Mask == 0 {
			return i
		}
	}
	return -1
}

// FuzzInject: never panics; a frame goes out of the header's port, padded and with its FCS,
// exactly when a frame byte follows the header and the port exists; the counters agree.
func FuzzInject(f *testing.F) {
	f.Add([]byte{1, 2, 0, 0, 0, 0, 0, 0, 0xAB})
	f.Add([]byte{1, 9, 0, 0, 0, 0, 0, 0, 0xAB})
	f.Add([]byte{1, 0})
	im := testImage()
	f.Fuzz(func(t *testing.T, data []byte) {
		m := New(im, Options{Trace: true})
		r := m.Inject(data)
		c := m.Counters()
		sent := len(data) > punt.InjectHeaderLen && int(data[1]) < len(im.Ports)
		if r.InPort != -1 || r.Reason != punt.Forward || r.ToCPU || (r.Out != nil) != sent {
			t.Fatalf("result %+v", r)
		}
		if c.InjectFrames != 1 || (c.InjectDropped == 1) == sent {
			t.Fatalf("inject counters %d %d", c.InjectFrames, c.InjectDropped)
		}
		if !sent {
			if r.OutPort != -1 || sum(c.TxFrames) != 0 {
				t.Fatalf("dropped inject sent")
			}
			return
		}
		if r.OutPort != int(data[1]) || !bytes.Equal(r.Out, FCSInsert(data[punt.InjectHeaderLen:])) || !fcsOK(r.Out) {
			t.Fatalf("inject output wrong")
		}
		if c.TxFrames[r.OutPort] != 1 || c.TxBytes[r.OutPort] != uint32(len(r.Out)) {
			t.Fatalf("tx counters %+v", c)
		}
	})
}
