// Package hostdrvtest is a software board for hardware-free tests of hostdrv: it speaks the
// host-link protocol of rtl/link/README.md over any byte stream, keeps the register map and the
// tables as lr_csr does (staging registers, INDEX, CMD), forwards frames injected into the
// pipeline with the golden model (cosim/model) and sends punts and port frames back. It follows
// the device's rules that the driver relies on: requests checked whole before they execute, the
// kept answer for a repeated seq, the ATTACHED bit, a reset that clears the session and the
// router-address valid bits but keeps the other tables.
package hostdrvtest

import (
	"encoding/binary"
	"io"
	"sync"

	"github.com/linerate/linerate/cosim/model"
	"github.com/linerate/linerate/hostdrv/link"
	"github.com/linerate/linerate/hostdrv/punt"
	"github.com/linerate/linerate/hostdrv/regmap"
	"github.com/linerate/linerate/tables"
)

// Options size the fake board. Zero values take the simulation build's sizes.
type Options struct {
	Sizes        tables.Sizes
	RxBufBytes   int // default 16384
	RespBufBytes int // default 2048
	BuildID      uint32
	BuildDate    uint32
	// PortsToHost sends frames leaving port p (bit p) back as PORT_TX; others are kept for Out.
	PortsToHost uint32
}

// Board is the fake device. Serve runs it on a byte stream.
type Board struct {
	opt Options

	mu       sync.Mutex
	conn     io.ReadWriter
	wmu      sync.Mutex
	regs     map[uint16]uint32
	staging  map[*regmap.Table][]uint32
	index    map[*regmap.Table]uint32
	im       *tables.Image
	m        *model.Model
	dirty    bool
	attached bool
	kept     []byte // the last answer frame on the wire
	keptSeq  uint16
	keptOK   bool
	devSeq   uint16
	link     map[string]uint32
	out      []model.Result
	// Hook, when set, sees every request frame before it executes; returning false drops it
	// (a test uses it to reset the board in the middle of a load).
	Hook func(f link.Frame) bool
}

// New returns a fake board with empty tables (as after power-up: RAM content zero).
func New(opt Options) *Board {
	if opt.Sizes == (tables.Sizes{}) {
		opt.Sizes = tables.SimSizes
	}
	if opt.RxBufBytes == 0 {
		opt.RxBufBytes = 16384
	}
	if opt.RespBufBytes == 0 {
		opt.RespBufBytes = 2048
	}
	b := &Board{opt: opt, regs: map[uint16]uint32{}, staging: map[*regmap.Table][]uint32{},
		index: map[*regmap.Table]uint32{}, im: tables.NewImage(opt.Sizes), link: map[string]uint32{}}
	for _, t := range regmap.Tables {
		b.staging[t] = make([]uint32, len(t.Fields))
	}
	// power-up RAM content is zero, not NewImage's defaults
	for i := range b.im.Ports {
		b.im.Ports[i].MTU = 0
	}
	b.m = model.New(b.im, model.Options{})
	return b
}

// Serve answers requests from rw until it fails (closed); it returns the read error.
func (b *Board) Serve(rw io.ReadWriter) error {
	b.mu.Lock()
	b.conn = rw
	b.mu.Unlock()
	var dec link.Decoder
	buf := make([]byte, 32<<10)
	bad := 0
	for {
		n, err := rw.Read(buf)
		frames := dec.Feed(buf[:n])
		b.mu.Lock()
		b.link["rx_bad"] += uint32(dec.Bad - bad)
		bad = dec.Bad
		b.mu.Unlock()
		for _, f := range frames {
			b.handle(f)
		}
		if err != nil {
			return err
		}
	}
}

// Reset acts like the reset pin: the session and kept answer are gone, router addresses are
// invalid, the other tables keep their content.
func (b *Board) Reset() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.attached, b.keptOK = false, false
	for i := range b.im.RAddr {
		b.im.RAddr[i].Valid = false
	}
	b.dirty = true
}

// Image returns a copy of the tables as the hardware holds them.
func (b *Board) Image() *tables.Image {
	b.mu.Lock()
	defer b.mu.Unlock()
	c := *b.im
	c.Ports = append([]tables.PortEntry(nil), b.im.Ports...)
	c.RAddr = append([]tables.RAddrEntry(nil), b.im.RAddr...)
	c.LPM = append([]tables.LPMEntry(nil), b.im.LPM...)
	c.Adj = append([]tables.AdjEntry(nil), b.im.Adj...)
	return &c
}

// Receive makes a frame (with FCS) arrive on a port, as from the wire: forwarded frames leave
// (as PORT_TX for ports in PortsToHost, else kept for Out), punts go to the host.
func (b *Board) Receive(port int, wire []byte) {
	b.mu.Lock()
	r := b.model().Receive(port, wire)
	b.mu.Unlock()
	b.emit(r)
}

// Out returns the frames that left ports not sent to the host, and forgets them.
func (b *Board) Out() []model.Result {
	b.mu.Lock()
	defer b.mu.Unlock()
	o := b.out
	b.out = nil
	return o
}

func (b *Board) model() *model.Model {
	if b.dirty {
		b.m.Load(b.im)
		b.dirty = false
	}
	return b.m
}

func (b *Board) emit(r model.Result) {
	switch {
	case r.ToCPU:
		b.send(link.TypePunt, r.Out, true)
	case r.Out != nil && r.OutPort >= 0 && r.OutPort < 32 && b.opt.PortsToHost&(1<<r.OutPort) != 0:
		b.send(link.TypePortTx, append([]byte{byte(r.OutPort)}, r.Out...), true)
	case r.Out != nil:
		b.mu.Lock()
		b.out = append(b.out, r)
		b.mu.Unlock()
	}
}

// send writes one frame; device-originated frames take the device's running seq.
func (b *Board) send(typ uint8, payload []byte, own bool) {
	b.mu.Lock()
	seq := uint16(0)
	if own {
		seq = b.devSeq
		b.devSeq++
		if typ == link.TypePunt {
			b.link["punt_frames"]++
		} else {
			b.link["port_frames"]++
		}
	}
	b.link["tx_frames"]++
	conn := b.conn
	b.mu.Unlock()
	if conn == nil {
		return
	}
	b.wmu.Lock()
	conn.Write(link.Append(nil, link.Frame{Type: typ, Seq: seq, Payload: payload}))
	b.wmu.Unlock()
}

func (b *Board) writeWire(w []byte) {
	b.mu.Lock()
	conn := b.conn
	b.link["tx_frames"]++
	b.mu.Unlock()
	b.wmu.Lock()
	conn.Write(w)
	b.wmu.Unlock()
}

func (b *Board) handle(f link.Frame) {
	if b.Hook != nil && !b.Hook(f) {
		return
	}
	b.mu.Lock()
	b.link["rx_frames"]++
	if f.Type == link.TypeHello {
		b.attached, b.keptOK = true, false
		p := b.hello()
		b.mu.Unlock()
		b.writeWire(link.Append(nil, link.Frame{Type: link.HelloAnswer, Seq: f.Seq, Payload: p}))
		return
	}
	if b.keptOK && f.Seq == b.keptSeq && (f.Type == link.TypeReg || f.Type == link.TypeInject) {
		b.link["rx_dup"]++
		w := b.kept
		b.mu.Unlock()
		b.writeWire(w)
		return
	}
	var ans []byte
	var results []model.Result
	switch f.Type {
	case link.TypeReg:
		ans = b.reg(f.Payload)
	case link.TypeInject:
		ans, results = b.inject(f.Payload)
	default:
		ans = []byte{b.status(link.StatusBadRequest)}
	}
	w := link.Append(nil, link.Frame{Type: link.TypeAnswer | f.Type, Seq: f.Seq, Payload: ans})
	if f.Type == link.TypeReg || f.Type == link.TypeInject {
		b.kept, b.keptSeq, b.keptOK = w, f.Seq, true
	}
	b.mu.Unlock()
	b.writeWire(w)
	for _, r := range results {
		b.emit(r)
	}
}

func (b *Board) status(code uint8) uint8 {
	if b.attached {
		code |= link.StatusAttached
	}
	return code
}

func (b *Board) hello() []byte {
	p := []byte{b.status(link.StatusOK), link.Version}
	p = binary.BigEndian.AppendUint16(p, uint16(b.opt.RxBufBytes))
	p = binary.BigEndian.AppendUint16(p, uint16(b.opt.RespBufBytes))
	p = binary.BigEndian.AppendUint16(p, 16)
	p = binary.BigEndian.AppendUint32(p, 48000000)
	for a := uint16(0); a < 4*link.HelloRegs; a += 4 {
		p = binary.BigEndian.AppendUint32(p, b.read(a))
	}
	return p
}

type op struct {
	code  uint8
	addr  uint16
	words []uint32
	count int
}

// reg checks the whole op list, then executes it.
func (b *Board) reg(p []byte) []byte {
	var ops []op
	reads := 0
	for len(p) > 0 {
		if len(p) < link.OpHeader {
			return []byte{b.status(link.StatusBadRequest)}
		}
		o := op{code: p[0], addr: binary.BigEndian.Uint16(p[1:]), count: int(p[3])}
		p = p[link.OpHeader:]
		if o.count == 0 {
			return []byte{b.status(link.StatusBadRequest)}
		}
		switch o.code {
		case link.OpWrite:
			if len(p) < 4*o.count {
				return []byte{b.status(link.StatusBadRequest)}
			}
			for k := 0; k < o.count; k++ {
				o.words = append(o.words, binary.BigEndian.Uint32(p[4*k:]))
			}
			p = p[4*o.count:]
		case link.OpRead:
			reads += o.count
		default:
			return []byte{b.status(link.StatusBadRequest)}
		}
		ops = append(ops, o)
	}
	if 1+4*reads > b.opt.RespBufBytes {
		return []byte{b.status(link.StatusTooBig)}
	}
	ans := []byte{b.status(link.StatusOK)}
	for _, o := range ops {
		for k := 0; k < o.count; k++ {
			a := o.addr + uint16(4*k)
			if o.code == link.OpWrite {
				b.write(a, o.words[k])
			} else {
				ans = binary.BigEndian.AppendUint32(ans, b.read(a))
			}
		}
	}
	return ans
}

func (b *Board) tableAt(a uint16) (*regmap.Table, uint16) {
	for _, t := range regmap.Tables {
		if a >= t.Base && a < t.Base+0x100 {
			return t, a - t.Base
		}
	}
	return nil, 0
}

func (b *Board) write(a uint16, v uint32) {
	if a == regmap.RegScratch {
		b.regs[a] = v
		return
	}
	if a == regmap.RegCtrl {
		if v&regmap.CtrlCountersClear != 0 {
			b.m = model.New(b.im, model.Options{}) // counters zero; punt seq too (a simplification)
		}
		return
	}
	t, off := b.tableAt(a)
	if t == nil {
		return
	}
	switch {
	case off == regmap.TableIndexOff:
		b.index[t] = v & 0xFFFF
	case off == regmap.TableCmdOff:
		i := int(b.index[t])
		if i >= regmap.TableLen(t, b.opt.Sizes) {
			return
		}
		if v == regmap.CmdWrite {
			regmap.DecodeEntry(b.im, t, i, b.staging[t])
			b.dirty = true
		} else if v == regmap.CmdRead {
			copy(b.staging[t], regmap.EntryFields(b.im, t, i))
		}
	case off >= regmap.TableDataOff && int(off-regmap.TableDataOff)/4 < len(t.Fields):
		k := int(off-regmap.TableDataOff) / 4
		w := t.Fields[k].Width
		if w < 32 {
			v &= 1<<w - 1
		}
		b.staging[t][k] = v
	}
}

func (b *Board) read(a uint16) uint32 {
	s := b.opt.Sizes
	switch a {
	case regmap.RegID:
		return regmap.IDValue
	case regmap.RegVersion:
		return regmap.Version
	case regmap.RegBuildID:
		return b.opt.BuildID
	case regmap.RegBuildDate:
		return b.opt.BuildDate
	case regmap.RegNPorts:
		return uint32(s.Ports)
	case regmap.RegLPMEntries:
		return uint32(s.LPM)
	case regmap.RegAdjEntries:
		return uint32(s.Adj)
	case regmap.RegRAddrEntries:
		return uint32(s.RAddr)
	case regmap.RegDataWidth:
		return 64
	case regmap.RegMaxFrameBytes:
		return 9600
	case regmap.RegNCounters:
		return uint32(regmap.NumCounters(s.Ports))
	case regmap.RegScratch:
		return b.regs[a]
	}
	if a >= regmap.LinkRegBase && int(a-regmap.LinkRegBase)/4 < len(regmap.LinkRegNames) {
		return b.link[regmap.LinkRegNames[(a-regmap.LinkRegBase)/4]]
	}
	if a >= regmap.CounterBase && int(a-regmap.CounterBase)/4 < regmap.NumCounters(s.Ports) {
		return counterWords(b.model().Counters(), s.Ports)[(a-regmap.CounterBase)/4]
	}
	if t, off := b.tableAt(a); t != nil && off >= regmap.TableDataOff && int(off-regmap.TableDataOff)/4 < len(t.Fields) {
		return b.staging[t][(off-regmap.TableDataOff)/4]
	}
	if t, off := b.tableAt(a); t != nil && off == regmap.TableIndexOff {
		return b.index[t]
	}
	return 0
}

// counterWords lays the model's counters out as the counter registers.
func counterWords(c model.Counters, nports int) []uint32 {
	w := make([]uint32, regmap.NumCounters(nports))
	for p := 0; p < nports && p < len(c.RxFrames); p++ {
		w[regmap.PortCounter(p, 0)] = c.RxFrames[p]
		w[regmap.PortCounter(p, 1)] = c.RxBytes[p]
		w[regmap.PortCounter(p, 2)] = c.TxFrames[p]
		w[regmap.PortCounter(p, 3)] = c.TxBytes[p]
	}
	for r := range c.Reason {
		w[regmap.ReasonCounter(nports, r)] = c.Reason[r]
	}
	w[regmap.CPUCounter(nports, 0)] = c.CPUFrames
	w[regmap.CPUCounter(nports, 1)] = c.CPUBytes
	w[regmap.CPUCounter(nports, 2)] = c.InjectFrames
	w[regmap.CPUCounter(nports, 3)] = c.InjectDropped
	return w
}

func (b *Board) inject(p []byte) ([]byte, []model.Result) {
	h, err := punt.ParseInject(p)
	if err != nil {
		return []byte{b.status(link.StatusBadRequest)}, nil
	}
	frame := p[punt.InjectHeaderLen:]
	b.link["inject_frames"]++
	if h.Flags&punt.InjectToPipeline != 0 {
		if int(h.Port) >= b.opt.Sizes.Ports || len(frame) == 0 {
			b.link["inject_frames"]--
			return []byte{b.status(link.StatusBadRequest)}, nil
		}
		return []byte{b.status(link.StatusOK)}, []model.Result{b.model().Receive(int(h.Port), frame)}
	}
	return []byte{b.status(link.StatusOK)}, []model.Result{b.model().Inject(p)}
}
