//go:build linux

package linuxdiff

import (
	"encoding/binary"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/linerate/linerate/cosim/model"
	"github.com/linerate/linerate/hostdrv/punt"
	"github.com/linerate/linerate/hostdrv/router"
	"github.com/linerate/linerate/tables"
)

// slowPathHorizon is how long WholeRouter runs the slow path's timers after a punt: long
// enough for a resolution to fail (3 ARP requests a second apart) and the host unreachable
// that follows, shorter than the trust in a learned neighbour (no probes of learned entries).
const slowPathHorizon = 10 * time.Second

// WholeRouter is what linerate as a whole router (the data plane, then the slow path for what
// it punts) sends because of one input: the forwarded frame, or the slow path's frames for the
// punt, its timers run until the resolutions it started have completed or failed. Every input
// meets a fresh slow path holding the configuration's neighbours only, as every batch of the
// Exchange meets a Linux router whose learned neighbours were flushed.
func WholeRouter(cfg *tables.Config, in Input, r *model.Result) []Capture {
	switch {
	case r.ToCPU:
		st := router.New(cfg, router.Options{NoICMPLimit: true})
		t0 := time.Unix(1_000_000, 0)
		outs := st.Handle(t0, r.Punt, in.Data)
		for {
			next, ok := st.NextTick()
			if !ok || next.Sub(t0) > slowPathHorizon {
				break
			}
			outs = append(outs, st.Tick(next)...)
		}
		caps := make([]Capture, len(outs))
		for i, o := range outs {
			caps[i] = Capture{Port: o.Port, Data: o.Frame}
		}
		return caps
	case r.Reason == punt.Forward && r.OutPort >= 0 && len(r.Out) >= 4:
		return []Capture{{Port: r.OutPort, Data: r.Out[:len(r.Out)-4]}}
	}
	return nil
}

// wholeKey is a frame as the whole-router comparison sees it: the port, and the bytes up to the
// end of the ARP or IPv4 packet (no Ethernet padding), with the identification (and so the
// header checksum) of the router's own IPv4 packets cleared: Linux picks it from a keyed hash
// (ip_select_ident), linerate counts.
func wholeKey(c Capture, routerAddr func(uint32) bool) string {
	f := c.Data
	if len(f) >= 42 && binary.BigEndian.Uint16(f[12:]) == etARP {
		f = f[:42]
	} else if untaggedIPv4(f) {
		if n := ipTotal(f); n <= len(f) {
			f = f[:n]
		}
		if routerAddr(keyAt(f[14:]).Src) {
			f = slices.Clone(f)
			f[18], f[19], f[24], f[25] = 0, 0, 0, 0
		}
	}
	return fmt.Sprintf("port%d %x", c.Port, f)
}

// CompareWhole compares the frames the Linux router sent because of an input with those
// linerate sends (WholeRouter), as sets per port (repeats, such as ARP retries, count once),
// and returns what differs ("" when they agree). ICMP errors the kernel may have suppressed by
// the rate limit the lab cannot switch off (KernelOutcome.RateLimited) may be missing.
func CompareWhole(k *KernelOutcome, lr []Capture, routerAddr func(uint32) bool, describe func([]byte) string) string {
	kset, lset := map[string]Capture{}, map[string]Capture{}
	for _, c := range k.Frames {
		kset[wholeKey(c, routerAddr)] = c
	}
	for _, c := range lr {
		lset[wholeKey(c, routerAddr)] = c
	}
	var onlyK, onlyL []string
	for key, c := range kset {
		if _, ok := lset[key]; !ok {
			onlyK = append(onlyK, fmt.Sprintf("%s\n      %s", describe(c.Data), key))
		}
	}
	for key, c := range lset {
		if _, ok := kset[key]; !ok {
			if k.RateLimited && isICMPErrorFrame(c.Data) {
				continue
			}
			onlyL = append(onlyL, fmt.Sprintf("%s\n      %s", describe(c.Data), key))
		}
	}
	if len(onlyK) == 0 && len(onlyL) == 0 {
		return ""
	}
	slices.Sort(onlyK)
	slices.Sort(onlyL)
	var b strings.Builder
	for _, s := range onlyK {
		fmt.Fprintf(&b, "\n    only the kernel:  %s", s)
	}
	for _, s := range onlyL {
		fmt.Fprintf(&b, "\n    only linerate:    %s", s)
	}
	return b.String()
}

func isICMPErrorFrame(f []byte) bool {
	_, ok := parseICMPError(f)
	return ok
}
