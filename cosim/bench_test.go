//go:build verilator

package cosim

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/linerate/linerate/cosim/traffic"
	"github.com/linerate/linerate/hostdrv/regmap"
)

// benchFrames: back-to-back 64-byte frames on every port, forwarded as a permutation.
func benchFrames(b *testing.B) ([]Input, int) {
	im := demoImage(b)
	const perPort = 5000
	return FromTraffic(traffic.BackToBack(im, perPort, 60)), im.Sizes.Ports
}

// BenchmarkCosim64B reports co-simulated 64-byte frames per second with all ports loaded for
// the pure C++ loop (baseline), the RTL driven from Go, and RTL plus golden model compared,
// and each as a ratio of the baseline measured in the same run.
func BenchmarkCosim64B(b *testing.B) {
	im := demoImage(b)
	in, _ := benchFrames(b)
	baseline := 0.0

	b.Run("cpp-baseline", func(b *testing.B) {
		dir := b.TempDir()
		var ops, frames bytes.Buffer
		for _, op := range regmap.ImageWrites(im) {
			ops.WriteByte(0)
			binary.Write(&ops, binary.LittleEndian, op.Addr)
			binary.Write(&ops, binary.LittleEndian, op.Data)
		}
		for _, f := range in {
			binary.Write(&frames, binary.LittleEndian, int32(f.Port))
			binary.Write(&frames, binary.LittleEndian, uint32(len(f.Wire)))
			frames.Write(f.Wire)
		}
		os.WriteFile(filepath.Join(dir, "ops"), ops.Bytes(), 0o644)
		os.WriteFile(filepath.Join(dir, "frames"), frames.Bytes(), 0o644)
		bin, _ := filepath.Abs("../build/vsim/lrbench")
		var secs float64
		var frameCount, cycles uint64
		for i := 0; i < b.N; i++ {
			out, err := exec.Command(bin, filepath.Join(dir, "ops"), filepath.Join(dir, "frames"), "1024").Output()
			if err != nil {
				b.Fatalf("%s: %v", bin, err)
			}
			var n, o uint64
			var s float64
			if _, err := fmt.Sscanf(string(out), "frames=%d out=%d cycles=%d seconds=%f", &n, &o, &cycles, &s); err != nil {
				b.Fatalf("parse %q: %v", out, err)
			}
			secs += s
			frameCount += n
		}
		baseline = float64(frameCount) / secs
		b.ReportMetric(baseline, "frames/s")
		b.ReportMetric(float64(cycles)/float64(len(in)), "clocks/frame")
	})

	for _, eng := range []Engine{RTL, Both} {
		eng := eng
		b.Run(string(eng), func(b *testing.B) {
			var el time.Duration
			var res *Result
			for i := 0; i < b.N; i++ {
				t0 := time.Now()
				r, err := Run(im, in, Options{Engine: eng, Seed: 1})
				el += time.Since(t0)
				if err != nil {
					b.Fatal(err)
				}
				if !r.Agree() {
					b.Fatalf("%d mismatches", r.MismatchCount)
				}
				res = r
			}
			fps := float64(len(in)*b.N) / el.Seconds()
			b.ReportMetric(fps, "frames/s")
			b.ReportMetric(float64(res.Cycles)/float64(len(in)), "clocks/frame")
			b.ReportMetric(float64(res.RTLTime.Milliseconds()), "rtl_ms")
			b.ReportMetric(float64(res.ModelTime.Milliseconds()), "model_ms")
			if baseline > 0 {
				b.ReportMetric(fps/baseline, "x_baseline")
			}
		})
	}
}
