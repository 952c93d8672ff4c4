//go:build linux

package e2e

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/linerate/linerate/hostdrv/netns"
	"github.com/linerate/linerate/tables"
)

// DefaultHostMTU is the MTU of a host's interface unless HostsOptions say otherwise. It is the
// same on every host, also behind a port with a smaller MTU: the router has to deal with it
// (fragmentation needed), as a router between Ethernet segments does.
const DefaultHostMTU = 1500

// HostsOptions configure NewHosts.
type HostsOptions struct {
	// MTU of every host interface (0: DefaultHostMTU).
	MTU int
}

// Host is one Linux host on a port of the router: a network namespace holding the host side of
// the port's link.
type Host struct {
	NS      string           // network namespace, as `ip netns` names it
	IfName  string           // its interface (the name it had in the root namespace)
	Port    int              // the router port it is attached to
	Addr    netip.Addr       // its address, in Subnet
	Subnet  netip.Prefix     // the port's subnet, from the router address
	Gateway netip.Addr       // the router's address on Subnet: the host's default gateway
	MAC     net.HardwareAddr // the interface's MAC address
	MTU     int              // the interface's MTU
}

// String names the host in messages: "port1 198.51.100.2".
func (h *Host) String() string { return fmt.Sprintf("port%d %s", h.Port, h.Addr) }

// Hosts are the hosts on the ports of one router, one per port that has a router address.
// Close deletes their namespaces.
type Hosts struct {
	List   []*Host // ordered by port
	byPort map[int]*Host
}

// HostMAC is the MAC address of the host on port p: 02:00:00:00:aa:PP.
func HostMAC(p int) net.HardwareAddr { return net.HardwareAddr{2, 0, 0, 0, 0xaa, byte(p)} }

// NewHosts builds one host per port of cfg that has a router address (the first one, in file
// order, when a port has several). links maps each such port to the name of an interface in the
// root namespace that is the host side of that port's link (a TAP interface of a simulated
// router, or the far end of a veth pair); it must name an interface for every such port and for
// no other port.
//
// Each host is a new namespace (IPv6 disabled) into which the interface is moved; there it is
// brought up with HostMAC(port) and the MTU of opt, and gets the first host address of the
// subnet that is neither a router address nor a configured neighbor (.2 behind a router at .1),
// with a default route via the router's address. On error everything built is deleted again and
// the interfaces that were moved are moved back.
func NewHosts(ctx context.Context, cfg *tables.Config, links map[int]string, opt HostsOptions) (hs *Hosts, err error) {
	if opt.MTU <= 0 {
		opt.MTU = DefaultHostMTU
	}
	plan, err := planHosts(cfg, links, opt.MTU)
	if err != nil {
		return nil, err
	}
	hs = &Hosts{byPort: map[int]*Host{}}
	defer func() {
		if err != nil {
			_ = hs.Close()
			hs = nil
		}
	}()
	suffix := uniqueSuffix()
	for _, h := range plan {
		h.NS = fmt.Sprintf("lre2e-h%d-%s", h.Port, suffix)
		// Listed first, so that Close undoes a host that was half built.
		hs.List = append(hs.List, h)
		hs.byPort[h.Port] = h
		if err := addHost(ctx, h); err != nil {
			return hs, err
		}
	}
	return hs, nil
}

// planHosts chooses each host's port, addresses and interface, without touching the system.
func planHosts(cfg *tables.Config, links map[int]string, mtu int) ([]*Host, error) {
	if cfg == nil {
		return nil, errors.New("e2e: no configuration")
	}
	taken := map[netip.Addr]bool{}
	for _, a := range cfg.Addrs {
		taken[a.IP] = true
	}
	for _, n := range cfg.Neighbors {
		taken[n.IP] = true
	}
	var hosts []*Host
	seen := map[int]bool{}
	for _, a := range cfg.Addrs {
		if seen[a.Port] {
			continue
		}
		seen[a.Port] = true
		ifname, ok := links[a.Port]
		if !ok || ifname == "" {
			return nil, fmt.Errorf("e2e: port%d has router address %s but no link for its host", a.Port, a.IP)
		}
		addr, ok := freeHostAddr(a.Subnet, taken)
		if !ok {
			return nil, fmt.Errorf("e2e: no free host address in %s (port%d)", a.Subnet, a.Port)
		}
		hosts = append(hosts, &Host{IfName: ifname, Port: a.Port, Addr: addr, Subnet: a.Subnet,
			Gateway: a.IP, MAC: HostMAC(a.Port), MTU: mtu})
	}
	for p := range links {
		if !seen[p] {
			return nil, fmt.Errorf("e2e: link %s given for port%d, which has no router address", links[p], p)
		}
	}
	sort.Slice(hosts, func(i, j int) bool { return hosts[i].Port < hosts[j].Port })
	return hosts, nil
}

// freeHostAddr returns the first address of subnet that is neither taken nor, on a subnet
// larger than a /31, its network or broadcast address.
func freeHostAddr(subnet netip.Prefix, taken map[netip.Addr]bool) (netip.Addr, bool) {
	a := subnet.Masked().Addr()
	if subnet.Bits() < 31 {
		a = a.Next() // skip the network address
	}
	for ; a.IsValid() && subnet.Contains(a); a = a.Next() {
		if subnet.Bits() < 31 && !subnet.Contains(a.Next()) {
			break // the broadcast address
		}
		if !taken[a] {
			return a, true
		}
	}
	return netip.Addr{}, false
}

// addHost creates h's namespace and moves and configures its interface.
func addHost(ctx context.Context, h *Host) error {
	if err := run(ctx, nil, "ip", "netns", "add", h.NS); err != nil {
		return err
	}
	// No IPv6 (no link-local address, ND or MLD noise on the router's port): set before the
	// interface arrives, so it inherits it from "default". A few ICMP errors answering tracepath
	// probes must not be rate limited either.
	if err := netns.SetSysctls(h.NS, [][2]string{
		{"net.ipv6.conf.all.disable_ipv6", "1"},
		{"net.ipv6.conf.default.disable_ipv6", "1"},
		{"net.ipv4.icmp_ratelimit", "0"},
	}); err != nil {
		return err
	}
	if err := run(ctx, nil, "ip", "link", "set", "dev", h.IfName, "netns", h.NS); err != nil {
		return err
	}
	if err := netns.SetSysctls(h.NS, [][2]string{{"net.ipv6.conf." + h.IfName + ".disable_ipv6", "1"}}); err != nil {
		return err
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "link set dev lo up\n")
	fmt.Fprintf(&b, "link set dev %s address %s mtu %d up\n", h.IfName, h.MAC, h.MTU)
	fmt.Fprintf(&b, "addr add %s/%d dev %s\n", h.Addr, h.Subnet.Bits(), h.IfName)
	fmt.Fprintf(&b, "route add default via %s dev %s onlink\n", h.Gateway, h.IfName)
	return run(ctx, b.Bytes(), "ip", "-n", h.NS, "-batch", "-")
}

// Port returns the host on port p, nil if there is none.
func (hs *Hosts) Port(p int) *Host { return hs.byPort[p] }

// Close moves each host's interface back to the namespace of this process (down, without its
// address; an interface that no longer exists is skipped), then deletes the namespaces. It may
// be called more than once.
func (hs *Hosts) Close() error {
	if hs == nil {
		return nil
	}
	var errs []error
	for _, h := range hs.List {
		// A fresh context: cleanup must run even when the test's context is done.
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		if out, err := output(ctx, "ip", "-n", h.NS, "link", "set", "dev", h.IfName, "down"); err == nil {
			if err := run(ctx, nil, "ip", "-n", h.NS, "link", "set", "dev", h.IfName,
				"netns", fmt.Sprint(os.Getpid())); err != nil {
				errs = append(errs, err)
			}
		} else if !strings.Contains(out, "Cannot find device") && !strings.Contains(out, "does not exist") {
			errs = append(errs, err)
		}
		errs = append(errs, run(ctx, nil, "ip", "netns", "del", h.NS))
		cancel()
	}
	hs.List, hs.byPort = nil, nil
	return errors.Join(errs...)
}

// Describe returns the state of every host, for a failing test's log: addresses, links with
// counters, the neighbor table and routes.
func (hs *Hosts) Describe(ctx context.Context) string {
	var b strings.Builder
	for _, h := range hs.List {
		fmt.Fprintf(&b, "== host %s (ns %s, %s)\n", h, h.NS, h.IfName)
		for _, args := range [][]string{
			{"-s", "link", "show", "dev", h.IfName},
			{"addr", "show", "dev", h.IfName},
			{"neigh", "show"},
			{"route", "show"},
		} {
			out, _ := output(ctx, "ip", append([]string{"-n", h.NS}, args...)...)
			b.WriteString(out)
		}
	}
	return b.String()
}

// FlushRouteCache forgets what the host learned about paths (the PMTU of each destination, from
// frag-needed errors), so the next packet that is too big meets the router again.
func FlushRouteCache(ctx context.Context, h *Host) error {
	return run(ctx, nil, "ip", "-n", h.NS, "route", "flush", "cache")
}

// pathMTURE finds the path MTU in `ip route get` output: "    cache expires 599sec mtu 1280".
var pathMTURE = regexp.MustCompile(`\bmtu (\d+)`)

// PathMTU returns the path MTU towards dst that h's kernel learned (from frag-needed errors),
// 0 when it learned none.
func PathMTU(ctx context.Context, h *Host, dst netip.Addr) (int, error) {
	out, err := output(ctx, "ip", "-n", h.NS, "route", "get", dst.String())
	if err != nil {
		return 0, err
	}
	if m := pathMTURE.FindStringSubmatch(out); m != nil {
		return strconv.Atoi(m[1])
	}
	return 0, nil
}
