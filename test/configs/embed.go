// Package configs holds the bundled router configurations: demo.conf is what `linerate demo`
// and `make demo` run; the others serve tests.
package configs

import "embed"

// FS holds every *.conf file of this directory.
//
//go:embed *.conf
var FS embed.FS
