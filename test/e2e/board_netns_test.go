//go:build linux && netns && verilator && boardsim

package e2e

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"path/filepath"
	"testing"
	"time"

	"github.com/linerate/linerate/cosim/simboard"
	"github.com/linerate/linerate/cosim/vboard"
	"github.com/linerate/linerate/hostdrv"
	"github.com/linerate/linerate/hostdrv/bridge"
	"github.com/linerate/linerate/hostdrv/router"
	"github.com/linerate/linerate/hostdrv/tap"
	"github.com/linerate/linerate/tables"
)

// TestBoardTopBridged: Linux hosts on a board top's ports, as on a real board. The board top
// (make boardsim BOARD=NAME: the bitstream's top in Verilator) sends its link ports' frames over
// its UART; the host bridges each link port to a TAP interface (hostdrv/bridge, as `linerate
// router --tap` does) and runs the control plane. A port with an Ethernet PHY (the colorlight's
// RGMII ports 0 and 1) is a TAP interface on the simulated PHY's wire instead, as a host plugged
// into the jack. Hosts in namespaces ping each other through the board's data plane across every
// kind of port, ping the router, and tracepath shows the router as the first hop: real frames,
// forwarded by the RTL of the board.
func TestBoardTopBridged(t *testing.T) {
	requireRoot(t)
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()

	info := vboard.BuildInfo()
	if !info.IsBoardTop() {
		t.Fatal("the simulated board is lr_router, not a board top (make boardsim)")
	}
	conf := "testdata/board.conf"
	if info.Ports == 3 {
		conf = "testdata/board3.conf"
	}
	links := NewLinkNames(info.Ports)
	wire := map[int]string{} // ports with a PHY: TAPs on the simulated wire
	for p := range info.Ports {
		if info.HasPins(p) {
			wire[p] = links[p]
		}
	}
	board, err := simboard.New(simboard.Options{NoPTY: true, Socket: filepath.Join(t.TempDir(), "board.sock"), Taps: wire})
	if err != nil {
		t.Fatal(err)
	}
	bctx, stopBoard := context.WithCancel(context.Background())
	boardDone := make(chan error, 1)
	go func() { boardDone <- board.Run(bctx) }()
	t.Cleanup(func() {
		stopBoard()
		<-boardDone
		board.Close()
	})
	dev, err := hostdrv.Open(ctx, board.Device(), hostdrv.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { dev.Close() })
	cfg, err := tables.LoadConfig(conf, dev.Info().Sizes())
	if err != nil {
		t.Fatal(err)
	}

	// the bridge: a TAP interface per link port
	ports := map[int]io.ReadWriter{}
	for p := range info.Ports {
		if !info.IsLinkPort(p) {
			continue
		}
		f, err := tap.Open(links[p])
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { f.Close() })
		ports[p] = f
	}
	var log bytes.Buffer
	lw := &logWriter{t: t, buf: &log}
	brctx, stopBridge := context.WithCancel(ctx)
	bridged := make(chan bridge.Stats, 1)
	go func() { bridged <- bridge.Run(brctx, dev, ports, lw) }()

	rt := router.NewRouter(dev, cfg, router.DaemonOptions{Log: lw})
	rctx, stopRouter := context.WithCancel(ctx)
	routerDone := make(chan error, 1)
	go func() { routerDone <- rt.Run(rctx) }()
	t.Cleanup(func() {
		stopRouter()
		if err := <-routerDone; err != nil {
			t.Errorf("router: %v", err)
		}
	})
	select {
	case <-rt.Ready():
	case err := <-routerDone:
		t.Fatalf("router: %v", err)
	case <-ctx.Done():
		t.Fatal("router never got ready")
	}

	hosts, err := NewHosts(ctx, cfg, PortLinks(links), HostsOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := hosts.Close(); err != nil {
			t.Error(err)
		}
	})
	// every frame over the link crosses the simulated UART (3 Mbaud of a board running far
	// slower than real time): generous waits
	popt := PingOptions{Count: 3, Interval: 500 * time.Millisecond, Wait: 10 * time.Second}
	check := func(from *Host, what string, res PingResult, err error) {
		t.Helper()
		if err != nil || res.Received == 0 {
			t.Errorf("ping %s -> %s: %+v %v", from, what, res, err)
		} else {
			t.Logf("ping %s -> %s: %d of %d replies", from, what, res.Received, res.Transmitted)
		}
	}
	kind := func(p int) string {
		if info.IsLinkPort(p) {
			return "link"
		}
		return "PHY"
	}
	// from the first port to every other, and back from the last
	a := hosts.Port(0)
	res, err := Ping(ctx, a, a.Gateway, popt)
	check(a, "its router address", res, err)
	for _, b := range hosts.List[1:] {
		res, err = Ping(ctx, a, b.Addr, popt)
		check(a, fmt.Sprintf("%s (%s -> %s)", b, kind(a.Port), kind(b.Port)), res, err)
	}
	last := hosts.List[len(hosts.List)-1]
	res, err = Ping(ctx, last, a.Addr, popt)
	check(last, fmt.Sprintf("%s (%s -> %s)", a, kind(last.Port), kind(a.Port)), res, err)
	// short probes: a 1500-byte one crossing the simulated UART (punted at hop 1, or to a link
	// port) takes about as long as tracepath waits for its answer
	tr, err := TracepathLen(ctx, a, last.Addr, 128)
	if err != nil || len(tr.Hops) < 2 || tr.Hops[0] != a.Gateway || !tr.Reached {
		t.Errorf("tracepath %s -> %s: %+v %v\n%s", a, last, tr, err, tr.Output)
	} else {
		t.Logf("tracepath %s -> %s: %v", a, last, tr)
	}

	stopBridge()
	st := <-bridged
	t.Logf("bridge %+v; board %+v", st, board.Stats())
	if st.ToHost == 0 || st.FromHost == 0 || st.InjectErrs != 0 || st.NoPort != 0 {
		t.Errorf("bridge stats %+v", st)
	}
}
