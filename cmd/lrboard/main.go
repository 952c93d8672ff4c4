// Command lrboard serves the Makefile's board targets:
//
//	lrboard sim NAME    Verilate boards/NAME's top into build/boardsim (make boardsim), which
//	                    `go test -tags verilator,boardsim` links
//	lrboard files NAME  print the board's files for the linters (make lint-boards), a line each:
//	                    "top MODULE", "sim VERILATOR-ARGS FILES", "synth FILES", "lib YOSYS-CELLS"
package main

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/linerate/linerate/boards"
	"github.com/linerate/linerate/rtl"
)

func main() {
	if len(os.Args) != 3 || (os.Args[1] != "sim" && os.Args[1] != "files") {
		fmt.Fprintln(os.Stderr, "usage: lrboard sim|files BOARD")
		os.Exit(2)
	}
	b, err := boards.Get(os.Args[2])
	if err != nil {
		fmt.Fprintln(os.Stderr, "lrboard:", err)
		os.Exit(2)
	}
	if os.Args[1] == "files" {
		files(b)
		return
	}
	err = boards.SimBuild(context.Background(), b, boards.SimBuildOptions{
		Shim: "cosim/vboard/csrc", Include: []string{"cosim/csrc"}, Progress: os.Stderr})
	if err != nil {
		fmt.Fprintln(os.Stderr, "lrboard:", err)
		os.Exit(1)
	}
}

func files(b *boards.Board) {
	var core []string
	for _, s := range rtl.Sources() {
		core = append(core, "rtl/"+s)
	}
	repo := func(list []string) []string {
		var out []string
		for _, s := range list {
			out = append(out, b.RepoPath(s))
		}
		return out
	}
	fmt.Printf("top %s\n", b.Top)
	fmt.Printf("sim --top-module %s %s %s %s\n", b.Top, strings.Join(b.VerilatorArgs(), " "),
		strings.Join(core, " "), strings.Join(repo(b.SimFiles()), " "))
	fmt.Printf("synth %s %s\n", strings.Join(core, " "), strings.Join(repo(b.Sources), " "))
}
