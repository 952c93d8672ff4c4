//go:build linux

package linuxdiff

import (
	"testing"

	"github.com/linerate/linerate/cosim/model"
	"github.com/linerate/linerate/cosim/traffic"
	"github.com/linerate/linerate/hostdrv/punt"
	"github.com/linerate/linerate/tables"
)

func TestTag(t *testing.T) {
	im, _, err := tables.Build("../configs/demo.conf", tables.SimSizes)
	if err != nil {
		t.Fatal(err)
	}
	m := model.New(im, model.Options{})
	frames := traffic.Mix(im, 5, 3000, traffic.MixOptions{})
	for i, f := range frames {
		if f.BadFCS {
			continue
		}
		d := append([]byte(nil), f.Data...)
		before := m.Receive(f.Port, model.AppendFCS(append([]byte(nil), d...))).Reason
		tagged := Tag(d, uint16(i*7919))
		after := m.Receive(f.Port, model.AppendFCS(append([]byte(nil), d...))).Reason
		if before != after {
			t.Errorf("frame %d (%s): decided %s before tagging, %s after", i, f.Kind, before, after)
		}
		if _, ok := l3Offset(d); ok != tagged {
			t.Errorf("frame %d (%s): Tag returned %v for a frame with IPv4 %v", i, f.Kind, tagged, ok)
		}
	}
}

// TestJudgeTables checks the tables: every reason that decides a frame of valid traffic has
// an entry, no reason is in both tables, and forward in neither.
func TestJudgeTables(t *testing.T) {
	for r := range SlowPath {
		if _, ok := NotForwarded[r]; ok {
			t.Errorf("%s is in both tables", r)
		}
	}
	if _, ok := NotForwarded[punt.Forward]; ok {
		t.Error("forward is in NotForwarded")
	}
	for _, k := range traffic.Kinds() {
		r, err := punt.ParseReason(k)
		if err != nil {
			t.Fatal(err)
		}
		switch r {
		case punt.Forward, punt.BadFCS, punt.Runt, punt.Giant: // cannot cross a veth as such
			continue
		}
		_, nf := NotForwarded[r]
		_, sp := SlowPath[r]
		if !nf && !sp {
			t.Errorf("reason %s has no entry", r)
		}
	}
}
