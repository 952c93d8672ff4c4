//go:build linux

package kernelsrc

import (
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"

	"github.com/linerate/linerate/tables"
)

// Constants golang.org/x/sys/unix does not define.
const (
	rtaNHID     = 30     // RTA_NH_ID: the route uses a nexthop object
	nlaTypeMask = 0x3fff // NLA_TYPE_MASK: drops NLA_F_NESTED and NLA_F_NET_BYTEORDER
	maxPort     = 254    // port numbers are 8 bits and 255 means "no port"
)

// routeKey identifies one IPv4 route of the main table the way the kernel tells aliases apart
// in its notifications.
type routeKey struct {
	Prefix   netip.Prefix
	TOS      uint8
	Priority uint32
	Type     uint8
	Gateway  netip.Addr
	OIF      int32
}

// rawRoute is an IPv4 route of the main table as rtnetlink describes it.
type rawRoute struct {
	routeKey
	Protocol    uint8
	Multipath   bool // RTA_MULTIPATH
	Unsupported string
}

// neighKey identifies one neighbour entry.
type neighKey struct {
	IP      netip.Addr
	IfIndex int32
}

// rawNeigh is an IPv4 neighbour entry as rtnetlink describes it.
type rawNeigh struct {
	neighKey
	State  uint16
	Flags  uint8
	LLAddr string // raw bytes (a string, so rawNeigh stays comparable)
}

// state is the part of the kernel's state Watch mirrors, kept up to date from dumps and
// notifications.
type state struct {
	links  map[int32]int // ifindex -> N, only interfaces named portN
	routes map[routeKey]rawRoute
	neighs map[neighKey]rawNeigh
}

func newState() *state {
	return &state{links: map[int32]int{}, routes: map[routeKey]rawRoute{}, neighs: map[neighKey]rawNeigh{}}
}

// portNumber returns N for an interface named portN.
func portNumber(name string) (int, bool) {
	s, ok := strings.CutPrefix(name, "port")
	if !ok || s == "" || (len(s) > 1 && s[0] == '0') {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n > maxPort || strconv.Itoa(n) != s {
		return 0, false
	}
	return n, true
}

// apply updates the state from one rtnetlink message (a dump reply or a notification). changed
// reports whether the message was about something the state holds; linkEvent whether it was
// about an interface (a notification of which means that routes may have been flushed without
// notifications, so the caller dumps again).
func (s *state) apply(m message) (changed, linkEvent bool, err error) {
	switch m.Header.Type {
	case unix.RTM_NEWLINK, unix.RTM_DELLINK:
		index, name, ok, err := parseLink(m.Data)
		if err != nil || !ok {
			return false, false, err
		}
		n, isPort := portNumber(name)
		if m.Header.Type == unix.RTM_NEWLINK && isPort {
			s.links[index] = n
		} else {
			delete(s.links, index)
		}
		return true, true, nil
	case unix.RTM_NEWROUTE, unix.RTM_DELROUTE:
		r, ok, err := parseRoute(m.Data)
		if err != nil || !ok {
			return false, false, err
		}
		if m.Header.Type == unix.RTM_DELROUTE {
			delete(s.routes, r.routeKey)
			return true, false, nil
		}
		if m.Header.Flags&unix.NLM_F_REPLACE != 0 {
			// The route replaced the first alias of the same prefix, TOS and metric.
			for k := range s.routes {
				if k.Prefix == r.Prefix && k.TOS == r.TOS && k.Priority == r.Priority {
					delete(s.routes, k)
				}
			}
		}
		s.routes[r.routeKey] = r
		return true, false, nil
	case unix.RTM_NEWNEIGH, unix.RTM_DELNEIGH:
		n, ok, err := parseNeigh(m.Data)
		if err != nil || !ok {
			return false, false, err
		}
		if m.Header.Type == unix.RTM_DELNEIGH {
			delete(s.neighs, n.neighKey)
		} else {
			s.neighs[n.neighKey] = n
		}
		return true, false, nil
	}
	return false, false, nil
}

// message is one netlink message: its header and its payload.
type message struct {
	Header unix.NlMsghdr
	Data   []byte
}

// parseMessages splits a datagram read from a netlink socket into its messages. The payloads
// alias b.
func parseMessages(b []byte) ([]message, error) {
	var ms []message
	for len(b) >= unix.SizeofNlMsghdr {
		h := unix.NlMsghdr{
			Len:   binary.NativeEndian.Uint32(b[0:4]),
			Type:  binary.NativeEndian.Uint16(b[4:6]),
			Flags: binary.NativeEndian.Uint16(b[6:8]),
			Seq:   binary.NativeEndian.Uint32(b[8:12]),
			Pid:   binary.NativeEndian.Uint32(b[12:16]),
		}
		if h.Len < unix.SizeofNlMsghdr || int(h.Len) > len(b) {
			return nil, fmt.Errorf("kernelsrc: malformed netlink message (length %d of %d bytes)", h.Len, len(b))
		}
		ms = append(ms, message{Header: h, Data: b[unix.SizeofNlMsghdr:h.Len]})
		a := (int(h.Len) + unix.NLMSG_ALIGNTO - 1) &^ (unix.NLMSG_ALIGNTO - 1)
		if a >= len(b) {
			break
		}
		b = b[a:]
	}
	return ms, nil
}

// attrs splits rtnetlink attributes into a map by type (the last one of a type wins).
func attrs(b []byte) (map[uint16][]byte, error) {
	m := map[uint16][]byte{}
	for len(b) >= unix.SizeofRtAttr {
		l := int(binary.NativeEndian.Uint16(b[0:2]))
		t := binary.NativeEndian.Uint16(b[2:4]) & nlaTypeMask
		if l < unix.SizeofRtAttr || l > len(b) {
			return nil, errors.New("malformed attribute")
		}
		m[t] = b[unix.SizeofRtAttr:l]
		a := (l + unix.RTA_ALIGNTO - 1) &^ (unix.RTA_ALIGNTO - 1)
		if a > len(b) {
			break
		}
		b = b[a:]
	}
	return m, nil
}

// parseLink reads an ifinfomsg. ok is false for families other than AF_UNSPEC (e.g. the
// AF_BRIDGE messages about bridge ports, whose RTM_DELLINK does not delete the interface).
func parseLink(b []byte) (index int32, name string, ok bool, err error) {
	if len(b) < unix.SizeofIfInfomsg {
		return 0, "", false, fmt.Errorf("kernelsrc: short link message (%d bytes)", len(b))
	}
	if b[0] != unix.AF_UNSPEC {
		return 0, "", false, nil
	}
	index = int32(binary.NativeEndian.Uint32(b[4:8]))
	a, err := attrs(b[unix.SizeofIfInfomsg:])
	if err != nil {
		return 0, "", false, fmt.Errorf("kernelsrc: link %d: %w", index, err)
	}
	name, _, _ = strings.Cut(string(a[unix.IFLA_IFNAME]), "\x00")
	return index, name, true, nil
}

// parseRoute reads an rtmsg. ok is false for routes that are not IPv4 routes of the main table.
func parseRoute(b []byte) (r rawRoute, ok bool, err error) {
	if len(b) < unix.SizeofRtMsg {
		return r, false, fmt.Errorf("kernelsrc: short route message (%d bytes)", len(b))
	}
	family, dstLen, tos, table, proto, typ := b[0], b[1], b[3], uint32(b[4]), b[5], b[7]
	if family != unix.AF_INET {
		return r, false, nil
	}
	a, err := attrs(b[unix.SizeofRtMsg:])
	if err != nil {
		return r, false, fmt.Errorf("kernelsrc: route: %w", err)
	}
	if v, ok := a[unix.RTA_TABLE]; ok && len(v) == 4 {
		table = binary.NativeEndian.Uint32(v)
	}
	if table != unix.RT_TABLE_MAIN {
		return r, false, nil
	}
	dst := netip.IPv4Unspecified()
	if v, ok := a[unix.RTA_DST]; ok {
		if len(v) != 4 {
			return r, false, fmt.Errorf("kernelsrc: route: RTA_DST of %d bytes", len(v))
		}
		dst = netip.AddrFrom4([4]byte(v))
	}
	pfx, err := dst.Prefix(int(dstLen))
	if err != nil {
		return r, false, fmt.Errorf("kernelsrc: route: %w", err)
	}
	r.Prefix, r.TOS, r.Type, r.Protocol = pfx, tos, typ, proto
	if v, ok := a[unix.RTA_PRIORITY]; ok && len(v) == 4 {
		r.Priority = binary.NativeEndian.Uint32(v)
	}
	if v, ok := a[unix.RTA_GATEWAY]; ok {
		if len(v) != 4 {
			return r, false, fmt.Errorf("kernelsrc: route %s: RTA_GATEWAY of %d bytes", pfx, len(v))
		}
		r.Gateway = netip.AddrFrom4([4]byte(v))
	}
	if v, ok := a[unix.RTA_OIF]; ok && len(v) == 4 {
		r.OIF = int32(binary.NativeEndian.Uint32(v))
	}
	_, r.Multipath = a[unix.RTA_MULTIPATH]
	if _, ok := a[unix.RTA_VIA]; ok {
		r.Unsupported = "gateway of another family (RTA_VIA)"
	}
	if _, ok := a[rtaNHID]; ok {
		r.Unsupported = "route through a nexthop object"
	}
	return r, true, nil
}

// parseNeigh reads an ndmsg. ok is false for families other than AF_INET.
func parseNeigh(b []byte) (n rawNeigh, ok bool, err error) {
	if len(b) < unix.SizeofNdMsg {
		return n, false, fmt.Errorf("kernelsrc: short neighbour message (%d bytes)", len(b))
	}
	if b[0] != unix.AF_INET {
		return n, false, nil
	}
	n.IfIndex = int32(binary.NativeEndian.Uint32(b[4:8]))
	n.State = binary.NativeEndian.Uint16(b[8:10])
	n.Flags = b[10]
	a, err := attrs(b[unix.SizeofNdMsg:])
	if err != nil {
		return n, false, fmt.Errorf("kernelsrc: neighbour: %w", err)
	}
	v, ok := a[unix.NDA_DST]
	if !ok || len(v) != 4 {
		return n, false, fmt.Errorf("kernelsrc: neighbour on ifindex %d without an IPv4 NDA_DST", n.IfIndex)
	}
	n.IP = netip.AddrFrom4([4]byte(v))
	n.LLAddr = string(a[unix.NDA_LLADDR])
	return n, true, nil
}

// neighState maps a NUD state to the names of tables.Neighbor.State; ok is false for states
// that have no usable link-layer address.
func neighState(s uint16) (string, bool) {
	switch {
	case s&unix.NUD_PERMANENT != 0:
		return "permanent", true
	case s&unix.NUD_NOARP != 0:
		return "noarp", true
	case s&unix.NUD_REACHABLE != 0:
		return "reachable", true
	case s&(unix.NUD_STALE|unix.NUD_DELAY|unix.NUD_PROBE) != 0:
		return "stale", true
	}
	return "", false
}

// better reports whether a is preferred to b for the same prefix: the lower metric, then (for
// aliases of equal metric, whose order the kernel does not tell) a fixed order.
func better(a, b rawRoute) bool {
	if a.Priority != b.Priority {
		return a.Priority < b.Priority
	}
	if a.Type != b.Type {
		return a.Type < b.Type
	}
	if c := a.Gateway.Compare(b.Gateway); c != 0 {
		return c < 0
	}
	return a.OIF < b.OIF
}

// snapshot converts the state to table inputs.
func (s *state) snapshot() Snapshot {
	var snap Snapshot
	best := map[netip.Prefix]rawRoute{}
	tos := map[netip.Prefix]bool{}
	for _, r := range s.routes {
		if r.TOS != 0 {
			tos[r.Prefix] = true
			continue
		}
		if b, ok := best[r.Prefix]; !ok || better(r, b) {
			best[r.Prefix] = r
		}
	}
	for p := range tos {
		snap.Skipped = append(snap.Skipped, p.String()+": route with a TOS")
	}
	for _, r := range best {
		skip := func(why string) { snap.Skipped = append(snap.Skipped, r.Prefix.String()+": "+why) }
		switch r.Type {
		case unix.RTN_BLACKHOLE:
			snap.Routes = append(snap.Routes, tables.Route{Prefix: r.Prefix, Kind: tables.RouteBlackhole, Port: -1})
		case unix.RTN_UNICAST:
			port, onPort := s.links[r.OIF]
			switch {
			case r.Multipath:
				skip("multipath route")
			case r.Unsupported != "":
				skip(r.Unsupported)
			case !r.Gateway.IsValid() && r.Protocol == unix.RTPROT_KERNEL:
				// A connected route: the router derives it from its addresses.
			case !onPort:
				skip(fmt.Sprintf("route on ifindex %d, not a port", r.OIF))
			case r.Gateway.IsValid():
				snap.Routes = append(snap.Routes, tables.Route{Prefix: r.Prefix, Kind: tables.RouteVia, Gateway: r.Gateway, Port: port, Dev: true})
			default:
				snap.Routes = append(snap.Routes, tables.Route{Prefix: r.Prefix, Kind: tables.RouteOnLink, Port: port, Dev: true})
			}
		default:
			skip(fmt.Sprintf("route of type %d", r.Type))
		}
	}
	sort.Slice(snap.Routes, func(i, j int) bool {
		a, b := snap.Routes[i], snap.Routes[j]
		if c := a.Prefix.Addr().Compare(b.Prefix.Addr()); c != 0 {
			return c < 0
		}
		if a.Prefix.Bits() != b.Prefix.Bits() {
			return a.Prefix.Bits() < b.Prefix.Bits()
		}
		return a.Gateway.Less(b.Gateway)
	})
	sort.Strings(snap.Skipped)

	// One neighbour per IP (the kernel may hold the same IP on two interfaces): the lowest port.
	byIP := map[netip.Addr]tables.Neighbor{}
	for _, n := range s.neighs {
		port, onPort := s.links[n.IfIndex]
		st, usable := neighState(n.State)
		if !onPort || !usable || len(n.LLAddr) != 6 || n.Flags&unix.NTF_PROXY != 0 {
			continue
		}
		if o, ok := byIP[n.IP]; ok && o.Port < port {
			continue
		}
		byIP[n.IP] = tables.Neighbor{IP: n.IP, MAC: net.HardwareAddr(n.LLAddr), Port: port, State: st}
	}
	for _, n := range byIP {
		snap.Neighbors = append(snap.Neighbors, n)
	}
	sort.Slice(snap.Neighbors, func(i, j int) bool { return snap.Neighbors[i].IP.Less(snap.Neighbors[j].IP) })
	return snap
}
