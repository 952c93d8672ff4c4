package configs

import (
	"strings"
	"testing"

	"github.com/linerate/linerate/tables"
)

func TestLargeConfigsCompile(t *testing.T) {
	sizes := tables.Sizes{Ports: 4, LPM: 4096, Adj: 256, RAddr: 16}
	for v := 0; v < 4; v++ {
		text := Large(1200, v)
		c, err := tables.ParseConfig("large.conf", strings.NewReader(text), sizes)
		if err != nil {
			t.Fatalf("variant %d: %v", v, err)
		}
		if _, err := tables.Compile(c, sizes); err != nil {
			t.Fatalf("variant %d: %v", v, err)
		}
		if got := strings.Count(text, "\nroute add "); got < 1000 {
			t.Fatalf("variant %d: %d routes", v, got)
		}
	}
	if Large(1200, 1) == Large(1200, 0) || Large(1200, 2) != Large(1200, 2) {
		t.Fatal("variants are not distinct and deterministic")
	}
}

func TestLargeConfFileCurrent(t *testing.T) {
	b, err := FS.ReadFile("large.conf")
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != Large(1200, 0) {
		t.Fatal("large.conf is not Large(1200, 0): regenerate it with a two-line program that prints Large(1200, 0)")
	}
}

// TestThreePortFitsColorlight: half the Colorlight's tables (64 LPM entries, 64 adjacencies, 8
// router addresses) hold ThreePort with the board suites' route count: the other half is room
// for make-before-break.
func TestThreePortFitsColorlight(t *testing.T) {
	sizes := tables.Sizes{Ports: 3, LPM: 32, Adj: 32, RAddr: 8}
	for v := 0; v < 3; v++ {
		c, err := tables.ParseConfig("three.conf", strings.NewReader(ThreePort(12, v)), sizes)
		if err != nil {
			t.Fatalf("variant %d: %v", v, err)
		}
		if _, err := tables.Compile(c, sizes); err != nil {
			t.Fatalf("variant %d: %v", v, err)
		}
	}
}
