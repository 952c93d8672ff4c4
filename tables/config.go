package tables

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"sort"
	"strconv"
	"strings"
)

// maxPorts is the largest number of packet ports: port numbers are 8 bits and 255 means "no
// port" in the punt header and on the output tuser.
const maxPorts = 255

// maxLineBytes bounds one line of a configuration file.
const maxLineBytes = 64 * 1024

// Limits of `link set ... mtu M`.
const (
	MinMTU     = 68   // the smallest MTU Linux allows on an interface with IPv4
	MaxMTU     = 9198 // a 9216-byte jumbo frame minus Ethernet header and FCS
	DefaultMTU = 1500 // the MTU of a port never given one
)

// ErrTableFull is wrapped by Compile's errors when a table of the build is too small for the
// configuration.
var ErrTableFull = errors.New("table full")

// ConfigError is an error in a configuration file, located by file name and line number. Its
// message is "FILE:LINE: what is wrong".
type ConfigError struct {
	File string
	Line int
	Err  error
}

// Error formats the error as "FILE:LINE: message".
func (e *ConfigError) Error() string { return fmt.Sprintf("%s:%d: %v", e.File, e.Line, e.Err) }

// Unwrap returns the underlying error.
func (e *ConfigError) Unwrap() error { return e.Err }

// Config is a router configuration: what the lines of the file say, in file order, each item
// remembering the line it came from. Connected routes are not stored; RIB derives them from
// Addrs.
type Config struct {
	Name      string     // file name used in messages, e.g. "test/configs/demo.conf"
	Ports     []Port     // one per port of the build, index = port number
	Addrs     []Addr     // router addresses (addr add)
	Routes    []Route    // static routes (route add); Kind is RouteVia, RouteOnLink or RouteBlackhole
	Neighbors []Neighbor // static neighbors (neigh add)
}

// Port is the link-level configuration of one port (link set).
type Port struct {
	MAC  net.HardwareAddr // nil until set with `address`; the port table then holds zeros
	MTU  uint16           // DefaultMTU until set with `mtu`
	Up   bool             // `up` was given
	Line int              // the last `link set` line of this port, 0 if none
}

// Addr is one router address (addr add A/LEN dev portN).
type Addr struct {
	IP     netip.Addr   // the address, e.g. 192.0.2.1
	Subnet netip.Prefix // its subnet, masked, e.g. 192.0.2.0/24 (a /32 has no connected route)
	Port   int
	Line   int
}

// Neighbor is one static neighbor (neigh add IP lladdr MAC dev portN [nud STATE]).
type Neighbor struct {
	IP    netip.Addr
	MAC   net.HardwareAddr
	Port  int
	State string // "permanent" (the default of `ip neigh add`), "noarp", "reachable" or "stale"
	Line  int
}

// LoadConfig reads and parses the configuration file at path (see ParseConfig).
func LoadConfig(path string, s Sizes) (*Config, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("tables: %w", err)
	}
	defer f.Close()
	return ParseConfig(path, f, s)
}

// ParseConfig parses a configuration in the supported subset of the iproute2 batch syntax for a
// build of the given sizes (only s.Ports matters here; Compile checks the other sizes). name is
// used in messages. The first error is returned as a *ConfigError, whose message starts with
// "name:LINE: ".
//
// Lines (keywords after the first value may come in any order, as iproute2 allows):
//
//	link set dev portN [address MAC] [mtu M] [up]
//	addr add A.B.C.D/LEN dev portN
//	route add PREFIX via GW [dev portN]
//	route add PREFIX dev portN
//	route add blackhole PREFIX
//	neigh add A.B.C.D lladdr MAC dev portN [nud permanent|noarp|reachable|stale]
//
// PREFIX is A.B.C.D/LEN (without host bits), A.B.C.D (a /32) or "default". "#" starts a comment
// that runs to the end of the line. The checks Linux makes when a line is added are made at the
// same point: a gateway must lie in a connected or on-link subnet of an up port added on an
// earlier line, an on-link route needs an up port. A few things Linux accepts are refused because
// a router configured that way would behave surprisingly: the same address, neighbor IP or
// subnet twice, a gateway or neighbor that is a router address or the network or broadcast
// address of a connected subnet, and a router address on a port that is never brought up.
func ParseConfig(name string, r io.Reader, s Sizes) (*Config, error) {
	if s.Ports < 1 || s.Ports > maxPorts {
		return nil, fmt.Errorf("%s: invalid sizes: %d ports (want 1..%d)", name, s.Ports, maxPorts)
	}
	p := &parser{
		c:          &Config{Name: name, Ports: make([]Port, s.Ports)},
		ports:      s.Ports,
		addrLine:   map[netip.Addr]int{},
		prefixLine: map[netip.Prefix]int{},
		neighLine:  map[netip.Addr]int{},
	}
	for i := range p.c.Ports {
		p.c.Ports[i].MTU = DefaultMTU
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), maxLineBytes)
	for sc.Scan() {
		p.line++
		if err := p.parseLine(sc.Text()); err != nil {
			return nil, &ConfigError{File: name, Line: p.line, Err: err}
		}
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			err = fmt.Errorf("line longer than %d bytes", maxLineBytes)
		} else {
			err = fmt.Errorf("read: %w", err)
		}
		return nil, &ConfigError{File: name, Line: p.line + 1, Err: err}
	}
	if err := p.c.checkWhole(); err != nil {
		return nil, err
	}
	return p.c, nil
}

// checkWhole makes the checks that depend on the whole file, not on what came before a line:
// every port with a router address is brought up somewhere, and every neighbor lies in a
// connected or on-link subnet of its port. It returns the error of the lowest line.
func (c *Config) checkWhole() error {
	var errs []*ConfigError
	for _, a := range c.Addrs {
		if a.Port >= 0 && a.Port < len(c.Ports) && !c.Ports[a.Port].Up {
			errs = append(errs, c.errorf(a.Line, "port%d is never brought up: Linux would not "+
				"install the connected route of %s (add `link set dev port%d up`)", a.Port, a.Subnet, a.Port))
		}
	}
	rib := c.RIB()
	for i := range c.Neighbors {
		if err := c.checkNeighbor(&c.Neighbors[i], rib); err != nil {
			errs = append(errs, err)
		}
	}
	if len(errs) == 0 {
		return nil
	}
	sort.SliceStable(errs, func(i, j int) bool { return errs[i].Line < errs[j].Line })
	return errs[0]
}

// checkNeighbor checks that a neighbor lies in a connected or on-link subnet of its port and is
// not the network or broadcast address of a connected subnet.
func (c *Config) checkNeighbor(n *Neighbor, rib []Route) *ConfigError {
	for _, a := range c.Addrs {
		if p := a.Subnet; p.Bits() < 31 && p.Contains(n.IP) && (n.IP == p.Addr() || n.IP == lastAddr(p)) {
			return c.errorf(n.Line, "neighbor %s is the network or broadcast address of %s (line %d)",
				n.IP, p, a.Line)
		}
	}
	for _, r := range rib {
		if r.isDirect() && r.Port == n.Port && r.Prefix.Contains(n.IP) {
			return nil
		}
	}
	return c.errorf(n.Line, "neighbor %s is outside every connected or on-link subnet of port%d",
		n.IP, n.Port)
}

func (c *Config) errorf(line int, format string, args ...any) *ConfigError {
	return &ConfigError{File: c.Name, Line: line, Err: fmt.Errorf(format, args...)}
}

// parser holds the state of ParseConfig: the configuration so far and indexes for the
// add-time checks.
type parser struct {
	c          *Config
	ports      int
	line       int
	addrLine   map[netip.Addr]int   // router address -> line
	prefixLine map[netip.Prefix]int // every RIB prefix (connected and static) -> line
	neighLine  map[netip.Addr]int   // neighbor IP -> line
	direct     []Route              // connected and on-link routes so far, in file order
}

func (p *parser) parseLine(text string) error {
	if i := strings.IndexByte(text, '#'); i >= 0 {
		text = text[:i]
	}
	for i := 0; i < len(text); i++ {
		if b := text[i]; (b < 0x20 && b != '\t' && b != '\r') || b == 0x7f {
			return fmt.Errorf("control character 0x%02x", b)
		}
	}
	f := strings.FieldsFunc(text, func(r rune) bool { return r == ' ' || r == '\t' || r == '\r' })
	if len(f) == 0 {
		return nil
	}
	verb := func(want string) error {
		if len(f) < 2 {
			return fmt.Errorf("%s: missing %q", f[0], want)
		}
		if f[1] != want {
			return fmt.Errorf("%s: only %q is supported, not %q", f[0], want, f[1])
		}
		return nil
	}
	switch f[0] {
	case "link":
		if err := verb("set"); err != nil {
			return err
		}
		return p.link(f[2:])
	case "addr":
		if err := verb("add"); err != nil {
			return err
		}
		return p.addr(f[2:])
	case "route":
		if err := verb("add"); err != nil {
			return err
		}
		return p.route(f[2:])
	case "neigh":
		if err := verb("add"); err != nil {
			return err
		}
		return p.neigh(f[2:])
	}
	return fmt.Errorf("unknown command %q (supported: link, addr, route, neigh)", f[0])
}

// link parses `link set dev portN [address MAC] [mtu M] [up]` (after "link set").
func (p *parser) link(f []string) error {
	if len(f) < 2 || f[0] != "dev" {
		return errors.New("link set: expected `dev portN`")
	}
	port, err := p.port(f[1])
	if err != nil {
		return fmt.Errorf("link set: %w", err)
	}
	o, err := options("link set", f[2:], map[string]bool{"address": true, "mtu": true, "up": false})
	if err != nil {
		return err
	}
	if len(o) == 0 {
		return errors.New("link set: nothing to set (expected address, mtu or up)")
	}
	pt := &p.c.Ports[port]
	if v, ok := o["address"]; ok {
		mac, err := parseMAC(v)
		if err != nil {
			return fmt.Errorf("link set: %w", err)
		}
		if mac[0]&1 != 0 || isZeroMAC(mac) {
			return fmt.Errorf("link set: address %s is not a unicast MAC (Linux refuses it)", mac)
		}
		pt.MAC = mac
	}
	if v, ok := o["mtu"]; ok {
		mtu, err := parseDecimal(v)
		if err != nil || mtu < MinMTU || mtu > MaxMTU {
			return fmt.Errorf("link set: mtu %q: want a decimal number from %d to %d", v, MinMTU, MaxMTU)
		}
		pt.MTU = uint16(mtu)
	}
	if _, ok := o["up"]; ok {
		pt.Up = true
	}
	pt.Line = p.line
	return nil
}

// addr parses `addr add A.B.C.D/LEN dev portN` (after "addr add").
func (p *parser) addr(f []string) error {
	if len(f) == 0 {
		return errors.New("addr add: missing address")
	}
	ip, bits, err := parseAddrLen(f[0])
	if err != nil {
		return fmt.Errorf("addr add: %w", err)
	}
	o, err := options("addr add", f[1:], map[string]bool{"dev": true})
	if err != nil {
		return err
	}
	dev, ok := o["dev"]
	if !ok {
		return errors.New("addr add: missing `dev portN`")
	}
	port, err := p.port(dev)
	if err != nil {
		return fmt.Errorf("addr add: %w", err)
	}
	if bits == 0 {
		return fmt.Errorf("addr add: %s/0: a router address needs a prefix length from 1 to 32", ip)
	}
	if isMartian(ip) {
		return fmt.Errorf("addr add: %s is not a unicast address (0/8, 127/8, 224/4 and 240/4 are not allowed)", ip)
	}
	subnet := netip.PrefixFrom(ip, bits).Masked()
	if bits < 31 && (ip == subnet.Addr() || ip == lastAddr(subnet)) {
		return fmt.Errorf("addr add: %s is the network or broadcast address of %s", ip, subnet)
	}
	if l, dup := p.addrLine[ip]; dup {
		return fmt.Errorf("addr add: address %s already added on line %d", ip, l)
	}
	a := Addr{IP: ip, Subnet: subnet, Port: port, Line: p.line}
	if bits < 32 {
		secondary := false
		for _, d := range p.direct {
			if d.Kind == RouteConnected && d.Prefix == subnet && d.Port == port {
				secondary = true // a second address in the same subnet: no new route (as in Linux)
			}
		}
		if !secondary {
			if l, dup := p.prefixLine[subnet]; dup {
				return fmt.Errorf("addr add: connected subnet %s is already a route (line %d)", subnet, l)
			}
			p.prefixLine[subnet] = p.line
			p.direct = append(p.direct, Route{Prefix: subnet, Kind: RouteConnected, Port: port, Line: p.line})
		}
	}
	p.addrLine[ip] = p.line
	p.c.Addrs = append(p.c.Addrs, a)
	return nil
}

// routeTypes are iproute2's route types; only blackhole (and the implied unicast) is supported.
var routeTypes = map[string]bool{"unicast": true, "local": true, "broadcast": true, "multicast": true,
	"throw": true, "unreachable": true, "prohibit": true, "nat": true, "anycast": true}

// route parses the `route add` forms (after "route add").
func (p *parser) route(f []string) error {
	if len(f) == 0 {
		return errors.New("route add: missing prefix")
	}
	if routeTypes[f[0]] {
		return fmt.Errorf("route add: route type %q is not supported (only blackhole)", f[0])
	}
	if f[0] == "blackhole" {
		if len(f) < 2 {
			return errors.New("route add blackhole: missing prefix")
		}
		pfx, err := parseRoutePrefix(f[1])
		if err != nil {
			return fmt.Errorf("route add blackhole: %w", err)
		}
		if len(f) > 2 {
			return fmt.Errorf("route add blackhole: unexpected %q (a blackhole route takes only a prefix)", f[2])
		}
		return p.addRoute(Route{Prefix: pfx, Kind: RouteBlackhole, Port: -1, Line: p.line})
	}
	pfx, err := parseRoutePrefix(f[0])
	if err != nil {
		return fmt.Errorf("route add: %w", err)
	}
	o, err := options("route add", f[1:], map[string]bool{"via": true, "dev": true})
	if err != nil {
		return err
	}
	via, hasVia := o["via"]
	dev, hasDev := o["dev"]
	port := -1
	if hasDev {
		if port, err = p.port(dev); err != nil {
			return fmt.Errorf("route add: %w", err)
		}
	}
	if !hasVia {
		if !hasDev {
			return fmt.Errorf("route add %s: needs `via GW`, `dev portN` or the blackhole type", pfx)
		}
		if !p.c.Ports[port].Up {
			return fmt.Errorf("route add %s: port%d is not up (Linux refuses a route through a down "+
				"device: put `link set dev port%d up` before this line)", pfx, port, port)
		}
		r := Route{Prefix: pfx, Kind: RouteOnLink, Port: port, Dev: true, Line: p.line}
		if err := p.addRoute(r); err != nil {
			return err
		}
		p.direct = append(p.direct, r)
		return nil
	}
	gw, err := parseIPv4(via)
	if err != nil {
		return fmt.Errorf("route add %s: gateway: %w", pfx, err)
	}
	if port, err = p.gateway(gw, port); err != nil {
		return fmt.Errorf("route add %s: %w", pfx, err)
	}
	return p.addRoute(Route{Prefix: pfx, Kind: RouteVia, Gateway: gw, Port: port, Dev: hasDev, Line: p.line})
}

// gateway finds the port of a gateway as Linux does when a route is added: the longest
// connected or on-link subnet (of an up port, of port dev if dev >= 0) that contains it.
func (p *parser) gateway(gw netip.Addr, dev int) (int, error) {
	if isMartian(gw) {
		return 0, fmt.Errorf("gateway %s is not a unicast address", gw)
	}
	if l, ok := p.addrLine[gw]; ok {
		return 0, fmt.Errorf("gateway %s is a router address (line %d)", gw, l)
	}
	for _, d := range p.direct {
		if pf := d.Prefix; d.Kind == RouteConnected && pf.Bits() < 31 && pf.Contains(gw) &&
			(gw == pf.Addr() || gw == lastAddr(pf)) {
			return 0, fmt.Errorf("gateway %s is the network or broadcast address of %s (line %d)", gw, pf, d.Line)
		}
	}
	// Prefixes are unique in the RIB, so at most one subnet of each length contains gw.
	var best, down, other *Route
	for i := range p.direct {
		d := &p.direct[i]
		if !d.Prefix.Contains(gw) {
			continue
		}
		switch {
		case dev >= 0 && d.Port != dev:
			if other == nil || d.Prefix.Bits() > other.Prefix.Bits() {
				other = d
			}
		case !p.c.Ports[d.Port].Up:
			down = d
		case best == nil || d.Prefix.Bits() > best.Prefix.Bits():
			best = d
		}
	}
	switch {
	case best != nil:
		return best.Port, nil
	case down != nil:
		return 0, fmt.Errorf("gateway %s: port%d is not up yet (Linux checks the gateway when the "+
			"route is added: put `link set dev port%d up` before this line)", gw, down.Port, down.Port)
	case other != nil:
		return 0, fmt.Errorf("gateway %s is on port%d (%s, line %d), not port%d",
			gw, other.Port, other.Prefix, other.Line, dev)
	}
	return 0, fmt.Errorf("gateway %s is not inside a connected or on-link subnet defined on an "+
		"earlier line (Linux checks the gateway when the route is added)", gw)
}

func (p *parser) addRoute(r Route) error {
	if l, dup := p.prefixLine[r.Prefix]; dup {
		return fmt.Errorf("route add: a route for %s already exists (line %d)", r.Prefix, l)
	}
	p.prefixLine[r.Prefix] = p.line
	p.c.Routes = append(p.c.Routes, r)
	return nil
}

// neighStates are the `nud` states a static neighbor may have.
var neighStates = map[string]bool{"permanent": true, "noarp": true, "reachable": true, "stale": true}

// neigh parses `neigh add IP lladdr MAC dev portN [nud STATE]` (after "neigh add").
func (p *parser) neigh(f []string) error {
	if len(f) == 0 {
		return errors.New("neigh add: missing address")
	}
	ip, err := parseIPv4(f[0])
	if err != nil {
		return fmt.Errorf("neigh add: %w", err)
	}
	o, err := options("neigh add", f[1:], map[string]bool{"lladdr": true, "dev": true, "nud": true})
	if err != nil {
		return err
	}
	ll, ok := o["lladdr"]
	if !ok {
		return errors.New("neigh add: missing `lladdr MAC`")
	}
	mac, err := parseMAC(ll)
	if err != nil {
		return fmt.Errorf("neigh add: %w", err)
	}
	dev, ok := o["dev"]
	if !ok {
		return errors.New("neigh add: missing `dev portN`")
	}
	port, err := p.port(dev)
	if err != nil {
		return fmt.Errorf("neigh add: %w", err)
	}
	state := "permanent"
	if v, ok := o["nud"]; ok {
		if !neighStates[v] {
			return fmt.Errorf("neigh add: nud %q: want permanent, noarp, reachable or stale", v)
		}
		state = v
	}
	if isMartian(ip) {
		return fmt.Errorf("neigh add: %s is not a unicast address", ip)
	}
	if l, ok := p.addrLine[ip]; ok {
		return fmt.Errorf("neigh add: %s is a router address (line %d)", ip, l)
	}
	if l, dup := p.neighLine[ip]; dup {
		return fmt.Errorf("neigh add: neighbor %s already added on line %d", ip, l)
	}
	p.neighLine[ip] = p.line
	p.c.Neighbors = append(p.c.Neighbors, Neighbor{IP: ip, MAC: mac, Port: port, State: state, Line: p.line})
	return nil
}

// options parses keyword/value pairs (withValue[k] says whether keyword k takes a value).
// Every keyword may appear once.
func options(cmd string, f []string, withValue map[string]bool) (map[string]string, error) {
	o := map[string]string{}
	for i := 0; i < len(f); i++ {
		k := f[i]
		hasValue, known := withValue[k]
		if !known {
			return nil, fmt.Errorf("%s: unexpected %q", cmd, k)
		}
		if _, dup := o[k]; dup {
			return nil, fmt.Errorf("%s: %q given twice", cmd, k)
		}
		if !hasValue {
			o[k] = ""
			continue
		}
		if i+1 >= len(f) {
			return nil, fmt.Errorf("%s: %q needs a value", cmd, k)
		}
		i++
		o[k] = f[i]
	}
	return o, nil
}

// port parses "portN" (decimal N without leading zeros, N < the number of ports).
func (p *parser) port(s string) (int, error) {
	num, ok := strings.CutPrefix(s, "port")
	n, err := parseDecimal(num)
	if !ok || err != nil {
		return 0, fmt.Errorf("unknown device %q (the ports are port0..port%d)", s, p.ports-1)
	}
	if n >= p.ports {
		return 0, fmt.Errorf("%s does not exist (the ports are port0..port%d)", s, p.ports-1)
	}
	return n, nil
}

// parseDecimal parses a small non-negative decimal number without sign or leading zeros (iproute2
// reads some numbers with base 0, where a leading 0 means octal).
func parseDecimal(s string) (int, error) {
	if s == "" || len(s) > 6 || (len(s) > 1 && s[0] == '0') {
		return 0, fmt.Errorf("bad number %q", s)
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, fmt.Errorf("bad number %q", s)
		}
	}
	return strconv.Atoi(s)
}

// parseIPv4 parses a dotted-quad IPv4 address.
func parseIPv4(s string) (netip.Addr, error) {
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Addr{}, fmt.Errorf("bad IPv4 address %q", s)
	}
	if !a.Is4() {
		return netip.Addr{}, fmt.Errorf("%q: IPv6 is not supported yet", s)
	}
	return a, nil
}

// parseAddrLen parses A.B.C.D/LEN or A.B.C.D (LEN 32); host bits are allowed.
func parseAddrLen(s string) (netip.Addr, int, error) {
	as, ls, hasLen := strings.Cut(s, "/")
	a, err := parseIPv4(as)
	if err != nil {
		return a, 0, err
	}
	if !hasLen {
		return a, 32, nil
	}
	n, err := parseDecimal(ls)
	if err != nil || n > 32 {
		return a, 0, fmt.Errorf("bad prefix length %q in %q (want 0..32)", ls, s)
	}
	return a, n, nil
}

// parseRoutePrefix parses a route's destination: "default", A.B.C.D/LEN or A.B.C.D (a /32).
// Host bits are an error, as in Linux.
func parseRoutePrefix(s string) (netip.Prefix, error) {
	if s == "default" {
		return netip.PrefixFrom(netip.IPv4Unspecified(), 0), nil
	}
	a, n, err := parseAddrLen(s)
	if err != nil {
		return netip.Prefix{}, err
	}
	p := netip.PrefixFrom(a, n)
	if m := p.Masked(); m != p {
		return netip.Prefix{}, fmt.Errorf("invalid prefix for given prefix length: %s has host bits set (did you mean %s?)", s, m)
	}
	return p, nil
}

// parseMAC parses xx:xx:xx:xx:xx:xx (hex digits in either case).
func parseMAC(s string) (net.HardwareAddr, error) {
	bad := fmt.Errorf("bad MAC address %q (want xx:xx:xx:xx:xx:xx)", s)
	if len(s) != 17 {
		return nil, bad
	}
	mac := make(net.HardwareAddr, 6)
	for i := range mac {
		if i > 0 && s[3*i-1] != ':' {
			return nil, bad
		}
		hi, lo := hexDigit(s[3*i]), hexDigit(s[3*i+1])
		if hi < 0 || lo < 0 {
			return nil, bad
		}
		mac[i] = byte(hi<<4 | lo)
	}
	return mac, nil
}

func hexDigit(c byte) int {
	switch {
	case '0' <= c && c <= '9':
		return int(c - '0')
	case 'a' <= c && c <= 'f':
		return int(c-'a') + 10
	case 'A' <= c && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

func isZeroMAC(m net.HardwareAddr) bool {
	for _, b := range m {
		if b != 0 {
			return false
		}
	}
	return true
}

// isMartian reports whether a is in 0.0.0.0/8, 127.0.0.0/8, 224.0.0.0/4 or 240.0.0.0/4: never a
// router address, gateway or neighbor.
func isMartian(a netip.Addr) bool {
	b := a.As4()
	return b[0] == 0 || b[0] == 127 || b[0] >= 224
}

// lastAddr is the highest address of an IPv4 prefix (its broadcast address).
func lastAddr(p netip.Prefix) netip.Addr {
	return addrFromU32(addrU32(p.Addr()) | ^prefixMask(p.Bits()))
}

// addrU32 is an IPv4 address as a host-order number.
func addrU32(a netip.Addr) uint32 {
	b := a.As4()
	return uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
}

// addrFromU32 is the IPv4 address of a host-order number.
func addrFromU32(v uint32) netip.Addr {
	return netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)})
}

// prefixMask is the mask of a prefix length (0..32).
func prefixMask(bits int) uint32 {
	if bits <= 0 {
		return 0
	}
	return ^uint32(0) << (32 - bits)
}
