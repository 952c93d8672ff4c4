//go:build verilator

// Package hostlink tests the whole host-link path against the simulated board: hostdrv over a
// PTY or a Unix socket to the Verilated lr_router (UART bits included), as a host reaches a
// real board. Expected forwarding comes from the golden model fed the same tables.
package hostlink

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/linerate/linerate/cmd/linerate/cli"
	"github.com/linerate/linerate/cosim/model"
	"github.com/linerate/linerate/cosim/simboard"
	"github.com/linerate/linerate/cosim/traffic"
	"github.com/linerate/linerate/hostdrv"
	"github.com/linerate/linerate/hostdrv/regmap"
	"github.com/linerate/linerate/hostdrv/transport"
	"github.com/linerate/linerate/hostdrv/transport/transporttest"
	"github.com/linerate/linerate/tables"
	"github.com/linerate/linerate/test/configs"
)

// startBoard runs a simulated board for the test's lifetime.
func startBoard(t testing.TB, opt simboard.Options) *simboard.Board {
	t.Helper()
	b, err := simboard.New(opt)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- b.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		<-done
		b.Close()
	})
	return b
}

func testCtx(t testing.TB, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

// writeConfig writes text to a file in the test's directory.
func writeConfig(t testing.TB, name, text string) string {
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func configText(t testing.TB, name string) string {
	b, err := configs.FS.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func compile(t testing.TB, text string, s tables.Sizes) *tables.Image {
	c, err := tables.ParseConfig("test.conf", strings.NewReader(text), s)
	if err != nil {
		t.Fatal(err)
	}
	im, err := tables.Compile(c, s)
	if err != nil {
		t.Fatal(err)
	}
	return im
}

func runCLI(t *testing.T, args ...string) (int, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := cli.Main(args, strings.NewReader(""), &out, &errb)
	t.Logf("linerate %s -> %d\n%s%s", strings.Join(args, " "), code, out.String(), errb.String())
	return code, out.String() + errb.String()
}

// checkForwarding sends valid traffic into the ports and compares what leaves them with the
// golden model loaded with want: on lr_router and on a board top without PHYs every frame is
// injected into its port's pipeline over the link, on a board top with RGMII ports the frames of
// those ports arrive on their pins (send) while the others are injected. It returns how many
// frames went from each ingress port to each egress port.
func checkForwarding(t *testing.T, ctx context.Context, d *hostdrv.Device, b *simboard.Board, want *tables.Image, n int) map[[2]int]int {
	t.Helper()
	frames := traffic.Mix(want, 7, n, traffic.MixOptions{OnlyValid: true})
	m := model.New(want, model.Options{})
	if err := d.ClearCounters(ctx); err != nil {
		t.Fatal(err)
	}
	info := b.Info()
	// Frames from RGMII pins and from the link meet at an egress port in an order that depends
	// on timing, so there the comparison is per port as a multiset; one source keeps its order.
	mixed := boardTop(b) && info.LinkPorts != 0 && info.ExtPorts&^info.LinkPorts != 0
	expect := map[int][][]byte{}
	got := map[int][][]byte{}
	nExpect, nGot := 0, 0
	pairs := map[[2]int]int{}
	out := portOut(b, d)
	// wait takes what has left the ports until every frame expected so far has
	wait := func() {
		for ; nGot < nExpect; nGot++ {
			select {
			case f := <-out:
				got[f.Port] = append(got[f.Port], f.Data)
			case <-time.After(30 * time.Second):
				t.Fatalf("%d of %d forwarded frames arrived", nGot, nExpect)
			}
		}
	}
	// Frames on RGMII pins arrive at wire speed, while a link port and the punt FIFO drain at
	// the UART's: sent in batches of at most batchBytes toward any one port (or the host),
	// waiting for each batch to leave, so that no FIFO of the path drops what the model forwards
	// (the smallest is a board's 2 KB link port FIFO, which also holds at most 32 frames).
	const batchBytes = 1800
	queued := map[int]int{} // bytes this batch sends toward each egress port, -1 the host
	for _, f := range frames {
		wire := model.AppendFCS(append([]byte(nil), f.Data...))
		r := m.Receive(f.Port, wire)
		dst := r.OutPort
		if r.ToCPU {
			dst = -1
		}
		if r.Out != nil && queued[dst]+len(r.Out) > batchBytes {
			wait()
			clear(queued)
		}
		if r.Out != nil {
			queued[dst] += len(r.Out)
		}
		if r.Out != nil && !r.ToCPU {
			expect[r.OutPort] = append(expect[r.OutPort], r.Out)
			nExpect++
			pairs[[2]int{f.Port, r.OutPort}]++
		}
		if boardTop(b) {
			send(ctx, t, b, d, f.Port, wire)
		} else if err := d.InjectPipeline(ctx, f.Port, wire); err != nil {
			t.Fatal(err)
		}
	}
	wait()
	for p, w := range expect {
		g := got[p]
		if len(g) != len(w) {
			t.Fatalf("port %d: %d frames, model says %d", p, len(g), len(w))
		}
		if mixed {
			w = slices.Clone(w)
			g = slices.Clone(g)
			slices.SortFunc(w, bytes.Compare)
			slices.SortFunc(g, bytes.Compare)
		}
		for i := range w {
			if !bytes.Equal(g[i], w[i]) {
				t.Fatalf("port %d frame %d (%s):\n rtl   %x\n model %x", p, i, portKind(b, p), g[i], w[i])
			}
		}
	}
	if nExpect == 0 {
		t.Fatal("the traffic forwarded nothing")
	}
	// every counter, as the model counted the same frames
	ports := d.Info().Ports
	ctr, err := d.ReadRegs(ctx, regmap.CounterBase, regmap.NumCounters(ports))
	if err != nil {
		t.Fatal(err)
	}
	mc := m.Counters()
	var wantC []uint32
	for p := 0; p < ports; p++ {
		wantC = append(wantC, mc.RxFrames[p], mc.RxBytes[p], mc.TxFrames[p], mc.TxBytes[p])
	}
	wantC = append(wantC, mc.Reason[:]...)
	wantC = append(wantC, mc.CPUFrames, mc.CPUBytes, mc.InjectFrames, mc.InjectDropped)
	for i := range wantC {
		if ctr[i] != wantC[i] {
			t.Fatalf("counter %d = %d, the model counted %d (all: device %v, model %v)", i, ctr[i], wantC[i], ctr, wantC)
		}
	}
	t.Logf("%d frames sent, %d forwarded as the model says; the %d counters agree", len(frames), nExpect, len(wantC))
	return pairs
}

// TestFibLoadOverPTY is the "done": the CLI loads the demo config and a 1200-route
// config into the simulated board over its PTY (3 Mbaud UART timing), both read back identical,
// and traffic injected afterwards is forwarded per the new table.
func TestFibLoadOverPTY(t *testing.T) {
	b := startBoard(t, simboard.Options{UARTDiv: 16})
	dev := b.Device()
	if !strings.HasPrefix(dev, "serial:/dev/pts/") {
		t.Fatalf("device %q", dev)
	}
	demo := writeConfig(t, "demo.conf", demoConf(t, b))
	large := writeConfig(t, "large.conf", routerConf(b, 0))

	if code, out := runCLI(t, "fib", "load", "--dev", dev, "--config", demo); code != 0 || !strings.Contains(out, "read back identical") {
		t.Fatalf("fib load demo: %d", code)
	}
	if code, _ := runCLI(t, "fib", "diff", "--dev", dev, "--config", demo); code != 0 {
		t.Fatalf("fib diff after load: %d", code)
	}
	// the large config at the fastest UART (the PTY does not care)
	b.SetUARTDiv(4)
	if code, out := runCLI(t, "fib", "diff", "--dev", dev, "--config", large); code != 1 || !strings.Contains(out, "+ ") {
		t.Fatalf("fib diff against another config: %d", code)
	}
	if code, _ := runCLI(t, "fib", "load", "--dev", dev, "--config", large); code != 0 {
		t.Fatalf("fib load large: %d", code)
	}
	if code, _ := runCLI(t, "fib", "diff", "--dev", dev, "--config", large); code != 0 {
		t.Fatalf("fib diff after the large load: %d", code)
	}
	// reloading the same config writes nothing
	if code, out := runCLI(t, "fib", "load", "--dev", dev, "--config", large); code != 0 || !strings.Contains(out, "0 entry writes") {
		t.Fatalf("reload: %d", code)
	}

	ctx := testCtx(t, 5*time.Minute)
	d, err := hostdrv.Open(ctx, dev, hostdrv.Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := compile(t, routerConf(b, 0), d.Info().Sizes())
	checkForwarding(t, ctx, d, b, want, 300)
	d.Close() // one host at a time on a serial line

	// counters and a bad config: nothing written, the table stays
	if code, out := runCLI(t, "counters", "--dev", dev, "--json"); code != 0 || !strings.Contains(out, `"reason.forward"`) {
		t.Fatalf("counters: %d", code)
	}
	bad := writeConfig(t, "bad.conf", "link set dev port0 address 02:00:00:00:00:10 mtu 1500 up\nroute frobnicate\n")
	if code, out := runCLI(t, "fib", "load", "--dev", dev, "--config", bad); code != 2 || !strings.Contains(out, "bad.conf:2") {
		t.Fatalf("bad config: exit %d", code)
	}
	if code, _ := runCLI(t, "fib", "diff", "--dev", dev, "--config", large); code != 0 {
		t.Fatal("a bad config changed the device")
	}
}

// TestIncrementalLoadUnderTraffic loads churned variants of the large config one after the
// other while checking make-before-break from the outside: frames to prefixes that keep their
// next hop are forwarded identically throughout.
func TestIncrementalLoadUnderTraffic(t *testing.T) {
	b := startBoard(t, simboard.Options{UARTDiv: 4, NoPTY: true, Socket: filepath.Join(t.TempDir(), "b.sock")})
	ctx := testCtx(t, 10*time.Minute)
	d, err := hostdrv.Open(ctx, b.Device(), hostdrv.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	s := d.Info().Sizes()
	prev := compile(t, routerConf(b, 0), s)
	if _, err := d.LoadTables(ctx, prev, hostdrv.LoadOptions{}); err != nil {
		t.Fatal(err)
	}
	for v := 1; v <= 2; v++ {
		next := compile(t, routerConf(b, v), s)
		res, err := d.LoadTables(ctx, next, hostdrv.LoadOptions{})
		if err != nil {
			t.Fatalf("variant %d: %v", v, err)
		}
		t.Logf("variant %d: +%d ~%d -%d routes, %d writes, %d moves, %d requests, %.2fs",
			v, res.Plan.Added, res.Plan.Changed, res.Plan.Removed, res.Writes, res.Plan.Moves, res.Requests, res.Write.Seconds())
		back, err := d.ReadImage(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		if ok, diff := tables.Equivalent(back, next); !ok {
			t.Fatalf("variant %d differs: %v", v, diff[:min(5, len(diff))])
		}
		prev = next
	}
	checkForwarding(t, ctx, d, b, prev, 200)
}

// TestPuntsAndInject: frames the table punts arrive with their reason and sequence number;
// `linerate punt -w` writes them to pcapng; `linerate inject` sends a frame out of a port.
func TestPuntsAndInject(t *testing.T) {
	b := startBoard(t, simboard.Options{UARTDiv: 4, Socket: filepath.Join(t.TempDir(), "b.sock")})
	dev := b.Device()
	ctx := testCtx(t, 5*time.Minute)
	d, err := hostdrv.Open(ctx, dev, hostdrv.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	want := compile(t, demoConf(t, b), d.Info().Sizes())
	res, err := d.LoadTables(ctx, want, hostdrv.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// the model gets the device's layout (the planner's, not the compiler's): punt headers
	// carry table indexes
	im := res.Plan.Result
	frames := traffic.Mix(im, 3, 150, traffic.MixOptions{})
	m := model.New(im, model.Options{})
	// one frame at a time, waiting for its punt: a burst would overflow the punt FIFO (which
	// drops whole punts by design; TestLinkFaults covers that), and the punt must be
	// byte-identical to the model's, sequence number included
	nPunts := 0
	for i, f := range frames {
		wire := model.AppendFCS(append([]byte(nil), f.Data...))
		if f.BadFCS {
			wire[len(wire)-1] ^= 0xFF
		}
		if !sendable(b, d, f.Port, wire) {
			continue // a jumbo frame for a link port: longer than an INJECT request can carry
		}
		r := m.Receive(f.Port, wire)
		send(ctx, t, b, d, f.Port, wire)
		if !r.ToCPU {
			continue
		}
		nPunts++
		select {
		case p := <-d.Punts():
			got := append(p.Header.Marshal(), p.Frame...)
			if !bytes.Equal(got, r.Out) {
				t.Fatalf("frame %d (%s) punted:\n rtl   %s %x\n model %s %x", i, f.Kind, p.Header, got, r.Punt, r.Out)
			}
		case <-time.After(60 * time.Second):
			t.Fatalf("frame %d (%s): no punt", i, f.Kind)
		}
	}
	if nPunts == 0 {
		t.Fatal("no punts in the mix")
	}
	wantPunts := make([]int, nPunts)
	t.Logf("%d punts, identical to the model's", len(wantPunts))
	d.Close()

	// the CLI: punt -w in the background, inject a frame to me through the pipeline
	pcapng := filepath.Join(t.TempDir(), "punts.pcapng")
	done := make(chan int, 1)
	go func() {
		var out bytes.Buffer
		// a second host on the board's socket: the socket and the PTY both see every byte the
		// board sends, and each driver ignores the other's answers
		done <- cli.Main([]string{"punt", "--dev", b.SocketURI(), "-w", pcapng, "-c", "1", "--timeout", "2m"}, nil, &out, &out)
	}()
	time.Sleep(2 * time.Second) // let punt say hello first
	var toMe []byte
	for _, f := range traffic.Mix(im, 9, 20, traffic.MixOptions{Ports: []int{0}, Weights: map[string]int{traffic.KindToMe: 1}}) {
		toMe = f.Data
	}
	if toMe == nil {
		t.Fatal("no to_me frame")
	}
	if code, _ := runCLI(t, "inject", "--dev", dev, "--port", "0", "--pipeline", "--hex", fmt.Sprintf("%x", toMe)); code != 0 {
		t.Fatalf("inject: %d", code)
	}
	if code := <-done; code != 0 {
		t.Fatalf("punt: %d", code)
	}
	data, err := os.ReadFile(pcapng)
	if err != nil || !bytes.Contains(data, []byte("reason=to_me in_port=0")) {
		t.Fatalf("pcapng without the punt comment (%v)", err)
	}
}

// TestLinkFaults is the robustness test: about one byte in 1000 is corrupted, dropped or
// duplicated in both directions while a 1200-route table loads and traffic is punted. The table
// reads back identical, no punt is delivered twice, lost punts are counted by sequence number,
// and the link never wedges.
func TestLinkFaults(t *testing.T) {
	sock := filepath.Join(t.TempDir(), "b.sock")
	b := startBoard(t, simboard.Options{UARTDiv: 4, NoPTY: true, Socket: sock})
	ctx := testCtx(t, 15*time.Minute)
	raw, err := transport.Open(ctx, b.Device(), transport.Options{})
	if err != nil {
		t.Fatal(err)
	}
	faulty := transporttest.Faulty(raw, transporttest.FaultOptions{Seed: 1, Rate: 0.001})
	d, err := hostdrv.New(ctx, faulty, hostdrv.Options{MinTimeout: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	want := compile(t, routerConf(b, 0), d.Info().Sizes())

	// punting traffic during the load: frames to a router address, on every port
	stop := make(chan struct{})
	var pushed atomic.Int64
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		frames := traffic.Mix(want, 11, 2000, traffic.MixOptions{Weights: map[string]int{traffic.KindToMe: 1}})
		if boardTop(b) {
			// these travel over the faulty link too: short ones, or most attempts are hit
			frames = shortFrames(frames, 128)
		}
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			case <-time.After(10 * time.Millisecond):
			}
			f := frames[i%len(frames)]
			send(ctx, t, b, d, f.Port, model.AppendFCS(append([]byte(nil), f.Data...)))
			pushed.Add(1)
		}
	}()
	var seqs []uint32
	var pmu sync.Mutex
	wg.Add(1)
	go func() {
		defer wg.Done()
		for p := range d.Punts() {
			pmu.Lock()
			seqs = append(seqs, p.Header.Seq)
			pmu.Unlock()
		}
	}()

	// the full read-back below is the verification (it also reads what the load did not touch)
	res, err := d.LoadTables(ctx, want, hostdrv.LoadOptions{NoVerify: true})
	if err != nil {
		t.Fatalf("load over a faulty link: %v", err)
	}
	back, err := d.ReadImage(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if diff := hostdrv.ImageDiff(back, res.Plan.Result); len(diff) > 0 {
		t.Fatalf("read back differs: %v", diff[:min(5, len(diff))])
	}
	if ok, diff := tables.Equivalent(back, want); !ok {
		t.Fatalf("not the config: %v", diff[:min(5, len(diff))])
	}
	// a board top's frames share the faulty link with the load (a request at a time): let them
	// run on for a while after it
	for boardTop(b) && pushed.Load() < 100 && ctx.Err() == nil {
		time.Sleep(100 * time.Millisecond)
	}
	close(stop)
	time.Sleep(2 * time.Second)
	// the link still works, and the counters agree with what the host saw
	link, err := d.ReadRegs(ctx, regmap.LinkRegBase, len(regmap.LinkRegNames))
	if err != nil {
		t.Fatalf("the link wedged: %v", err)
	}
	d.Close()
	wg.Wait()

	st := d.Stats()
	fs := faulty.Stats()
	t.Logf("faults %+v; link stats %+v; device link registers %v", fs, st, link)
	if st.Retransmits == 0 || st.BadFrames == 0 {
		t.Fatalf("the faults did not bite: %+v", st)
	}
	if len(seqs) == 0 {
		t.Fatalf("no punts arrived (%d frames sent)", pushed.Load())
	}
	seen := map[uint32]bool{}
	for i, s := range seqs {
		if seen[s] {
			t.Fatalf("punt seq %d delivered twice", s)
		}
		seen[s] = true
		if i > 0 && s <= seqs[i-1] {
			t.Fatalf("punt seq %d after %d", s, seqs[i-1])
		}
	}
	span := uint64(seqs[len(seqs)-1]-seqs[0]) + 1
	if lost := span - uint64(len(seqs)); lost != st.PuntsLost {
		t.Fatalf("%d punts missing by sequence number, the driver counted %d", lost, st.PuntsLost)
	}
	t.Logf("%d frames pushed, %d punts delivered, %d lost (counted by seq)", pushed.Load(), len(seqs), st.PuntsLost)
}

// TestResetDuringLoad: the board is reset in the middle of a load; the driver notices (the
// ATTACHED bit), says hello again and the load starts over and completes.
func TestResetDuringLoad(t *testing.T) {
	b := startBoard(t, simboard.Options{UARTDiv: 4, NoPTY: true, Socket: filepath.Join(t.TempDir(), "b.sock")})
	ctx := testCtx(t, 10*time.Minute)
	d, err := hostdrv.Open(ctx, b.Device(), hostdrv.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	want := compile(t, routerConf(b, 0), d.Info().Sizes())
	var once sync.Once
	res, err := d.LoadTables(ctx, want, hostdrv.LoadOptions{Progress: func(stage string, done, total int) {
		if stage == "write" && done >= total/3 {
			once.Do(b.Reset)
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Restarts < 1 {
		t.Fatalf("the reset went unnoticed: %+v", res)
	}
	back, err := d.ReadImage(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if ok, diff := tables.Equivalent(back, want); !ok {
		t.Fatalf("after the restarted load: %v", diff[:min(5, len(diff))])
	}
	t.Logf("load restarted %d time(s) after the reset", res.Restarts)
}
