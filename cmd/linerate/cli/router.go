package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/linerate/linerate/boards"
	"github.com/linerate/linerate/hostdrv/bridge"
	"github.com/linerate/linerate/hostdrv/kernelsrc"
	"github.com/linerate/linerate/hostdrv/router"
	"github.com/linerate/linerate/hostdrv/tap"
	"github.com/linerate/linerate/tables"
)

// RouterOptions are the options of `linerate router`.
type RouterOptions struct {
	DeviceOptions
	Config        string
	PuntRate      float64
	PuntBurst     int
	ReachableTime time.Duration
	NoICMPLimit   bool
	Quiet         bool
	Kernel        string
	Tap           []string
	Board         string
}

func newRouterCmd() *cobra.Command {
	o := &RouterOptions{}
	c := &cobra.Command{
		Use:   "router --dev DEV --config FILE",
		Short: "Run the control plane: load the tables, then answer what the data plane punts",
		Long: `router is the control-plane daemon. It loads the configuration's tables into the device
(before that, ports have no MTU and forward nothing), then runs the slow path until SIGINT/SIGTERM:

  arp           answers requests for router addresses, learns senders
  to_me         echo replies; port unreachable (UDP), resets (TCP), protocol unreachable
  ttl_expired   ICMP time exceeded          no_route   ICMP net unreachable
  glean         ARP for the next hop, holds the packets, forwards them and installs the
                neighbour in the data plane when it answers (host unreachable when not)
  mtu_exceeded  ICMP fragmentation needed (DF set), else fragments
  ip_options    forwards in software (Record Route filled in; source routes dropped)

Punts go through per-class rate limits (--punt-rate per second per class: arp, local,
transit, error, other), so a flood of one class is dropped at the host without delaying ARP
or the others; the data plane keeps forwarding transit traffic regardless. Learned neighbours
are probed after --reachable-time without a confirmation and removed when they stay silent.
Events are logged on stderr; the counters are printed when it stops.

--kernel NS mirrors a Linux namespace's routing: its routes (main table) on interfaces named
port0..portN-1 replace the file's routes, and its neighbours join the file's, as netlink
reports changes (ip route add/del, a routing daemon); ports and addresses stay the file's.

--tap portN=IFNAME bridges a port that travels over the host link (every port of a board
without Ethernet PHYs: icebreaker, hx8k; port 2 of the colorlight, whose ports 0 and 1 are its
RGMII jacks) to a Linux TAP interface: what the board sends out of the port goes to the
interface, what Linux sends on the interface enters the port's pipeline. A network namespace
holding the interface is then a host on that port of the real FPGA. --board NAME says which
board the device is, so that --tap refuses ports with a PHY of their own (linerate boards).`,
		Example: `  linerate sim --tap port0=lr0 --tap port1=lr1 &     # prints device: serial:/dev/pts/N
  linerate router --dev serial:/dev/pts/3 --config router.conf
  linerate router --dev serial:/dev/pts/3 --config router.conf --kernel rtr   # routes of netns rtr
  linerate router --dev usb:0403:6010 --config router.conf --tap port0=ice0 --tap port1=ice1
  linerate router --dev serial:/dev/ttyUSB0 --config cl.conf --board colorlight --tap port2=cl2`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return RunRouter(o, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	o.flags(c)
	c.Flags().Lookup("timeout").DefValue = "0"
	o.Timeout = 0
	f := c.Flags()
	f.StringVar(&o.Config, "config", "", "router configuration (iproute2 batch subset)")
	f.Float64Var(&o.PuntRate, "punt-rate", 1000, "punts per second taken from each class")
	f.IntVar(&o.PuntBurst, "punt-burst", 200, "burst of each class's rate limit")
	f.DurationVar(&o.ReachableTime, "reachable-time", 60*time.Second, "trust a learned neighbour this long without a confirmation")
	f.BoolVar(&o.NoICMPLimit, "no-icmp-limit", false, "no per-destination ICMP error rate limit (Linux's icmp_ratelimit)")
	f.BoolVar(&o.Quiet, "quiet", false, "no event log")
	f.StringArrayVar(&o.Tap, "tap", nil, "portN=IFNAME: bridge a link port to a TAP interface (created if missing; needs root)")
	f.StringVar(&o.Board, "board", "", "the board the device is (boards/NAME): --tap takes only its link ports")
	f.StringVar(&o.Kernel, "kernel", "", "mirror the routes and neighbours of this network namespace (its interfaces port0..N-1), event-driven through netlink; \"-\" is this process's namespace")
	return c
}

// RunRouter is `linerate router`.
func RunRouter(o *RouterOptions, w, errw io.Writer) error {
	if o.Config == "" {
		return inputErr(errors.New("--config is required"))
	}
	if _, err := os.Stat(o.Config); err != nil {
		return inputErr(err)
	}
	ctx, d, end, err := o.session()
	if err != nil {
		return err
	}
	defer end()
	cfg, err := tables.LoadConfig(o.Config, d.Info().Sizes())
	if err != nil {
		return inputErr(err)
	}
	log := errw
	if o.Quiet {
		log = io.Discard
	}
	var source chan router.RouteSet
	if o.Kernel != "" {
		if source, err = kernelSource(ctx, o.Kernel, d.Info().Ports, log); err != nil {
			return inputErr(err)
		}
	}
	var board *boards.Board
	if o.Board != "" {
		if board, err = boards.Get(o.Board); err != nil {
			return inputErr(fmt.Errorf("--board: %w", err))
		}
		if n := board.Tables().Ports; n != d.Info().Ports {
			return inputErr(fmt.Errorf("--board %s: the board has %d ports, the device %d: another board or build", o.Board, n, d.Info().Ports))
		}
	}
	if len(o.Tap) > 0 {
		ports := map[int]io.ReadWriter{}
		for _, spec := range o.Tap {
			p, ifname, err := portSpec("--tap", spec)
			if err != nil {
				return inputErr(err)
			}
			if p >= d.Info().Ports {
				return inputErr(fmt.Errorf("--tap %s: the device has ports 0..%d", spec, d.Info().Ports-1))
			}
			if board != nil && !slices.Contains(board.LinkPorts, p) {
				return inputErr(fmt.Errorf("--tap %s: port%d of %s has an Ethernet PHY of its own, only ports %v travel over the host link", spec, p, board.Name, board.LinkPorts))
			}
			f, err := tap.Open(ifname)
			if err != nil {
				return err
			}
			defer f.Close()
			ports[p] = f
		}
		bctx, stop := context.WithCancel(ctx)
		done := make(chan bridge.Stats, 1)
		go func() { done <- bridge.Run(bctx, d, ports, log) }()
		defer func() {
			stop()
			st := <-done
			fmt.Fprintf(w, "bridge: %d frames to the interfaces, %d from them (%d inject errors, %d for unbridged ports)\n",
				st.ToHost, st.FromHost, st.InjectErrs, st.NoPort)
		}()
	}
	r := router.NewRouter(d, cfg, router.DaemonOptions{
		Stack:    router.Options{ReachableTime: o.ReachableTime, NoICMPLimit: o.NoICMPLimit},
		PuntRate: o.PuntRate, PuntBurst: o.PuntBurst, Log: log, Source: source,
	})
	go func() {
		select {
		case <-r.Ready():
			fmt.Fprintf(w, "router: %s on %s, answering punts\n", cfg.Name, o.Dev)
		case <-ctx.Done():
		}
	}()
	if err := r.Run(ctx); err != nil {
		return err
	}
	printRouterStats(w, r)
	return nil
}

// kernelSource follows a namespace's routes and neighbours (kernelsrc) and hands each
// snapshot to the router as a RouteSet, leaving out ports the device does not have.
func kernelSource(ctx context.Context, ns string, ports int, log io.Writer) (chan router.RouteSet, error) {
	if ns == "-" {
		ns = ""
	}
	snaps, errs, err := kernelsrc.Watch(ctx, kernelsrc.Options{Namespace: ns})
	if err != nil {
		return nil, fmt.Errorf("--kernel %s: %w", ns, err)
	}
	out := make(chan router.RouteSet, 1)
	go func() {
		for errs != nil || snaps != nil {
			select {
			case err, ok := <-errs:
				if !ok {
					errs = nil
					continue
				}
				fmt.Fprintf(log, "kernel route source: %v\n", err)
			case s, ok := <-snaps:
				if !ok {
					snaps = nil
					continue
				}
				var rs router.RouteSet
				for _, r := range s.Routes {
					if r.Port < ports {
						rs.Routes = append(rs.Routes, r)
					}
				}
				for _, n := range s.Neighbors {
					if n.Port < ports {
						rs.Neighbors = append(rs.Neighbors, n)
					}
				}
				for _, k := range s.Skipped {
					fmt.Fprintf(log, "kernel route source: left out %s\n", k)
				}
				select {
				case out <- rs:
				case <-ctx.Done():
					return
				}
			}
		}
	}()
	return out, nil
}

// printRouterStats prints the daemon's counters.
func printRouterStats(w io.Writer, r *router.Router) {
	ds, ss := r.Stats()
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "counter\tvalue")
	for _, c := range []string{router.ClassARP, router.ClassLocal, router.ClassTransit, router.ClassError, router.ClassOther} {
		fmt.Fprintf(tw, "punts.%s\t%d\n", c, ds.Punts[c])
		fmt.Fprintf(tw, "punts_dropped.%s\t%d\n", c, ds.PuntsDropped[c])
	}
	for _, m := range []struct {
		prefix string
		v      map[string]uint64
	}{{"sent", ss.Sent}, {"dropped", ss.Dropped}} {
		keys := make([]string, 0, len(m.v))
		for k := range m.v {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			fmt.Fprintf(tw, "%s.%s\t%d\n", m.prefix, strings.ReplaceAll(k, " ", "_"), m.v[k])
		}
	}
	fmt.Fprintf(tw, "injected\t%d\ninject_errors\t%d\ntable_updates\t%d\ntable_writes\t%d\nneighbours_learned\t%d\nneighbours_forgotten\t%d\nunresolved\t%d\nicmp_rate_limited\t%d\n",
		ds.Injected, ds.InjectErrors, ds.TableUpdates, ds.TableWrites, ss.Learned, ss.Forgotten, ss.Unresolved, ss.ICMPLimited)
	tw.Flush()
}
