package model

import (
	"bytes"
	"testing"

	"github.com/linerate/linerate/hostdrv/punt"
)

func TestInject(t *testing.T) {
	frame := arpFrame(t, bcastMAC, 1)
	big := pkt{payload: 1400}.build(t)
	hdr := func(v, port byte) []byte { return []byte{v, port, 0, 0, 0, 0, 0, 0} }
	cases := []struct {
		name string
		data []byte
		port int // -1: dropped
		out  []byte
	}{
		{"to port 2", append(hdr(1, 2), frame...), 2, frame},
		{"to port 0, large", append(hdr(1, 0), big...), 0, big},
		{"short frame is padded", append(hdr(1, 3), 1, 2, 3), 3, []byte{1, 2, 3}},
		{"1-byte frame is padded", append(hdr(1, 1), 0xAB), 1, []byte{0xAB}},
		{"bytes 2-7 are ignored", append([]byte{1, 1, 9, 9, 9, 9, 9, 9}, frame...), 1, frame},
		{"version is not checked: 2", append(hdr(2, 0), frame...), 0, frame},
		{"version is not checked: 0", append(hdr(0, 3), frame...), 3, frame},
		{"port 4 does not exist", append(hdr(1, 4), frame...), -1, nil},
		{"port 255 does not exist", append(hdr(1, 255), frame...), -1, nil},
		{"no frame after the header", hdr(1, 1), -1, nil},
		{"no data", nil, -1, nil},
		{"7 bytes", hdr(1, 0)[:7], -1, nil},
	}
	m := New(testImage(), Options{Trace: true})
	var sent, dropped uint32
	tx := make([]uint32, 4)
	for _, c := range cases {
		r := m.Inject(c.data)
		if r.InPort != -1 || r.Reason != punt.Forward || r.ToCPU || r.OutPort != c.port {
			t.Errorf("%s: %+v", c.name, r)
			continue
		}
		if c.port < 0 {
			dropped++
			if r.Out != nil {
				t.Errorf("%s: dropped frame has output", c.name)
			}
			continue
		}
		sent++
		want := FCSInsert(c.out)
		if !bytes.Equal(r.Out, want) || !fcsOK(r.Out) || len(r.Out) < 64 {
			t.Errorf("%s: output % x", c.name, head(r.Out))
		}
		tx[c.port] += uint32(len(want))
	}
	ctr := m.Counters()
	if ctr.InjectFrames != sent+dropped || ctr.InjectDropped != dropped {
		t.Errorf("inject %d dropped %d, want %d %d", ctr.InjectFrames, ctr.InjectDropped, sent+dropped, dropped)
	}
	for p := range tx {
		if ctr.TxBytes[p] != tx[p] {
			t.Errorf("port %d tx bytes %d, want %d", p, ctr.TxBytes[p], tx[p])
		}
	}
	if sum(ctr.RxFrames) != 0 || ctr.Reason != ([punt.ReasonSlots]uint32{}) || ctr.CPUFrames != 0 {
		t.Errorf("inject touched rx, reason or cpu counters: %+v", ctr)
	}
}
