package router

import (
	"bytes"
	"context"
	"net"
	"net/netip"
	"testing"
	"time"

	"github.com/google/gopacket/layers"

	"github.com/linerate/linerate/cosim/model"
	"github.com/linerate/linerate/hostdrv"
	"github.com/linerate/linerate/hostdrv/hostdrvtest"
	"github.com/linerate/linerate/hostdrv/transport/transporttest"
	"github.com/linerate/linerate/tables"
)

// daemon runs a Router on the fake board (every port's output comes back over the link).
func daemon(t *testing.T, opt DaemonOptions) (*Router, *hostdrvtest.Board, *hostdrv.Device) {
	t.Helper()
	a, b := transporttest.Pipe()
	board := hostdrvtest.New(hostdrvtest.Options{PortsToHost: 0xf})
	go board.Serve(b)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	dev, err := hostdrv.New(ctx, a, hostdrv.Options{})
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := tables.LoadConfig(demoConf, dev.Info().Sizes())
	if err != nil {
		t.Fatal(err)
	}
	r := NewRouter(dev, cfg, opt)
	done := make(chan error, 1)
	go func() { done <- r.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("router: %v", err)
		}
		dev.Close()
		b.Close()
	})
	select {
	case <-r.Ready():
	case err := <-done:
		t.Fatalf("router: %v", err)
	}
	return r, board, dev
}

// waitFrame waits for a frame leaving port that match accepts.
func waitFrame(t *testing.T, dev *hostdrv.Device, port int, what string, match func([]byte) bool) []byte {
	t.Helper()
	deadline := time.After(20 * time.Second)
	for {
		select {
		case f := <-dev.PortFrames():
			if f.Port == port && match(f.Frame[:len(f.Frame)-4]) {
				return f.Frame[:len(f.Frame)-4]
			}
		case <-deadline:
			t.Fatalf("no %s out of port%d", what, port)
		}
	}
}

func isARP(op uint16, tpa net.IP) func([]byte) bool {
	return func(f []byte) bool {
		a, _ := decode(f).Layer(layers.LayerTypeARP).(*layers.ARP)
		return a != nil && a.Operation == op && net.IP(a.DstProtAddress).Equal(tpa)
	}
}

// TestDaemonResolvesAndInstalls: against the fake board, the daemon loads the tables, answers a
// glean with an ARP request, forwards the held packet when the reply comes, and installs the
// next hop so that the data plane forwards the next packet by itself.
func TestDaemonResolvesAndInstalls(t *testing.T) {
	r, board, dev := daemon(t, DaemonOptions{})
	pkt := ipFrame(t, 0, hostIP, net.IP{10, 77, 1, 1}, 64, false, udp(100)...)
	board.Receive(0, model.AppendFCS(append([]byte(nil), pkt...)))
	waitFrame(t, dev, 1, "ARP request for R-X", isARP(layers.ARPRequest, net.IP{198, 51, 100, 99}))
	board.Receive(1, model.AppendFCS(arpFrame(2, rxMAC, net.IP{198, 51, 100, 99}, routerMAC(1), routerMAC(1), net.IP{198, 51, 100, 1})))
	fwd := waitFrame(t, dev, 1, "held packet", func(f []byte) bool { return bytes.Equal(f[:6], rxMAC) })
	if fwd[22] != 63 {
		t.Errorf("held packet forwarded with TTL %d", fwd[22])
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		if ds, _ := r.Stats(); ds.TableUpdates > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the next hop was never installed")
		}
		time.Sleep(10 * time.Millisecond)
	}
	_, before := r.Stats()
	board.Receive(0, model.AppendFCS(ipFrame(t, 0, hostIP, net.IP{10, 77, 1, 2}, 64, false, udp(10)...)))
	waitFrame(t, dev, 1, "packet forwarded by the data plane", func(f []byte) bool { return bytes.Equal(f[:6], rxMAC) && f[33] == 2 })
	if _, after := r.Stats(); after.Handled["glean"] != before.Handled["glean"] {
		t.Error("the second packet was punted: the data plane does not hold the neighbour")
	}
}

// TestDaemonSurvivesFlood: 20,000 TTL-1 punts in a burst are rate-limited and dropped at the
// host, and the daemon still answers ARP for its address at once.
func TestDaemonSurvivesFlood(t *testing.T) {
	r, board, dev := daemon(t, DaemonOptions{PuntRate: 500, PuntBurst: 50, PuntQueue: 64})
	ttl1 := model.AppendFCS(ipFrame(t, 0, hostIP, net.IP{10, 1, 9, 9}, 1, false, udp(10)...))
	go func() {
		for i := 0; i < 20000; i++ {
			board.Receive(0, ttl1)
		}
	}()
	time.Sleep(50 * time.Millisecond)
	mac := net.HardwareAddr{2, 0, 0, 0, 0xaa, 0x55}
	board.Receive(0, model.AppendFCS(arpFrame(1, mac, net.IP{192, 0, 2, 55}, net.HardwareAddr{255, 255, 255, 255, 255, 255}, make(net.HardwareAddr, 6), net.IP{192, 0, 2, 1})))
	waitFrame(t, dev, 0, "ARP reply during the flood", func(f []byte) bool { return bytes.Equal(f[:6], mac) })
	deadline := time.Now().Add(30 * time.Second)
	for {
		ds, ss := r.Stats()
		total := ds.Punts[ClassError] + ds.PuntsDropped[ClassError] + dev.Stats().PuntsQueueDrop
		if total >= 20000 {
			t.Logf("flood: %d taken, %d dropped by the rate limit, %d by the driver's queue; %d time exceeded sent, %d limited per destination",
				ds.Punts[ClassError], ds.PuntsDropped[ClassError], dev.Stats().PuntsQueueDrop, ss.Sent["icmp time exceeded"], ss.ICMPLimited)
			if ds.PuntsDropped[ClassError] == 0 || ds.Punts[ClassError] > 2000 {
				t.Errorf("the flood was not limited: %d taken, %d dropped", ds.Punts[ClassError], ds.PuntsDropped[ClassError])
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("flood not absorbed: %d of 20000 punts seen", total)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestDaemonRouteSource: a route source's routes replace the file's and reach the device.
func TestDaemonRouteSource(t *testing.T) {
	src := make(chan RouteSet, 1)
	r, board, _ := daemon(t, DaemonOptions{Source: src})
	cfg, _ := tables.LoadConfig(demoConf, tables.SimSizes)
	via := tables.Route{Prefix: netip.MustParsePrefix("100.100.0.0/16"), Kind: tables.RouteVia, Gateway: netip.MustParseAddr("10.0.0.2"), Port: 3, Dev: true}
	onlink := tables.Route{Prefix: netip.MustParsePrefix("192.168.1.0/24"), Kind: tables.RouteOnLink, Port: 3, Dev: true} // demo's neighbour 192.168.1.5 needs it
	src <- RouteSet{Routes: []tables.Route{onlink, via}, Neighbors: []tables.Neighbor{{IP: netip.MustParseAddr("10.0.0.77"), MAC: net.HardwareAddr{2, 0, 0, 0, 7, 7}, Port: 3, State: "reachable"}}}
	want := *cfg
	want.Routes = []tables.Route{onlink, via}
	want.Neighbors = append(want.Neighbors, tables.Neighbor{IP: netip.MustParseAddr("10.0.0.77"), MAC: net.HardwareAddr{2, 0, 0, 0, 7, 7}, Port: 3, State: "reachable"})
	wantIm, err := tables.Compile(&want, tables.SimSizes)
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		if same, _ := tables.Equivalent(board.Image(), wantIm); same {
			break
		}
		if time.Now().After(deadline) {
			_, diff := tables.Equivalent(board.Image(), wantIm)
			ds, _ := r.Stats()
			t.Fatalf("the device never held the source's routes: %v (stats %+v)", diff, ds)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
