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
	"strings"
	"time"
)

// waitDelay bounds how long a command whose context is done may keep its output pipes open
// after it was killed (a child it started could hold them).
const waitDelay = 2 * time.Second

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
