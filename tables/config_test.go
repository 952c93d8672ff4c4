package tables

import (
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"testing"
)

// testSizes are small tables for unit tests: 4 ports like the simulation build.
var testSizes = Sizes{Ports: 4, LPM: 64, Adj: 16, RAddr: 4}

// prelude brings up two ports with a subnet each; tests append lines after it.
const prelude = `link set dev port0 address 02:00:00:00:00:10 up
link set dev port1 address 02:00:00:00:00:11 mtu 1400 up
addr add 192.0.2.1/24 dev port0
addr add 198.51.100.1/24 dev port1
`

// preludeLines is the number of lines of prelude.
var preludeLines = strings.Count(prelude, "\n")

func parse(t *testing.T, text string) (*Config, error) {
	t.Helper()
	return ParseConfig("t.conf", strings.NewReader(text), testSizes)
}

func mustParse(t *testing.T, text string) *Config {
	t.Helper()
	c, err := parse(t, text)
	if err != nil {
		t.Fatalf("ParseConfig: %v\n%s", err, text)
	}
	return c
}

func pfx(s string) netip.Prefix { return netip.MustParsePrefix(s) }
func ip(s string) netip.Addr    { return netip.MustParseAddr(s) }

func TestParseLineForms(t *testing.T) {
	tests := []struct {
		name  string
		text  string // appended to prelude
		check func(t *testing.T, c *Config)
	}{
		{"link all options", "link set dev port2 address 02:AA:bb:cc:dd:0E mtu 9000 up\n", func(t *testing.T, c *Config) {
			p := c.Ports[2]
			if p.MAC.String() != "02:aa:bb:cc:dd:0e" || p.MTU != 9000 || !p.Up || p.Line != preludeLines+1 {
				t.Errorf("port2 = %+v", p)
			}
		}},
		{"link options in any order", "link set dev port2 up mtu 68\n", func(t *testing.T, c *Config) {
			if p := c.Ports[2]; p.MAC != nil || p.MTU != 68 || !p.Up {
				t.Errorf("port2 = %+v", p)
			}
		}},
		{"link mtu only keeps the rest", "link set dev port3 mtu 9198\n", func(t *testing.T, c *Config) {
			if p := c.Ports[3]; p.MAC != nil || p.MTU != 9198 || p.Up {
				t.Errorf("port3 = %+v", p)
			}
		}},
		{"link defaults", "", func(t *testing.T, c *Config) {
			if p := c.Ports[0]; p.MTU != DefaultMTU || p.MAC.String() != "02:00:00:00:00:10" {
				t.Errorf("port0 = %+v", p)
			}
			if p := c.Ports[3]; p.MTU != DefaultMTU || p.MAC != nil || p.Up || p.Line != 0 {
				t.Errorf("port3 = %+v", p)
			}
		}},
		{"addr", "", func(t *testing.T, c *Config) {
			want := []Addr{
				{IP: ip("192.0.2.1"), Subnet: pfx("192.0.2.0/24"), Port: 0, Line: 3},
				{IP: ip("198.51.100.1"), Subnet: pfx("198.51.100.0/24"), Port: 1, Line: 4},
			}
			if fmt.Sprint(c.Addrs) != fmt.Sprint(want) {
				t.Errorf("Addrs = %v, want %v", c.Addrs, want)
			}
			rib := c.RIB()
			if len(rib) != 2 || rib[0].Kind != RouteConnected || rib[0].Prefix != pfx("192.0.2.0/24") || rib[1].Port != 1 {
				t.Errorf("RIB = %v", rib)
			}
		}},
		{"addr /32 has no connected route", "addr add 192.0.2.77/32 dev port1\naddr add 203.0.113.9 dev port0\n", func(t *testing.T, c *Config) {
			if len(c.Addrs) != 4 || c.Addrs[3].Subnet != pfx("203.0.113.9/32") {
				t.Errorf("Addrs = %v", c.Addrs)
			}
			if rib := c.RIB(); len(rib) != 2 {
				t.Errorf("RIB = %v", rib)
			}
		}},
		{"secondary address in the same subnet", "addr add 192.0.2.200/24 dev port0\n", func(t *testing.T, c *Config) {
			if len(c.Addrs) != 3 || len(c.RIB()) != 2 {
				t.Errorf("Addrs = %v, RIB = %v", c.Addrs, c.RIB())
			}
		}},
		{"addr /31", "link set dev port2 up\naddr add 203.0.113.0/31 dev port2\n", func(t *testing.T, c *Config) {
			if rib := c.RIB(); len(rib) != 3 || rib[2].Prefix != pfx("203.0.113.0/31") {
				t.Errorf("RIB = %v", rib)
			}
		}},
		{"route via without dev finds the port", "route add 10.0.0.0/8 via 198.51.100.7\n", func(t *testing.T, c *Config) {
			want := Route{Prefix: pfx("10.0.0.0/8"), Kind: RouteVia, Gateway: ip("198.51.100.7"), Port: 1, Line: 5}
			if len(c.Routes) != 1 || c.Routes[0] != want {
				t.Errorf("Routes = %v, want %v", c.Routes, want)
			}
		}},
		{"route via with dev", "route add 10.1.0.0/16 via 192.0.2.2 dev port0\n", func(t *testing.T, c *Config) {
			want := Route{Prefix: pfx("10.1.0.0/16"), Kind: RouteVia, Gateway: ip("192.0.2.2"), Port: 0, Dev: true, Line: 5}
			if c.Routes[0] != want {
				t.Errorf("route = %+v, want %+v", c.Routes[0], want)
			}
		}},
		{"route dev before via", "route add 10.1.0.0/16 dev port0 via 192.0.2.2\n", func(t *testing.T, c *Config) {
			if r := c.Routes[0]; r.Kind != RouteVia || r.Port != 0 || r.Gateway != ip("192.0.2.2") {
				t.Errorf("route = %+v", r)
			}
		}},
		{"route on-link", "route add 10.9.0.0/16 dev port1\n", func(t *testing.T, c *Config) {
			want := Route{Prefix: pfx("10.9.0.0/16"), Kind: RouteOnLink, Port: 1, Dev: true, Line: 5}
			if c.Routes[0] != want {
				t.Errorf("route = %+v, want %+v", c.Routes[0], want)
			}
		}},
		{"route blackhole", "route add blackhole 10.66.0.0/16\n", func(t *testing.T, c *Config) {
			want := Route{Prefix: pfx("10.66.0.0/16"), Kind: RouteBlackhole, Port: -1, Line: 5}
			if c.Routes[0] != want {
				t.Errorf("route = %+v, want %+v", c.Routes[0], want)
			}
		}},
		{"route default", "route add default via 192.0.2.2\n", func(t *testing.T, c *Config) {
			if r := c.Routes[0]; r.Prefix != pfx("0.0.0.0/0") || r.Port != 0 {
				t.Errorf("route = %+v", r)
			}
		}},
		{"route 0.0.0.0/0", "route add 0.0.0.0/0 via 198.51.100.2 dev port1\n", func(t *testing.T, c *Config) {
			if r := c.Routes[0]; r.Prefix != pfx("0.0.0.0/0") || r.Port != 1 {
				t.Errorf("route = %+v", r)
			}
		}},
		{"route bare address is a /32", "route add 10.1.2.3 via 192.0.2.2\nroute add blackhole 10.1.2.4\n", func(t *testing.T, c *Config) {
			if c.Routes[0].Prefix != pfx("10.1.2.3/32") || c.Routes[1].Prefix != pfx("10.1.2.4/32") {
				t.Errorf("routes = %v", c.Routes)
			}
		}},
		{"gateway in an earlier on-link subnet", "route add 10.9.0.0/16 dev port1\nroute add 10.10.0.0/16 via 10.9.1.1\n", func(t *testing.T, c *Config) {
			if r := c.Routes[1]; r.Port != 1 || r.Kind != RouteVia {
				t.Errorf("route = %+v", r)
			}
		}},
		{"gateway takes the longest subnet", "route add 192.0.2.128/25 dev port1\nroute add 10.0.0.0/8 via 192.0.2.200\nroute add 11.0.0.0/8 via 192.0.2.201 dev port0\n", func(t *testing.T, c *Config) {
			if r := c.Routes[1]; r.Port != 1 {
				t.Errorf("route = %+v, want port1 (the /25)", r)
			}
			if r := c.Routes[2]; r.Port != 0 {
				t.Errorf("route = %+v, want port0 (dev given)", r)
			}
		}},
		{"gateway in a subnet covered by a blackhole", "route add blackhole 192.0.2.0/25\nroute add 10.0.0.0/8 via 192.0.2.5\n", func(t *testing.T, c *Config) {
			if r := c.Routes[1]; r.Port != 0 {
				t.Errorf("route = %+v", r)
			}
		}},
		{"route inside a connected subnet", "route add 192.0.2.128/25 via 198.51.100.2\n", func(t *testing.T, c *Config) {
			if len(c.RIB()) != 3 {
				t.Errorf("RIB = %v", c.RIB())
			}
		}},
		{"neigh", "neigh add 192.0.2.2 lladdr 02:00:00:00:01:02 dev port0\n", func(t *testing.T, c *Config) {
			n := c.Neighbors[0]
			if n.IP != ip("192.0.2.2") || n.MAC.String() != "02:00:00:00:01:02" || n.Port != 0 || n.State != "permanent" || n.Line != 5 {
				t.Errorf("neighbor = %+v", n)
			}
		}},
		{"neigh keywords in any order with nud", "neigh add 198.51.100.9 dev port1 nud stale lladdr 02:00:00:00:01:09\n" +
			"neigh add 198.51.100.10 lladdr 02:00:00:00:01:0a dev port1 nud noarp\n" +
			"neigh add 198.51.100.11 lladdr 02:00:00:00:01:0b dev port1 nud reachable\n" +
			"neigh add 198.51.100.12 lladdr 02:00:00:00:01:0c dev port1 nud permanent\n", func(t *testing.T, c *Config) {
			var got []string
			for _, n := range c.Neighbors {
				got = append(got, n.State)
			}
			if strings.Join(got, ",") != "stale,noarp,reachable,permanent" || c.Neighbors[0].Port != 1 {
				t.Errorf("neighbors = %+v", c.Neighbors)
			}
		}},
		{"neighbor may precede its subnet", "neigh add 203.0.113.5 lladdr 02:00:00:00:01:05 dev port2\nlink set dev port2 up\naddr add 203.0.113.1/24 dev port2\n", func(t *testing.T, c *Config) {
			if len(c.Neighbors) != 1 {
				t.Errorf("neighbors = %v", c.Neighbors)
			}
		}},
		{"neighbor in an on-link subnet", "route add 10.9.0.0/16 dev port1\nneigh add 10.9.0.5 lladdr 02:00:00:00:01:05 dev port1\n", func(t *testing.T, c *Config) {
			if len(c.Neighbors) != 1 {
				t.Errorf("neighbors = %v", c.Neighbors)
			}
		}},
		{"comments, blank lines, tabs and CRLF", "\n# a comment\n   \t\n\troute\tadd 10.0.0.0/8  via 192.0.2.2 # trailing\r\nroute add 11.0.0.0/8 via 192.0.2.2#glued\n#route add 12.0.0.0/8 via 192.0.2.2\n", func(t *testing.T, c *Config) {
			if len(c.Routes) != 2 || c.Routes[0].Line != preludeLines+4 || c.Routes[1].Line != preludeLines+5 {
				t.Errorf("routes = %v", c.Routes)
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.check(t, mustParse(t, prelude+tc.text))
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		text string // appended to prelude; the error is on its last line unless line is set
		line int    // line of the error, counted in text (0: the last line of text)
		want string // substring of the message
	}{
		{"unknown command", "rule add from all\n", 0, `unknown command "rule"`},
		{"abbreviated command", "ro add 10.0.0.0/8 via 192.0.2.2\n", 0, `unknown command "ro"`},
		{"IPv6 family option", "-6 route add ::/0 via fe80::1\n", 0, "unknown command"},
		{"link without verb", "link\n", 0, `link: missing "set"`},
		{"link show", "link show\n", 0, `only "set" is supported`},
		{"link without dev", "link set port0 up\n", 0, "expected `dev portN`"},
		{"link nothing to set", "link set dev port0\n", 0, "nothing to set"},
		{"link down", "link set dev port0 down\n", 0, `unexpected "down"`},
		{"link unknown keyword", "link set dev port0 txqueuelen 5\n", 0, `unexpected "txqueuelen"`},
		{"link port out of range", "link set dev port4 up\n", 0, "port4 does not exist"},
		{"link unknown device", "link set dev eth0 up\n", 0, `unknown device "eth0"`},
		{"link port leading zero", "link set dev port01 up\n", 0, `unknown device "port01"`},
		{"link mtu missing value", "link set dev port0 mtu\n", 0, `"mtu" needs a value`},
		{"link mtu too small", "link set dev port0 mtu 67\n", 0, "want a decimal number from 68 to 9198"},
		{"link mtu too large", "link set dev port0 mtu 9199\n", 0, "68 to 9198"},
		{"link mtu octal-looking", "link set dev port0 mtu 01500\n", 0, "68 to 9198"},
		{"link mtu hex", "link set dev port0 mtu 0x5dc\n", 0, "68 to 9198"},
		{"link mtu twice", "link set dev port0 mtu 1500 mtu 1400\n", 0, `"mtu" given twice`},
		{"link up twice", "link set dev port0 up up\n", 0, `"up" given twice`},
		{"link short MAC", "link set dev port0 address 02:00:00:00:00\n", 0, "bad MAC address"},
		{"link MAC one-digit groups", "link set dev port0 address 2:0:0:0:0:10:1\n", 0, "bad MAC address"},
		{"link MAC bad digit", "link set dev port0 address 02:00:00:00:0g:10\n", 0, "bad MAC address"},
		{"link MAC dashes", "link set dev port0 address 02-00-00-00-00-10\n", 0, "bad MAC address"},
		{"link multicast MAC", "link set dev port0 address 03:00:00:00:00:10\n", 0, "not a unicast MAC"},
		{"link zero MAC", "link set dev port0 address 00:00:00:00:00:00\n", 0, "not a unicast MAC"},
		{"addr del", "addr del 192.0.2.1/24 dev port0\n", 0, `only "add" is supported, not "del"`},
		{"addr missing address", "addr add\n", 0, "missing address"},
		{"addr missing dev", "addr add 192.0.2.9/24\n", 0, "missing `dev portN`"},
		{"addr IPv6", "addr add 2001:db8::1/64 dev port0\n", 0, "IPv6 is not supported yet"},
		{"addr IPv4-mapped IPv6", "addr add ::ffff:192.0.2.9/120 dev port0\n", 0, "IPv6 is not supported yet"},
		{"addr bad address", "addr add 192.0.2/24 dev port0\n", 0, "bad IPv4 address"},
		{"addr leading zeros", "addr add 192.0.2.010/24 dev port0\n", 0, "bad IPv4 address"},
		{"addr prefix too long", "addr add 192.0.2.9/33 dev port0\n", 0, "bad prefix length"},
		{"addr prefix leading zero", "addr add 192.0.2.9/024 dev port0\n", 0, "bad prefix length"},
		{"addr netmask form", "addr add 192.0.2.9/255.255.255.0 dev port0\n", 0, "bad prefix length"},
		{"addr /0", "addr add 192.0.2.9/0 dev port0\n", 0, "prefix length from 1 to 32"},
		{"addr extra keyword", "addr add 192.0.2.9/24 dev port0 label port0:1\n", 0, `unexpected "label"`},
		{"addr extra token", "addr add 192.0.2.9/24 dev port0 port0\n", 0, `unexpected "port0"`},
		{"addr port out of range", "addr add 203.0.113.1/24 dev port9\n", 0, "port9 does not exist"},
		{"addr loopback", "addr add 127.0.0.2/8 dev port0\n", 0, "not a unicast address"},
		{"addr multicast", "addr add 224.0.0.9/24 dev port0\n", 0, "not a unicast address"},
		{"addr zero net", "addr add 0.1.2.3/24 dev port0\n", 0, "not a unicast address"},
		{"addr network address", "addr add 203.0.113.0/24 dev port0\n", 0, "network or broadcast address"},
		{"addr broadcast address", "addr add 203.0.113.255/24 dev port0\n", 0, "network or broadcast address"},
		{"addr duplicate", "addr add 192.0.2.1/24 dev port0\n", 0, "address 192.0.2.1 already added on line 3"},
		{"addr duplicate on another port", "addr add 192.0.2.1/25 dev port1\n", 0, "already added on line 3"},
		{"addr subnet on another port", "addr add 192.0.2.9/24 dev port1\n", 0, "connected subnet 192.0.2.0/24 is already a route (line 3)"},
		{"addr subnet is a static route", "route add 203.0.113.0/24 via 192.0.2.2\nlink set dev port2 up\naddr add 203.0.113.1/24 dev port2\n", 0, "already a route (line 5)"},
		{"addr on a port never up", "addr add 203.0.113.1/24 dev port2\nroute add 10.0.0.0/8 via 192.0.2.2\n", 1, "port2 is never brought up"},
		{"route del", "route del 10.0.0.0/8\n", 0, `only "add" is supported, not "del"`},
		{"route missing prefix", "route add\n", 0, "missing prefix"},
		{"route host bits", "route add 10.1.2.3/24 via 192.0.2.2\n", 0, "invalid prefix for given prefix length: 10.1.2.3/24 has host bits set (did you mean 10.1.2.0/24?)"},
		{"route host bits in blackhole", "route add blackhole 10.66.1.0/15\n", 0, "invalid prefix for given prefix length"},
		{"route without next hop", "route add 10.0.0.0/8\n", 0, "needs `via GW`, `dev portN` or the blackhole type"},
		{"route unreachable", "route add unreachable 10.0.0.0/8\n", 0, `route type "unreachable" is not supported`},
		{"route blackhole missing prefix", "route add blackhole\n", 0, "missing prefix"},
		{"route blackhole with dev", "route add blackhole 10.0.0.0/8 dev port0\n", 0, `unexpected "dev"`},
		{"route metric", "route add 10.0.0.0/8 via 192.0.2.2 metric 10\n", 0, `unexpected "metric"`},
		{"route onlink flag", "route add 10.0.0.0/8 via 192.0.2.2 dev port0 onlink\n", 0, `unexpected "onlink"`},
		{"route two prefixes", "route add 10.0.0.0/8 11.0.0.0/8 via 192.0.2.2\n", 0, `unexpected "11.0.0.0/8"`},
		{"route via missing gateway", "route add 10.0.0.0/8 via\n", 0, `"via" needs a value`},
		{"route via twice", "route add 10.0.0.0/8 via 192.0.2.2 via 192.0.2.3\n", 0, `"via" given twice`},
		{"route IPv6 prefix", "route add 2001:db8::/32 via 192.0.2.2\n", 0, "IPv6 is not supported yet"},
		{"route IPv6 gateway", "route add 10.0.0.0/8 via fe80::1 dev port0\n", 0, "IPv6 is not supported yet"},
		{"route short prefix form", "route add 10/8 via 192.0.2.2\n", 0, "bad IPv4 address"},
		{"route bad gateway", "route add 10.0.0.0/8 via gateway\n", 0, `bad IPv4 address "gateway"`},
		{"route gateway outside every subnet", "route add 10.0.0.0/8 via 203.0.113.2\n", 0, "gateway 203.0.113.2 is not inside a connected or on-link subnet defined on an earlier line"},
		{"route gateway subnet added later", "route add 10.0.0.0/8 via 203.0.113.2\nlink set dev port2 up\naddr add 203.0.113.1/24 dev port2\n", 1, "not inside a connected or on-link subnet"},
		{"route gateway through a gateway route", "route add 10.0.0.0/8 via 192.0.2.2\nroute add 11.0.0.0/8 via 10.1.1.1\n", 0, "gateway 10.1.1.1 is not inside"},
		{"route gateway on another dev", "route add 10.0.0.0/8 via 192.0.2.2 dev port1\n", 0, "gateway 192.0.2.2 is on port0 (192.0.2.0/24, line 3), not port1"},
		{"route gateway is a router address", "route add 10.0.0.0/8 via 192.0.2.1\n", 0, "gateway 192.0.2.1 is a router address (line 3)"},
		{"route gateway is the broadcast address", "route add 10.0.0.0/8 via 192.0.2.255\n", 0, "gateway 192.0.2.255 is the network or broadcast address of 192.0.2.0/24"},
		{"route gateway is the network address", "route add 10.0.0.0/8 via 198.51.100.0\n", 0, "network or broadcast address"},
		{"route gateway martian", "route add 10.0.0.0/8 via 127.0.0.1\n", 0, "gateway 127.0.0.1 is not a unicast address"},
		{"route gateway on a port not up", "addr add 203.0.113.1/24 dev port2\nroute add 10.0.0.0/8 via 203.0.113.2\n", 0, "port2 is not up yet"},
		{"route on-link on a port not up", "route add 10.0.0.0/8 dev port2\n", 0, "port2 is not up"},
		{"route on-link port out of range", "route add 10.0.0.0/8 dev port4\n", 0, "port4 does not exist"},
		{"route duplicate", "route add 10.0.0.0/8 via 192.0.2.2\nroute add blackhole 10.0.0.0/8\n", 0, "a route for 10.0.0.0/8 already exists (line 5)"},
		{"route duplicate default", "route add default via 192.0.2.2\nroute add 0.0.0.0/0 via 198.51.100.2\n", 0, "a route for 0.0.0.0/0 already exists (line 5)"},
		{"route duplicate of connected", "route add 192.0.2.0/24 dev port0\n", 0, "a route for 192.0.2.0/24 already exists (line 3)"},
		{"neigh del", "neigh del 192.0.2.2 dev port0\n", 0, `only "add" is supported`},
		{"neigh missing address", "neigh add\n", 0, "missing address"},
		{"neigh missing lladdr", "neigh add 192.0.2.2 dev port0\n", 0, "missing `lladdr MAC`"},
		{"neigh missing dev", "neigh add 192.0.2.2 lladdr 02:00:00:00:01:02\n", 0, "missing `dev portN`"},
		{"neigh bad MAC", "neigh add 192.0.2.2 lladdr 02:00:00:00:01 dev port0\n", 0, "bad MAC address"},
		{"neigh bad nud", "neigh add 192.0.2.2 lladdr 02:00:00:00:01:02 dev port0 nud failed\n", 0, `nud "failed"`},
		{"neigh proxy", "neigh add proxy 192.0.2.2 dev port0\n", 0, `bad IPv4 address "proxy"`},
		{"neigh extra token", "neigh add 192.0.2.2 lladdr 02:00:00:00:01:02 dev port0 router\n", 0, `unexpected "router"`},
		{"neigh IPv6", "neigh add 2001:db8::2 lladdr 02:00:00:00:01:02 dev port0\n", 0, "IPv6 is not supported yet"},
		{"neigh port out of range", "neigh add 192.0.2.2 lladdr 02:00:00:00:01:02 dev port4\n", 0, "port4 does not exist"},
		{"neigh router address", "neigh add 198.51.100.1 lladdr 02:00:00:00:01:02 dev port1\n", 0, "198.51.100.1 is a router address (line 4)"},
		{"neigh martian", "neigh add 240.0.0.1 lladdr 02:00:00:00:01:02 dev port1\n", 0, "not a unicast address"},
		{"neigh duplicate", "neigh add 192.0.2.2 lladdr 02:00:00:00:01:02 dev port0\nneigh add 192.0.2.2 lladdr 02:00:00:00:01:03 dev port0\n", 0, "neighbor 192.0.2.2 already added on line 5"},
		{"neigh outside its port's subnets", "neigh add 198.51.100.7 lladdr 02:00:00:00:01:02 dev port0\nroute add 10.0.0.0/8 via 192.0.2.2\n", 1, "neighbor 198.51.100.7 is outside every connected or on-link subnet of port0"},
		{"neigh in a routed prefix only", "route add 10.0.0.0/8 via 192.0.2.2\nneigh add 10.0.0.7 lladdr 02:00:00:00:01:02 dev port0\n", 0, "outside every connected or on-link subnet"},
		{"neigh broadcast address", "neigh add 192.0.2.255 lladdr 02:00:00:00:01:02 dev port0\n", 0, "network or broadcast address of 192.0.2.0/24"},
		{"control character", "route add 10.0.0.0/8\x00 via 192.0.2.2\n", 0, "control character 0x00"},
		{"line continuation", "route add 10.0.0.0/8 \\\n", 0, `unexpected "\\"`},
		{"quoted word", "link set dev \"port0\" up\n", 0, "unknown device"},
		{"line too long", "# " + strings.Repeat("x", maxLineBytes) + "\n", 0, "line longer than"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			line := tc.line
			if line == 0 {
				line = strings.Count(tc.text, "\n")
			}
			line += preludeLines
			c, err := parse(t, prelude+tc.text)
			if err == nil {
				t.Fatalf("no error; config %+v", c)
			}
			prefix := fmt.Sprintf("t.conf:%d: ", line)
			if !strings.HasPrefix(err.Error(), prefix) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q\nwant prefix %q and %q", err, prefix, tc.want)
			}
			var ce *ConfigError
			if !errors.As(err, &ce) || ce.File != "t.conf" || ce.Line != line {
				t.Errorf("error %#v is not a *ConfigError at line %d", err, line)
			}
		})
	}
}

func TestParseSizes(t *testing.T) {
	if _, err := ParseConfig("t.conf", strings.NewReader(""), Sizes{}); err == nil {
		t.Error("0 ports accepted")
	}
	c, err := ParseConfig("t.conf", strings.NewReader("link set dev port0 up\n"), Sizes{Ports: 1})
	if err != nil || len(c.Ports) != 1 {
		t.Errorf("1 port: %v, %+v", err, c)
	}
	if _, err := ParseConfig("t.conf", strings.NewReader("link set dev port1 up\n"), Sizes{Ports: 1}); err == nil ||
		!strings.Contains(err.Error(), "the ports are port0..port0") {
		t.Errorf("port1 of 1: %v", err)
	}
}

type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, errors.New("disk on fire") }

func TestParseReadError(t *testing.T) {
	_, err := ParseConfig("t.conf", errReader{}, testSizes)
	if err == nil || err.Error() != "t.conf:1: read: disk on fire" {
		t.Errorf("error = %v", err)
	}
}

func TestLoadConfig(t *testing.T) {
	for _, f := range []string{"../test/configs/demo.conf", "../test/configs/small.conf"} {
		c, err := LoadConfig(f, SimSizes)
		if err != nil {
			t.Fatal(err)
		}
		if c.Name != f || len(c.Ports) != SimSizes.Ports {
			t.Errorf("%s: Name %q, %d ports", f, c.Name, len(c.Ports))
		}
	}
	if _, err := LoadConfig("testdata/does-not-exist.conf", SimSizes); err == nil {
		t.Error("missing file accepted")
	}
}

// TestDemoConfig checks that the bundled demo exercises what it promises.
func TestDemoConfig(t *testing.T) {
	im, c, err := Build("../test/configs/demo.conf", SimSizes)
	if err != nil {
		t.Fatal(err)
	}
	mtus := map[uint16]int{}
	for i, p := range c.Ports {
		if !p.Up || p.MAC.String() != fmt.Sprintf("02:00:00:00:00:1%d", i) {
			t.Errorf("port%d = %+v", i, p)
		}
		mtus[p.MTU]++
	}
	if mtus[1500] != 3 || mtus[1400] != 1 {
		t.Errorf("MTUs %v, want three 1500 and one 1400", mtus)
	}
	if len(c.Addrs) != 4 {
		t.Errorf("%d addresses", len(c.Addrs))
	}
	for _, a := range c.Addrs {
		if b := a.IP.As4(); b[0] == 0 || b[0] == 127 || b[0] >= 224 {
			t.Errorf("address %v", a.IP)
		}
	}
	kinds := map[AdjKind]int{}
	for _, e := range im.LPM {
		if e.Valid {
			kinds[im.Adj[e.Adj].Kind]++
		}
	}
	gleanNextHop := false
	for _, a := range im.Adj {
		if a.Kind == AdjGlean && a.NextHop != NextHopDirect && a.NextHop != "" {
			gleanNextHop = true
		}
	}
	if !gleanNextHop || kinds[AdjBlackhole] == 0 || kinds[AdjForward] == 0 {
		t.Errorf("demo lacks a glean next hop, a blackhole or a forward route: %v", kinds)
	}
	if len(c.Routes) < 24 {
		t.Errorf("only %d static routes", len(c.Routes))
	}
	if r, ok := c.ResolveRoute(addrU32(ip("203.0.113.99"))); !ok || r.Port != 2 {
		t.Errorf("203.0.113.99 -> %+v", r)
	}
}
