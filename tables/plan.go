package tables

// Incremental table updates.
//
// Plan turns the tables a device holds (cur, read back; any layout) into tables that forward
// like a newly compiled image (want), one atomic entry write at a time, so that traffic never
// sees a state that is neither the old forwarding nor the new one ("make before break"). What
// an LPM table means is a map from prefixes to adjacency CONTENT (kind, port, MACs, MTU): the
// TCAM index of an entry and the index of its adjacency row are layout, not meaning.
//
// Every route falls in one of four classes: kept (same prefix, same content: no write at all),
// added, changed (same prefix, other content) and removed. The writes come in this order:
//
//  1. Ports and router addresses, in place (each is one atomic entry; new router addresses go
//     to free entries before old ones are cleared).
//  2. Repairs of a table that is not in the shape Plan keeps: entries that never match
//     (duplicates, prefixes shadowed by a shorter prefix at a lower index) and entries whose mask
//     is not a prefix are cleared; live entries out of prefix-length order are copied to a slot
//     where they are in order and cannot shadow or be shadowed, then cleared.
//  3. New adjacency rows, written into rows no entry uses.
//  4. Added routes, longest prefix first. An address under a new prefix then sees the new
//     route, which is its new result: no longer new prefix can still be missing. Room is made
//     one prefix length at a time (TCAM.Reserve), which may move entries (see TCAM). Before
//     that, the free LPM slots are shared among the prefix lengths in proportion to their
//     routes after the plan (TCAM.Spread: boundaries move through free slots only, so it costs
//     no write). Measured on a full real table (BenchmarkPlanFullTable), that makes a load into
//     an empty table and a later churn of new prefixes move almost nothing, where the free
//     slots left in one place cost one to two moves per added route. A bulk add (more new
//     routes than entries in the table, as when a device is loaded with another configuration)
//     first re-lays the table for the routes it will hold (planner.relayout), which moves each
//     entry in place at most once and leaves room for every add where it goes.
//  5. Changed routes: the entry's adjacency index is rewritten in place, or, when every entry
//     using a row wants the same new content, the row itself is rewritten (one write for all
//     of them; a learnt MAC or a changed port MAC costs one write per row). Adds must come
//     first: an address under a new more-specific prefix P whose covering prefix Q changes
//     would otherwise see Q's new next hop, which is neither its old result (Q's old next hop)
//     nor its new one (P's).
//  6. Removed routes, shortest prefix first: an address under two removed prefixes keeps its
//     old result (the longer one) until it falls to the route that stays; removing the longer
//     first would show it the shorter one's old next hop, which is neither.
//  7. Rows no longer used are left as they are: a later plan may reuse their content.
//
// After any prefix of these writes, every address is forwarded with its old or its new result,
// and every valid entry points at a row holding the content that entry means before or after.
// When the tables are too full for that (more new routes than free LPM entries, or no free
// adjacency row for a new next hop), or an entry out of prefix-length order has no slot to move
// to, Plan fails with ErrNeedsBreak. PlanOptions.AllowBreak then lets it clear such entries
// first (they are added again in order), and if that is not enough, remove routes before adding.

import (
	"errors"
	"fmt"
	"math/bits"
	"net"
	"net/netip"
	"sort"
	"strings"
)

// TableKind names one table of the data plane.
type TableKind uint8

const (
	TablePort  TableKind = iota // port MAC and MTU
	TableRAddr                  // router addresses
	TableLPM                    // LPM (TCAM) entries
	TableAdj                    // adjacency rows
)

func (k TableKind) String() string {
	switch k {
	case TablePort:
		return "port"
	case TableRAddr:
		return "raddr"
	case TableLPM:
		return "lpm"
	case TableAdj:
		return "adj"
	}
	return fmt.Sprintf("table(%d)", uint8(k))
}

// Write is one entry write: the entry at Index of Table becomes the one non-nil entry value
// (Port, RAddr, LPM or Adj, matching Table). The hardware changes an entry in one clock.
type Write struct {
	Table TableKind
	Index int
	Port  *PortEntry
	RAddr *RAddrEntry
	LPM   *LPMEntry
	Adj   *AdjEntry
}

// String formats the write, e.g. "lpm[3] = 10.0.0.0/8 -> adj 2" or "lpm[7] = invalid".
func (w Write) String() string {
	head := fmt.Sprintf("%v[%d] = ", w.Table, w.Index)
	switch {
	case w.Table == TablePort && w.Port != nil:
		return head + fmt.Sprintf("mac %s mtu %d", w.Port.MAC, w.Port.MTU)
	case w.Table == TableRAddr && w.RAddr != nil:
		if !w.RAddr.Valid {
			return head + "invalid"
		}
		return head + addrFromU32(w.RAddr.Addr).String()
	case w.Table == TableLPM && w.LPM != nil:
		e := w.LPM
		if !e.Valid {
			return head + "invalid"
		}
		if n, ok := maskLen(e.Mask); ok {
			return head + fmt.Sprintf("%v -> adj %d", keyOf(e.Value, n), e.Adj)
		}
		return head + fmt.Sprintf("%08x/%08x -> adj %d", e.Value, e.Mask, e.Adj)
	case w.Table == TableAdj && w.Adj != nil:
		return head + contentOf(w.Adj).String()
	}
	return head + "?"
}

// PlanOptions tune Plan.
type PlanOptions struct {
	// AllowBreak lets Plan remove routes before it adds when the tables are too full for
	// make-before-break: addresses under a removed or changed prefix may then briefly follow a
	// covering route, or, when adjacency rows run out, a changed route may briefly point at
	// another route's new next hop.
	AllowBreak bool

	// packed keeps the free LPM slots where they are instead of sharing them among the prefix
	// lengths (TCAM.Spread); for benchmarks that measure what the sharing is worth.
	packed bool
}

// UpdatePlan is the result of Plan.
type UpdatePlan struct {
	Writes    []Write // in order
	Result    *Image  // cur after every write
	Moves     int     // TCAM entries relocated to make room (each one write)
	Added     int     // routes (LPM prefixes) added
	Changed   int     // routes whose adjacency content changes
	Removed   int     // routes removed
	Unchanged int     // routes left alone
	Repaired  int     // entries of cur cleared or relocated because cur was not in Plan's shape
	Break     bool    // make-before-break was given up (PlanOptions.AllowBreak)
}

// ErrNeedsBreak is wrapped by Plan's error when the update cannot be made without a moment in
// which some address is forwarded neither the old way nor the new way; PlanOptions.AllowBreak
// permits it.
var ErrNeedsBreak = errors.New("tables too full for make-before-break (AllowBreak permits removing routes first)")

// Plan computes the ordered single-entry writes that turn the device's tables (cur, as read
// back, in any layout) into tables that forward exactly like want (as compiled by Compile or
// Build; want's layout is not copied, only its content). cur and want must have the same Sizes.
// The comment at the top of plan.go describes the order of the writes and what holds between
// them. Plan does not change cur or want.
func Plan(cur, want *Image, opt PlanOptions) (*UpdatePlan, error) {
	if err := checkShape("cur", cur); err != nil {
		return nil, err
	}
	if err := checkShape("want", want); err != nil {
		return nil, err
	}
	if cur.Sizes != want.Sizes {
		return nil, fmt.Errorf("tables: plan: cur has sizes %+v, want %+v", cur.Sizes, want.Sizes)
	}
	wantRoutes, err := wantedRoutes(want)
	if err != nil {
		return nil, err
	}
	p := newPlanner(cur, want, wantRoutes, opt, noBreak)
	err = p.run()
	if errors.Is(err, errLayout) && opt.AllowBreak {
		// Clear the entries that cannot move without a gap; the rest make before break.
		p = newPlanner(cur, want, wantRoutes, opt, breakLayout)
		err = p.run()
	}
	if errors.Is(err, ErrNeedsBreak) && opt.AllowBreak {
		p = newPlanner(cur, want, wantRoutes, opt, breakAll)
		err = p.run()
	}
	if err != nil {
		return nil, err
	}
	return p.plan, nil
}

// checkShape checks that every table of an image has the length its Sizes say.
func checkShape(name string, im *Image) error {
	if im == nil {
		return fmt.Errorf("tables: plan: %s is nil", name)
	}
	s := im.Sizes
	if len(im.Ports) != s.Ports || len(im.RAddr) != s.RAddr || len(im.LPM) != s.LPM || len(im.Adj) != s.Adj {
		return fmt.Errorf("tables: plan: %s has %d ports, %d router addresses, %d LPM entries and %d adjacency rows; its sizes say %+v",
			name, len(im.Ports), len(im.RAddr), len(im.LPM), len(im.Adj), s)
	}
	if s.Adj > 1<<16 {
		return fmt.Errorf("tables: plan: %s: %d adjacency rows do not fit a 16-bit index", name, s.Adj)
	}
	return nil
}

// wantTable is what want's LPM table means: prefix -> adjacency content. Contents are
// numbered (want has at most as many as rows), so a route costs a small map value.
type wantTable struct {
	routes   map[routeKey]int32 // prefix -> index into contents
	keys     []routeKey         // the prefixes, in want's index order
	contents []adjContent       // the distinct contents of want's rows
	index    map[adjContent]int32
	row      []int // a row of want holding contents[i] (one with a NextHop annotation if any)
}

// wantedRoutes reads want's LPM table. Entries that never match are ignored; an entry that is
// not a prefix or points beyond the adjacency table is an error.
func wantedRoutes(want *Image) (*wantTable, error) {
	w := &wantTable{index: map[adjContent]int32{}}
	rowIdx := make([]int32, len(want.Adj))
	for r := range want.Adj {
		c := contentOf(&want.Adj[r])
		i, ok := w.index[c]
		if !ok {
			i = int32(len(w.contents))
			w.index[c] = i
			w.contents = append(w.contents, c)
			w.row = append(w.row, r)
		} else if want.Adj[w.row[i]].NextHop == "" && want.Adj[r].NextHop != "" {
			w.row[i] = r
		}
		rowIdx[r] = i
	}
	valid := 0
	for i := range want.LPM {
		if want.LPM[i].Valid {
			valid++
		}
	}
	w.routes = make(map[routeKey]int32, valid)
	w.keys = make([]routeKey, 0, valid)
	prev, ordered := 32, true
	for i := range want.LPM {
		e := &want.LPM[i]
		if !e.Valid {
			continue
		}
		n, ok := maskLen(e.Mask)
		if !ok {
			return nil, fmt.Errorf("tables: plan: want lpm[%d] has mask %08x, which is not a prefix mask", i, e.Mask)
		}
		k := keyOf(e.Value, n)
		if int(e.Adj) >= len(want.Adj) {
			return nil, fmt.Errorf("tables: plan: want lpm[%d] %v points at adjacency row %d, beyond the table (%d rows)",
				i, k, e.Adj, len(want.Adj))
		}
		if _, dup := w.routes[k]; dup {
			continue // a later copy never matches
		}
		if n > prev {
			ordered = false
		}
		prev = n
		w.routes[k] = rowIdx[e.Adj]
		w.keys = append(w.keys, k)
	}
	if !ordered {
		// Some prefix may be shadowed by a shorter one before it: keep only what matches.
		a := analyzeLPM(want.LPM)
		keys := w.keys[:0]
		for _, k := range w.keys {
			if _, ok := a.live[k]; ok {
				keys = append(keys, k)
			} else {
				delete(w.routes, k)
			}
		}
		w.keys = keys
	}
	return w, nil
}

// routeKey is an IPv4 prefix as one number: the masked address above 6 bits of length.
type routeKey uint64

func keyOf(value uint32, bits int) routeKey {
	return routeKey(uint64(value&prefixMask(bits))<<6 | uint64(bits))
}

func (k routeKey) value() uint32 { return uint32(k >> 6) }
func (k routeKey) bits() int     { return int(k & 63) }
func (k routeKey) last() uint32  { return k.value() | ^prefixMask(k.bits()) }
func (k routeKey) String() string {
	return netip.PrefixFrom(addrFromU32(k.value()), k.bits()).String()
}

// maskLen returns the prefix length of a prefix mask; ok is false for other masks.
func maskLen(mask uint32) (n int, ok bool) {
	n = bits.OnesCount32(mask)
	return n, prefixMask(n) == mask
}

// adjContent is what an adjacency row does to a frame: everything the hardware holds, nothing
// of the annotations. bad marks an LPM entry whose row index lies beyond the table.
type adjContent struct {
	kind     AdjKind
	port     uint8
	dst, src [6]byte
	mtu      uint16
	bad      bool
}

func contentOf(a *AdjEntry) adjContent {
	c := adjContent{kind: a.Kind, port: a.Port, mtu: a.MTU}
	copy(c.dst[:], a.DstMAC)
	copy(c.src[:], a.SrcMAC)
	return c
}

// rowContent is the content of adjacency row r of the image.
func (im *Image) rowContent(r uint16) adjContent {
	if int(r) >= len(im.Adj) {
		return adjContent{bad: true}
	}
	return contentOf(&im.Adj[r])
}

func (c adjContent) String() string {
	if c.bad {
		return "a row beyond the adjacency table"
	}
	zero := [6]byte{}
	if c.kind == AdjBlackhole && c.port == 0 && c.dst == zero && c.src == zero && c.mtu == 0 {
		return "blackhole"
	}
	s := fmt.Sprintf("%v port%d", c.kind, c.port)
	if c.kind == AdjForward || c.dst != zero {
		s += " to " + net.HardwareAddr(c.dst[:]).String()
	}
	return s + fmt.Sprintf(" from %s mtu %d", net.HardwareAddr(c.src[:]), c.mtu)
}

// lpmAnalysis is what an LPM table means and what in it is out of shape.
type lpmAnalysis struct {
	live    map[routeKey]int // prefix -> slot of the entry that matches for it
	garbage []int            // valid slots whose mask is not a prefix mask
	dead    []int            // valid slots that never match: later duplicates, shadowed prefixes
	ordered bool             // the live entries are in prefix-length order, longest first
}

// analyzeLPM reads an LPM table the way the hardware does: the lowest matching valid index
// wins, so a later entry of the same prefix never matches, and neither does a prefix below a
// shorter prefix that covers it (prefixes nest or are disjoint, so shadowing is all or
// nothing). Entries whose mask is not a prefix are listed apart.
func analyzeLPM(lpm []LPMEntry) *lpmAnalysis {
	valid := 0
	for i := range lpm {
		if lpm[i].Valid {
			valid++
		}
	}
	a := &lpmAnalysis{live: make(map[routeKey]int, valid), ordered: true}
	prev := 32
	for i := range lpm {
		e := &lpm[i]
		if !e.Valid {
			continue
		}
		n, ok := maskLen(e.Mask)
		if !ok {
			a.garbage = append(a.garbage, i)
			continue
		}
		k := keyOf(e.Value, n)
		if _, dup := a.live[k]; dup {
			a.dead = append(a.dead, i)
			continue
		}
		if n > prev {
			a.ordered = false
		}
		prev = n
		a.live[k] = i
	}
	if !a.ordered {
		// Only an entry after a shorter one can be shadowed: sweep the prefixes in address
		// order with a stack of the prefixes that contain the current one.
		keys := sortedKeys(a.live)
		type open struct {
			key     routeKey
			minSlot int // the lowest slot of this prefix and the prefixes containing it
		}
		var stack []open
		var shadowed []int
		for _, k := range keys {
			for len(stack) > 0 && stack[len(stack)-1].key.last() < k.value() {
				stack = stack[:len(stack)-1]
			}
			slot, low := a.live[k], a.live[k]
			if len(stack) > 0 {
				if m := stack[len(stack)-1].minSlot; m < slot {
					shadowed = append(shadowed, slot)
					delete(a.live, k)
					low = m
				}
			}
			stack = append(stack, open{k, low})
		}
		a.dead = append(a.dead, shadowed...)
		sort.Ints(a.dead)
		a.ordered = isLengthOrdered(lpm, a.live)
	}
	return a
}

// sortedKeys returns the prefixes of m in address order, shorter first at the same address.
func sortedKeys[V any](m map[routeKey]V) []routeKey {
	keys := make([]routeKey, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
	return keys
}

// isLengthOrdered reports whether the entries at the slots of live are ordered by prefix length,
// longest first.
func isLengthOrdered(lpm []LPMEntry, live map[routeKey]int) bool {
	slots := make([]int, 0, len(live))
	for _, s := range live {
		slots = append(slots, s)
	}
	sort.Ints(slots)
	prev := 32
	for _, s := range slots {
		n, _ := maskLen(lpm[s].Mask)
		if n > prev {
			return false
		}
		prev = n
	}
	return true
}

// errLayout is the ErrNeedsBreak of entries out of prefix-length order that cannot be moved.
var errLayout = fmt.Errorf("entries out of prefix-length order: %w", ErrNeedsBreak)

// breakMode says how far a planner may give up make-before-break.
type breakMode uint8

const (
	noBreak     breakMode = iota
	breakLayout           // clear entries out of prefix-length order that cannot move
	breakAll              // also remove routes first and rewrite rows under routes
)

// planner is the state of one Plan.
type planner struct {
	opt  PlanOptions
	mode breakMode
	brk  bool   // breakAll: removes first, rows may be rewritten under a route
	want *Image // read only
	im   *Image // the working image: cur with every write so far
	plan *UpdatePlan
	w    *wantTable // want's routes

	slotOf map[routeKey]int // live prefix -> slot in im
	tcam   *TCAM
	stale  map[int]bool // slots a move left with a copy, not yet overwritten

	rows   []rowState
	canon  map[adjContent]int // the row kept for each wanted content
	pool   []int              // rows no entry uses and no wanted content needs
	pooled []bool
}

// rowState is the bookkeeping of one adjacency row.
type rowState struct {
	content adjContent
	users   int  // valid LPM entries pointing here
	canon   bool // the row kept for its content, which want needs
}

func newPlanner(cur, want *Image, w *wantTable, opt PlanOptions, mode breakMode) *planner {
	p := &planner{opt: opt, mode: mode, brk: mode == breakAll, want: want, im: cur.Clone(), w: w,
		plan: &UpdatePlan{Break: mode == breakAll}, stale: map[int]bool{}}
	p.plan.Result = p.im
	return p
}

// wanted returns the content want gives prefix k, if want has it.
func (p *planner) wanted(k routeKey) (adjContent, bool) {
	i, ok := p.w.routes[k]
	if !ok {
		return adjContent{}, false
	}
	return p.w.contents[i], true
}

// write applies one write to the working image and appends it to the plan.
func (p *planner) write(w Write) {
	if err := p.im.Apply(w); err != nil {
		panic("tables: plan: internal error: " + err.Error()) // indexes come from the image itself
	}
	p.plan.Writes = append(p.plan.Writes, w)
}

func (p *planner) writeLPM(slot int, e LPMEntry) {
	p.write(Write{Table: TableLPM, Index: slot, LPM: &e})
}

func (p *planner) run() error {
	p.ports()
	p.routerAddrs()
	if err := p.repairLPM(); err != nil {
		return err
	}
	lengths := make([]int8, len(p.im.LPM))
	for i := range p.im.LPM {
		lengths[i] = slotFree
		if e := &p.im.LPM[i]; e.Valid {
			n, _ := maskLen(e.Mask)
			lengths[i] = int8(n)
		}
	}
	t, err := newTCAMFrom(lengths)
	if err != nil {
		return fmt.Errorf("tables: plan: internal error: %w", err)
	}
	p.tcam = t

	added, changed, removed := p.classify()
	if p.brk {
		p.remove(removed)
	}
	if !p.opt.packed {
		var counts [33]int
		for _, k := range p.w.keys {
			counts[k.bits()]++
		}
		if !p.relayout(added, counts) {
			p.tcam.Spread(counts)
		}
	}
	if free := p.tcam.Size() - p.tcam.Used(); len(added) > free {
		return fmt.Errorf("tables: plan: %d routes to add, %d LPM entries free (%d routes to remove later): %w",
			len(added), free, len(removed), ErrNeedsBreak)
	}
	deferred, err := p.add(added)
	if err != nil {
		return err
	}
	if err := p.change(changed); err != nil {
		return err
	}
	if len(deferred) > 0 {
		if left, err := p.add(deferred); err != nil || len(left) > 0 {
			return fmt.Errorf("tables: plan: internal error: no adjacency row for %d new routes (%v)", len(left), err)
		}
	}
	if !p.brk {
		p.remove(removed)
	}
	return nil
}

// ports writes every port entry that differs.
func (p *planner) ports() {
	for i := range p.want.Ports {
		a, b := &p.im.Ports[i], &p.want.Ports[i]
		if mac6(a.MAC) != mac6(b.MAC) || a.MTU != b.MTU {
			e := PortEntry{MAC: cloneMAC(b.MAC), MTU: b.MTU}
			p.write(Write{Table: TablePort, Index: i, Port: &e})
		}
	}
}

// routerAddrs makes the valid router addresses the set want holds: new addresses go to free
// entries first, then over entries whose address is no longer wanted; what is left of those is
// cleared last.
func (p *planner) routerAddrs() {
	wanted := map[uint32]bool{}
	for _, r := range p.want.RAddr {
		if r.Valid {
			wanted[r.Addr] = true
		}
	}
	have := map[uint32]bool{}
	var free, unwanted []int
	for i, r := range p.im.RAddr {
		switch {
		case !r.Valid:
			free = append(free, i)
		case wanted[r.Addr] && !have[r.Addr]:
			have[r.Addr] = true
		default:
			unwanted = append(unwanted, i) // not wanted, or a second copy
		}
	}
	var adds []uint32
	for a := range wanted {
		if !have[a] {
			adds = append(adds, a)
		}
	}
	sort.Slice(adds, func(i, j int) bool { return adds[i] < adds[j] })
	slots := append(free, unwanted...) // enough: want has at most as many addresses as entries
	for i, a := range adds {
		p.write(Write{Table: TableRAddr, Index: slots[i], RAddr: &RAddrEntry{Valid: true, Addr: a}})
	}
	for _, i := range slots[len(adds):] {
		if p.im.RAddr[i].Valid {
			p.write(Write{Table: TableRAddr, Index: i, RAddr: &RAddrEntry{}})
		}
	}
}

// repairLPM brings the working LPM table into the shape Plan keeps: no entry that never
// matches, no entry that is not a prefix, live entries in prefix-length order.
func (p *planner) repairLPM() error {
	a := analyzeLPM(p.im.LPM)
	// Entries that are not prefixes first: they are the only repair that changes forwarding
	// (for the addresses they matched, the table then answers as its prefixes say).
	for _, i := range a.garbage {
		p.writeLPM(i, LPMEntry{})
		p.plan.Repaired++
	}
	for _, i := range a.dead {
		p.writeLPM(i, LPMEntry{})
		p.plan.Repaired++
	}
	p.slotOf = a.live
	if a.ordered {
		return nil
	}
	return p.relocateMisplaced()
}

// relocateMisplaced brings live entries that break prefix-length order back into order without
// changing forwarding. A copy of an entry X is safe at a free slot below every live prefix inside
// X and above every live prefix containing X (it then neither shadows nor is shadowed), and the
// old entry can then be cleared. Two strategies are tried, and the one that leaves fewer
// entries unmoved (then fewer writes) is used:
//
//   - keep the longest subsequence of entries (in index order) that is already in order, and
//     move each other entry into a free slot where its length belongs, in rounds, since moving
//     one entry can open the way for another;
//   - place every entry, longest first, in the lowest safe slot after the entries placed so far
//     (or leave it where it is when that is lower), compacting the table toward index 0.
//
// An entry that cannot be moved is an error (ErrNeedsBreak); when breaking is allowed it is
// cleared and added again later.
func (p *planner) relocateMisplaced() error {
	r := newRelocator(p.im.LPM, p.slotOf)
	best := r.keepOrdered()
	if len(best.stuck) > 0 {
		r = newRelocator(p.im.LPM, p.slotOf)
		if c := r.compact(); len(c.stuck) < len(best.stuck) ||
			(len(c.stuck) == len(best.stuck) && len(c.moves) < len(best.moves)) {
			best = c
		}
	}
	if len(best.stuck) > 0 && p.mode == noBreak {
		k := best.stuck[0]
		return fmt.Errorf("tables: plan: %d LPM entries of cur are out of prefix-length order and have no free slot to move to without changing forwarding (first: lpm[%d] %v): %w",
			len(best.stuck), p.slotOf[k], k, errLayout)
	}
	for _, m := range best.moves {
		k := keyOfEntry(p.im.LPM[m.From])
		p.writeLPM(m.To, p.im.LPM[m.From])
		p.writeLPM(m.From, LPMEntry{})
		p.slotOf[k] = m.To
		p.plan.Moves++
		p.plan.Repaired++
	}
	if len(best.stuck) > 0 {
		p.plan.Break = true
	}
	for _, k := range best.stuck {
		p.writeLPM(p.slotOf[k], LPMEntry{})
		delete(p.slotOf, k)
		p.plan.Repaired++
	}
	return nil
}

// keyOfEntry is the prefix of a valid entry whose mask is a prefix mask.
func keyOfEntry(e LPMEntry) routeKey {
	n, _ := maskLen(e.Mask)
	return keyOf(e.Value, n)
}

// relocator works out a relocation on its own copy of the layout.
type relocator struct {
	size    int
	slotOf  map[routeKey]int // live prefix -> slot
	free    *bitset
	keys    []routeKey // live prefixes in address order
	pos     map[routeKey]int
	tree    *maxTree // slot of keys[i], for "last slot of a prefix inside X"
	present [33]int  // live prefixes per length
}

// relocation is what a strategy found: moves (copy From to To, then clear From) in order, and
// the entries left out of order.
type relocation struct {
	moves []Move
	stuck []routeKey
}

func newRelocator(lpm []LPMEntry, live map[routeKey]int) *relocator {
	r := &relocator{size: len(lpm), slotOf: make(map[routeKey]int, len(live)), free: newBitset(len(lpm))}
	for i := range lpm {
		if !lpm[i].Valid {
			r.free.set(i)
		}
	}
	for k, s := range live {
		r.slotOf[k] = s
		r.present[k.bits()]++
	}
	r.keys = sortedKeys(live)
	r.pos = make(map[routeKey]int, len(r.keys))
	r.tree = newMaxTree(len(r.keys))
	for i, k := range r.keys {
		r.pos[k] = i
		r.tree.set(i, live[k])
	}
	return r
}

// safe returns the slots (lo, hi) strictly between which a copy of k neither shadows a live
// prefix inside k nor is shadowed by a live prefix containing k.
func (r *relocator) safe(k routeKey) (lo, hi int) {
	hi = r.size
	for m := 0; m < k.bits(); m++ {
		if r.present[m] > 0 {
			if s, ok := r.slotOf[keyOf(k.value(), m)]; ok {
				hi = min(hi, s)
			}
		}
	}
	i := r.pos[k]
	j := sort.Search(len(r.keys), func(j int) bool { return r.keys[j].value() > k.last() })
	return r.tree.max(i+1, j), hi
}

func (r *relocator) move(k routeKey, to int, out *relocation) {
	from := r.slotOf[k]
	out.moves = append(out.moves, Move{From: from, To: to})
	r.free.clear(to)
	r.free.set(from)
	r.slotOf[k] = to
	r.tree.set(r.pos[k], to)
}

// keepOrdered is the first strategy: keep the longest in-order subsequence, move the others.
func (r *relocator) keepOrdered() relocation {
	type liveEntry struct {
		slot int
		key  routeKey
	}
	entries := make([]liveEntry, 0, len(r.slotOf))
	for k, s := range r.slotOf {
		entries = append(entries, liveEntry{s, k})
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].slot < entries[j].slot })
	// Longest non-increasing subsequence of the lengths: best[l] is the longest one so far that
	// ends with a /l, at entry bestAt[l].
	parent := make([]int, len(entries))
	var best, bestAt [33]int
	for j, e := range entries {
		l, m, at := e.key.bits(), 0, -1
		for x := l; x <= 32; x++ {
			if best[x] > m {
				m, at = best[x], bestAt[x]
			}
		}
		parent[j] = at
		if m+1 > best[l] {
			best[l], bestAt[l] = m+1, j
		}
	}
	end, longest := -1, 0
	for l := 0; l <= 32; l++ {
		if best[l] > longest {
			longest, end = best[l], bestAt[l]
		}
	}
	inOrder := make([]bool, len(entries))
	for j := end; j >= 0; j = parent[j] {
		inOrder[j] = true
	}
	var first, last [33]int // slots of the in-order entries of each length
	for l := range first {
		first[l], last[l] = r.size, -1
	}
	var misplaced []routeKey
	for j, e := range entries {
		if l := e.key.bits(); inOrder[j] {
			first[l], last[l] = min(first[l], e.slot), max(last[l], e.slot)
		} else {
			misplaced = append(misplaced, e.key)
		}
	}
	sort.Slice(misplaced, func(i, j int) bool {
		if misplaced[i].bits() != misplaced[j].bits() {
			return misplaced[i].bits() > misplaced[j].bits()
		}
		return misplaced[i] < misplaced[j]
	})
	var out relocation
	for len(misplaced) > 0 {
		var left []routeKey
		for _, k := range misplaced {
			lo, hi := r.safe(k)
			l := k.bits()
			for m := l + 1; m <= 32; m++ {
				lo = max(lo, last[m])
			}
			for m := 0; m < l; m++ {
				hi = min(hi, first[m])
			}
			f := r.free.next(lo + 1)
			if f < 0 || f >= hi {
				left = append(left, k)
				continue
			}
			r.move(k, f, &out)
			first[l], last[l] = min(first[l], f), max(last[l], f)
		}
		if len(left) == len(misplaced) {
			break
		}
		misplaced = left
	}
	out.stuck = misplaced
	return out
}

// compact is the second strategy: place the entries longest first, each in the lowest safe
// slot after the ones placed so far, or where it is when that is lower.
func (r *relocator) compact() relocation {
	order := make([]routeKey, 0, len(r.slotOf))
	for k := range r.slotOf {
		order = append(order, k)
	}
	sort.Slice(order, func(i, j int) bool {
		a, b := order[i], order[j]
		if a.bits() != b.bits() {
			return a.bits() > b.bits()
		}
		return r.slotOf[a] < r.slotOf[b]
	})
	var out relocation
	last := -1
	for _, k := range order {
		lo, hi := r.safe(k)
		lo = max(lo, last)
		target := -1
		if p := r.slotOf[k]; p > lo && p < hi {
			target = p
		}
		if f := r.free.next(lo + 1); f >= 0 && f < hi && (target < 0 || f < target) {
			target = f
		}
		if target < 0 {
			out.stuck = append(out.stuck, k)
			continue
		}
		if target != r.slotOf[k] {
			r.move(k, target, &out)
		}
		last = target
	}
	return out
}

// classify sorts the routes into added (longest first), changed and removed (shortest first),
// and sets up the rows: the users of each, and for each content want needs that some row
// already holds, the row to keep for it (the one most of whose users keep their content).
func (p *planner) classify() (added, changed, removed []routeKey) {
	nrows := len(p.im.Adj)
	p.rows = make([]rowState, nrows)
	p.pooled = make([]bool, nrows)
	rowWant := make([]int32, nrows) // index of the row's content among want's, or -1
	for r := range p.im.Adj {
		p.rows[r].content = contentOf(&p.im.Adj[r])
		rowWant[r] = -1
		if i, ok := p.w.index[p.rows[r].content]; ok {
			rowWant[r] = i
		}
	}
	kept := make([]int, nrows)
	matched := 0
	for k, slot := range p.slotOf {
		r := int(p.im.LPM[slot].Adj)
		if r < nrows {
			p.rows[r].users++
		}
		wi, ok := p.w.routes[k]
		switch {
		case !ok:
			removed = append(removed, k)
			continue
		case r < nrows && rowWant[r] == wi:
			kept[r]++
			p.plan.Unchanged++
		default:
			changed = append(changed, k)
		}
		matched++
	}
	if matched < len(p.w.keys) {
		for _, k := range p.w.keys {
			if _, ok := p.slotOf[k]; !ok {
				added = append(added, k)
			}
		}
	}
	longestFirst := func(ks []routeKey) {
		sort.Slice(ks, func(i, j int) bool {
			if ks[i].bits() != ks[j].bits() {
				return ks[i].bits() > ks[j].bits()
			}
			return ks[i] < ks[j]
		})
	}
	longestFirst(added)
	sort.Slice(changed, func(i, j int) bool { return changed[i] < changed[j] })
	sort.Slice(removed, func(i, j int) bool {
		if removed[i].bits() != removed[j].bits() {
			return removed[i].bits() < removed[j].bits()
		}
		return removed[i] < removed[j]
	})
	p.plan.Added, p.plan.Changed, p.plan.Removed = len(added), len(changed), len(removed)

	p.canon = map[adjContent]int{}
	for r := range p.rows {
		if rowWant[r] < 0 {
			continue
		}
		c := p.rows[r].content
		if old, ok := p.canon[c]; !ok || kept[r] > kept[old] {
			p.canon[c] = r
		}
	}
	for _, r := range p.canon {
		p.rows[r].canon = true
	}
	for r := range p.rows {
		p.maybeFree(r)
	}
	return added, changed, removed
}

// maybeFree puts row r in the pool when nothing needs it.
func (p *planner) maybeFree(r int) {
	if p.rows[r].users == 0 && !p.rows[r].canon && !p.pooled[r] {
		p.pool = append(p.pool, r)
		p.pooled[r] = true
	}
}

// popRow takes the lowest free row.
func (p *planner) popRow() (int, bool) {
	if len(p.pool) == 0 {
		return 0, false
	}
	best := 0
	for i, r := range p.pool {
		if r < p.pool[best] {
			best = i
		}
	}
	r := p.pool[best]
	p.pool[best] = p.pool[len(p.pool)-1]
	p.pool = p.pool[:len(p.pool)-1]
	p.pooled[r] = false
	if p.rows[r].users != 0 || p.rows[r].canon {
		return p.popRow() // it came back into use since it was freed
	}
	return r, true
}

// writeRow gives row r content c (copying want's annotation for it).
func (p *planner) writeRow(r int, c adjContent) {
	e := p.want.Adj[p.w.row[p.w.index[c]]]
	e.DstMAC, e.SrcMAC = cloneMAC(e.DstMAC), cloneMAC(e.SrcMAC)
	p.write(Write{Table: TableAdj, Index: r, Adj: &e})
	p.rows[r].content = c
	if _, ok := p.canon[c]; !ok {
		p.canon[c] = r
		p.rows[r].canon = true
	}
}

// rowFor returns the row holding content c, writing a free row when none does.
func (p *planner) rowFor(c adjContent) (int, bool) {
	if r, ok := p.canon[c]; ok {
		return r, true
	}
	r, ok := p.popRow()
	if !ok && p.mergeDuplicates() {
		r, ok = p.popRow()
	}
	if !ok {
		return 0, false
	}
	p.writeRow(r, c)
	return r, true
}

func (p *planner) rowForOK(c adjContent) bool {
	_, ok := p.rowFor(c)
	return ok
}

// add inserts the added routes, longest first, after writing the rows they need. It returns the
// routes that found no row (only in break mode; in make-before-break mode that is an error).
func (p *planner) add(added []routeKey) (deferred []routeKey, err error) {
	var ready []routeKey
	for _, k := range added {
		if c, _ := p.wanted(k); p.rowForOK(c) {
			ready = append(ready, k)
			continue
		}
		if !p.brk {
			return nil, fmt.Errorf("tables: plan: no free adjacency row for the next hop of new route %v (%d rows, all in use until routes change or go): %w",
				k, len(p.rows), ErrNeedsBreak)
		}
		deferred = append(deferred, k)
	}
	// One length at a time (ready is longest first): room for the whole group first, then its
	// entries.
	for i := 0; i < len(ready); {
		l, j := ready[i].bits(), i
		for j < len(ready) && ready[j].bits() == l {
			j++
		}
		moves, err := p.tcam.Reserve(l, j-i)
		if err != nil {
			return nil, fmt.Errorf("tables: plan: internal error: room for %d /%d routes: %w", j-i, l, err)
		}
		p.applyMoves(moves)
		for _, k := range ready[i:j] {
			c, _ := p.wanted(k)
			r := p.canon[c]
			slot, moves, err := p.tcam.Insert(l)
			if err != nil {
				return nil, fmt.Errorf("tables: plan: internal error: adding %v: %w", k, err)
			}
			p.applyMoves(moves)
			p.writeLPM(slot, LPMEntry{Valid: true, Value: k.value(), Mask: prefixMask(l), Adj: uint16(r), Prefix: k.String()})
			delete(p.stale, slot)
			p.slotOf[k] = slot
			p.rows[r].users++
		}
		i = j
	}
	p.clearStale()
	return deferred, nil
}

// relayout re-lays the LPM table for the routes it will hold before a bulk add: it runs when a
// plan adds more routes than the table holds (a device loaded with another configuration, or
// an empty one), and the table is cut into regions for the lengths of the final routes
// (TCAM.Relayout: room for the entries in place and the adds, the free slots shared in
// proportion to want's routes, as Spread shares them). Every entry in place then moves at most
// once, straight to its final region, and the adds go into their regions without a move.
//
// Why: Spread moves region boundaries through free slots only, so the entries in place pin the
// regions where the old configuration had them. Reserve, making room one length at a time, then
// moves entries again and again across the small regions between them: loading a 1200-route
// configuration over the 46-route demo one cost 3.2 moves per added route (now 1 per entry in
// place). The re-layout is used when it moves nothing (an empty table: it is then what Spread
// does) or fewer entries than that way would (worked out on a copy of the TCAM), so that a
// smaller change keeps its cheap path. It reports whether it re-laid the table.
func (p *planner) relayout(added []routeKey, weight [33]int) bool {
	if len(added) <= p.tcam.Used() {
		return false
	}
	need := p.tcam.nUsed
	var adds [33]int
	for _, k := range added {
		need[k.bits()]++
		adds[k.bits()]++
	}
	t := p.tcam.clone()
	moves, ok := t.Relayout(need, weight)
	if !ok {
		return false
	}
	if len(moves) > 0 {
		other := p.tcam.clone()
		other.Spread(weight)
		if n, err := other.fillMoves(adds); err == nil && n <= len(moves) {
			return false
		}
	}
	for _, m := range moves { // copy, then clear (see TCAM.Relayout)
		e := p.im.LPM[m.From]
		p.writeLPM(m.To, e)
		p.writeLPM(m.From, LPMEntry{})
		p.slotOf[keyOfEntry(e)] = m.To
		p.plan.Moves++
	}
	p.tcam = t
	return true
}

// applyMoves copies each moved entry to its new slot.
func (p *planner) applyMoves(moves []Move) {
	for _, m := range moves {
		e := p.im.LPM[m.From]
		n, _ := maskLen(e.Mask)
		p.writeLPM(m.To, e)
		p.slotOf[keyOf(e.Value, n)] = m.To
		delete(p.stale, m.To)
		p.stale[m.From] = true
		p.plan.Moves++
	}
}

// clearStale clears the copies moves left that no insert overwrote (a region can receive more
// free slots than it fills). Each is a copy of an entry that is in the table, in order, so
// clearing it changes nothing.
func (p *planner) clearStale() {
	slots := make([]int, 0, len(p.stale))
	for s := range p.stale {
		slots = append(slots, s)
	}
	sort.Ints(slots)
	for _, s := range slots {
		p.writeLPM(s, LPMEntry{})
	}
	clear(p.stale)
}

// pendingChange is a changed route not yet written.
type pendingChange struct {
	key  routeKey
	to   adjContent
	row  int // the row it points at now; -1 beyond the table
	done bool
}

// change makes every changed route point at its new content. Rows whose users all want the
// same new content are rewritten in place; other routes are pointed at a row with the new
// content, taking free rows as they come free. When nothing can move on, rows holding the same
// content are merged (pointing routes at the kept row changes nothing they forward); in break
// mode a row is rewritten to the content most of its routes want.
func (p *planner) change(changed []routeKey) error {
	cs := make([]pendingChange, len(changed))
	byRow := map[int][]int{}
	byTo := map[adjContent][]int{}
	var rowOrder []int
	var toOrder []adjContent
	for i, k := range changed {
		r := int(p.im.LPM[p.slotOf[k]].Adj)
		if r >= len(p.rows) {
			r = -1
		}
		to, _ := p.wanted(k)
		cs[i] = pendingChange{key: k, to: to, row: r}
		if r >= 0 {
			if len(byRow[r]) == 0 {
				rowOrder = append(rowOrder, r)
			}
			byRow[r] = append(byRow[r], i)
		}
		if len(byTo[cs[i].to]) == 0 {
			toOrder = append(toOrder, cs[i].to)
		}
		byTo[cs[i].to] = append(byTo[cs[i].to], i)
	}
	sort.Ints(rowOrder)
	left := len(cs)
	// inPlace reports the content every user of row r wants, if they all want the same.
	inPlace := func(r int) (adjContent, int, bool) {
		var to adjContent
		n := 0
		for _, i := range byRow[r] {
			if c := &cs[i]; !c.done {
				if n > 0 && c.to != to {
					return to, 0, false
				}
				to, n = c.to, n+1
			}
		}
		return to, n, n > 0 && n == p.rows[r].users
	}
	for left > 0 {
		progress := false
		for _, r := range rowOrder {
			if p.rows[r].canon {
				continue
			}
			if to, n, ok := inPlace(r); ok {
				p.writeRow(r, to)
				for _, i := range byRow[r] {
					cs[i].done = true
				}
				left -= n
				progress = true
			}
		}
		for _, to := range toOrder {
			r, ok := p.canon[to]
			if !ok {
				continue
			}
			for _, i := range byTo[to] {
				if c := &cs[i]; !c.done {
					p.repoint(c.key, r)
					c.done = true
					left--
					progress = true
				}
			}
		}
		for _, to := range toOrder {
			if _, ok := p.canon[to]; ok || !anyPending(cs, byTo[to]) {
				continue
			}
			r, ok := p.popRow()
			if !ok {
				break
			}
			p.writeRow(r, to)
			progress = true
		}
		if progress || left == 0 {
			continue
		}
		if p.mergeDuplicates() {
			continue
		}
		if !p.brk {
			return fmt.Errorf("tables: plan: %d routes change to next hops that have no adjacency row, and no row can be freed before routes are removed: %w",
				left, ErrNeedsBreak)
		}
		// Break: rewrite the first row that only changing routes use to what most of them want.
		for _, r := range rowOrder {
			if p.rows[r].canon {
				continue
			}
			count := map[adjContent]int{}
			var top adjContent
			for _, i := range byRow[r] {
				if c := &cs[i]; !c.done {
					count[c.to]++
					if count[c.to] > count[top] {
						top = c.to
					}
				}
			}
			if len(count) == 0 {
				continue
			}
			p.writeRow(r, top)
			for _, i := range byRow[r] {
				if c := &cs[i]; !c.done && c.to == top {
					c.done = true
					left--
				}
			}
			progress = true
			break
		}
		if !progress {
			return fmt.Errorf("tables: plan: internal error: %d changes stuck", left)
		}
	}
	return nil
}

func anyPending(cs []pendingChange, idx []int) bool {
	for _, i := range idx {
		if !cs[i].done {
			return true
		}
	}
	return false
}

// repoint rewrites the adjacency index of route k's entry in place.
func (p *planner) repoint(k routeKey, r int) {
	slot := p.slotOf[k]
	e := p.im.LPM[slot]
	if old := int(e.Adj); old < len(p.rows) {
		p.rows[old].users--
		p.maybeFree(old)
	}
	e.Adj = uint16(r)
	e.Value &= e.Mask
	e.Prefix = k.String()
	p.writeLPM(slot, e)
	p.rows[r].users++
}

// mergeDuplicates points the routes that use a row which is not the kept row of its content at
// the kept row (the same content: forwarding does not change), which may free rows. It reports
// whether it wrote anything.
func (p *planner) mergeDuplicates() bool {
	var moved []routeKey
	for k, slot := range p.slotOf {
		r := int(p.im.LPM[slot].Adj)
		if r >= len(p.rows) || p.rows[r].canon {
			continue
		}
		if c, ok := p.wanted(k); ok && c == p.rows[r].content {
			if _, ok := p.canon[c]; ok {
				moved = append(moved, k)
			}
		}
	}
	sort.Slice(moved, func(i, j int) bool { return moved[i] < moved[j] })
	for _, k := range moved {
		c, _ := p.wanted(k)
		p.repoint(k, p.canon[c])
	}
	return len(moved) > 0
}

// remove clears the removed routes, shortest first.
func (p *planner) remove(removed []routeKey) {
	for _, k := range removed {
		slot := p.slotOf[k]
		if r := int(p.im.LPM[slot].Adj); r < len(p.rows) {
			p.rows[r].users--
			p.maybeFree(r)
		}
		p.writeLPM(slot, LPMEntry{})
		if err := p.tcam.Delete(slot); err != nil {
			panic("tables: plan: internal error: " + err.Error())
		}
		delete(p.slotOf, k)
	}
}

// maxTree is a segment tree of ints answering "largest value in [i, j)" (-1 when empty).
type maxTree struct {
	n int
	t []int
}

func newMaxTree(n int) *maxTree {
	t := &maxTree{n: n, t: make([]int, 2*n)}
	for i := range t.t {
		t.t[i] = -1
	}
	return t
}

func (t *maxTree) set(i, v int) {
	i += t.n
	t.t[i] = v
	for i > 1 {
		i /= 2
		t.t[i] = max(t.t[2*i], t.t[2*i+1])
	}
}

func (t *maxTree) max(i, j int) int {
	m := -1
	for i, j = i+t.n, j+t.n; i < j; i, j = i/2, j/2 {
		if i&1 == 1 {
			m = max(m, t.t[i])
			i++
		}
		if j&1 == 1 {
			j--
			m = max(m, t.t[j])
		}
	}
	return m
}

// Apply carries out one write on the image.
func (im *Image) Apply(w Write) error {
	var n int
	var missing bool
	switch w.Table {
	case TablePort:
		n, missing = len(im.Ports), w.Port == nil
	case TableRAddr:
		n, missing = len(im.RAddr), w.RAddr == nil
	case TableLPM:
		n, missing = len(im.LPM), w.LPM == nil
	case TableAdj:
		n, missing = len(im.Adj), w.Adj == nil
	default:
		return fmt.Errorf("tables: write to unknown table %v", w.Table)
	}
	if w.Index < 0 || w.Index >= n {
		return fmt.Errorf("tables: write to %v[%d]: the table has %d entries", w.Table, w.Index, n)
	}
	if missing {
		return fmt.Errorf("tables: write to %v[%d] carries no %v entry", w.Table, w.Index, w.Table)
	}
	switch w.Table {
	case TablePort:
		im.Ports[w.Index] = PortEntry{MAC: cloneMAC(w.Port.MAC), MTU: w.Port.MTU}
	case TableRAddr:
		im.RAddr[w.Index] = *w.RAddr
	case TableLPM:
		im.LPM[w.Index] = *w.LPM
	case TableAdj:
		e := *w.Adj
		e.DstMAC, e.SrcMAC = cloneMAC(e.DstMAC), cloneMAC(e.SrcMAC)
		im.Adj[w.Index] = e
	}
	return nil
}

// Clone returns a deep copy of the image.
func (im *Image) Clone() *Image {
	c := &Image{Sizes: im.Sizes,
		Ports: make([]PortEntry, len(im.Ports)),
		RAddr: append([]RAddrEntry(nil), im.RAddr...),
		LPM:   append([]LPMEntry(nil), im.LPM...),
		Adj:   make([]AdjEntry, len(im.Adj)),
	}
	for i, p := range im.Ports {
		c.Ports[i] = PortEntry{MAC: cloneMAC(p.MAC), MTU: p.MTU}
	}
	for i, a := range im.Adj {
		a.DstMAC, a.SrcMAC = cloneMAC(a.DstMAC), cloneMAC(a.SrcMAC)
		c.Adj[i] = a
	}
	return c
}

// cloneMAC copies a MAC address; nil stays nil.
func cloneMAC(m net.HardwareAddr) net.HardwareAddr {
	if m == nil {
		return nil
	}
	return append(net.HardwareAddr(nil), m...)
}

// mac6 is a MAC address as the hardware holds it (a missing address is zeros).
func mac6(m net.HardwareAddr) [6]byte {
	var b [6]byte
	copy(b[:], m)
	return b
}

// Equivalent reports whether two images forward the same way, whatever their layout: the same
// port MACs and MTUs, the same set of router addresses, and the same LPM prefixes, each leading
// to the same adjacency content (kind, port, MACs, MTU). Indexes and the Prefix and NextHop
// annotations do not matter; entries that never match (later duplicates, prefixes shadowed by a
// shorter one at a lower index) do not count. The differences read as a change from a to b,
// one per line, ports first, then router addresses, then routes in address order:
//
//	~ port1: mac 02:00:00:00:00:11 mtu 1500 -> mac 02:00:00:00:00:11 mtu 1400
//	+ router address 192.0.2.1
//	+ 10.0.0.0/8 forward port1 to 02:00:00:00:01:02 from 02:00:00:00:00:11 mtu 1400 (192.0.2.2)
//	- 10.66.0.0/16 blackhole
//	~ 10.1.0.0/16: glean port1 from ... -> forward port1 to ... (198.51.100.2)
//	! a: lpm[5] has mask ff00ff00, which is not a prefix mask
func Equivalent(a, b *Image) (bool, []string) {
	if a == nil || b == nil {
		if a == b {
			return true, nil
		}
		return false, []string{"! one image is nil"}
	}
	var diff []string
	if a.Sizes != b.Sizes {
		diff = append(diff, fmt.Sprintf("! sizes %+v -> %+v", a.Sizes, b.Sizes))
	}
	port := func(e PortEntry) string { return fmt.Sprintf("mac %s mtu %d", net.HardwareAddr(e.MAC), e.MTU) }
	for i := 0; i < max(len(a.Ports), len(b.Ports)); i++ {
		switch {
		case i >= len(a.Ports):
			diff = append(diff, fmt.Sprintf("+ port%d: %s", i, port(b.Ports[i])))
		case i >= len(b.Ports):
			diff = append(diff, fmt.Sprintf("- port%d: %s", i, port(a.Ports[i])))
		case mac6(a.Ports[i].MAC) != mac6(b.Ports[i].MAC) || a.Ports[i].MTU != b.Ports[i].MTU:
			diff = append(diff, fmt.Sprintf("~ port%d: %s -> %s", i, port(a.Ports[i]), port(b.Ports[i])))
		}
	}
	addrs := func(im *Image) map[uint32]bool {
		m := map[uint32]bool{}
		for _, r := range im.RAddr {
			if r.Valid {
				m[r.Addr] = true
			}
		}
		return m
	}
	aa, ba := addrs(a), addrs(b)
	var addrDiff []uint32
	for x := range aa {
		if !ba[x] {
			addrDiff = append(addrDiff, x)
		}
	}
	for x := range ba {
		if !aa[x] {
			addrDiff = append(addrDiff, x)
		}
	}
	sort.Slice(addrDiff, func(i, j int) bool { return addrDiff[i] < addrDiff[j] })
	for _, x := range addrDiff {
		sign := "+"
		if aa[x] {
			sign = "-"
		}
		diff = append(diff, fmt.Sprintf("%s router address %s", sign, addrFromU32(x)))
	}
	ar, aIssues := routesOf("a", a)
	br, bIssues := routesOf("b", b)
	diff = append(diff, aIssues...)
	diff = append(diff, bIssues...)
	keys := sortedKeys(ar)
	for k := range br {
		if _, ok := ar[k]; !ok {
			keys = append(keys, k)
		}
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
	for _, k := range keys {
		x, inA := ar[k]
		y, inB := br[k]
		switch {
		case !inA:
			diff = append(diff, fmt.Sprintf("+ %v %s", k, y))
		case !inB:
			diff = append(diff, fmt.Sprintf("- %v %s", k, x))
		case x.content.bad || y.content.bad || x.content != y.content:
			diff = append(diff, fmt.Sprintf("~ %v: %s -> %s", k, x, y))
		}
	}
	return len(diff) == 0, diff
}

// routeInfo is what a route of an image does, for Equivalent's messages.
type routeInfo struct {
	content adjContent
	row     int
	hop     string // the row's NextHop annotation
}

func (r routeInfo) String() string {
	if r.content.bad {
		return fmt.Sprintf("adjacency row %d (beyond the table)", r.row)
	}
	s := r.content.String()
	if r.hop != "" && r.hop != NextHopBlackhole {
		s += " (" + r.hop + ")"
	}
	return s
}

// routesOf returns the routes an image forwards by, and its entries that are not prefixes.
func routesOf(name string, im *Image) (map[routeKey]routeInfo, []string) {
	a := analyzeLPM(im.LPM)
	var issues []string
	for _, i := range a.garbage {
		issues = append(issues, fmt.Sprintf("! %s: lpm[%d] has mask %08x, which is not a prefix mask", name, i, im.LPM[i].Mask))
	}
	routes := make(map[routeKey]routeInfo, len(a.live))
	for k, slot := range a.live {
		r := im.LPM[slot].Adj
		info := routeInfo{content: im.rowContent(r), row: int(r)}
		if !info.content.bad {
			info.hop = im.Adj[r].NextHop
		}
		routes[k] = info
	}
	return routes, issues
}

// String summarises the plan, e.g. "12 writes: 3 added, 1 changed, 2 removed, 40 unchanged, 4 moves".
func (p *UpdatePlan) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d writes: %d added, %d changed, %d removed, %d unchanged, %d moves",
		len(p.Writes), p.Added, p.Changed, p.Removed, p.Unchanged, p.Moves)
	if p.Repaired > 0 {
		fmt.Fprintf(&b, ", %d repaired", p.Repaired)
	}
	if p.Break {
		b.WriteString(", not make-before-break")
	}
	return b.String()
}
