//go:build !verilator

package vboard

import (
	"errors"
	"testing"
)

func TestNotBuilt(t *testing.T) {
	if Available {
		t.Fatal("Available in a build without the verilator tag")
	}
	if _, err := New(Options{}); !errors.Is(err, ErrNotBuilt) {
		t.Fatalf("New: %v, want ErrNotBuilt", err)
	}
}
