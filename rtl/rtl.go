// Package rtl carries the data plane's Verilog sources, embedded, so that a tool built from this
// module (linerate build) synthesises exactly the RTL it was built with, from any directory.
package rtl

import (
	"embed"
	"io/fs"
	"sort"
	"strings"
)

// FS holds rtl/<dir>/*.v and *.vh: lib, csr, core, serial, link, top, eth (the Ethernet MACs of
// the boards with PHYs).
//
//go:embed lib/*.v csr/*.v core/*.v core/*.vh serial/*.v link/*.v link/*.vh top/*.v eth/*.v
var FS embed.FS

// Dirs are the source directories in dependency order; each is also an include directory.
var Dirs = []string{"lib", "csr", "core", "serial", "link", "top", "eth"}

// Sources lists the Verilog files (not headers) of the router top and everything below it, as
// paths inside FS, sorted per directory.
func Sources() []string {
	var out []string
	for _, d := range Dirs {
		ents, err := fs.ReadDir(FS, d)
		if err != nil {
			continue
		}
		var names []string
		for _, e := range ents {
			if strings.HasSuffix(e.Name(), ".v") {
				names = append(names, d+"/"+e.Name())
			}
		}
		sort.Strings(names)
		out = append(out, names...)
	}
	return out
}
