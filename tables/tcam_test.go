package tables

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"
)

func TestBitset(t *testing.T) {
	for _, n := range []int{0, 1, 63, 64, 65, 4095, 4096, 4097, 300000} {
		rng := rand.New(rand.NewPCG(uint64(n), 7))
		b := newBitset(n)
		ref := make([]bool, n)
		for op := 0; op < 2000 && n > 0; op++ {
			i := rng.IntN(n)
			if rng.IntN(3) == 0 {
				b.clear(i)
				ref[i] = false
			} else {
				b.set(i)
				ref[i] = true
			}
			q := rng.IntN(n+2) - 1
			wantNext, wantPrev := -1, -1
			for j := max(q, 0); j < n; j++ {
				if ref[j] {
					wantNext = j
					break
				}
			}
			for j := min(q, n-1); j >= 0; j-- {
				if ref[j] {
					wantPrev = j
					break
				}
			}
			if got := b.next(q); got != wantNext {
				t.Fatalf("n=%d: next(%d) = %d, want %d", n, q, got, wantNext)
			}
			if got := b.prev(q); got != wantPrev {
				t.Fatalf("n=%d: prev(%d) = %d, want %d", n, q, got, wantPrev)
			}
			if b.has(i) != ref[i] {
				t.Fatalf("n=%d: has(%d)", n, i)
			}
		}
		if n == 0 && (b.next(0) != -1 || b.prev(0) != -1) {
			t.Fatal("empty bitset has members")
		}
	}
}

// tcamSim drives a TCAM and keeps what the hardware would hold: an entry id per slot (0 = free
// or stale). It checks after every move that no live entry is missing, and after every insert
// that the used slots are in prefix-length order.
type tcamSim struct {
	t     *TCAM
	id    []int // id of the entry in each slot, 0 if invalid
	bits  []int // prefix length of each slot's entry
	stale map[int]bool
	where map[int]int
	next  int
	moves int
}

func newTCAMSim(size int) *tcamSim {
	return &tcamSim{t: NewTCAM(size), id: make([]int, size), bits: make([]int, size),
		stale: map[int]bool{}, where: map[int]int{}, next: 1}
}

// applyMoves carries out moves: To must be free or hold a stale copy, From a live entry.
func (s *tcamSim) applyMoves(moves []Move) error {
	for _, m := range moves {
		if s.id[m.To] != 0 && !s.stale[m.To] {
			return fmt.Errorf("move %v overwrites live entry %d", m, s.id[m.To])
		}
		if s.id[m.From] == 0 || s.stale[m.From] {
			return fmt.Errorf("move %v: From holds no live entry", m)
		}
		s.id[m.To], s.bits[m.To] = s.id[m.From], s.bits[m.From]
		s.where[s.id[m.From]] = m.To
		delete(s.stale, m.To)
		s.stale[m.From] = true
		if err := s.ordered(); err != nil {
			return fmt.Errorf("after move %v: %w", m, err)
		}
	}
	s.moves += len(moves)
	return nil
}

func (s *tcamSim) place(slot, bits int) error {
	if s.id[slot] != 0 && !s.stale[slot] {
		return fmt.Errorf("insert into slot %d overwrites live entry %d", slot, s.id[slot])
	}
	delete(s.stale, slot)
	s.id[slot], s.bits[slot] = s.next, bits
	s.where[s.next] = slot
	s.next++
	return s.ordered()
}

func (s *tcamSim) insert(bits int) error {
	slot, moves, err := s.t.Insert(bits)
	if err != nil {
		return err
	}
	if err := s.applyMoves(moves); err != nil {
		return err
	}
	if err := s.place(slot, bits); err != nil {
		return err
	}
	if len(s.stale) > 0 {
		return fmt.Errorf("stale copies left after an insert: %v", s.stale)
	}
	return nil
}

// insertBatch reserves room for n /bits entries, then inserts them; every stale copy must be
// overwritten at the end.
func (s *tcamSim) insertBatch(bits, n int) error {
	moves, err := s.t.Reserve(bits, n)
	if err != nil {
		return err
	}
	if err := s.applyMoves(moves); err != nil {
		return err
	}
	for i := 0; i < n; i++ {
		slot, moves, err := s.t.Insert(bits)
		if err != nil {
			return err
		}
		if len(moves) > 0 {
			return fmt.Errorf("insert %d of %d after Reserve moved %v", i, n, moves)
		}
		if err := s.place(slot, bits); err != nil {
			return err
		}
	}
	if len(s.stale) > 0 {
		return fmt.Errorf("stale copies left after a batch: %v", s.stale)
	}
	return nil
}

func (s *tcamSim) remove(id int) error {
	slot := s.where[id]
	if err := s.t.Delete(slot); err != nil {
		return err
	}
	s.id[slot] = 0
	delete(s.where, id)
	delete(s.stale, slot)
	return nil
}

// ordered checks the hardware view by prefix lengths. Live entries must be in prefix-length
// order. A stale copy after its live copy never matches; one before it is the copy that matches,
// so it must be in order with every live entry.
func (s *tcamSim) ordered() error {
	prev := 32
	for i, id := range s.id {
		if id == 0 || s.stale[i] {
			continue
		}
		if s.bits[i] > prev {
			return fmt.Errorf("slot %d holds a /%d after a /%d", i, s.bits[i], prev)
		}
		prev = s.bits[i]
	}
	for id, slot := range s.where {
		if s.id[slot] != id || s.stale[slot] {
			return fmt.Errorf("entry %d lost from slot %d", id, slot)
		}
	}
	for st := range s.stale {
		if s.id[st] == 0 || s.where[s.id[st]] < st {
			continue // cleared, overwritten by a live entry, or shadowed by its live copy
		}
		for i, id := range s.id {
			if id == 0 || s.stale[i] {
				continue
			}
			if (i > st && s.bits[i] > s.bits[st]) || (i < st && s.bits[i] < s.bits[st]) {
				return fmt.Errorf("stale copy of a /%d in slot %d matches before its live copy in slot %d, out of order with the /%d in slot %d",
					s.bits[st], st, s.where[s.id[st]], s.bits[i], i)
			}
		}
	}
	return nil
}

func TestTCAMRandom(t *testing.T) {
	for _, tc := range []struct {
		size   int
		spread bool
	}{{64, false}, {64, true}, {200, false}, {200, true}, {1000, true}} {
		t.Run(fmt.Sprint(tc), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(uint64(tc.size), 99))
			s := newTCAMSim(tc.size)
			if tc.spread {
				var w [33]int
				for l := range w {
					w[l] = 1
				}
				s.t.Spread(w)
			}
			for op := 0; op < 20000; op++ {
				if len(s.where) > 0 && (rng.IntN(3) == 0 || len(s.where) == tc.size) {
					ids := make([]int, 0, len(s.where))
					for id := range s.where {
						ids = append(ids, id)
					}
					// map order is random enough, but keep the test reproducible
					id := ids[0]
					for _, x := range ids {
						if x < id || rng.IntN(len(ids)) == 0 {
							id = x
						}
					}
					if err := s.remove(id); err != nil {
						t.Fatal(err)
					}
				} else {
					bits := []int{8, 16, 20, 22, 23, 24, 24, 24, 32, 0, rng.IntN(33)}[rng.IntN(11)]
					if n := 1 + rng.IntN(8); rng.IntN(4) == 0 && len(s.where)+n <= tc.size {
						if err := s.insertBatch(bits, n); err != nil {
							t.Fatalf("op %d insert %d /%d: %v", op, n, bits, err)
						}
					} else if err := s.insert(bits); err != nil {
						t.Fatalf("op %d insert /%d: %v", op, bits, err)
					}
				}
				if op%97 == 0 {
					if err := s.t.check(); err != nil {
						t.Fatalf("op %d: %v", op, err)
					}
				}
			}
			if err := s.t.check(); err != nil {
				t.Fatal(err)
			}
			t.Logf("%d moves", s.moves)
		})
	}
}

func TestTCAMFull(t *testing.T) {
	s := newTCAMSim(5)
	for _, b := range []int{8, 32, 16, 24, 0} {
		if err := s.insert(b); err != nil {
			t.Fatal(err)
		}
	}
	if _, _, err := s.t.Insert(24); !errors.Is(err, ErrTCAMFull) || !errors.Is(err, ErrTableFull) {
		t.Fatalf("insert into a full TCAM: %v", err)
	}
	if err := s.remove(s.id[3]); err != nil {
		t.Fatal(err)
	}
	if err := s.t.Delete(3); err == nil {
		t.Fatal("double delete accepted")
	}
	if _, _, err := s.t.Insert(33); err == nil {
		t.Fatal("/33 accepted")
	}
	// The hole left by a deleted /16 serves a /24 after moves through the /16 region.
	if err := s.insert(20); err != nil {
		t.Fatal(err)
	}
	if err := s.t.check(); err != nil {
		t.Fatal(err)
	}
}

// TestTCAMMovesBound checks the cost model: an insert moves at most one entry per non-empty
// length group between its region and the free slot.
func TestTCAMMovesBound(t *testing.T) {
	s := newTCAMSim(40)
	for l := 32; l >= 0; l -= 4 { // /32 /28 ... /0, packed, then free space at the top
		for i := 0; i < 3; i++ {
			if err := s.insert(l); err != nil {
				t.Fatal(err)
			}
		}
	}
	before := s.moves
	if err := s.insert(31); err != nil { // the free slots lie below all 8 shorter groups
		t.Fatal(err)
	}
	if got := s.moves - before; got > 8 || got < 1 {
		t.Errorf("insert of a /31 moved %d entries, want 1..8", got)
	}
	if err := s.t.check(); err != nil {
		t.Fatal(err)
	}
}

func TestTCAMFromLayout(t *testing.T) {
	f := int8(slotFree)
	tc, err := newTCAMFrom([]int8{32, f, 24, 24, f, f, 16, f, 0})
	if err != nil {
		t.Fatal(err)
	}
	if err := tc.check(); err != nil {
		t.Fatal(err)
	}
	if tc.Used() != 5 {
		t.Errorf("used %d", tc.Used())
	}
	if _, err := newTCAMFrom([]int8{16, 24}); err == nil {
		t.Error("out-of-order layout accepted")
	}
	// Spread on a packed layout changes nothing a used slot depends on.
	tc.Spread([33]int{24: 5, 16: 1})
	if err := tc.check(); err != nil {
		t.Fatal(err)
	}
}

// relayout runs TCAM.Relayout and carries out its moves copy then clear, checking the order
// after every write and that no entry moves twice.
func (s *tcamSim) relayout(need, weight [33]int) (int, bool, error) {
	moves, ok := s.t.Relayout(need, weight)
	if !ok {
		return 0, false, nil
	}
	moved := map[int]bool{}
	for _, m := range moves {
		id := s.id[m.From]
		if moved[id] {
			return 0, true, fmt.Errorf("move %v: entry %d moves a second time", m, id)
		}
		moved[id] = true
		if err := s.applyMoves([]Move{m}); err != nil { // the copy
			return 0, true, err
		}
		s.id[m.From] = 0 // the clear
		delete(s.stale, m.From)
		if err := s.ordered(); err != nil {
			return 0, true, fmt.Errorf("after clearing %d: %w", m.From, err)
		}
	}
	return len(moves), true, s.t.check()
}

// TestTCAMRelayout re-lays random layouts for random adds: every entry moves at most once,
// the order holds after every write, and the adds then go in without a move.
func TestTCAMRelayout(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	relaid, moved, refused := 0, 0, 0
	defer func() { t.Logf("%d relayouts moved %d entries; %d refused", relaid, moved, refused) }()
	for round := 0; round < 300; round++ {
		size := 20 + rng.IntN(200)
		s := newTCAMSim(size)
		if rng.IntN(2) == 0 {
			var w [33]int
			for l := range w {
				w[l] = rng.IntN(3)
			}
			s.t.Spread(w)
		}
		for i := rng.IntN(size); i > 0; i-- {
			if err := s.insert([]int{8, 16, 24, 24, 32, rng.IntN(33)}[rng.IntN(6)]); err != nil {
				t.Fatal(err)
			}
		}
		for id := range s.where {
			if rng.IntN(3) == 0 {
				if err := s.remove(id); err != nil {
					t.Fatal(err)
				}
			}
		}
		var adds, weight [33]int
		need := s.t.nUsed
		for i := rng.IntN(size - len(s.where) + 3); i > 0; i-- {
			l := []int{12, 16, 20, 22, 24, 24, 28, rng.IntN(33)}[rng.IntN(8)]
			adds[l]++
			need[l]++
		}
		for l := range weight {
			weight[l] = need[l] - rng.IntN(2)*s.t.nUsed[l]
		}
		total := 0
		for _, n := range need {
			total += n
		}
		before := s.t.bound
		moves, ok, err := s.relayout(need, weight)
		if err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		if !ok {
			refused++
			if total <= size {
				t.Fatalf("round %d: relayout of %d entries into %d slots refused", round, total, size)
			}
			if s.t.bound != before {
				t.Fatalf("round %d: a refused relayout changed the bounds", round)
			}
			continue
		}
		if total > size {
			t.Fatalf("round %d: relayout of %d entries into %d slots accepted", round, total, size)
		}
		relaid, moved = relaid+1, moved+moves
		if moves > len(s.where) {
			t.Fatalf("round %d: %d moves for %d entries", round, moves, len(s.where))
		}
		m := s.moves
		for l := 32; l >= 0; l-- {
			if adds[l] > 0 {
				if err := s.insertBatch(l, adds[l]); err != nil {
					t.Fatalf("round %d: adding %d /%d: %v", round, adds[l], l, err)
				}
			}
		}
		if s.moves != m {
			t.Fatalf("round %d: the adds after a relayout moved %d entries", round, s.moves-m)
		}
		for i := 0; i < 50; i++ { // the TCAM goes on working
			if len(s.where) < size {
				if err := s.insert(rng.IntN(33)); err != nil {
					t.Fatalf("round %d: %v", round, err)
				}
			}
		}
		if err := s.t.check(); err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
	}
}

// FuzzTCAM checks the allocator's invariants under any sequence of inserts and deletes.
func FuzzTCAM(f *testing.F) {
	f.Add([]byte{24, 24, 16, 200, 32, 8, 129, 24})
	f.Add([]byte{0, 32, 0, 32, 150, 151, 16, 16, 16, 16})
	f.Fuzz(func(t *testing.T, ops []byte) {
		size := 1 + len(ops)%37
		s := newTCAMSim(size)
		if len(ops) > 1 && ops[1]&1 == 1 {
			var w [33]int
			for l := range w {
				w[l] = int(ops[1]>>1)%3 + l%2
			}
			s.t.Spread(w)
		}
		for _, op := range ops {
			if op >= 128 && len(s.where) > 0 {
				// delete the op-th live entry in slot order
				k := int(op-128) % len(s.where)
				for i, id := range s.id {
					if id != 0 && s.where[id] == i {
						if k == 0 {
							if err := s.remove(id); err != nil {
								t.Fatal(err)
							}
							break
						}
						k--
					}
				}
				continue
			}
			if op >= 100 {
				n := int(op-99) % 5
				if len(s.where)+n <= size {
					if err := s.insertBatch(int(op)%33, n); err != nil {
						t.Fatal(err)
					}
				}
				continue
			}
			err := s.insert(int(op) % 33)
			if len(s.where) == size && err == nil {
				continue
			}
			if err != nil && !(errors.Is(err, ErrTCAMFull) && len(s.where) == size) {
				t.Fatal(err)
			}
		}
		if err := s.t.check(); err != nil {
			t.Fatal(err)
		}
	})
}
