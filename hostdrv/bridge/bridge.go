// Package bridge carries a device's link ports to the host's network. A port without an Ethernet
// PHY (every port of the iCE40 boards, port 2 of the colorlight) sends the frames leaving it to
// the host over the link (PORT_TX) and takes frames into its pipeline from the host (INJECT): the
// bridge writes the first to the port's TAP interface and injects what Linux sends on that
// interface, as a PHY would deliver it (padded to 60 bytes, FCS appended). The FPGA then forwards
// real frames between real hosts. Bridge only link ports (boards.Board.LinkPorts): a port with a
// PHY sends its frames to the wire, never to the host.
package bridge

import (
	"context"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"io"
	"sync"

	"github.com/linerate/linerate/hostdrv"
)

// Stats count the bridge's frames.
type Stats struct {
	ToHost      uint64 // frames from the device written to a port's interface
	FromHost    uint64 // frames read from an interface, to be injected into the port's pipeline
	InjectErrs  uint64 // of them, injects the device did not take (an error from the link; not counted once ctx ends)
	NoPort      uint64 // PORT_TX frames for a port that is not bridged
	WriteErrors uint64 // frames the interface refused
}

// Run bridges ports (port number -> interface; each Read returns one Ethernet frame without FCS,
// each Write sends one, as a TAP does) until ctx ends. It is the only reader of
// dev.PortFrames(). Run returns when ctx ends; readers blocked in an interface's Read return
// when the caller closes it.
func Run(ctx context.Context, dev *hostdrv.Device, ports map[int]io.ReadWriter, log io.Writer) Stats {
	var (
		mu sync.Mutex
		st Stats
		wg sync.WaitGroup
	)
	count := func(f func(*Stats)) {
		mu.Lock()
		f(&st)
		mu.Unlock()
	}
	logf := func(format string, a ...any) {
		if log != nil {
			fmt.Fprintf(log, "bridge: "+format+"\n", a...)
		}
	}
	for p, rw := range ports {
		wg.Add(1)
		go func(p int, r io.Reader) {
			defer wg.Done()
			buf := make([]byte, 65536)
			for ctx.Err() == nil {
				n, err := r.Read(buf)
				if err != nil {
					if ctx.Err() == nil {
						logf("port%d: read: %v", p, err)
					}
					return
				}
				// counted before the inject: a frame it forwards is counted before it comes out
				count(func(s *Stats) { s.FromHost++ })
				if err := dev.InjectPipeline(ctx, p, Wire(buf[:n])); err != nil && ctx.Err() == nil {
					// (a frame read as the bridge stops is abandoned, not an error)
					count(func(s *Stats) { s.InjectErrs++ })
					logf("port%d: inject: %v", p, err)
				}
			}
		}(p, rw)
	}
	frames := dev.PortFrames()
loop:
	for {
		select {
		case <-ctx.Done():
			break loop
		case f, ok := <-frames:
			if !ok {
				break loop
			}
			w := ports[f.Port]
			if w == nil || len(f.Frame) < 4 {
				count(func(s *Stats) { s.NoPort++ })
				continue
			}
			if _, err := w.Write(f.Frame[:len(f.Frame)-4]); err != nil {
				count(func(s *Stats) { s.WriteErrors++ })
				logf("port%d: write: %v", f.Port, err)
				continue
			}
			count(func(s *Stats) { s.ToHost++ })
		}
	}
	go func() { wg.Wait() }() // the readers end when their interfaces close
	mu.Lock()
	defer mu.Unlock()
	return st
}

// Wire is frame as a MAC receives it from the wire: padded with zeros to 60 bytes, the FCS
// (CRC-32, least significant byte first) appended. frame is not modified.
func Wire(frame []byte) []byte {
	w := make([]byte, max(len(frame), 60), max(len(frame), 60)+4)
	copy(w, frame)
	return binary.LittleEndian.AppendUint32(w, crc32.ChecksumIEEE(w))
}
