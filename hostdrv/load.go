package hostdrv

import (
	"context"
	"errors"
	"fmt"
	"slices"
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

// stage returns the progress callback of one stage, or nil.
func (opt LoadOptions) stage(name string) func(done, total int) {
	if opt.Progress == nil {
		return nil
	}
	return func(done, total int) { opt.Progress(name, done, total) }
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
	stage := opt.stage
	t0 := time.Now()
	cur, err := d.ReadImage(ctx, stage("read"))
	if err != nil {
		return err
	}
	res.Read += time.Since(t0)
	return d.apply(ctx, cur, want, opt, res)
}

// UpdateTables is LoadTables without the read: the caller knows what the device holds (cur,
// the Result of its last load or update: a daemon that owns the device). It plans, writes and
// verifies the written entries. After a device reset (ErrDeviceReset) the caller must load
// again, since the device no longer holds cur.
func (d *Device) UpdateTables(ctx context.Context, cur, want *tables.Image, opt LoadOptions) (*LoadResult, error) {
	if want.Sizes != d.Info().Sizes() || cur.Sizes != want.Sizes {
		return nil, fmt.Errorf("update: the images are for tables of %+v and %+v, the device has %+v", cur.Sizes, want.Sizes, d.Info().Sizes())
	}
	res := &LoadResult{}
	return res, d.apply(ctx, cur, want, opt, res)
}

// apply plans the writes from cur to want, writes them and reads them back.
func (d *Device) apply(ctx context.Context, cur, want *tables.Image, opt LoadOptions, res *LoadResult) error {
	stage := opt.stage
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

// entry maps one planned write to its table's registers and field values.
func entry(w tables.Write) (*regmap.Table, []uint32) {
	switch w.Table {
	case tables.TablePort:
		return &regmap.TablePort, regmap.PortFields(*w.Port)
	case tables.TableRAddr:
		return &regmap.TableRAddr, regmap.RAddrFields(*w.RAddr)
	case tables.TableLPM:
		return &regmap.TableLPM, regmap.LPMFields(*w.LPM)
	default:
		return &regmap.TableAdj, regmap.AdjFields(*w.Adj)
	}
}

// Touched lists the entries a plan writes, each once.
func Touched(p *tables.UpdatePlan) []EntryRef {
	seen := map[EntryRef]bool{}
	var out []EntryRef
	for _, w := range p.Writes {
		t, _ := entry(w)
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
		t, fields := entry(w)
		ops = t.EntryWrites(ops, w.Index, fields)
	}
	return ops
}

// ImageDiff lists the entries whose hardware fields differ between two images of the same
// sizes (layout included; annotations ignored).
func ImageDiff(a, b *tables.Image) []string {
	var out []string
	for _, t := range AllTables {
		n := min(regmap.TableLen(t, a.Sizes), regmap.TableLen(t, b.Sizes))
		for i := 0; i < n; i++ {
			x, y := regmap.EntryFields(a, t, i), regmap.EntryFields(b, t, i)
			if !slices.Equal(x, y) {
				out = append(out, fmt.Sprintf("%s[%d]: %x, want %x", t.Name, i, x, y))
			}
		}
	}
	return out
}
