package boards

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// SimBuildOptions tune SimBuild.
type SimBuildOptions struct {
	Out      string    // output directory (default build/boardsim)
	Shim     string    // the simulated board's C++ shim, cosim/vboard/csrc
	Include  []string  // more include directories for the shim (cosim/csrc)
	Jobs     int       // parallel compile jobs
	Progress io.Writer // one line per step, or nil
}

// SimBuild Verilates the board's top as the simulated board: the same top and parameters as
// its bitstream, with SimSources in place of the clock and I/O primitives, linked with the vboard
// shim in board mode (link ports over the UART, RGMII ports driven as their PHYs would). It
// writes Out/obj/Vlr_router__ALL.a and Out/libvboard.a, which the Go package cosim/vboard links
// under the boardsim build tag.
func SimBuild(ctx context.Context, b *Board, opt SimBuildOptions) error {
	if opt.Out == "" {
		opt.Out = filepath.Join("build", "boardsim")
	}
	if opt.Jobs <= 0 {
		opt.Jobs = 2
	}
	step := func(format string, a ...any) {
		if opt.Progress != nil {
			fmt.Fprintf(opt.Progress, format+"\n", a...)
		}
	}
	if err := os.RemoveAll(opt.Out); err != nil {
		return err
	}
	src := filepath.Join(opt.Out, "src")
	files, err := b.writeSources(src, true)
	if err != nil {
		return err
	}
	obj := filepath.Join(opt.Out, "obj")
	params := b.buildParams(BuildDate())
	args := []string{"--cc", "--top-module", b.Top, "--prefix", "Vlr_router", "-O3", "--x-assign", "fast",
		"--x-initial", "unique", "--trace-fst", "-Wno-fatal", "-Wno-lint", "-Wno-style", "--Mdir", obj}
	for _, d := range strings.Fields(incFlags(src)) {
		args = append(args, d)
	}
	for _, k := range sortedKeys(params) {
		args = append(args, fmt.Sprintf("-G%s=%d", k, params[k]))
	}
	step("verilator: %s (%s)", b.Top, obj)
	if err := run(ctx, "", []string{"verilator"}, append(args, files...)...); err != nil {
		return err
	}
	if err := run(ctx, "", []string{"make"}, "-s", "-C", obj, "-f", "Vlr_router.mk", fmt.Sprintf("-j%d", opt.Jobs),
		"Vlr_router__ALL.a", "OPT_FAST=-O2", "OPT_GLOBAL=-O2"); err != nil {
		return err
	}
	// the shim in board mode: the build facts and the board's pins as macros
	p := b.Params
	defs := []string{
		fmt.Sprintf("-DLR_BOARD=%s", b.Name),
		fmt.Sprintf("-DLR_N_PORTS=%d", p["N_PORTS"]), fmt.Sprintf("-DLR_DATA_WIDTH=%d", p["DATA_WIDTH"]),
		fmt.Sprintf("-DLR_LPM_ENTRIES=%d", p["LPM_ENTRIES"]), fmt.Sprintf("-DLR_ADJ_ENTRIES=%d", p["ADJ_ENTRIES"]),
		fmt.Sprintf("-DLR_RADDR_ENTRIES=%d", p["RADDR_ENTRIES"]), fmt.Sprintf("-DLR_MAX_FRAME_BYTES=%d", p["MAX_FRAME_BYTES"]),
		fmt.Sprintf("-DLR_CLK_HZ=%d", p["CLK_HZ"]), fmt.Sprintf("-DLR_UART_DIV=%d", p["UART_DIV"]),
		fmt.Sprintf("-DLR_RX_BUF_BYTES=%d", p["RX_BUF_BYTES"]), fmt.Sprintf("-DLR_RESP_BUF_BYTES=%d", p["RESP_BUF_BYTES"]),
		fmt.Sprintf("-DLR_BUILD_ID=0x%xu", params["BUILD_ID"]), fmt.Sprintf("-DLR_BUILD_DATE=%du", params["BUILD_DATE"]),
		fmt.Sprintf("-DLR_BOARD_IDLE(t)=((((t)->%s >> %d) & 1) == %d)", b.Sim.IdlePin, b.Sim.IdleBit, b.Sim.IdleLevel),
	}
	defs = append(defs, fmt.Sprintf("-DLR_LINK_PORTS=0x%xu", b.LinkMask()))
	if len(b.Sim.RGMII) > 0 {
		var x []string
		for _, r := range b.Sim.RGMII {
			x = append(x, fmt.Sprintf("X(%d,%s)", r.Port, r.Pins))
		}
		defs = append(defs, "-DLR_BOARD_RGMII(X)="+strings.Join(x, " "))
	}
	if b.Sim.ResetPin != "" {
		defs = append(defs, fmt.Sprintf("-DLR_BOARD_RESET(t,on)=((t)->%s = (on) ? %d : %d)", b.Sim.ResetPin, b.Sim.ResetLevel, 1-b.Sim.ResetLevel))
	}
	cxx := []string{"-O2", "-std=c++17", "-I/usr/share/verilator/include", "-I/usr/share/verilator/include/vltstd", "-I" + obj, "-I" + opt.Shim}
	for _, i := range opt.Include {
		cxx = append(cxx, "-I"+i)
	}
	o := filepath.Join(opt.Out, "vboard.o")
	step("shim: %s in board mode (%s)", filepath.Join(opt.Shim, "vboard.cpp"), o)
	if err := run(ctx, "", []string{"g++"}, append(append(cxx, defs...), "-c", filepath.Join(opt.Shim, "vboard.cpp"), "-o", o)...); err != nil {
		return err
	}
	return run(ctx, "", []string{"ar"}, "rcs", filepath.Join(opt.Out, "libvboard.a"), o)
}
