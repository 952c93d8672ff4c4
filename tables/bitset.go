package tables

import "math/bits"

// bitset is a set of small integers with fast "next member at or after i" and "previous member
// at or before i" queries: level 0 has one bit per member, and each higher level has one bit per
// word of the level below, set when that word is not zero. A query climbs until it finds a word
// with a bit in the right direction and descends again, so it costs a few word operations
// whatever the distance (a million slots take four levels).
type bitset struct {
	n      int
	levels [][]uint64 // levels[0]: the members; levels[len-1] has a single word
}

func newBitset(n int) *bitset {
	b := &bitset{n: n}
	words := (n + 63) / 64
	for {
		if words < 1 {
			words = 1
		}
		b.levels = append(b.levels, make([]uint64, words))
		if words == 1 {
			return b
		}
		words = (words + 63) / 64
	}
}

func (b *bitset) has(i int) bool {
	return i >= 0 && i < b.n && b.levels[0][i>>6]&(1<<(i&63)) != 0
}

func (b *bitset) set(i int) {
	for _, l := range b.levels {
		w := i >> 6
		was := l[w]
		l[w] = was | 1<<(i&63)
		if was != 0 {
			return // the levels above already know this word is not zero
		}
		i = w
	}
}

func (b *bitset) clear(i int) {
	for _, l := range b.levels {
		w := i >> 6
		l[w] &^= 1 << (i & 63)
		if l[w] != 0 {
			return
		}
		i = w
	}
}

// next returns the smallest member >= i, or -1.
func (b *bitset) next(i int) int {
	if i < 0 {
		i = 0
	}
	if i >= b.n {
		return -1
	}
	lvl := 0
	for {
		l := b.levels[lvl]
		w := i >> 6
		if w >= len(l) {
			return -1
		}
		if m := l[w] >> (i & 63); m != 0 {
			i += bits.TrailingZeros64(m)
			break
		}
		// Nothing at or after i in this word: look for the next non-zero word one level up.
		i = w + 1
		lvl++
		if lvl == len(b.levels) {
			return -1
		}
	}
	for lvl > 0 {
		lvl--
		i = i<<6 + bits.TrailingZeros64(b.levels[lvl][i])
	}
	return i
}

// prev returns the largest member <= i, or -1.
func (b *bitset) prev(i int) int {
	if i >= b.n {
		i = b.n - 1
	}
	if i < 0 {
		return -1
	}
	lvl := 0
	for {
		l := b.levels[lvl]
		w := i >> 6
		if m := l[w] << (63 - i&63); m != 0 {
			i -= bits.LeadingZeros64(m)
			break
		}
		if w == 0 {
			return -1
		}
		i = w - 1
		lvl++
		if lvl == len(b.levels) {
			return -1
		}
	}
	for lvl > 0 {
		lvl--
		i = i<<6 + 63 - bits.LeadingZeros64(b.levels[lvl][i])
	}
	return i
}
