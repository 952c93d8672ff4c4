package router

import (
	"bytes"
	"encoding/binary"
	"net"
	"net/netip"
	"slices"
	"time"

	"github.com/linerate/linerate/tables"
)

// nstate is a neighbour's state.
type nstate uint8

const (
	stateStatic     nstate = iota // from the configuration: never changed by ARP
	stateIncomplete               // being resolved: ARP requests out, packets held
	stateReachable                // learned and confirmed within ReachableTime
	stateProbe                    // learned, unconfirmed for ReachableTime: unicast probes out
)

// neighbor is one entry of the slow path's neighbour table (the configuration's and the
// learned ones).
type neighbor struct {
	ip     netip.Addr
	port   int
	mac    net.HardwareAddr
	state  nstate
	probes int       // ARP requests sent in this state
	next   time.Time // the next probe (incomplete, probe) or the end of trust (reachable)
	held   []heldPacket
	bytes  int
}

// heldPacket is a packet waiting for its next hop's MAC.
type heldPacket struct {
	ip    []byte
	local bool // the router's own packet (no ICMP error about it)
	what  string
}

func (n *neighbor) installed() bool {
	return n.state == stateStatic || n.state == stateReachable || n.state == stateProbe
}

// toNeighbor sends IPv4 packets out of port to next hop nh, or holds them while nh is
// resolved.
func (s *Stack) toNeighbor(now time.Time, o *outputs, port int, nh netip.Addr, pkts [][]byte, local bool, what string) {
	n := s.neigh[nh]
	if n != nil && n.installed() {
		for _, p := range pkts {
			s.emit(o, port, ethernet(n.mac, s.ports[port].mac, etIPv4, p), what)
		}
		return
	}
	if n == nil {
		n = &neighbor{ip: nh, port: port, state: stateIncomplete, next: now}
		s.neigh[nh] = n
	}
	for _, p := range pkts {
		n.held = append(n.held, heldPacket{ip: p, local: local, what: what})
		n.bytes += len(p)
	}
	for n.bytes > s.opt.HoldBytes && len(n.held) > 1 {
		n.bytes -= len(n.held[0].ip)
		n.held = n.held[1:]
		s.stats.HeldDropped++
	}
	if n.probes == 0 {
		s.solicit(o, n, pkts[0])
		n.next = now.Add(s.opt.ARPInterval)
	}
}

// solicit sends an ARP request for n: broadcast while resolving, unicast to the known MAC
// while probing. The sender address is the source of the packet that triggered it when that
// is a router address, else the port's address for the target's subnet (Linux's arp_solicit
// with arp_announce=0).
func (s *Stack) solicit(o *outputs, n *neighbor, trigger []byte) {
	n.probes++
	spa := netip.Addr{}
	if len(trigger) >= 20 {
		if a := netip.AddrFrom4([4]byte(trigger[12:16])); s.local[a] {
			spa = a
		}
	}
	if !spa.IsValid() {
		spa = s.portSource(n.port, n.ip)
	}
	dst := net.HardwareAddr{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}
	if n.state == stateProbe {
		dst = n.mac
	}
	mac := s.ports[n.port].mac
	s.emit(o, n.port, ethernet(dst, mac, etARP, arpPacket(1, mac, spa, make(net.HardwareAddr, 6), n.ip)), "arp request")
}

// arpInput handles an ARP frame: it answers requests for router addresses and learns or
// confirms senders, as Linux's arp_process does (arp_ignore=0, arp_accept=0).
func (s *Stack) arpInput(now time.Time, in int, frame []byte) []Output {
	if len(frame) < 42 || binary.BigEndian.Uint16(frame[12:]) != etARP {
		s.drop("bad arp")
		return nil
	}
	a := frame[14:]
	if binary.BigEndian.Uint16(a[0:]) != 1 || binary.BigEndian.Uint16(a[2:]) != etIPv4 || a[4] != 6 || a[5] != 4 {
		s.drop("arp not ethernet/ipv4")
		return nil
	}
	op := binary.BigEndian.Uint16(a[6:])
	sha := net.HardwareAddr(slices.Clone(a[8:14]))
	spa := netip.AddrFrom4([4]byte(a[14:18]))
	tpa := netip.AddrFrom4([4]byte(a[24:28]))
	if op != 1 && op != 2 {
		s.drop("arp op")
		return nil
	}
	if tpa.IsMulticast() || spa.IsMulticast() || spa.IsLoopback() || limitedBroadcast(spa) {
		s.drop("arp addresses")
		return nil
	}
	var o outputs
	forUs := op == 1 && s.local[tpa]
	if forUs {
		mac := s.ports[in].mac
		s.emit(&o, in, ethernet(sha, mac, etARP, arpPacket(2, mac, tpa, sha, spa)), "arp reply")
	}
	if spa.IsUnspecified() {
		return o.list // a probe (RFC 5227): answered, nothing to learn
	}
	s.learn(now, &o, in, spa, sha, forUs)
	return o.list
}

// learn records that ip is at mac on port: it completes a resolution (and sends what was
// held), confirms or updates a learned entry, or, when create is set (a request for a router
// address), adds one. Only senders on a subnet of the port are learned: the data plane gets
// a host entry for each.
func (s *Stack) learn(now time.Time, o *outputs, port int, ip netip.Addr, mac net.HardwareAddr, create bool) {
	n := s.neigh[ip]
	if n != nil && n.state == stateStatic {
		return
	}
	if r, ok := s.res.Resolve(u32(ip)); !ok || r.Port != port || r.NextHop != ip ||
		(r.Route.Kind != tables.RouteConnected && r.Route.Kind != tables.RouteOnLink) || s.local[ip] || s.subnetBroadcast(ip) {
		return
	}
	if n == nil {
		if !create {
			return
		}
		n = &neighbor{ip: ip, port: port}
		s.neigh[ip] = n
	}
	if n.port != port {
		return
	}
	was := n.state
	changed := !n.installed() || !bytes.Equal(n.mac, mac)
	n.mac, n.state, n.probes, n.next = mac, stateReachable, 0, now.Add(s.opt.ReachableTime)
	if changed {
		s.gen++
		s.stats.TableChanges++
		s.stats.Learned++
	}
	if was == stateIncomplete {
		for _, h := range n.held {
			s.emit(o, port, ethernet(mac, s.ports[port].mac, etIPv4, h.ip), h.what)
		}
		n.held, n.bytes = nil, 0
	}
}

// Tick does what is due at now: the next ARP request of a resolution, the failure of one (host
// unreachable for what it held), the probing of learned entries and their removal.
func (s *Stack) Tick(now time.Time) []Output {
	var o outputs
	ips := make([]netip.Addr, 0, len(s.neigh))
	for ip, n := range s.neigh {
		if n.state != stateStatic && !now.Before(n.next) {
			ips = append(ips, ip)
		}
	}
	slices.SortFunc(ips, netip.Addr.Compare) // deterministic output order
	for _, ip := range ips {
		n := s.neigh[ip]
		switch n.state {
		case stateIncomplete:
			if n.probes < s.opt.ARPProbes {
				var trigger []byte
				if len(n.held) > 0 {
					trigger = n.held[0].ip
				}
				s.solicit(&o, n, trigger)
				n.next = n.next.Add(s.opt.ARPInterval)
				continue
			}
			delete(s.neigh, ip)
			s.stats.Unresolved++
			for _, h := range n.held {
				if h.local {
					continue
				}
				// Linux recompiles the options of the packet it gives up on
				// (ipv4_send_dest_unreach), recording once more
				ip := slices.Clone(h.ip)
				ih, p, ok := parseIPv4(ip)
				if ok {
					recordInput(p, s.specDst(n.port, ih))
					s.icmpError(now, &o, ih, p, false, icmpDestUnreach, codeHostUnreach, 0)
				}
			}
		case stateReachable:
			n.state, n.probes = stateProbe, 0
			s.solicit(&o, n, nil)
			n.next = now.Add(s.opt.ARPInterval)
		case stateProbe:
			if n.probes < s.opt.ARPProbes {
				s.solicit(&o, n, nil)
				n.next = now.Add(s.opt.ARPInterval)
				continue
			}
			delete(s.neigh, ip)
			s.gen++
			s.stats.TableChanges++
			s.stats.Forgotten++
		}
	}
	return o.list
}

// NextTick returns when Tick next has work (false: nothing pending).
func (s *Stack) NextTick() (time.Time, bool) {
	var t time.Time
	found := false
	for _, n := range s.neigh {
		if n.state != stateStatic && (!found || n.next.Before(t)) {
			t, found = n.next, true
		}
	}
	return t, found
}

// Neighbors lists the learned and pending neighbours (not the configured ones), by address.
func (s *Stack) Neighbors() []NeighborState {
	var out []NeighborState
	for _, n := range s.neigh {
		if n.state == stateStatic {
			continue
		}
		out = append(out, NeighborState{IP: n.ip, MAC: n.mac, Port: n.port, State: [...]string{"permanent", "incomplete", "reachable", "probe"}[n.state], Held: len(n.held)})
	}
	slices.SortFunc(out, func(a, b NeighborState) int { return a.IP.Compare(b.IP) })
	return out
}

// NeighborState is one entry of Neighbors.
type NeighborState struct {
	IP    netip.Addr
	MAC   net.HardwareAddr
	Port  int
	State string
	Held  int
}

// ethernet returns an Ethernet II frame.
func ethernet(dst, src net.HardwareAddr, et uint16, payload []byte) []byte {
	f := make([]byte, 14+len(payload))
	copy(f, dst)
	copy(f[6:], src)
	binary.BigEndian.PutUint16(f[12:], et)
	copy(f[14:], payload)
	return f
}

// arpPacket returns an Ethernet/IPv4 ARP packet (28 bytes).
func arpPacket(op uint16, sha net.HardwareAddr, spa netip.Addr, tha net.HardwareAddr, tpa netip.Addr) []byte {
	a := make([]byte, 28)
	binary.BigEndian.PutUint16(a[0:], 1)
	binary.BigEndian.PutUint16(a[2:], etIPv4)
	a[4], a[5] = 6, 4
	binary.BigEndian.PutUint16(a[6:], op)
	copy(a[8:], sha)
	s, t := spa.As4(), tpa.As4()
	copy(a[14:], s[:])
	copy(a[18:], tha)
	copy(a[24:], t[:])
	return a
}
