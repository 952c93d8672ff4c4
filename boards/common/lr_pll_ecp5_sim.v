// lr_pll_ecp5 (simulation): the PLL as a wire; the simulated board drives the core clock itself.
`default_nettype none

// Same module and ports as lr_pll_ecp5.v; Verilator builds the board top with this file in its
// place, so the simulated board is the bitstream's top except for the clock primitive.
module lr_pll_ecp5 #(
    parameter CLKI_DIV     = 1,
    parameter CLKFB_DIV    = 2,
    parameter CLKOP_DIV    = 12,
    parameter CLKOP_CPHASE = 5,
    parameter CLKOS_DIV    = 0,
    parameter CLKOS_CPHASE = 0
) (
    input  wire clk_in,
    output wire clk,
    output wire locked
);

    wire unused_params = |{CLKI_DIV[0], CLKFB_DIV[0], CLKOP_DIV[0], CLKOP_CPHASE[0], CLKOS_DIV[0],
                           CLKOS_CPHASE[0]};

    assign clk    = clk_in;
    assign locked = 1'b1;

endmodule

`default_nettype wire
