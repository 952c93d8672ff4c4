package hostdrv

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/linerate/linerate/hostdrv/regmap"
	"github.com/linerate/linerate/tables"
)

// LoadOptions tune LoadTables.
type LoadOptions struct {
	// Progress, when set, hears each stage ("read", "write", "verify") and its requests.
	Progress func(stage string, done, total int)
	// Restarts bounds how often a load starts over after a device reset (default 3).
	Restarts int
	// NoVerify skips reading the written entries back.
	NoVerify bool
	// AllowBreak lets the planner delete before it adds when the tables are too full for
	// make-before-break.
	AllowBreak bool
}

// LoadResult tells what a load did.
type LoadResult struct {
	Plan     *tables.UpdatePlan
	Writes   int // entry writes
	Requests int // REG requests sent for the writes
	Restarts int // device resets survived
	Read     time.Duration
	Write    time.Duration
	Verify   time.Duration
}

// ErrVerify is returned when the tables read back differ from what was written.
var ErrVerify = errors.New("hostdrv: tables read back differ from what was written")

// LoadTables makes the device's tables forward like want: it reads what the device holds, plans
// the entry writes (tables.Plan: make-before-break, few TCAM moves), writes them and reads every
// written entry back (the rest was read just before). Every entry write is atomic in hardware and the plan keeps every intermediate
// state consistent, so an interrupted load leaves a working table and the next load completes
// it. A device reset during the load is detected and the load starts over from a fresh read.
func (d *Device) LoadTables(ctx context.Context, want *tables.Image, opt LoadOptions) (*LoadResult, error) {
	if opt.Restarts == 0 {
		opt.Restarts = 3
	}
	if want.Sizes != d.Info().Sizes() {
		return nil, fmt.Errorf("load: the image is for tables of %+v, the device has %+v", want.Sizes, d.Info().Sizes())
	}
	res := &LoadResult{}
	for {
		err := d.loadOnce(ctx, want, opt, res)
		if !errors.Is(err, ErrDeviceReset) {
			return res, err
		}
		if res.Restarts >= opt.Restarts {
			return res, fmt.Errorf("load: device reset %d times: %w", res.Restarts+1, err)
		}
		res.Restarts++
		if _, err := d.Hello(ctx); err != nil {
			return res, fmt.Errorf("load: hello after a device reset: %w", err)
		}
	}
}

func (d *Device) loadOnce(ctx context.Context, want *tables.Image, opt LoadOptions, res *LoadResult) error {
	stage := func(name string) func(done, total int) {
		if opt.Progress == nil {
			return nil
		}
		return func(done, total int) { opt.Progress(name, done, total) }
	}
	t0 := time.Now()
	cur, err := d.ReadImage(ctx, stage("read"))
	if err != nil {
		return err
	}
	res.Read += time.Since(t0)
	plan, err := tables.Plan(cur, want, tables.PlanOptions{AllowBreak: opt.AllowBreak})
	if err != nil {
		return fmt.Errorf("load: %w", err)
	}
	res.Plan = plan
	b := d.NewBatch()
	b.Ops(PlanOps(plan))
	res.Writes = len(plan.Writes)
	t1 := time.Now()
	_, err = d.DoProgress(ctx, b, stage("write"))
	res.Requests += b.Sent
	if err != nil {
		return fmt.Errorf("load: %w", err)
	}
	res.Write += time.Since(t1)
	if opt.NoVerify {
		return nil
	}
	t2 := time.Now()
	back := plan.Result.Clone()
	if err := d.ReadEntries(ctx, back, Touched(plan), stage("verify")); err != nil {
		return fmt.Errorf("load: verify: %w", err)
	}
	res.Verify += time.Since(t2)
	if diff := ImageDiff(back, plan.Result); len(diff) > 0 {
		return fmt.Errorf("%w: %d entries, first: %s", ErrVerify, len(diff), diff[0])
	}
	return nil
}

// Touched lists the entries a plan writes, each once.
func Touched(p *tables.UpdatePlan) []EntryRef {
	seen := map[EntryRef]bool{}
	var out []EntryRef
	for _, w := range p.Writes {
		var t *regmap.Table
		switch w.Table {
		case tables.TablePort:
			t = &regmap.TablePort
		case tables.TableRAddr:
			t = &regmap.TableRAddr
		case tables.TableLPM:
			t = &regmap.TableLPM
		case tables.TableAdj:
			t = &regmap.TableAdj
		}
		r := EntryRef{t, w.Index}
		if !seen[r] {
			seen[r] = true
			out = append(out, r)
		}
	}
	return out
}

// PlanOps turns a plan's entry writes into register writes, in order.
func PlanOps(p *tables.UpdatePlan) []regmap.Op {
	var ops []regmap.Op
	for _, w := range p.Writes {
		switch w.Table {
		case tables.TablePort:
			ops = regmap.TablePort.EntryWrites(ops, w.Index, regmap.PortFields(*w.Port))
		case tables.TableRAddr:
			ops = regmap.TableRAddr.EntryWrites(ops, w.Index, regmap.RAddrFields(*w.RAddr))
		case tables.TableLPM:
			ops = regmap.TableLPM.EntryWrites(ops, w.Index, regmap.LPMFields(*w.LPM))
		case tables.TableAdj:
			ops = regmap.TableAdj.EntryWrites(ops, w.Index, regmap.AdjFields(*w.Adj))
		}
	}
	return ops
}

// ImageDiff lists the entries whose hardware fields differ between two images of the same
// sizes (layout included; annotations ignored).
func ImageDiff(a, b *tables.Image) []string {
	var out []string
	cmp := func(name string, n int, fa, fb func(i int) []uint32) {
		for i := 0; i < n; i++ {
			x, y := fa(i), fb(i)
			for k := range x {
				if x[k] != y[k] {
					out = append(out, fmt.Sprintf("%s[%d]: %x, want %x", name, i, x, y))
					break
				}
			}
		}
	}
	cmp("port", min(len(a.Ports), len(b.Ports)), func(i int) []uint32 { return regmap.PortFields(a.Ports[i]) },
		func(i int) []uint32 { return regmap.PortFields(b.Ports[i]) })
	cmp("raddr", min(len(a.RAddr), len(b.RAddr)), func(i int) []uint32 { return regmap.RAddrFields(a.RAddr[i]) },
		func(i int) []uint32 { return regmap.RAddrFields(b.RAddr[i]) })
	cmp("adj", min(len(a.Adj), len(b.Adj)), func(i int) []uint32 { return regmap.AdjFields(a.Adj[i]) },
		func(i int) []uint32 { return regmap.AdjFields(b.Adj[i]) })
	cmp("lpm", min(len(a.LPM), len(b.LPM)), func(i int) []uint32 { return regmap.LPMFields(a.LPM[i]) },
		func(i int) []uint32 { return regmap.LPMFields(b.LPM[i]) })
	return out
}
