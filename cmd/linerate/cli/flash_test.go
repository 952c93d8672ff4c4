package cli

import (
	"bytes"
	"context"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/linerate/linerate/hostdrv/flash"
	"github.com/linerate/linerate/hostdrv/flash/flashtest"
)

// fakeBitstream is a stand-in iCE40 bitstream: a comment, the sync word, random bytes.
func fakeBitstream(n int) []byte {
	b := append([]byte{0xFF, 0x00}, "linerate"...)
	b = append(b, 0x00, 0xFF, 0x7E, 0xAA, 0x99, 0x7E)
	r := rand.New(rand.NewPCG(1, 2))
	for len(b) < n {
		b = append(b, byte(r.Uint32()))
	}
	return b
}

// TestFlashCommand programs a fake iCEBreaker (FT2232H, W25Q128 flash, iCE40) end to end:
// flash and read back, SRAM, and the errors a user meets.
func TestFlashCommand(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "icebreaker.bin")
	image := fakeBitstream(70 << 10)
	os.WriteFile(bin, image, 0o644)
	var fake *flashtest.FT2232H
	fakeOpen := func(ctx context.Context, opt flash.Options) (*flash.Programmer, error) {
		fake = flashtest.New(flashtest.ICEBreaker())
		opt.Sleep = fake.Sleep
		return flash.New(ctx, fake, opt)
	}
	var out bytes.Buffer
	if err := RunFlash(&FlashOptions{Board: "icebreaker", Bitstream: bin, Dev: "usb:0403:6010", open: fakeOpen}, &out, &out); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(fake.Flash.Mem[:len(image)], image) || !strings.Contains(out.String(), "verified") {
		t.Fatalf("flash: %s", out.String())
	}
	if err := fake.Err(); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if err := RunFlash(&FlashOptions{Board: "icebreaker", Bitstream: bin, SRAM: true, Dev: "usb:0403:6010", open: fakeOpen}, &out, &out); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(fake.FPGA.SRAM, image) || !strings.Contains(out.String(), "SRAM") {
		t.Fatalf("sram: %s", out.String())
	}

	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"flash"}, "--board is required"},
		{[]string{"flash", "--board", "icebreaker", "--bitstream", filepath.Join(dir, "missing.bin")}, "linerate build --board icebreaker"},
		{[]string{"flash", "--board", "colorlight-5a-75b", "--bitstream", bin}, "use --openfpgaloader"},
		{[]string{"flash", "--board", "icebreaker", "--bitstream", bin, "--dev", "usb:zz:6010"}, "hexadecimal"},
	} {
		if code, out := runCmd(t, c.args...); code != 2 || !strings.Contains(out, c.want) {
			t.Errorf("%v: exit %d, want 2 and %q:\n%s", c.args, code, c.want, out)
		}
	}
}
