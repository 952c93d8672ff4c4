package cli

import (
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/linerate/linerate/cosim"
	"github.com/linerate/linerate/hostdrv/punt"
)

// printSummary prints a readable account of a run: frames per port, counters by reason, a few
// punted frames decoded, and whether RTL and model agreed.
func printSummary(w io.Writer, r *cosim.Result, showPunts int) {
	fmt.Fprintf(w, "engine %s: %d frames in\n\n", r.Engine, len(r.Inputs))
	if c := r.Counters; c != nil {
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "port\trx frames\trx bytes\ttx frames\ttx bytes\t")
		for p := range c.RxFrames {
			fmt.Fprintf(tw, "%d\t%d\t%d\t%d\t%d\t\n", p, c.RxFrames[p], c.RxBytes[p], c.TxFrames[p], c.TxBytes[p])
		}
		fmt.Fprintf(tw, "cpu\t%d\t%d\t%d\t%d\t\n", c.InjectFrames, 0, c.CPUFrames, c.CPUBytes)
		tw.Flush()
		fmt.Fprintln(w)
		for _, class := range []struct {
			name string
			ok   func(punt.Reason) bool
		}{
			{"forwarded", func(r punt.Reason) bool { return r == punt.Forward }},
			{"punted", punt.Reason.IsPunt},
			{"dropped", punt.Reason.IsDrop},
		} {
			fmt.Fprintf(w, "%-10s", class.name)
			total := uint32(0)
			for _, rs := range punt.Reasons() {
				if class.ok(rs) && c.Reason[rs] > 0 {
					total += c.Reason[rs]
					if rs != punt.Forward {
						fmt.Fprintf(w, " %s=%d", rs, c.Reason[rs])
					}
				}
			}
			fmt.Fprintf(w, "  (total %d)\n", total)
		}
	}
	if showPunts > 0 {
		n := 0
		for _, o := range r.Outputs {
			if o.Port != cosim.CPU {
				continue
			}
			if n == 0 {
				fmt.Fprintln(w, "\npunted frames (first of each reason):")
			}
			if n >= showPunts {
				break
			}
			if !firstOfReason(r, o) {
				continue
			}
			fmt.Fprintf(w, "  %s\n", cosim.Describe(o.Data, true))
			n++
		}
	}
	fmt.Fprintln(w)
	switch {
	case r.Engine != cosim.Both:
		fmt.Fprintf(w, "ran the %s only: nothing compared\n", r.Engine)
	case r.Agree():
		fmt.Fprintf(w, "RTL and model AGREE on every frame, punt header and counter (%d RTL clocks)\n", r.Cycles)
	default:
		fmt.Fprintf(w, "RTL and model DIFFER: %d mismatches; the first:\n", r.MismatchCount)
		for i, m := range r.Mismatches {
			if i == 5 {
				break
			}
			fmt.Fprintf(w, "- %s\n", m)
		}
	}
}

// firstOfReason reports whether o is the first CPU frame with its punt reason.
func firstOfReason(r *cosim.Result, o cosim.Output) bool {
	if len(o.Data) < punt.HeaderLen {
		return false
	}
	for _, x := range r.Outputs {
		if x.Port == cosim.CPU && len(x.Data) >= punt.HeaderLen && x.Data[5] == o.Data[5] {
			return &x.Data[0] == &o.Data[0]
		}
	}
	return false
}
