package router

import (
	"encoding/binary"
	"fmt"
	"net"
	"net/netip"
	"slices"
	"time"

	"github.com/linerate/linerate/hostdrv/punt"
	"github.com/linerate/linerate/tables"
)

// Options tune the slow path. Zero values take Linux's defaults.
type Options struct {
	// ARPProbes is how many ARP requests resolve a next hop before it fails (Linux's
	// mcast_solicit, 3), ARPInterval the time between them (retrans_time, 1 s).
	ARPProbes   int
	ARPInterval time.Duration
	// HoldBytes bounds the packets held for one unresolved next hop (the oldest go first).
	HoldBytes int
	// ReachableTime is how long a learned neighbour is trusted without a confirmation before
	// it is probed again (default 60 s).
	ReachableTime time.Duration
	// ICMPBurst and ICMPInterval rate-limit ICMP errors per destination as Linux's
	// icmp_ratelimit does (a burst of 6, then one a second). NoICMPLimit switches it off.
	ICMPBurst    int
	ICMPInterval time.Duration
	NoICMPLimit  bool
}

func (o *Options) defaults() {
	if o.ARPProbes <= 0 {
		o.ARPProbes = 3
	}
	if o.ARPInterval <= 0 {
		o.ARPInterval = time.Second
	}
	if o.HoldBytes <= 0 {
		o.HoldBytes = 64 << 10
	}
	if o.ReachableTime <= 0 {
		o.ReachableTime = 60 * time.Second
	}
	if o.ICMPBurst <= 0 {
		o.ICMPBurst = 6
	}
	if o.ICMPInterval <= 0 {
		o.ICMPInterval = time.Second
	}
}

// Output is one frame the slow path sends: an Ethernet frame without FCS, out of Port.
type Output struct {
	Port  int
	Frame []byte
	What  string // e.g. "arp reply", "icmp time exceeded", "forward (glean)"
}

// Stats count what the slow path did.
type Stats struct {
	Handled       map[string]uint64 // punts by reason name
	Sent          map[string]uint64 // outputs by What
	Dropped       map[string]uint64 // punts or packets dropped, by why
	Learned       uint64            // neighbours installed
	Forgotten     uint64            // neighbours removed (failed probes)
	ICMPLimited   uint64            // ICMP errors suppressed by the rate limit
	HeldDropped   uint64            // held packets dropped for HoldBytes
	TableChanges  uint64            // times the neighbour set changed
	Unresolved    uint64            // resolutions that failed
	SoftForwarded uint64            // transit packets forwarded in software
}

// port is one port's configuration as the slow path needs it.
type port struct {
	mac   net.HardwareAddr
	mtu   int
	addrs []tables.Addr
}

// Stack is the slow path. It is not safe for concurrent use.
type Stack struct {
	opt    Options
	cfg    *tables.Config
	res    *tables.Resolver
	ports  []port
	local  map[netip.Addr]bool
	neigh  map[netip.Addr]*neighbor
	ipID   uint16
	gen    uint64
	tokens map[netip.Addr]*bucket
	stats  Stats
}

// New returns the slow path of the router configured by cfg.
func New(cfg *tables.Config, opt Options) *Stack {
	opt.defaults()
	s := &Stack{opt: opt, neigh: map[netip.Addr]*neighbor{}, tokens: map[netip.Addr]*bucket{},
		stats: Stats{Handled: map[string]uint64{}, Sent: map[string]uint64{}, Dropped: map[string]uint64{}}}
	s.configure(cfg)
	return s
}

// SetConfig changes the configuration (new routes or static neighbours, from the kernel route
// source): learned and pending neighbours stay unless the new configuration names them.
func (s *Stack) SetConfig(cfg *tables.Config) {
	for ip, n := range s.neigh {
		if n.state == stateStatic {
			delete(s.neigh, ip)
		}
	}
	s.configure(cfg)
	s.gen++
	s.stats.TableChanges++
}

func (s *Stack) configure(cfg *tables.Config) {
	s.cfg, s.res, s.local = cfg, cfg.NewResolver(), map[netip.Addr]bool{}
	s.ports = make([]port, len(cfg.Ports))
	for i, p := range cfg.Ports {
		mac := p.MAC
		if mac == nil {
			mac = make(net.HardwareAddr, 6)
		}
		s.ports[i] = port{mac: mac, mtu: int(p.MTU)}
	}
	for _, a := range cfg.Addrs {
		s.local[a.IP] = true
		if a.Port >= 0 && a.Port < len(s.ports) {
			s.ports[a.Port].addrs = append(s.ports[a.Port].addrs, a)
		}
	}
	for _, n := range cfg.Neighbors {
		s.neigh[n.IP] = &neighbor{ip: n.IP, port: n.Port, mac: n.MAC, state: stateStatic}
	}
}

// Stats returns a copy of the counters.
func (s *Stack) Stats() Stats {
	c := s.stats
	c.Handled, c.Sent, c.Dropped = cloneMap(s.stats.Handled), cloneMap(s.stats.Sent), cloneMap(s.stats.Dropped)
	return c
}

func cloneMap(m map[string]uint64) map[string]uint64 {
	c := make(map[string]uint64, len(m))
	for k, v := range m {
		c[k] = v
	}
	return c
}

// Generation changes whenever the set of neighbours the data plane should hold changes: the
// daemon recompiles the tables (Config) when it differs from the one it loaded.
func (s *Stack) Generation() uint64 { return s.gen }

// Config returns the configuration plus the neighbours the stack learned (nud reachable), in a
// stable order: what the data plane's tables should be compiled from now.
func (s *Stack) Config() *tables.Config {
	c := *s.cfg
	c.Neighbors = slices.Clone(s.cfg.Neighbors)
	var learned []tables.Neighbor
	for _, n := range s.neigh {
		if n.state == stateReachable || n.state == stateProbe {
			learned = append(learned, tables.Neighbor{IP: n.ip, MAC: n.mac, Port: n.port, State: "reachable"})
		}
	}
	slices.SortFunc(learned, func(a, b tables.Neighbor) int { return a.IP.Compare(b.IP) })
	c.Neighbors = append(c.Neighbors, learned...)
	return &c
}

// Handle answers one punted frame (without FCS) at time now.
func (s *Stack) Handle(now time.Time, h punt.Header, frame []byte) []Output {
	s.stats.Handled[h.Reason.String()]++
	in := int(h.InPort)
	if in >= len(s.ports) {
		s.drop("bad ingress port")
		return nil
	}
	if h.Reason == punt.ARP {
		return s.arpInput(now, in, frame)
	}
	if len(frame) < 14+20 || binary.BigEndian.Uint16(frame[12:]) != etIPv4 {
		s.drop("not ipv4: " + h.Reason.String())
		return nil
	}
	ih, ip, ok := parseIPv4(frame[14:])
	if !ok {
		s.drop("bad ipv4 header")
		return nil
	}
	group := frame[0]&1 != 0
	var rec ipOptions // the options as received, before recordInput
	if ih.ihl > 20 {
		ip = slices.Clone(ip)
		rec = recordInput(ip, s.specDst(in, ih))
	}
	var o outputs
	switch h.Reason {
	case punt.ToMe:
		s.deliver(now, &o, in, ih, ip)
	case punt.TTLExpired:
		s.icmpError(now, &o, ih, ip, group, icmpTimeExceeded, 0, 0)
	case punt.NoRoute:
		s.icmpError(now, &o, ih, ip, group, icmpDestUnreach, codeNetUnreach, 0)
	case punt.Glean, punt.MTUExceeded, punt.IPOptions:
		if group {
			s.drop("transit to a group address")
			break
		}
		s.forward(now, &o, ih, ip, rec, h.Reason.String())
	default:
		// multicast, ipv6, non_ip, vlan: no handler (no multicast routing, no IPv6, no VLAN
		// interfaces), as in the Linux router of the differential test.
		s.drop("no handler: " + h.Reason.String())
	}
	return o.list
}

// outputs collects a call's frames.
type outputs struct{ list []Output }

func (s *Stack) emit(o *outputs, port int, frame []byte, what string) {
	s.stats.Sent[what]++
	o.list = append(o.list, Output{Port: port, Frame: frame, What: what})
}

func (s *Stack) drop(why string) { s.stats.Dropped[why]++ }

// nextID is the identification of the router's own packets. (Linux hashes a secret with
// the addresses: the differential test ignores the field in the router's own packets.)
func (s *Stack) nextID() uint16 { s.ipID++; return s.ipID }

// deliver handles a packet for a router address: echo replies, port and protocol unreachable,
// TCP resets. Fragments addressed to the router are not reassembled (dropped).
func (s *Stack) deliver(now time.Time, o *outputs, in int, h ipHeader, ip []byte) {
	if frag, _ := h.fragment(); frag {
		s.drop("fragment to a router address")
		return
	}
	if _, ok := s.checkOptions(now, o, h, ip, false); !ok {
		return
	}
	l4 := ip[h.ihl:]
	switch h.proto {
	case protoICMP:
		if len(l4) < 8 || checksum(onesSum(0, l4)) != 0 {
			s.drop("bad icmp")
			return
		}
		if l4[0] != icmpEchoRequest {
			s.drop("icmp type to router")
			return
		}
		reply := slices.Clone(l4)
		reply[0], reply[1] = icmpEchoReply, 0
		reply[2], reply[3] = 0, 0
		binary.BigEndian.PutUint16(reply[2:], checksum(onesSum(0, reply)))
		opts := replyOptions(ip, h, h.dst)
		s.sendLocal(now, o, buildIPv4(h.tos, s.nextID(), 0, defaultTTL, protoICMP, h.dst, h.src, opts, reply), "icmp echo reply")
	case protoUDP:
		if len(l4) < 8 {
			s.drop("short udp")
			return
		}
		ulen := int(binary.BigEndian.Uint16(l4[4:]))
		if ulen < 8 || ulen > len(l4) {
			s.drop("bad udp length")
			return
		}
		if binary.BigEndian.Uint16(l4[6:]) != 0 && checksum(onesSum(pseudoSum(h.src, h.dst, protoUDP, ulen), l4[:ulen])) != 0 {
			s.drop("bad udp checksum")
			return
		}
		s.icmpError(now, o, h, ip, false, icmpDestUnreach, codePortUnreach, 0)
	case protoTCP:
		s.tcpReset(now, o, h, l4)
	default:
		s.icmpError(now, o, h, ip, false, icmpDestUnreach, codeProtoUnreach, 0)
	}
}

// tcpReset answers a TCP segment for a router address (no port listens) with a reset, as
// RFC 793 and Linux's tcp_v4_send_reset do.
func (s *Stack) tcpReset(now time.Time, o *outputs, h ipHeader, seg []byte) {
	if len(seg) < 20 || int(seg[12]>>4)*4 < 20 || int(seg[12]>>4)*4 > len(seg) {
		s.drop("bad tcp header")
		return
	}
	if checksum(onesSum(pseudoSum(h.src, h.dst, protoTCP, len(seg)), seg)) != 0 {
		s.drop("bad tcp checksum")
		return
	}
	const fin, syn, rst, ack = 0x01, 0x02, 0x04, 0x10
	flags := seg[13]
	if flags&rst != 0 {
		return
	}
	r := make([]byte, 20)
	copy(r[0:2], seg[2:4]) // source port = their destination port
	copy(r[2:4], seg[0:2])
	r[12] = 5 << 4
	if flags&ack != 0 {
		copy(r[4:8], seg[8:12]) // seq = their ack
		r[13] = rst
	} else {
		n := uint32(len(seg) - int(seg[12]>>4)*4)
		if flags&syn != 0 {
			n++
		}
		if flags&fin != 0 {
			n++
		}
		binary.BigEndian.PutUint32(r[8:], binary.BigEndian.Uint32(seg[4:])+n)
		r[13] = rst | ack
	}
	binary.BigEndian.PutUint16(r[16:], checksum(onesSum(pseudoSum(h.dst, h.src, protoTCP, len(r)), r)))
	s.sendLocal(now, o, buildIPv4(h.tos, 0, ipDF, defaultTTL, protoTCP, h.dst, h.src, nil, r), "tcp reset")
}

// icmpError sends an ICMP error about the packet ip (header h) to its source, following
// RFC 1812 4.3.2.7 as Linux's icmp_send does: never about an ICMP error, a later fragment, a
// packet to a group address (group: it came as an L2 group frame) or from an address that is
// not a host's; the error quotes as much of the packet as fits in 576 bytes.
func (s *Stack) icmpError(now time.Time, o *outputs, h ipHeader, ip []byte, group bool, typ, code uint8, info uint32) {
	what := icmpName(typ, code)
	if _, later := h.fragment(); later {
		s.drop(what + ": later fragment")
		return
	}
	if group || h.dst.IsMulticast() || limitedBroadcast(h.dst) || s.subnetBroadcast(h.dst) {
		s.drop(what + ": to a group address")
		return
	}
	if !s.hostAddr(h.src) {
		s.drop(what + ": source not a host")
		return
	}
	if h.proto == protoICMP {
		if len(ip) < h.ihl+1 || isICMPError(ip[h.ihl]) {
			s.drop(what + ": about an icmp error")
			return
		}
	}
	if !s.allowICMP(now, h.src) {
		s.stats.ICMPLimited++
		return
	}
	// The source: the router address the packet was sent to, else the address of the port
	// that leads back to the sender (Linux: the route's preferred source).
	src := h.dst
	if !s.local[src] {
		var ok bool
		if src, ok = s.sourceFor(h.src); !ok {
			s.drop(what + ": no route back")
			return
		}
	}
	room := icmpErrorRoom
	if r, ok := s.res.Resolve(u32(h.src)); ok && r.Port >= 0 && s.ports[r.Port].mtu < room {
		room = s.ports[r.Port].mtu
	}
	var opts []byte
	if typ != icmpParamProblem {
		opts = replyOptions(ip, h, src) // Linux's ip_options_echo
	}
	quote := ip[:min(len(ip), room-20-len(opts)-8)]
	m := make([]byte, 8+len(quote))
	m[0], m[1] = typ, code
	binary.BigEndian.PutUint32(m[4:], info)
	copy(m[8:], quote)
	binary.BigEndian.PutUint16(m[2:], checksum(onesSum(0, m)))
	tos := h.tos&0x1e | 0xc0 // IPTOS_TOS_MASK | IPTOS_PREC_INTERNETCONTROL
	s.sendLocal(now, o, buildIPv4(tos, s.nextID(), 0, defaultTTL, protoICMP, src, h.src, opts, m), what)
}

func icmpName(typ, code uint8) string {
	switch {
	case typ == icmpTimeExceeded:
		return "icmp time exceeded"
	case typ == icmpDestUnreach && code == codeNetUnreach:
		return "icmp net unreachable"
	case typ == icmpDestUnreach && code == codeHostUnreach:
		return "icmp host unreachable"
	case typ == icmpDestUnreach && code == codeProtoUnreach:
		return "icmp protocol unreachable"
	case typ == icmpDestUnreach && code == codePortUnreach:
		return "icmp port unreachable"
	case typ == icmpDestUnreach && code == codeFragNeeded:
		return "icmp frag needed"
	case typ == icmpParamProblem:
		return "icmp parameter problem"
	}
	return fmt.Sprintf("icmp %d/%d", typ, code)
}

// hostAddr reports whether a can be a sender to answer: not 0.0.0.0/8, loopback, multicast,
// class E or a broadcast address of a router subnet.
func (s *Stack) hostAddr(a netip.Addr) bool {
	b := a.As4()
	return b[0] != 0 && b[0] != 127 && b[0] < 224 && !s.subnetBroadcast(a)
}

// subnetBroadcast reports whether a is the broadcast address of a router subnet (Linux adds a
// broadcast route for it).
func (s *Stack) subnetBroadcast(a netip.Addr) bool {
	for _, ad := range s.cfg.Addrs {
		p := ad.Subnet
		if p.Bits() < 31 && p.Contains(a) && u32(a)|(1<<(32-p.Bits())-1) == u32(a) {
			return true
		}
	}
	return false
}

// sourceFor picks the router's source address for a packet to dst: the address of the
// connected subnet it reaches dst through, else the first address on the egress port whose
// subnet holds the next hop, else the port's first address, else any router address (Linux's
// inet_select_addr).
func (s *Stack) sourceFor(dst netip.Addr) (netip.Addr, bool) {
	r, ok := s.res.Resolve(u32(dst))
	if !ok || r.Port < 0 || r.Port >= len(s.ports) {
		return netip.Addr{}, false
	}
	return s.portSource(r.Port, r.NextHop), true
}

// specDst is the address Linux records for a received packet in a Record Route option
// (fib_compute_spec_dst): the router address it is for, else the source towards its sender.
func (s *Stack) specDst(in int, h ipHeader) netip.Addr {
	if s.local[h.dst] {
		return h.dst
	}
	if a, ok := s.sourceFor(h.src); ok {
		return a
	}
	return s.portSource(in, h.src)
}

// portSource is the address a packet leaving port towards next hop nh comes from.
func (s *Stack) portSource(p int, nh netip.Addr) netip.Addr {
	as := s.ports[p].addrs
	for _, a := range as {
		if a.Subnet.Contains(nh) {
			return a.IP
		}
	}
	if len(as) > 0 {
		return as[0].IP
	}
	if len(s.cfg.Addrs) > 0 {
		return s.cfg.Addrs[0].IP
	}
	return netip.AddrFrom4([4]byte{})
}

// bucket is a token bucket (the ICMP error limit and the daemon's punt limits).
type bucket struct {
	tokens float64
	at     time.Time
}

// newBucket returns a full bucket.
func newBucket(burst float64, now time.Time) *bucket { return &bucket{tokens: burst, at: now} }

// ready refills the bucket for the time since the last call (perSecond tokens a second, at
// most burst) and reports whether a token is there to spend (spend takes it).
func (b *bucket) ready(now time.Time, perSecond, burst float64) bool {
	b.tokens = min(burst, b.tokens+now.Sub(b.at).Seconds()*perSecond)
	b.at = now
	return b.tokens >= 1
}

func (b *bucket) spend() { b.tokens-- }

// allowICMP applies the per-destination ICMP error rate limit.
func (s *Stack) allowICMP(now time.Time, dst netip.Addr) bool {
	if s.opt.NoICMPLimit {
		return true
	}
	b := s.tokens[dst]
	if b == nil {
		if len(s.tokens) > 4096 { // bound the state a scan of sources can create
			clear(s.tokens)
		}
		b = newBucket(float64(s.opt.ICMPBurst), now)
		s.tokens[dst] = b
	}
	if !b.ready(now, float64(time.Second)/float64(s.opt.ICMPInterval), float64(s.opt.ICMPBurst)) {
		return false
	}
	b.spend()
	return true
}
