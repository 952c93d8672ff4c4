// lr_reset_sync: a board's reset: asserted asynchronously, released synchronously, held HOLD clocks.
`default_nettype none

// rst is high from power-up, and whenever arst is high (PLL not locked, reset button), until HOLD
// clocks after arst has gone low. It leaves on a clock edge, so every
// flip-flop of the design sees the same first clock out of reset.
module lr_reset_sync #(
    parameter HOLD = 16         // clocks rst stays high after arst goes low, 2..65535
) (
    input  wire clk,
    input  wire arst,           // asynchronous reset request, active high
    output wire rst             // synchronous reset, active high
);

    localparam CW = $clog2(HOLD + 1);
    localparam [CW-1:0] LAST = HOLD[CW-1:0];

    generate
        if (HOLD < 2 || HOLD > 65535) begin : g_bad_hold
            $error("lr_reset_sync: HOLD must be 2..65535");
        end
    endgenerate

    reg [CW-1:0] cnt_q;

    always @(posedge clk or posedge arst) begin
        if (arst) begin
            cnt_q <= {CW{1'b0}};
        end else if (cnt_q != LAST) begin
            cnt_q <= cnt_q + 1'b1;
        end
    end

    // rst is a flip-flop of its own, active high, and nothing else: every flip-flop's synchronous
    // reset is then this one net. (Driven through an inverter, as rst = !run_q was, yosys folds
    // the inversion into each flip-flop's reset polarity, and the ECP5 and iCE40 flip-flops, whose
    // reset is active high, get an inverter LUT each: some 2,300 distinct reset nets on the
    // Colorlight. Flip-flops that share a slice (ECP5) or a logic block (iCE40) must share their
    // reset net, so nextpnr could not legalise the placement.)
    // At power-up the boards' PLL is not locked yet, so arst sets rst_q; without arst it rises at
    // the first clock edge (cnt_q starts at zero).
    reg          rst_q;
    always @(posedge clk or posedge arst) begin
        if (arst) begin
            rst_q <= 1'b1;
        end else begin
            rst_q <= (cnt_q != LAST);
        end
    end

    assign rst = rst_q;

endmodule

`default_nettype wire
