// lr_eth_mac_rx: receive MAC: GMII-style bytes (rx clock) to whole frames on an AXI stream (core clock).
`default_nettype none

// In the rx clock domain a small state machine finds the frame: RX_DV rises, preamble bytes 0x55,
// then the SFD 0xD5; every byte after the SFD until RX_DV falls is the frame, FCS included (the
// core checks the FCS). The bytes go into an lr_async_fifo, which shows them to the core only
// once the frame is committed whole. A MAC cannot hold the wire back, so a frame is dropped, the
// FIFO's write pointer rolling back to the frame's start, when:
//   - the FIFO has no room for a byte (stat_rx_drop_overflow): the core is slower than the wire,
//     or stalls; a frame longer than the FIFO always ends here;
//   - RX_ER is high in a byte while RX_DV is (stat_rx_drop_error), in the frame or its preamble.
// A reception that shows anything but 0x55 before its SFD, or ends without one, is ignored (not
// counted). Each byte is held one clock, so that it can be written with tlast once RX_DV falls.
// No length checks: runts and giants reach the core, which drops them.
module lr_eth_mac_rx #(
    parameter FIFO_BYTES      = 2048,   // frame FIFO, a power of two >= MAX_FRAME_BYTES
    parameter MAX_FRAME_BYTES = 1536    // longest frame (FCS included) that must fit the FIFO whole
) (
    // core clock domain
    input  wire        clk,
    input  wire        rst,             // synchronous, active high

    // receive clock domain (the PHY's RXC)
    input  wire        rx_clk,
    input  wire        rx_rst,          // synchronous to rx_clk, asserted together with rst
    input  wire [7:0]  gmii_rxd,
    input  wire        gmii_rx_dv,
    input  wire        gmii_rx_er,

    // frames with their FCS, toward the core (clk)
    output wire [7:0]  m_axis_rx_tdata,
    output wire        m_axis_rx_tkeep,
    output wire        m_axis_rx_tvalid,
    input  wire        m_axis_rx_tready,
    output wire        m_axis_rx_tlast,

    // status (clk)
    output wire [31:0] stat_rx_drop_overflow,   // frames dropped: no room in the FIFO
    output wire [31:0] stat_rx_drop_error       // frames dropped: RX_ER
);

    generate
        if (FIFO_BYTES < MAX_FRAME_BYTES || MAX_FRAME_BYTES < 64) begin : g_bad_param
            $error("%m: lr_eth_mac_rx FIFO_BYTES must hold MAX_FRAME_BYTES (>= 64)");
        end
    endgenerate

    localparam [1:0] S_HUNT  = 2'd0,    // no frame yet: wait for RX_DV, preamble, SFD
                     S_FRAME = 2'd1,    // frame bytes into the FIFO
                     S_SKIP  = 2'd2;    // dropped, or not a frame: wait for RX_DV to fall

    reg [1:0] state_q, state_d;
    reg [7:0] hold_q, hold_d;           // the last byte received, written once the next one comes
    reg       hold_valid_q, hold_valid_d;

    // FIFO write port and drop events (rx_clk)
    reg       wr_valid, wr_last, wr_commit, wr_drop;
    reg       ev_overflow, ev_error;
    wire      wr_ready;

    always @* begin
        state_d      = state_q;
        hold_d       = hold_q;
        hold_valid_d = hold_valid_q;
        wr_valid     = 1'b0;
        wr_last      = 1'b0;
        wr_commit    = 1'b0;
        wr_drop      = 1'b0;
        ev_overflow  = 1'b0;
        ev_error     = 1'b0;
        case (state_q)
            S_HUNT: begin
                hold_valid_d = 1'b0;
                if (gmii_rx_dv) begin
                    if (gmii_rx_er) begin
                        ev_error = 1'b1;
                        state_d  = S_SKIP;
                    end else if (gmii_rxd == 8'hD5) begin
                        state_d = S_FRAME;
                    end else if (gmii_rxd != 8'h55) begin
                        state_d = S_SKIP;
                    end
                end
            end
            S_FRAME: begin
                if (gmii_rx_dv) begin
                    hold_d       = gmii_rxd;
                    hold_valid_d = 1'b1;
                    wr_valid     = hold_valid_q;
                    if (gmii_rx_er) begin
                        wr_drop  = 1'b1;
                        ev_error = 1'b1;
                        state_d  = S_SKIP;
                    end else if (hold_valid_q && !wr_ready) begin
                        wr_drop     = 1'b1;
                        ev_overflow = 1'b1;
                        state_d     = S_SKIP;
                    end
                end else begin
                    // RX_DV fell: the held byte ends the frame
                    state_d = S_HUNT;
                    if (hold_valid_q) begin
                        wr_valid = 1'b1;
                        wr_last  = 1'b1;
                        if (wr_ready) begin
                            wr_commit = 1'b1;
                        end else begin
                            wr_drop     = 1'b1;
                            ev_overflow = 1'b1;
                        end
                    end
                end
            end
            S_SKIP: begin
                if (!gmii_rx_dv) begin
                    state_d = S_HUNT;
                end
            end
            default: begin
                state_d = S_HUNT;
            end
        endcase
    end

    always @(posedge rx_clk) begin
        if (rx_rst) begin
            state_q      <= S_HUNT;
            hold_valid_q <= 1'b0;
        end else begin
            state_q      <= state_d;
            hold_valid_q <= hold_valid_d;
        end
        hold_q <= hold_d;
    end

    wire [8:0] rd_word;

    lr_async_fifo #(
        .WIDTH (9),
        .DEPTH (FIFO_BYTES)
    ) u_fifo (
        .s_clk    (rx_clk),
        .s_rst    (rx_rst),
        .m_clk    (clk),
        .m_rst    (rst),
        .s_data   ({wr_last, hold_q}),
        .s_valid  (wr_valid),
        .s_ready  (wr_ready),
        .s_commit (wr_commit),
        .s_drop   (wr_drop),
        .m_data   (rd_word),
        .m_valid  (m_axis_rx_tvalid),
        .m_ready  (m_axis_rx_tready)
    );

    assign m_axis_rx_tdata = rd_word[7:0];
    assign m_axis_rx_tlast = rd_word[8];
    assign m_axis_rx_tkeep = 1'b1;

    lr_eth_stat_cdc #(
        .STAT_WIDTH (32)
    ) u_stat_overflow (
        .clk        (clk),
        .rst        (rst),
        .src_clk    (rx_clk),
        .src_rst    (rx_rst),
        .src_event  (ev_overflow),
        .stat_count (stat_rx_drop_overflow)
    );

    lr_eth_stat_cdc #(
        .STAT_WIDTH (32)
    ) u_stat_error (
        .clk        (clk),
        .rst        (rst),
        .src_clk    (rx_clk),
        .src_rst    (rx_rst),
        .src_event  (ev_error),
        .stat_count (stat_rx_drop_error)
    );

endmodule

`default_nettype wire
