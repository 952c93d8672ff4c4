package boards

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
)

// ControlSets counts the flip-flops' control sets in a synthesised netlist: the distinct
// combinations of clock, clock enable and set/reset nets. Flip-flops that share a slice (ECP5) or
// a logic block (iCE40) must share these, so thousands of sets of one or two flip-flops each
// leave the placer unable to legalise (nextpnr spins in its first iteration, at any seed). That
// is what a reset inverted per flip-flop looks like; the count is the cue.
type ControlSets struct {
	Sets  int `json:"sets"`  // distinct control sets
	Small int `json:"small"` // sets of at most two flip-flops
	FF    int `json:"ff"`    // flip-flops counted
}

// Crowded reports whether the small sets are many enough to trouble the placer: more than 200
// and more than a tenth of the flip-flops. The Colorlight build that never placed had 2,312 sets
// for 7,700 flip-flops, nearly all of one flip-flop; after the fix it had 160.
func (c ControlSets) Crowded() bool { return c.Small > 200 && c.Small*10 > c.FF }

// ffControlPorts lists each flip-flop family's control pins: clock, enable, set/reset.
func ffControlPorts(typ string) []string {
	switch {
	case typ == "TRELLIS_FF":
		return []string{"CLK", "CE", "LSR"}
	case strings.HasPrefix(typ, "SB_DFF"):
		return []string{"C", "E", "R", "S"}
	}
	return nil
}

// readControlSets counts the control sets of module top in yosys' JSON netlist.
func readControlSets(path, top string) (ControlSets, error) {
	f, err := os.Open(path)
	if err != nil {
		return ControlSets{}, err
	}
	defer f.Close()
	var nl struct {
		Modules map[string]struct {
			Cells map[string]struct {
				Type        string                     `json:"type"`
				Connections map[string]json.RawMessage `json:"connections"`
			} `json:"cells"`
		} `json:"modules"`
	}
	if err := json.NewDecoder(f).Decode(&nl); err != nil {
		return ControlSets{}, fmt.Errorf("%s: %w", path, err)
	}
	m, ok := nl.Modules[top]
	if !ok {
		return ControlSets{}, fmt.Errorf("%s: no module %s", path, top)
	}
	sets := map[string]int{}
	var cs ControlSets
	for _, c := range m.Cells {
		ports := ffControlPorts(c.Type)
		if ports == nil {
			continue
		}
		cs.FF++
		// the cell type is part of the key: it fixes each pin's polarity and set or reset
		key := c.Type
		for _, p := range ports {
			key += "|" + p + "=" + string(c.Connections[p])
		}
		sets[key]++
	}
	cs.Sets = len(sets)
	for _, n := range sets {
		if n <= 2 {
			cs.Small++
		}
	}
	return cs, nil
}
