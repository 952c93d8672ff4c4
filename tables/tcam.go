package tables

import (
	"errors"
	"fmt"
)

// TCAM decides where prefixes go in the LPM table and which entries must move to make room.
// It holds no entries, only the prefix length of each used slot; Plan and the benchmarks keep
// the entries themselves.
//
// The hardware takes the lowest matching valid index, so a longer prefix must sit at a lower
// index than every overlapping shorter one. TCAM keeps the simpler invariant of Shah and
// Gupta's "prefix-length ordering": used slots are ordered by prefix length, longest first,
// whatever the prefixes; free slots may be anywhere. The table is cut into 33 consecutive
// regions, one per prefix length (/32 at the low indexes, /0 at the top); a region holds used
// slots of its own length and free slots (holes left by deletes, or space reserved for later
// inserts).
//
// Inserting a /L takes a free slot of the /L region when it has one: a hole between the
// region's entries, or else the slot next to its entries on the side with more free slots, so
// that every region keeps free slots at both edges, where a neighbour can take them for free.
// Otherwise free slots are brought from the nearest region above or below that has some: each
// region on the way gives slots at its edge to the next one by moving the boundary. Where the
// edge holds entries, each is first copied to a free slot inside its own region (a move: one
// write; its old slot keeps a stale copy until a later move or the new entry overwrites it), so
// no prefix is ever absent and the order is never violated. Crossing an empty region or a free
// edge costs nothing, a region with entries one move per slot (Reserve brings several slots at
// once, and then a group smaller than that moves only its entries). The direction that moves
// fewer entries per slot wins. Deleting frees a slot where it is; later inserts reuse it.
// Before many inserts at once, Relayout cuts the regions afresh for the final counts and moves
// each entry at most once, instead of letting every length group pay for the room it needs.
//
// Measured on 564,580 real prefixes (BenchmarkPlanTCAM): centring the entries of each region
// halves the moves of filling from the low end, and a region that hands over its whole free run
// when it is the source beats handing over half or only what is needed.
type TCAM struct {
	size  int
	bits  []int8  // prefix length of each used slot, or slotFree
	bound [34]int // the region of /L is [bound[L+1], bound[L]); bound[33] = 0, bound[0] = size
	nFree [33]int // free slots per region
	nUsed [33]int // used slots per region (= entries of that length)
	free  *bitset // free slots
	used  *bitset // used slots
	moves []Move  // the moves of the last Insert, reused
	// staleBelow marks a region whose free slots include stale copies of shorter prefixes
	// (brought up from below with moves): it must fill its free slots lowest first.
	staleBelow [33]bool
	exact      bool // Reserve is filling a staleBelow region: sources give only what is needed
}

// Move is one relocation made by TCAM.Insert or Reserve: the entry at From is copied to To, a
// free slot of the same region. From keeps a stale copy of the entry until a later move or
// insert overwrites it (see Reserve for why that is harmless).
type Move struct{ From, To int }

const slotFree = -1

// ErrTCAMFull is returned by TCAM.Insert when no slot is free.
var ErrTCAMFull = fmt.Errorf("LPM %w", ErrTableFull)

// NewTCAM returns an empty TCAM of size slots. All free space starts in the /0 region, as one
// pool that follows the inserts; Spread shares it among the lengths instead.
func NewTCAM(size int) *TCAM {
	t := &TCAM{size: size, bits: make([]int8, size), free: newBitset(size), used: newBitset(size)}
	for i := range t.bits {
		t.bits[i] = slotFree
		t.free.set(i)
	}
	t.bound[0] = size
	t.nFree[0] = size
	return t
}

// newTCAMFrom builds a TCAM over an existing layout: lengths[i] is the prefix length of slot i
// or slotFree. The used slots must be ordered by prefix length, longest first. Each gap between
// two length groups is split at its middle.
func newTCAMFrom(lengths []int8) (*TCAM, error) {
	t := NewTCAM(len(lengths))
	last := [33]int{}  // last used slot of each length, -1 if none
	first := [33]int{} // first used slot of each length
	for l := range last {
		last[l], first[l] = -1, len(lengths)
	}
	prev := 32
	for i, b := range lengths {
		if b == slotFree {
			continue
		}
		if b < 0 || b > 32 {
			return nil, fmt.Errorf("tables: slot %d: prefix length %d", i, b)
		}
		if int(b) > prev {
			return nil, fmt.Errorf("tables: slot %d holds a /%d after a /%d: not in prefix-length order", i, b, prev)
		}
		prev = int(b)
		if first[b] > i {
			first[b] = i
		}
		last[b] = i
		t.bits[i] = b
		t.free.clear(i)
		t.used.set(i)
	}
	// The boundary above region L-1: after every slot of length >= L, before every slot of
	// length < L.
	lastAbove := -1
	for l := 32; l >= 1; l-- {
		lastAbove = max(lastAbove, last[l])
		firstBelow := len(lengths)
		for k := 0; k < l; k++ {
			firstBelow = min(firstBelow, first[k])
		}
		t.bound[l] = (lastAbove + 1 + firstBelow) / 2
	}
	t.bound[33], t.bound[0] = 0, len(lengths)
	t.recount()
	return t, nil
}

// recount recomputes the free and used counts of every region from the slots.
func (t *TCAM) recount() {
	for l := 0; l <= 32; l++ {
		lo, hi := t.region(l)
		t.nFree[l], t.nUsed[l] = 0, 0
		for i := lo; i < hi; i++ {
			if t.bits[i] == slotFree {
				t.nFree[l]++
			} else {
				t.nUsed[l]++
			}
		}
	}
}

// Size is the number of slots.
func (t *TCAM) Size() int { return t.size }

// Used is the number of used slots.
func (t *TCAM) Used() int {
	n := 0
	for _, u := range t.nUsed {
		n += u
	}
	return n
}

// region returns the slots [lo, hi) of the /l region.
func (t *TCAM) region(l int) (lo, hi int) { return t.bound[l+1], t.bound[l] }

// Insert finds a slot for a new /bits entry. Before writing the new entry to slot, the caller
// carries out moves in order (copy the entry at From to To); the returned slice is reused by
// the next call. moves is empty when the /bits region had a free slot.
//
// Within its region a new entry fills a hole between the region's entries if there is one, and
// otherwise goes next to the entries on the side with more free slots, so that free slots stay
// at both edges of the region, where a neighbouring region can take them without moves.
func (t *TCAM) Insert(bits int) (slot int, moves []Move, err error) {
	if moves, err = t.Reserve(bits, 1); err != nil {
		return -1, nil, err
	}
	slot = t.pick(bits)
	t.take(slot, bits)
	if t.nFree[bits] == 0 {
		t.staleBelow[bits] = false
	}
	return slot, moves, nil
}

// pick chooses the free slot of the /l region (which has one) for a new entry.
func (t *TCAM) pick(l int) int {
	lo, hi := t.region(l)
	if t.staleBelow[l] {
		return t.free.next(lo)
	}
	first, last := t.used.next(lo), t.used.prev(hi-1)
	if first < 0 || first >= hi {
		// No entries yet: start in the middle.
		if s := t.free.next(lo + (hi-lo)/2); s >= 0 && s < hi {
			return s
		}
		return t.free.next(lo)
	}
	if h := t.free.next(first); h >= 0 && h < last {
		return h // a hole between the entries
	}
	if first-lo > hi-1-last {
		return first - 1
	}
	return last + 1
}

// Reserve makes the /bits region hold at least n free slots, for n inserts to come, and returns
// the moves to carry out first (the slice is reused by the next call). Bringing k slots across
// a length group at once moves at most min(k, entries of the group): the entries at the
// group's edge are copied into the free slots arriving at its other edge.
//
// The slots a move leaves keep a stale copy of the moved entry until something overwrites them.
// When free space comes from longer prefixes (lower indexes), entries move down in index and
// each stale copy lies after its live copy, so it never matches: harmless wherever it ends up.
// When free space comes from shorter prefixes, the stale copy lies before its live copy and is
// the one that matches; Reserve then brings at most as many slots at once as the smallest group
// on the way has entries, so that every group overwrites every stale slot it receives, lowest
// first. The n inserts that follow (Insert takes the lowest free slot) overwrite the rest.
func (t *TCAM) Reserve(bits, n int) (moves []Move, err error) {
	if bits < 0 || bits > 32 {
		return nil, fmt.Errorf("tables: prefix length %d", bits)
	}
	t.moves = t.moves[:0]
	for t.nFree[bits] < n {
		// Once stale copies from below are in the region, bring exactly what is missing, so
		// that the n inserts, lowest first, overwrite every one of them.
		t.exact = t.staleBelow[bits]
		src, c, up := t.nearest(bits, n-t.nFree[bits])
		switch {
		case src < 0:
			return nil, ErrTCAMFull
		case up:
			for k := src; k > bits; k-- {
				t.passDown(k, c, k == src)
			}
		default:
			for k := src; k < bits; k++ {
				t.passUp(k, c, k == src)
			}
		}
	}
	t.exact = false
	return t.moves, nil
}

// Delete frees a used slot.
func (t *TCAM) Delete(slot int) error {
	if slot < 0 || slot >= t.size || t.bits[slot] == slotFree {
		return fmt.Errorf("tables: TCAM delete of slot %d, which is not in use", slot)
	}
	l := t.bits[slot]
	t.bits[slot] = slotFree
	t.used.clear(slot)
	t.free.set(slot)
	t.nUsed[l]--
	t.nFree[l]++
	return nil
}

func (t *TCAM) take(slot, bits int) {
	t.bits[slot] = int8(bits)
	t.free.clear(slot)
	t.used.set(slot)
	t.nFree[bits]--
	t.nUsed[bits]++
}

// nearest picks where need free slots for the /l region come from: the nearest region above
// (longer prefixes, lower indexes) or below that has free slots, whichever moves fewer entries
// per slot brought. It returns the source region (-1 if none), how many slots to bring from it
// and whether it lies above.
func (t *TCAM) nearest(l, need int) (src, c int, up bool) {
	type option struct{ src, c, cost int }
	look := func(step int) option {
		src, fewest := -1, need
		for k := l + step; k >= 0 && k <= 32; k += step {
			if t.nFree[k] > 0 {
				src = k
				break
			}
			if t.nUsed[k] > 0 {
				fewest = min(fewest, t.nUsed[k])
			}
		}
		if src < 0 {
			return option{src: -1}
		}
		c := min(need, t.nFree[src])
		if step < 0 {
			// Free space coming from shorter prefixes (higher indexes): an entry moves to a
			// higher index, so its stale copy is the one that matches until it is overwritten,
			// and it must be overwritten before a longer entry moves past it. Each group on
			// the way overwrites every slot it receives only if it has as many entries.
			c = min(c, fewest)
		}
		cost := t.edgeUsed(src, c, step > 0)
		for k := l + step; k != src; k += step {
			cost += min(c, t.nUsed[k])
		}
		return option{src, c, cost}
	}
	a, b := look(+1), look(-1)
	switch {
	case a.src < 0 && b.src < 0:
		return -1, 0, false
	case b.src < 0 || (a.src >= 0 && a.cost*b.c <= b.cost*a.c):
		return a.src, a.c, true
	default:
		return b.src, b.c, false
	}
}

// edgeUsed counts the used slots among the c slots of the /k region at the edge it gives from:
// the high edge when giving down (toward shorter prefixes), the low edge when giving up.
func (t *TCAM) edgeUsed(k, c int, down bool) int {
	lo, hi := t.region(k)
	n := 0
	if down {
		for u := t.used.prev(hi - 1); u >= hi-c && u >= lo; u = t.used.prev(u - 1) {
			n++
		}
		return n
	}
	for u := t.used.next(lo); u >= 0 && u < lo+c && u < hi; u = t.used.next(u + 1) {
		n++
	}
	return n
}

// give is how many slots of a free run of run slots at its edge a region passes on when c are
// needed: a source region whose run is long enough gives all of it (the free space follows
// the inserts: measured, this moves fewer entries than giving half or just c); other regions
// pass on exactly c.
func (t *TCAM) give(run, c int, source bool) int {
	if source && run >= c && !t.exact {
		return run
	}
	return c
}

// passDown gives c free slots of the /k region (which has at least c) to the /k-1 region, the
// next one at higher indexes: the entries among the region's top c slots are copied to the
// highest free slots below them, and the boundary moves down by c (or by more of a free run, as
// give says).
func (t *TCAM) passDown(k, c int, source bool) {
	lo, hi := t.region(k)
	run := hi - max(lo, t.used.prev(hi-1)+1)
	n := t.give(run, c, source)
	w := hi - n
	for u := t.used.prev(hi - 1); u >= w; u = t.used.prev(u - 1) {
		t.move(u, t.free.prev(w-1))
	}
	t.bound[k] = w
	t.nFree[k] -= n
	t.nFree[k-1] += n
	if t.nFree[k] == 0 {
		t.staleBelow[k] = false
	}
}

// passUp gives c free slots of the /k region (which has at least c) to the /k+1 region, the
// next one at lower indexes, the mirror image of passDown.
func (t *TCAM) passUp(k, c int, source bool) {
	lo, hi := t.region(k)
	end := hi
	if q := t.used.next(lo); q >= 0 && q < hi {
		end = q
	}
	n := t.give(end-lo, c, source)
	w := lo + n
	for u := t.used.next(lo); u >= 0 && u < w; u = t.used.next(u + 1) {
		t.move(u, t.free.next(w))
		t.staleBelow[k+1] = true
	}
	if t.staleBelow[k] && k+1 <= 32 {
		t.staleBelow[k+1] = true // stale copies received from below pass on
	}
	t.bound[k+1] = w
	t.nFree[k] -= n
	t.nFree[k+1] += n
	if t.nFree[k] == 0 {
		t.staleBelow[k] = false
	}
}

// move records that the entry at from is copied to the free slot to (of the same region) and
// from becomes free.
func (t *TCAM) move(from, to int) {
	t.bits[to] = t.bits[from]
	t.free.clear(to)
	t.used.set(to)
	t.bits[from] = slotFree
	t.used.clear(from)
	t.free.set(from)
	t.moves = append(t.moves, Move{From: from, To: to})
}

// Spread moves the region boundaries through free space, without moving any entry, so that the
// free slots are shared among the lengths in proportion to weight: the /L region gets about
// size*weight[L]/sum(weight) slots where the entries allow it. On an empty table this reserves
// room for each length; on a packed one it changes nothing.
func (t *TCAM) Spread(weight [33]int) {
	var total int64
	for _, w := range weight {
		total += int64(max(w, 0))
	}
	if total == 0 {
		return
	}
	var cum int64
	for l := 32; l >= 1; l-- {
		cum += int64(max(weight[l], 0))
		target := int(int64(t.size) * cum / total) // the end of the /l region
		// The boundary may sit anywhere after the last used slot of the regions >= l and before
		// the first used slot of the regions < l: everything between is free.
		lo := t.used.prev(t.bound[l]-1) + 1
		hi := t.used.next(t.bound[l])
		if hi < 0 {
			hi = t.size
		}
		t.bound[l] = min(max(target, lo), hi)
	}
	for l := 0; l <= 32; l++ {
		lo, hi := t.region(l)
		t.nFree[l] = hi - lo - t.nUsed[l]
	}
}

// Relayout cuts the table into regions for a new length distribution and moves every entry
// into the region of its length, each entry at most once. need[L] is the number of /L entries
// the region must hold at once (the entries in place plus those to come); the free slots left
// over are shared in proportion to weight, as Spread shares them. It returns the moves in the
// order to carry them out, or ok false (and changes nothing) when the needs exceed the table.
//
// Unlike the moves of Insert and Reserve, each move here is copy then clear: the caller writes
// the entry at To, then invalidates From, before the next move. The entries keep their order
// (within a length, by slot), so each one's target lies in its new region, no further than any
// entry between; the moves toward lower indexes run first, lowest first, then the moves toward
// higher indexes, highest first. That way every target is free when its turn comes (an entry
// occupying it left earlier), and after every write the valid entries are in prefix-length
// order: the old and the new copy of an entry have only entries of its own length between them.
func (t *TCAM) Relayout(need, weight [33]int) (moves []Move, ok bool) {
	var bound [34]int
	total, sum := 0, int64(0)
	for l := 0; l <= 32; l++ {
		if need[l] < t.nUsed[l] {
			return nil, false
		}
		total += need[l]
		sum += int64(max(weight[l], 0))
	}
	if total > t.size {
		return nil, false
	}
	free := int64(t.size - total)
	cumNeed, cumWeight := 0, int64(0)
	for l := 32; l >= 1; l-- {
		cumNeed += need[l]
		cumWeight += int64(max(weight[l], 0))
		bound[l] = cumNeed
		if sum > 0 {
			bound[l] += int(free * cumWeight / sum)
		}
	}
	bound[33], bound[0] = 0, t.size

	// Targets, one length at a time, the entries in slot order: each stays where it is when
	// that is in its region and after the previous entry's target, else goes to the first slot
	// that is; then the same from the top end, so that no target lies beyond the region.
	var from, to []int
	pullBack := func(first int) { // the group from[first:] ends before its region does
		next := bound[t.bits[from[first]]]
		for i := len(to) - 1; i >= first; i-- {
			to[i] = min(to[i], next-1)
			next = to[i]
		}
	}
	first := 0
	for s := t.used.next(0); s >= 0; s = t.used.next(s + 1) {
		l := int(t.bits[s])
		x := max(s, bound[l+1])
		switch {
		case len(from) == 0:
		case t.bits[from[first]] != t.bits[s]:
			pullBack(first)
			first = len(from)
		default:
			x = max(x, to[len(to)-1]+1)
		}
		from, to = append(from, s), append(to, x)
	}
	if len(from) > 0 {
		pullBack(first)
	}
	for i := range from { // toward lower indexes, lowest first
		if to[i] < from[i] {
			moves = append(moves, Move{From: from[i], To: to[i]})
		}
	}
	for i := len(from) - 1; i >= 0; i-- { // toward higher indexes, highest first
		if to[i] > from[i] {
			moves = append(moves, Move{From: from[i], To: to[i]})
		}
	}
	for _, m := range moves {
		b := t.bits[m.From]
		t.bits[m.From] = slotFree
		t.used.clear(m.From)
		t.free.set(m.From)
		t.bits[m.To] = b
		t.free.clear(m.To)
		t.used.set(m.To)
	}
	t.bound = bound
	t.staleBelow = [33]bool{}
	t.recount()
	return moves, true
}

// clone returns an independent copy of the TCAM.
func (t *TCAM) clone() *TCAM {
	c := *t
	c.bits = append([]int8(nil), t.bits...)
	c.free, c.used = t.free.clone(), t.used.clone()
	c.moves = nil
	return &c
}

func (b *bitset) clone() *bitset {
	c := &bitset{n: b.n, levels: make([][]uint64, len(b.levels))}
	for i, w := range b.levels {
		c.levels[i] = append([]uint64(nil), w...)
	}
	return c
}

// fillMoves is what inserting count[L] entries of each length would move, longest first, one
// length at a time (Reserve for the group, then its inserts), as Plan adds routes. It changes t.
func (t *TCAM) fillMoves(count [33]int) (int, error) {
	n := 0
	for l := 32; l >= 0; l-- {
		if count[l] == 0 {
			continue
		}
		moves, err := t.Reserve(l, count[l])
		if err != nil {
			return 0, err
		}
		n += len(moves)
		for i := 0; i < count[l]; i++ {
			_, moves, err := t.Insert(l)
			if err != nil {
				return 0, err
			}
			n += len(moves)
		}
	}
	return n, nil
}

// check verifies the invariants (for tests): regions tile the table, every used slot lies in
// the region of its length, the counts and sets agree.
func (t *TCAM) check() error {
	if t.bound[33] != 0 || t.bound[0] != t.size {
		return fmt.Errorf("bounds %v", t.bound)
	}
	var errs []error
	for l := 0; l <= 32; l++ {
		lo, hi := t.region(l)
		if lo > hi {
			return fmt.Errorf("region /%d = [%d, %d)", l, lo, hi)
		}
		nf, nu := 0, 0
		for i := lo; i < hi; i++ {
			switch b := t.bits[i]; {
			case b == slotFree:
				nf++
				if !t.free.has(i) || t.used.has(i) {
					errs = append(errs, fmt.Errorf("free slot %d: sets disagree", i))
				}
			case int(b) != l:
				errs = append(errs, fmt.Errorf("slot %d holds a /%d in the /%d region", i, b, l))
			default:
				nu++
				if t.free.has(i) || !t.used.has(i) {
					errs = append(errs, fmt.Errorf("used slot %d: sets disagree", i))
				}
			}
		}
		if nf != t.nFree[l] || nu != t.nUsed[l] {
			errs = append(errs, fmt.Errorf("region /%d: %d free %d used, counted %d %d", l, nf, nu, t.nFree[l], t.nUsed[l]))
		}
		if len(errs) > 5 {
			break
		}
	}
	return errors.Join(errs...)
}
