//go:build verilator

package hostlink

import (
	"context"
	"testing"

	"github.com/linerate/linerate/cosim/simboard"
	"github.com/linerate/linerate/cosim/traffic"
	"github.com/linerate/linerate/cosim/vboard"
	"github.com/linerate/linerate/hostdrv"
	"github.com/linerate/linerate/test/configs"
)

// The suite runs against lr_router (make vsim) and, built with the boardsim tag, against a
// board's pin-level top (make boardsim BOARD=NAME): the top its bitstream is built from. A board
// top has no packet-port pins: its ports travel over the host link, so the tests send frames
// into a port's pipeline with INJECT and take what leaves a port from PORT_TX, as the host
// bridges a real board's ports. Its tables are small: the tests use a 2-port router that fits.

// boardTop says whether the simulated board is a board's top.
func boardTop(b *simboard.Board) bool { return b.Info().ExtPorts == 0 }

// boardRoutes is the static-route count of the board-sized router (TwoPort): with the connected
// subnets, neighbours, blackhole and default it leaves room in a 32-entry LPM for make-before-break.
const boardRoutes = 12

// routerConf is the test router, variant v: 1200 routes on lr_router, the 2-port board size on
// a board top.
func routerConf(b *simboard.Board, v int) string {
	if boardTop(b) {
		return configs.TwoPort(boardRoutes, v)
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

// send puts a frame (FCS included) into port p: on the port's pins, or on a board top through
// the link into the port's pipeline.
func send(ctx context.Context, t testing.TB, b *simboard.Board, d *hostdrv.Device, p int, wire []byte) {
	if !boardTop(b) {
		b.Push(p, wire)
		return
	}
	if err := d.InjectPipeline(ctx, p, wire); err != nil {
		t.Error(err)
	}
}

// portOut is what leaves the packet ports: their pins, or PORT_TX on a board top (d must stay
// open while it is read).
func portOut(b *simboard.Board, d *hostdrv.Device) <-chan vboard.Frame {
	if !boardTop(b) {
		return b.Out()
	}
	ch := make(chan vboard.Frame, 256)
	go func() {
		defer close(ch)
		for f := range d.PortFrames() {
			ch <- vboard.Frame{Port: f.Port, Data: f.Frame}
		}
	}()
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
