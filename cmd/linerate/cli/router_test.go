package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/linerate/linerate/tables"
)

// TestRouterCommand: `linerate router` loads the tables before it answers punts (fib diff then
// says the device holds the configuration), stops at the end of --timeout printing its
// counters, and rejects a bad configuration naming file:line without touching the device.
func TestRouterCommand(t *testing.T) {
	dev, _ := fakeDev(t, tables.SimSizes)
	code, out := runCmd(t, "router", "--dev", dev, "--config", "../../../test/configs/demo.conf", "--timeout", "1s", "--quiet")
	if code != 0 || !strings.Contains(out, "answering punts") || !strings.Contains(out, "punts.arp") {
		t.Fatalf("router: %d\n%s", code, out)
	}
	if code, out := runCmd(t, "fib", "diff", "--dev", dev, "--config", "../../../test/configs/demo.conf"); code != 0 {
		t.Fatalf("after router, fib diff: %d\n%s", code, out)
	}
	bad := filepath.Join(t.TempDir(), "bad.conf")
	os.WriteFile(bad, []byte("addr add 192.0.2.1/24 dev port0\nroute add 10.0.0.0/8 via\n"), 0o644)
	if code, out := runCmd(t, "router", "--dev", dev, "--config", bad, "--timeout", "1s"); code != 2 || !strings.Contains(out, "bad.conf:2") {
		t.Fatalf("bad config: %d\n%s", code, out)
	}
}

// TestRouterBoardTaps: with --board, --tap takes only the board's link ports (the colorlight's
// port 2), and a device of another port count is refused, both as usage errors before any
// interface is touched.
func TestRouterBoardTaps(t *testing.T) {
	dev, _ := fakeDev(t, tables.Sizes{Ports: 3, LPM: 64, Adj: 64, RAddr: 8})
	conf := "../../../test/configs/small.conf"
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--board", "colorlight", "--tap", "port0=lrt0"}, "port0 of colorlight has an Ethernet PHY of its own, only ports [2] travel over the host link"},
		{[]string{"--board", "hx8k", "--tap", "port0=lrt0"}, "--board hx8k: the board has 2 ports, the device 3"},
		{[]string{"--board", "nosuch"}, "unknown board"},
	} {
		args := append([]string{"router", "--dev", dev, "--config", conf, "--timeout", "1s", "--quiet"}, c.args...)
		if code, out := runCmd(t, args...); code != 2 || !strings.Contains(out, c.want) {
			t.Errorf("%v: exit %d, want 2 and %q:\n%s", c.args, code, c.want, out)
		}
	}
}
