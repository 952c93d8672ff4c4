//go:build linux

// Package netns runs code inside named Linux network namespaces (those `ip netns add`
// creates): the kernel route source reads a namespace's routes, and the tests that use Linux
// as a peer or an oracle open sockets in their namespaces.
package netns

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"golang.org/x/sys/unix"
)

// Dir is where `ip netns add` bind-mounts the namespaces it names.
const Dir = "/var/run/netns"

// Do runs fn on an OS thread of its own that has entered the named network namespace, and
// returns fn's error. Sockets that fn opens stay in that namespace after it returns. The thread
// goes back to its original namespace afterwards; should that fail, the thread stays locked and
// exits with its goroutine, so no other goroutine ever runs in the wrong namespace. An empty
// name runs fn in the caller's namespace.
func Do(name string, fn func() error) error {
	if name == "" {
		return fn()
	}
	target, err := os.Open(filepath.Join(Dir, name))
	if err != nil {
		return fmt.Errorf("netns: open namespace %s: %w", name, err)
	}
	defer target.Close()

	errc := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		// The thread's own namespace, which is the process's (/proc/self): no thread of this
		// process is ever left in another one.
		orig, err := os.Open("/proc/thread-self/ns/net")
		if err != nil {
			runtime.UnlockOSThread()
			errc <- fmt.Errorf("netns: open own namespace: %w", err)
			return
		}
		defer orig.Close()
		if err := unix.Setns(int(target.Fd()), unix.CLONE_NEWNET); err != nil {
			runtime.UnlockOSThread()
			errc <- fmt.Errorf("netns: enter namespace %s: %w", name, err)
			return
		}
		ferr := fn()
		if err := unix.Setns(int(orig.Fd()), unix.CLONE_NEWNET); err != nil {
			// Keep the thread locked: it is discarded when this goroutine ends.
			errc <- fmt.Errorf("netns: leave namespace %s: %w", name, err)
			return
		}
		runtime.UnlockOSThread()
		errc <- ferr
	}()
	return <-errc
}

// SetSysctls writes net.* sysctls (dotted names, as `sysctl -w` takes them) in the named
// namespace. /proc/sys/net shows the namespace of the thread that opens it.
func SetSysctls(ns string, kv [][2]string) error {
	return Do(ns, func() error {
		for _, s := range kv {
			p := "/proc/sys/" + strings.ReplaceAll(s[0], ".", "/")
			if err := os.WriteFile(p, []byte(s[1]+"\n"), 0); err != nil {
				return fmt.Errorf("netns: sysctl %s=%s in %s: %w", s[0], s[1], ns, err)
			}
		}
		return nil
	})
}

// Sysctl reads one net.* sysctl in the named namespace.
func Sysctl(ns, name string) (string, error) {
	var v string
	err := Do(ns, func() error {
		b, err := os.ReadFile("/proc/sys/" + strings.ReplaceAll(name, ".", "/"))
		v = strings.TrimSpace(string(b))
		return err
	})
	return v, err
}
