// Package cli implements the linerate command line. Each command has an options struct and a
// run function that tests call without a process; output goes to the writers they are given.
package cli

import (
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/linerate/linerate/tables"
)

// Exit statuses (ARCHITECTURE 3.6).
const (
	ExitOK       = 0
	ExitNegative = 1 // mismatch, difference, timing failed
	ExitUsage    = 2 // usage or input error
)

// exitError carries an exit status through cobra.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// inputErr marks an error as bad input (exit 2).
func inputErr(err error) error { return &exitError{ExitUsage, err} }

// negative marks a negative result (exit 1).
func negative(format string, a ...any) error {
	return &exitError{ExitNegative, fmt.Errorf(format, a...)}
}

// Main runs the CLI and returns the process exit status.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	root := NewRoot(stdin, stdout, stderr)
	root.SetArgs(args)
	err := root.Execute()
	if err == nil {
		return ExitOK
	}
	fmt.Fprintln(stderr, "linerate:", err)
	var ee *exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	// cobra's own flag and argument errors are usage errors.
	return ExitUsage
}

// NewRoot builds the command tree.
func NewRoot(stdin io.Reader, stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:   "linerate",
		Short: "FPGA router data plane: RTL, golden model, co-simulation",
		Long: `linerate is an open FPGA data-plane co-design toolkit: a router fast path in Verilog, the
same fast path as a Go golden model, and a Verilator co-simulation that compares them packet by
packet.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.AddCommand(newCosimCmd(), newDemoCmd(), newTraceCmd(), newFibCmd(), newSimCmd(), newInfoCmd(),
		newCountersCmd(), newPuntCmd(), newInjectCmd(), newRouterCmd(), newFlashCmd(), newBoardsCmd(), newBuildCmd())
	return root
}

// loadConfig compiles a configuration file for the simulation build's table sizes.
func loadConfig(path string) (*tables.Image, *tables.Config, error) {
	if path == "" {
		return nil, nil, inputErr(errors.New("--config is required"))
	}
	im, cfg, err := tables.Build(path, tables.SimSizes)
	if err != nil {
		return nil, nil, inputErr(err)
	}
	return im, cfg, nil
}
