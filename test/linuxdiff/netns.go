//go:build linux

package linuxdiff

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
)

// netnsDir is where `ip netns add` bind-mounts the namespaces it names.
const netnsDir = "/var/run/netns"

// setns moves the calling OS thread into the network namespace open as fd.
func setns(fd uintptr) error {
	if _, _, e := syscall.RawSyscall(sysSetns, fd, syscall.CLONE_NEWNET, 0); e != 0 {
		return e
	}
	return nil
}

// inNetns runs fn on an OS thread of its own that has entered the named network namespace, and
// returns fn's error. Sockets that fn opens stay in that namespace after it returns. The thread
// goes back to its original namespace afterwards; should that fail, the thread stays locked and
// exits with its goroutine, so no other goroutine ever runs in the wrong namespace.
func inNetns(name string, fn func() error) error {
	target, err := os.Open(filepath.Join(netnsDir, name))
	if err != nil {
		return fmt.Errorf("linuxdiff: open namespace %s: %w", name, err)
	}
	defer target.Close()

	errc := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		// The thread's own namespace (/proc/thread-self), which is the process's (/proc/self):
		// no thread of this process is ever left in another one.
		orig, err := os.Open("/proc/thread-self/ns/net")
		if err != nil {
			runtime.UnlockOSThread()
			errc <- fmt.Errorf("linuxdiff: open own namespace: %w", err)
			return
		}
		defer orig.Close()
		if err := setns(target.Fd()); err != nil {
			runtime.UnlockOSThread()
			errc <- fmt.Errorf("linuxdiff: enter namespace %s: %w", name, err)
			return
		}
		ferr := fn()
		if err := setns(orig.Fd()); err != nil {
			// Keep the thread locked: it is discarded when this goroutine ends.
			errc <- fmt.Errorf("linuxdiff: leave namespace %s: %w", name, err)
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
				return fmt.Errorf("linuxdiff: sysctl %s=%s in %s: %w", s[0], s[1], ns, err)
			}
		}
		return nil
	})
}

// readSysctl reads one net.* sysctl in the named namespace.
func readSysctl(ns, name string) (string, error) {
	var v string
	err := inNetns(ns, func() error {
		b, err := os.ReadFile("/proc/sys/" + strings.ReplaceAll(name, ".", "/"))
		v = strings.TrimSpace(string(b))
		return err
	})
	return v, err
}
