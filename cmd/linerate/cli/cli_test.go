package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/linerate/linerate/cosim"
	"github.com/linerate/linerate/cosim/pcapio"
	"github.com/linerate/linerate/cosim/traffic"
	"github.com/linerate/linerate/tables"
)

const demoConf = "../../../test/configs/demo.conf"

func run(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Main(args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

func writeDemoInputs(t *testing.T, n int) string {
	t.Helper()
	im, _, err := tables.Build(demoConf, tables.SimSizes)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := cosim.WriteInputs(dir, cosim.FromTraffic(traffic.Mix(im, 2, n, traffic.MixOptions{OnlyValid: true})), im.Sizes.Ports); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestCosimModelEngineWritesContract(t *testing.T) {
	in := writeDemoInputs(t, 300)
	out := t.TempDir()
	code, stdout, stderr := run(t, "cosim", "--config", demoConf, "--in", in, "--out", out, "--engine", "model")
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	for _, f := range []string{"port0.pcap", "port1.pcap", "port2.pcap", "port3.pcap", "cpu.pcapng", "report.json"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Fatalf("missing %s", f)
		}
	}
	cpu, err := pcapio.ReadPcap(filepath.Join(out, "cpu.pcapng"))
	if err != nil {
		t.Fatal(err)
	}
	if len(cpu) == 0 {
		t.Fatal("no punted frames")
	}
	for _, p := range cpu {
		if !strings.HasPrefix(p.Comment, "reason=") || !strings.Contains(p.Comment, " in_port=") {
			t.Fatalf("punt comment %q", p.Comment)
		}
	}
	var rep cosim.Report
	b, _ := os.ReadFile(filepath.Join(out, "report.json"))
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatal(err)
	}
	if rep.FramesIn != 300 || rep.Reasons["forward"] == 0 {
		t.Fatalf("report: %+v", rep)
	}
}

func TestCosimBadInputExits2(t *testing.T) {
	in := writeDemoInputs(t, 10)
	// a truncated capture
	bad := t.TempDir()
	data, _ := os.ReadFile(filepath.Join(in, "port0.pcap"))
	if err := os.WriteFile(filepath.Join(bad, "port0.pcap"), data[:len(data)-7], 0o644); err != nil {
		t.Fatal(err)
	}
	badConf := filepath.Join(t.TempDir(), "bad.conf")
	os.WriteFile(badConf, []byte("link set dev port0 up\nroute add 10.0.0.0/8 via 1.2.3.4 frobnicate\n"), 0o644)
	cases := [][]string{
		{"cosim", "--config", demoConf, "--in", bad, "--out", t.TempDir(), "--engine", "model"},
		{"cosim", "--config", demoConf, "--in", t.TempDir(), "--out", t.TempDir(), "--engine", "model"},
		{"cosim", "--config", badConf, "--in", in, "--out", t.TempDir(), "--engine", "model"},
		{"cosim", "--config", demoConf, "--in", in, "--out", t.TempDir(), "--engine", "nope"},
		{"cosim", "--bogus-flag"},
	}
	for _, c := range cases {
		code, _, stderr := run(t, c...)
		if code != 2 {
			t.Errorf("%v: exit %d, want 2 (%s)", c, code, stderr)
		}
	}
	_, _, stderr := run(t, cases[2]...)
	if !strings.Contains(stderr, "bad.conf:2") {
		t.Errorf("config error does not name file:line: %s", stderr)
	}
}

func TestFibShowAndTrace(t *testing.T) {
	code, out, stderr := run(t, "fib", "show", "--config", demoConf)
	if code != 0 || !strings.Contains(out, "TCAM") || !strings.Contains(out, "blackhole") {
		t.Fatalf("fib show: %d\n%s\n%s", code, out, stderr)
	}
	in := writeDemoInputs(t, 20)
	code, out, stderr = run(t, "trace", "--config", demoConf, "--port", "0", "--pcap", filepath.Join(in, "port0.pcap"), "--index", "0")
	if code != 0 || !strings.Contains(out, "lpm") {
		t.Fatalf("trace: %d\n%s\n%s", code, out, stderr)
	}
}
