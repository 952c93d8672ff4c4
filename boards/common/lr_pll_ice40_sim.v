// lr_pll_ice40 (simulation): the PLL as a wire; the simulated board drives the core clock itself.
`default_nettype none

// Same module and ports as lr_pll_ice40.v; Verilator builds the board top with this file in its
// place, so the simulated board is the bitstream's top except for the clock primitive.
module lr_pll_ice40 #(
    parameter PAD          = 1,
    parameter DIVR         = 0,
    parameter DIVF         = 63,
    parameter DIVQ         = 5,
    parameter FILTER_RANGE = 1
) (
    input  wire clk_in,
    output wire clk,
    output wire locked
);

    wire unused_params = |{PAD[0], DIVR[0], DIVF[0], DIVQ[0], FILTER_RANGE[0]};

    assign clk    = clk_in;
    assign locked = 1'b1;

endmodule

`default_nettype wire
