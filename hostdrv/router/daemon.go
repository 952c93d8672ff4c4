package router

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"sync"
	"time"

	"github.com/linerate/linerate/hostdrv"
	"github.com/linerate/linerate/hostdrv/punt"
	"github.com/linerate/linerate/tables"
)

// Punt classes: each has its own rate limit and queue, so a flood of one kind (a TTL-1 scan, a
// to_me flood) is dropped on its own and never delays ARP or the other classes.
const (
	ClassARP     = "arp"     // arp
	ClassLocal   = "local"   // to_me
	ClassTransit = "transit" // glean, mtu_exceeded, ip_options: packets the router forwards
	ClassError   = "error"   // ttl_expired, no_route: ICMP errors
	ClassOther   = "other"   // what the slow path drops (multicast, ipv6, non_ip, vlan)
)

// classes in service order: ARP first (resolution and hosts finding the router), then the rest.
var classes = []string{ClassARP, ClassLocal, ClassTransit, ClassError, ClassOther}

func classOf(r punt.Reason) string {
	switch r {
	case punt.ARP:
		return ClassARP
	case punt.ToMe:
		return ClassLocal
	case punt.Glean, punt.MTUExceeded, punt.IPOptions:
		return ClassTransit
	case punt.TTLExpired, punt.NoRoute:
		return ClassError
	}
	return ClassOther
}

// DaemonOptions tune a Router.
type DaemonOptions struct {
	Stack Options
	// PuntRate is each class's sustained rate in punts per second (default 1000), PuntBurst its
	// bucket (default 200), PuntQueue the punts a class holds before the newest are dropped
	// (default 256).
	PuntRate  float64
	PuntBurst int
	PuntQueue int
	// Log hears one line per event (table loads, neighbours learned and forgotten, errors).
	Log io.Writer
	// Load tunes the table loads.
	Load hostdrv.LoadOptions
	// Source, when set, supplies the routes and neighbours (the kernel route source, `linerate
	// router --kernel NS`): each RouteSet replaces the configuration file's routes and adds its
	// neighbours to the file's; ports and addresses stay the file's.
	Source <-chan RouteSet
}

// RouteSet is the state of an outside route source.
type RouteSet struct {
	Routes    []tables.Route
	Neighbors []tables.Neighbor
}

// DaemonStats count what the daemon did beyond the stack.
type DaemonStats struct {
	Punts        map[string]uint64 // taken, by class
	PuntsDropped map[string]uint64 // dropped by the rate limit or a full queue, by class
	Injected     uint64
	InjectErrors uint64
	TableUpdates uint64 // incremental table writes
	TableWrites  uint64 // entry writes in them
	Reloads      uint64 // full loads (the first, and after device resets)
}

// Router is the control-plane daemon: a Stack serving a device.
type Router struct {
	dev   *hostdrv.Device
	cfg   *tables.Config
	opt   DaemonOptions
	stack *Stack

	mu     sync.Mutex // guards stats and the stack's counters for Stats
	stats  DaemonStats
	queues map[string]chan hostdrv.Punt
	cur    *tables.Image
	gen    uint64
	ready  chan struct{}
}

// NewRouter returns the daemon for dev configured by cfg; Run starts it.
func NewRouter(dev *hostdrv.Device, cfg *tables.Config, opt DaemonOptions) *Router {
	if opt.PuntRate <= 0 {
		opt.PuntRate = 1000
	}
	if opt.PuntBurst <= 0 {
		opt.PuntBurst = 200
	}
	if opt.PuntQueue <= 0 {
		opt.PuntQueue = 256
	}
	if opt.Log == nil {
		opt.Log = io.Discard
	}
	r := &Router{dev: dev, cfg: cfg, opt: opt, stack: New(cfg, opt.Stack), queues: map[string]chan hostdrv.Punt{},
		stats: DaemonStats{Punts: map[string]uint64{}, PuntsDropped: map[string]uint64{}}, ready: make(chan struct{})}
	for _, c := range classes {
		r.queues[c] = make(chan hostdrv.Punt, opt.PuntQueue)
	}
	return r
}

// Ready is closed once the tables are loaded and punts are being answered.
func (r *Router) Ready() <-chan struct{} { return r.ready }

// Stats returns the daemon's and the stack's counters.
func (r *Router) Stats() (DaemonStats, Stats) {
	r.mu.Lock()
	defer r.mu.Unlock()
	d := r.stats
	d.Punts, d.PuntsDropped = cloneMap(r.stats.Punts), cloneMap(r.stats.PuntsDropped)
	return d, r.stack.Stats()
}

// Neighbors returns the stack's learned and pending neighbours.
func (r *Router) Neighbors() []NeighborState {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.stack.Neighbors()
}

func (r *Router) logf(format string, args ...any) {
	fmt.Fprintf(r.opt.Log, time.Now().Format("15:04:05.000 ")+format+"\n", args...)
}

// Run loads the tables (the configuration: ports, addresses, routes and static neighbours,
// before any port forwards with an empty table), then answers punts until ctx ends. It returns
// nil when ctx ends, or the error that stopped it (the first load failing).
func (r *Router) Run(ctx context.Context) error {
	if err := r.load(ctx); err != nil {
		return err
	}
	intake, stopIntake := context.WithCancel(ctx)
	defer stopIntake()
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); r.intake(intake) }()
	defer wg.Wait()
	close(r.ready)

	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for {
		r.mu.Lock()
		next, pending := r.stack.NextTick()
		r.mu.Unlock()
		wait := time.Hour
		if pending {
			wait = max(time.Until(next), 0)
		}
		timer.Reset(wait) // (Go >= 1.23 timers: no stale tick survives a Reset)
		p, ok, fired, rs, haveRS := r.take(ctx, timer.C)
		if ctx.Err() != nil {
			return nil
		}
		if haveRS {
			r.setRoutes(rs)
		}
		now := time.Now()
		var outs []Output
		r.mu.Lock()
		switch {
		case ok:
			outs = r.stack.Handle(now, p.Header, p.Frame)
		case fired:
			outs = r.stack.Tick(now)
		}
		r.mu.Unlock()
		r.send(ctx, outs)
		if err := r.sync(ctx); err != nil && ctx.Err() == nil {
			r.logf("tables: %v", err)
		}
	}
}

// take waits for the next punt, in class order, the timer or a route source update.
func (r *Router) take(ctx context.Context, timer <-chan time.Time) (p hostdrv.Punt, ok, fired bool, rs RouteSet, haveRS bool) {
	for _, c := range classes { // the first class with a punt waiting
		select {
		case p = <-r.queues[c]:
			return p, true, false, rs, false
		default:
		}
	}
	select {
	case <-ctx.Done():
	case <-timer:
		fired = true
	case rs, haveRS = <-r.opt.Source:
		if !haveRS {
			r.opt.Source = nil // closed: the source is done
		}
	case p = <-r.queues[ClassARP]:
		ok = true
	case p = <-r.queues[ClassLocal]:
		ok = true
	case p = <-r.queues[ClassTransit]:
		ok = true
	case p = <-r.queues[ClassError]:
		ok = true
	case p = <-r.queues[ClassOther]:
		ok = true
	}
	return p, ok, fired, rs, haveRS
}

// setRoutes applies a route source's state: the file's configuration with the source's routes
// and neighbours, checked by compiling it before the stack takes it.
func (r *Router) setRoutes(rs RouteSet) {
	c := *r.cfg
	c.Routes = rs.Routes
	c.Neighbors = slices.Clone(r.cfg.Neighbors)
	for _, n := range rs.Neighbors {
		if !slices.ContainsFunc(c.Neighbors, func(m tables.Neighbor) bool { return m.IP == n.IP }) {
			c.Neighbors = append(c.Neighbors, n)
		}
	}
	if _, err := tables.Compile(&c, r.dev.Info().Sizes()); err != nil {
		r.logf("route source: not applied: %v", err)
		return
	}
	r.mu.Lock()
	r.stack.SetConfig(&c)
	r.mu.Unlock()
	r.logf("route source: %d routes, %d neighbours", len(rs.Routes), len(rs.Neighbors))
}

// intake moves punts from the device into the class queues through the rate limits; what
// exceeds a class's rate or queue is dropped and counted.
func (r *Router) intake(ctx context.Context) {
	buckets := map[string]*bucket{}
	for {
		select {
		case <-ctx.Done():
			return
		case p := <-r.dev.Punts():
			c := classOf(p.Header.Reason)
			b := buckets[c]
			now := time.Now()
			if b == nil {
				b = newBucket(float64(r.opt.PuntBurst), now)
				buckets[c] = b
			}
			taken := false
			if b.ready(now, r.opt.PuntRate, float64(r.opt.PuntBurst)) {
				select {
				case r.queues[c] <- p:
					b.spend()
					taken = true
				default:
				}
			}
			r.mu.Lock()
			if taken {
				r.stats.Punts[c]++
			} else {
				r.stats.PuntsDropped[c]++
			}
			r.mu.Unlock()
		}
	}
}

// send injects the stack's frames.
func (r *Router) send(ctx context.Context, outs []Output) {
	for _, o := range outs {
		err := r.dev.Inject(ctx, o.Port, o.Frame)
		r.mu.Lock()
		if err != nil {
			r.stats.InjectErrors++
		} else {
			r.stats.Injected++
		}
		r.mu.Unlock()
		if err != nil && ctx.Err() == nil {
			r.logf("inject %s out of port%d: %v", o.What, o.Port, err)
		}
	}
}

// load compiles what the stack wants and loads it whole (reading the device first).
func (r *Router) load(ctx context.Context) error {
	r.mu.Lock()
	cfg, gen := r.stack.Config(), r.stack.Generation()
	r.mu.Unlock()
	want, err := tables.Compile(cfg, r.dev.Info().Sizes())
	if err != nil {
		return fmt.Errorf("router: %w", err)
	}
	t0 := time.Now()
	res, err := r.dev.LoadTables(ctx, want, r.opt.Load)
	if err != nil {
		return fmt.Errorf("router: load tables: %w", err)
	}
	r.cur, r.gen = res.Plan.Result, gen
	r.mu.Lock()
	r.stats.Reloads++
	r.mu.Unlock()
	r.logf("tables loaded: %d entry writes in %v", res.Writes, time.Since(t0).Round(time.Millisecond))
	return nil
}

// sync writes the tables when the stack's neighbours changed since the last write.
func (r *Router) sync(ctx context.Context) error {
	r.mu.Lock()
	gen := r.stack.Generation()
	if gen == r.gen {
		r.mu.Unlock()
		return nil
	}
	cfg := r.stack.Config()
	neigh := r.stack.Neighbors()
	r.mu.Unlock()
	want, err := tables.Compile(cfg, r.dev.Info().Sizes())
	if err != nil {
		r.gen = gen // retried when the neighbours change again
		return err
	}
	res, err := r.dev.UpdateTables(ctx, r.cur, want, r.opt.Load)
	if errors.Is(err, hostdrv.ErrDeviceReset) {
		r.logf("device reset: loading the tables again")
		return r.load(ctx)
	}
	if err != nil {
		return err
	}
	r.cur, r.gen = res.Plan.Result, gen
	r.mu.Lock()
	r.stats.TableUpdates++
	r.stats.TableWrites += uint64(res.Writes)
	r.mu.Unlock()
	var b []string
	for _, n := range neigh {
		if n.State == "reachable" || n.State == "probe" {
			b = append(b, fmt.Sprintf("%s %s port%d", n.IP, n.MAC, n.Port))
		}
	}
	r.logf("neighbours in the data plane: %d learned %v (%d entry writes)", len(b), b, res.Writes)
	return nil
}
