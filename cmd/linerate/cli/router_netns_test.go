//go:build linux && netns

package cli

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/linerate/linerate/tables"
)

// TestRouterKernelSource: `linerate router --kernel NS` mirrors a namespace configured with
// the same file (ip -batch): the device holds what the file compiles to; a route added and one
// deleted with ip reach the device, each as an incremental update.
func TestRouterKernelSource(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Fatal("needs root: a network namespace")
	}
	ns := fmt.Sprintf("lrkern-%d", os.Getpid())
	ip := func(args ...string) {
		t.Helper()
		if out, err := exec.Command("ip", append([]string{"-n", ns}, args...)...).CombinedOutput(); err != nil {
			t.Fatalf("ip %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	if out, err := exec.Command("ip", "netns", "add", ns).CombinedOutput(); err != nil {
		t.Fatalf("ip netns add: %v\n%s", err, out)
	}
	t.Cleanup(func() { exec.Command("ip", "netns", "del", ns).Run() })
	for p := 0; p < 4; p++ {
		ip("link", "add", fmt.Sprintf("port%d", p), "type", "veth", "peer", "name", fmt.Sprintf("peer%d", p))
		ip("link", "set", fmt.Sprintf("peer%d", p), "up")
	}
	const demo = "../../../test/configs/demo.conf"
	ip("-batch", demo)

	dev, board := fakeDev(t, tables.SimSizes)
	done := make(chan string, 1)
	go func() {
		_, out := runCmd(t, "router", "--dev", dev, "--config", demo, "--kernel", ns, "--timeout", "6s")
		done <- out
	}()
	text, err := os.ReadFile(demo)
	if err != nil {
		t.Fatal(err)
	}
	wait := func(what, extra string) {
		t.Helper()
		want, _, err := tables.Build(writeTemp(t, string(text)+extra), tables.SimSizes)
		if err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(30 * time.Second)
		for {
			same, diff := tables.Equivalent(board.Image(), want)
			if same {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: the device never matched: %v", what, diff)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	wait("the namespace as configured", "")
	ip("route", "add", "100.100.0.0/16", "via", "10.0.0.2")
	wait("route added", "route add 100.100.0.0/16 via 10.0.0.2\n")
	ip("route", "del", "100.100.0.0/16")
	ip("route", "del", "10.5.5.0/24")
	want := strings.Replace(string(text), "route add 10.5.5.0/24 via 10.0.0.3", "", 1)
	text = []byte(want)
	wait("route deleted", "")
	if out := <-done; !strings.Contains(out, "table_updates") {
		t.Fatalf("router output:\n%s", out)
	}
	t.Log("kernel routes mirrored: configuration, an add and a delete")
}

func writeTemp(t *testing.T, text string) string {
	p := filepath.Join(t.TempDir(), "want.conf")
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}
