// Package hostdrv is the control-plane driver: it speaks the host-link protocol of
// rtl/link/README.md over any byte transport (hostdrv/transport) to a board or a simulated board.
// It sends one request at a time, retransmits after an adaptive timeout, detects a device reset
// (the ATTACHED bit) and hands punted frames and port frames to the caller.
//
//	d, err := hostdrv.Open(ctx, "serial:/dev/ttyUSB1", hostdrv.Options{})
//	defer d.Close()
//	words, err := d.ReadRegs(ctx, regmap.RegID, 1)
package hostdrv

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/linerate/linerate/hostdrv/link"
	"github.com/linerate/linerate/hostdrv/punt"
	"github.com/linerate/linerate/hostdrv/regmap"
	"github.com/linerate/linerate/hostdrv/transport"
)

// Errors callers can test for with errors.Is.
var (
	ErrTimeout     = errors.New("hostdrv: no answer from the device")
	ErrDeviceReset = errors.New("hostdrv: the device was reset (it lost the session)")
	ErrNotLinerate = errors.New("hostdrv: the device does not speak the linerate link")
	ErrBadRequest  = errors.New("hostdrv: the device rejected the request")
	ErrTooBig      = errors.New("hostdrv: the answer would not fit the device's buffer")
	ErrClosed      = errors.New("hostdrv: device closed")
)

// Options tune the link. Zero values take the defaults.
type Options struct {
	Baud       int           // serial baud rate (default 3,000,000)
	MinTimeout time.Duration // lower bound of the retransmission timeout (default 20 ms)
	MaxTimeout time.Duration // upper bound (default 4 s)
	Attempts   int           // sends of one request before ErrTimeout (default 12)
	PuntQueue  int           // punts held for the reader before the oldest are dropped (default 4096)
}

func (o *Options) defaults() {
	if o.MinTimeout == 0 {
		o.MinTimeout = 20 * time.Millisecond
	}
	if o.MaxTimeout == 0 {
		o.MaxTimeout = 4 * time.Second
	}
	if o.Attempts == 0 {
		o.Attempts = 12
	}
	if o.PuntQueue == 0 {
		o.PuntQueue = 4096
	}
}

// Hello is what the device says about itself.
type Hello struct {
	LinkVersion   int
	RxBufBytes    int // longest request frame the device takes (type+seq+payload+CRC)
	RespBufBytes  int // longest answer payload
	UARTDiv       int
	ClkHz         uint32
	ID            uint32
	RegVersion    uint32
	BuildID       uint32
	BuildDate     uint32
	Ports         int
	LPM, Adj      int
	RAddr         int
	DataWidth     int
	MaxFrameBytes int
	Counters      int
}

// String is one human line about the build.
func (h Hello) String() string {
	return fmt.Sprintf("linerate build %08x (%d) regmap %d.%d, %d ports, LPM %d, adjacency %d, router addresses %d, %d-bit datapath, link v%d at %d clocks/bit of %d Hz",
		h.BuildID, h.BuildDate, h.RegVersion>>16, h.RegVersion&0xFFFF, h.Ports, h.LPM, h.Adj, h.RAddr, h.DataWidth,
		h.LinkVersion, h.UARTDiv, h.ClkHz)
}

func parseHello(p []byte) (Hello, error) {
	if len(p) < link.HelloLen {
		return Hello{}, fmt.Errorf("%w: hello answer of %d bytes", ErrNotLinerate, len(p))
	}
	be16 := func(i int) int { return int(binary.BigEndian.Uint16(p[i:])) }
	reg := func(k int) uint32 { return binary.BigEndian.Uint32(p[link.HelloFixed+4*k:]) }
	h := Hello{LinkVersion: int(p[1]), RxBufBytes: be16(2), RespBufBytes: be16(4), UARTDiv: be16(6),
		ClkHz: binary.BigEndian.Uint32(p[8:]), ID: reg(0), RegVersion: reg(1), BuildID: reg(2),
		Ports: int(reg(3)), LPM: int(reg(4)), Adj: int(reg(5)), RAddr: int(reg(6)),
		DataWidth: int(reg(7)), MaxFrameBytes: int(reg(8)), Counters: int(reg(9)), BuildDate: reg(10)}
	if h.ID != regmap.IDValue {
		return h, fmt.Errorf("%w: identity word %08x", ErrNotLinerate, h.ID)
	}
	if h.RegVersion>>16 != regmap.Version>>16 {
		return h, fmt.Errorf("%w: register map %d.%d, this driver speaks %d.x", ErrNotLinerate,
			h.RegVersion>>16, h.RegVersion&0xFFFF, regmap.Version>>16)
	}
	if h.RxBufBytes < 64 || h.RespBufBytes < 8 {
		return h, fmt.Errorf("%w: buffers of %d/%d bytes", ErrNotLinerate, h.RxBufBytes, h.RespBufBytes)
	}
	return h, nil
}

// Punt is one punted frame as the host receives it.
type Punt struct {
	Header punt.Header
	Frame  []byte // the original frame, without FCS
	At     time.Time
}

// PortFrame is a frame that left a port carried over the link (PORT_TX), FCS included.
type PortFrame struct {
	Port  int
	Frame []byte
	At    time.Time
}

// Stats count what the link did.
type Stats struct {
	Requests       uint64 // requests completed
	Sends          uint64 // request frames sent, retransmissions included
	Retransmits    uint64
	BadFrames      uint64 // frames from the device dropped by the decoder (CRC, COBS)
	StaleAnswers   uint64 // answers to an earlier request (after a retransmission)
	Punts          uint64 // punts delivered
	PuntsLost      uint64 // gaps in the punt sequence numbers
	PuntsDuplicate uint64 // punts with a sequence number already seen (dropped, never delivered)
	PuntSeqRestart uint64 // punt sequence started again (device reset)
	PuntsQueueDrop uint64 // punts dropped because the reader did not keep up
	PortFrames     uint64
	PortQueueDrop  uint64 // port frames dropped because the reader did not keep up
	DeviceFrames   uint64 // unsolicited frames from the device (punts, port frames)
	DeviceLost     uint64 // gaps in the device's own frame sequence
	WireTx, WireRx uint64 // bytes written to and read from the transport
	PayloadTx      uint64 // request payload bytes sent (first sends only)
}

// Device is a session with one board or simulated board. Requests are serialised; punts and
// port frames arrive on their channels concurrently.
type Device struct {
	conn transport.Conn
	opt  Options

	mu       sync.Mutex // one request at a time
	seq      uint16
	limit    int // current REG request payload limit (shrinks on a lossy link)
	attached bool
	hello    Hello
	srtt     time.Duration
	rttvar   time.Duration
	rto      time.Duration

	answers chan link.Frame
	punts   chan Punt
	ports   chan PortFrame
	done    chan struct{}
	readErr error

	smu        sync.Mutex
	stats      Stats
	puntSeq    uint32
	puntSeen   bool
	devSeq     uint16
	devSeqSeen bool
}

// Open opens the transport named by uri and says hello.
func Open(ctx context.Context, uri string, opt Options) (*Device, error) {
	c, err := transport.Open(ctx, uri, transport.Options{Baud: opt.Baud})
	if err != nil {
		return nil, err
	}
	d, err := New(ctx, c, opt)
	if err != nil {
		c.Close()
		return nil, fmt.Errorf("%s: %w", uri, err)
	}
	return d, nil
}

// New starts a session on an open transport (the Device owns it from now on) and says hello.
func New(ctx context.Context, c transport.Conn, opt Options) (*Device, error) {
	opt.defaults()
	d := &Device{conn: c, opt: opt, answers: make(chan link.Frame, 16),
		punts: make(chan Punt, opt.PuntQueue), ports: make(chan PortFrame, opt.PuntQueue),
		done: make(chan struct{}), rto: time.Second, seq: uint16(time.Now().UnixNano())}
	go d.readLoop()
	if _, err := d.Hello(ctx); err != nil {
		d.Close()
		return nil, err
	}
	return d, nil
}

// Close ends the session and closes the transport.
func (d *Device) Close() error {
	err := d.conn.Close()
	<-d.done
	return err
}

// Info is the last HELLO answer.
func (d *Device) Info() Hello {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.hello
}

// Punts delivers punted frames, each at most once, in arrival order.
func (d *Device) Punts() <-chan Punt { return d.punts }

// PortFrames delivers frames that left link ports.
func (d *Device) PortFrames() <-chan PortFrame { return d.ports }

// Stats returns a copy of the link statistics.
func (d *Device) Stats() Stats {
	d.smu.Lock()
	defer d.smu.Unlock()
	return d.stats
}

func (d *Device) count(f func(s *Stats)) {
	d.smu.Lock()
	f(&d.stats)
	d.smu.Unlock()
}

func (d *Device) readLoop() {
	defer close(d.done)
	var dec link.Decoder
	buf := make([]byte, 64<<10)
	bad := 0
	for {
		n, err := d.conn.Read(buf)
		if n > 0 {
			frames := dec.Feed(buf[:n])
			d.count(func(s *Stats) {
				s.WireRx += uint64(n)
				s.BadFrames += uint64(dec.Bad - bad)
			})
			bad = dec.Bad
			for _, f := range frames {
				d.dispatch(f)
			}
		}
		if err != nil {
			d.readErr = err
			close(d.answers)
			close(d.punts)
			close(d.ports)
			return
		}
	}
}

func (d *Device) dispatch(f link.Frame) {
	switch f.Type {
	case link.TypePunt, link.TypePortTx:
		d.deviceSeq(f.Seq)
		if f.Type == link.TypePunt {
			d.punt(f.Payload)
		} else if len(f.Payload) >= 1 {
			pf := PortFrame{Port: int(f.Payload[0]), Frame: append([]byte(nil), f.Payload[1:]...), At: time.Now()}
			select {
			case d.ports <- pf:
				d.count(func(s *Stats) { s.PortFrames++ })
			default:
				d.count(func(s *Stats) { s.PortQueueDrop++ })
			}
		}
	default:
		if f.Type&link.TypeAnswer != 0 {
			select {
			case d.answers <- link.Frame{Type: f.Type, Seq: f.Seq, Payload: append([]byte(nil), f.Payload...)}:
			default: // nobody waits for it: a stale duplicate
				d.count(func(s *Stats) { s.StaleAnswers++ })
			}
		}
	}
}

// deviceSeq counts device frames lost on the link by their running sequence number.
func (d *Device) deviceSeq(seq uint16) {
	d.smu.Lock()
	defer d.smu.Unlock()
	d.stats.DeviceFrames++
	if d.devSeqSeen {
		gap := seq - d.devSeq - 1
		if gap < 0x8000 {
			d.stats.DeviceLost += uint64(gap)
		}
	}
	d.devSeq, d.devSeqSeen = seq, true
}

// punt delivers a punt unless its sequence number was seen already; gaps count as lost.
func (d *Device) punt(p []byte) {
	h, err := punt.Parse(p)
	if err != nil {
		d.count(func(s *Stats) { s.BadFrames++ })
		return
	}
	d.smu.Lock()
	switch {
	case !d.puntSeen:
	case h.Seq == d.puntSeq:
		d.stats.PuntsDuplicate++
		d.smu.Unlock()
		return
	case h.Seq < d.puntSeq && d.puntSeq-h.Seq < 1<<31:
		d.stats.PuntSeqRestart++
	default:
		d.stats.PuntsLost += uint64(h.Seq - d.puntSeq - 1)
	}
	d.puntSeq, d.puntSeen = h.Seq, true
	d.smu.Unlock()
	pp := Punt{Header: h, Frame: append([]byte(nil), p[punt.HeaderLen:]...), At: time.Now()}
	select {
	case d.punts <- pp:
		d.count(func(s *Stats) { s.Punts++ })
	default:
		d.count(func(s *Stats) { s.PuntsQueueDrop++ })
	}
}

// Hello (re)starts the session: the device forgets its kept answer and reports its build.
func (d *Device) Hello(ctx context.Context) (Hello, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	p, err := d.exchange(ctx, link.TypeHello, nil, d.opt.Attempts, link.HelloLen)
	if err != nil {
		return Hello{}, err
	}
	h, err := parseHello(p)
	if err != nil {
		return h, err
	}
	if h.LinkVersion != link.Version {
		return h, fmt.Errorf("%w: link protocol version %d", ErrNotLinerate, h.LinkVersion)
	}
	d.hello, d.attached = h, true
	return h, nil
}

// request sends one request and returns its answer's payload after the status byte. It
// retransmits until an answer with the request's seq arrives or the attempts run out.
func (d *Device) request(ctx context.Context, typ uint8, payload []byte) ([]byte, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.exchange(ctx, typ, payload, d.opt.Attempts, 16)
}

// exchange sends a request and waits for its answer (expected to be about answer bytes long),
// resending the same frame after each timeout, at most attempts times.
func (d *Device) exchange(ctx context.Context, typ uint8, payload []byte, attempts, answer int) ([]byte, error) {
	d.seq++
	seq := d.seq
	wire := link.Append(nil, link.Frame{Type: typ, Seq: seq, Payload: payload})
	var timer *time.Timer
	defer func() {
		if timer != nil {
			timer.Stop()
		}
	}()
	for attempt := 0; attempt < attempts; attempt++ {
		sent := time.Now()
		if _, err := d.conn.Write(wire); err != nil {
			return nil, fmt.Errorf("hostdrv: write: %w", err)
		}
		d.count(func(s *Stats) {
			s.Sends++
			s.WireTx += uint64(len(wire))
			if attempt > 0 {
				s.Retransmits++
			} else {
				s.PayloadTx += uint64(len(payload))
			}
		})
		units := float64(max(len(wire)+answer, 64)) / 1024
		timeout := max(time.Duration(float64(d.rto)*units), d.opt.MinTimeout) << min(attempt, 4)
		if timeout > d.opt.MaxTimeout {
			timeout = d.opt.MaxTimeout
		}
		if timer == nil {
			timer = time.NewTimer(timeout)
		} else {
			timer.Reset(timeout)
		}
	wait:
		for {
			select {
			case <-ctx.Done():
				return nil, ctx.Err()
			case f, ok := <-d.answers:
				if !ok {
					return nil, fmt.Errorf("%w: %v", ErrClosed, d.readErr)
				}
				if f.Seq != seq || f.Type != link.TypeAnswer|typ || len(f.Payload) < 1 {
					d.count(func(s *Stats) { s.StaleAnswers++ })
					continue
				}
				if attempt == 0 {
					d.sample(time.Since(sent), units)
				}
				d.count(func(s *Stats) { s.Requests++ })
				return d.status(typ, f.Payload)
			case <-timer.C:
				break wait
			}
		}
	}
	return nil, fmt.Errorf("%w after %d attempts (type %#02x)", ErrTimeout, attempts, typ)
}

func (d *Device) status(typ uint8, p []byte) ([]byte, error) {
	st := p[0]
	if typ != link.TypeHello && d.attached && st&link.StatusAttached == 0 {
		d.attached = false
		return nil, ErrDeviceReset
	}
	switch st & link.StatusCodeMask {
	case link.StatusOK:
		return p, nil
	case link.StatusBadRequest:
		return nil, ErrBadRequest
	case link.StatusTooBig:
		return nil, ErrTooBig
	}
	return nil, fmt.Errorf("hostdrv: unknown status %#02x", st)
}

// sample updates the retransmission timeout from one round trip (RFC 6298). The estimate is
// kept per KiB moved (request and answer, at least 64 bytes): a 10 KiB request takes longer on a
// 3 Mbaud UART than a register read, and on a link whose fixed latency dominates (USB) the
// estimate errs on the long side, which costs nothing until a frame is lost; retransmitted requests give no sample (Karn). A timeout backs off
// exponentially for the request at hand only (the answer may sit behind a long punt).
func (d *Device) sample(rtt time.Duration, units float64) {
	rtt = time.Duration(float64(rtt) / units)
	if d.srtt == 0 {
		d.srtt, d.rttvar = rtt, rtt/2
	} else {
		diff := d.srtt - rtt
		if diff < 0 {
			diff = -diff
		}
		d.rttvar = (3*d.rttvar + diff) / 4
		d.srtt = (7*d.srtt + rtt) / 8
	}
	d.rto = d.srtt + 4*d.rttvar
}

// Attached reports whether the session is believed intact (false after ErrDeviceReset until the
// next Hello).
func (d *Device) Attached() bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.attached
}

var _ io.Closer = (*Device)(nil)
