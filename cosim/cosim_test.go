//go:build verilator

package cosim

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/linerate/linerate/cosim/traffic"
	"github.com/linerate/linerate/cosim/vsim"
	"github.com/linerate/linerate/hostdrv/punt"
	"github.com/linerate/linerate/hostdrv/regmap"
	"github.com/linerate/linerate/tables"
)

// testConfig is the router configuration the suites run on, and the build's table sizes: the
// demo router on lr_core's simulation build; its 2-port cut (board.conf) on lr_core_serial,
// which is built with the iCE40 boards' sizes (make vsim, go test -tags verilator,serialcore).
func testConfig() (string, tables.Sizes) {
	if vsim.Serial {
		info := vsim.BuildInfo()
		return "test/configs/board.conf", tables.Sizes{Ports: info.Ports, LPM: info.LPM, Adj: info.Adj, RAddr: info.RAddr}
	}
	return "test/configs/demo.conf", tables.SimSizes
}

func demoImage(t testing.TB) *tables.Image {
	t.Helper()
	conf, sizes := testConfig()
	im, _, err := tables.Build("../"+conf, sizes)
	if err != nil {
		t.Fatal(err)
	}
	return im
}

// mustAgree fails the test with the first mismatches and saves the inputs so that
// `linerate cosim` can replay them with a waveform.
func mustAgree(t *testing.T, name string, im *tables.Image, in []Input, opt Options) *Result {
	t.Helper()
	res, err := Run(im, in, opt)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Agree() {
		dir, _ := filepath.Abs(filepath.Join("..", "build", "failures", name))
		werr := WriteInputs(filepath.Join(dir, "in"), in, im.Sizes.Ports)
		var b strings.Builder
		for _, m := range res.Mismatches {
			fmt.Fprintf(&b, "- %s\n", m)
		}
		conf, _ := testConfig()
		t.Fatalf("%d mismatches between RTL and model:\n%s\nreproduce (inputs saved: %v):\n  linerate cosim --config %s --in %s/in --out %s/out --seed %d --in-stall %d --out-stall %d --wave %s/wave.fst",
			res.MismatchCount, b.String(), werr, conf, dir, dir, opt.Seed, opt.InStallPct, opt.OutStallPct, dir)
	}
	return res
}

func TestCosimEveryReason(t *testing.T) {
	im := demoImage(t)
	in := FromTraffic(traffic.Mix(im, 11, 4000, traffic.MixOptions{}))
	res := mustAgree(t, "every-reason", im, in, Options{Seed: 3, InStallPct: 20, OutStallPct: 20})
	// The demo has a default route, so no_route needs the route withdrawn.
	conf, sizes := testConfig()
	_, cfg, err := tables.Build("../"+conf, sizes)
	if err != nil {
		t.Fatal(err)
	}
	im2, err := tables.Compile(cfg.WithoutDefault(), sizes)
	if err != nil {
		t.Fatal(err)
	}
	in2 := FromTraffic(traffic.Mix(im2, 12, 300, traffic.MixOptions{Weights: map[string]int{"no_route": 1, "forward": 1}}))
	res2 := mustAgree(t, "no-route", im2, in2, Options{Seed: 4, InStallPct: 20, OutStallPct: 20})
	for _, r := range punt.Reasons() {
		if r == punt.PuntPoliced {
			continue // no policer yet
		}
		if res.Counters.Reason[r]+res2.Counters.Reason[r] == 0 {
			t.Errorf("no frame was decided %s", r)
		}
	}
}

// TestCosimRegression sends 100,000 frames (the mix, back-to-back bursts and random garbage) in
// deterministic shards, each with its own stall seed.
func TestCosimRegression(t *testing.T) {
	im := demoImage(t)
	const shards, per = 4, 25000
	for s := 0; s < shards; s++ {
		s := s
		t.Run(fmt.Sprintf("shard%d", s), func(t *testing.T) {
			seed := uint64(100 + s)
			frames := traffic.Mix(im, seed, per*8/10, traffic.MixOptions{})
			frames = append(frames, traffic.Random(seed, per/10, im.Sizes.Ports)...)
			frames = append(frames, traffic.BackToBack(im, per/10/im.Sizes.Ports, 60)...)
			in := FromTraffic(frames)
			if len(in) < per-im.Sizes.Ports {
				t.Fatalf("only %d frames generated", len(in))
			}
			mustAgree(t, fmt.Sprintf("regression-shard%d", s), im, in,
				Options{Seed: seed, InStallPct: 5 + 10*s, OutStallPct: 30 - 5*s})
		})
	}
}

// TestBackToBackFullRate: minimum-size frames back to back on every port at once, no stalls
// outside: every frame comes out and no input is ever held off.
func TestBackToBackFullRate(t *testing.T) {
	im := demoImage(t)
	const perPort = 500
	frames := traffic.BackToBack(im, perPort, 60)
	in := FromTraffic(frames)
	res := mustAgree(t, "back-to-back", im, in, Options{Seed: 1})
	if res.Counters.Reason[punt.Forward] != uint32(len(in)) {
		t.Fatalf("forwarded %d of %d frames", res.Counters.Reason[punt.Forward], len(in))
	}
	// lr_core_serial takes one frame at a time by design (the boards' UART link brings a frame
	// every ~6,000 clocks): it holds inputs off, so only its outputs are checked.
	if res.RxStalls != 0 && !vsim.Serial {
		t.Fatalf("the ingress held off %d beats: not at full rate", res.RxStalls)
	}
	t.Logf("%d frames of 64 bytes on %d ports: %d clocks (%.2f clocks per frame per port)",
		len(in), im.Sizes.Ports, res.Cycles, float64(res.Cycles)/float64(perPort))
}

// TestMalformedNeverHangs: garbage, runts down to one byte and truncated headers always drain.
func TestMalformedNeverHangs(t *testing.T) {
	im := demoImage(t)
	var in []Input
	for n := 1; n <= 80; n++ {
		for p := 0; p < im.Sizes.Ports; p++ {
			f := make([]byte, n)
			for i := range f {
				f[i] = byte(i*7 + n + p)
			}
			in = append(in, Input{Port: p, Wire: f})
		}
	}
	in = append(in, FromTraffic(traffic.Random(9, 2000, im.Sizes.Ports))...)
	mustAgree(t, "malformed", im, in, Options{Seed: 9, InStallPct: 30, OutStallPct: 30})
}

func TestTableReadback(t *testing.T) {
	im := demoImage(t)
	sim, err := vsim.New(vsim.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer sim.Close()
	LoadImage(sim, im)
	got := tables.NewImage(im.Sizes)
	for _, tb := range regmap.Tables {
		n := regmap.TableLen(tb, im.Sizes)
		for i := 0; i < n; i++ {
			ops := []vsim.BusOp{
				{Kind: vsim.BusWrite, Addr: tb.Index(), Data: uint32(i)},
				{Kind: vsim.BusWrite, Addr: tb.Cmd(), Data: regmap.CmdRead},
				{Kind: vsim.BusWait, Data: 4},
			}
			for k := range tb.Fields {
				ops = append(ops, vsim.BusOp{Kind: vsim.BusRead, Addr: tb.Data(k)})
			}
			sim.Bus(ops)
			f := make([]uint32, len(tb.Fields))
			for k := range f {
				f[k] = ops[3+k].Data
			}
			if err := regmap.DecodeEntry(got, tb, i, f); err != nil {
				t.Fatal(err)
			}
		}
	}
	for i := range im.LPM {
		w, g := im.LPM[i], got.LPM[i]
		if w.Valid != g.Valid || w.Value != g.Value || w.Mask != g.Mask || w.Adj != g.Adj {
			t.Fatalf("lpm[%d] reads back %+v, wrote %+v", i, g, w)
		}
	}
	for i := range im.Adj {
		w, g := im.Adj[i], got.Adj[i]
		if w.Kind != g.Kind || w.Port != g.Port || w.DstMAC.String() != g.DstMAC.String() || w.SrcMAC.String() != g.SrcMAC.String() || w.MTU != g.MTU {
			t.Fatalf("adj[%d] reads back %+v, wrote %+v", i, g, w)
		}
	}
	for i := range im.Ports {
		if im.Ports[i].MAC.String() != got.Ports[i].MAC.String() || im.Ports[i].MTU != got.Ports[i].MTU {
			t.Fatalf("port[%d] reads back %+v, wrote %+v", i, got.Ports[i], im.Ports[i])
		}
	}
	for i := range im.RAddr {
		if im.RAddr[i] != got.RAddr[i] {
			t.Fatalf("raddr[%d] reads back %+v, wrote %+v", i, got.RAddr[i], im.RAddr[i])
		}
	}
	id := []vsim.BusOp{{Kind: vsim.BusRead, Addr: regmap.RegID}, {Kind: vsim.BusRead, Addr: regmap.RegVersion}, {Kind: vsim.BusRead, Addr: regmap.RegNPorts}}
	sim.Bus(id)
	if id[0].Data != regmap.IDValue || id[1].Data != regmap.Version || int(id[2].Data) != im.Sizes.Ports {
		t.Fatalf("identity reads %#x %#x %d", id[0].Data, id[1].Data, id[2].Data)
	}
}

func TestWaveform(t *testing.T) {
	im := demoImage(t)
	path := filepath.Join(t.TempDir(), "run.fst")
	in := FromTraffic(traffic.Mix(im, 5, 20, traffic.MixOptions{}))
	mustAgree(t, "waveform", im, in, Options{WavePath: path})
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Size() < 1000 {
		t.Fatalf("waveform is only %d bytes", st.Size())
	}
}

// TestCosimInject: injected frames (inject header then frame, no FCS) between port traffic: every
// port and one that does not exist, nothing or one byte after the header, frames shorter than
// the 60-byte pad, long ones (3,000 bytes: more than the serial core's frame buffer, which an
// injected frame never enters), any version byte.
func TestCosimInject(t *testing.T) {
	im := demoImage(t)
	port := FromTraffic(traffic.Mix(im, 31, 400, traffic.MixOptions{}))
	var in []Input
	for i, n := range []int{0, 1, 2, 14, 59, 60, 61, 64, 100, 1500, 3000} {
		for p := 0; p <= im.Sizes.Ports; p++ {
			w := make([]byte, 8+n)
			w[0], w[1] = 1, byte(p)
			if i%3 == 2 {
				w[0] = 7 // the version is not checked
			}
			for k := 8; k < len(w); k++ {
				w[k] = byte(k*13 + n + p)
			}
			in = append(in, Input{Port: -1, Wire: w})
			if len(port) > 0 {
				in = append(in, port[0])
				port = port[1:]
			}
		}
	}
	in = append(in, Input{Port: -1, Wire: []byte{1, 0, 0, 0}}) // ends inside the header
	in = append(in, port...)
	res := mustAgree(t, "inject", im, in, Options{Seed: 5, InStallPct: 25, OutStallPct: 25})
	if res.Counters.InjectFrames == 0 || res.Counters.InjectDropped == 0 {
		t.Fatalf("inject_frames %d, inject_dropped %d: both paths should have run", res.Counters.InjectFrames, res.Counters.InjectDropped)
	}
}
