//go:build linux

package linuxdiff

import (
	"context"
	"encoding/binary"
	"fmt"
	"strings"
	"time"
)

// Input is one frame sent into the router: on port Port, an Ethernet frame without FCS.
type Input struct {
	Port int
	Data []byte
	Kind string // what the frame was made to exercise (traffic.Kind*)
}

// KernelOutcome is everything the Linux router sent because of one input.
type KernelOutcome struct {
	// Copies are the input itself leaving the router (same source, destination, protocol and
	// identification, not quoted in an ICMP error): one when forwarded, several when fragmented.
	Copies []Capture
	// ICMP are the ICMP errors that quote the input.
	ICMP []icmpError
	// ARPRequests counts the router's ARP requests for the input's source, destination or
	// their next hops, sent while the input's batch was in flight (glean, or a reply to send).
	ARPRequests int
	// ARPReplies counts the router's ARP replies to the input (an ARP request for a router
	// address).
	ARPReplies int
	// Replies counts other IPv4 packets the router sent to the input's source while its batch
	// was in flight: echo replies, TCP resets.
	Replies int
	// Frames are all the frames attributed to the input (copies, ICMP errors, ARP requests and
	// replies, local replies), for the whole-router comparison.
	Frames []Capture
	// RateLimited is set by the caller when the kernel may have suppressed its answer to the
	// input by a rate limit the lab cannot switch off (see NotForwarded).
	RateLimited bool
	// NoWayBack is set by the caller when the configuration has no route (or a blackhole) back
	// to the input's source: the kernel cannot send it an answer.
	NoWayBack bool
}

// Forwarded reports whether the kernel sent the input on, whole or fragmented.
func (k *KernelOutcome) Forwarded() bool { return len(k.Copies) > 0 }

// Fragmented reports whether the copies are fragments.
func (k *KernelOutcome) Fragmented() bool {
	for _, c := range k.Copies {
		if isFragment(c.Data[14:]) {
			return true
		}
	}
	return false
}

// String names the outcome in one word or two: forwarded, fragmented, the ICMP error, arp
// reply, arp request, local reply or nothing (the first that applies).
func (k *KernelOutcome) String() string {
	switch {
	case k.Fragmented():
		return fmt.Sprintf("fragmented (%d)", len(k.Copies))
	case len(k.Copies) == 1:
		return fmt.Sprintf("forwarded port%d", k.Copies[0].Port)
	case len(k.Copies) > 1:
		return fmt.Sprintf("forwarded %d times", len(k.Copies))
	case len(k.ICMP) > 0:
		return k.ICMP[0].String()
	case k.ARPReplies > 0:
		return "arp reply"
	case k.ARPRequests > 0:
		return "arp request"
	case k.Replies > 0:
		return "local reply"
	}
	return "nothing"
}

// Class is String without port numbers and counts, for summary tables; "nothing" says why
// the kernel may have had to stay silent (NoWayBack, RateLimited).
func (k *KernelOutcome) Class() string {
	switch s := k.String(); {
	case k.Fragmented():
		return kFragmented
	case k.Forwarded():
		return kForwarded
	case s == kNothing && k.NoWayBack:
		return kNoWayBack
	case s == kNothing && k.RateLimited:
		return kRateLimited
	default:
		return s
	}
}

// ExchangeOptions tune Exchange.
type ExchangeOptions struct {
	Batch   int           // frames sent before waiting for the outputs (default 16)
	Quiet   time.Duration // a batch is done when nothing arrived for this long (default 15 ms)
	MaxWait time.Duration // ... or after this long (default 1 s)
	// ARPTarget returns the address the router must ARP for to send a packet to a (host
	// order): the next hop towards a when the configuration gives it no MAC; false when the
	// configuration knows the MAC (or has no route). The router's ARP requests are attributed
	// to the inputs whose source or destination need them. Nil: only ARP inputs explain ARP.
	ARPTarget func(a uint32) (uint32, bool)
}

// Exchanged is the result of Exchange.
type Exchanged struct {
	Outcomes []KernelOutcome // per input
	// Unattributed are frames the router sent that no input explains (logged by the test).
	Unattributed []Capture
}

// Exchange sends the inputs into the Linux router of lab and attributes what it sends to them.
// IPv4 inputs must carry unique identifications (Tag): copies and ICMP errors are matched by
// that, wherever and whenever they leave. Frames go in batches of opt.Batch, with a bounded
// wait for the outputs after each; ARP frames go alone. After every batch the router's learned
// and pending neighbor entries are flushed, so every frame meets the neighbor table of the
// configuration (all that linerate's tables hold): an ARP request never teaches the kernel a MAC
// that would make it forward a later frame linerate must glean.
func Exchange(ctx context.Context, lab *Lab, in []Input, opt ExchangeOptions) (*Exchanged, error) {
	if opt.Batch <= 0 {
		opt.Batch = 16
	}
	if opt.Quiet <= 0 {
		opt.Quiet = 15 * time.Millisecond
	}
	if opt.MaxWait <= 0 {
		opt.MaxWait = time.Second
	}
	x := &exchange{opt: opt, in: in, byKey: map[ipKey]int{}, res: &Exchanged{Outcomes: make([]KernelOutcome, len(in))}}
	for i, f := range in {
		if off, ok := l3Offset(f.Data); ok {
			k := keyAt(f.Data[off:])
			if j, dup := x.byKey[k]; dup {
				return nil, fmt.Errorf("linuxdiff: inputs %d and %d are the same IPv4 packet (%s): tag them", j, i, k)
			}
			x.byKey[k] = i
		}
	}
	if err := lab.FlushNeighbors(ctx); err != nil {
		return nil, err
	}
	caps, err := lab.Collect(ctx, opt.Quiet, opt.MaxWait) // anything left from the setup
	if err != nil {
		return nil, err
	}
	x.attribute(caps, nil)
	var (
		batch   []int
		targets = map[uint32]bool{} // ARP targets of the batch's inputs
		srcs    = map[uint32]bool{} // IPv4 sources of the batch's inputs
	)
	sendBatch := func() error {
		if len(batch) == 0 {
			return nil
		}
		for _, i := range batch {
			if err := lab.Send(in[i].Port, in[i].Data); err != nil {
				return fmt.Errorf("frame %d: %w", i, err)
			}
		}
		caps, err := lab.Collect(ctx, opt.Quiet, opt.MaxWait)
		if err != nil {
			return err
		}
		x.attribute(caps, batch)
		// Flushing a pending entry makes the kernel report host unreachable for the packets
		// it queued, and sending that error may start a resolution of its own: collect what
		// the flush provokes, for this batch, until the table stays clean.
		for round := 0; ; round++ {
			if err := lab.FlushNeighbors(ctx); err != nil {
				return err
			}
			caps, err := lab.Collect(ctx, opt.Quiet, opt.MaxWait)
			if err != nil {
				return err
			}
			if len(caps) == 0 || round == 3 {
				x.attribute(caps, batch)
				break
			}
			x.attribute(caps, batch)
		}
		batch = batch[:0]
		clear(targets)
		clear(srcs)
		return nil
	}
	for i, f := range in {
		// An input goes into a new batch when it is an ARP frame, or when what the router may
		// send because of it (an ARP request, a reply to its source) could also be explained by
		// an input of the current batch: attribution stays unambiguous.
		isARP := len(f.Data) >= 14 && binary.BigEndian.Uint16(f.Data[12:]) == etARP
		ts, src, hasSrc := x.arpTargets(i), uint32(0), false
		if untaggedIPv4(f.Data) {
			src, hasSrc = keyAt(f.Data[14:]).Src, true
		}
		conflict := isARP || (hasSrc && srcs[src])
		for _, t := range ts {
			conflict = conflict || targets[t]
		}
		if conflict {
			if err := sendBatch(); err != nil {
				return nil, err
			}
		}
		batch = append(batch, i)
		for _, t := range ts {
			targets[t] = true
		}
		if hasSrc {
			srcs[src] = true
		}
		if isARP || len(batch) >= opt.Batch {
			if err := sendBatch(); err != nil {
				return nil, err
			}
		}
	}
	if err := sendBatch(); err != nil {
		return nil, err
	}
	// Stragglers (matched by their IPv4 identification only).
	caps, err = lab.Collect(ctx, 4*opt.Quiet, opt.MaxWait)
	if err != nil {
		return nil, err
	}
	x.attribute(caps, nil)
	return x.res, nil
}

type exchange struct {
	opt   ExchangeOptions
	in    []Input
	byKey map[ipKey]int
	res   *Exchanged
}

// arpTargets returns the addresses whose ARP requests input i explains: the ARP targets of
// its IPv4 source and destination (ExchangeOptions.ARPTarget), or its ARP sender and target.
func (x *exchange) arpTargets(i int) []uint32 {
	f := x.in[i].Data
	if a, ok := parseARP(f); ok {
		return []uint32{a.SPA, a.TPA}
	}
	if !untaggedIPv4(f) || x.opt.ARPTarget == nil {
		return nil
	}
	k := keyAt(f[14:])
	var ts []uint32
	for _, a := range []uint32{k.Src, k.Dst} {
		if t, ok := x.opt.ARPTarget(a); ok {
			ts = append(ts, t)
		}
	}
	return ts
}

// attribute assigns captured frames to inputs: by IPv4 identity (copies, quoted in ICMP
// errors) across all inputs, else by address to the inputs of batch.
func (x *exchange) attribute(caps []Capture, batch []int) {
	out := x.res.Outcomes
	for _, c := range caps {
		if untaggedIPv4(c.Data) {
			if i, ok := x.byKey[keyAt(c.Data[14:])]; ok {
				out[i].Copies = append(out[i].Copies, c)
				out[i].Frames = append(out[i].Frames, c)
				continue
			}
			if e, ok := parseICMPError(c.Data); ok {
				if i, ok := x.byKey[e.Quoted]; ok {
					out[i].ICMP = append(out[i].ICMP, e)
					out[i].Frames = append(out[i].Frames, c)
					continue
				}
			}
			dst := keyAt(c.Data[14:]).Dst
			found := false
			for _, i := range batch {
				if untaggedIPv4(x.in[i].Data) && keyAt(x.in[i].Data[14:]).Src == dst {
					out[i].Replies++
					out[i].Frames = append(out[i].Frames, c)
					found = true
				}
			}
			if !found {
				x.res.Unattributed = append(x.res.Unattributed, c)
			}
			continue
		}
		if a, ok := parseARP(c.Data); ok {
			found := false
			for _, i := range batch {
				if a.Op == 2 {
					if q, ok := parseARP(x.in[i].Data); ok && q.SPA == a.TPA {
						out[i].ARPReplies++
						out[i].Frames = append(out[i].Frames, c)
						found = true
					}
					continue
				}
				for _, r := range x.arpTargets(i) {
					if r == a.TPA {
						out[i].ARPRequests++
						out[i].Frames = append(out[i].Frames, c)
						found = true
						break
					}
				}
			}
			if !found {
				x.res.Unattributed = append(x.res.Unattributed, c)
			}
			continue
		}
		x.res.Unattributed = append(x.res.Unattributed, c)
	}
}

// describeCaptures lists captured frames, one per line, for messages.
func describeCaptures(cs []Capture, describe func([]byte) string) string {
	var b strings.Builder
	for _, c := range cs {
		fmt.Fprintf(&b, "\n    port%d: %s", c.Port, describe(c.Data))
	}
	return b.String()
}
