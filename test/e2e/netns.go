//go:build linux

package e2e

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"golang.org/x/sys/unix"
)

// waitDelay bounds how long a command whose context is done may keep its output pipes open
// after it was killed (a child it started could hold them).
const waitDelay = 2 * time.Second

// netnsDir is where `ip netns add` bind-mounts the namespaces it names.
const netnsDir = "/var/run/netns"

// inNetns runs fn on an OS thread of its own that has entered the named network namespace, and
// returns fn's error. Sockets that fn opens stay in that namespace after it returns. The thread
// goes back to its original namespace afterwards; should that fail, the thread stays locked and
// exits with its goroutine, so no other goroutine ever runs in the wrong namespace.
// (The helper of test/linuxdiff, with unix.Setns.)
func inNetns(name string, fn func() error) error {
	target, err := os.Open(filepath.Join(netnsDir, name))
	if err != nil {
		return fmt.Errorf("e2e: open namespace %s: %w", name, err)
	}
	defer target.Close()

	errc := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		// The thread's own namespace, which is the process's: no thread of this process is
		// ever left in another one.
		orig, err := os.Open("/proc/thread-self/ns/net")
		if err != nil {
			runtime.UnlockOSThread()
			errc <- fmt.Errorf("e2e: open own namespace: %w", err)
			return
		}
		defer orig.Close()
		if err := unix.Setns(int(target.Fd()), unix.CLONE_NEWNET); err != nil {
			runtime.UnlockOSThread()
			errc <- fmt.Errorf("e2e: enter namespace %s: %w", name, err)
			return
		}
		ferr := fn()
		if err := unix.Setns(int(orig.Fd()), unix.CLONE_NEWNET); err != nil {
			// Keep the thread locked: it is discarded when this goroutine ends.
			errc <- fmt.Errorf("e2e: leave namespace %s: %w", name, err)
			return
		}
		runtime.UnlockOSThread()
		errc <- ferr
	}()
	return <-errc
}

// sysctls writes net.* sysctls (dotted names, as `sysctl -w` takes them) in the named
// namespace. /proc/sys/net shows the namespace of the thread that opens it.
func sysctls(ns string, kv [][2]string) error {
	return inNetns(ns, func() error {
		for _, s := range kv {
			p := "/proc/sys/" + strings.ReplaceAll(s[0], ".", "/")
			if err := os.WriteFile(p, []byte(s[1]+"\n"), 0); err != nil {
				return fmt.Errorf("e2e: sysctl %s=%s in %s: %w", s[0], s[1], ns, err)
			}
		}
		return nil
	})
}

// uniqueSuffix tells one run's namespaces and interfaces apart from any other's: the process
// id and random bits, so parallel tests and parallel runs never collide.
func uniqueSuffix() string {
	return fmt.Sprintf("%d-%s", os.Getpid(), randomHex(4))
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// NewLinkNames returns n interface names that are unique to this call, for the root-namespace
// ends of a router's links ("lre" + 6 hex digits + "p" + port; at most 15 bytes, as Linux
// requires, for n <= 1000).
func NewLinkNames(n int) []string {
	tag := randomHex(3)
	names := make([]string, n)
	for p := range names {
		names[p] = fmt.Sprintf("lre%sp%d", tag, p)
	}
	return names
}

// HaveTools reports which of the commands the harness runs (ip, ping, tracepath) are missing.
func HaveTools() (missing []string) {
	for _, c := range []string{"ip", "ping", "tracepath"} {
		if _, err := exec.LookPath(c); err != nil {
			missing = append(missing, c)
		}
	}
	return missing
}

// command builds a command with the C locale, so the output the parsers read is the English
// one.
func command(ctx context.Context, name string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = append(os.Environ(), "LC_ALL=C")
	cmd.WaitDelay = waitDelay
	return cmd
}

// run runs a command with stdin (nil: none) and wraps its output into the error when it fails.
func run(ctx context.Context, stdin []byte, name string, args ...string) error {
	cmd := command(ctx, name, args...)
	if stdin != nil {
		cmd.Stdin = bytes.NewReader(stdin)
	}
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("e2e: %s %s: %w: %s", name, strings.Join(args, " "), err, bytes.TrimSpace(out))
	}
	return nil
}

// output runs a command and returns its combined output, with the output in the error when it
// fails.
func output(ctx context.Context, name string, args ...string) (string, error) {
	out, err := command(ctx, name, args...).CombinedOutput()
	if err != nil {
		return string(out), fmt.Errorf("e2e: %s %s: %w: %s", name, strings.Join(args, " "), err, bytes.TrimSpace(out))
	}
	return string(out), nil
}
