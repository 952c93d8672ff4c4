package cli

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/linerate/linerate/cosim"
	"github.com/linerate/linerate/cosim/traffic"
	"github.com/linerate/linerate/hostdrv/punt"
	"github.com/linerate/linerate/tables"
	"github.com/linerate/linerate/test/configs"
)

// DemoOptions are the options of `linerate demo`.
type DemoOptions struct {
	Config string // "" = the bundled demo.conf
	Out    string
	Frames int
	Seed   uint64
	Engine string
}

func newDemoCmd() *cobra.Command {
	o := &DemoOptions{}
	c := &cobra.Command{
		Use:   "demo",
		Short: "Run the bundled 4-port router on generated traffic through RTL and model",
		Long: `demo compiles the bundled 4-port router (test/configs/demo.conf: nested routes, a default
route, a blackhole, connected subnets, neighbours with one missing), generates traffic that
exercises every forwarding path, punt reason and drop reason, sends it through the Verilated
pipeline and the golden model at once, and prints frames per port, counters by reason, a few
punted frames decoded, and whether RTL and model agreed. The input and output pcaps and
report.json land in --out.`,
		Example: `  linerate demo
  linerate demo --out /tmp/demo --frames 20000 --seed 7`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return RunDemo(o, cmd.OutOrStdout()) },
	}
	f := c.Flags()
	f.StringVar(&o.Config, "config", "", "router configuration (default: the bundled demo.conf)")
	f.StringVar(&o.Out, "out", "build/demo", "directory for the input and output captures and report.json")
	f.IntVar(&o.Frames, "frames", 5000, "number of mixed frames to generate (plus back-to-back bursts)")
	f.Uint64Var(&o.Seed, "seed", 1, "traffic and stall seed")
	f.StringVar(&o.Engine, "engine", "both", "both, rtl or model")
	return c
}

// RunDemo is `linerate demo`.
func RunDemo(o *DemoOptions, w io.Writer) error {
	eng, err := cosim.ParseEngine(o.Engine)
	if err != nil {
		return inputErr(err)
	}
	path := o.Config
	if path == "" {
		data, err := configs.FS.ReadFile("demo.conf")
		if err != nil {
			return err
		}
		if err := os.MkdirAll(o.Out, 0o755); err != nil {
			return err
		}
		path = filepath.Join(o.Out, "demo.conf")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			return err
		}
	}
	im, cfg, err := tables.Build(path, tables.SimSizes)
	if err != nil {
		return inputErr(err)
	}
	fmt.Fprintf(w, "router %s: %d ports, %d routes in the TCAM, %d adjacency rows, %d router addresses\n",
		path, im.Sizes.Ports, countLPM(im), countAdj(cfg, im), countRAddr(im))

	frames := traffic.Mix(im, o.Seed, o.Frames, traffic.MixOptions{})
	frames = append(frames, traffic.BackToBack(im, 64, 60)...)
	in := cosim.FromTraffic(frames)
	if err := cosim.WriteInputs(filepath.Join(o.Out, "in"), in, im.Sizes.Ports); err != nil {
		return err
	}
	t0 := time.Now()
	res, err := cosim.Run(im, in, cosim.Options{Engine: eng, Seed: o.Seed, InStallPct: 10, OutStallPct: 10})
	if err != nil {
		return err
	}
	el := time.Since(t0)
	if err := cosim.WriteOutputs(filepath.Join(o.Out, "out"), res, map[string]any{"config": path, "seed": o.Seed}); err != nil {
		return err
	}
	printSummary(w, res, 12)
	fmt.Fprintf(w, "%.0f frames/s co-simulated; captures and report in %s/out (inputs in %s/in)\n",
		float64(len(in))/el.Seconds(), o.Out, o.Out)

	// With a default route nothing misses the LPM: withdraw it and show no_route too.
	im2, err := tables.Compile(cfg.WithoutDefault(), tables.SimSizes)
	if err != nil {
		return err
	}
	in2 := cosim.FromTraffic(traffic.Mix(im2, o.Seed, 200, traffic.MixOptions{Weights: map[string]int{"no_route": 3, "forward": 1}}))
	res2, err := cosim.Run(im2, in2, cosim.Options{Engine: eng, Seed: o.Seed})
	if err != nil {
		return err
	}
	if err := cosim.WriteOutputs(filepath.Join(o.Out, "out-nodefault"), res2, map[string]any{"config": path + " without the default route"}); err != nil {
		return err
	}
	fmt.Fprintf(w, "\ndefault route withdrawn: %d frames, forward=%d no_route=%d, ", len(in2),
		res2.Counters.Reason[punt.Forward], res2.Counters.Reason[punt.NoRoute])
	switch {
	case eng != cosim.Both:
		fmt.Fprintln(w, "nothing compared")
	case res2.Agree():
		fmt.Fprintln(w, "RTL and model AGREE")
	default:
		fmt.Fprintf(w, "RTL and model DIFFER (%d mismatches, see %s/out-nodefault/report.json)\n", res2.MismatchCount, o.Out)
	}
	if !res.Agree() || !res2.Agree() {
		return negative("RTL and model differ: %d mismatches", res.MismatchCount+res2.MismatchCount)
	}
	return nil
}

func countLPM(im *tables.Image) int {
	n := 0
	for _, e := range im.LPM {
		if e.Valid {
			n++
		}
	}
	return n
}

func countRAddr(im *tables.Image) int {
	n := 0
	for _, e := range im.RAddr {
		if e.Valid {
			n++
		}
	}
	return n
}

func countAdj(_ *tables.Config, im *tables.Image) int {
	used := map[uint16]bool{}
	for _, e := range im.LPM {
		if e.Valid {
			used[e.Adj] = true
		}
	}
	return len(used)
}
