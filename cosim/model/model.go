package model

import (
	"fmt"

	"github.com/linerate/linerate/hostdrv/punt"
	"github.com/linerate/linerate/tables"
)

// DefaultMaxFrameBytes is the default of Options.MaxFrameBytes (the RTL's MAX_FRAME_BYTES).
const DefaultMaxFrameBytes = 9600

// Options are the build parameters of the modelled data plane that are not in the image.
type Options struct {
	// MaxFrameBytes is the longest frame (without FCS) accepted on any port; longer frames are
	// dropped "giant". Zero or negative means DefaultMaxFrameBytes.
	MaxFrameBytes int
	// Trace records each frame's path through the stages in Result.Trace.
	Trace bool
}

// Model is the golden model of one data plane: its tables, its counters and the CPU queue's
// sequence number.
type Model struct {
	opt   Options
	ports []portRow
	raddr []raddrRow
	lpm   []lpmRow
	adj   []adjRow
	ctr   Counters
	seq   uint32 // next punt sequence number
}

// Result is the outcome of one frame.
type Result struct {
	InPort  int         // ingress port, or -1 for injected frames
	Reason  punt.Reason // Forward for forwarded and injected frames
	OutPort int         // egress port for forwarded/injected frames; -1 otherwise
	// Out is what leaves the data plane: for a port, the frame with its FCS as it leaves the
	// port (padded to 60+4); for the CPU, the punt header and the original frame (no FCS).
	// Nil when nothing leaves (drops).
	Out   []byte
	ToCPU bool
	Punt  punt.Header // filled for punts
	Trace []Step      // the frame's path, one Step per stage
}

// Step is one line of a frame's path through the pipeline.
type Step struct{ Stage, Note string }

func (s Step) String() string { return s.Stage + ": " + s.Note }

// New returns a model with the tables of im (nil means empty tables of size zero) and zeroed
// counters.
func New(im *tables.Image, opt Options) *Model {
	if opt.MaxFrameBytes <= 0 {
		opt.MaxFrameBytes = DefaultMaxFrameBytes
	}
	m := &Model{opt: opt}
	m.Load(im)
	return m
}

// Load replaces the tables with those of im, as if every entry had been written. The image is
// copied: later changes to im do not reach the model. Counters and the punt sequence number
// are kept (per-port counters of ports that no longer exist are discarded, new ports start at
// zero).
func (m *Model) Load(im *tables.Image) {
	if im == nil {
		im = tables.NewImage(tables.Sizes{})
	}
	m.ports = loadPorts(im.Ports)
	m.raddr = loadRAddr(im.RAddr)
	m.lpm = loadLPM(im.LPM)
	m.adj = loadAdj(im.Adj)
	m.ctr.resize(len(m.ports))
}

// Receive processes one frame as it arrives on a port: wire is the frame including its 4-byte
// FCS.
func (m *Model) Receive(port int, wire []byte) Result {
	tr := trace{on: m.opt.Trace}
	f := m.ingress(port, wire, &tr)
	f.fcsOK = checkFCS(f, &tr)
	f.hdr = parse(f.b, &tr)
	f.ipSum = ipHeaderSum(f, &tr)
	m.l3Checks(f, &tr)

	v, decided := decideEarly(f, m.opt.MaxFrameBytes)
	if !decided {
		f.look = m.lookup(f.hdr.dst, &tr)
		if f.look.hit {
			f.look.adjRow, f.look.adjOK = m.adjacency(f.look.adjIdx, &tr)
		}
		v = decideLate(f)
	}
	tr.add("decide", v.String())

	r := Result{InPort: port, Reason: v.reason, OutPort: -1}
	switch {
	case v.reason == punt.Forward:
		out := rewrite(f, &tr)
		r.OutPort = int(f.look.adjRow.port)
		if r.OutPort < len(m.ports) {
			r.Out = fcsInsert(out, &tr)
		} else {
			tr.addf("rewrite", "egress port %d does not exist: the frame leaves no port", r.OutPort)
		}
	case v.reason.IsPunt():
		r.ToCPU = true
		r.Punt, r.Out = m.cpuQueue(f, v, &tr)
	}
	m.count(f, &r, &tr)
	r.Trace = tr.steps
	return r
}

// Inject processes one frame from the CPU: data is the inject header followed by the frame
// without FCS. The frame goes out of the header's port unchanged (padded to 60, FCS appended).
// Data with no byte after the 8-byte header, or a port that does not exist, drop the frame
// (counted in InjectDropped; Out is nil and OutPort -1). The version byte is not checked, as in
// lr_inject.v.
func (m *Model) Inject(data []byte) Result {
	tr := trace{on: m.opt.Trace}
	r := Result{InPort: -1, Reason: punt.Forward, OutPort: -1}
	port, ok := m.injectHeader(data, &tr)
	if ok {
		r.OutPort = port
		r.Out = fcsInsert(data[punt.InjectHeaderLen:], &tr)
	}
	m.countInject(&r, &tr)
	r.Trace = tr.steps
	return r
}

// Counters returns a copy of the counters.
func (m *Model) Counters() Counters { return m.ctr.clone() }

// frame is the metadata that travels beside a received frame through the stages (the MGR's
// "abstract link-layer header"), filled in stage by stage.
type frame struct {
	port   int     // ingress port
	portOK bool    // the port exists
	pe     portRow // its table row (zero if it does not exist)
	w      int     // W: bytes received including FCS
	l      int     // L = W - 4 (may be negative for 0..3 byte frames)
	b      []byte  // b[0..L) (empty when L <= 0)
	fcs    uint32  // the FCS as received (little-endian u32 of the last 4 bytes)

	fcsOK bool      // FCS check
	hdr   header    // parser
	ipSum uint16    // checksum: ones-complement sum of the IPv4 header
	chk   l3Result  // checks
	look  lookupRes // lpm and adjacency (only for frames that pass rules 1-10)
}

// trace collects the Steps of one frame when on (Options.Trace); formatting the notes costs
// more than the pipeline itself, so co-simulation runs without it.
type trace struct {
	on    bool
	steps []Step
}

func (t *trace) add(stage, note string) {
	if t.on {
		t.steps = append(t.steps, Step{stage, note})
	}
}

func (t *trace) addf(stage, format string, a ...any) {
	if t.on {
		t.steps = append(t.steps, Step{stage, fmt.Sprintf(format, a...)})
	}
}
