//go:build verilator && !boardsim

package vboard

import (
	"fmt"
	"testing"
	"time"

	"github.com/linerate/linerate/hostdrv/link"
)

// BenchmarkBoardUART runs REG requests that read 255 counters (a 1 KB answer) through the UART
// pins of an otherwise idle board and reports simulated clocks per second of host time and UART
// bytes (both directions) per second of host time, at divisors 16 and 4.
func BenchmarkBoardUART(b *testing.B) {
	for _, div := range []int{16, 4} {
		b.Run(fmt.Sprintf("div%d", div), func(b *testing.B) {
			h := newHost(b, Options{UARTDiv: div})
			h.hello()
			req := ops{}.read(0x1000, 255)
			var dec link.Decoder
			var cycles, bytes uint64
			b.ResetTimer()
			start := time.Now()
			for i := 0; i < b.N; i++ {
				w := link.Append(nil, link.Frame{Type: tReg, Seq: uint16(i), Payload: req})
				h.b.UARTWrite(w)
				c, idle := h.b.Run(50_000_000)
				if !idle {
					b.Fatal("not idle")
				}
				out := h.b.UARTRead()
				if fs := dec.Feed(out); len(fs) != 1 {
					b.Fatalf("%d answers", len(fs))
				}
				cycles += c
				bytes += uint64(len(w) + len(out))
			}
			sec := time.Since(start).Seconds()
			b.ReportMetric(float64(cycles)/sec, "clocks/s")
			b.ReportMetric(float64(bytes)/sec, "uart_B/s")
			b.ReportMetric(float64(cycles)/float64(b.N), "clocks/op")
		})
	}
}
