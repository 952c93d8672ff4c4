// lr_reset_sync: a board's reset: asserted asynchronously, released synchronously, held HOLD clocks.
`default_nettype none

// rst is high from power-up (flip-flops start at zero), and whenever arst is high (PLL not locked,
// reset button), until HOLD clocks after arst has gone low. It leaves on a clock edge, so every
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

    reg          run_q;     // out of reset; zero at power-up, as every flip-flop of the FPGA
    always @(posedge clk or posedge arst) begin
        if (arst) begin
            run_q <= 1'b0;
        end else begin
            run_q <= (cnt_q == LAST);
        end
    end

    assign rst = !run_q;

endmodule

`default_nettype wire
