package flash

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestOpenFPGALoaderArgs(t *testing.T) {
	for _, tc := range []struct {
		board, file string
		sram        bool
		want        string // "" = an error
	}{
		{"icebreaker", "top.bin", false, "-b ice40_generic -f top.bin"},
		{"icebreaker", "top.bin", true, "-b ice40_generic top.bin"},
		{"hx8k", "build/hx8k/top.bin", false, "-b ice40_generic -f build/hx8k/top.bin"},
		{"ice40-hx8k", "top.bin", true, "-b ice40_generic top.bin"},
		{"colorlight-5a-75b", "top.bit", false, "-b colorlight -f top.bit"},
		{"colorlight-5a-75b", "top.bit", true, "-b colorlight top.bit"},
		{"ice40_generic", "-odd.bin", false, "-b ice40_generic -f ./-odd.bin"},
		{"arty", "top.bit", false, ""},
		{"icebreaker", "", false, ""},
	} {
		args, err := openFPGALoaderArgs(tc.board, tc.file, tc.sram)
		got := strings.Join(args, " ")
		if (err != nil) != (tc.want == "") || got != tc.want {
			t.Errorf("openFPGALoaderArgs(%q, %q, %v) = %q, %v; want %q", tc.board, tc.file, tc.sram, got, err, tc.want)
		}
	}
	if _, err := openFPGALoaderArgs("arty", "x.bit", false); err == nil || !strings.Contains(err.Error(), "icebreaker") {
		t.Errorf("unknown board: %v, want the known ones listed", err)
	}
}

func TestOpenFPGALoaderMissing(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	err := OpenFPGALoader(context.Background(), "icebreaker", "top.bin", false)
	if !errors.Is(err, exec.ErrNotFound) || !strings.Contains(err.Error(), "not installed") {
		t.Errorf("%v; want exec.ErrNotFound, not installed", err)
	}
}

// TestOpenFPGALoaderRun runs a stand-in script, not openFPGALoader.
func TestOpenFPGALoaderRun(t *testing.T) {
	dir := t.TempDir()
	log := filepath.Join(dir, "args")
	script := "#!/bin/sh\nprintf '%s\\n' \"$@\" > " + log + "\n" +
		"if [ \"$2\" = colorlight ]; then echo 'unable to open ftdi device'; exit 1; fi\n"
	if err := os.WriteFile(filepath.Join(dir, openFPGALoaderTool), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir)

	if err := OpenFPGALoader(context.Background(), "hx8k", "top.bin", true); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(log)
	if err != nil || string(got) != "-b\nice40_generic\ntop.bin\n" {
		t.Errorf("openFPGALoader ran with %q, %v", got, err)
	}
	err = OpenFPGALoader(context.Background(), "colorlight-5a-75b", "top.bit", false)
	if err == nil || !strings.Contains(err.Error(), "unable to open ftdi device") {
		t.Errorf("a failed run: %v, want the tool's output in the error", err)
	}
}
