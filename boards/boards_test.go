package boards

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// Every board folder loads, and its top declares every parameter board.json sets (so yosys'
// chparam and Verilator's -G never name a parameter the top lacks).
func TestBoardsLoad(t *testing.T) {
	bs, err := List()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"icebreaker": "ice40", "hx8k": "ice40", "colorlight": "ecp5"}
	if len(bs) != len(want) {
		t.Fatalf("boards %v, want %v", Names(), want)
	}
	for _, b := range bs {
		if want[b.Name] != b.Family {
			t.Errorf("%s: family %q", b.Name, b.Family)
		}
		top, err := b.ReadFile(b.Sources[0])
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(top), "module "+b.Top+" ") {
			t.Errorf("%s: %s does not define module %s", b.Name, b.Sources[0], b.Top)
		}
		params := map[string]bool{}
		for _, m := range regexp.MustCompile(`parameter\s+(\w+)\s*=`).FindAllStringSubmatch(string(top), -1) {
			params[m[1]] = true
		}
		for _, k := range append(b.ParamNames(), "BUILD_ID", "BUILD_DATE") {
			if !params[k] {
				t.Errorf("%s: board.json sets %s, the top has no such parameter", b.Name, k)
			}
		}
		for _, s := range b.SimFiles() {
			if _, err := b.ReadFile(s); err != nil {
				t.Errorf("%s: sim file %s: %v", b.Name, s, err)
			}
		}
		// the pin names the simulated board drives exist in the top and the constraints
		cons, _ := b.ReadFile(b.Constraints)
		for _, pin := range []string{"CLK", "RX", "TX", b.Sim.IdlePin, b.Sim.ResetPin} {
			if pin == "" {
				continue
			}
			if !regexp.MustCompile(`\b`+pin+`\b`).Match(top) || !strings.Contains(string(cons), pin) {
				t.Errorf("%s: pin %s missing from the top or %s", b.Name, pin, b.Constraints)
			}
		}
		// every RGMII port's pins exist in the top and the constraints
		for _, r := range b.Sim.RGMII {
			for _, sfx := range []string{"_RXC", "_RXD", "_RX_CTL", "_TXC", "_TXD", "_TX_CTL"} {
				pin := r.Pins + sfx
				if !regexp.MustCompile(`\b`+pin+`\b`).Match(top) || !strings.Contains(string(cons), `"`+pin) {
					t.Errorf("%s: RGMII pin %s of port %d missing from the top or %s", b.Name, pin, r.Port, b.Constraints)
				}
			}
		}
		if got := float64(b.Params["CLK_HZ"]) / float64(b.Params["UART_DIV"]); got != float64(b.Baud) {
			t.Errorf("%s: CLK_HZ/UART_DIV = %g, baud says %d", b.Name, got, b.Baud)
		}
	}
}

func TestGetUnknown(t *testing.T) {
	for _, n := range []string{"", "nosuch", "../rtl", "common"} {
		if _, err := Get(n); !errors.Is(err, ErrUnknown) {
			t.Errorf("Get(%q): %v", n, err)
		}
	}
}

// BUILD_ID and BUILD_DATE come from the build, the rest from board.json.
func TestBuildParams(t *testing.T) {
	b, err := Get("icebreaker")
	if err != nil {
		t.Fatal(err)
	}
	p := b.buildParams(time.Date(2026, 11, 21, 23, 0, 0, 0, time.UTC))
	if p["BUILD_DATE"] != 20261121 || p["LPM_ENTRIES"] != b.Params["LPM_ENTRIES"] {
		t.Fatalf("params %v", p)
	}
	if _, ok := b.Params["BUILD_DATE"]; ok {
		t.Fatal("buildParams changed the board's own map")
	}
}

// The line-rate estimate: 64 bytes at 8 bits are 64 beats plus a gap.
func TestLineRate(t *testing.T) {
	b := &Board{Params: map[string]int64{"DATA_WIDTH": 8}, Baud: 3000000}
	lr := b.lineRate(24)
	if want := 24e6 / 65; lr.CoreFPS != want {
		t.Fatalf("core %g frames/s, want %g", lr.CoreFPS, want)
	}
	if want := 3e6 / 10 / linkFrameBytes; lr.LinkFPS != want {
		t.Fatalf("link %g frames/s, want %g", lr.LinkFPS, want)
	}
	// the serial core: one frame at a time, shared by the ports
	b.Params["SERIAL_CORE"], b.Params["N_PORTS"] = 1, 2
	if want := 24e6 / serialClocks64 / 2; b.lineRate(24).CoreFPS != want {
		t.Fatalf("serial core %g frames/s, want %g", b.lineRate(24).CoreFPS, want)
	}
}

// The report readers take yosys' stat -json and nextpnr's --report as those tools write them.
func TestReadReports(t *testing.T) {
	dir := t.TempDir()
	stat := filepath.Join(dir, "stat.json")
	os.WriteFile(stat, []byte(`
{
   "creator": "Yosys",
   "design": {
      "num_cells_by_type": {"SB_CARRY": 10, "SB_DFF": 3, "SB_DFFE": 4, "SB_LUT4": 50, "SB_RAM40_4K": 2, "SB_SPRAM256KA": 1}
   }
}`), 0o644)
	pnr := filepath.Join(dir, "pnr.json")
	os.WriteFile(pnr, []byte(`{"utilization": {"ICESTORM_LC": {"available": 7680, "used": 60},
 "ICESTORM_RAM": {"available": 32, "used": 2}, "SB_IO": {"available": 256, "used": 5},
 "ICESTORM_SPRAM": {"available": 4, "used": 1}},
 "fmax": {"clk": {"achieved": 31.5, "constraint": 24.0}, "CLK$SB_IO_IN": {"achieved": 11.0, "constraint": 12.0}}}`), 0o644)
	b := &Board{Family: "ice40"}
	r := &Report{}
	if err := r.readStat(stat, "ice40"); err != nil {
		t.Fatal(err)
	}
	if err := r.readPnR(pnr, b); err != nil {
		t.Fatal(err)
	}
	res := r.Resources
	if res.LUT != 50 || res.FF != 7 || res.BRAM != 2 || res.Cells != 60 || res.CellsAvail != 7680 || res.BRAMAvail != 32 || res.IO != 5 ||
		res.SPRAM != 1 || res.SPRAMAvail != 4 {
		t.Fatalf("resources %+v", res)
	}
	if r.TimingMet || len(r.Clocks) != 2 || !r.Clocks[1].Met || r.Clocks[0].Met {
		t.Fatalf("clocks %+v met %v", r.Clocks, r.TimingMet)
	}
}

// board.json's ports: each one is a link port or an RGMII port of the simulated board, once;
// params.LINK_PORTS agrees. Every mistake is named.
func TestBoardPorts(t *testing.T) {
	cl, err := Get("colorlight")
	if err != nil {
		t.Fatal(err)
	}
	if cl.LinkMask() != 1<<2 || len(cl.Sim.RGMII) != 2 {
		t.Fatalf("colorlight: link ports %v, rgmii %+v", cl.LinkPorts, cl.Sim.RGMII)
	}
	for _, name := range []string{"icebreaker", "hx8k"} {
		b, err := Get(name)
		if err != nil {
			t.Fatal(err)
		}
		if b.LinkMask() != 3 || len(b.Sim.RGMII) != 0 {
			t.Errorf("%s: every port over the link, got %v", name, b.LinkPorts)
		}
	}
	rgmii := func(ps ...int) []RGMIIPins {
		var r []RGMIIPins
		for _, p := range ps {
			r = append(r, RGMIIPins{Port: p, Pins: fmt.Sprintf("ETH%d", p)})
		}
		return r
	}
	for _, c := range []struct {
		link  []int
		rgmii []RGMIIPins
		mask  int64 // params.LINK_PORTS, -1: absent
		err   string
	}{
		{[]int{2}, rgmii(0, 1), 4, ""},
		{[]int{2}, rgmii(0, 1), -1, ""},
		{nil, rgmii(0, 1, 2), -1, "link_ports is required"},
		{[]int{3}, rgmii(0, 1), -1, "link_ports port 3: the board has ports 0..2"},
		{[]int{2, 2}, rgmii(0, 1), -1, "port 2 is listed twice"},
		{[]int{1, 2}, rgmii(0, 1), -1, "port 1 is listed twice (link_ports, sim.rgmii)"},
		{[]int{2}, rgmii(0), -1, "port 1 is neither in link_ports nor in sim.rgmii"},
		{[]int{2}, []RGMIIPins{{Port: 0, Pins: "ETH0"}, {Port: 1}}, -1, "sim.rgmii port 1: pins"},
		{[]int{2}, rgmii(0, 1), 6, "params.LINK_PORTS 0x6 differs from link_ports [2] (0x4)"},
	} {
		b := &Board{LinkPorts: c.link, Sim: SimPins{RGMII: c.rgmii}, Params: map[string]int64{"N_PORTS": 3}}
		if c.mask >= 0 {
			b.Params["LINK_PORTS"] = c.mask
		}
		err := b.checkPorts()
		if c.err == "" && err != nil || c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)) {
			t.Errorf("link %v rgmii %v mask %d: %v, want %q", c.link, c.rgmii, c.mask, err, c.err)
		}
	}
}

// readControlSets groups flip-flops by clock, enable and set/reset nets, per cell type.
func TestControlSets(t *testing.T) {
	path := filepath.Join(t.TempDir(), "n.json")
	os.WriteFile(path, []byte(`{"modules": {
 "other": {"cells": {"x": {"type": "TRELLIS_FF", "connections": {"CLK": [2], "LSR": [9]}}}},
 "top": {"cells": {
  "a": {"type": "TRELLIS_FF", "connections": {"CLK": [2], "CE": ["1"], "LSR": [3], "DI": [10], "Q": [11]}},
  "b": {"type": "TRELLIS_FF", "connections": {"CLK": [2], "CE": ["1"], "LSR": [3], "DI": [12], "Q": [13]}},
  "c": {"type": "TRELLIS_FF", "connections": {"CLK": [2], "CE": ["1"], "LSR": [3], "DI": [14], "Q": [15]}},
  "d": {"type": "TRELLIS_FF", "connections": {"CLK": [2], "CE": [4], "LSR": [3], "DI": [16], "Q": [17]}},
  "e": {"type": "SB_DFFER", "connections": {"C": [2], "E": [4], "R": [3], "D": [18], "Q": [19]}},
  "f": {"type": "SB_DFFES", "connections": {"C": [2], "E": [4], "S": [3], "D": [20], "Q": [21]}},
  "g": {"type": "LUT4", "connections": {"A": [2], "Z": [3]}}
 }}}}`), 0o644)
	cs, err := readControlSets(path, "top")
	if err != nil {
		t.Fatal(err)
	}
	if cs != (ControlSets{Sets: 4, Small: 3, FF: 6}) {
		t.Fatalf("%+v, want 4 sets, 3 small, 6 FF", cs)
	}
	if cs.Crowded() || !(ControlSets{Sets: 2312, Small: 2300, FF: 7700}).Crowded() || (ControlSets{Sets: 160, Small: 90, FF: 7700}).Crowded() {
		t.Fatal("Crowded")
	}
	if _, err := readControlSets(path, "nope"); err == nil {
		t.Fatal("a missing top module is an error")
	}
}
