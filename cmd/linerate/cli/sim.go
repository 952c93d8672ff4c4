package cli

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/linerate/linerate/cosim/model"
	"github.com/linerate/linerate/cosim/pcapio"
	"github.com/linerate/linerate/cosim/simboard"
)

// SimOptions are the options of `linerate sim`.
type SimOptions struct {
	Socket    string
	NoPTY     bool
	UARTDiv   int
	LinkPorts string
	PcapDir   string
	In        []string
	Tap       []string
	Wave      string
	RealTime  bool
}

func newSimCmd() *cobra.Command {
	o := &SimOptions{}
	c := &cobra.Command{
		Use:   "sim",
		Short: "Run the simulated board: the Verilated router behind a PTY (and a Unix socket)",
		Long: `sim runs the portable router top (rtl/top/lr_router.v: data plane, host link, UART) in
Verilator and exposes its UART, bit by bit, on a pseudo-terminal, so the driver reaches it as it
reaches a board on /dev/ttyUSB1. It prints one line "device: <URI>" on stdout as soon as it
accepts connections, then runs until SIGINT/SIGTERM.

The UART runs at --uart-div clocks per bit of the 48 MHz clock the build assumes: 16 is
3 Mbaud (the FT2232H boards' rate), 4 the fastest the UART allows. Packet ports: frames that
leave a port in --link-ports go to the host over the link; the others are written to
DIR/portN.pcap with --pcap-dir. --in portN=FILE.pcap sends a capture into port N (FCS added).
--tap portN=IFNAME attaches port N to a Linux TAP interface, so a network namespace holding
that interface is a host on the port.`,
		Example: `  linerate sim
  linerate sim --socket /tmp/lr.sock --pcap-dir out/
  linerate sim --uart-div 4 --in port0=traffic.pcap --pcap-dir out/
  linerate sim --tap port0=lr0 --tap port1=lr1   # then: ip link set lr0 netns h0 ...
  # in another terminal:
  linerate fib load --dev serial:/dev/pts/3 --config router.conf`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return RunSim(o, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	f := c.Flags()
	f.StringVar(&o.Socket, "socket", "", "also listen on this Unix socket (URI sim:unix:PATH)")
	f.BoolVar(&o.NoPTY, "no-pty", false, "no PTY (needs --socket)")
	f.IntVar(&o.UARTDiv, "uart-div", 16, "clocks per UART bit (16 = 3 Mbaud at 48 MHz; minimum 4)")
	f.StringVar(&o.LinkPorts, "link-ports", "", "comma-separated ports whose output goes to the host over the link")
	f.StringVar(&o.PcapDir, "pcap-dir", "", "write frames leaving the other ports to DIR/portN.pcap")
	f.StringArrayVar(&o.In, "in", nil, "portN=FILE.pcap: frames to send into port N (repeatable)")
	f.StringArrayVar(&o.Tap, "tap", nil, "portN=IFNAME: attach port N to a TAP interface (created if missing; needs root)")
	f.StringVar(&o.Wave, "wave", "", "write an FST waveform of the whole run")
	f.BoolVar(&o.RealTime, "realtime", false, "never run faster than the 48 MHz clock in wall time")
	return c
}

func parsePortList(s string) (uint32, error) {
	var m uint32
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimPrefix(strings.TrimSpace(f), "port")
		if f == "" {
			continue
		}
		p, err := strconv.Atoi(f)
		if err != nil || p < 0 || p > 31 {
			return 0, fmt.Errorf("bad port %q", f)
		}
		m |= 1 << p
	}
	return m, nil
}

// portSpec splits a flag value portN=VALUE.
func portSpec(flag, spec string) (int, string, error) {
	name, value, ok := strings.Cut(spec, "=")
	p, err := strconv.Atoi(strings.TrimPrefix(name, "port"))
	if !ok || err != nil || p < 0 || !strings.HasPrefix(name, "port") || value == "" {
		return 0, "", inputErr(fmt.Errorf("%s %q: want portN=VALUE, e.g. port0=...", flag, spec))
	}
	return p, value, nil
}

// RunSim is `linerate sim`.
func RunSim(o *SimOptions, w, errw io.Writer) error {
	if o.NoPTY && o.Socket == "" {
		return inputErr(fmt.Errorf("--no-pty needs --socket"))
	}
	if o.UARTDiv < 4 || o.UARTDiv > 65535 {
		return inputErr(fmt.Errorf("--uart-div %d: must be 4..65535", o.UARTDiv))
	}
	links, err := parsePortList(o.LinkPorts)
	if err != nil {
		return inputErr(fmt.Errorf("--link-ports: %w", err))
	}
	type input struct {
		port int
		pkts []pcapio.Packet
	}
	var inputs []input
	for _, spec := range o.In {
		p, file, err := portSpec("--in", spec)
		if err != nil {
			return err
		}
		pkts, err := pcapio.ReadPcap(file)
		if err != nil {
			return inputErr(err)
		}
		inputs = append(inputs, input{p, pkts})
	}
	taps := map[int]string{}
	for _, spec := range o.Tap {
		p, ifname, err := portSpec("--tap", spec)
		if err != nil {
			return err
		}
		taps[p] = ifname
	}
	b, err := simboard.New(simboard.Options{UARTDiv: o.UARTDiv, LinkPorts: links, NoPTY: o.NoPTY,
		Socket: o.Socket, WavePath: o.Wave, RealTime: o.RealTime, Taps: taps})
	if err != nil {
		return err
	}
	defer b.Close()
	for _, in := range inputs {
		if in.port >= b.Info().Ports {
			return inputErr(fmt.Errorf("--in port%d: the board has %d ports", in.port, b.Info().Ports))
		}
		if !b.Info().HasPins(in.port) {
			return inputErr(fmt.Errorf("--in port%d: %s carries it over the host link (send frames into it with linerate inject --pipeline)", in.port, b.Info().Board))
		}
	}
	ctx, cancel := signalContext(0)
	defer cancel()

	// frames out of simulated ports: to pcaps or counted
	var wg sync.WaitGroup
	writers := map[int]*pcapio.Writer{}
	if o.PcapDir != "" {
		if err := os.MkdirAll(o.PcapDir, 0o755); err != nil {
			return inputErr(err)
		}
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-ctx.Done():
				return
			case f := <-b.Out():
				if o.PcapDir == "" {
					continue
				}
				pw := writers[f.Port]
				if pw == nil {
					pw, err = pcapio.Create(filepath.Join(o.PcapDir, fmt.Sprintf("port%d.pcap", f.Port)), pcapio.FormatPcap)
					if err != nil {
						fmt.Fprintln(errw, "linerate sim:", err)
						continue
					}
					writers[f.Port] = pw
				}
				data := f.Data
				if len(data) >= 4 {
					data = data[:len(data)-4] // as tcpdump captures it: no FCS
				}
				pw.WritePacket(pcapio.Packet{TS: time.Now(), Data: data})
				pw.Flush()
			}
		}
	}()
	info := b.Info()
	fmt.Fprintf(w, "device: %s\n", b.Device())
	if f, ok := w.(interface{ Sync() error }); ok {
		f.Sync()
	}
	if b.SocketURI() != "" && b.PTY() != "" {
		fmt.Fprintf(errw, "also: %s\n", b.SocketURI())
	}
	fmt.Fprintf(errw, "simulated board: %d ports, LPM %d, adjacency %d, UART %d clocks/bit of %d Hz (%.2f Mbaud); Ctrl-C stops it\n",
		info.Ports, info.LPM, info.Adj, o.UARTDiv, info.ClkHz, float64(info.ClkHz)/float64(o.UARTDiv)/1e6)
	if info.IsBoardTop() {
		var link, phy []string
		for p := range info.Ports {
			if info.IsLinkPort(p) {
				link = append(link, fmt.Sprintf("port%d", p))
			} else if info.HasPins(p) {
				phy = append(phy, fmt.Sprintf("port%d", p))
			}
		}
		fmt.Fprintf(errw, "board top %s: over the host link (bridge with linerate router --tap): %s; with a simulated PHY (--tap, --in, --pcap-dir here): %s\n",
			info.Board, listOr(link), listOr(phy))
	}
	for _, in := range inputs {
		for _, p := range in.pkts {
			b.Push(in.port, model.AppendFCS(append([]byte(nil), p.Data...)))
		}
	}
	err = b.Run(ctx)
	cancel()
	wg.Wait()
	for _, pw := range writers {
		pw.Close()
	}
	st := b.Stats()
	fmt.Fprintf(errw, "stopped after %d clocks: %d bytes in, %d out, %d frames out of ports\n", st.Cycles, st.UARTIn, st.UARTOut, st.FramesOut)
	return err
}

// listOr joins names, "none" for none.
func listOr(names []string) string {
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ", ")
}
