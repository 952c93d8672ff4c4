package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/linerate/linerate/boards"
	"github.com/linerate/linerate/hostdrv/flash"
	"github.com/linerate/linerate/hostdrv/ftdi"
)

// FlashOptions are the options of `linerate flash`.
type FlashOptions struct {
	Board          string
	Bitstream      string
	SRAM           bool
	Dev            string
	OpenFPGALoader bool
	Timeout        time.Duration

	// open reaches the board's FT2232H (flash.Open); tests put a fake behind flash.New.
	open func(ctx context.Context, opt flash.Options) (*flash.Programmer, error)
}

// flashBoards are the boards `linerate flash` programs natively (FT2232H channel A in MPSSE
// mode, wired to the SPI flash and the iCE40's configuration port); the others go through
// openFPGALoader.
var flashBoards = map[string]bool{"icebreaker": true, "hx8k": true}

func newFlashCmd() *cobra.Command {
	o := &FlashOptions{}
	c := &cobra.Command{
		Use:   "flash --board NAME [--bitstream FILE] [--sram]",
		Short: "Program a board's configuration flash (or the FPGA's SRAM) with a bitstream",
		Long: `flash writes a bitstream into the SPI flash the FPGA boots from, reads it back to verify,
then lets the FPGA boot and checks that it configured (CDONE). With --sram it loads the FPGA's
configuration SRAM directly instead (lost at power-off; the board must be wired for it).

The iCE40 boards (icebreaker, hx8k) are programmed natively through their FT2232H (channel A in
MPSSE mode), with no other tool. --openfpgaloader runs openFPGALoader instead, and is the only
way for boards without an FT2232H programmer (colorlight: JTAG through an external cable). The
bitstream defaults to where linerate build writes it: build/NAME/NAME.bin (iCE40) or
build/NAME/NAME.bit (ECP5).`,
		Example: `  linerate flash --board icebreaker
  linerate flash --board hx8k --bitstream my.bin --sram
  linerate flash --board icebreaker --dev usb:0403:6010:FT4ABC12     # one of several boards`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return RunFlash(o, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	f := c.Flags()
	f.StringVar(&o.Board, "board", "", "board: icebreaker, hx8k, colorlight")
	f.StringVar(&o.Bitstream, "bitstream", "", "bitstream file (default build/BOARD/BOARD.bin, .bit for ECP5)")
	f.BoolVar(&o.SRAM, "sram", false, "load the FPGA's SRAM instead of the flash")
	f.StringVar(&o.Dev, "dev", "usb:0403:6010", "the board's FT2232H: usb:VID:PID[:SERIAL]")
	f.BoolVar(&o.OpenFPGALoader, "openfpgaloader", false, "program through openFPGALoader")
	f.DurationVar(&o.Timeout, "timeout", 5*time.Minute, "give up after this long")
	return c
}

// parseUSBDev parses usb:VID:PID[:SERIAL] (hexadecimal ids).
func parseUSBDev(s string) (vid, pid uint16, serial string, err error) {
	f := strings.Split(strings.TrimPrefix(s, "usb:"), ":")
	if !strings.HasPrefix(s, "usb:") || len(f) < 2 || len(f) > 3 {
		return 0, 0, "", fmt.Errorf("--dev %q: want usb:VID:PID[:SERIAL], e.g. usb:0403:6010", s)
	}
	v, err1 := strconv.ParseUint(f[0], 16, 16)
	p, err2 := strconv.ParseUint(f[1], 16, 16)
	if err1 != nil || err2 != nil {
		return 0, 0, "", fmt.Errorf("--dev %q: VID and PID are 4 hexadecimal digits", s)
	}
	if len(f) == 3 {
		serial = f[2]
	}
	return uint16(v), uint16(p), serial, nil
}

// RunFlash is `linerate flash`.
func RunFlash(o *FlashOptions, w, errw io.Writer) error {
	name := strings.ToLower(o.Board)
	if name == "" {
		return inputErr(errors.New("--board is required (icebreaker, hx8k, colorlight)"))
	}
	path := o.Bitstream
	if path == "" {
		ext := ".bin"
		if b, err := boards.Get(name); err == nil && b.Family == "ecp5" {
			ext = ".bit"
		}
		path = filepath.Join("build", name, name+ext)
	}
	image, err := os.ReadFile(path)
	if err != nil {
		return inputErr(fmt.Errorf("bitstream: %w (build one with: linerate build --board %s)", err, name))
	}
	if len(image) == 0 {
		return inputErr(fmt.Errorf("bitstream %s is empty", path))
	}
	ctx, cancel := signalContext(o.Timeout)
	defer cancel()
	if o.OpenFPGALoader || !flashBoards[name] {
		if !o.OpenFPGALoader {
			return inputErr(fmt.Errorf("board %s: no native programmer (it has no FT2232H); use --openfpgaloader", name))
		}
		if err := flash.OpenFPGALoader(ctx, name, path, o.SRAM); err != nil {
			return err
		}
		fmt.Fprintf(w, "%s: %s programmed through openFPGALoader\n", name, path)
		return nil
	}
	vid, pid, serial, err := parseUSBDev(o.Dev)
	if err != nil {
		return inputErr(err)
	}
	opt := flash.Options{VID: vid, PID: pid, Serial: serial}
	bars := map[string]func(int, int){}
	if isTerminal(errw) {
		opt.Progress = func(stage string, done, total int) {
			if bars[stage] == nil {
				bars[stage] = progress(errw, map[string]string{"erase": "erasing", "write": "writing", "verify": "verifying", "sram": "loading SRAM"}[stage])
			}
			if bars[stage] != nil {
				bars[stage](done, total)
			}
		}
	}
	open := o.open
	if open == nil {
		open = flash.Open
	}
	p, err := open(ctx, opt)
	if err != nil {
		if errors.Is(err, ftdi.ErrNoDevice) || errors.Is(err, ftdi.ErrWrongDevice) {
			return inputErr(fmt.Errorf("board %s: %w", name, err))
		}
		return err
	}
	defer p.Close()
	t0 := time.Now()
	if o.SRAM {
		if err := p.LoadSRAM(ctx, image); err != nil {
			return err
		}
		fmt.Fprintf(w, "%s: %d bytes loaded into the FPGA's SRAM in %v, FPGA configured (CDONE high)\n", name, len(image), time.Since(t0).Round(time.Millisecond))
		return nil
	}
	chip, err := p.Identify(ctx)
	if err != nil {
		return err
	}
	if err := p.Flash(ctx, image); err != nil {
		return err
	}
	fmt.Fprintf(w, "%s: %d bytes written to %s and verified in %v, FPGA configured (CDONE high)\n", name, len(image), chip, time.Since(t0).Round(time.Millisecond))
	return nil
}
