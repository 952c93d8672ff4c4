package tables

import (
	"errors"
	"fmt"
)

// Texts of AdjEntry.NextHop for rows that have no gateway.
const (
	NextHopDirect    = "direct"    // glean row of a port's connected and on-link subnets
	NextHopBlackhole = "blackhole" // the blackhole row
)

// Build loads the configuration file at path and compiles it for a build of the given sizes.
func Build(path string, s Sizes) (*Image, *Config, error) {
	c, err := LoadConfig(path, s)
	if err != nil {
		return nil, nil, err
	}
	im, err := Compile(c, s)
	if err != nil {
		return nil, c, err
	}
	return im, c, nil
}

// Compile turns a configuration into the table image of a build of the given sizes.
//
//   - Port table: MAC and MTU of each port (a port never given a MAC has zeros, MTU 1500).
//   - Router addresses: one valid entry per `addr add`, in file order from index 0.
//   - Adjacency rows, allocated in file order of the entries that use them (row index =
//     allocation order, unused rows stay empty): one per next hop, i.e. per distinct (gateway
//     or neighbor IP, port), forward with the neighbor's MAC when a `neigh add` gives that IP on
//     that port, glean otherwise; one glean row per port for its connected and on-link subnets
//     (NextHop "direct"); one shared blackhole row (port 0, zero MACs and MTU). SrcMAC and MTU
//     of a row are those of its egress port.
//   - LPM entries: every RIB route (connected subnets included) and a /32 host entry per
//     neighbor whose address is best matched by a connected or on-link route of its own port,
//     pointing to its forward row. Sorted longest prefix first, then by value, then by line,
//     from index 0; the rest of the table is invalid.
//
// Errors located in the file are *ConfigError ("FILE:LINE: ..."); a table too small for the
// configuration gives an error that wraps ErrTableFull and says how much is needed.
func Compile(c *Config, s Sizes) (*Image, error) {
	if c == nil {
		return nil, errors.New("tables: Compile of a nil configuration")
	}
	if s.Ports < 1 || s.Ports > maxPorts || s.LPM < 0 || s.Adj < 0 || s.RAddr < 0 || s.LPM > 1<<16 || s.Adj > 1<<16 {
		return nil, fmt.Errorf("%s: invalid sizes %+v", c.Name, s)
	}
	if err := c.checkPorts(s.Ports); err != nil {
		return nil, err
	}
	im := NewImage(s)
	for i := 0; i < s.Ports && i < len(c.Ports); i++ {
		p := c.Ports[i]
		if len(p.MAC) == 6 {
			copy(im.Ports[i].MAC, p.MAC)
		} else if p.MAC != nil {
			return nil, c.errorf(p.Line, "port%d has a %d-byte MAC address", i, len(p.MAC))
		}
		im.Ports[i].MTU = p.MTU
	}
	for i, a := range c.Addrs {
		if i >= s.RAddr {
			return nil, &ConfigError{File: c.Name, Line: a.Line, Err: fmt.Errorf(
				"router address %s: router-address %w: %d addresses, the build has %d entries",
				a.IP, ErrTableFull, len(c.Addrs), s.RAddr)}
		}
		if !a.IP.Is4() {
			return nil, c.errorf(a.Line, "router address %v is not IPv4", a.IP)
		}
		im.RAddr[i] = RAddrEntry{Valid: true, Addr: addrU32(a.IP)}
	}
	f, err := c.buildFIB()
	if err != nil {
		return nil, err
	}
	if len(f.entries) > s.LPM {
		return nil, fmt.Errorf("%s: LPM %w: %d entries needed, %d available", c.Name, ErrTableFull, len(f.entries), s.LPM)
	}
	if len(f.rows) > s.Adj {
		return nil, fmt.Errorf("%s: adjacency %w: %d rows needed, %d available", c.Name, ErrTableFull, len(f.rows), s.Adj)
	}
	neigh := c.neighborIndex()
	for j, k := range f.rows {
		row := &im.Adj[j]
		switch k.kind {
		case adjBlackhole:
			row.Kind, row.NextHop = AdjBlackhole, NextHopBlackhole
			continue
		case adjDirect:
			row.Kind, row.NextHop = AdjGlean, NextHopDirect
		case adjNextHop:
			row.Kind, row.NextHop = AdjGlean, k.ip.String()
			if mac, ok := neigh[neighKey{k.ip, k.port}]; ok {
				if len(mac) != 6 {
					return nil, fmt.Errorf("%s: neighbor %s has a %d-byte MAC address", c.Name, k.ip, len(mac))
				}
				row.Kind = AdjForward
				copy(row.DstMAC, mac)
			}
		}
		row.Port = uint8(k.port)
		copy(row.SrcMAC, im.Ports[k.port].MAC)
		row.MTU = im.Ports[k.port].MTU
	}
	for i, e := range f.entries {
		im.LPM[i] = LPMEntry{
			Valid:  true,
			Value:  addrU32(e.prefix.Addr()),
			Mask:   prefixMask(e.prefix.Bits()),
			Adj:    uint16(f.rowOf[e.adj]),
			Prefix: e.prefix.String(),
		}
	}
	return im, nil
}

// checkPorts checks that everything in the configuration names a port of a build with n ports
// (a configuration parsed for more ports may be compiled for fewer if it does not use them).
func (c *Config) checkPorts(n int) error {
	bad := func(port int) bool { return port < 0 || port >= n }
	msg := "port%d does not exist in a build with %d ports"
	for i := n; i < len(c.Ports); i++ {
		if p := c.Ports[i]; p.Line != 0 || p.Up || p.MAC != nil {
			return c.errorf(p.Line, msg, i, n)
		}
	}
	for _, a := range c.Addrs {
		if bad(a.Port) {
			return c.errorf(a.Line, msg, a.Port, n)
		}
	}
	for _, r := range c.Routes {
		if r.Kind != RouteBlackhole && bad(r.Port) {
			return c.errorf(r.Line, msg, r.Port, n)
		}
	}
	for _, nb := range c.Neighbors {
		if bad(nb.Port) {
			return c.errorf(nb.Line, msg, nb.Port, n)
		}
	}
	return nil
}
