//go:build verilator

package hostlink

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/linerate/linerate/cosim/simboard"
	"github.com/linerate/linerate/hostdrv"
	"github.com/linerate/linerate/tables"
	"github.com/linerate/linerate/test/configs"
)

// BenchmarkLoadRoutes loads the 1200-route configuration into an empty simulated board over
// its socket, at 3 Mbaud (16 clocks per bit of 48 MHz) and at the fastest UART (4 clocks per
// bit, 12 Mbaud). It reports, for the write phase:
//   - routes/s: routes over wall time (what this machine's simulation does)
//   - board_routes/s: routes over simulated time, cycles / 48 MHz (what a board with an
//     instant host would do; the simulation does not clock while it waits for the host)
//   - payload/wire: request payload bytes over all bytes on the link, both directions
//   - data/wire: table bytes (4 per register word written) over all bytes on the link
//   - wire_bits/route: UART bits (10 per byte) per route, both directions
func BenchmarkLoadRoutes(b *testing.B) {
	for _, div := range []int{16, 4} {
		b.Run(fmt.Sprintf("uart-div-%d", div), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				board := startBoard(b, simboard.Options{UARTDiv: div, NoPTY: true, Socket: filepath.Join(b.TempDir(), "b.sock")})
				ctx, cancel := context.WithTimeout(context.Background(), 20*time.Minute)
				d, err := hostdrv.Open(ctx, board.Device(), hostdrv.Options{})
				if err != nil {
					b.Fatal(err)
				}
				s := d.Info().Sizes()
				want := compile(b, configs.Large(1200, 0), s)
				cur, err := d.ReadImage(ctx, nil)
				if err != nil {
					b.Fatal(err)
				}
				plan, err := tables.Plan(cur, want, tables.PlanOptions{})
				if err != nil {
					b.Fatal(err)
				}
				ops := hostdrv.PlanOps(plan)
				batch := d.NewBatch()
				batch.Ops(ops)
				routes := plan.Added
				st0, cyc0 := d.Stats(), board.Stats().Cycles
				b.StartTimer()
				t0 := time.Now()
				if _, err := d.Do(ctx, batch); err != nil {
					b.Fatal(err)
				}
				wall := time.Since(t0)
				b.StopTimer()
				time.Sleep(50 * time.Millisecond)
				st1, cyc1 := d.Stats(), board.Stats().Cycles
				wire := float64(st1.WireTx - st0.WireTx + st1.WireRx - st0.WireRx)
				simSec := float64(cyc1-cyc0) / float64(board.Info().ClkHz)
				b.ReportMetric(float64(routes)/wall.Seconds(), "routes/s")
				b.ReportMetric(float64(routes)/simSec, "board_routes/s")
				b.ReportMetric(float64(st1.PayloadTx-st0.PayloadTx)/wire, "payload/wire")
				b.ReportMetric(float64(4*len(ops))/wire, "data/wire")
				b.ReportMetric(wire*10/float64(routes), "wire_bits/route")
				b.ReportMetric(float64(plan.Moves), "tcam_moves")
				back, err := d.ReadImage(ctx, nil)
				if err != nil {
					b.Fatal(err)
				}
				if diff := hostdrv.ImageDiff(back, plan.Result); len(diff) > 0 {
					b.Fatalf("read back differs: %v", diff[0])
				}
				d.Close()
				cancel()
			}
		})
	}
}
