package transporttest

import (
	"fmt"
	"io"
	"net"
	"sync"

	"github.com/linerate/linerate/hostdrv/transport"
)

// Pipe returns the two ends of an in-memory, full-duplex byte pipe. Unlike net.Pipe it buffers
// without bound: Write never waits for the other end to read, so a device side writing punts
// cannot deadlock against a host that is busy writing. Read blocks until bytes arrive; after
// Close it returns an error wrapping net.ErrClosed, and once the other end is closed and the
// bytes it wrote are read, io.EOF. Writing to an end whose peer is closed returns
// io.ErrClosedPipe.
func Pipe() (a, b transport.Conn) {
	ab, ba := newHalf(), newHalf()
	return &pipeEnd{name: "pipe end a", r: ba, w: ab}, &pipeEnd{name: "pipe end b", r: ab, w: ba}
}

// half is one direction of a Pipe.
type half struct {
	mu         sync.Mutex
	cond       sync.Cond
	buf        []byte
	readerGone bool // the reading end was closed
	writerGone bool // the writing end was closed
}

func newHalf() *half {
	h := &half{}
	h.cond.L = &h.mu
	return h
}

type pipeEnd struct {
	name string
	r, w *half
	once sync.Once
}

func (p *pipeEnd) Read(b []byte) (int, error) {
	h := p.r
	h.mu.Lock()
	defer h.mu.Unlock()
	for {
		switch {
		case h.readerGone:
			return 0, fmt.Errorf("read %s: %w", p.name, net.ErrClosed)
		case len(b) == 0:
			return 0, nil
		case len(h.buf) > 0:
			n := copy(b, h.buf)
			h.buf = h.buf[n:]
			return n, nil
		case h.writerGone:
			return 0, io.EOF
		}
		h.cond.Wait()
	}
}

func (p *pipeEnd) Write(b []byte) (int, error) {
	h := p.w
	h.mu.Lock()
	defer h.mu.Unlock()
	switch {
	case h.writerGone:
		return 0, fmt.Errorf("write %s: %w", p.name, net.ErrClosed)
	case h.readerGone:
		return 0, fmt.Errorf("write %s: %w", p.name, io.ErrClosedPipe)
	}
	h.buf = append(h.buf, b...)
	h.cond.Broadcast()
	return len(b), nil
}

// Close ends both directions at this end: its Reads and Writes fail with net.ErrClosed, the
// peer reads what is buffered and then io.EOF, and the peer's Writes fail.
func (p *pipeEnd) Close() error {
	p.once.Do(func() {
		for _, h := range []*half{p.r, p.w} {
			h.mu.Lock()
			if h == p.r {
				h.readerGone = true
				h.buf = nil
			} else {
				h.writerGone = true
			}
			h.cond.Broadcast()
			h.mu.Unlock()
		}
	})
	return nil
}
