// Package cosim runs frames through the Verilated data plane and the Go golden model side by
// side and compares what comes out, byte for byte (ARCHITECTURE 3.2 and 5).
package cosim

import (
	"errors"
	"fmt"
	"time"

	"github.com/linerate/linerate/cosim/model"
	"github.com/linerate/linerate/cosim/vsim"
	"github.com/linerate/linerate/hostdrv/regmap"
	"github.com/linerate/linerate/tables"
)

// ErrHang is returned (wrapped) when the RTL does not drain the frames it was given.
var ErrHang = errors.New("RTL pipeline hung")

// Engine selects what runs: the RTL, the model, or both (compared).
type Engine string

const (
	Both  Engine = "both"
	RTL   Engine = "rtl"
	Model Engine = "model"
)

// ParseEngine checks an --engine value.
func ParseEngine(s string) (Engine, error) {
	switch Engine(s) {
	case Both, RTL, Model:
		return Engine(s), nil
	}
	return "", fmt.Errorf("unknown engine %q (want both, rtl or model)", s)
}

// Input is one frame entering the router: on port Port with its FCS (Wire), or from the CPU
// (Port -1, Wire = inject header + frame).
type Input struct {
	Port  int
	Wire  []byte
	TS    time.Time
	Label string // what the frame was made to exercise, if known
}

// Options configure a run.
type Options struct {
	Engine        Engine
	Seed          uint64 // stall pattern seed
	InStallPct    int    // % clocks an RTL input pauses before a beat
	OutStallPct   int    // % clocks an RTL output holds tready low
	WavePath      string // FST waveform of the RTL run
	Batch         int    // frames handed to the RTL per call (default 1024)
	MaxFrameBytes int    // golden model's MAX_FRAME_BYTES (default: the RTL build's, else 9600)
}

// Output is one frame that left the router.
type Output struct {
	Input  int    // index of the input that caused it (-1 when unknown: an unexpected RTL frame)
	Port   int    // egress port, or CPU
	InPort int    // ingress port (-1 for injected frames)
	Data   []byte // port: frame with FCS; CPU: punt header + frame
}

// CPU is the Port value of frames sent to the CPU queue.
const CPU = -1

// Result is what a run produced.
type Result struct {
	Engine   Engine
	Ports    int
	Inputs   []Input
	Model    []model.Result // per input, when the model ran
	Outputs  []Output       // the reference outputs: the RTL's when it ran, else the model's
	Counters *model.Counters
	// ModelCounters and RTLCounters are both set when both engines ran.
	ModelCounters, RTLCounters *model.Counters
	Mismatches                 []Mismatch
	MismatchCount              int
	Cycles                     uint64 // RTL clocks spent on the traffic (after reset and table load)
	RxStalls                   uint64 // RTL clocks an input was held off (backpressure)
	ProtocolErrors             uint64
	ModelTime, RTLTime         time.Duration
}

// Agree reports whether RTL and model agreed (always true for single-engine runs).
func (r *Result) Agree() bool { return r.MismatchCount == 0 }

// Run sends the inputs through the selected engines, loaded with the image, and compares.
func Run(im *tables.Image, in []Input, opt Options) (*Result, error) {
	if opt.Engine == "" {
		opt.Engine = Both
	}
	if opt.Batch <= 0 {
		opt.Batch = 1024
	}
	res := &Result{Engine: opt.Engine, Ports: im.Sizes.Ports, Inputs: in}
	runModel := opt.Engine != RTL
	runRTL := opt.Engine != Model

	var sim *vsim.Sim
	if runRTL {
		info := vsim.BuildInfo()
		if !vsim.Available {
			return nil, vsim.ErrNotBuilt
		}
		if err := checkSizes(im.Sizes, info); err != nil {
			return nil, err
		}
		if opt.MaxFrameBytes == 0 {
			opt.MaxFrameBytes = info.MaxFrameBytes
		}
		s, err := vsim.New(vsim.Options{Seed: opt.Seed, InStallPct: opt.InStallPct, OutStallPct: opt.OutStallPct, WavePath: opt.WavePath})
		if err != nil {
			return nil, err
		}
		defer s.Close()
		sim = s
	}
	if opt.MaxFrameBytes == 0 {
		opt.MaxFrameBytes = 9600
	}

	// The model is pure: run it on the other core while the RTL simulates.
	type modelOut struct {
		res []model.Result
		c   model.Counters
		d   time.Duration
	}
	modelDone := make(chan modelOut, 1)
	if runModel {
		go func() {
			t0 := time.Now()
			m := model.New(im, model.Options{MaxFrameBytes: opt.MaxFrameBytes})
			rs := make([]model.Result, len(in))
			for i, f := range in {
				if f.Port < 0 {
					rs[i] = m.Inject(f.Wire)
				} else {
					rs[i] = m.Receive(f.Port, f.Wire)
				}
			}
			modelDone <- modelOut{rs, m.Counters(), time.Since(t0)}
		}()
	}

	var rtlOut []Output
	if runRTL {
		t0 := time.Now()
		LoadImage(sim, im)
		loadCycles := sim.Cycles()
		out, err := runSim(sim, im, in, opt.Batch, max(opt.InStallPct, opt.OutStallPct))
		if err != nil {
			if runModel {
				<-modelDone
			}
			return nil, err
		}
		rtlOut = out
		c, err := ReadCounters(sim, im.Sizes.Ports)
		if err != nil {
			return nil, err
		}
		res.RTLCounters = c
		res.Counters = c
		res.Outputs = rtlOut
		res.Cycles = sim.Cycles() - loadCycles
		res.RxStalls = sim.RxStalls()
		res.ProtocolErrors = sim.ProtocolErrors()
		res.RTLTime = time.Since(t0)
	}
	if runModel {
		mo := <-modelDone
		res.Model = mo.res
		res.ModelCounters = &mo.c
		res.ModelTime = mo.d
		if !runRTL {
			res.Counters = &mo.c
			res.Outputs = modelOutputs(mo.res)
		}
	}
	if runRTL && runModel {
		compare(res)
	}
	return res, nil
}

func checkSizes(s tables.Sizes, info vsim.Info) error {
	if s.Ports != info.Ports || s.LPM != info.LPM || s.Adj != info.Adj || s.RAddr != info.RAddr {
		return fmt.Errorf("table image sizes %+v do not match the simulated core (ports %d, lpm %d, adj %d, raddr %d)",
			s, info.Ports, info.LPM, info.Adj, info.RAddr)
	}
	return nil
}

// LoadImage writes every table of the image into the simulated core.
func LoadImage(sim *vsim.Sim, im *tables.Image) {
	ops := regmap.ImageWrites(im)
	bus := make([]vsim.BusOp, len(ops))
	for i, op := range ops {
		bus[i] = vsim.BusOp{Kind: vsim.BusWrite, Addr: op.Addr, Data: op.Data}
	}
	sim.Bus(bus)
}

// runSim pushes the inputs batch by batch and collects what comes out. A batch that does not
// drain within a generous bound (8 clocks a beat, stretched by the stall percentage) is
// reported as a hang instead of waiting forever.
func runSim(sim *vsim.Sim, im *tables.Image, in []Input, batch, stallPct int) ([]Output, error) {
	nports := im.Sizes.Ports
	bytesPerBeat := max(sim.Info().DataWidth/8, 1)
	var out []Output
	for start := 0; start < len(in); start += batch {
		end := min(start+batch, len(in))
		frames := make([]vsim.Frame, 0, end-start)
		beats := 0
		for _, f := range in[start:end] {
			frames = append(frames, vsim.Frame{Port: f.Port, Data: f.Wire})
			beats += len(f.Wire)/bytesPerBeat + 4
		}
		sim.Push(frames)
		limit := uint64(beats)*8*100/uint64(100-min(stallPct, 99)) + 20000
		cycles, timedOut := sim.Run(limit)
		for _, o := range sim.Take() {
			oo := Output{Input: -1, Port: o.Port, InPort: o.TUser, Data: o.Data}
			if o.Port == nports {
				oo.Port = CPU
				oo.InPort = -1
				if len(o.Data) > 6 {
					oo.InPort = int(o.Data[6])
				}
			} else if o.TUser == 255 {
				oo.InPort = -1
			}
			out = append(out, oo)
		}
		if timedOut {
			return out, fmt.Errorf("%w: not idle within %d clocks after frames %d..%d were queued (rerun with --wave to see it)", ErrHang, cycles, start, end-1)
		}
	}
	return out, nil
}

func modelOutputs(rs []model.Result) []Output {
	var out []Output
	for i, r := range rs {
		if r.Out == nil {
			continue
		}
		o := Output{Input: i, InPort: r.InPort, Data: r.Out, Port: r.OutPort}
		if r.ToCPU {
			o.Port = CPU
		}
		out = append(out, o)
	}
	return out
}

// ReadCounters reads every counter of the simulated core.
func ReadCounters(sim *vsim.Sim, nports int) (*model.Counters, error) {
	n := regmap.NumCounters(nports)
	ops := make([]vsim.BusOp, n)
	for i := range ops {
		ops[i] = vsim.BusOp{Kind: vsim.BusRead, Addr: regmap.CounterAddr(i)}
	}
	sim.Bus(ops)
	v := func(i int) uint32 { return ops[i].Data }
	c := &model.Counters{
		RxFrames: make([]uint32, nports), RxBytes: make([]uint32, nports),
		TxFrames: make([]uint32, nports), TxBytes: make([]uint32, nports),
	}
	for p := 0; p < nports; p++ {
		c.RxFrames[p] = v(regmap.PortCounter(p, 0))
		c.RxBytes[p] = v(regmap.PortCounter(p, 1))
		c.TxFrames[p] = v(regmap.PortCounter(p, 2))
		c.TxBytes[p] = v(regmap.PortCounter(p, 3))
	}
	for r := range c.Reason {
		c.Reason[r] = v(regmap.ReasonCounter(nports, r))
	}
	c.CPUFrames = v(regmap.CPUCounter(nports, 0))
	c.CPUBytes = v(regmap.CPUCounter(nports, 1))
	c.InjectFrames = v(regmap.CPUCounter(nports, 2))
	c.InjectDropped = v(regmap.CPUCounter(nports, 3))
	return c, nil
}
