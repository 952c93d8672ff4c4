package hostdrv_test

import (
	"context"
	"errors"
	"net"
	"testing"
	"time"

	"github.com/linerate/linerate/hostdrv"
	"github.com/linerate/linerate/hostdrv/hostdrvtest"
	"github.com/linerate/linerate/hostdrv/regmap"
	"github.com/linerate/linerate/tables"
	"github.com/linerate/linerate/test/configs"
)

// fakeDevice starts a fake board on one end of a pipe and a driver session on the other.
func fakeDevice(t *testing.T, opt hostdrvtest.Options) (*hostdrv.Device, *hostdrvtest.Board) {
	t.Helper()
	a, b := net.Pipe()
	board := hostdrvtest.New(opt)
	go board.Serve(b)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	d, err := hostdrv.New(ctx, a, hostdrv.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close(); b.Close() })
	return d, board
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return c
}

func TestHelloAndRegisters(t *testing.T) {
	d, _ := fakeDevice(t, hostdrvtest.Options{BuildID: 0x1234abcd, BuildDate: 20261121})
	h := d.Info()
	if h.ID != regmap.IDValue || h.BuildID != 0x1234abcd || h.BuildDate != 20261121 || h.Sizes() != tables.SimSizes {
		t.Fatalf("hello: %+v", h)
	}
	if err := d.WriteRegs(ctx(t), regmap.RegScratch, 0xdeadbeef); err != nil {
		t.Fatal(err)
	}
	w, err := d.ReadRegs(ctx(t), regmap.RegScratch, 1)
	if err != nil || w[0] != 0xdeadbeef {
		t.Fatalf("scratch %x %v", w, err)
	}
	if err := d.Ping(ctx(t)); err != nil {
		t.Fatal(err)
	}
}

func TestBatchSplitsIntoRequests(t *testing.T) {
	d, _ := fakeDevice(t, hostdrvtest.Options{RxBufBytes: 128, RespBufBytes: 64})
	b := d.NewBatch()
	// 100 words of writes to SCRATCH (not consecutive: one op each) and 100 counter reads
	for i := 0; i < 100; i++ {
		b.Write(regmap.RegScratch, uint32(i))
	}
	b.Read(regmap.CounterAddr(0), 100)
	b.Read(regmap.RegScratch, 1)
	w, err := d.Do(ctx(t), b)
	if err != nil {
		t.Fatal(err)
	}
	if b.Sent < 10 {
		t.Fatalf("only %d requests for 100 ops in 128-byte frames", b.Sent)
	}
	if len(w) != 101 || w[100] != 99 {
		t.Fatalf("got %d words, last %d", len(w), w[len(w)-1])
	}
}

func TestImageRoundTrip(t *testing.T) {
	d, board := fakeDevice(t, hostdrvtest.Options{})
	f, err := configs.FS.Open("demo.conf")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	c, err := tables.ParseConfig("demo.conf", f, d.Info().Sizes())
	if err != nil {
		t.Fatal(err)
	}
	im, err := tables.Compile(c, d.Info().Sizes())
	if err != nil {
		t.Fatal(err)
	}
	if err := d.WriteImage(ctx(t), im, nil); err != nil {
		t.Fatal(err)
	}
	back, err := d.ReadImage(ctx(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	if ok, diff := tables.Equivalent(back, im); !ok {
		t.Fatalf("read back differs: %v", diff)
	}
	if ok, diff := tables.Equivalent(board.Image(), im); !ok {
		t.Fatalf("board differs: %v", diff)
	}
}

func TestDeviceResetDetected(t *testing.T) {
	d, board := fakeDevice(t, hostdrvtest.Options{})
	board.Reset()
	err := d.Ping(ctx(t))
	if !errors.Is(err, hostdrv.ErrDeviceReset) {
		t.Fatalf("after reset: %v", err)
	}
	if _, err := d.Hello(ctx(t)); err != nil {
		t.Fatal(err)
	}
	if err := d.Ping(ctx(t)); err != nil {
		t.Fatal(err)
	}
}
