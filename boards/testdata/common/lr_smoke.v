// lr_smoke: a UART echo (every byte received on RX goes back on TX), to exercise the build flow.
`default_nettype none

// boards/build_fpga_test.go builds it for each FPGA family through linerate's own flow (yosys,
// nextpnr, icepack or ecppack, the report), on a board's real pins, with no PLL: the clock pin
// drives it directly. Flashed, it also checks a host-link cable: what you type comes back.
module lr_smoke #(
    parameter UART_DIV   = 16,      // clocks per UART bit
    parameter BUILD_ID   = 0,       // set by the flow like every board's (unused here)
    parameter BUILD_DATE = 0
) (
    input  wire CLK,
    input  wire RX,
    output wire TX
);

    wire rst;

    lr_reset_sync #(
        .HOLD (16)
    ) u_reset (
        .clk  (CLK),
        .arst (1'b0),
        .rst  (rst)
    );

    localparam [15:0] DIV = UART_DIV[15:0];

    wire [7:0] rx_data;
    wire       rx_valid, rx_err, rx_busy, tx_ready, tx_busy;
    reg  [7:0] byte_q;
    reg        full_q;

    lr_uart_rx u_rx (
        .clk            (CLK),
        .rst            (rst),
        .rxd            (RX),
        .cfg_uart_div   (DIV),
        .m_data         (rx_data),
        .m_valid        (rx_valid),
        .stat_frame_err (rx_err),
        .stat_busy      (rx_busy)
    );

    always @(posedge CLK) begin
        if (rx_valid) begin
            byte_q <= rx_data;
        end
        if (rst) begin
            full_q <= 1'b0;
        end else if (rx_valid) begin
            full_q <= 1'b1;
        end else if (tx_ready) begin
            full_q <= 1'b0;
        end
    end

    lr_uart_tx u_tx (
        .clk          (CLK),
        .rst          (rst),
        .cfg_uart_div (DIV),
        .s_data       (byte_q),
        .s_valid      (full_q),
        .s_ready      (tx_ready),
        .txd          (TX),
        .stat_busy    (tx_busy)
    );

    wire unused = ^{rx_err, rx_busy, tx_busy, BUILD_ID[0], BUILD_DATE[0]};

endmodule

`default_nettype wire
