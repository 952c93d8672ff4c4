package tables

import (
	"errors"
	"fmt"
	"math/bits"
	"math/rand/v2"
	"net"
	"net/netip"
	"reflect"
	"sort"
	"strings"
	"testing"
)

// planSizes are small tables that a random configuration fills to about three quarters, so
// adds need TCAM moves.
var planSizes = Sizes{Ports: 4, LPM: 192, Adj: 64, RAddr: 8}

// netGen is a random router configuration that evolves from step to step: routes (nested
// prefixes, via gateways, on-link, blackhole) come, go and change next hop, neighbors are
// learnt, forgotten and change MAC, ports change MAC and MTU, router addresses come and go.
type netGen struct {
	rng       *rand.Rand
	maxRoutes int
	mac, mtu  [4]int
	extra     map[string]bool         // extra router addresses, "A.B.C.D/LEN dev portN"
	routes    map[netip.Prefix]string // prefix -> the rest of its route line
	neigh     map[netip.Addr]int      // neighbor -> last byte of its MAC
	gws       []netip.Addr
	hosts     []netip.Addr
}

func newNetGen(rng *rand.Rand, maxRoutes int) *netGen {
	g := &netGen{rng: rng, maxRoutes: maxRoutes, extra: map[string]bool{},
		routes: map[netip.Prefix]string{}, neigh: map[netip.Addr]int{}}
	for p := 0; p < 4; p++ {
		g.mac[p], g.mtu[p] = 0x10+p, 1500-100*p
		for h := 2; h < 6; h++ {
			g.gws = append(g.gws, netip.AddrFrom4([4]byte{10, 0, byte(p), byte(h)}))
		}
		for h := 100; h < 102; h++ {
			g.hosts = append(g.hosts, netip.AddrFrom4([4]byte{10, 0, byte(p), byte(h)}))
		}
	}
	for _, a := range append(append([]netip.Addr(nil), g.gws...), g.hosts...) {
		if rng.IntN(3) != 0 {
			g.neigh[a] = rng.IntN(256)
		}
	}
	g.addRoutes(maxRoutes * 2 / 3)
	return g
}

func (g *netGen) routeTail() string {
	switch r := g.rng.IntN(20); {
	case r < 2:
		return "blackhole"
	case r < 4:
		return fmt.Sprintf("dev port%d", g.rng.IntN(4))
	default:
		return "via " + g.gws[g.rng.IntN(len(g.gws))].String()
	}
}

func (g *netGen) addRoutes(n int) {
	roots := []netip.Prefix{pfx("10.0.0.0/8"), pfx("172.16.0.0/12"), pfx("192.168.0.0/16"), pfx("10.0.0.0/16"), pfx("0.0.0.0/0")}
	var have []netip.Prefix
	for p := range g.routes {
		have = append(have, p)
	}
	sort.Slice(have, func(i, j int) bool { return have[i].String() < have[j].String() })
	for tries := 0; n > 0 && len(g.routes) < g.maxRoutes && tries < 100*n; tries++ {
		var base netip.Prefix
		switch r := g.rng.IntN(10); {
		case r < 6 && len(have) > 0:
			base = have[g.rng.IntN(len(have))]
		case r < 9:
			base = roots[g.rng.IntN(len(roots))]
		default:
			base = netip.PrefixFrom(addrFromU32(g.rng.Uint32()), 0)
		}
		l := base.Bits() + g.rng.IntN(min(33-base.Bits(), 10))
		v := addrU32(base.Addr()) | g.rng.Uint32()&^prefixMask(base.Bits())
		p := netip.PrefixFrom(addrFromU32(v), l).Masked()
		if _, dup := g.routes[p]; dup || (l == 24 && p.Addr().As4()[0] == 10 && p.Addr().As4()[1] == 0 && p.Addr().As4()[2] < 4) {
			continue // already a route, or a connected subnet
		}
		g.routes[p] = g.routeTail()
		have = append(have, p)
		n--
	}
}

// mutate makes the next configuration.
func (g *netGen) mutate() {
	var ps []netip.Prefix
	for p := range g.routes {
		ps = append(ps, p)
	}
	sort.Slice(ps, func(i, j int) bool { return ps[i].String() < ps[j].String() })
	for _, p := range ps {
		switch r := g.rng.IntN(20); {
		case r < 3:
			delete(g.routes, p)
		case r < 5:
			g.routes[p] = g.routeTail()
		}
	}
	g.addRoutes(5 + g.rng.IntN(25))
	for _, a := range append(append([]netip.Addr(nil), g.gws...), g.hosts...) {
		_, known := g.neigh[a]
		switch r := g.rng.IntN(20); {
		case r < 2 && known:
			delete(g.neigh, a)
		case r < 4:
			g.neigh[a] = g.rng.IntN(256)
		}
	}
	if g.rng.IntN(3) == 0 {
		g.mac[g.rng.IntN(4)] = 0x10 + g.rng.IntN(200)
	}
	if g.rng.IntN(3) == 0 {
		g.mtu[g.rng.IntN(4)] = 1280 + g.rng.IntN(500)
	}
	if g.rng.IntN(2) == 0 && len(g.extra) < 3 {
		p := g.rng.IntN(4)
		if g.rng.IntN(2) == 0 {
			g.extra[fmt.Sprintf("10.0.%d.%d/24 dev port%d", p, 200+g.rng.IntN(50), p)] = true
		} else {
			g.extra[fmt.Sprintf("172.31.%d.%d/32 dev port%d", p, g.rng.IntN(250)+1, p)] = true
		}
	}
	if g.rng.IntN(3) == 0 {
		for a := range g.extra {
			delete(g.extra, a)
			break
		}
	}
}

func (g *netGen) text() string {
	var b strings.Builder
	for p := 0; p < 4; p++ {
		fmt.Fprintf(&b, "link set dev port%d address 02:00:00:00:%02x:%02x mtu %d up\n", p, p, g.mac[p], g.mtu[p])
		fmt.Fprintf(&b, "addr add 10.0.%d.1/24 dev port%d\n", p, p)
	}
	var lines []string
	for a := range g.extra {
		lines = append(lines, "addr add "+a)
	}
	sort.Strings(lines)
	b.WriteString(strings.Join(append(lines, ""), "\n"))
	lines = lines[:0]
	for p, tail := range g.routes {
		if tail == "blackhole" {
			lines = append(lines, fmt.Sprintf("route add blackhole %s", p))
		} else {
			lines = append(lines, fmt.Sprintf("route add %s %s", p, tail))
		}
	}
	sort.Strings(lines)
	b.WriteString(strings.Join(append(lines, ""), "\n"))
	lines = lines[:0]
	for a, m := range g.neigh {
		p := a.As4()[2]
		lines = append(lines, fmt.Sprintf("neigh add %s lladdr 02:00:00:01:%02x:%02x dev port%d", a, p, m, p))
	}
	sort.Strings(lines)
	b.WriteString(strings.Join(append(lines, ""), "\n"))
	return b.String()
}

// image compiles the current configuration; ok is false when it does not fit s.
func (g *netGen) image(t testing.TB, s Sizes) (*Image, bool) {
	t.Helper()
	text := g.text()
	c, err := ParseConfig("gen.conf", strings.NewReader(text), s)
	if err != nil {
		t.Fatalf("generated configuration: %v\n%s", err, text)
	}
	im, err := Compile(c, s)
	if errors.Is(err, ErrTableFull) {
		return nil, false
	}
	if err != nil {
		t.Fatalf("compile: %v", err)
	}
	return im, true
}

// --- the make-before-break checker, written against the reference lookup only ---

// hwRow is what the hardware holds in adjacency row r, as a comparable string.
func hwRow(im *Image, r uint16) string {
	if int(r) >= len(im.Adj) {
		return "beyond"
	}
	a := im.Adj[r]
	pad := func(m net.HardwareAddr) net.HardwareAddr {
		return append(append(net.HardwareAddr(nil), m...), make([]byte, 6)...)[:6]
	}
	return fmt.Sprintf("%v port%d %s %s %d", a.Kind, a.Port, pad(a.DstMAC), pad(a.SrcMAC), a.MTU)
}

// lookup is the forwarding result of key: the content of the row of the winning entry.
func lookup(im *Image, key uint32) string {
	i, ok := im.LookupLPM(key)
	if !ok {
		return "miss"
	}
	return hwRow(im, im.LPM[i].Adj)
}

func entryPrefix(e LPMEntry) (string, bool) {
	n := bits.OnesCount32(e.Mask)
	if e.Mask != prefixMask(n) {
		return "", false
	}
	return netip.PrefixFrom(addrFromU32(e.Value&e.Mask), n).String(), true
}

// applyWrite is the test's own idea of an entry write.
func applyWrite(im *Image, w Write) error {
	cp := func(m net.HardwareAddr) net.HardwareAddr { return append(net.HardwareAddr(nil), m...) }
	switch {
	case w.Table == TablePort && w.Port != nil && w.Index < len(im.Ports):
		im.Ports[w.Index] = PortEntry{MAC: cp(w.Port.MAC), MTU: w.Port.MTU}
	case w.Table == TableRAddr && w.RAddr != nil && w.Index < len(im.RAddr):
		im.RAddr[w.Index] = *w.RAddr
	case w.Table == TableLPM && w.LPM != nil && w.Index < len(im.LPM):
		im.LPM[w.Index] = *w.LPM
	case w.Table == TableAdj && w.Adj != nil && w.Index < len(im.Adj):
		a := *w.Adj
		a.DstMAC, a.SrcMAC = cp(a.DstMAC), cp(a.SrcMAC)
		im.Adj[w.Index] = a
	default:
		return fmt.Errorf("bad write %v", w)
	}
	if w.Index < 0 {
		return fmt.Errorf("bad write %v", w)
	}
	return nil
}

// mbbChecker replays writes on a copy of cur and checks after every one of them that each key
// is forwarded to its old or its new result (by LookupLPM on cur, want and the state), and that
// every valid entry points at a row holding what its prefix means in cur or in want.
type mbbChecker struct {
	im       *Image
	keys     []uint32
	old, new []string
	win      []int // winning entry of each key in im, -1 on a miss
	allowed  map[string]map[string]bool
	problems []string
}

func newMBBChecker(cur, want *Image, keys []uint32) *mbbChecker {
	c := &mbbChecker{im: cur.Clone(), keys: keys, allowed: map[string]map[string]bool{}}
	for _, k := range keys {
		c.old = append(c.old, lookup(cur, k))
		c.new = append(c.new, lookup(want, k))
		i, ok := cur.LookupLPM(k)
		if !ok {
			i = -1
		}
		c.win = append(c.win, i)
	}
	for _, im := range []*Image{cur, want} {
		for _, e := range im.LPM {
			if p, ok := entryPrefix(e); ok && e.Valid {
				if c.allowed[p] == nil {
					c.allowed[p] = map[string]bool{}
				}
				c.allowed[p][hwRow(im, e.Adj)] = true
			}
		}
	}
	return c
}

func (c *mbbChecker) problem(step int, w Write, format string, args ...any) {
	if len(c.problems) < 10 {
		c.problems = append(c.problems, fmt.Sprintf("after write %d (%v): ", step, w)+fmt.Sprintf(format, args...))
	}
}

func (c *mbbChecker) checkEntry(step int, w Write, i int) {
	e := c.im.LPM[i]
	if !e.Valid {
		return
	}
	p, ok := entryPrefix(e)
	if !ok {
		c.problem(step, w, "lpm[%d] is not a prefix", i)
		return
	}
	if got := hwRow(c.im, e.Adj); !c.allowed[p][got] {
		c.problem(step, w, "lpm[%d] %s points at row %d = %s, which is neither its old nor its new content", i, p, e.Adj, got)
	}
}

func (c *mbbChecker) checkKey(step int, w Write, j int) {
	got := "miss"
	if c.win[j] >= 0 {
		got = hwRow(c.im, c.im.LPM[c.win[j]].Adj)
	}
	if got != c.old[j] && got != c.new[j] {
		c.problem(step, w, "%s -> %s (lpm[%d]), old %s, new %s", addrFromU32(c.keys[j]), got, c.win[j], c.old[j], c.new[j])
	}
}

func matches(e LPMEntry, key uint32) bool { return e.Valid && (key^e.Value)&e.Mask == 0 }

func (c *mbbChecker) apply(step int, w Write) error {
	var before LPMEntry
	if w.Table == TableLPM && w.Index >= 0 && w.Index < len(c.im.LPM) {
		before = c.im.LPM[w.Index]
	}
	if err := applyWrite(c.im, w); err != nil {
		return err
	}
	switch w.Table {
	case TableLPM:
		i, after := w.Index, c.im.LPM[w.Index]
		for j, k := range c.keys {
			mOld, mNew := matches(before, k), matches(after, k)
			if !mOld && !mNew {
				continue
			}
			switch {
			case mNew && (c.win[j] < 0 || i < c.win[j]):
				c.win[j] = i
			case c.win[j] == i && !mNew:
				if x, ok := c.im.LookupLPM(k); ok {
					c.win[j] = x
				} else {
					c.win[j] = -1
				}
			}
			c.checkKey(step, w, j)
		}
		c.checkEntry(step, w, i)
	case TableAdj:
		for i, e := range c.im.LPM {
			if e.Valid && int(e.Adj) == w.Index {
				c.checkEntry(step, w, i)
			}
		}
		for j := range c.keys {
			if c.win[j] >= 0 && int(c.im.LPM[c.win[j]].Adj) == w.Index {
				c.checkKey(step, w, j)
			}
		}
	}
	return nil
}

// planKeys are the addresses worth checking: the first and last address of every prefix of
// both images and their neighbors, and random addresses, many inside random prefixes.
func planKeys(rng *rand.Rand, ims ...*Image) []uint32 {
	seen := map[uint32]bool{}
	var keys []uint32
	add := func(v uint32) {
		if !seen[v] {
			seen[v] = true
			keys = append(keys, v)
		}
	}
	var prefixes []LPMEntry
	for _, im := range ims {
		for _, e := range im.LPM {
			if e.Valid {
				prefixes = append(prefixes, e)
				first, last := e.Value&e.Mask, e.Value|^e.Mask
				for _, v := range []uint32{first - 1, first, first + 1, last - 1, last, last + 1} {
					add(v)
				}
			}
		}
	}
	for i := 0; i < 300; i++ {
		add(rng.Uint32())
		if len(prefixes) > 0 {
			e := prefixes[rng.IntN(len(prefixes))]
			add(e.Value&e.Mask | rng.Uint32()&^e.Mask)
		}
	}
	return keys
}

// sameImage reports the first difference between two images, annotations included.
func sameImage(a, b *Image) string {
	if a.Sizes != b.Sizes {
		return "sizes"
	}
	for i := range a.Ports {
		if !reflect.DeepEqual(a.Ports[i], b.Ports[i]) {
			return fmt.Sprintf("port[%d] %+v vs %+v", i, a.Ports[i], b.Ports[i])
		}
	}
	for i := range a.RAddr {
		if a.RAddr[i] != b.RAddr[i] {
			return fmt.Sprintf("raddr[%d] %+v vs %+v", i, a.RAddr[i], b.RAddr[i])
		}
	}
	for i := range a.LPM {
		if a.LPM[i] != b.LPM[i] {
			return fmt.Sprintf("lpm[%d] %+v vs %+v", i, a.LPM[i], b.LPM[i])
		}
	}
	for i := range a.Adj {
		if !reflect.DeepEqual(a.Adj[i], b.Adj[i]) {
			return fmt.Sprintf("adj[%d] %+v vs %+v", i, a.Adj[i], b.Adj[i])
		}
	}
	return ""
}

// checkPlan checks a plan from cur to want: applying its writes to cur gives Result, Result is
// Equivalent to want and forwards every key like want, Result's valid entries are in
// prefix-length order, a second plan is empty, and (when mbb) every prefix of the writes keeps
// the make-before-break property.
func checkPlan(t *testing.T, rng *rand.Rand, cur, want *Image, p *UpdatePlan, mbb bool) {
	t.Helper()
	keys := planKeys(rng, cur, want)
	c := newMBBChecker(cur, want, keys)
	for i, w := range p.Writes {
		if err := c.apply(i, w); err != nil {
			t.Fatalf("write %d: %v", i, err)
		}
	}
	if mbb && len(c.problems) > 0 {
		t.Errorf("make-before-break broken (%v):\n  %s", p, strings.Join(c.problems, "\n  "))
	}
	if d := sameImage(c.im, p.Result); d != "" {
		t.Fatalf("applying the writes to cur does not give Result: %s", d)
	}
	if ok, diff := Equivalent(p.Result, want); !ok {
		t.Fatalf("Result differs from want:\n  %s", strings.Join(diff[:min(len(diff), 10)], "\n  "))
	}
	for j, k := range keys {
		if got := lookup(p.Result, k); got != c.new[j] {
			t.Fatalf("Result forwards %s to %s, want %s", addrFromU32(k), got, c.new[j])
		}
	}
	prev := 32
	for i, e := range p.Result.LPM {
		if e.Valid {
			n := bits.OnesCount32(e.Mask)
			if n > prev {
				t.Fatalf("Result lpm[%d] is a /%d after a /%d", i, n, prev)
			}
			prev = n
		}
	}
	again, err := Plan(p.Result, want, PlanOptions{})
	if err != nil {
		t.Fatalf("plan of Result to want: %v", err)
	}
	if len(again.Writes) != 0 {
		t.Fatalf("plan of Result to want has %d writes, first %v", len(again.Writes), again.Writes[0])
	}
}

// readBack drops the annotations, as an image read from a device has none.
func readBack(im *Image) *Image {
	c := im.Clone()
	for i := range c.LPM {
		c.LPM[i].Prefix = ""
	}
	for i := range c.Adj {
		c.Adj[i].NextHop = ""
	}
	return c
}

func mustPlan(t *testing.T, cur, want *Image, opt PlanOptions) *UpdatePlan {
	t.Helper()
	p, err := Plan(cur, want, opt)
	if err != nil {
		t.Fatalf("Plan: %v", err)
	}
	return p
}

// TestPlanSequence loads a sequence of evolving random configurations, each on top of what the
// last plan left (sometimes as read back, sometimes as Compile packs it), and checks every plan
// with checkPlan.
func TestPlanSequence(t *testing.T) {
	for _, tc := range []struct {
		name  string
		s     Sizes
		seeds int
	}{
		{"roomy", planSizes, 6},
		{"tight", Sizes{Ports: 4, LPM: 150, Adj: 30, RAddr: 8}, 6},
	} {
		t.Run(tc.name, func(t *testing.T) {
			moves, writes, breaks := 0, 0, 0
			for seed := uint64(1); seed <= uint64(tc.seeds); seed++ {
				rng := rand.New(rand.NewPCG(seed, 0x91a7))
				g := newNetGen(rng, 110)
				cur := NewImage(tc.s)
				var prevWant *Image
				for step := 0; step < 10; step++ {
					want, ok := g.image(t, tc.s)
					if !ok {
						g.mutate()
						continue
					}
					switch {
					case prevWant != nil && rng.IntN(4) == 0:
						cur = prevWant // packed by Compile
					case rng.IntN(2) == 0:
						cur = readBack(cur)
					}
					p, err := Plan(cur, want, PlanOptions{})
					mbb := true
					if errors.Is(err, ErrNeedsBreak) {
						p, err = Plan(cur, want, PlanOptions{AllowBreak: true})
						mbb = false
						breaks++
						if err == nil && !p.Break {
							t.Errorf("seed %d step %d: a break plan that does not say so", seed, step)
						}
					}
					if err != nil {
						t.Fatalf("seed %d step %d: %v", seed, step, err)
					}
					checkPlan(t, rng, cur, want, p, mbb)
					if t.Failed() {
						t.Fatalf("seed %d step %d: %v", seed, step, p)
					}
					moves += p.Moves
					writes += len(p.Writes)
					cur, prevWant = p.Result, want
					g.mutate()
				}
			}
			t.Logf("%d writes, %d moves, %d plans needed AllowBreak", writes, moves, breaks)
		})
	}
}

func TestPlanReloadIsEmpty(t *testing.T) {
	im, c, err := Build("../test/configs/demo.conf", SimSizes)
	if err != nil {
		t.Fatal(err)
	}
	again, err := Compile(c, SimSizes)
	if err != nil {
		t.Fatal(err)
	}
	for name, cur := range map[string]*Image{"same": im, "compiled again": again, "read back": readBack(im)} {
		p := mustPlan(t, cur, im, PlanOptions{})
		if len(p.Writes) != 0 || p.Added+p.Changed+p.Removed != 0 || p.Unchanged == 0 {
			t.Errorf("%s: reload plans %v, first %v", name, p, p.Writes)
		}
		if sameImage(p.Result, cur) != "" {
			t.Errorf("%s: an empty plan changed the image", name)
		}
	}
	// From an empty device, then again.
	rng := rand.New(rand.NewPCG(1, 2))
	p := mustPlan(t, NewImage(SimSizes), im, PlanOptions{})
	checkPlan(t, rng, NewImage(SimSizes), im, p, true)
	if p.Moves != 0 {
		t.Errorf("a load into an empty table moved %d entries", p.Moves)
	}
}

// writeKinds names each write of a plan as the test sees it: "port", "raddr", "adj", and for
// the LPM "move P" (a copy of an entry already in the table), "add P", "change P", "clear P".
func writeKinds(cur *Image, p *UpdatePlan) []string {
	im := cur.Clone()
	var out []string
	for _, w := range p.Writes {
		kind := w.Table.String()
		if w.Table == TableLPM {
			pf, _ := entryPrefix(*w.LPM)
			switch {
			case !w.LPM.Valid:
				old, _ := entryPrefix(im.LPM[w.Index])
				kind = "clear " + old
			default:
				kind = "add " + pf
				for i, e := range im.LPM {
					if q, _ := entryPrefix(e); e.Valid && q == pf {
						kind = "change " + pf
						if e.Adj == w.LPM.Adj && i != w.Index {
							kind = "move " + pf
							break
						}
					}
				}
			}
		}
		if err := applyWrite(im, w); err != nil {
			panic(err)
		}
		out = append(out, kind)
	}
	return out
}

// withoutMoves drops the moves from writeKinds.
func withoutMoves(kinds []string) []string {
	var out []string
	for _, k := range kinds {
		if !strings.HasPrefix(k, "move ") {
			out = append(out, k)
		}
	}
	return out
}

// TestPlanOrder checks the order the package comment gives on the case that shows why adds
// come before changes: 10.1.0.0/16 is new and 10.0.0.0/8, which covers it, changes next hop.
func TestPlanOrder(t *testing.T) {
	base := prelude + `neigh add 192.0.2.2 lladdr 02:00:00:00:01:02 dev port0
neigh add 192.0.2.3 lladdr 02:00:00:00:01:03 dev port0
neigh add 198.51.100.4 lladdr 02:00:00:00:01:04 dev port1
`
	cur, _ := compile(t, base+"route add 10.0.0.0/8 via 192.0.2.2\nroute add 10.9.0.0/16 via 192.0.2.2\n", testSizes)
	want, _ := compile(t, base+"route add 10.0.0.0/8 via 192.0.2.3\nroute add 10.1.0.0/16 via 198.51.100.4\n", testSizes)
	p := mustPlan(t, cur, want, PlanOptions{})
	if p.Added != 1 || p.Changed != 1 || p.Removed != 1 {
		t.Fatalf("plan %v", p)
	}
	kinds := writeKinds(cur, p)
	var lpm []string
	for _, k := range withoutMoves(kinds) {
		if k != "adj" {
			lpm = append(lpm, k)
		}
	}
	if got := strings.Join(lpm, ", "); got != "add 10.1.0.0/16, change 10.0.0.0/8, clear 10.9.0.0/16" {
		t.Errorf("LPM writes %s: want the add, then the change, then the removal", got)
	}
	checkPlan(t, rand.New(rand.NewPCG(3, 4)), cur, want, p, true)

	// The checker does catch the wrong order: 10/8 changed in place before anything else.
	var chg Write
	for i, k := range kinds {
		if k == "change 10.0.0.0/8" {
			chg = p.Writes[i]
		}
	}
	e := *chg.LPM
	first := Write{Table: TableLPM, Index: lpmIndex(t, cur, "10.0.0.0/8"), LPM: &e}
	bad := append([]Write{first}, p.Writes...)
	c := newMBBChecker(cur, want, planKeys(rand.New(rand.NewPCG(5, 6)), cur, want))
	for i, w := range bad {
		if err := c.apply(i, w); err != nil {
			t.Fatal(err)
		}
	}
	if len(c.problems) == 0 {
		t.Error("the checker accepts a change before the add under it")
	}
}

// TestPlanRowInPlace: a learnt MAC rewrites the next hop's row, one write for all its routes;
// a port's new MAC rewrites each row of the port.
func TestPlanRowInPlace(t *testing.T) {
	routes := "route add 10.1.0.0/16 via 192.0.2.2\nroute add 10.2.0.0/16 via 192.0.2.2\nroute add 10.3.0.0/16 via 198.51.100.7\n"
	cur, _ := compile(t, prelude+routes, testSizes)
	want, _ := compile(t, prelude+routes+"neigh add 192.0.2.2 lladdr 02:00:00:00:01:02 dev port0\n", testSizes)
	p := mustPlan(t, readBack(cur), want, PlanOptions{})
	// The two routes via 192.0.2.2 change with one write of their row; the learnt neighbor
	// also gets a /32 host entry, whose row is written before it.
	if got := strings.Join(withoutMoves(writeKinds(readBack(cur), p)), ", "); got != "adj, add 192.0.2.2/32, adj" || p.Changed != 2 || p.Added != 1 {
		t.Errorf("learnt MAC: writes %s (%v)", got, p)
	}
	checkPlan(t, rand.New(rand.NewPCG(7, 8)), readBack(cur), want, p, true)

	moved := strings.Replace(prelude, "02:00:00:00:00:11 mtu 1400", "02:00:00:00:00:99 mtu 1400", 1)
	want2, _ := compile(t, moved+routes, testSizes)
	p = mustPlan(t, cur, want2, PlanOptions{})
	kinds := writeKinds(cur, p)
	// port1 has its direct row and the glean row of 198.51.100.7.
	if strings.Join(kinds, " ") != "port adj adj" {
		t.Errorf("port MAC change: writes %v", p.Writes)
	}
	checkPlan(t, rand.New(rand.NewPCG(9, 10)), cur, want2, p, true)
}

func TestPlanErrors(t *testing.T) {
	im, _ := compile(t, prelude+"route add 10.0.0.0/8 via 192.0.2.2\n", testSizes)
	other := NewImage(Sizes{Ports: 4, LPM: 32, Adj: 16, RAddr: 4})
	short := im.Clone()
	short.LPM = short.LPM[:3]
	garbage := im.Clone()
	garbage.LPM[5] = LPMEntry{Valid: true, Value: 0x0a000000, Mask: 0xff00ff00}
	beyond := im.Clone()
	beyond.LPM[0].Adj = 999
	tests := []struct {
		name      string
		cur, want *Image
		msg       string
	}{
		{"nil cur", nil, im, "cur is nil"},
		{"nil want", im, nil, "want is nil"},
		{"sizes", other, im, "cur has sizes"},
		{"short table", short, im, "cur has 4 ports, 4 router addresses, 3 LPM entries"},
		{"want not a prefix", im, garbage, "want lpm[5] has mask ff00ff00"},
		{"want beyond", im, beyond, "want lpm[0] 192.0.2.0/24 points at adjacency row 999, beyond the table (16 rows)"},
	}
	for _, tc := range tests {
		p, err := Plan(tc.cur, tc.want, PlanOptions{AllowBreak: true})
		if err == nil || !strings.Contains(err.Error(), tc.msg) || p != nil {
			t.Errorf("%s: %v, want an error with %q", tc.name, err, tc.msg)
		}
	}
}

// TestPlanNeedsBreak: a full LPM table cannot take new routes before old ones go; AllowBreak
// removes first.
func TestPlanNeedsBreak(t *testing.T) {
	s := Sizes{Ports: 4, LPM: 6, Adj: 4, RAddr: 4}
	base := prelude + "neigh add 192.0.2.2 lladdr 02:00:00:00:01:02 dev port0\n"
	cur, _ := compile(t, base+"route add 10.1.0.0/16 via 192.0.2.2\nroute add 10.2.0.0/16 via 192.0.2.2\nroute add 10.3.0.0/16 via 192.0.2.2\n", s)
	want, _ := compile(t, base+"route add 10.4.0.0/16 via 192.0.2.2\nroute add 10.5.0.0/16 via 192.0.2.2\nroute add 10.6.0.0/16 via 192.0.2.2\n", s)
	lpmFull := [2]*Image{cur, want}
	for name, pair := range map[string][2]*Image{"lpm": lpmFull} {
		_, err := Plan(pair[0], pair[1], PlanOptions{})
		if !errors.Is(err, ErrNeedsBreak) {
			t.Fatalf("%s: %v, want ErrNeedsBreak", name, err)
		}
		p := mustPlan(t, pair[0], pair[1], PlanOptions{AllowBreak: true})
		if !p.Break {
			t.Errorf("%s: Break not set", name)
		}
		checkPlan(t, rand.New(rand.NewPCG(11, 12)), pair[0], pair[1], p, false)
	}
}

// TestPlanAdjacencyFull: every row is in use and a changed route needs a content no row holds.
func TestPlanAdjacencyFull(t *testing.T) {
	s := Sizes{Ports: 2, LPM: 8, Adj: 2, RAddr: 1}
	cur := NewImage(s)
	row := func(port uint8, last byte) AdjEntry {
		return AdjEntry{Kind: AdjForward, Port: port, DstMAC: net.HardwareAddr{2, 0, 0, 0, 1, last}, SrcMAC: make(net.HardwareAddr, 6), MTU: 1500}
	}
	lpm := func(v uint32, bits int, adj uint16) LPMEntry {
		return LPMEntry{Valid: true, Value: v, Mask: prefixMask(bits), Adj: adj}
	}
	cur.Adj[0], cur.Adj[1] = row(0, 1), row(1, 2)
	cur.LPM[0] = lpm(0x0a010000, 16, 0)
	cur.LPM[1] = lpm(0x0a020000, 16, 0)
	cur.LPM[2] = lpm(0x0a000000, 8, 1)
	// want: 10.1/16 -> A (kept), 10.2/16 -> C (new content), 10/8 -> C. Row 1 is used by 10/8
	// alone, which wants C: rewritten in place, then 10.2/16 points at it.
	want := cur.Clone()
	want.Adj[1] = row(1, 3)
	want.LPM[1].Adj = 1
	p := mustPlan(t, cur, want, PlanOptions{})
	checkPlan(t, rand.New(rand.NewPCG(13, 14)), cur, want, p, true)
	if len(p.Writes) != 2 {
		t.Errorf("writes %v", p.Writes)
	}
	// Each row is shared by two routes that want two different new contents, and no row is
	// free: no row can change without changing a route that does not want it.
	cur.LPM[3] = lpm(0x0b000000, 8, 1)
	want = cur.Clone()
	want.Adj[0], want.Adj[1] = row(0, 7), row(0, 8)
	want.LPM[1].Adj = 1
	want.LPM[3].Adj = 0
	if _, err := Plan(cur, want, PlanOptions{}); !errors.Is(err, ErrNeedsBreak) {
		t.Fatalf("%v, want ErrNeedsBreak", err)
	}
	p = mustPlan(t, cur, want, PlanOptions{AllowBreak: true})
	checkPlan(t, rand.New(rand.NewPCG(15, 16)), cur, want, p, false)
}

// scramble lays the valid entries of im out again in a random order that still forwards the
// same (a prefix before every prefix containing it), with random holes: the layout another
// loader might leave.
func scramble(rng *rand.Rand, im *Image) *Image {
	var es []LPMEntry
	for _, e := range im.LPM {
		if e.Valid {
			es = append(es, e)
		}
	}
	inside := func(a, b LPMEntry) bool { // a strictly inside b
		return a.Mask != b.Mask && bits.OnesCount32(a.Mask) > bits.OnesCount32(b.Mask) && (a.Value^b.Value)&b.Mask == 0
	}
	placed := make([]bool, len(es))
	var order []LPMEntry
	for len(order) < len(es) {
		var ready []int
		for i := range es {
			if placed[i] {
				continue
			}
			ok := true
			for j := range es {
				if !placed[j] && inside(es[j], es[i]) {
					ok = false
					break
				}
			}
			if ok {
				ready = append(ready, i)
			}
		}
		i := ready[rng.IntN(len(ready))]
		placed[i] = true
		order = append(order, es[i])
	}
	out := im.Clone()
	slots := rng.Perm(len(out.LPM))[:len(order)]
	sort.Ints(slots)
	for i := range out.LPM {
		out.LPM[i] = LPMEntry{}
	}
	for i, s := range slots {
		out.LPM[s] = order[i]
	}
	return out
}

// TestPlanRepair plans from tables Plan did not write: entries that never match, entries that
// are not prefixes, an adjacency index beyond the table, and valid layouts that are not in
// prefix-length order.
func TestPlanRepair(t *testing.T) {
	for seed := uint64(1); seed <= 8; seed++ {
		rng := rand.New(rand.NewPCG(seed, 0x4e9a))
		g := newNetGen(rng, 60)
		old, ok := g.image(t, planSizes)
		if !ok {
			t.Fatal("does not fit")
		}
		g.mutate()
		want, ok := g.image(t, planSizes)
		if !ok {
			t.Fatal("does not fit")
		}
		free := func(im *Image) int {
			for {
				if i := rng.IntN(len(im.LPM)); !im.LPM[i].Valid {
					return i
				}
			}
		}
		valid := func(im *Image) int {
			for {
				if i := rng.IntN(len(im.LPM)); im.LPM[i].Valid {
					return i
				}
			}
		}
		for _, kind := range []string{"scrambled", "dead", "garbage", "beyond"} {
			t.Run(fmt.Sprint(seed, kind), func(t *testing.T) {
				cur := readBack(old)
				if kind == "scrambled" {
					cur = scramble(rng, old)
				}
				mbb := true
				switch kind {
				case "dead":
					for n := 0; n < 6; n++ {
						// A copy of a prefix after it, pointing elsewhere: never matches.
						i := valid(cur)
						j := free(cur)
						if j < i {
							continue
						}
						cur.LPM[j] = cur.LPM[i]
						cur.LPM[j].Adj = uint16(rng.IntN(len(cur.Adj)))
						// A prefix inside another one, after it: shadowed.
						i, j = valid(cur), free(cur)
						if j > i && cur.LPM[i].Mask != 0xffffffff {
							e := cur.LPM[i]
							n := bits.OnesCount32(e.Mask) + 1
							cur.LPM[j] = LPMEntry{Valid: true, Value: e.Value | rng.Uint32()&^e.Mask&prefixMask(n), Mask: prefixMask(n), Adj: uint16(rng.IntN(len(cur.Adj)))}
						}
					}
				case "garbage":
					cur.LPM[free(cur)] = LPMEntry{Valid: true, Value: 0x0a000000, Mask: 0xff00ff00, Adj: 1}
					mbb = false // removing a non-prefix entry changes what it matched
				case "beyond":
					cur.LPM[valid(cur)].Adj = uint16(len(cur.Adj) + 3)
				}
				p, err := Plan(cur, want, PlanOptions{})
				if errors.Is(err, ErrNeedsBreak) {
					p, err = Plan(cur, want, PlanOptions{AllowBreak: true})
					mbb = false
				}
				if err != nil {
					t.Fatal(err)
				}
				if p.Repaired == 0 && kind != "beyond" && kind != "scrambled" {
					t.Errorf("nothing repaired in %s", kind)
				}
				checkPlan(t, rng, cur, want, p, mbb)
				t.Logf("%v", p)
			})
		}
	}
}

// TestPlanRelocate: an entry out of prefix-length order is moved without a gap when there is a
// free slot where it is in order and neither shadows nor is shadowed.
func TestPlanRelocate(t *testing.T) {
	s := Sizes{Ports: 1, LPM: 8, Adj: 2, RAddr: 1}
	cur := NewImage(s)
	cur.Adj[0] = AdjEntry{Kind: AdjBlackhole, DstMAC: make(net.HardwareAddr, 6), SrcMAC: make(net.HardwareAddr, 6)}
	cur.LPM[0] = LPMEntry{Valid: true, Value: 0x0b000000, Mask: 0xff000000} // 11/8 before a /24 it does not overlap
	cur.LPM[2] = LPMEntry{Valid: true, Value: 0x0a000100, Mask: 0xffffff00}
	cur.LPM[3] = LPMEntry{Valid: true, Value: 0x0a000000, Mask: 0xffff0000}
	want := cur.Clone()
	p := mustPlan(t, cur, want, PlanOptions{})
	if p.Repaired != 1 || p.Moves != 1 || len(p.Writes) != 2 {
		t.Errorf("plan %v: %v", p, p.Writes)
	}
	checkPlan(t, rand.New(rand.NewPCG(17, 18)), cur, want, p, true)
	// A full table: nothing can move without a gap.
	cur.LPM[1] = LPMEntry{Valid: true, Value: 0x0e000100, Mask: 0xffffff00}
	for i := 4; i < 8; i++ {
		cur.LPM[i] = LPMEntry{Valid: true, Value: 0x0c000000 + uint32(i)<<16, Mask: 0xffff0000}
	}
	want = cur.Clone()
	if _, err := Plan(cur, want, PlanOptions{}); !errors.Is(err, ErrNeedsBreak) {
		t.Fatalf("%v, want ErrNeedsBreak", err)
	}
	p = mustPlan(t, cur, want, PlanOptions{AllowBreak: true})
	checkPlan(t, rand.New(rand.NewPCG(19, 20)), cur, want, p, false)
}

// TestPlanWantShadowed: an entry of want that never matches (a prefix after a shorter one that
// covers it, or a second copy) is not planned.
func TestPlanWantShadowed(t *testing.T) {
	want, _ := compile(t, prelude+"route add 10.0.0.0/8 via 192.0.2.2\n", testSizes)
	i := lpmIndex(t, want, "10.0.0.0/8")
	want.LPM[i+1] = LPMEntry{Valid: true, Value: 0x0a010000, Mask: 0xffff0000, Adj: 1} // shadowed by 10/8
	want.LPM[i+2] = want.LPM[i]                                                        // a second copy
	want.LPM[i+2].Adj = 1
	p := mustPlan(t, NewImage(testSizes), want, PlanOptions{})
	if p.Added != 3 {
		t.Errorf("plan %v, want 3 routes (two connected subnets and 10/8)", p)
	}
	checkPlan(t, rand.New(rand.NewPCG(21, 22)), NewImage(testSizes), want, p, true)
}

func TestPlanRouterAddrs(t *testing.T) {
	s := Sizes{Ports: 2, LPM: 4, Adj: 2, RAddr: 3}
	cur, want := NewImage(s), NewImage(s)
	cur.RAddr[0] = RAddrEntry{Valid: true, Addr: 1}
	cur.RAddr[1] = RAddrEntry{Valid: true, Addr: 2}
	cur.RAddr[2] = RAddrEntry{Valid: true, Addr: 2} // a second copy
	want.RAddr[1] = RAddrEntry{Valid: true, Addr: 2}
	want.RAddr[2] = RAddrEntry{Valid: true, Addr: 3}
	p := mustPlan(t, cur, want, PlanOptions{})
	// 3 goes over the second copy of 2 ... or over 1; 1 is cleared: two writes.
	if len(p.Writes) != 2 {
		t.Errorf("writes %v", p.Writes)
	}
	if ok, diff := Equivalent(p.Result, want); !ok {
		t.Error(diff)
	}
}

func TestEquivalent(t *testing.T) {
	a, _ := compile(t, prelude+`route add 10.0.0.0/8 via 192.0.2.2
route add blackhole 10.66.0.0/16
neigh add 192.0.2.2 lladdr 02:00:00:00:01:02 dev port0
`, testSizes)
	b, _ := compile(t, strings.Replace(prelude, "mtu 1400", "mtu 1300", 1)+`addr add 192.0.2.9/24 dev port0
route add 10.0.0.0/8 via 198.51.100.2
route add 10.1.0.0/16 via 192.0.2.2
neigh add 192.0.2.2 lladdr 02:00:00:00:01:02 dev port0
`, testSizes)
	if ok, diff := Equivalent(a, a.Clone()); !ok {
		t.Errorf("an image differs from its copy: %v", diff)
	}
	if ok, diff := Equivalent(a, scramble(rand.New(rand.NewPCG(1, 1)), readBack(a))); !ok {
		t.Errorf("layout and annotations count: %v", diff)
	}
	ok, diff := Equivalent(a, b)
	want := []string{
		"~ port1: mac 02:00:00:00:00:11 mtu 1400 -> mac 02:00:00:00:00:11 mtu 1300",
		"+ router address 192.0.2.9",
		"~ 10.0.0.0/8: forward port0 to 02:00:00:00:01:02 from 02:00:00:00:00:10 mtu 1500 (192.0.2.2) -> glean port1 from 02:00:00:00:00:11 mtu 1300 (198.51.100.2)",
		"+ 10.1.0.0/16 forward port0 to 02:00:00:00:01:02 from 02:00:00:00:00:10 mtu 1500 (192.0.2.2)",
		"- 10.66.0.0/16 blackhole",
		"~ 198.51.100.0/24: glean port1 from 02:00:00:00:00:11 mtu 1400 (direct) -> glean port1 from 02:00:00:00:00:11 mtu 1300 (direct)",
	}
	if ok || strings.Join(diff, "\n") != strings.Join(want, "\n") {
		t.Errorf("Equivalent(a, b) = %v\n%s\nwant\n%s", ok, strings.Join(diff, "\n"), strings.Join(want, "\n"))
	}
	// A shadowed entry does not forward; an entry that is not a prefix is reported.
	c := a.Clone()
	i, j := lpmIndex(t, c, "192.0.2.0/24"), lpmIndex(t, c, "10.66.0.0/16")
	c.LPM[i], c.LPM[j] = c.LPM[j], c.LPM[i] // out of length order, but they do not overlap
	if ok, diff := Equivalent(a, c); !ok {
		t.Errorf("a non-overlapping swap differs: %v", diff)
	}
	c.LPM[9] = LPMEntry{Valid: true, Value: 0x0a010000, Mask: 0xffff0000, Adj: 0} // after 10/8: shadowed
	c.LPM[10] = LPMEntry{Valid: true, Value: 0x01000001, Mask: 0xff0000ff}
	_, diff = Equivalent(a, c)
	if strings.Join(diff, "\n") != "! b: lpm[10] has mask ff0000ff, which is not a prefix mask" {
		t.Errorf("diff %q", diff)
	}
	if ok, _ := Equivalent(nil, a); ok {
		t.Error("nil equivalent to an image")
	}
}

func TestWriteString(t *testing.T) {
	for _, tc := range []struct {
		w    Write
		want string
	}{
		{Write{Table: TableLPM, Index: 3, LPM: &LPMEntry{Valid: true, Value: 0x0a000000, Mask: 0xff000000, Adj: 2}}, "lpm[3] = 10.0.0.0/8 -> adj 2"},
		{Write{Table: TableLPM, Index: 7, LPM: &LPMEntry{}}, "lpm[7] = invalid"},
		{Write{Table: TableRAddr, Index: 0, RAddr: &RAddrEntry{Valid: true, Addr: 0xc0000201}}, "raddr[0] = 192.0.2.1"},
		{Write{Table: TablePort, Index: 1, Port: &PortEntry{MAC: net.HardwareAddr{2, 0, 0, 0, 0, 0x11}, MTU: 1400}}, "port[1] = mac 02:00:00:00:00:11 mtu 1400"},
		{Write{Table: TableAdj, Index: 2, Adj: &AdjEntry{Kind: AdjBlackhole}}, "adj[2] = blackhole"},
		{Write{Table: TableAdj, Index: 2}, "adj[2] = ?"},
	} {
		if got := tc.w.String(); got != tc.want {
			t.Errorf("%q, want %q", got, tc.want)
		}
	}
	im := NewImage(testSizes)
	if err := im.Apply(Write{Table: TableLPM, Index: 64, LPM: &LPMEntry{}}); err == nil {
		t.Error("write beyond the table accepted")
	}
	if err := im.Apply(Write{Table: TableAdj, Index: 0}); err == nil {
		t.Error("write without an entry accepted")
	}
}

// FuzzPlan plans between two random configurations derived from the fuzzer's seeds, from a
// current table that may be scrambled, read back or damaged, and checks the plan (the
// make-before-break property when the plan keeps it).
func FuzzPlan(f *testing.F) {
	f.Add(uint64(1), uint64(2), uint8(0))
	f.Add(uint64(3), uint64(3), uint8(0xff))
	f.Add(uint64(7), uint64(9), uint8(0x12))
	f.Fuzz(func(t *testing.T, seedA, seedB uint64, flags uint8) {
		rng := rand.New(rand.NewPCG(seedA, seedB))
		s := Sizes{Ports: 4, LPM: 96 + int(flags&3)*32, Adj: 16 + int(flags>>2&3)*16, RAddr: 4}
		g := newNetGen(rng, 40+int(flags>>4&3)*20)
		old, ok := g.image(t, s)
		if !ok {
			return
		}
		for i := 0; i <= int(flags>>6); i++ {
			g.mutate()
		}
		want, ok := g.image(t, s)
		if !ok {
			return
		}
		cur := old
		if flags&0x10 != 0 {
			cur = scramble(rng, old)
		}
		if flags&0x20 != 0 {
			cur = readBack(cur)
		}
		if flags&0x40 != 0 {
			cur.LPM[rng.IntN(len(cur.LPM))].Adj = uint16(rng.IntN(3 * len(cur.Adj)))
		}
		p, err := Plan(cur, want, PlanOptions{})
		mbb := true
		if errors.Is(err, ErrNeedsBreak) {
			p, err = Plan(cur, want, PlanOptions{AllowBreak: true})
			mbb = false
		}
		if err != nil {
			t.Fatal(err)
		}
		checkPlan(t, rng, cur, want, p, mbb)
	})
}
