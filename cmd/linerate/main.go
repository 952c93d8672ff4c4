// Command linerate is the one CLI of the linerate toolkit; everything lives in package cli.
package main

import (
	"os"

	"github.com/linerate/linerate/cmd/linerate/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
