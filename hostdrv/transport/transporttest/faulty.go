package transporttest

import (
	"math/rand/v2"
	"sync"

	"github.com/linerate/linerate/hostdrv/transport"
)

// FaultOptions choose the faults Faulty injects.
type FaultOptions struct {
	// Seed makes the faults reproducible: the same seed faults the same byte positions of each
	// direction's stream in the same way, however the stream is cut into Reads and Writes.
	Seed int64
	// Rate is the probability that a byte is faulted, per byte and direction (e.g. 0.001).
	Rate float64
	// Flip inverts one bit of a byte, Drop loses it, Dup delivers it twice. A faulted byte gets
	// one of the enabled kinds, chosen uniformly; none set means all three.
	Flip, Drop, Dup bool
}

// FaultCounts counts one direction's bytes and the faults injected into them.
type FaultCounts struct {
	Bytes      int64 // bytes passed in, before faults
	Flipped    int64
	Dropped    int64
	Duplicated int64
}

// Faults is the number of faults injected.
func (c FaultCounts) Faults() int64 { return c.Flipped + c.Dropped + c.Duplicated }

// FaultStats counts both directions: Read is device to host (bytes read from the wrapped Conn),
// Write host to device (bytes written to it).
type FaultStats struct {
	Read, Write FaultCounts
}

// Faults is the number of faults injected in both directions.
func (s FaultStats) Faults() int64 { return s.Read.Faults() + s.Write.Faults() }

// FaultyConn is a transport.Conn that corrupts, loses and duplicates bytes of the Conn it wraps,
// independently in each direction. Read and Write may run concurrently.
type FaultyConn struct {
	c      transport.Conn
	rd, wr faulter

	rmu     sync.Mutex
	rbuf    []byte
	pending []byte // faulted bytes read but not yet returned
	rerr    error  // an error that came with bytes, returned after them

	wmu sync.Mutex
}

// Faulty wraps c for tests of the layers above a transport: link framing must notice every
// flipped, dropped or duplicated byte and recover.
func Faulty(c transport.Conn, opt FaultOptions) *FaultyConn {
	var kinds []faultKind
	if opt.Flip {
		kinds = append(kinds, flip)
	}
	if opt.Drop {
		kinds = append(kinds, drop)
	}
	if opt.Dup {
		kinds = append(kinds, dup)
	}
	if len(kinds) == 0 {
		kinds = []faultKind{flip, drop, dup}
	}
	seed := uint64(opt.Seed)
	return &FaultyConn{
		c:  c,
		rd: faulter{rng: rand.New(rand.NewPCG(seed, 0x72656164)), rate: opt.Rate, kinds: kinds},
		wr: faulter{rng: rand.New(rand.NewPCG(seed, 0x7772697465)), rate: opt.Rate, kinds: kinds},
	}
}

// Stats returns the counts so far.
func (f *FaultyConn) Stats() FaultStats {
	return FaultStats{Read: f.rd.counts(), Write: f.wr.counts()}
}

// Read reads from the wrapped Conn and returns the bytes after faults. When every byte of a
// read is dropped it reads again rather than return zero bytes.
func (f *FaultyConn) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return f.c.Read(p)
	}
	f.rmu.Lock()
	defer f.rmu.Unlock()
	for len(f.pending) == 0 {
		if f.rerr != nil {
			err := f.rerr
			f.rerr = nil
			return 0, err
		}
		if cap(f.rbuf) < len(p) {
			f.rbuf = make([]byte, len(p))
		}
		n, err := f.c.Read(f.rbuf[:len(p)])
		f.pending = f.rd.apply(f.pending[:0], f.rbuf[:n])
		if err != nil {
			if len(f.pending) == 0 {
				return 0, err
			}
			f.rerr = err
		}
	}
	n := copy(p, f.pending)
	f.pending = f.pending[n:]
	return n, nil
}

// Write applies faults to p and writes the result. It reports len(p) when the wrapped Write
// succeeds, and 0 with the error when it does not (a faulted stream has no byte-exact
// correspondence to report).
func (f *FaultyConn) Write(p []byte) (int, error) {
	f.wmu.Lock() // faults follow the order of the bytes on the wire
	defer f.wmu.Unlock()
	out := f.wr.apply(nil, p)
	if len(out) > 0 {
		if _, err := f.c.Write(out); err != nil {
			return 0, err
		}
	}
	return len(p), nil
}

// Close closes the wrapped Conn.
func (f *FaultyConn) Close() error { return f.c.Close() }

type faultKind uint8

const (
	flip faultKind = iota
	drop
	dup
)

// faulter applies faults to one direction's stream.
type faulter struct {
	mu    sync.Mutex
	rng   *rand.Rand
	rate  float64
	kinds []faultKind
	n     FaultCounts
}

func (f *faulter) counts() FaultCounts {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.n
}

// apply appends src to dst with faults. One random draw per byte (two or three for a faulted
// byte), in stream order, so the faults depend only on the position in the stream.
func (f *faulter) apply(dst, src []byte) []byte {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.n.Bytes += int64(len(src))
	for _, b := range src {
		if f.rng.Float64() >= f.rate {
			dst = append(dst, b)
			continue
		}
		switch f.kinds[f.rng.IntN(len(f.kinds))] {
		case flip:
			dst = append(dst, b^1<<f.rng.IntN(8))
			f.n.Flipped++
		case drop:
			f.n.Dropped++
		case dup:
			dst = append(dst, b, b)
			f.n.Duplicated++
		}
	}
	return dst
}
