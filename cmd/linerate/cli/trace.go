package cli

import (
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/linerate/linerate/cosim"
	"github.com/linerate/linerate/cosim/model"
	"github.com/linerate/linerate/cosim/pcapio"
)

// TraceOptions are the options of `linerate trace`.
type TraceOptions struct {
	Config string
	Port   int
	Hex    string
	Pcap   string
	Index  int
}

func newTraceCmd() *cobra.Command {
	o := &TraceOptions{}
	c := &cobra.Command{
		Use:   "trace --config C --port N (--hex FRAME | --pcap FILE [--index I])",
		Short: "Print a frame's path through the pipeline stages (golden model)",
		Long: `trace sends one frame (Ethernet, without FCS; the FCS is added) into the golden model on the
given port and prints what each stage did: FCS check, parser, checks, LPM, adjacency, decision,
rewrite, and the frame that leaves.`,
		Example: `  linerate trace --config test/configs/demo.conf --port 0 --pcap build/demo/in/port0.pcap --index 0
  linerate trace --config test/configs/demo.conf --port 1 --hex 020000000011...`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return RunTrace(o, cmd.OutOrStdout()) },
	}
	f := c.Flags()
	f.StringVar(&o.Config, "config", "", "router configuration")
	f.IntVar(&o.Port, "port", 0, "ingress port")
	f.StringVar(&o.Hex, "hex", "", "the frame in hex (no FCS)")
	f.StringVar(&o.Pcap, "pcap", "", "read the frame from this capture")
	f.IntVar(&o.Index, "index", 0, "frame index in --pcap")
	return c
}

// RunTrace is `linerate trace`.
func RunTrace(o *TraceOptions, w io.Writer) error {
	im, _, err := loadConfig(o.Config)
	if err != nil {
		return err
	}
	if o.Port < 0 || o.Port >= im.Sizes.Ports {
		return inputErr(fmt.Errorf("--port %d: the router has ports 0..%d", o.Port, im.Sizes.Ports-1))
	}
	var frame []byte
	switch {
	case o.Hex != "":
		frame, err = hex.DecodeString(strings.NewReplacer(" ", "", ":", "", "\n", "").Replace(o.Hex))
		if err != nil {
			return inputErr(fmt.Errorf("--hex: %w", err))
		}
	case o.Pcap != "":
		pkts, err := pcapio.ReadPcap(o.Pcap)
		if err != nil {
			return inputErr(err)
		}
		if o.Index < 0 || o.Index >= len(pkts) {
			return inputErr(fmt.Errorf("--index %d: %s has %d frames", o.Index, o.Pcap, len(pkts)))
		}
		frame = pkts[o.Index].Data
	default:
		return inputErr(errors.New("give the frame with --hex or --pcap"))
	}
	m := model.New(im, model.Options{Trace: true})
	r := m.Receive(o.Port, model.AppendFCS(append([]byte(nil), frame...)))
	fmt.Fprintf(w, "in  port %d: %s\n", o.Port, cosim.DescribeFrame(frame))
	for _, s := range r.Trace {
		fmt.Fprintf(w, "  %-12s %s\n", s.Stage, s.Note)
	}
	switch {
	case r.ToCPU:
		fmt.Fprintf(w, "out cpu: %s\n", cosim.Describe(r.Out, true))
	case r.Out != nil:
		fmt.Fprintf(w, "out port %d: %s\n", r.OutPort, cosim.Describe(r.Out, false))
	default:
		fmt.Fprintf(w, "dropped: %s\n", r.Reason)
	}
	return nil
}
