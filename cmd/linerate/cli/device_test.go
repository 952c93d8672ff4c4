package cli

import (
	"bytes"
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/linerate/linerate/cosim/model"
	"github.com/linerate/linerate/hostdrv/hostdrvtest"
	"github.com/linerate/linerate/tables"
	"github.com/linerate/linerate/test/configs"
)

// fakeDev serves a software board (hostdrvtest) on a Unix socket and returns its URI: the
// device commands run end to end without Verilator or hardware.
func fakeDev(t *testing.T, sizes tables.Sizes) (string, *hostdrvtest.Board) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "fake.sock")
	ln, err := net.Listen("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	board := hostdrvtest.New(hostdrvtest.Options{Sizes: sizes})
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() { board.Serve(c); c.Close() }()
		}
	}()
	t.Cleanup(func() { ln.Close() })
	return "sim:unix:" + path, board
}

func runCmd(t *testing.T, args ...string) (int, string) {
	t.Helper()
	var out bytes.Buffer
	code := Main(args, strings.NewReader(""), &out, &out)
	return code, out.String()
}

func TestDeviceCommandsOnFakeBoard(t *testing.T) {
	sizes := tables.Sizes{Ports: 4, LPM: 4096, Adj: 256, RAddr: 16}
	dev, board := fakeDev(t, sizes)
	dir := t.TempDir()
	large := filepath.Join(dir, "large.conf")
	os.WriteFile(large, []byte(configs.Large(1200, 0)), 0o644)
	large2 := filepath.Join(dir, "large2.conf")
	os.WriteFile(large2, []byte(configs.Large(1200, 1)), 0o644)

	if code, out := runCmd(t, "info", "--dev", dev); code != 0 || !strings.Contains(out, "LPM 4096") {
		t.Fatalf("info: %d %s", code, out)
	}
	if code, out := runCmd(t, "fib", "load", "--dev", dev, "--config", large); code != 0 || !strings.Contains(out, "read back identical") {
		t.Fatalf("load: %d %s", code, out)
	} else {
		t.Log(out)
	}
	if code, out := runCmd(t, "fib", "diff", "--dev", dev, "--config", large); code != 0 {
		t.Fatalf("diff same: %d %s", code, out)
	}
	code, out := runCmd(t, "fib", "diff", "--dev", dev, "--config", large2)
	if code != 1 || !strings.Contains(out, "+ ") || !strings.Contains(out, "- ") {
		t.Fatalf("diff other: %d %s", code, out)
	}
	if code, out := runCmd(t, "fib", "load", "--dev", dev, "--config", large2, "--json"); code != 0 || !strings.Contains(out, `"changed"`) {
		t.Fatalf("incremental load: %d %s", code, out)
	}
	if code, out := runCmd(t, "fib", "diff", "--dev", dev, "--config", large2); code != 0 {
		t.Fatalf("diff after incremental load: %d %s", code, out)
	}
	// a bad config names its line and writes nothing
	bad := filepath.Join(dir, "bad.conf")
	os.WriteFile(bad, []byte("route add 10.0.0.0/8 via 192.0.2.2\nroute add nonsense\n"), 0o644)
	if code, out := runCmd(t, "fib", "load", "--dev", dev, "--config", bad); code != 2 || !strings.Contains(out, "bad.conf:") {
		t.Fatalf("bad config: %d %s", code, out)
	}
	if ok, _ := tables.Equivalent(board.Image(), mustBuild(t, large2, sizes)); !ok {
		t.Fatal("a bad config changed the board")
	}
	if code, out := runCmd(t, "fib", "show", "--dev", dev); code != 0 || !strings.Contains(out, "/24") {
		t.Fatalf("show: %d", code)
	}

	// traffic through the board, then counters
	im := mustBuild(t, large2, sizes)
	board.Receive(0, model.AppendFCS(make([]byte, 60))) // a frame of zeros: not to our MAC
	_ = im
	code, out = runCmd(t, "counters", "--dev", dev, "--json")
	var m map[string]uint32
	if code != 0 || json.Unmarshal([]byte(out), &m) != nil || m["port0.rx_frames"] != 1 {
		t.Fatalf("counters: %d %s", code, out)
	}
	if code, _ := runCmd(t, "counters", "--dev", dev, "--clear"); code != 0 {
		t.Fatal("counters --clear")
	}

	// usage errors
	if code, _ := runCmd(t, "fib", "load", "--config", large); code != 2 {
		t.Fatal("no --dev")
	}
	if code, _ := runCmd(t, "info", "--dev", "bogus:thing"); code != 2 {
		t.Fatal("bad URI")
	}
	if code, _ := runCmd(t, "info", "--dev", "sim:unix:"+filepath.Join(dir, "nothing.sock")); code != 2 {
		t.Fatal("missing device")
	}
}

func mustBuild(t *testing.T, path string, s tables.Sizes) *tables.Image {
	im, _, err := tables.Build(path, s)
	if err != nil {
		t.Fatal(err)
	}
	return im
}
