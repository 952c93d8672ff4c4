package model

import (
	"bytes"
	"testing"

	"github.com/linerate/linerate/hostdrv/punt"
)

// Bytes past the IP total length (padding, junk) are not sent; short outputs are padded with
// zeros, not with the input's padding.
func TestRewriteTrimAndPad(t *testing.T) {
	im := testImage()
	a := im.Adj[adjRemote]
	cases := []struct {
		name    string
		frame   []byte
		wantLen int // output length without FCS
	}{
		{"gopacket zero padding", pkt{}.build(t), 60},
		{"nonzero padding is replaced by zeros", patch(pkt{}.build(t), false, func(b []byte) {
			for i := 42; i < len(b); i++ {
				b[i] = 0xAA
			}
		}), 60},
		{"junk after a 100-byte packet", append(pkt{payload: 72}.build(t), bytes.Repeat([]byte{0xEE}, 30)...), 114},
		{"junk after a short packet", append(pkt{payload: 1}.build(t), bytes.Repeat([]byte{0xEE}, 100)...), 60},
		{"exactly 60", pkt{payload: 18}.build(t), 60},
		{"61", pkt{payload: 19}.build(t), 61},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := New(im, Options{Trace: true})
			w := wire(c.frame)
			keep := append([]byte(nil), w...)
			r := m.Receive(0, w)
			if r.Reason != punt.Forward {
				t.Fatalf("reason %v\n%s", r.Reason, traceString(r))
			}
			if !bytes.Equal(w, keep) {
				t.Errorf("Receive modified its input")
			}
			if len(r.Out) != c.wantLen+4 {
				t.Errorf("output %d bytes, want %d+4", len(r.Out), c.wantLen)
			}
			checkForward(t, c.frame, r.Out, a.DstMAC, a.SrcMAC)
			if got := m.Counters().TxBytes[1]; got != uint32(c.wantLen+4) {
				t.Errorf("tx bytes %d, want %d", got, c.wantLen+4)
			}
		})
	}
}

// The sizes that break hardware: 60..127, 128, 1500, jumbo.
func TestForwardSizes(t *testing.T) {
	im := testImage()
	m := New(im, Options{Trace: true})
	var sizes []int
	for n := 60; n <= 128; n++ {
		sizes = append(sizes, n)
	}
	sizes = append(sizes, 1500, 1514, 1518, 4000, 9014)
	for _, n := range sizes {
		port, dmac, dst, adj := 0, portMAC[0], "198.51.100.9", adjRemote
		if n > 1514 {
			port, dmac, dst, adj = 3, portMAC[3], "10.0.0.1", adjJumbo
		}
		f := pkt{dmac: dmac, dst: dst, payload: max(n-42, 0)}.build(t)
		if len(f) != n {
			t.Fatalf("built %d bytes, want %d", len(f), n)
		}
		r := m.Receive(port, wire(f))
		if r.Reason != punt.Forward {
			t.Fatalf("size %d: %v\n%s", n, r.Reason, traceString(r))
		}
		checkForward(t, f, r.Out, im.Adj[adj].DstMAC, im.Adj[adj].SrcMAC)
	}
}

// A forward adjacency whose port does not exist: decided forward (and counted so), but the
// frame leaves no port.
func TestForwardToMissingPort(t *testing.T) {
	m := New(testImage(), Options{Trace: true})
	r := m.Receive(0, wire(pkt{dst: "100.128.0.1"}.build(t)))
	if r.Reason != punt.Forward || r.Out != nil || r.OutPort != adjNoPortPort || r.ToCPU {
		t.Fatalf("got %v out %d bytes port %d\n%s", r.Reason, len(r.Out), r.OutPort, traceString(r))
	}
	c := m.Counters()
	if c.Reason[punt.Forward] != 1 || sum(c.TxFrames) != 0 {
		t.Errorf("counters %+v", c)
	}
}

const adjNoPortPort = 7

func sum(s []uint32) (n uint32) {
	for _, v := range s {
		n += v
	}
	return n
}
