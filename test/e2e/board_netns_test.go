//go:build linux && netns && verilator && boardsim

package e2e

import (
	"bytes"
	"context"
	"io"
	"path/filepath"
	"testing"
	"time"

	"github.com/linerate/linerate/cosim/simboard"
	"github.com/linerate/linerate/hostdrv"
	"github.com/linerate/linerate/hostdrv/bridge"
	"github.com/linerate/linerate/hostdrv/router"
	"github.com/linerate/linerate/hostdrv/tap"
	"github.com/linerate/linerate/tables"
)

// TestBoardTopBridged: Linux hosts on a board top's ports, as on a board without Ethernet PHYs.
// The board top (make boardsim BOARD=NAME: the bitstream's top in Verilator) sends every port's
// frames over its UART; the host bridges each port to a TAP interface (hostdrv/bridge, as
// `linerate router --tap` does) and runs the control plane. Hosts in two namespaces ping each
// other through the board's data plane, ping the router, and tracepath shows the router as the
// first hop: real frames, forwarded by the RTL of the board.
func TestBoardTopBridged(t *testing.T) {
	requireRoot(t)
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()

	board, err := simboard.New(simboard.Options{NoPTY: true, Socket: filepath.Join(t.TempDir(), "board.sock")})
	if err != nil {
		t.Fatal(err)
	}
	if board.Info().ExtPorts != 0 {
		t.Fatalf("%q is not a board top (make boardsim)", board.Info().Board)
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
	cfg, err := tables.LoadConfig("testdata/board.conf", dev.Info().Sizes())
	if err != nil {
		t.Fatal(err)
	}

	// the bridge: a TAP interface per port
	links := NewLinkNames(2)
	ports := map[int]io.ReadWriter{}
	for p, name := range PortLinks(links) {
		f, err := tap.Open(name)
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
	a, b := hosts.Port(0), hosts.Port(1)
	// every frame crosses the simulated UART (3 Mbaud of a board running far slower than
	// real time): generous waits
	popt := PingOptions{Count: 3, Interval: 500 * time.Millisecond, Wait: 10 * time.Second}
	check := func(from *Host, what string, res PingResult, err error) {
		t.Helper()
		if err != nil || res.Received == 0 {
			t.Errorf("ping %s -> %s: %+v %v", from, what, res, err)
		} else {
			t.Logf("ping %s -> %s: %d of %d replies", from, what, res.Received, res.Transmitted)
		}
	}
	res, err := Ping(ctx, a, a.Gateway, popt)
	check(a, "its router address", res, err)
	res, err = Ping(ctx, a, b.Addr, popt)
	check(a, b.String(), res, err)
	res, err = Ping(ctx, b, a.Addr, popt)
	check(b, a.String(), res, err)
	tr, err := Tracepath(ctx, a, b.Addr)
	if err != nil || len(tr.Hops) < 2 || tr.Hops[0] != a.Gateway || !tr.Reached {
		t.Errorf("tracepath %s -> %s: %+v %v", a, b, tr, err)
	}

	stopBridge()
	st := <-bridged
	t.Logf("bridge %+v; board %+v", st, board.Stats())
	if st.ToHost == 0 || st.FromHost == 0 || st.InjectErrs != 0 {
		t.Errorf("bridge stats %+v", st)
	}
}
