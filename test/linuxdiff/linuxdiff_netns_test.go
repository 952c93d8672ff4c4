//go:build linux && netns

package linuxdiff

import (
	"context"
	"fmt"
	"net/netip"
	"os"
	"sort"
	"strconv"
	"strings"
	"testing"
	"text/tabwriter"
	"time"

	"github.com/linerate/linerate/cosim"
	"github.com/linerate/linerate/cosim/model"
	"github.com/linerate/linerate/cosim/traffic"
	"github.com/linerate/linerate/cosim/vsim"
	"github.com/linerate/linerate/hostdrv/punt"
	"github.com/linerate/linerate/tables"
)

// requireLab fails the test where a Lab cannot be built: not root, or no `ip` command. This file
// builds only with the `netns` tag, which `make test` sets (as root, with iproute2 installed);
// plain `go test ./...` leaves the kernel diff out instead of skipping it.
func requireLab(t *testing.T) {
	t.Helper()
	var why string
	switch {
	case os.Getuid() != 0:
		why = "needs root: network namespaces, veth pairs and AF_PACKET sockets"
	case !HaveIP():
		why = "needs the ip command (iproute2)"
	default:
		return
	}
	t.Fatal(why)
}

// diffCase is one router and the traffic sent through it.
type diffCase struct {
	name   string
	config string
	seed   uint64
	valid  int // frames of traffic.Mix(OnlyValid)
	// malformed frames that a veth still delivers as they are: wrong destination MAC, transit
	// packets sent to L2 broadcast/multicast, bad IP headers and bad IP checksums.
	malformed int
}

var diffCases = []diffCase{
	{name: "demo", config: "../configs/demo.conf", seed: 8, valid: 600, malformed: 80},
	{name: "noroute", config: "testdata/noroute.conf", seed: 9, valid: 400, malformed: 60},
}

// TestLinuxDiff sends the same frames through linerate (the golden model, and the RTL when this
// binary links it) and through a Linux router built from the same configuration file, and
// requires the same outcome for every frame (see Judge).
//
// LINUXDIFF_SEED=N shifts every case's traffic seed by N, to explore other traffic.
func TestLinuxDiff(t *testing.T) {
	requireLab(t)
	shift := uint64(0)
	if v := os.Getenv("LINUXDIFF_SEED"); v != "" {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			t.Fatalf("LINUXDIFF_SEED=%q: %v", v, err)
		}
		shift = n
	}
	for _, c := range diffCases {
		c.seed += shift
		t.Run(c.name, func(t *testing.T) { runDiff(t, c) })
	}
}

func runDiff(t *testing.T, c diffCase) {
	// A bound on the whole case (it takes a few seconds): a test must never hang.
	ctx, cancel := context.WithTimeout(context.Background(), 25*time.Second)
	defer cancel()

	im, cfg, err := tables.Build(c.config, tables.SimSizes)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range cfg.Neighbors {
		// Linux ages and re-probes reachable/stale entries, and FlushNeighbors removes them:
		// only configured permanent (and noarp) entries stay the same in both routers.
		if n.State != "permanent" && n.State != "noarp" {
			t.Fatalf("%s:%d: neighbor %s is nud %s: the differential test needs permanent or noarp neighbors", c.config, n.Line, n.IP, n.State)
		}
	}
	var up []int
	for p, port := range cfg.Ports {
		if port.Up && p < im.Sizes.Ports {
			up = append(up, p)
		}
	}
	in := inputs(im, c, up)

	// linerate: the golden model, and the RTL beside it when linked (they must agree).
	engine := cosim.Model
	if vsim.Available {
		engine = cosim.Both
	}
	cin := make([]cosim.Input, len(in))
	for i, f := range in {
		cin[i] = cosim.Input{Port: f.Port, Wire: model.AppendFCS(append([]byte(nil), f.Data...)), Label: f.Kind}
	}
	lr, err := cosim.Run(im, cin, cosim.Options{Engine: engine, Seed: c.seed, InStallPct: 10, OutStallPct: 10})
	if err != nil {
		t.Fatal(err)
	}
	if !lr.Agree() {
		var b strings.Builder
		for _, m := range lr.Mismatches {
			fmt.Fprintf(&b, "\n- %s", m)
		}
		t.Errorf("%d mismatches between RTL and model:%s", lr.MismatchCount, b.String())
	}

	// Linux.
	start := time.Now()
	lab, err := NewLab(ctx, LabOptions{Config: c.config, Ports: im.Sizes.Ports})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := lab.Close(); err != nil {
			t.Errorf("cleanup: %v", err)
		}
	})
	if v, err := lab.Sysctl("net.ipv4.ip_forward"); err != nil || v != "1" {
		t.Fatalf("router namespace: ip_forward = %q, %v", v, err)
	}
	setup := time.Since(start)
	resolver := cfg.NewResolver()
	ex, err := Exchange(ctx, lab, in, ExchangeOptions{ARPTarget: func(a uint32) (uint32, bool) {
		r, ok := resolver.Resolve(a)
		if !ok || r.Kind != tables.AdjGlean {
			return 0, false
		}
		return u32(r.NextHop), true
	}})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d frames (engine %s): lab built in %v, exchanged in %v", len(in), engine, setup.Round(time.Millisecond), (time.Since(start) - setup).Round(time.Millisecond))

	markSilences(in, ex.Outcomes, lr.Model, resolver)

	// The verdicts.
	type row struct{ kind, kernel, reason string }
	summary := map[row]int{}
	failures := 0
	forwarded, notForwarded := 0, 0
	for i, f := range in {
		k := &ex.Outcomes[i]
		r := &lr.Model[i]
		kernel := k.Class()
		for _, d := range Differences {
			if d.Applies(f.Data, r) {
				kernel += " [" + d.Name + "]"
				break
			}
		}
		summary[row{f.Kind, kernel, r.Reason.String()}]++
		if k.Forwarded() {
			forwarded++
		} else {
			notForwarded++
		}
		if p := Judge(f, k, r); p != "" {
			failures++
			if failures <= 40 {
				t.Errorf("frame %d (%s) in port%d: %s\n  frame:    %s\n  kernel:   %s%s\n  linerate: %s",
					i, f.Kind, f.Port, p, cosim.DescribeFrame(f.Data), k, describeCaptures(k.Copies, cosim.DescribeFrame), DescribeResult(r))
			}
		}
	}
	if failures > 40 {
		t.Errorf("... %d failures in all", failures)
	}
	if forwarded == 0 || notForwarded == 0 {
		t.Errorf("the kernel forwarded %d frames and did not forward %d: the lab does not work", forwarded, notForwarded)
	}

	// The whole router: what linerate's data plane and slow path send because of each frame
	// against everything the kernel sent because of it.
	whole, wholeFail := map[string]int{}, 0
	for i, f := range in {
		r := &lr.Model[i]
		if !r.ToCPU && r.Reason != punt.Forward {
			continue // dropped by the data plane: judged above
		}
		mine := WholeRouter(cfg, f, r)
		if d := CompareWhole(&ex.Outcomes[i], mine, im.IsRouterAddr, cosim.DescribeFrame); d != "" {
			wholeFail++
			if wholeFail <= 30 {
				t.Errorf("whole router, frame %d (%s) in port%d, linerate %s:\n  frame: %s%s",
					i, f.Kind, f.Port, DescribeResult(r), cosim.DescribeFrame(f.Data), d)
			}
			continue
		}
		whole[DescribeResult(r)] += len(mine)
	}
	if wholeFail > 30 {
		t.Errorf("whole router: ... %d frames differ in all", wholeFail)
	}
	t.Logf("whole router: frames sent alike, by linerate's decision: %v", whole)

	// Frames the kernel sent that no input explains. IPv4 packets not from a router address
	// would be the kernel forwarding something linerate never saw.
	for _, u := range ex.Unattributed {
		d := cosim.DescribeFrame(u.Data)
		if untaggedIPv4(u.Data) && !im.IsRouterAddr(keyAt(u.Data[14:]).Src) {
			t.Errorf("the kernel sent a packet no input explains, out of port%d: %s", u.Port, d)
		} else {
			t.Logf("unattributed kernel frame out of port%d: %s", u.Port, d)
		}
	}

	// The summary: kind -> kernel outcome -> linerate reason -> count.
	rows := make([]row, 0, len(summary))
	for r := range summary {
		rows = append(rows, r)
	}
	kindOrder := map[string]int{}
	for i, k := range traffic.Kinds() {
		kindOrder[k] = i
	}
	sort.Slice(rows, func(i, j int) bool {
		a, b := rows[i], rows[j]
		if a.kind != b.kind {
			return kindOrder[a.kind] < kindOrder[b.kind]
		}
		if a.kernel != b.kernel {
			return a.kernel < b.kernel
		}
		return a.reason < b.reason
	})
	var b strings.Builder
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "kind\tkernel\tlinerate\tframes")
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\n", r.kind, r.kernel, r.reason, summary[r])
	}
	tw.Flush()
	t.Logf("summary (%s, seed %d, %d frames, %d disagreements):\n%s", c.config, c.seed, len(in), failures, b.String())
}

// markSilences sets NoWayBack where the configuration has no route back to a frame's source,
// and RateLimited where the kernel's ip_error may have spent the budget of the
// frame's source (a burst of 5, then 1 per second: see NotForwarded): once 5 earlier frames
// from that source went to a destination without a route. It is a necessary condition of the
// rate limit, so it never excuses a silence the limit cannot explain.
func markSilences(in []Input, out []KernelOutcome, lr []model.Result, resolver *tables.Resolver) {
	spent := map[uint32]int{}
	for i, f := range in {
		if !untaggedIPv4(f.Data) {
			continue
		}
		k := keyAt(f.Data[14:])
		if spent[k.Src] >= 5 {
			out[i].RateLimited = true
		}
		if r, ok := resolver.Resolve(k.Src); !ok || r.Kind == tables.AdjBlackhole {
			out[i].NoWayBack = true
		}
		if _, ok := resolver.Resolve(k.Dst); ok {
			continue
		}
		switch r := lr[i].Reason; {
		case r == punt.NoRoute, r == punt.IPOptions, r == punt.L2BroadcastTransit,
			r == punt.Martian && zeronetOnly(f.Data):
			spent[k.Src]++
		}
	}
}

// inputs generates the traffic of a case on the ports that are up, and tags every IPv4 frame
// with a unique identification.
func inputs(im *tables.Image, c diffCase, ports []int) []Input {
	frames := traffic.Mix(im, c.seed, c.valid, traffic.MixOptions{OnlyValid: true, Ports: ports})
	frames = append(frames, traffic.Mix(im, c.seed+1000, c.malformed, traffic.MixOptions{Ports: ports, Weights: map[string]int{
		traffic.KindWrongDstMAC: 1, traffic.KindL2BroadcastTransit: 1, traffic.KindBadIPHeader: 1, traffic.KindBadIPChecksum: 1,
	}})...)
	in := make([]Input, len(frames))
	for i, f := range frames {
		d := append([]byte(nil), f.Data...)
		Tag(d, uint16(0x1000+i))
		in[i] = Input{Port: f.Port, Data: d, Kind: f.Kind}
	}
	return in
}

func u32(a netip.Addr) uint32 {
	b := a.As4()
	return uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
}

// TestTag checks that tagging keeps a header's checksum exactly as right or wrong as it was.
