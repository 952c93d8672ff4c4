package punt

import (
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestRTLReasonCodes keeps rtl/core/lr_defs.vh and the Go reason codes in step: every reason has
// an R_<NAME> localparam with the same code, and the RTL has no code the Go side lacks.
func TestRTLReasonCodes(t *testing.T) {
	src, err := os.ReadFile("../../rtl/core/lr_defs.vh")
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`localparam \[4:0\] R_([A-Z0-9_]+)\s*=\s*5'd(\d+);`)
	rtl := map[string]int{}
	for _, m := range re.FindAllStringSubmatch(string(src), -1) {
		v, _ := strconv.Atoi(m[2])
		rtl[m[1]] = v
	}
	for _, r := range Reasons() {
		name := strings.ToUpper(r.String())
		v, ok := rtl[name]
		if !ok {
			t.Errorf("lr_defs.vh has no R_%s", name)
		} else if v != int(r) {
			t.Errorf("R_%s = %d in the RTL, %d in Go", name, v, r)
		}
		delete(rtl, name)
	}
	delete(rtl, "FIRST_DROP")
	if v, ok := rtl["FIRST_DROP"]; ok && v != int(BadFCS) {
		t.Errorf("R_FIRST_DROP = %d, want %d", v, BadFCS)
	}
	for name := range rtl {
		t.Errorf("lr_defs.vh defines R_%s, unknown to Go", name)
	}
}
