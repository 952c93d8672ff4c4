package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/linerate/linerate/tables"
)

func newFibCmd() *cobra.Command {
	c := &cobra.Command{
		Use:   "fib",
		Short: "Forwarding tables: compile and show",
	}
	c.AddCommand(newFibShowCmd())
	return c
}

// FibShowOptions are the options of `linerate fib show`.
type FibShowOptions struct {
	Config string
	JSON   bool
}

func newFibShowCmd() *cobra.Command {
	o := &FibShowOptions{}
	c := &cobra.Command{
		Use:   "show --config C",
		Short: "Show the table image a configuration compiles to",
		Long: `show compiles the configuration and prints the tables the data plane would hold: ports,
router addresses, TCAM entries in priority order with their adjacency rows.`,
		Example: `  linerate fib show --config test/configs/demo.conf
  linerate fib show --config test/configs/demo.conf --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return RunFibShow(o, cmd.OutOrStdout()) },
	}
	c.Flags().StringVar(&o.Config, "config", "", "router configuration")
	c.Flags().BoolVar(&o.JSON, "json", false, "print the image as JSON")
	return c
}

// RunFibShow is `linerate fib show`.
func RunFibShow(o *FibShowOptions, w io.Writer) error {
	im, _, err := loadConfig(o.Config)
	if err != nil {
		return err
	}
	if o.JSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(im)
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

func ip4(a uint32) string {
	return net.IPv4(byte(a>>24), byte(a>>16), byte(a>>8), byte(a)).String()
}
