package flash

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"sort"
	"strings"
)

// openFPGALoaderBoards maps the board names linerate uses (and openFPGALoader's own names for
// the same boards) to openFPGALoader's -b names. Both iCE40 boards are its "ice40_generic":
// an FT2232H channel A with the iceprog wiring. Its "colorlight" is the 5A-75B (version 7),
// whose JTAG needs an external cable.
var openFPGALoaderBoards = map[string]string{
	"icebreaker":        "ice40_generic",
	"hx8k":              "ice40_generic",
	"ice40-hx8k":        "ice40_generic",
	"ice40_generic":     "ice40_generic",
	"colorlight-5a-75b": "colorlight",
	"colorlight":        "colorlight",
}

// openFPGALoaderTool is the program OpenFPGALoader runs (a variable for tests).
var openFPGALoaderTool = "openFPGALoader"

// openFPGALoaderArgs gives openFPGALoader's arguments: -b BOARD, then -f to write the flash
// (without it openFPGALoader loads the FPGA's SRAM), then the bitstream.
func openFPGALoaderArgs(board, bitstream string, sram bool) ([]string, error) {
	b, ok := openFPGALoaderBoards[board]
	if !ok {
		names := make([]string, 0, len(openFPGALoaderBoards))
		for n := range openFPGALoaderBoards {
			names = append(names, n)
		}
		sort.Strings(names)
		return nil, fmt.Errorf("openFPGALoader: unknown board %q (known: %s)", board, strings.Join(names, ", "))
	}
	if bitstream == "" {
		return nil, errors.New("openFPGALoader: no bitstream file")
	}
	args := []string{"-b", b}
	if !sram {
		args = append(args, "-f")
	}
	if strings.HasPrefix(bitstream, "-") {
		bitstream = "./" + bitstream // a file name, not an option
	}
	return append(args, bitstream), nil
}

// OpenFPGALoader programs board with the bitstream file by running openFPGALoader: into the
// FPGA's SRAM when sram is set, else into its flash. board is "icebreaker", "hx8k" or
// "colorlight-5a-75b" (or openFPGALoader's name for one of them). A missing openFPGALoader is
// an error wrapping exec.ErrNotFound; a failed run's error ends with the tool's output.
func OpenFPGALoader(ctx context.Context, board, bitstream string, sram bool) error {
	args, err := openFPGALoaderArgs(board, bitstream, sram)
	if err != nil {
		return err
	}
	path, err := exec.LookPath(openFPGALoaderTool)
	if err != nil {
		return fmt.Errorf("openFPGALoader is not installed (or not in PATH; see https://github.com/trabucayre/openFPGALoader): %w", err)
	}
	cmd := exec.CommandContext(ctx, path, args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			err = ctx.Err()
		}
		return fmt.Errorf("openFPGALoader %s: %w\n%s", strings.Join(args, " "), err, tail(out.String(), 20))
	}
	return nil
}

// tail returns the last n lines of s.
func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}
