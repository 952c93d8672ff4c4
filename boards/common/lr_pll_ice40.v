// lr_pll_ice40: the iCE40 PLL that makes the core clock from a board's 12 MHz oscillator.
`default_nettype none

// F_out = 12 MHz * (DIVF + 1) / (2^DIVQ * (DIVR + 1)) (icepll computes the values). PAD = 1 takes
// the reference from the PLL's own package pin (SB_PLL40_PAD: iCEBreaker pin 35); PAD = 0 from a
// clock net (SB_PLL40_CORE: HX8K breakout pin J3). Verilator uses lr_pll_ice40_sim.v instead.
module lr_pll_ice40 #(
    parameter PAD          = 1,     // 1: SB_PLL40_PAD, 0: SB_PLL40_CORE
    parameter DIVR         = 0,     // reference divider - 1
    parameter DIVF         = 63,    // feedback divider - 1
    parameter DIVQ         = 5,     // output divider, log2
    parameter FILTER_RANGE = 1      // loop filter range for the PFD frequency
) (
    input  wire clk_in,             // 12 MHz, from the pin
    output wire clk,                // core clock, on a global network
    output wire locked
);

    localparam [3:0] R = DIVR[3:0];
    localparam [6:0] F = DIVF[6:0];
    localparam [2:0] Q = DIVQ[2:0];
    localparam [2:0] L = FILTER_RANGE[2:0];

    generate
        if (PAD != 0) begin : g_pad
            SB_PLL40_PAD #(
                .FEEDBACK_PATH ("SIMPLE"),
                .DIVR          (R),
                .DIVF          (F),
                .DIVQ          (Q),
                .FILTER_RANGE  (L)
            ) u_pll (
                .PACKAGEPIN    (clk_in),
                .PLLOUTGLOBAL  (clk),
                .LOCK          (locked),
                .RESETB        (1'b1),
                .BYPASS        (1'b0)
            );
        end else begin : g_core
            SB_PLL40_CORE #(
                .FEEDBACK_PATH ("SIMPLE"),
                .DIVR          (R),
                .DIVF          (F),
                .DIVQ          (Q),
                .FILTER_RANGE  (L)
            ) u_pll (
                .REFERENCECLK  (clk_in),
                .PLLOUTGLOBAL  (clk),
                .LOCK          (locked),
                .RESETB        (1'b1),
                .BYPASS        (1'b0)
            );
        end
    endgenerate

endmodule

`default_nettype wire
