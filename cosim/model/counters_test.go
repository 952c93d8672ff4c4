package model

import (
	"testing"

	"github.com/linerate/linerate/hostdrv/punt"
	"github.com/linerate/linerate/tables"
)

// want accumulates the counters a sequence of results should leave, computed from the inputs
// and results alone.
type wantCounters struct{ Counters }

func newWant(ports int) *wantCounters {
	w := &wantCounters{}
	w.resize(ports)
	return w
}

func (w *wantCounters) receive(port int, wire []byte, r Result) {
	w.RxFrames[port]++
	w.RxBytes[port] += uint32(len(wire))
	w.Reason[r.Reason]++
	switch {
	case r.ToCPU:
		w.CPUFrames++
		w.CPUBytes += uint32(punt.HeaderLen + len(wire) - 4)
	case r.Out != nil:
		w.TxFrames[r.OutPort]++
		w.TxBytes[r.OutPort] += uint32(len(r.Out))
	}
}

func equalCounters(t *testing.T, got, want Counters) {
	t.Helper()
	eq := func(a, b []uint32) bool {
		if len(a) != len(b) {
			return false
		}
		for i := range a {
			if a[i] != b[i] {
				return false
			}
		}
		return true
	}
	if !eq(got.RxFrames, want.RxFrames) || !eq(got.RxBytes, want.RxBytes) ||
		!eq(got.TxFrames, want.TxFrames) || !eq(got.TxBytes, want.TxBytes) ||
		got.Reason != want.Reason || got.CPUFrames != want.CPUFrames || got.CPUBytes != want.CPUBytes ||
		got.InjectFrames != want.InjectFrames || got.InjectDropped != want.InjectDropped {
		t.Errorf("counters\n got %+v\nwant %+v", got, want)
	}
}

func TestCounters(t *testing.T) {
	m := New(testImage(), Options{Trace: true})
	w := newWant(4)
	for i, c := range ruleCases(t) {
		// Spread the cases over the ports where the frame does not depend on the port.
		port := c.port
		if c.want.IsDrop() && c.want != punt.Giant && c.want != punt.WrongDstMAC {
			port = i % 4
		}
		r := m.Receive(port, c.wire)
		w.receive(port, c.wire, r)
	}
	equalCounters(t, m.Counters(), w.Counters)

	// Every arriving frame is decided exactly once.
	got := m.Counters()
	var reasons uint32
	for _, n := range got.Reason {
		reasons += n
	}
	if reasons != sum(got.RxFrames) {
		t.Errorf("%d decisions for %d frames", reasons, sum(got.RxFrames))
	}

	// Counters returns a copy.
	got.RxFrames[0] = 12345
	if m.Counters().RxFrames[0] == 12345 {
		t.Errorf("Counters shares its slices")
	}

	// Load keeps the counters.
	m.Load(testImage())
	equalCounters(t, m.Counters(), w.Counters)
}

func TestCountersWrap(t *testing.T) {
	m := New(testImage(), Options{Trace: true})
	m.ctr.RxFrames[0] = 0xFFFFFFFF
	m.ctr.RxBytes[0] = 0xFFFFFFF0
	m.ctr.TxBytes[1] = 0xFFFFFFFF
	m.ctr.Reason[punt.Forward] = 0xFFFFFFFF
	m.ctr.CPUBytes = 0xFFFFFFFF
	m.Receive(0, wire(pkt{}.build(t)))               // forwarded, 64 bytes out of port 1
	m.Receive(0, wire(pkt{dst: "8.8.8.8"}.build(t))) // punted, 76 bytes to the CPU
	c := m.Counters()
	if c.RxFrames[0] != 1 || c.RxBytes[0] != 0x70 || c.TxBytes[1] != 63 || c.Reason[punt.Forward] != 0 || c.CPUBytes != 75 {
		t.Errorf("no wrap: %+v", c)
	}
}

// Frames on a port that does not exist: dropped runt or giant, no counter touched, no panic.
func TestMissingIngressPort(t *testing.T) {
	m := New(testImage(), Options{Trace: true})
	f := wire(pkt{}.build(t))
	for _, p := range []int{-1, 4, 255, 1 << 20} {
		if r := m.Receive(p, f); r.Reason != punt.Giant || r.Out != nil || r.InPort != p {
			t.Errorf("port %d: %+v", p, r)
		}
		if r := m.Receive(p, f[:10]); r.Reason != punt.Runt {
			t.Errorf("port %d runt: %v", p, r.Reason)
		}
	}
	equalCounters(t, m.Counters(), newWant(4).Counters)
}

// Loading an image with another number of ports keeps the counters of the ports that remain.
func TestLoadResizes(t *testing.T) {
	m := New(testImage(), Options{Trace: true})
	m.Receive(1, wire(pkt{dmac: portMAC[1]}.build(t)))
	m.Receive(3, wire(pkt{dmac: portMAC[3]}.build(t)))
	im := testImage()
	im.Ports = im.Ports[:2]
	im.Sizes.Ports = 2
	m.Load(im)
	c := m.Counters()
	if len(c.RxFrames) != 2 || c.RxFrames[1] != 1 || c.Reason[punt.Forward] != 2 {
		t.Errorf("after shrink: %+v", c)
	}
	if r := m.Receive(3, wire(pkt{dmac: portMAC[3]}.build(t))); r.Reason != punt.Giant {
		t.Errorf("port 3 after shrink: %v", r.Reason)
	}
	if r := m.Inject(append([]byte{1, 3, 0, 0, 0, 0, 0, 0}, pkt{}.build(t)...)); r.Out != nil {
		t.Errorf("inject to removed port sent")
	}

	// A nil image and an empty one are valid: no ports.
	for _, im := range []*tables.Image{nil, tables.NewImage(tables.Sizes{})} {
		m := New(im, Options{Trace: true})
		if r := m.Receive(0, wire(pkt{}.build(t))); r.Reason != punt.Giant {
			t.Errorf("empty image: %v", r.Reason)
		}
	}
}

// The model copies the image: changing it afterwards changes nothing until Load.
func TestLoadCopies(t *testing.T) {
	im := testImage()
	m := New(im, Options{Trace: true})
	im.LPM[lpmRemote].Valid = false
	im.Adj[adjRemote].DstMAC[5] = 0x99
	r := m.Receive(0, wire(pkt{}.build(t)))
	if r.Reason != punt.Forward || r.Out[5] != 0x02 {
		t.Fatalf("image change leaked into the model: %v", r.Reason)
	}
	m.Load(im)
	if r := m.Receive(0, wire(pkt{}.build(t))); r.Reason != punt.NoRoute {
		t.Errorf("after Load: %v", r.Reason)
	}
}

// Options.MaxFrameBytes bounds every port.
func TestMaxFrameBytes(t *testing.T) {
	f := wire(pkt{dmac: portMAC[3], dst: "10.0.0.1", payload: 2001 - 42}.build(t))
	if r := New(testImage(), Options{MaxFrameBytes: 2000}).Receive(3, f); r.Reason != punt.Giant {
		t.Errorf("L 2001 with max 2000: %v", r.Reason)
	}
	if r := New(testImage(), Options{MaxFrameBytes: 2001}).Receive(3, f); r.Reason != punt.Forward {
		t.Errorf("L 2001 with max 2001: %v", r.Reason)
	}
}
