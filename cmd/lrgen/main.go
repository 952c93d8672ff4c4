// Command lrgen writes the files generated from hostdrv/regspec: the Verilog register block,
// the Go register constants and the Markdown register reference. `make gen` runs it from the
// repository root; CI runs it and fails when the committed files differ.
package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/linerate/linerate/hostdrv/regspec"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "lrgen:", err)
		os.Exit(1)
	}
}

func run() error {
	goSrc, err := regspec.Go()
	if err != nil {
		return fmt.Errorf("format generated Go: %w", err)
	}
	files := map[string][]byte{
		"rtl/csr/lr_csr.v":             regspec.Verilog(),
		"hostdrv/regmap/regmap_gen.go": goSrc,
		"rtl/csr/registers.md":         regspec.Markdown(),
		"rtl/link/lr_link_regs.vh":     regspec.LinkVerilog(),
	}
	for path, data := range files {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(path, data, 0o644); err != nil {
			return err
		}
	}
	return nil
}
