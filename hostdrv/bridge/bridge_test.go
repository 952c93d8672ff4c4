package bridge

import (
	"bytes"
	"context"
	"io"
	"os"
	"testing"
	"time"

	"github.com/linerate/linerate/cosim/model"
	"github.com/linerate/linerate/cosim/traffic"
	"github.com/linerate/linerate/hostdrv"
	"github.com/linerate/linerate/hostdrv/hostdrvtest"
	"github.com/linerate/linerate/hostdrv/transport/transporttest"
	"github.com/linerate/linerate/tables"
)

// iface is an interface in memory: Read returns the frames put in, Write keeps the frames sent.
type iface struct {
	in  chan []byte
	out chan []byte
}

func newIface() *iface { return &iface{in: make(chan []byte, 64), out: make(chan []byte, 256)} }

func (f *iface) Read(p []byte) (int, error) {
	b, ok := <-f.in
	if !ok {
		return 0, io.EOF
	}
	return copy(p, b), nil
}

func (f *iface) Write(p []byte) (int, error) {
	f.out <- append([]byte(nil), p...)
	return len(p), nil
}

// Frames written to the interfaces of a board whose ports all travel over the link come out of
// the interfaces the golden model says, byte for byte (without FCS, as a TAP carries them).
func TestBridgeForwards(t *testing.T) {
	a, b := transporttest.Pipe()
	board := hostdrvtest.New(hostdrvtest.Options{PortsToHost: 0xf})
	go board.Serve(b)
	defer b.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	dev, err := hostdrv.New(ctx, a, hostdrv.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer dev.Close()
	conf, err := os.ReadFile("../../test/configs/demo.conf")
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := tables.ParseConfig("demo.conf", bytes.NewReader(conf), dev.Info().Sizes())
	if err != nil {
		t.Fatal(err)
	}
	im, err := tables.Compile(cfg, dev.Info().Sizes())
	if err != nil {
		t.Fatal(err)
	}
	res, err := dev.LoadTables(ctx, im, hostdrv.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}

	ports := map[int]io.ReadWriter{}
	ifs := map[int]*iface{}
	for p := 0; p < 4; p++ {
		ifs[p] = newIface()
		ports[p] = ifs[p]
	}
	bctx, stop := context.WithCancel(ctx)
	done := make(chan Stats, 1)
	go func() { done <- Run(bctx, dev, ports, nil) }()

	m := model.New(res.Plan.Result, model.Options{})
	want := map[int][][]byte{}
	n := 0
	for _, f := range traffic.Mix(res.Plan.Result, 5, 60, traffic.MixOptions{OnlyValid: true}) {
		r := m.Receive(f.Port, Wire(f.Data))
		if r.Out == nil || r.ToCPU {
			continue
		}
		want[r.OutPort] = append(want[r.OutPort], r.Out[:len(r.Out)-4])
		n++
		ifs[f.Port].in <- f.Data
		// one at a time: the interfaces' order across ports is not the point here
		select {
		case got := <-ifs[r.OutPort].out:
			if w := want[r.OutPort][len(want[r.OutPort])-1]; !bytes.Equal(got, w) {
				t.Fatalf("port %d:\n bridge %x\n model  %x", r.OutPort, got, w)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("frame %d (%s) did not come out of port %d", n, f.Kind, r.OutPort)
		}
	}
	if n == 0 {
		t.Fatal("nothing forwarded")
	}
	stop()
	for _, f := range ifs {
		close(f.in)
	}
	st := <-done
	if st.ToHost != uint64(n) || st.FromHost != uint64(n) || st.InjectErrs != 0 || st.NoPort != 0 {
		t.Fatalf("stats %+v, want %d each way", st, n)
	}
}

// Wire pads like a MAC and appends the FCS the golden model computes.
func TestWire(t *testing.T) {
	short := []byte{1, 2, 3}
	w := Wire(short)
	if len(w) != 64 || !bytes.Equal(w, model.AppendFCS(append(append([]byte{}, short...), make([]byte, 57)...))) {
		t.Fatalf("%x", w)
	}
	long := bytes.Repeat([]byte{7}, 100)
	if got := Wire(long); !bytes.Equal(got, model.AppendFCS(append([]byte{}, long...))) || len(long) != 100 {
		t.Fatalf("%x", got)
	}
}
