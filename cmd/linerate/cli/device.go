package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/sys/unix"

	"github.com/linerate/linerate/cosim"
	"github.com/linerate/linerate/cosim/model"
	"github.com/linerate/linerate/cosim/pcapio"
	"github.com/linerate/linerate/hostdrv"
)

// DeviceOptions name the device every device command talks to.
type DeviceOptions struct {
	Dev     string
	Baud    int
	Timeout time.Duration
}

func (o *DeviceOptions) flags(c *cobra.Command) {
	c.Flags().StringVar(&o.Dev, "dev", "", "device URI: serial:/dev/ttyUSB1, /dev/pts/N, sim:unix:PATH, usb:0403:6010")
	c.Flags().IntVar(&o.Baud, "baud", 3000000, "UART baud rate")
	c.Flags().DurationVar(&o.Timeout, "timeout", 10*time.Minute, "give up after this long")
}

// open opens the device and says hello. A missing device or one that does not answer is an
// error (exit 2).
func (o *DeviceOptions) open(ctx context.Context) (*hostdrv.Device, error) {
	if o.Dev == "" {
		return nil, inputErr(errors.New("--dev is required (e.g. --dev serial:/dev/ttyUSB1, or the device line `linerate sim` prints)"))
	}
	d, err := hostdrv.Open(ctx, o.Dev, hostdrv.Options{Baud: o.Baud})
	if err != nil {
		return nil, inputErr(err)
	}
	return d, nil
}

// session opens the device for one command: ctx ends on SIGINT/SIGTERM or after the timeout;
// end closes the device and releases ctx.
func (o *DeviceOptions) session() (ctx context.Context, d *hostdrv.Device, end func(), err error) {
	ctx, cancel := signalContext(o.Timeout)
	if d, err = o.open(ctx); err != nil {
		cancel()
		return nil, nil, nil, err
	}
	return ctx, d, func() { d.Close(); cancel() }, nil
}

// writeJSON prints v as indented JSON.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// signalContext ends on SIGINT/SIGTERM or after the timeout.
func signalContext(timeout time.Duration) (context.Context, context.CancelFunc) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	if timeout <= 0 {
		return ctx, stop
	}
	ctx2, cancel := context.WithTimeout(ctx, timeout)
	return ctx2, func() { cancel(); stop() }
}

// isTerminal reports whether w is a terminal (progress lines only go there).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	_, err := unix.IoctlGetTermios(int(f.Fd()), unix.TCGETS)
	return err == nil
}

// progress returns a callback printing "what done/total" on a terminal, or nil.
func progress(w io.Writer, what string) func(done, total int) {
	if !isTerminal(w) {
		return nil
	}
	last := time.Time{}
	return func(done, total int) {
		if done == total || time.Since(last) > 100*time.Millisecond {
			last = time.Now()
			fmt.Fprintf(w, "\r%s %d/%d", what, done, total)
			if done == total {
				fmt.Fprintln(w)
			}
		}
	}
}

// ---------------------------------------------------------------- info

func newInfoCmd() *cobra.Command {
	o := &DeviceOptions{}
	c := &cobra.Command{
		Use:   "info --dev DEV",
		Short: "Say hello to a device and print its build identity and table sizes",
		Example: `  linerate info --dev serial:/dev/ttyUSB1
  linerate info --dev sim:unix:/tmp/linerate.sock`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			_, d, end, err := o.session()
			if err != nil {
				return err
			}
			defer end()
			fmt.Fprintln(cmd.OutOrStdout(), d.Info())
			return nil
		},
	}
	o.flags(c)
	return c
}

// ---------------------------------------------------------------- counters

// CountersOptions are the options of `linerate counters`.
type CountersOptions struct {
	DeviceOptions
	JSON  bool
	All   bool
	Clear bool
}

func newCountersCmd() *cobra.Command {
	o := &CountersOptions{}
	c := &cobra.Command{
		Use:   "counters --dev DEV",
		Short: "Read the data plane's and the link's counters",
		Long: `counters reads every counter of the device: per port rx/tx frames and bytes, one per
punt/drop reason, the CPU path, and the host link's own counters. Without --all, counters that
are zero are left out of the table.`,
		Example: `  linerate counters --dev serial:/dev/ttyUSB1
  linerate counters --dev sim:unix:/tmp/lr.sock --json
  linerate counters --dev /dev/pts/3 --clear`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return RunCounters(o, cmd.OutOrStdout()) },
	}
	o.flags(c)
	c.Flags().BoolVar(&o.JSON, "json", false, "print JSON")
	c.Flags().BoolVar(&o.All, "all", false, "include counters that are zero")
	c.Flags().BoolVar(&o.Clear, "clear", false, "zero the data plane's counters after reading them")
	return c
}

// RunCounters is `linerate counters`.
func RunCounters(o *CountersOptions, w io.Writer) error {
	ctx, d, end, err := o.session()
	if err != nil {
		return err
	}
	defer end()
	cs, err := d.Counters(ctx)
	if err != nil {
		return err
	}
	if o.Clear {
		if err := d.ClearCounters(ctx); err != nil {
			return err
		}
	}
	if o.JSON {
		m := map[string]uint32{}
		for _, c := range cs {
			m[c.Name] = c.Value
		}
		return writeJSON(w, m)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	for _, c := range cs {
		if c.Value != 0 || o.All {
			fmt.Fprintf(tw, "%s\t%d\t\n", c.Name, c.Value)
		}
	}
	return tw.Flush()
}

// ---------------------------------------------------------------- punt

// PuntOptions are the options of `linerate punt`.
type PuntOptions struct {
	DeviceOptions
	Write string
	Count int
	Quiet bool
}

func newPuntCmd() *cobra.Command {
	o := &PuntOptions{}
	c := &cobra.Command{
		Use:   "punt --dev DEV [-w FILE.pcapng]",
		Short: "Receive punted frames from a device",
		Long: `punt receives the frames the data plane punts to the CPU and prints one line each
(reason, ingress port, punt sequence number, the frame's summary). With -w it writes them to a
pcapng file that Wireshark opens, the punt header as the packet comment
("reason=glean in_port=0 seq=12 lpm=3 adj=2 egress=1"). It runs until interrupted, or until -c
frames arrived. Punts lost on the way (sequence gaps) are reported at the end.`,
		Example: `  linerate punt --dev serial:/dev/ttyUSB1
  linerate punt --dev sim:unix:/tmp/lr.sock -w punts.pcapng -c 100`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return RunPunt(o, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	o.flags(c)
	c.Flags().StringVarP(&o.Write, "write", "w", "", "write the punted frames to this pcapng file")
	c.Flags().IntVarP(&o.Count, "count", "c", 0, "stop after this many frames (0: until interrupted)")
	c.Flags().BoolVarP(&o.Quiet, "quiet", "q", false, "no line per frame")
	return c
}

// RunPunt is `linerate punt`.
func RunPunt(o *PuntOptions, w, errw io.Writer) error {
	ctx, d, end, err := o.session()
	if err != nil {
		return err
	}
	defer end()
	var pw *pcapio.Writer
	if o.Write != "" {
		if pw, err = pcapio.Create(o.Write, pcapio.FormatPcapng); err != nil {
			return inputErr(err)
		}
	}
	n := 0
loop:
	for o.Count == 0 || n < o.Count {
		select {
		case <-ctx.Done():
			break loop
		case p, ok := <-d.Punts():
			if !ok {
				break loop
			}
			n++
			comment := cosim.PuntComment(p.Header)
			if !o.Quiet {
				fmt.Fprintf(w, "%s %s len=%d\n", p.At.Format("15:04:05.000000"), comment, len(p.Frame))
			}
			if pw != nil {
				if err := pw.WritePacket(pcapio.Packet{TS: p.At, Data: p.Frame, Comment: comment}); err != nil {
					return err
				}
				pw.Flush()
			}
		}
	}
	if pw != nil {
		if err := pw.Close(); err != nil {
			return err
		}
	}
	st := d.Stats()
	fmt.Fprintf(errw, "%d punts received, %d lost (sequence gaps), %d dropped by this host\n", n, st.PuntsLost, st.PuntsQueueDrop)
	return nil
}

// ---------------------------------------------------------------- inject

// InjectOptions are the options of `linerate inject`.
type InjectOptions struct {
	DeviceOptions
	Port     int
	Pipeline bool
	Pcap     string
	Hex      string
}

func newInjectCmd() *cobra.Command {
	o := &InjectOptions{}
	c := &cobra.Command{
		Use:   "inject --dev DEV --port N (--pcap FILE | --hex HEX)",
		Short: "Send frames from the host out of a port, or into the pipeline",
		Long: `inject sends Ethernet frames (without FCS) through the device. By default each frame leaves
--port as it is (the data plane appends the FCS): the CPU's own transmit path. With --pipeline
the frame enters the pipeline as if it had arrived on --port (linerate appends the FCS), so it is
looked up and forwarded or punted like any received frame.`,
		Example: `  linerate inject --dev /dev/pts/3 --port 1 --pcap arp-reply.pcap
  linerate inject --dev sim:unix:/tmp/lr.sock --port 0 --pipeline --pcap traffic.pcap
  linerate inject --dev /dev/pts/3 --port 2 --hex ffffffffffff020000000010 0806...`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return RunInject(o, cmd.OutOrStdout()) },
	}
	o.flags(c)
	c.Flags().IntVar(&o.Port, "port", 0, "port")
	c.Flags().BoolVar(&o.Pipeline, "pipeline", false, "into the pipeline as received on --port")
	c.Flags().StringVar(&o.Pcap, "pcap", "", "pcap or pcapng file of frames")
	c.Flags().StringVar(&o.Hex, "hex", "", "one frame in hex")
	return c
}

// RunInject is `linerate inject`.
func RunInject(o *InjectOptions, w io.Writer) error {
	var frames [][]byte
	switch {
	case o.Pcap != "" && o.Hex != "":
		return inputErr(errors.New("give --pcap or --hex, not both"))
	case o.Pcap != "":
		pkts, err := pcapio.ReadPcap(o.Pcap)
		if err != nil {
			return inputErr(err)
		}
		for _, p := range pkts {
			frames = append(frames, p.Data)
		}
	case o.Hex != "":
		b, err := parseHex(o.Hex)
		if err != nil {
			return inputErr(err)
		}
		frames = append(frames, b)
	default:
		return inputErr(errors.New("give --pcap FILE or --hex HEX"))
	}
	ctx, d, end, err := o.session()
	if err != nil {
		return err
	}
	defer end()
	for i, f := range frames {
		if o.Pipeline {
			err = d.InjectPipeline(ctx, o.Port, model.AppendFCS(append([]byte(nil), f...)))
		} else {
			err = d.Inject(ctx, o.Port, f)
		}
		if err != nil {
			return fmt.Errorf("frame %d: %w", i+1, err)
		}
	}
	fmt.Fprintf(w, "%d frames injected\n", len(frames))
	return nil
}

func parseHex(s string) ([]byte, error) {
	s = strings.NewReplacer(" ", "", ":", "", "\n", "", "\t", "").Replace(s)
	if len(s)%2 != 0 {
		return nil, fmt.Errorf("--hex: odd number of digits")
	}
	b := make([]byte, len(s)/2)
	for i := range b {
		var v byte
		for _, c := range s[2*i : 2*i+2] {
			v <<= 4
			switch {
			case c >= '0' && c <= '9':
				v |= byte(c - '0')
			case c >= 'a' && c <= 'f':
				v |= byte(c - 'a' + 10)
			case c >= 'A' && c <= 'F':
				v |= byte(c - 'A' + 10)
			default:
				return nil, fmt.Errorf("--hex: %q is not a hex digit", c)
			}
		}
		b[i] = v
	}
	return b, nil
}
