// lr_ddr_ecp5: double-data-rate I/O registers for the ECP5 (lr_iddr on IDDRX1F, lr_oddr on ODDRX1F).
`default_nettype none

// Both wrappers live in this one file, against the one-module-per-file rule, because a board swaps
// primitive files one for one for simulation (board.json "sim_sources": common/lr_ddr_ecp5.v ->
// common/lr_ddr_ecp5_sim.v); the two halves of one I/O cell family are swapped together.
//
// Each pin goes straight to (or comes straight from) an IOLOGIC cell: nextpnr packs IDDRX1F,
// ODDRX1F and DELAYG into the pin's I/O tile and insists that they connect directly to a top-level
// port, so nothing may sit between these wrappers and the pins. DELAY_PS > 0 puts a DELAYG (fixed
// delay, 25 ps per tap, 127 taps) between the pin and the register, as LiteEth's ECP5 RGMII PHY
// does: on the input path to centre a clock-aligned RGMII receive, on TXC to shift the clock.

// lr_iddr: each clk, the bits sampled at the rising edge (q_rise) and at the falling edge that
// followed it (q_fall), both presented after the next rising edge.
module lr_iddr #(
    parameter WIDTH    = 1,     // pins
    parameter DELAY_PS = 0      // input delay before the registers, 0..3175 ps
) (
    input  wire             clk,
    input  wire [WIDTH-1:0] d,          // from the pins
    output wire [WIDTH-1:0] q_rise,     // sampled on the rising edge
    output wire [WIDTH-1:0] q_fall      // sampled on the falling edge after it
);

    localparam TAPS = DELAY_PS / 25;

    generate
        if (WIDTH < 1 || DELAY_PS < 0 || TAPS > 127) begin : g_bad_param
            $error("%m: lr_iddr needs WIDTH >= 1 and DELAY_PS 0..3175");
        end
    endgenerate

    genvar i;
    generate
        for (i = 0; i < WIDTH; i = i + 1) begin : g_bit
            wire pin;
            if (TAPS > 0) begin : g_delay
                DELAYG #(
                    .DEL_MODE  ("USER_DEFINED"),
                    .DEL_VALUE (TAPS)
                ) u_delay (
                    .A (d[i]),
                    .Z (pin)
                );
            end else begin : g_direct
                assign pin = d[i];
            end
            IDDRX1F u_iddr (
                .D    (pin),
                .SCLK (clk),
                .RST  (1'b0),
                .Q0   (q_rise[i]),
                .Q1   (q_fall[i])
            );
        end
    endgenerate

endmodule

// lr_oddr: each clk, d_rise drives the pin while clk is high and d_fall while it is low, so the
// pins change on both edges of clk (edge-aligned with a clock forwarded through lr_oddr 1/0).
module lr_oddr #(
    parameter WIDTH    = 1,     // pins
    parameter DELAY_PS = 0      // output delay after the registers, 0..3175 ps
) (
    input  wire             clk,
    input  wire [WIDTH-1:0] d_rise,     // driven from the rising edge
    input  wire [WIDTH-1:0] d_fall,     // driven from the falling edge
    output wire [WIDTH-1:0] q           // to the pins
);

    localparam TAPS = DELAY_PS / 25;

    generate
        if (WIDTH < 1 || DELAY_PS < 0 || TAPS > 127) begin : g_bad_param
            $error("%m: lr_oddr needs WIDTH >= 1 and DELAY_PS 0..3175");
        end
    endgenerate

    genvar i;
    generate
        for (i = 0; i < WIDTH; i = i + 1) begin : g_bit
            wire reg_out;
            ODDRX1F u_oddr (
                .D0   (d_rise[i]),
                .D1   (d_fall[i]),
                .SCLK (clk),
                .RST  (1'b0),
                .Q    (reg_out)
            );
            if (TAPS > 0) begin : g_delay
                DELAYG #(
                    .DEL_MODE  ("USER_DEFINED"),
                    .DEL_VALUE (TAPS)
                ) u_delay (
                    .A (reg_out),
                    .Z (q[i])
                );
            end else begin : g_direct
                assign q[i] = reg_out;
            end
        end
    endgenerate

endmodule

`default_nettype wire
