//go:build linux

package linuxdiff

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/linerate/linerate/hostdrv/netns"
)

// DefaultPeerMTU is the MTU of the peer interfaces: larger than any port's (tables.MaxMTU) plus
// a VLAN tag, so every frame a port accepts can be sent, and every frame it sends received.
const DefaultPeerMTU = 9600

// LabOptions configure a Lab.
type LabOptions struct {
	// Config is the iproute2 batch file applied unchanged to the router namespace.
	Config string
	// Ports is the number of veth pairs port0<->peer0 .. portN-1<->peerN-1.
	Ports int
	// PeerMTU is the MTU of peer0..peerN-1 (0: DefaultPeerMTU).
	PeerMTU int
}

// Lab is a Linux router in a network namespace (interfaces port0..portN-1, configured from the
// same file as linerate) and a peer namespace holding the other ends (peer0..peerN-1) with one
// AF_PACKET socket each. Close deletes both namespaces.
type Lab struct {
	RouterNS, PeerNS string
	peers            []*packetSocket
	created          []string // namespaces this Lab added, deleted by Close
	buf              []byte
}

// Capture is one frame the router sent out of port Port (received on peerPort), without FCS.
type Capture struct {
	Port int
	Data []byte
	At   time.Time
}

// HaveIP reports whether the `ip` command of iproute2 is installed.
func HaveIP() bool {
	_, err := exec.LookPath("ip")
	return err == nil
}

// uniqueSuffix names one Lab's namespaces: the process id and random bits, so parallel tests
// and parallel runs never collide.
func uniqueSuffix() string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return fmt.Sprintf("%d-%s", os.Getpid(), hex.EncodeToString(b))
}

// NewLab builds the two namespaces, the veth pairs, the sysctls and the router configuration,
// and opens the peer sockets. On error everything it created is deleted again.
func NewLab(ctx context.Context, opt LabOptions) (l *Lab, err error) {
	if opt.Ports < 1 {
		return nil, fmt.Errorf("linuxdiff: %d ports", opt.Ports)
	}
	if opt.PeerMTU <= 0 {
		opt.PeerMTU = DefaultPeerMTU
	}
	suffix := uniqueSuffix()
	l = &Lab{RouterNS: "lrdiff-r-" + suffix, PeerNS: "lrdiff-p-" + suffix, buf: make([]byte, 1<<16)}
	defer func() {
		if err != nil {
			_ = l.Close()
			l = nil
		}
	}()
	for _, ns := range []string{l.RouterNS, l.PeerNS} {
		if err := run(ctx, nil, "ip", "netns", "add", ns); err != nil {
			return l, err
		}
		l.created = append(l.created, ns)
		// No IPv6 at all (no link-local addresses, ND or MLD noise): set before any interface
		// exists, so every interface inherits it from "default".
		if err := netns.SetSysctls(ns, [][2]string{
			{"net.ipv6.conf.all.disable_ipv6", "1"},
			{"net.ipv6.conf.default.disable_ipv6", "1"},
		}); err != nil {
			return l, err
		}
	}
	if err := l.ip(ctx, l.RouterNS, "link", "set", "lo", "up"); err != nil {
		return l, err
	}
	// The veth pairs: portN in the router namespace, peerN in the peer namespace, peers up with
	// a large MTU and no address. The router's ports are brought up by the configuration.
	var links, peers bytes.Buffer
	for p := 0; p < opt.Ports; p++ {
		fmt.Fprintf(&links, "link add port%d type veth peer name peer%d netns %s\n", p, p, l.PeerNS)
		fmt.Fprintf(&peers, "link set dev peer%d mtu %d up\n", p, opt.PeerMTU)
	}
	if err := run(ctx, &links, "ip", "-n", l.RouterNS, "-batch", "-"); err != nil {
		return l, err
	}
	if err := run(ctx, &peers, "ip", "-n", l.PeerNS, "-batch", "-"); err != nil {
		return l, err
	}
	// A plain IPv4 router: forwarding on, no reverse-path filter, no redirects (a hairpin route
	// is forwarded silently), no ICMP rate limits (icmp_ratelimit: per destination; icmp_ratemask
	// 0 also exempts every ICMP type from the host-wide icmp_msgs_per_sec bucket), so every
	// answer the kernel owes a frame leaves.
	kv := [][2]string{
		{"net.ipv4.ip_forward", "1"},
		{"net.ipv4.icmp_ratelimit", "0"},
		{"net.ipv4.icmp_ratemask", "0"},
	}
	for _, dev := range []string{"all", "default"} {
		kv = append(kv,
			[2]string{"net.ipv4.conf." + dev + ".rp_filter", "0"},
			[2]string{"net.ipv4.conf." + dev + ".send_redirects", "0"})
	}
	for p := 0; p < opt.Ports; p++ {
		dev := fmt.Sprintf("port%d", p)
		kv = append(kv,
			[2]string{"net.ipv4.conf." + dev + ".rp_filter", "0"},
			[2]string{"net.ipv4.conf." + dev + ".send_redirects", "0"},
			[2]string{"net.ipv6.conf." + dev + ".disable_ipv6", "1"})
	}
	if err := netns.SetSysctls(l.RouterNS, kv); err != nil {
		return l, err
	}
	var peerKV [][2]string
	for p := 0; p < opt.Ports; p++ {
		peerKV = append(peerKV, [2]string{fmt.Sprintf("net.ipv6.conf.peer%d.disable_ipv6", p), "1"})
	}
	if err := netns.SetSysctls(l.PeerNS, peerKV); err != nil {
		return l, err
	}
	if err := run(ctx, nil, "ip", "-n", l.RouterNS, "-batch", opt.Config); err != nil {
		return l, err
	}
	for p := 0; p < opt.Ports; p++ {
		s, err := openPacketSocket(l.PeerNS, fmt.Sprintf("peer%d", p))
		if err != nil {
			return l, err
		}
		l.peers = append(l.peers, s)
	}
	return l, nil
}

// Close closes the sockets and deletes the namespaces this Lab created (which removes their
// interfaces). It may be called more than once.
func (l *Lab) Close() error {
	if l == nil {
		return nil
	}
	var errs []error
	for _, s := range l.peers {
		errs = append(errs, s.close())
	}
	l.peers = nil
	for i := len(l.created) - 1; i >= 0; i-- {
		// A fresh context: cleanup must run even when the test's context is done.
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		errs = append(errs, run(ctx, nil, "ip", "netns", "del", l.created[i]))
		cancel()
	}
	l.created = nil
	return errors.Join(errs...)
}

// Ports returns the number of ports.
func (l *Lab) Ports() int { return len(l.peers) }

// ip runs `ip -n NS args...`.
func (l *Lab) ip(ctx context.Context, ns string, args ...string) error {
	return run(ctx, nil, "ip", append([]string{"-n", ns}, args...)...)
}

// RouterIP runs `ip -n ROUTER args...` and returns its output.
func (l *Lab) RouterIP(ctx context.Context, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, "ip", append([]string{"-n", l.RouterNS}, args...)...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return string(out), fmt.Errorf("linuxdiff: ip %s: %w: %s", strings.Join(args, " "), err, bytes.TrimSpace(out))
	}
	return string(out), nil
}

// Sysctl reads a net.* sysctl of the router namespace.
func (l *Lab) Sysctl(name string) (string, error) { return netns.Sysctl(l.RouterNS, name) }

// FlushNeighbors deletes the neighbor entries the router learned or is resolving (incomplete,
// reachable, stale, failed...), keeping the configured permanent and noarp entries: the Linux
// router is back to the configuration's neighbor table, which is all linerate's tables hold.
func (l *Lab) FlushNeighbors(ctx context.Context) error {
	return l.ip(ctx, l.RouterNS, "neigh", "flush", "all")
}

// Send sends one frame (without FCS) into the router's port.
func (l *Lab) Send(port int, frame []byte) error {
	if port < 0 || port >= len(l.peers) {
		return fmt.Errorf("linuxdiff: no port %d", port)
	}
	return l.peers[port].send(frame)
}

// Collect receives the frames the router sends until no frame has arrived for quiet, or for at
// most limit, or until ctx is done.
func (l *Lab) Collect(ctx context.Context, quiet, limit time.Duration) ([]Capture, error) {
	var out []Capture
	start := time.Now()
	last := start
	for {
		got := false
		for p, s := range l.peers {
			for {
				b, err := s.recv(l.buf)
				if err != nil {
					return out, err
				}
				if b == nil {
					break
				}
				out = append(out, Capture{Port: p, Data: b, At: time.Now()})
				got = true
			}
		}
		now := time.Now()
		if got {
			last = now
		}
		if now.Sub(last) >= quiet || now.Sub(start) >= limit {
			return out, nil
		}
		select {
		case <-ctx.Done():
			return out, ctx.Err()
		case <-time.After(500 * time.Microsecond):
		}
	}
}

// run runs a command with stdin, and wraps its output into the error when it fails.
func run(ctx context.Context, stdin *bytes.Buffer, name string, args ...string) error {
	cmd := exec.CommandContext(ctx, name, args...)
	if stdin != nil {
		cmd.Stdin = stdin
	}
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("linuxdiff: %s %s: %w: %s", name, strings.Join(args, " "), err, bytes.TrimSpace(out))
	}
	return nil
}
