package hostdrv

import (
	"context"
	"fmt"

	"github.com/linerate/linerate/hostdrv/link"
	"github.com/linerate/linerate/hostdrv/punt"
	"github.com/linerate/linerate/hostdrv/regmap"
)

// Inject sends a frame (without FCS) out of port through the core's inject path; the data
// plane appends the FCS.
func (d *Device) Inject(ctx context.Context, port int, frame []byte) error {
	return d.inject(ctx, punt.InjectHeader{Version: punt.Version, Port: uint8(port)}, frame)
}

// InjectPipeline makes a frame enter the pipeline as if it had arrived on port. The frame must
// end with its FCS (model.AppendFCS), as on the wire.
func (d *Device) InjectPipeline(ctx context.Context, port int, frame []byte) error {
	if port < 0 || port >= d.Info().Ports {
		return fmt.Errorf("inject: port %d: the device has %d ports", port, d.Info().Ports)
	}
	return d.inject(ctx, punt.InjectHeader{Version: punt.Version, Port: uint8(port), Flags: punt.InjectToPipeline}, frame)
}

func (d *Device) inject(ctx context.Context, h punt.InjectHeader, frame []byte) error {
	if len(frame) == 0 {
		return fmt.Errorf("inject: empty frame")
	}
	p := append(h.Marshal(), frame...)
	if len(p)+link.Overhead > d.Info().RxBufBytes {
		return fmt.Errorf("inject: %d-byte frame exceeds the device's %d-byte receive buffer", len(frame), d.Info().RxBufBytes)
	}
	_, err := d.request(ctx, link.TypeInject, p)
	if err != nil {
		return fmt.Errorf("inject: %w", err)
	}
	return nil
}

// Counter is one named counter value.
type Counter struct {
	Name  string `json:"name"`
	Value uint32 `json:"value"`
}

// CounterNames names the core's counters of a build with nports ports, in address order.
func CounterNames(nports int) []string {
	var names []string
	for p := 0; p < nports; p++ {
		for _, k := range regmap.PortCounterNames {
			names = append(names, fmt.Sprintf("port%d.%s", p, k))
		}
	}
	for r := 0; r < regmap.ReasonSlots; r++ {
		name := punt.Reason(r).String()
		names = append(names, "reason."+name)
	}
	for _, k := range regmap.CPUCounterNames {
		names = append(names, "cpu."+k)
	}
	return names
}

// Counters reads every counter of the core and of the link.
func (d *Device) Counters(ctx context.Context) ([]Counter, error) {
	h := d.Info()
	n := regmap.NumCounters(h.Ports)
	b := d.NewBatch()
	b.Read(regmap.CounterAddr(0), n)
	b.Read(regmap.LinkRegBase, len(regmap.LinkRegNames))
	words, err := d.Do(ctx, b)
	if err != nil {
		return nil, fmt.Errorf("counters: %w", err)
	}
	var out []Counter
	for i, name := range CounterNames(h.Ports) {
		out = append(out, Counter{Name: name, Value: words[i]})
	}
	for i, name := range regmap.LinkRegNames {
		out = append(out, Counter{Name: "link." + name, Value: words[n+i]})
	}
	return out, nil
}

// ClearCounters zeroes the core's counters (the link's own counters keep running).
func (d *Device) ClearCounters(ctx context.Context) error {
	return d.WriteRegs(ctx, regmap.RegCtrl, regmap.CtrlCountersClear)
}
