//go:build fpga

package boards

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestBuildFlow runs linerate's build flow for real (make test installs the tools: make
// deps-ice40 deps-ecp5) on a small design, a UART echo on the iCEBreaker's and the Colorlight's
// pins, for each family: synthesis, place and route at the clock's frequency, the bitstream and
// the report read from what the tools wrote.
func TestBuildFlow(t *testing.T) {
	for _, tc := range []struct {
		name       string
		cells      int    // logic cells the device has
		bitstream  string // file name
		syncMarker []byte // the configuration sync word near the start
	}{
		{"smoke-ice40", 5280, "smoke-ice40.bin", []byte{0x7E, 0xAA, 0x99, 0x7E}},
		{"smoke-ecp5", 24288, "smoke-ecp5.bit", []byte{0xFF, 0xFF, 0xBD, 0xB3}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, err := LoadDir("testdata", tc.name)
			if err != nil {
				t.Fatal(err)
			}
			tools, err := FindTools(b.Family)
			if err != nil {
				t.Fatalf("%v (make deps-%s installs the flow)", err, b.Family)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
			defer cancel()
			out := t.TempDir()
			var log bytes.Buffer
			rep, err := Build(ctx, b, BuildOptions{Out: out, Tools: &tools, Progress: &log})
			t.Logf("%s", log.String())
			if err != nil {
				t.Fatal(err)
			}
			if !rep.TimingMet || len(rep.Clocks) == 0 || rep.Clocks[0].FmaxMHz < b.ClockMHz {
				t.Fatalf("timing: %+v", rep.Clocks)
			}
			r := rep.Resources
			if r.LUT == 0 || r.FF == 0 || r.Cells == 0 || r.CellsAvail != tc.cells || r.IO != 3 {
				t.Fatalf("resources %+v", r)
			}
			bit, err := os.ReadFile(filepath.Join(out, tc.bitstream))
			if err != nil || rep.Bitstream != tc.bitstream {
				t.Fatalf("bitstream %q: %v", rep.Bitstream, err)
			}
			if !bytes.Contains(bit[:min(len(bit), 1024)], tc.syncMarker) {
				t.Fatalf("%s (%d bytes) has no sync word %x near its start", tc.bitstream, len(bit), tc.syncMarker)
			}
			raw, err := os.ReadFile(filepath.Join(out, "report.json"))
			if err != nil {
				t.Fatal(err)
			}
			var back Report
			if err := json.Unmarshal(raw, &back); err != nil || back.Resources != rep.Resources || !back.TimingMet {
				t.Fatalf("report.json: %v %+v", err, back)
			}
			t.Logf("%s: %d LUT, %d FF, %d/%d cells, Fmax %.1f MHz (target %.1f); synthesis %.1f s, place and route %.1f s",
				tc.name, r.LUT, r.FF, r.Cells, r.CellsAvail, rep.Clocks[0].FmaxMHz, rep.Clocks[0].TargetMHz, rep.SynthSecs, rep.PnRSecs)
		})
	}
}
