package cosim

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"time"

	"github.com/linerate/linerate/cosim/model"
	"github.com/linerate/linerate/cosim/pcapio"
	"github.com/linerate/linerate/hostdrv/punt"
)

var portFile = regexp.MustCompile(`^port([0-9]+)\.pcap(ng)?$`)

// ErrInput marks errors in the input files (exit status 2 in the CLI).
var ErrInput = errors.New("bad input")

// ReadInputs reads DIR/portN.pcap (or .pcapng) for the router's ports: frames as tcpdump
// captures them (Ethernet, no FCS), merged by timestamp (ties keep port, then file order). The
// FCS is appended here, as a MAC would receive it.
func ReadInputs(dir string, ports int) ([]Input, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInput, err)
	}
	var in []Input
	found := 0
	for _, e := range ents {
		m := portFile.FindStringSubmatch(e.Name())
		if m == nil {
			continue
		}
		p, _ := strconv.Atoi(m[1])
		if p >= ports {
			return nil, fmt.Errorf("%w: %s: the router has ports 0..%d", ErrInput, filepath.Join(dir, e.Name()), ports-1)
		}
		pkts, err := pcapio.ReadPcap(filepath.Join(dir, e.Name()))
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrInput, err)
		}
		found++
		for _, pk := range pkts {
			in = append(in, Input{Port: p, Wire: model.AppendFCS(append([]byte(nil), pk.Data...)), TS: pk.TS})
		}
	}
	if found == 0 {
		return nil, fmt.Errorf("%w: no portN.pcap files in %s", ErrInput, dir)
	}
	sort.SliceStable(in, func(i, j int) bool {
		if !in[i].TS.Equal(in[j].TS) {
			return in[i].TS.Before(in[j].TS)
		}
		return in[i].Port < in[j].Port
	})
	return in, nil
}

// WriteInputs writes inputs as DIR/portN.pcap (FCS stripped), the form ReadInputs reads: used
// to save the frames of a failing run so that `linerate cosim` can replay them.
func WriteInputs(dir string, in []Input, ports int) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	per := make([][]pcapio.Packet, ports)
	base := time.Unix(1700000000, 0)
	for i, f := range in {
		if f.Port < 0 || f.Port >= ports {
			continue
		}
		ts := f.TS
		if ts.IsZero() {
			ts = base.Add(time.Duration(i) * time.Microsecond)
		}
		d := f.Wire
		if len(d) >= 4 {
			d = d[:len(d)-4]
		}
		per[f.Port] = append(per[f.Port], pcapio.Packet{TS: ts, Data: d})
	}
	for p, pk := range per {
		if len(pk) == 0 {
			continue
		}
		if err := pcapio.WritePcap(filepath.Join(dir, fmt.Sprintf("port%d.pcap", p)), pk); err != nil {
			return err
		}
	}
	return nil
}

// WriteOutputs writes OUT/portN.pcap (frames sent out of port N, FCS checked and stripped),
// OUT/cpu.pcapng (punted frames with `reason=... in_port=...` packet comments) and
// OUT/report.json.
func WriteOutputs(dir string, r *Result, extra map[string]any) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	per := make([][]pcapio.Packet, r.Ports)
	var cpu []pcapio.Packet
	fcsErrors := 0
	for _, o := range r.Outputs {
		ts := time.Unix(0, 0)
		if o.Input >= 0 && o.Input < len(r.Inputs) && !r.Inputs[o.Input].TS.IsZero() {
			ts = r.Inputs[o.Input].TS
		}
		if o.Port == CPU {
			h, err := punt.Parse(o.Data)
			if err != nil {
				continue
			}
			cpu = append(cpu, pcapio.Packet{TS: ts, Data: o.Data[punt.HeaderLen:], Comment: PuntComment(h)})
			continue
		}
		if o.Port < 0 || o.Port >= r.Ports || len(o.Data) < 4 {
			continue
		}
		frame := o.Data[:len(o.Data)-4]
		if model.FCS(frame) != binary.LittleEndian.Uint32(o.Data[len(o.Data)-4:]) {
			fcsErrors++
		}
		per[o.Port] = append(per[o.Port], pcapio.Packet{TS: ts, Data: frame})
	}
	for p := range per {
		if err := pcapio.WritePcap(filepath.Join(dir, fmt.Sprintf("port%d.pcap", p)), per[p]); err != nil {
			return err
		}
	}
	if err := pcapio.WritePcapng(filepath.Join(dir, "cpu.pcapng"), cpu); err != nil {
		return err
	}
	rep := NewReport(r)
	rep.OutputFCSErrors = fcsErrors
	rep.Extra = extra
	b, err := json.MarshalIndent(rep, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "report.json"), append(b, '\n'), 0o644)
}

// PuntComment is the pcapng packet comment of a punted frame.
func PuntComment(h punt.Header) string {
	s := fmt.Sprintf("reason=%s in_port=%d seq=%d", h.Reason, h.InPort, h.Seq)
	if h.LPMHit {
		s += fmt.Sprintf(" lpm=%d adj=%d egress=%d", h.LPMIndex, h.AdjIndex, h.Egress)
	}
	return s
}

// Report is report.json.
type Report struct {
	Engine          Engine            `json:"engine"`
	FramesIn        int               `json:"frames_in"`
	FramesOut       map[string]int    `json:"frames_out"`
	Agree           bool              `json:"agree"`
	MismatchCount   int               `json:"mismatch_count"`
	Mismatches      []Mismatch        `json:"mismatches,omitempty"`
	Ports           []PortCounters    `json:"ports"`
	Reasons         map[string]uint32 `json:"reasons"`
	CPU             map[string]uint32 `json:"cpu"`
	RTLCycles       uint64            `json:"rtl_cycles,omitempty"`
	RTLRxStalls     uint64            `json:"rtl_rx_stall_cycles,omitempty"`
	OutputFCSErrors int               `json:"output_fcs_errors"`
	Extra           map[string]any    `json:"extra,omitempty"`
}

// PortCounters are one port's counters in report.json.
type PortCounters struct {
	Port     int    `json:"port"`
	RxFrames uint32 `json:"rx_frames"`
	RxBytes  uint32 `json:"rx_bytes"`
	TxFrames uint32 `json:"tx_frames"`
	TxBytes  uint32 `json:"tx_bytes"`
}

// NewReport summarises a result.
func NewReport(r *Result) *Report {
	rep := &Report{Engine: r.Engine, FramesIn: len(r.Inputs), Agree: r.Agree(), MismatchCount: r.MismatchCount,
		Mismatches: r.Mismatches, FramesOut: map[string]int{}, Reasons: map[string]uint32{}, CPU: map[string]uint32{},
		RTLCycles: r.Cycles, RTLRxStalls: r.RxStalls}
	for _, o := range r.Outputs {
		if o.Port == CPU {
			rep.FramesOut["cpu"]++
		} else {
			rep.FramesOut[fmt.Sprintf("port%d", o.Port)]++
		}
	}
	if c := r.Counters; c != nil {
		for p := range c.RxFrames {
			rep.Ports = append(rep.Ports, PortCounters{p, c.RxFrames[p], c.RxBytes[p], c.TxFrames[p], c.TxBytes[p]})
		}
		for _, rs := range punt.Reasons() {
			rep.Reasons[rs.String()] = c.Reason[rs]
		}
		rep.CPU["cpu_frames"] = c.CPUFrames
		rep.CPU["cpu_bytes"] = c.CPUBytes
		rep.CPU["inject_frames"] = c.InjectFrames
		rep.CPU["inject_dropped"] = c.InjectDropped
	}
	return rep
}
