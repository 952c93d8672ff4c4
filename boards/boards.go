// Package boards describes the FPGA boards linerate builds for and runs their toolchain: each
// boards/<name>/ folder holds board.json (the facts and the router's parameters), the pin-level
// top (pins, clocks, PLL, reset synchroniser; all logic is rtl/), and the pin constraints.
// Shared board pieces live in boards/common/. The folders are embedded, so `linerate boards` and
// `linerate build` work from any directory.
package boards

import (
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"sort"
	"strings"
)

//go:embed */*
var files embed.FS

// Board is one board's board.json.
type Board struct {
	Name    string `json:"name"`    // folder name, the --board value
	Title   string `json:"title"`   // human name and revision
	FPGA    string `json:"fpga"`    // part as printed, e.g. iCE40UP5K-SG48
	Family  string `json:"family"`  // ice40 | ecp5
	Device  string `json:"device"`  // nextpnr device: up5k, hx8k, 25k
	Package string `json:"package"` // nextpnr package: sg48, ct256, CABGA256
	Speed   int    `json:"speed,omitempty"`
	Top     string `json:"top"` // top module
	// Sources are the board's Verilog files: names in the board folder, or common/NAME.
	Sources []string `json:"sources"`
	// SimSources replace, in Verilator, the Sources that hold clock primitives (same module
	// names, the primitive replaced by a wire): the simulated board is the same top otherwise.
	SimSources  map[string]string `json:"sim_sources"`
	Constraints string            `json:"constraints"` // .pcf (iCE40) or .lpf (ECP5) in the folder
	ClockMHz    float64           `json:"clock_mhz"`   // core clock (the PLL output)
	Params      map[string]int64  `json:"params"`      // the top's (= lr_router's) parameters
	Ports       string            `json:"ports"`       // how the packet ports reach the world
	// LinkPorts are the packet ports carried over the host link (PORT_TX out, INJECT in): the
	// ones a host bridges. Every other port has pins of its own (an Ethernet PHY, Sim.RGMII).
	LinkPorts  []int   `json:"link_ports"`
	Programmer string  `json:"programmer"` // how `linerate flash` reaches it
	Baud       int     `json:"baud"`       // host-link UART bit rate
	Sim        SimPins `json:"sim"`        // what the simulated board reads and drives

	fsys fs.FS // where the files are: the embedded boards/, or LoadDir's directory
}

// SimPins are the pins the simulated board uses besides CLK, RX and TX.
type SimPins struct {
	IdlePin    string `json:"idle_pin"`    // a pin (an LED) that shows "nothing in flight"
	IdleBit    int    `json:"idle_bit"`    // its bit, for a bus
	IdleLevel  int    `json:"idle_level"`  // the level that means idle
	ResetPin   string `json:"reset_pin"`   // the reset button, "" = none (reset is a power cycle)
	ResetLevel int    `json:"reset_level"` // the level that resets
	// RGMII are the ports the simulated board drives as an RGMII PHY would: every port that is
	// not a link port.
	RGMII []RGMIIPins `json:"rgmii"`
}

// RGMIIPins name the top's pins of one RGMII port: Pins_RXC, Pins_RXD[3:0], Pins_RX_CTL in,
// Pins_TXC, Pins_TXD[3:0], Pins_TX_CTL out.
type RGMIIPins struct {
	Port int    `json:"port"` // packet port
	Pins string `json:"pins"` // pin name prefix, e.g. ETH0
}

// ErrUnknown is returned for a board name that has no folder.
var ErrUnknown = errors.New("unknown board")

// List returns every board, sorted by name.
func List() ([]*Board, error) {
	ents, err := fs.ReadDir(files, ".")
	if err != nil {
		return nil, err
	}
	var out []*Board
	for _, e := range ents {
		if !e.IsDir() {
			continue
		}
		if _, err := fs.Stat(files, e.Name()+"/board.json"); err != nil {
			continue // common/ and the like
		}
		b, err := load(files, e.Name(), true)
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// Names returns the board names, sorted.
func Names() []string {
	bs, _ := List()
	var n []string
	for _, b := range bs {
		n = append(n, b.Name)
	}
	return n
}

// Get returns the named board.
func Get(name string) (*Board, error) {
	if name == "" || strings.ContainsAny(name, "/.\\") {
		return nil, fmt.Errorf("%w %q (boards: %s)", ErrUnknown, name, strings.Join(Names(), ", "))
	}
	if _, err := fs.Stat(files, name+"/board.json"); err != nil {
		return nil, fmt.Errorf("%w %q (boards: %s)", ErrUnknown, name, strings.Join(Names(), ", "))
	}
	return load(files, name, true)
}

// LoadDir loads the board in root/name/ (board.json; sources in that folder or root/common/)
// from disk: a design of its own through the same flow. Only the structure is checked, not the
// router's parameters.
func LoadDir(root, name string) (*Board, error) {
	return load(os.DirFS(root), name, false)
}

func load(fsys fs.FS, name string, router bool) (*Board, error) {
	p := name + "/board.json"
	raw, err := fs.ReadFile(fsys, p)
	if err != nil {
		return nil, err
	}
	b := &Board{fsys: fsys}
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(b); err != nil {
		return nil, fmt.Errorf("boards/%s: %w", p, err)
	}
	if b.Name != name {
		return nil, fmt.Errorf("boards/%s: name %q differs from the folder", p, b.Name)
	}
	switch b.Family {
	case "ice40", "ecp5":
	default:
		return nil, fmt.Errorf("boards/%s: family %q (want ice40 or ecp5)", p, b.Family)
	}
	if b.Top == "" || len(b.Sources) == 0 || b.Constraints == "" || b.ClockMHz <= 0 {
		return nil, fmt.Errorf("boards/%s: top, sources, constraints and clock_mhz are required", p)
	}
	for _, s := range append(append([]string{b.Constraints}, b.Sources...), simValues(b)...) {
		if _, err := fs.Stat(fsys, b.file(s)); err != nil {
			return nil, fmt.Errorf("boards/%s: %s: no such file", p, s)
		}
	}
	if !router {
		return b, nil
	}
	if b.Sim.IdlePin == "" || b.Baud <= 0 {
		return nil, fmt.Errorf("boards/%s: baud and sim.idle_pin are required", p)
	}
	for _, k := range []string{"N_PORTS", "DATA_WIDTH", "LPM_ENTRIES", "ADJ_ENTRIES", "RADDR_ENTRIES", "MAX_FRAME_BYTES", "CLK_HZ", "UART_DIV"} {
		if _, ok := b.Params[k]; !ok {
			return nil, fmt.Errorf("boards/%s: params.%s is required", p, k)
		}
	}
	if err := b.checkPorts(); err != nil {
		return nil, fmt.Errorf("boards/%s: %w", p, err)
	}
	if hz := float64(b.Params["CLK_HZ"]); hz != b.ClockMHz*1e6 {
		return nil, fmt.Errorf("boards/%s: params.CLK_HZ %.0f differs from clock_mhz %g", p, hz, b.ClockMHz)
	}
	if b.Family == "ice40" {
		// the PLL must make clock_mhz from the 12 MHz oscillator
		r, f, q := b.Params["PLL_DIVR"], b.Params["PLL_DIVF"], b.Params["PLL_DIVQ"]
		if got := 12.0 * float64(f+1) / float64(int64(1)<<q) / float64(r+1); got != b.ClockMHz {
			return nil, fmt.Errorf("boards/%s: the PLL (DIVR %d, DIVF %d, DIVQ %d) makes %g MHz, not clock_mhz %g", p, r, f, q, got, b.ClockMHz)
		}
	}
	return b, nil
}

// checkPorts checks that every packet port is either a link port or an RGMII port of the
// simulated board, and that params.LINK_PORTS (when the top has it) is the same set.
func (b *Board) checkPorts() error {
	n := int(b.Params["N_PORTS"])
	kind := make([]string, n)
	set := func(p int, k string) error {
		if p < 0 || p >= n {
			return fmt.Errorf("%s port %d: the board has ports 0..%d (params.N_PORTS)", k, p, n-1)
		}
		if kind[p] != "" {
			return fmt.Errorf("port %d is listed twice (%s, %s)", p, kind[p], k)
		}
		kind[p] = k
		return nil
	}
	if len(b.LinkPorts) == 0 {
		return errors.New("link_ports is required: the ports carried over the host link (all of them on a board without PHYs)")
	}
	for _, p := range b.LinkPorts {
		if err := set(p, "link_ports"); err != nil {
			return err
		}
		if p >= 32 {
			return fmt.Errorf("link_ports port %d: only ports 0..31 can travel over the link (LINK_PORTS is a 32-bit mask)", p)
		}
	}
	for _, r := range b.Sim.RGMII {
		if r.Pins == "" {
			return fmt.Errorf("sim.rgmii port %d: pins (the pin name prefix) is required", r.Port)
		}
		if err := set(r.Port, "sim.rgmii"); err != nil {
			return err
		}
	}
	for p, k := range kind {
		if k == "" {
			return fmt.Errorf("port %d is neither in link_ports nor in sim.rgmii", p)
		}
	}
	if m, ok := b.Params["LINK_PORTS"]; ok && uint32(m) != b.LinkMask() {
		return fmt.Errorf("params.LINK_PORTS %#x differs from link_ports %v (%#x)", m, b.LinkPorts, b.LinkMask())
	}
	return nil
}

// LinkMask is LinkPorts as a bit mask (bit p: port p travels over the host link).
func (b *Board) LinkMask() uint32 {
	var m uint32
	for _, p := range b.LinkPorts {
		m |= 1 << p
	}
	return m
}

func simValues(b *Board) []string {
	var v []string
	for _, s := range b.SimSources {
		v = append(v, s)
	}
	sort.Strings(v)
	return v
}

// file maps a source name of board.json to its path in the embedded tree.
func (b *Board) file(s string) string {
	if strings.HasPrefix(s, "common/") {
		return s
	}
	return path.Join(b.Name, s)
}

// RepoPath is where a source of board.json lives in the repository.
func (b *Board) RepoPath(s string) string { return path.Join("boards", b.file(s)) }

// ReadFile returns a file of the board (a name as board.json writes it).
func (b *Board) ReadFile(s string) ([]byte, error) { return fs.ReadFile(b.fsys, b.file(s)) }

// ParamNames returns the parameter names, sorted.
func (b *Board) ParamNames() []string {
	var n []string
	for k := range b.Params {
		n = append(n, k)
	}
	sort.Strings(n)
	return n
}

// VerilatorArgs are the -G flags that give a Verilated top the board's parameters.
func (b *Board) VerilatorArgs() []string {
	var a []string
	for _, k := range b.ParamNames() {
		a = append(a, fmt.Sprintf("-G%s=%d", k, b.Params[k]))
	}
	return a
}

// SimFiles lists the board's Verilog for Verilator: Sources with SimSources substituted.
func (b *Board) SimFiles() []string {
	var out []string
	for _, s := range b.Sources {
		if r, ok := b.SimSources[s]; ok {
			s = r
		}
		out = append(out, s)
	}
	return out
}

// Tables are the table sizes the board's build holds.
type Tables struct {
	Ports         int `json:"ports"`
	DataWidth     int `json:"data_width"`
	LPMEntries    int `json:"lpm_entries"`
	AdjEntries    int `json:"adj_entries"`
	RaddrEntries  int `json:"raddr_entries"`
	MaxFrameBytes int `json:"max_frame_bytes"`
}

// Tables returns the board's table sizes.
func (b *Board) Tables() Tables {
	p := b.Params
	return Tables{Ports: int(p["N_PORTS"]), DataWidth: int(p["DATA_WIDTH"]), LPMEntries: int(p["LPM_ENTRIES"]),
		AdjEntries: int(p["ADJ_ENTRIES"]), RaddrEntries: int(p["RADDR_ENTRIES"]), MaxFrameBytes: int(p["MAX_FRAME_BYTES"])}
}
