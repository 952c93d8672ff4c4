package hostdrv_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/linerate/linerate/cosim/model"
	"github.com/linerate/linerate/cosim/traffic"
	"github.com/linerate/linerate/hostdrv"
	"github.com/linerate/linerate/hostdrv/hostdrvtest"
	"github.com/linerate/linerate/hostdrv/transport/transporttest"
	"github.com/linerate/linerate/tables"
	"github.com/linerate/linerate/test/configs"
)

func compileText(t *testing.T, text string, s tables.Sizes) *tables.Image {
	t.Helper()
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

// TestLoadOverFaultyLink is the hardware-free twin of test/hostlink's fault test: the fake
// board behind a link that corrupts, drops and duplicates about one byte in 1000 each way,
// punting traffic all along. Every load reads back identical, no punt arrives twice, gaps are
// counted, and the link keeps working.
func TestLoadOverFaultyLink(t *testing.T) {
	sizes := tables.Sizes{Ports: 4, LPM: 4096, Adj: 256, RAddr: 16}
	board := hostdrvtest.New(hostdrvtest.Options{Sizes: sizes})
	a, b := transporttest.Pipe()
	go board.Serve(b)
	faulty := transporttest.Faulty(a, transporttest.FaultOptions{Seed: 3, Rate: 0.001})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	d, err := hostdrv.New(ctx, faulty, hostdrv.Options{MinTimeout: 5 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()

	stop := make(chan struct{})
	var wg sync.WaitGroup
	var seqs []uint32
	wg.Add(2)
	go func() {
		defer wg.Done()
		im := compileText(t, configs.Large(1200, 0), sizes)
		frames := traffic.Mix(im, 5, 500, traffic.MixOptions{Weights: map[string]int{traffic.KindToMe: 1, traffic.KindNoRoute: 1}})
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			case <-time.After(200 * time.Microsecond):
			}
			f := frames[i%len(frames)]
			board.Receive(f.Port, model.AppendFCS(append([]byte(nil), f.Data...)))
		}
	}()
	go func() {
		defer wg.Done()
		for p := range d.Punts() {
			seqs = append(seqs, p.Header.Seq)
		}
	}()

	for v := 0; v < 3; v++ {
		want := compileText(t, configs.Large(1200, v), sizes)
		res, err := d.LoadTables(ctx, want, hostdrv.LoadOptions{})
		if err != nil {
			t.Fatalf("variant %d: %v", v, err)
		}
		if ok, diff := tables.Equivalent(board.Image(), want); !ok {
			t.Fatalf("variant %d: board differs: %v", v, diff[:min(5, len(diff))])
		}
		t.Logf("variant %d: %d writes, %d moves, %d requests", v, res.Writes, res.Plan.Moves, res.Requests)
	}
	close(stop)
	if err := d.Ping(ctx); err != nil {
		t.Fatalf("link wedged: %v", err)
	}
	time.Sleep(100 * time.Millisecond)
	d.Close()
	b.Close()
	wg.Wait()
	st := d.Stats()
	t.Logf("faults %+v, link %+v, %d punts", faulty.Stats(), st, len(seqs))
	if faulty.Stats().Faults() == 0 || st.Retransmits == 0 {
		t.Fatal("no faults injected")
	}
	for i := 1; i < len(seqs); i++ {
		if seqs[i] <= seqs[i-1] {
			t.Fatalf("punt seq %d after %d", seqs[i], seqs[i-1])
		}
	}
	if len(seqs) > 0 {
		if span := uint64(seqs[len(seqs)-1]-seqs[0]) + 1; span-uint64(len(seqs)) != st.PuntsLost {
			t.Fatalf("%d missing by seq, %d counted", span-uint64(len(seqs)), st.PuntsLost)
		}
	}
}

// TestResetDuringLoadFake: a reset in the middle of a load is noticed and the load redone.
func TestResetDuringLoadFake(t *testing.T) {
	sizes := tables.Sizes{Ports: 4, LPM: 4096, Adj: 256, RAddr: 16}
	d, board := fakeDevice(t, hostdrvtest.Options{Sizes: sizes})
	want := compileText(t, configs.Large(1200, 0), sizes)
	var once sync.Once
	res, err := d.LoadTables(ctx(t), want, hostdrv.LoadOptions{Progress: func(stage string, done, total int) {
		if stage == "write" && done >= total/2 {
			once.Do(board.Reset)
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Restarts != 1 {
		t.Fatalf("restarts %d", res.Restarts)
	}
	if ok, diff := tables.Equivalent(board.Image(), want); !ok {
		t.Fatalf("board differs: %v", diff[:min(5, len(diff))])
	}
}
