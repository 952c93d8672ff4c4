// lr_ddr_ecp5 (simulation): lr_iddr and lr_oddr as plain flip-flops, for Verilator.
`default_nettype none

// Same modules and ports as lr_ddr_ecp5.v; simulation builds use this file in its place. The
// fixed input/output delays (DELAY_PS) are board timing and do not exist here: a simulated PHY
// presents data with set-up before each edge, and samples what lr_oddr drives in each half period.

// lr_iddr: each clk, the bits sampled at the rising edge (q_rise) and at the falling edge that
// followed it (q_fall), both presented after the next rising edge, as IDDRX1F does.
module lr_iddr #(
    parameter WIDTH    = 1,
    parameter DELAY_PS = 0
) (
    input  wire             clk,
    input  wire [WIDTH-1:0] d,
    output wire [WIDTH-1:0] q_rise,
    output wire [WIDTH-1:0] q_fall
);

    generate
        if (WIDTH < 1 || DELAY_PS < 0 || DELAY_PS / 25 > 127) begin : g_bad_param
            $error("%m: lr_iddr needs WIDTH >= 1 and DELAY_PS 0..3175");
        end
    endgenerate

    reg [WIDTH-1:0] rise_q;     // sampled at the rising edge
    reg [WIDTH-1:0] fall_q;     // sampled at the falling edge
    reg [WIDTH-1:0] rise_q2;    // the pair, aligned to the rising edge
    reg [WIDTH-1:0] fall_q2;

    always @(posedge clk) begin
        rise_q  <= d;
        rise_q2 <= rise_q;
        fall_q2 <= fall_q;
    end

    always @(negedge clk) begin
        fall_q <= d;
    end

    assign q_rise = rise_q2;
    assign q_fall = fall_q2;

endmodule

// lr_oddr: d_rise drives the pins while clk is high, d_fall while it is low (both registered on
// the rising edge), as ODDRX1F does.
module lr_oddr #(
    parameter WIDTH    = 1,
    parameter DELAY_PS = 0
) (
    input  wire             clk,
    input  wire [WIDTH-1:0] d_rise,
    input  wire [WIDTH-1:0] d_fall,
    output wire [WIDTH-1:0] q
);

    generate
        if (WIDTH < 1 || DELAY_PS < 0 || DELAY_PS / 25 > 127) begin : g_bad_param
            $error("%m: lr_oddr needs WIDTH >= 1 and DELAY_PS 0..3175");
        end
    endgenerate

    reg [WIDTH-1:0] rise_q;
    reg [WIDTH-1:0] fall_q;

    always @(posedge clk) begin
        rise_q <= d_rise;
        fall_q <= d_fall;
    end

    assign q = clk ? rise_q : fall_q;

endmodule

`default_nettype wire
