package router

import (
	"encoding/binary"
	"net/netip"
	"slices"
	"time"

	"github.com/linerate/linerate/cosim/model"
	"github.com/linerate/linerate/tables"
)

// IPv4 option types the slow path reads (RFC 791).
const (
	optEnd  = 0
	optNop  = 1
	optRR   = 7
	optLSRR = 0x83
	optSSRR = 0x89
)

// ipOptions is what option parsing found.
type ipOptions struct {
	rr     int  // offset in the header of a Record Route option, or 0
	rrRoom bool // ... with room for one more address
	srr    bool // a source route
	bad    int  // offset of the byte a parameter problem points at, or 0
}

// parseOptions checks the options of header hdr as Linux's ip_options_compile does for a
// received packet.
func parseOptions(hdr []byte) ipOptions {
	var o ipOptions
	for i := 20; i < len(hdr); {
		switch hdr[i] {
		case optEnd:
			return o
		case optNop:
			i++
			continue
		}
		if i+2 > len(hdr) {
			o.bad = i
			return o
		}
		n := int(hdr[i+1])
		if n < 2 || i+n > len(hdr) {
			o.bad = i
			return o
		}
		switch hdr[i] {
		case optLSRR, optSSRR:
			o.srr = true
		case optRR:
			if n < 3 {
				o.bad = i + 1
				return o
			}
			ptr := int(hdr[i+2])
			if ptr < 4 {
				o.bad = i + 2
				return o
			}
			if ptr <= n {
				if ptr+3 > n {
					o.bad = i + 2
					return o
				}
				o.rrRoom = true
			}
			o.rr = i
		}
		i += n
	}
	return o
}

// checkOptions applies the options of a packet punted to the slow path: a parameter problem
// for a malformed option, a silent drop for source routes. It returns false when the packet
// goes no further.
func (s *Stack) checkOptions(now time.Time, o *outputs, h ipHeader, ip []byte, group bool) (ipOptions, bool) {
	if h.ihl == 20 {
		return ipOptions{}, true
	}
	opts := parseOptions(ip[:h.ihl])
	if opts.bad != 0 {
		s.icmpError(now, o, h, ip, group, icmpParamProblem, 0, uint32(opts.bad)<<24)
		return opts, false
	}
	if opts.srr {
		s.drop("source route")
		return opts, false
	}
	return opts, true
}

// forward forwards a transit packet in software, as Linux's ip_forward does: options, route,
// TTL, MTU (frag-needed for DF, else fragments), TTL decrement, Record Route, then the next
// hop's MAC (resolved first if unknown).
// rec are the options as received (recordInput).
func (s *Stack) forward(now time.Time, o *outputs, h ipHeader, ip []byte, rec ipOptions, why string) {
	if _, ok := s.checkOptions(now, o, h, ip, false); !ok {
		return
	}
	r, ok := s.res.Resolve(u32(h.dst))
	if !ok {
		s.icmpError(now, o, h, ip, false, icmpDestUnreach, codeNetUnreach, 0)
		return
	}
	if r.Kind == tables.AdjBlackhole {
		s.drop("blackhole")
		return
	}
	if s.subnetBroadcast(h.dst) {
		// a directed broadcast to a router subnet: Linux takes it as local broadcast
		// (bc_forwarding off) and answers nothing.
		s.drop("directed broadcast")
		return
	}
	if h.ttl <= 1 {
		s.icmpError(now, o, h, ip, false, icmpTimeExceeded, 0, 0)
		return
	}
	mtu := s.ports[r.Port].mtu
	if h.tot > mtu && h.frag&ipDF != 0 {
		s.icmpError(now, o, h, ip, false, icmpDestUnreach, codeFragNeeded, uint32(mtu))
		return
	}
	pkt := slices.Clone(ip)
	pkt[8]--
	binary.BigEndian.PutUint16(pkt[10:], model.DecTTLChecksum(binary.BigEndian.Uint16(pkt[10:])))
	if rec.rrRoom {
		// the slot recorded on input (recordInput) gets the egress address (ip_forward_options)
		a := s.portSource(r.Port, r.NextHop).As4()
		copy(pkt[rec.rr+int(pkt[rec.rr+2])-5:], a[:])
		setIPChecksum(pkt)
	}
	s.stats.SoftForwarded++
	s.output(now, o, r.Port, r.NextHop, pkt, false, "forward ("+why+")")
}

// sendLocal sends one of the router's own packets (source a router address) towards its
// destination.
func (s *Stack) sendLocal(now time.Time, o *outputs, ip []byte, what string) {
	h, _, _ := parseIPv4(ip)
	r, ok := s.res.Resolve(u32(h.dst))
	if !ok || r.Kind == tables.AdjBlackhole || r.Port < 0 || r.Port >= len(s.ports) {
		s.drop(what + ": no route")
		return
	}
	s.output(now, o, r.Port, r.NextHop, ip, true, what)
}

// output sends an IPv4 packet out of port to next hop nh, in fragments when it exceeds the
// port's MTU, or holds it while nh is resolved.
func (s *Stack) output(now time.Time, o *outputs, port int, nh netip.Addr, ip []byte, local bool, what string) {
	frags := [][]byte{ip}
	if len(ip) > s.ports[port].mtu {
		if binary.BigEndian.Uint16(ip[6:])&ipDF != 0 {
			s.drop(what + ": exceeds the MTU with DF")
			return
		}
		frags = fragment(ip, s.ports[port].mtu)
		s.stats.Sent["fragments"] += uint64(len(frags))
	}
	s.toNeighbor(now, o, port, nh, frags, local, what)
}

// fragment cuts an IPv4 packet (DF clear) into fragments of at most mtu bytes, as Linux's
// ip_do_fragment does: every fragment but the last carries a multiple of 8 data bytes; later
// fragments keep only the options whose copied bit is set (the others become NOPs).
func fragment(ip []byte, mtu int) [][]byte {
	hl := int(ip[0]&15) * 4
	hdr := slices.Clone(ip[:hl])
	data := ip[hl:]
	frag := binary.BigEndian.Uint16(ip[6:])
	offset := int(frag&ipOffset) * 8
	notLast := frag&ipMF != 0
	room := mtu - hl
	var out [][]byte
	for left := data; len(left) > 0; {
		n := len(left)
		if n > room {
			n = room
		}
		if n < len(left) {
			n &^= 7
		}
		f := make([]byte, hl+n)
		copy(f, hdr)
		copy(f[hl:], left[:n])
		left = left[n:]
		fo := uint16(offset / 8)
		if len(left) > 0 || notLast {
			fo |= ipMF
		}
		binary.BigEndian.PutUint16(f[2:], uint16(hl+n))
		binary.BigEndian.PutUint16(f[6:], fo)
		setIPChecksum(f)
		out = append(out, f)
		if offset == int(frag&ipOffset)*8 {
			stripUncopiedOptions(hdr)
		}
		offset += n
	}
	return out
}

// stripUncopiedOptions replaces the options a later fragment does not carry with NOPs (Linux's
// ip_options_fragment).
func stripUncopiedOptions(hdr []byte) {
	for i := 20; i < len(hdr); {
		switch hdr[i] {
		case optEnd:
			return
		case optNop:
			i++
			continue
		}
		if i+2 > len(hdr) {
			return
		}
		n := int(hdr[i+1])
		if n < 2 || i+n > len(hdr) {
			return
		}
		if hdr[i]&0x80 == 0 {
			for j := i; j < i+n; j++ {
				hdr[j] = optNop
			}
		}
		i += n
	}
}

// recordInput does to a received packet's Record Route option what Linux's
// ip_options_compile does on input: when there is room, it records spec (the router address
// the packet is for, or the one that leads back to its sender) and moves the pointer on,
// without updating the header checksum (Linux updates it only when it forwards). ICMP errors
// quote the packet so changed. ip must be the caller's own copy.
func recordInput(ip []byte, spec netip.Addr) ipOptions {
	if int(ip[0]&15)*4 == 20 {
		return ipOptions{}
	}
	opts := parseOptions(ip[:int(ip[0]&15)*4])
	if opts.bad == 0 && opts.rrRoom {
		ptr := int(ip[opts.rr+2])
		a := spec.As4()
		copy(ip[opts.rr+ptr-1:], a[:])
		ip[opts.rr+2] += 4
	}
	return opts
}

// replyOptions returns the options of an answer to packet ip (after recordInput), as Linux's
// ip_options_echo builds them: the Record Route option as received and, when there is room for
// one more address, the answer's source (replySrc) recorded; other options are not returned.
// Nil when there is nothing to return.
func replyOptions(ip []byte, h ipHeader, replySrc netip.Addr) []byte {
	if h.ihl == 20 {
		return nil
	}
	opts := parseOptions(ip[:h.ihl])
	if opts.bad != 0 || opts.rr == 0 {
		return nil
	}
	rr := slices.Clone(ip[opts.rr : opts.rr+int(ip[opts.rr+1])])
	if opts.rrRoom {
		rr[2] += 4
		b := replySrc.As4()
		copy(rr[int(rr[2])-5:], b[:])
	}
	for len(rr)%4 != 0 {
		rr = append(rr, optEnd)
	}
	return rr
}
