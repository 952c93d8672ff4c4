//go:build linux

package e2e

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/linerate/linerate/hostdrv/netns"
)

// LinuxRouterOptions configure NewLinuxRouter.
type LinuxRouterOptions struct {
	// Config is the iproute2 batch file applied unchanged with `ip -n NS -batch Config`: it sets
	// the MACs, MTUs and addresses of port0..portN-1 and brings them up.
	Config string
	// Links[p] names the root-namespace end of the veth pair whose other end is port p of the
	// router; len(Links) is the number of ports. NewLinkNames makes unique names.
	Links []string
}

// LinuxRouter is a Linux router in a network namespace, configured from the same file as
// linerate (ARCHITECTURE 3.1): the oracle for the end-to-end scenario. Its ports port0..portN-1
// are veth pairs whose other ends are in the root namespace, down and without address, ready
// for NewHosts (PortLinks). Close deletes the namespace, and with it the veth pairs.
type LinuxRouter struct {
	NS    string
	Links []string // Links[p]: root-namespace end of port p's link
}

// NewLinuxRouter builds the namespace, the veth pairs, the sysctls of a plain IPv4 router
// (forwarding on, no reverse-path filter, no redirects, no ICMP rate limits, no IPv6) and
// applies the configuration. On error everything it created is deleted again.
func NewLinuxRouter(ctx context.Context, opt LinuxRouterOptions) (r *LinuxRouter, err error) {
	if len(opt.Links) < 1 {
		return nil, errors.New("e2e: linux router without links")
	}
	r = &LinuxRouter{NS: "lre2e-r-" + uniqueSuffix(), Links: append([]string(nil), opt.Links...)}
	if err := run(ctx, nil, "ip", "netns", "add", r.NS); err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			_ = r.Close()
			r = nil
		}
	}()
	// No IPv6 at all: set before any interface exists, so every interface inherits it.
	if err := netns.SetSysctls(r.NS, [][2]string{
		{"net.ipv6.conf.all.disable_ipv6", "1"},
		{"net.ipv6.conf.default.disable_ipv6", "1"},
	}); err != nil {
		return r, err
	}
	var links bytes.Buffer
	for p, name := range r.Links {
		fmt.Fprintf(&links, "link add %s type veth peer name port%d netns %s\n", name, p, r.NS)
	}
	if err := run(ctx, links.Bytes(), "ip", "-batch", "-"); err != nil {
		return r, err
	}
	kv := [][2]string{
		{"net.ipv4.ip_forward", "1"},
		{"net.ipv4.icmp_ratelimit", "0"},
		{"net.ipv4.icmp_ratemask", "0"},
	}
	devs := []string{"all", "default"}
	for p := range r.Links {
		devs = append(devs, fmt.Sprintf("port%d", p))
	}
	for _, dev := range devs {
		kv = append(kv,
			[2]string{"net.ipv4.conf." + dev + ".rp_filter", "0"},
			[2]string{"net.ipv4.conf." + dev + ".send_redirects", "0"},
			[2]string{"net.ipv6.conf." + dev + ".disable_ipv6", "1"})
	}
	if err := netns.SetSysctls(r.NS, kv); err != nil {
		return r, err
	}
	if err := run(ctx, nil, "ip", "-n", r.NS, "link", "set", "dev", "lo", "up"); err != nil {
		return r, err
	}
	if err := run(ctx, nil, "ip", "-n", r.NS, "-batch", opt.Config); err != nil {
		return r, err
	}
	return r, nil
}

// PortLinks maps each port to the root-namespace end of its link, as NewHosts takes them; only
// the given ports, or all when none is given.
func (r *LinuxRouter) PortLinks(ports ...int) map[int]string {
	m := map[int]string{}
	if len(ports) == 0 {
		for p := range r.Links {
			ports = append(ports, p)
		}
	}
	for _, p := range ports {
		if p >= 0 && p < len(r.Links) {
			m[p] = r.Links[p]
		}
	}
	return m
}

// Describe returns the router's state for a failing test's log: links with counters, the
// neighbor table and routes.
func (r *LinuxRouter) Describe(ctx context.Context) string {
	var b bytes.Buffer
	fmt.Fprintf(&b, "== linux router (ns %s)\n", r.NS)
	for _, args := range [][]string{{"-s", "link", "show"}, {"neigh", "show"}, {"route", "show"}} {
		out, _ := output(ctx, "ip", append([]string{"-n", r.NS}, args...)...)
		b.WriteString(out)
	}
	return b.String()
}

// Close deletes the router's namespace, which deletes its veth pairs (with their ends in the
// root namespace or in a host's). It may be called more than once.
func (r *LinuxRouter) Close() error {
	if r == nil || r.NS == "" {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err := run(ctx, nil, "ip", "netns", "del", r.NS)
	r.NS = ""
	return err
}
