package regspec

import (
	"bytes"
	"os"
	"testing"
)

// TestGeneratedFilesCurrent fails when the committed generated files differ from what the spec
// generates now (run `make gen`).
func TestGeneratedFilesCurrent(t *testing.T) {
	goSrc, err := Go()
	if err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string][]byte{
		"../../rtl/csr/lr_csr.v":             Verilog(),
		"../../hostdrv/regmap/regmap_gen.go": goSrc,
		"../../rtl/csr/registers.md":         Markdown(),
		"../../rtl/link/lr_link_regs.vh":     LinkVerilog(),
	} {
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s is stale: run make gen", path)
		}
	}
}

func TestMapHasNoOverlaps(t *testing.T) {
	seen := map[uint16]string{}
	add := func(a uint16, name string) {
		if other, ok := seen[a]; ok {
			t.Errorf("0x%04x used by %s and %s", a, other, name)
		}
		seen[a] = name
	}
	for _, r := range Regs {
		add(r.Addr, r.Name)
	}
	for _, tb := range Tables {
		add(tb.Base+TableIndexOff, tb.Name+".INDEX")
		add(tb.Base+TableCmdOff, tb.Name+".CMD")
		for k, f := range tb.Fields {
			if f.Width > 32 || f.Width < 1 {
				t.Errorf("%s.%s is %d bits", tb.Name, f.Name, f.Width)
			}
			add(tb.Base+TableDataOff+uint16(4*k), tb.Name+"."+f.Name)
		}
	}
	if CounterBase&(CounterBase-1) != 0 {
		t.Errorf("COUNTER_BASE 0x%04x is not a power of two (lr_csr decodes the word index below it)", CounterBase)
	}
	for a := range seen {
		if a >= CounterBase {
			t.Errorf("0x%04x collides with the counters", a)
		}
		if a%4 != 0 {
			t.Errorf("0x%04x is not a word address", a)
		}
	}
}
