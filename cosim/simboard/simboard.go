// Package simboard runs the simulated board: the Verilated lr_router (cosim/vboard), UART bits
// included, behind a PTY and a Unix socket, so hostdrv reaches it exactly as it reaches a real
// board on /dev/ttyUSB1 (ARCHITECTURE 3.4). One goroutine owns the simulation; it clocks only
// while there is work (bytes on the UART, frames in flight) and sleeps otherwise.
package simboard

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/linerate/linerate/cosim/model"
	"github.com/linerate/linerate/cosim/vboard"
	"github.com/linerate/linerate/hostdrv/tap"
)

// Options configure a simulated board.
type Options struct {
	UARTDiv   int    // clocks per UART bit (default 16: 3 Mbaud at the 48 MHz the build assumes)
	LinkPorts uint32 // bit p: port p's frames go to the host over the link (PORT_TX)
	NoPTY     bool   // do not create a PTY
	Socket    string // Unix socket path to listen on, "" = none
	WavePath  string // FST waveform of the whole run
	RealTime  bool   // never run ahead of the wall clock at the build's clock rate
	// Taps attach packet ports to TAP interfaces (port -> interface name): frames Linux sends
	// on the interface arrive on the port, frames leaving the port go to Linux (not to Out).
	Taps map[int]string
}

// Stats describe the run so far.
type Stats struct {
	Cycles       uint64
	UARTIn       uint64 // bytes from hosts to the board
	UARTOut      uint64 // bytes from the board to hosts
	OutDropped   uint64 // bytes to hosts discarded because nobody read them
	FramesOut    uint64 // frames out of simulated ports
	FramesLost   uint64 // of them dropped because Out was not drained
	Resets       uint64
	ProtocolErrs uint64 // output beats that broke the stream rules; on a board top's RGMII port, frames that broke RGMII
}

// Board is a running simulated board.
type Board struct {
	opt   Options
	b     *vboard.Board
	pty   *pty
	ln    net.Listener
	info  vboard.Info
	in    chan []byte
	push  chan vboard.Frame
	reset chan int
	div   chan int
	out   chan vboard.Frame

	ptyOut chan []byte
	taps   map[int]*os.File
	cmu    sync.Mutex
	conns  map[net.Conn]chan []byte

	stats   Stats
	smu     sync.Mutex
	closed  atomic.Bool
	running chan struct{}
}

// New builds the simulation and opens its PTY and socket. Call Run to start it.
func New(opt Options) (*Board, error) {
	if opt.UARTDiv == 0 {
		opt.UARTDiv = 16
	}
	b, err := vboard.New(vboard.Options{UARTDiv: opt.UARTDiv, LinkPorts: opt.LinkPorts, WavePath: opt.WavePath})
	if err != nil {
		return nil, err
	}
	s := &Board{opt: opt, b: b, info: b.Info(), in: make(chan []byte, 256), push: make(chan vboard.Frame, 1024),
		reset: make(chan int, 4), div: make(chan int, 1), out: make(chan vboard.Frame, 4096), ptyOut: make(chan []byte, 256),
		conns: map[net.Conn]chan []byte{}, running: make(chan struct{}), taps: map[int]*os.File{}}
	for port, name := range opt.Taps {
		if port < 0 || port >= s.info.Ports {
			s.Close()
			return nil, fmt.Errorf("simboard: tap on port %d: the board has %d ports", port, s.info.Ports)
		}
		if !s.info.HasPins(port) {
			s.Close()
			return nil, fmt.Errorf("simboard: tap on port %d: %s carries it over the host link, so the host bridges it (linerate router --tap port%d=IFNAME)", port, s.info.Board, port)
		}
		f, err := tap.Open(name)
		if err != nil {
			s.Close()
			return nil, err
		}
		s.taps[port] = f
		go s.readTAP(port, f)
	}
	if !opt.NoPTY {
		if s.pty, err = openPTY(); err != nil {
			b.Close()
			return nil, err
		}
		go s.readFrom(s.pty.master)
		go s.ptyWriter()
	}
	if opt.Socket != "" {
		os.Remove(opt.Socket)
		if s.ln, err = net.Listen("unix", opt.Socket); err != nil {
			s.Close()
			return nil, fmt.Errorf("simboard: %w", err)
		}
		go s.accept()
	}
	return s, nil
}

// Info is the build's facts.
func (s *Board) Info() vboard.Info { return s.info }

// PTY is the slave side's path ("" without a PTY).
func (s *Board) PTY() string {
	if s.pty == nil {
		return ""
	}
	return s.pty.path
}

// Device is the URI a host opens: the PTY when there is one, else the socket.
func (s *Board) Device() string {
	if s.pty != nil {
		return "serial:" + s.pty.path
	}
	return s.SocketURI()
}

// SocketURI is the socket's URI ("" without one).
func (s *Board) SocketURI() string {
	if s.opt.Socket == "" {
		return ""
	}
	return "sim:unix:" + s.opt.Socket
}

// Push queues a frame (with FCS) into packet port p, as from the wire.
func (s *Board) Push(port int, frame []byte) {
	s.push <- vboard.Frame{Port: port, Data: append([]byte(nil), frame...)}
}

// Out delivers the frames that leave ports not carried over the link.
func (s *Board) Out() <-chan vboard.Frame { return s.out }

// Reset pulses the board's reset for a few clocks (tables keep their RAM content).
func (s *Board) Reset() { s.reset <- 8 }

// SetUARTDiv changes the UART's clocks per bit (both ends of the simulated line), as between
// two host sessions; bytes in flight at that moment may be garbled.
func (s *Board) SetUARTDiv(div int) { s.div <- div }

// Stats returns the counters so far.
func (s *Board) Stats() Stats {
	s.smu.Lock()
	defer s.smu.Unlock()
	return s.stats
}

func (s *Board) readFrom(r io.Reader) {
	for {
		buf := make([]byte, 4096)
		n, err := r.Read(buf)
		if n > 0 {
			s.in <- buf[:n]
		}
		if err != nil {
			return
		}
	}
}

// readTAP feeds the frames Linux sends on a TAP interface into a port as a MAC would put them
// on the wire: padded to 60 bytes, FCS appended.
func (s *Board) readTAP(port int, f *os.File) {
	buf := make([]byte, 65536)
	for {
		n, err := f.Read(buf)
		if err != nil {
			return
		}
		frame := append([]byte(nil), buf[:n]...)
		for len(frame) < 60 {
			frame = append(frame, 0)
		}
		select {
		case s.push <- vboard.Frame{Port: port, Data: model.AppendFCS(frame)}:
		case <-s.running:
			return
		}
	}
}

func (s *Board) ptyWriter() {
	for p := range s.ptyOut {
		if _, err := s.pty.master.Write(p); err != nil {
			return
		}
	}
}

func (s *Board) accept() {
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return
		}
		q := make(chan []byte, 256)
		s.cmu.Lock()
		s.conns[c] = q
		s.cmu.Unlock()
		go func() {
			for p := range q {
				if _, err := c.Write(p); err != nil {
					break
				}
			}
			c.Close()
		}()
		go func() {
			s.readFrom(c)
			s.cmu.Lock()
			if q, ok := s.conns[c]; ok {
				delete(s.conns, c)
				close(q)
			}
			s.cmu.Unlock()
		}()
	}
}

// broadcast sends the board's UART bytes to every host; a host that does not read loses them.
func (s *Board) broadcast(p []byte) {
	dropped := 0
	if s.pty != nil {
		select {
		case s.ptyOut <- p:
		default:
			dropped += len(p)
			s.pty.discard()
		}
	}
	s.cmu.Lock()
	for _, q := range s.conns {
		select {
		case q <- p:
		default:
			dropped += len(p)
		}
	}
	s.cmu.Unlock()
	s.smu.Lock()
	s.stats.UARTOut += uint64(len(p))
	s.stats.OutDropped += uint64(dropped)
	s.smu.Unlock()
}

// slice is the most clocks run between looks at the inputs.
const slice = 50_000

// Run clocks the board until ctx ends.
func (s *Board) Run(ctx context.Context) error {
	defer close(s.running)
	start := time.Now()
	startCycles := s.b.Cycles()
	busy := true
	for {
		// take what arrived; wait for something when the board is idle
		if !busy {
			select {
			case <-ctx.Done():
				return nil
			case p := <-s.in:
				s.uartIn(p)
			case f := <-s.push:
				s.b.Push(f.Port, f.Data)
			case n := <-s.reset:
				s.doReset(n)
			case n := <-s.div:
				s.b.SetUARTDiv(n)
			}
		}
	drain:
		for {
			select {
			case <-ctx.Done():
				return nil
			case p := <-s.in:
				s.uartIn(p)
			case f := <-s.push:
				s.b.Push(f.Port, f.Data)
			case n := <-s.reset:
				s.doReset(n)
			case n := <-s.div:
				s.b.SetUARTDiv(n)
			default:
				break drain
			}
		}
		_, idle := s.b.Run(slice)
		busy = !idle
		if p := s.b.UARTRead(); len(p) > 0 {
			s.broadcast(p)
		}
		for _, f := range s.b.Out() {
			if t := s.taps[f.Port]; t != nil && len(f.Data) >= 4 {
				t.Write(f.Data[:len(f.Data)-4]) // Linux takes frames without FCS
				s.count(func(st *Stats) { st.FramesOut++ })
				continue
			}
			select {
			case s.out <- f:
				s.count(func(st *Stats) { st.FramesOut++ })
			default:
				s.count(func(st *Stats) { st.FramesOut++; st.FramesLost++ })
			}
		}
		cyc := s.b.Cycles()
		s.count(func(st *Stats) {
			st.Cycles = cyc
			st.ProtocolErrs = s.b.Stats().ProtocolErrors
		})
		if s.opt.RealTime && s.info.ClkHz > 0 {
			ahead := time.Duration(float64(cyc-startCycles)/float64(s.info.ClkHz)*float64(time.Second)) - time.Since(start)
			if ahead > time.Millisecond {
				time.Sleep(ahead)
			}
		}
	}
}

func (s *Board) uartIn(p []byte) {
	s.b.UARTWrite(p)
	s.count(func(st *Stats) { st.UARTIn += uint64(len(p)) })
}

func (s *Board) doReset(n int) {
	s.b.Reset(n)
	s.count(func(st *Stats) { st.Resets++ })
}

func (s *Board) count(f func(*Stats)) {
	s.smu.Lock()
	f(&s.stats)
	s.smu.Unlock()
}

// Close stops listening and frees the simulation. Call it after Run has returned (or instead
// of Run).
func (s *Board) Close() error {
	if s.closed.Swap(true) {
		return errors.New("simboard: closed twice")
	}
	if s.ln != nil {
		s.ln.Close()
		os.Remove(s.opt.Socket)
	}
	if s.pty != nil {
		close(s.ptyOut)
		s.pty.Close()
	}
	for _, t := range s.taps {
		t.Close()
	}
	s.cmu.Lock()
	for c, q := range s.conns {
		close(q)
		delete(s.conns, c)
		c.Close()
	}
	s.cmu.Unlock()
	return s.b.Close()
}
