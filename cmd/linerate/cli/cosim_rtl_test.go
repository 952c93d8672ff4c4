//go:build verilator

package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/linerate/linerate/cosim"
)

// TestCosimBothEngines runs `linerate cosim` on pcaps through the Verilated RTL and the model:
// exit 0, the ARCHITECTURE 3.2 files, and a report that says they agree.
func TestCosimBothEngines(t *testing.T) {
	in := writeDemoInputs(t, 400)
	out := t.TempDir()
	wave := filepath.Join(t.TempDir(), "run.fst")
	code, stdout, stderr := run(t, "cosim", "--config", demoConf, "--in", in, "--out", out,
		"--in-stall", "20", "--out-stall", "20", "--frames", "0,1,2,3,4,5,6,7", "--wave", wave)
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	if !strings.Contains(stdout, "AGREE") {
		t.Fatalf("summary does not say they agree:\n%s", stdout)
	}
	if st, err := os.Stat(wave); err != nil || st.Size() == 0 {
		t.Fatalf("no waveform: %v", err)
	}
	code, stdout, stderr = run(t, "cosim", "--config", demoConf, "--in", in, "--out", out)
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	var rep cosim.Report
	b, err := os.ReadFile(filepath.Join(out, "report.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatal(err)
	}
	if !rep.Agree || rep.Engine != cosim.Both || rep.FramesIn != 400 || rep.RTLCycles == 0 || rep.OutputFCSErrors != 0 {
		t.Fatalf("report: %+v", rep)
	}
}
