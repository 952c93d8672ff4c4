package hostdrv

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/linerate/linerate/hostdrv/link"
	"github.com/linerate/linerate/hostdrv/regmap"
)

// Batch collects register operations; Do packs them into REG requests that fit the device's
// buffers and the link's current condition. Writes to consecutive addresses become one burst.
// Reads return their words in order from Do.
//
// Packing happens as the batch is sent: on a clean link requests are as large as the device
// takes (fewest round trips); when a request keeps timing out the driver packs the rest, this
// request included, into smaller ones, since a long frame on a link that corrupts one byte in a
// thousand rarely arrives whole. A request only ends at a unit boundary (the end of one Write,
// Read or Unit call, or of one entry in Ops), so each request sets the staging registers it
// uses: re-sending a prefix of a request that may already have executed in full then writes
// and reads the same values again. A batch that writes CTRL is never repacked after a timeout.
type Batch struct {
	ops        []bop
	words      int // total words moved (progress unit)
	readWords  int
	idempotent bool
	// Sent is the number of REG requests Do sent (retransmissions not counted).
	Sent int
}

type bop struct {
	code  uint8
	addr  uint16
	words []uint32 // writes
	count int      // reads
	end   bool     // a unit ends after this op
}

func (o *bop) n() int {
	if o.code == link.OpWrite {
		return len(o.words)
	}
	return o.count
}

// NewBatch starts an empty batch.
func (d *Device) NewBatch() *Batch { return &Batch{idempotent: true} }

// Write adds writes of words to addr, addr+4, ... as one unit.
func (b *Batch) Write(addr uint16, words ...uint32) {
	b.write(addr, words...)
	b.End()
}

// End ends a unit: a request may end here.
func (b *Batch) End() {
	if n := len(b.ops); n > 0 {
		b.ops[n-1].end = true
	}
}

func (b *Batch) write(addr uint16, words ...uint32) {
	for _, w := range words {
		b.write1(addr, w)
		addr += 4
	}
}

func (b *Batch) write1(addr uint16, w uint32) {
	if addr == regmap.RegCtrl {
		b.idempotent = false
	}
	b.words++
	if n := len(b.ops); n > 0 {
		last := &b.ops[n-1]
		if last.code == link.OpWrite && !last.end && last.addr+uint16(4*len(last.words)) == addr {
			last.words = append(last.words, w)
			return
		}
	}
	b.ops = append(b.ops, bop{code: link.OpWrite, addr: addr, words: []uint32{w}})
}

// Read adds a read of n words from addr, addr+4, ... as one unit. A long read of plain
// registers (counters) may still be split over several requests.
func (b *Batch) Read(addr uint16, n int) {
	b.read(addr, n)
	b.End()
}

func (b *Batch) read(addr uint16, n int) {
	if n <= 0 {
		return
	}
	b.words += n
	b.readWords += n
	b.ops = append(b.ops, bop{code: link.OpRead, addr: addr, count: n})
}

// Ops adds register writes in order; a unit ends after each table command (CMD) write, so an
// entry's staging writes and its command always travel in one request.
func (b *Batch) Ops(ops []regmap.Op) {
	for _, op := range ops {
		b.write1(op.Addr, op.Data)
		if op.Addr >= regmap.TablePort.Base && op.Addr&0xFF == regmap.TableCmdOff {
			b.End()
		}
	}
	b.End()
}

// ReadEntry adds the read-back of entry i of table t as one unit: INDEX and CMD=read, then
// the staging registers.
func (b *Batch) ReadEntry(t *regmap.Table, i int) {
	b.write(t.Index(), uint32(i), regmap.CmdRead)
	b.read(t.Data(0), len(t.Fields))
	b.End()
}

// Words is the number of register words the batch moves.
func (b *Batch) Words() int { return b.words }

// pos is a place in a batch: op i, word k of it.
type pos struct{ i, k int }

// unitCost is the payload bytes and words read of the unit starting at op i.
func (b *Batch) unitCost(i int) (bytes, reads int) {
	for ; i < len(b.ops); i++ {
		o := &b.ops[i]
		n := o.n()
		bytes += link.OpHeader * ((n + link.MaxCount - 1) / link.MaxCount)
		if o.code == link.OpWrite {
			bytes += 4 * n
		} else {
			reads += n
		}
		if o.end {
			break
		}
	}
	return bytes, reads
}

// pack builds one request payload from p (a unit boundary, or inside a unit too large for any
// request), of whole units while they fit in limit bytes and maxRead words read. A unit that
// does not fit an empty request is split word by word.
func (b *Batch) pack(p pos, limit, maxRead int) (payload []byte, reads, words int, next pos) {
	if p.k == 0 {
		for p.i < len(b.ops) {
			ub, ur := b.unitCost(p.i)
			if len(payload)+ub > limit || reads+ur > maxRead {
				break
			}
			for {
				o := &b.ops[p.i]
				payload, reads, words = b.appendOp(payload, o, 0, o.n(), reads, words)
				p.i++
				if o.end || p.i == len(b.ops) {
					break
				}
			}
		}
		if words > 0 {
			return payload, reads, words, p
		}
	}
	// an oversized unit: split it
	for p.i < len(b.ops) {
		o := &b.ops[p.i]
		room := limit - len(payload) - link.OpHeader
		if o.code == link.OpWrite {
			room /= 4
		} else {
			room = min(room, maxRead-reads) // a read op costs no payload per word
		}
		k := min(o.n()-p.k, room, link.MaxCount)
		if k <= 0 {
			break
		}
		payload, reads, words = b.appendOp(payload, o, p.k, k, reads, words)
		p.k += k
		if p.k == o.n() {
			p.i, p.k = p.i+1, 0
			if o.end {
				break
			}
		}
	}
	return payload, reads, words, p
}

// appendOp appends words [from, from+n) of op o, in ops of at most MaxCount words.
func (b *Batch) appendOp(payload []byte, o *bop, from, n, reads, words int) ([]byte, int, int) {
	for n > 0 {
		k := min(n, link.MaxCount)
		a := o.addr + uint16(4*from)
		payload = append(payload, o.code, byte(a>>8), byte(a), byte(k))
		if o.code == link.OpWrite {
			for _, w := range o.words[from : from+k] {
				payload = binary.BigEndian.AppendUint32(payload, w)
			}
		} else {
			reads += k
		}
		words += k
		from += k
		n -= k
	}
	return payload, reads, words
}

// minRequest is the smallest payload limit the driver shrinks to on a lossy link.
const minRequest = 96

// Do sends the batch and returns every word read. Each request executes whole or not at all;
// on error, the requests before it have executed.
func (d *Device) Do(ctx context.Context, b *Batch) ([]uint32, error) {
	return d.DoProgress(ctx, b, nil)
}

// DoProgress is Do with a callback after each request (words done, words total).
func (d *Device) DoProgress(ctx context.Context, b *Batch, progress func(done, total int)) ([]uint32, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	h := d.hello
	maxReq := min(h.RxBufBytes-link.Overhead, link.MaxPayload)
	maxRead := (h.RespBufBytes - 1) / 4
	if d.limit == 0 || d.limit > maxReq {
		d.limit = maxReq
	}
	out := make([]uint32, 0, b.readWords)
	done := 0
	for p := (pos{}); p.i < len(b.ops); {
		// the answer is bounded like the request: a long answer is as fragile as a long request
		payload, reads, words, next := b.pack(p, d.limit, min(maxRead, max(d.limit/4, 1)))
		if words == 0 {
			return out, fmt.Errorf("register request: cannot fit an op in %d bytes", d.limit)
		}
		attempts := d.opt.Attempts
		shrink := b.idempotent && d.limit > minRequest
		if shrink {
			attempts = 2
		}
		ans, err := d.exchange(ctx, link.TypeReg, payload, attempts, 1+4*reads)
		if shrink && errors.Is(err, ErrTimeout) {
			d.limit = max(d.limit/2, minRequest)
			continue
		}
		if err != nil {
			return out, fmt.Errorf("register request %d (%d bytes): %w", b.Sent+1, len(payload), err)
		}
		if len(ans) != 1+4*reads {
			return out, fmt.Errorf("register request %d: answer of %d bytes, want %d", b.Sent+1, len(ans), 1+4*reads)
		}
		for k := 0; k < reads; k++ {
			out = append(out, binary.BigEndian.Uint32(ans[1+4*k:]))
		}
		b.Sent++
		// grow back slowly after a clean exchange
		d.limit = min(maxReq, d.limit+d.limit/16+32)
		p = next
		done += words
		if progress != nil {
			progress(done, b.words)
		}
	}
	return out, nil
}

// ReadRegs reads n consecutive registers.
func (d *Device) ReadRegs(ctx context.Context, addr uint16, n int) ([]uint32, error) {
	b := d.NewBatch()
	b.Read(addr, n)
	return d.Do(ctx, b)
}

// WriteRegs writes consecutive registers.
func (d *Device) WriteRegs(ctx context.Context, addr uint16, words ...uint32) error {
	b := d.NewBatch()
	b.Write(addr, words...)
	_, err := d.Do(ctx, b)
	return err
}

// Ping sends an empty op list: a round trip that changes nothing.
func (d *Device) Ping(ctx context.Context) error {
	_, err := d.request(ctx, link.TypeReg, nil)
	return err
}
