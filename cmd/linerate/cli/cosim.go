package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/linerate/linerate/cosim"
)

// CosimOptions are the options of `linerate cosim`.
type CosimOptions struct {
	Config      string
	In, Out     string
	Engine      string
	Seed        uint64
	InStallPct  int
	OutStallPct int
	Wave        string
	Frames      string // comma-separated input indexes (after the merge by timestamp) to run alone
}

func newCosimCmd() *cobra.Command {
	o := &CosimOptions{}
	c := &cobra.Command{
		Use:   "cosim --config C --in DIR --out DIR",
		Short: "Run pcaps through the RTL and the golden model and compare them",
		Long: `cosim reads DIR/portN.pcap (frames arriving on port N, Ethernet without FCS, merged by
timestamp), sends them through the Verilated pipeline and the Go golden model loaded with the
tables compiled from the configuration, and compares every output frame, punt header and
counter. It writes OUT/portN.pcap, OUT/cpu.pcapng (punted frames, reason in the packet comment)
and OUT/report.json.

Exit status: 0 when RTL and model agree, 1 when they differ, 2 on bad input.`,
		Example: `  linerate cosim --config test/configs/demo.conf --in captures/ --out results/
  linerate cosim --config router.conf --in in/ --out out/ --engine model
  # re-run two failing frames with a waveform:
  linerate cosim --config router.conf --in in/ --out out/ --frames 17,18 --wave fail.fst`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return RunCosim(o, cmd.OutOrStdout())
		},
	}
	f := c.Flags()
	f.StringVar(&o.Config, "config", "", "router configuration (iproute2 batch subset)")
	f.StringVar(&o.In, "in", "", "directory with portN.pcap input captures")
	f.StringVar(&o.Out, "out", "", "directory for outputs")
	f.StringVar(&o.Engine, "engine", "both", "both, rtl or model")
	f.Uint64Var(&o.Seed, "seed", 1, "seed of the RTL stall pattern")
	f.IntVar(&o.InStallPct, "in-stall", 0, "percent of clocks an RTL input pauses (tvalid low)")
	f.IntVar(&o.OutStallPct, "out-stall", 0, "percent of clocks an RTL output stalls (tready low)")
	f.StringVar(&o.Wave, "wave", "", "write an FST waveform of the RTL run to this file")
	f.StringVar(&o.Frames, "frames", "", "run only these input frames (indexes, comma separated)")
	return c
}

// RunCosim is `linerate cosim`.
func RunCosim(o *CosimOptions, w io.Writer) error {
	eng, err := cosim.ParseEngine(o.Engine)
	if err != nil {
		return inputErr(err)
	}
	if o.In == "" || o.Out == "" {
		return inputErr(errors.New("--in and --out are required"))
	}
	if o.InStallPct < 0 || o.InStallPct > 99 || o.OutStallPct < 0 || o.OutStallPct > 99 {
		return inputErr(errors.New("--in-stall and --out-stall are percentages 0..99"))
	}
	im, _, err := loadConfig(o.Config)
	if err != nil {
		return err
	}
	in, err := cosim.ReadInputs(o.In, im.Sizes.Ports)
	if err != nil {
		return inputErr(err)
	}
	if o.Frames != "" {
		in, err = selectFrames(in, o.Frames)
		if err != nil {
			return inputErr(err)
		}
	}
	res, err := cosim.Run(im, in, cosim.Options{Engine: eng, Seed: o.Seed, InStallPct: o.InStallPct,
		OutStallPct: o.OutStallPct, WavePath: o.Wave})
	if errors.Is(err, cosim.ErrHang) {
		return &exitError{ExitNegative, err}
	}
	if err != nil {
		return err
	}
	if err := cosim.WriteOutputs(o.Out, res, map[string]any{"config": o.Config, "seed": o.Seed}); err != nil {
		return err
	}
	printSummary(w, res, 3)
	if !res.Agree() {
		fmt.Fprintf(w, "\nreproduce one frame with a waveform:\n  linerate cosim --config %s --in %s --out %s --engine both --seed %d --in-stall %d --out-stall %d --frames %d --wave mismatch.fst\n",
			o.Config, o.In, o.Out, o.Seed, o.InStallPct, o.OutStallPct, firstInput(res))
		return negative("RTL and model differ: %d mismatches (see %s/report.json)", res.MismatchCount, o.Out)
	}
	return nil
}

func firstInput(r *cosim.Result) int {
	for _, m := range r.Mismatches {
		if m.Input >= 0 {
			return m.Input
		}
	}
	return 0
}

func selectFrames(in []cosim.Input, list string) ([]cosim.Input, error) {
	var out []cosim.Input
	for _, s := range strings.Split(list, ",") {
		i, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || i < 0 || i >= len(in) {
			return nil, fmt.Errorf("--frames: %q is not a frame index (0..%d)", s, len(in)-1)
		}
		out = append(out, in[i])
	}
	return out, nil
}

// exists reports whether a path exists.
func exists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}
