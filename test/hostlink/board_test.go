//go:build verilator

package hostlink

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/linerate/linerate/cosim/simboard"
	"github.com/linerate/linerate/cosim/traffic"
	"github.com/linerate/linerate/cosim/vboard"
	"github.com/linerate/linerate/hostdrv"
	"github.com/linerate/linerate/hostdrv/link"
	"github.com/linerate/linerate/hostdrv/punt"
	"github.com/linerate/linerate/test/configs"
)

// The suite runs against lr_router (make vsim) and, built with the boardsim tag, against a
// board's pin-level top (make boardsim BOARD=NAME): the top its bitstream is built from. A board
// top's link ports (every port of the iCE40 boards, port 2 of the colorlight) have no pins: the
// tests send frames into their pipeline with INJECT and take what leaves them from PORT_TX, as
// the host bridges a real board's link ports. Its RGMII ports (ports 0 and 1 of the colorlight)
// take and give frames on the pins, encoded and decoded by the simulated PHY as on lr_router's
// stream pins. Its tables are small: the tests use a 2- or 3-port router that fits.

// boardTop says whether the simulated board is a board's top.
func boardTop(b *simboard.Board) bool { return b.Info().IsBoardTop() }

// boardRoutes is the static-route count of the board-sized router (TwoPort): with the connected
// subnets, neighbours, blackhole and default it leaves room in a 32-entry LPM for make-before-break.
const boardRoutes = 12

// boardConf is the board-sized router, variant v: 3 ports where the build has them (the
// colorlight: both RGMII ports and its link port), else 2.
func boardConf(b *simboard.Board, v int) string {
	if b.Info().Ports >= 3 {
		return configs.ThreePort(boardRoutes, v)
	}
	return configs.TwoPort(boardRoutes, v)
}

// routerConf is the test router, variant v: 1200 routes on lr_router, the board size on a board
// top.
func routerConf(b *simboard.Board, v int) string {
	if boardTop(b) {
		return boardConf(b, v)
	}
	return configs.Large(1200, v)
}

// demoConf is the bundled config the CLI tests load: demo.conf, or small.conf on a board top.
func demoConf(t testing.TB, b *simboard.Board) string {
	if boardTop(b) {
		return configText(t, "small.conf")
	}
	return configText(t, "demo.conf")
}

// send puts a frame (FCS included) into port p: on the port's pins (on a board top an RGMII
// port's receive pins), or through the link into a link port's pipeline.
func send(ctx context.Context, t testing.TB, b *simboard.Board, d *hostdrv.Device, p int, wire []byte) {
	if b.Info().HasPins(p) {
		b.Push(p, wire)
		return
	}
	if err := d.InjectPipeline(ctx, p, wire); err != nil {
		t.Error(err)
	}
}

// sendable says whether send can put wire into port p: any frame on pins, on a link port one
// that fits an INJECT request into the device's receive buffer.
func sendable(b *simboard.Board, d *hostdrv.Device, p int, wire []byte) bool {
	return b.Info().HasPins(p) || punt.InjectHeaderLen+len(wire)+link.Overhead <= d.Info().RxBufBytes
}

// portOut is what leaves the packet ports: the pins of ports that have them, and PORT_TX for
// the link ports (d must stay open while it is read; the channel closes with d when the board
// has link ports).
func portOut(b *simboard.Board, d *hostdrv.Device) <-chan vboard.Frame {
	info := b.Info()
	if info.LinkPorts == 0 {
		return b.Out()
	}
	ch := make(chan vboard.Frame, 256)
	done := make(chan struct{})
	go func() {
		defer close(ch)
		defer close(done)
		for f := range d.PortFrames() {
			ch <- vboard.Frame{Port: f.Port, Data: f.Frame}
		}
	}()
	if info.ExtPorts&^info.LinkPorts != 0 {
		go func() {
			for {
				select {
				case f := <-b.Out():
					select {
					case ch <- f:
					case <-done:
						return
					}
				case <-done:
					return
				}
			}
		}()
	}
	return ch
}

// shortFrames keeps the frames of at most n bytes.
func shortFrames(fs []traffic.Frame, n int) []traffic.Frame {
	var out []traffic.Frame
	for _, f := range fs {
		if len(f.Data) <= n {
			out = append(out, f)
		}
	}
	return out
}

// portKind names how a port reaches the world in a test's messages.
func portKind(b *simboard.Board, p int) string {
	switch {
	case b.Info().IsLinkPort(p):
		return "link"
	case boardTop(b):
		return "rgmii"
	}
	return "pins"
}

// TestForwardAcrossPortKinds forwards valid traffic between every pair of ports and checks it
// against the golden model: on the colorlight RGMII -> RGMII, RGMII -> link and link -> RGMII
// (and link -> link where a board has two: the iCE40 boards).
func TestForwardAcrossPortKinds(t *testing.T) {
	if !vboard.BuildInfo().IsBoardTop() {
		t.Skip("lr_router: checkForwarding injects every frame over the link (the other tests); this test is about a board top's port kinds (make boardsim)")
	}
	b := startBoard(t, simboard.Options{UARTDiv: 4, NoPTY: true, Socket: filepath.Join(t.TempDir(), "b.sock")})
	ctx := testCtx(t, 10*time.Minute)
	d, err := hostdrv.Open(ctx, b.Device(), hostdrv.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	want := compile(t, boardConf(b, 0), d.Info().Sizes())
	if _, err := d.LoadTables(ctx, want, hostdrv.LoadOptions{}); err != nil {
		t.Fatal(err)
	}
	pairs := checkForwarding(t, ctx, d, b, want, 240)
	kinds := map[string]int{}
	for pr, n := range pairs {
		kinds[portKind(b, pr[0])+" -> "+portKind(b, pr[1])] += n
	}
	t.Logf("forwarded, as the model says: %v", kinds)
	info := b.Info()
	var need []string
	if info.ExtPorts&^info.LinkPorts == 0 {
		need = []string{"link -> link"}
	} else {
		need = []string{"rgmii -> rgmii", "rgmii -> link", "link -> rgmii"}
	}
	for _, k := range need {
		if kinds[k] == 0 {
			t.Errorf("no frame forwarded %s", k)
		}
	}
	// the simulated PHYs saw every transmitted frame well formed (TXC, preamble, SFD, no TX_ER)
	if st := b.Stats(); st.ProtocolErrs != 0 || st.FramesLost != 0 {
		t.Errorf("board stats %+v", st)
	}
}
