package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/bits"
	"net"
	"os"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/linerate/linerate/hostdrv"
	"github.com/linerate/linerate/tables"
)

func newFibCmd() *cobra.Command {
	c := &cobra.Command{
		Use:   "fib",
		Short: "Forwarding tables: compile, show, load into a device, compare",
	}
	c.AddCommand(newFibShowCmd(), newFibLoadCmd(), newFibDiffCmd())
	return c
}

// FibShowOptions are the options of `linerate fib show`.
type FibShowOptions struct {
	DeviceOptions
	Config string
	JSON   bool
}

func newFibShowCmd() *cobra.Command {
	o := &FibShowOptions{}
	c := &cobra.Command{
		Use:   "show (--config C | --dev DEV)",
		Short: "Show the tables a configuration compiles to, or that a device holds",
		Long: `show prints the tables the data plane holds: ports, router addresses, TCAM entries in
priority order with their adjacency rows. With --config, the tables the configuration compiles
to; with --dev, the tables read back from the device.`,
		Example: `  linerate fib show --config test/configs/demo.conf
  linerate fib show --config test/configs/demo.conf --json
  linerate fib show --dev serial:/dev/ttyUSB1`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return RunFibShow(o, cmd.OutOrStdout()) },
	}
	c.Flags().StringVar(&o.Config, "config", "", "router configuration")
	c.Flags().BoolVar(&o.JSON, "json", false, "print the image as JSON")
	c.Flags().StringVar(&o.Dev, "dev", "", "device URI: show what the device holds")
	c.Flags().IntVar(&o.Baud, "baud", 3000000, "UART baud rate")
	o.Timeout = 10 * time.Minute
	return c
}

// RunFibShow is `linerate fib show`.
func RunFibShow(o *FibShowOptions, w io.Writer) error {
	var im *tables.Image
	var err error
	switch {
	case o.Dev != "" && o.Config != "":
		return inputErr(errors.New("give --config or --dev, not both"))
	case o.Dev != "":
		ctx, d, end, err := o.session()
		if err != nil {
			return err
		}
		defer end()
		if im, err = d.ReadImage(ctx, progress(os.Stderr, "reading tables")); err != nil {
			return err
		}
		annotate(im)
	default:
		if im, _, err = loadConfig(o.Config); err != nil {
			return err
		}
	}
	if o.JSON {
		return writeJSON(w, im)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "PORT\tMAC\tMTU")
	for p, e := range im.Ports {
		fmt.Fprintf(tw, "%d\t%s\t%d\n", p, e.MAC, e.MTU)
	}
	fmt.Fprintln(tw, "\nROUTER ADDRESS\t\t")
	for _, e := range im.RAddr {
		if e.Valid {
			fmt.Fprintf(tw, "%s\t\t\n", ip4(e.Addr))
		}
	}
	fmt.Fprintln(tw, "\nTCAM\tPREFIX\tADJ\tKIND\tPORT\tNEXT HOP\tDST MAC")
	for i, e := range im.LPM {
		if !e.Valid {
			continue
		}
		a := im.Adj[e.Adj]
		port := fmt.Sprint(a.Port)
		if a.Kind == tables.AdjBlackhole {
			port = "-"
		}
		fmt.Fprintf(tw, "%d\t%s\t%d\t%s\t%s\t%s\t%s\n", i, e.Prefix, e.Adj, a.Kind, port, a.NextHop, a.DstMAC)
	}
	return tw.Flush()
}

// annotate fills the Prefix of entries read back from a device (the hardware holds value/mask).
func annotate(im *tables.Image) {
	for i, e := range im.LPM {
		if e.Valid {
			ones := bits.OnesCount32(e.Mask)
			im.LPM[i].Prefix = fmt.Sprintf("%s/%d", ip4(e.Value), ones)
		}
		if int(e.Adj) >= len(im.Adj) {
			im.LPM[i].Valid = false // cannot show a row that does not exist
		}
	}
}

// FibLoadOptions are the options of `linerate fib load` and `linerate fib diff`.
type FibLoadOptions struct {
	DeviceOptions
	Config     string
	NoVerify   bool
	AllowBreak bool
	JSON       bool
}

func newFibLoadCmd() *cobra.Command {
	o := &FibLoadOptions{}
	c := &cobra.Command{
		Use:   "load --dev DEV --config C",
		Short: "Load a configuration's tables into a device, incrementally",
		Long: `load compiles the configuration for the device's table sizes, reads what the device holds,
and writes only the difference: new adjacency rows first, then new routes, then changed next
hops, then removals, so prefixes that do not change never lose their route on the way (make
before break). TCAM entries move only to open a slot at the right priority. The tables are read
back afterwards and compared. A bad configuration writes nothing; a load cut short leaves a
consistent table, and running load again completes it; a device reset during the load is
detected and the load starts over.`,
		Example: `  linerate fib load --dev serial:/dev/ttyUSB1 --config router.conf
  linerate sim &   # prints device: serial:/dev/pts/N
  linerate fib load --dev serial:/dev/pts/N --config test/configs/demo.conf`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return RunFibLoad(o, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	o.flags(c)
	c.Flags().StringVar(&o.Config, "config", "", "router configuration")
	c.Flags().BoolVar(&o.NoVerify, "no-verify", false, "do not read the tables back")
	c.Flags().BoolVar(&o.AllowBreak, "allow-break", false, "when the tables are too full to add before removing, remove first")
	c.Flags().BoolVar(&o.JSON, "json", false, "print the result as JSON")
	return c
}

// configSession is session plus the configuration compiled for the device's table sizes; the
// configuration is parsed before anything is written.
func (o *DeviceOptions) configSession(config string) (context.Context, *hostdrv.Device, *tables.Image, func(), error) {
	if config == "" {
		return nil, nil, nil, nil, inputErr(errors.New("--config is required"))
	}
	if _, err := os.Stat(config); err != nil {
		return nil, nil, nil, nil, inputErr(err)
	}
	ctx, d, end, err := o.session()
	if err != nil {
		return nil, nil, nil, nil, err
	}
	im, _, err := tables.Build(config, d.Info().Sizes())
	if err != nil {
		end()
		return nil, nil, nil, nil, inputErr(err)
	}
	return ctx, d, im, end, nil
}

// RunFibLoad is `linerate fib load`.
func RunFibLoad(o *FibLoadOptions, w, errw io.Writer) error {
	ctx, d, want, end, err := o.configSession(o.Config)
	if err != nil {
		return err
	}
	defer end()
	var prog func(stage string, done, total int)
	if isTerminal(errw) {
		p := map[string]func(int, int){}
		prog = func(stage string, done, total int) {
			if p[stage] == nil {
				p[stage] = progress(errw, map[string]string{"read": "reading tables", "write": "writing", "verify": "verifying"}[stage])
			}
			p[stage](done, total)
		}
	}
	res, err := d.LoadTables(ctx, want, hostdrv.LoadOptions{Progress: prog, NoVerify: o.NoVerify, AllowBreak: o.AllowBreak})
	if err != nil {
		return err
	}
	st := d.Stats()
	pl := res.Plan
	if o.JSON {
		return writeJSON(w, map[string]any{"added": pl.Added, "changed": pl.Changed, "removed": pl.Removed,
			"moves": pl.Moves, "writes": res.Writes, "requests": res.Requests, "restarts": res.Restarts,
			"write_seconds": res.Write.Seconds(), "retransmits": st.Retransmits, "verified": !o.NoVerify})
	}
	fmt.Fprintf(w, "loaded %s: %d routes added, %d changed, %d removed; %d entry writes (%d TCAM moves) in %d requests, %.2fs",
		o.Config, pl.Added, pl.Changed, pl.Removed, res.Writes, pl.Moves, res.Requests, res.Write.Seconds())
	if !o.NoVerify {
		fmt.Fprint(w, "; read back identical")
	}
	if res.Restarts > 0 {
		fmt.Fprintf(w, "; restarted %d times after a device reset", res.Restarts)
	}
	if st.Retransmits > 0 {
		fmt.Fprintf(w, "; %d retransmissions", st.Retransmits)
	}
	fmt.Fprintln(w)
	return nil
}

func newFibDiffCmd() *cobra.Command {
	o := &FibLoadOptions{}
	c := &cobra.Command{
		Use:   "diff --dev DEV --config C",
		Short: "Compare what a device holds with what a configuration compiles to",
		Long: `diff reads the device's tables and compares their content with the configuration's:
ports, router addresses, and each prefix with its next hop (kind, port, MACs, MTU). Where the
entries sit in the TCAM does not matter. Exit status 0 when they are the same, 1 when they differ
(the differences are printed: + only in the configuration, - only on the device, ~ changed),
2 on error.`,
		Example: `  linerate fib diff --dev serial:/dev/ttyUSB1 --config router.conf`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return RunFibDiff(o, cmd.OutOrStdout())
		},
	}
	o.flags(c)
	c.Flags().StringVar(&o.Config, "config", "", "router configuration")
	return c
}

// RunFibDiff is `linerate fib diff`.
func RunFibDiff(o *FibLoadOptions, w io.Writer) error {
	ctx, d, want, end, err := o.configSession(o.Config)
	if err != nil {
		return err
	}
	defer end()
	cur, err := d.ReadImage(ctx, progress(os.Stderr, "reading tables"))
	if err != nil {
		return err
	}
	same, diff := tables.Equivalent(cur, want)
	if same {
		fmt.Fprintf(w, "the device holds exactly what %s compiles to\n", o.Config)
		return nil
	}
	for _, l := range diff {
		fmt.Fprintln(w, l)
	}
	return negative("the device differs from %s in %d places", o.Config, len(diff))
}

func ip4(a uint32) string {
	return net.IPv4(byte(a>>24), byte(a>>16), byte(a>>8), byte(a)).String()
}
