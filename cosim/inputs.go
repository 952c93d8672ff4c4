package cosim

import (
	"github.com/linerate/linerate/cosim/model"
	"github.com/linerate/linerate/cosim/traffic"
)

// FromTraffic turns generated frames into inputs: the FCS is appended, and corrupted for frames
// generated as bad_fcs.
func FromTraffic(frames []traffic.Frame) []Input {
	in := make([]Input, len(frames))
	for i, f := range frames {
		w := model.AppendFCS(append(make([]byte, 0, len(f.Data)+4), f.Data...))
		if f.BadFCS {
			w[len(w)-1] ^= 0x5a
		}
		in[i] = Input{Port: f.Port, Wire: w, Label: f.Kind}
	}
	return in
}
