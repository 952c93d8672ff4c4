//go:build verilator && !boardsim

package vboard

import (
	"bytes"
	"testing"

	"github.com/linerate/linerate/cosim/traffic"
	"github.com/linerate/linerate/hostdrv/punt"
)

// INJECT to a port: the frame leaves that port with its FCS, or reaches the host as PORT_TX when
// the port is a link port.
func TestInjectToPort(t *testing.T) {
	r := newRouter(t, Options{UARTDiv: 4, LinkPorts: 1 << 2}, "demo.conf")
	for _, n := range []int{1, 59, 60, 64, 200, 1500} {
		frame := make([]byte, n)
		for i := range frame {
			frame[i] = byte(i*7 + n)
		}
		for _, port := range []uint8{1, 2} {
			payload := injectPayload(port, false, frame)
			want := r.m.Inject(payload)
			if a := r.request(tInject, payload); a.Payload[0] != attached|stOK {
				t.Fatalf("inject: status %#x", a.Payload[0])
			}
			out, tx := r.b.Out(), portTX(t, r.take())
			var got [][]byte
			if port == 2 {
				got = tx[2]
				if len(out) != 0 {
					t.Errorf("link port 2 also sent on Out: %v", out)
				}
			} else {
				got = outByPort(out)[1]
				if len(tx) != 0 {
					t.Errorf("port 1 also sent PORT_TX")
				}
			}
			if len(got) != 1 || !bytes.Equal(got[0], want.Out) {
				t.Fatalf("%d bytes to port %d: got %x, want %x", n, port, got, want.Out)
			}
		}
	}
	// a port the build does not have: the link executes it, the core drops and counts it
	r.m.Inject(injectPayload(9, false, []byte{1, 2, 3}))
	if a := r.request(tInject, injectPayload(9, false, []byte{1, 2, 3})); a.Payload[0] != attached|stOK {
		t.Fatalf("status %#x", a.Payload[0])
	}
	c := r.counters(r.b.Info().Ports)
	mc := r.m.Counters()
	if c.InjectFrames != mc.InjectFrames || c.InjectDropped != mc.InjectDropped || c.InjectDropped != 1 {
		t.Errorf("inject counters %d/%d, model %d/%d", c.InjectFrames, c.InjectDropped, mc.InjectFrames, mc.InjectDropped)
	}
	if got := r.linkRegs()[linkInjectCount]; got != 13 {
		t.Errorf("inject_frames %d, want 13", got)
	}
}

// INJECT into the pipeline: the frame (with FCS) is processed as if it had arrived on the port.
func TestInjectPipeline(t *testing.T) {
	r := newRouter(t, Options{UARTDiv: 4}, "demo.conf")
	frames := traffic.Mix(r.im, 7, 40, traffic.MixOptions{Weights: map[string]int{
		traffic.KindForward: 4, traffic.KindToMe: 1, traffic.KindTTLExpired: 1, traffic.KindBadFCS: 1, traffic.KindNoRoute: 1}})
	exp := newExpect()
	for _, f := range frames {
		w := wire(f)
		exp.add(r.m.Receive(f.Port, w))
		if a := r.request(tInject, injectPayload(uint8(f.Port), true, w)); a.Payload[0] != attached|stOK {
			t.Fatalf("inject: status %#x", a.Payload[0])
		}
	}
	r.run(r.budget(0))
	out := outByPort(r.b.Out())
	for p := 0; p < r.b.Info().Ports; p++ {
		if err := sameFrames(out[p], exp.ports[p]); err != nil {
			t.Errorf("port %d: %v", p, err)
		}
	}
	punts, _ := puntsOf(t, r.take())
	if err := sameFrames(punts, exp.punts); err != nil {
		t.Errorf("punts: %v", err)
	}
	if len(exp.punts) == 0 || len(exp.ports) == 0 {
		t.Errorf("the mix has %d punts and %d ports with frames", len(exp.punts), len(exp.ports))
	}
	c, mc := r.counters(r.b.Info().Ports), r.m.Counters()
	if c.Reason != mc.Reason || c.CPUFrames != mc.CPUFrames {
		t.Errorf("counters %+v, model %+v", c, mc)
	}
}

// Bad INJECT requests execute nothing.
func TestInjectBad(t *testing.T) {
	h := newHost(t, Options{UARTDiv: 4})
	h.hello()
	frame := bytes.Repeat([]byte{0x55}, 64)
	ports := uint8(h.b.Info().Ports)
	cases := map[string][]byte{
		"no header":       {1, 0, 0},
		"short header":    {1, 0, 0, 0, 0, 0, 0},
		"version 2":       append([]byte{2, 1, 0, 0, 0, 0, 0, 0}, frame...),
		"version 0":       append([]byte{0, 1, 1, 0, 0, 0, 0, 0}, frame...),
		"pipeline port":   injectPayload(ports, true, frame),
		"pipeline 255":    injectPayload(255, true, frame),
		"pipeline empty":  injectPayload(0, true, nil),
		"pipeline empty2": {punt.Version, 1, 1, 0, 0, 0, 0, 0},
	}
	for name, p := range cases {
		if a := h.request(tInject, p); len(a.Payload) != 1 || a.Payload[0] != attached|stBad {
			t.Errorf("%s: answer %x", name, a.Payload)
		}
	}
	h.run(h.budget(0))
	if out := h.b.Out(); len(out) != 0 {
		t.Errorf("frames out: %v", out)
	}
	c := h.counters(int(ports))
	if c.InjectFrames != 0 || h.linkRegs()[linkInjectCount] != 0 {
		t.Errorf("inject counted: core %d", c.InjectFrames)
	}
	for p := 0; p < int(ports); p++ {
		if c.RxFrames[p] != 0 {
			t.Errorf("port %d received %d frames", p, c.RxFrames[p])
		}
	}
}

// Pipeline injects and external frames share a port, frame by frame: the frames are pushed so
// that they stream in while the executor hands the injected frame to the same port.
func TestInjectPipelineWithTraffic(t *testing.T) {
	r := newRouter(t, Options{UARTDiv: 4}, "demo.conf")
	bursts := traffic.BackToBack(r.im, 60, 64)
	inj := traffic.BackToBack(r.im, 2, 1000)
	exp := newExpect()
	for i, f := range inj {
		w := wire(f)
		exp.add(r.m.Receive(f.Port, w))
		req := appendReq(nil, tInject, uint16(2000+i), injectPayload(uint8(f.Port), true, w))
		r.b.UARTWrite(req)
		// clock until the request has nearly arrived, then start the burst on the same port
		if _, idle := r.b.Run(uint64(len(req)*10*r.curDiv - 100)); idle {
			t.Fatal("idle before the request arrived")
		}
		for _, g := range bursts {
			if g.Port == f.Port {
				w := wire(g)
				exp.add(r.m.Receive(g.Port, w))
				r.b.Push(g.Port, w)
			}
		}
		if as := r.run(r.budget(1100)); len(as) != 1 || as[0].Payload[0]&0x0F != stOK {
			t.Fatalf("answers %v", as)
		}
	}
	outs := r.b.Out()
	out := outByPort(outs)
	for p := 0; p < r.b.Info().Ports; p++ {
		if err := sameFrames(out[p], exp.ports[p]); err != nil {
			t.Errorf("port %d: %v", p, err)
		}
	}
	// the long injected frames came out between frames of the bursts
	for k, f := range outs {
		if len(f.Data) > 500 && (k == 0 || k == len(outs)-1) {
			t.Errorf("injected frame at position %d of %d: the merge did not interleave", k, len(outs))
		}
	}
	if s := r.b.Stats(); s.ProtocolErrors != 0 {
		t.Errorf("stats %+v", s)
	}
}
