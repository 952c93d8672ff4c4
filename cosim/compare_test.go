package cosim

import (
	"strings"
	"testing"

	"github.com/linerate/linerate/cosim/model"
	"github.com/linerate/linerate/cosim/traffic"
	"github.com/linerate/linerate/tables"
)

// fakeRTL runs the model and presents its outputs as if the RTL had produced them, so that the
// comparison can be tested on chosen faults without Verilator.
func fakeRTL(t *testing.T, n int) (*Result, *tables.Image) {
	t.Helper()
	im, _, err := tables.Build("../test/configs/demo.conf", tables.SimSizes)
	if err != nil {
		t.Fatal(err)
	}
	in := FromTraffic(traffic.Mix(im, 21, n, traffic.MixOptions{}))
	m := model.New(im, model.Options{})
	res := &Result{Engine: Both, Ports: im.Sizes.Ports, Inputs: in}
	for _, f := range in {
		res.Model = append(res.Model, m.Receive(f.Port, f.Wire))
	}
	c := m.Counters()
	res.ModelCounters = &c
	rc := m.Counters()
	res.RTLCounters = &rc
	res.Counters = &rc
	res.Outputs = modelOutputs(res.Model)
	for i := range res.Outputs {
		res.Outputs[i].Input = -1
		res.Outputs[i].Data = append([]byte(nil), res.Outputs[i].Data...)
	}
	return res, im
}

func TestCompareAgrees(t *testing.T) {
	res, _ := fakeRTL(t, 500)
	compare(res)
	if !res.Agree() {
		t.Fatalf("identical outputs reported as %d mismatches: %v", res.MismatchCount, res.Mismatches)
	}
}

func TestCompareNamesTheField(t *testing.T) {
	res, _ := fakeRTL(t, 500)
	var port, cpu int = -1, -1
	for i, o := range res.Outputs {
		if o.Port != CPU && port < 0 {
			port = i
		}
		if o.Port == CPU && cpu < 0 && i > 0 {
			cpu = i
		}
	}
	res.Outputs[port].Data[22]++ // TTL
	res.Outputs[cpu].Data[5]++   // punt reason
	res.RTLCounters.Reason[0]++
	compare(res)
	var got []string
	for _, m := range res.Mismatches {
		got = append(got, m.Stage+"/"+m.Field)
		if m.Input >= 0 && (m.Model == "" || m.RTL == "") {
			t.Errorf("mismatch without decodes: %v", m)
		}
	}
	all := strings.Join(got, " ")
	for _, want := range []string{"rewrite/IPv4 TTL", "decide/punt reason", "counters/reason.forward"} {
		if !strings.Contains(all, want) {
			t.Errorf("want a mismatch %q, got %s", want, all)
		}
	}
}

func TestCompareMissingAndSequence(t *testing.T) {
	res, _ := fakeRTL(t, 500)
	// drop the second CPU frame: the sequence then has a gap and a frame is missing
	n := 0
	for i, o := range res.Outputs {
		if o.Port == CPU {
			n++
			if n == 2 {
				res.Outputs = append(res.Outputs[:i], res.Outputs[i+1:]...)
				break
			}
		}
	}
	compare(res)
	all := ""
	for _, m := range res.Mismatches {
		all += m.Stage + "/" + m.Field + " "
	}
	if !strings.Contains(all, "cpu_mux/seq") || !strings.Contains(all, "missing frame") {
		t.Fatalf("got %s", all)
	}
}
