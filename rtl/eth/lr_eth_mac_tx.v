// lr_eth_mac_tx: transmit MAC: whole frames from an AXI stream (core clock) to GMII-style bytes (tx clock).
`default_nettype none

// The core's frames (padded, FCS included) enter an lr_async_fifo in the core clock domain and are
// committed at tlast, so the tx side sees a frame only once all of it is stored. It has to be: the
// core (48 MHz x 8 bits) is slower than the wire, and a frame once started must go out one byte
// per tx_clk without a gap. The tx side sends 7 x 0x55, the SFD 0xD5, the frame, then at least
// IFG_BYTES idle bytes before the next preamble.
//
// Because a frame waits whole in the FIFO, the FIFO must hold MAX_FRAME_BYTES. A longer frame
// would wait for ever; instead, its first MAX_FRAME_BYTES bytes are rolled back out of the FIFO,
// the rest is accepted and discarded, and stat_tx_drop_oversize counts it. Nothing of it is sent.
// tkeep is ignored: at 8 bits every beat carries its byte.
module lr_eth_mac_tx #(
    parameter FIFO_BYTES      = 2048,   // frame FIFO, a power of two >= MAX_FRAME_BYTES
    parameter MAX_FRAME_BYTES = 1536,   // longest frame sent (FCS included); longer ones are dropped
    parameter IFG_BYTES       = 12      // idle bytes between frames, >= 12 (802.3: 96 bit times)
) (
    // core clock domain
    input  wire        clk,
    input  wire        rst,             // synchronous, active high

    // frames with their FCS, from the core (clk)
    input  wire [7:0]  s_axis_tx_tdata,
    input  wire        s_axis_tx_tkeep,
    input  wire        s_axis_tx_tvalid,
    output wire        s_axis_tx_tready,
    input  wire        s_axis_tx_tlast,

    // transmit clock domain (125 MHz)
    input  wire        tx_clk,
    input  wire        tx_rst,          // synchronous to tx_clk, asserted together with rst
    output wire [7:0]  gmii_txd,
    output wire        gmii_tx_en,

    // status (clk)
    output wire [31:0] stat_tx_drop_oversize    // frames longer than MAX_FRAME_BYTES, dropped
);

    generate
        if (FIFO_BYTES < MAX_FRAME_BYTES || MAX_FRAME_BYTES < 64) begin : g_bad_fifo
            $error("%m: lr_eth_mac_tx FIFO_BYTES must hold MAX_FRAME_BYTES (>= 64): a frame waits whole");
        end
        if (IFG_BYTES < 12 || IFG_BYTES > 255) begin : g_bad_ifg
            $error("%m: lr_eth_mac_tx IFG_BYTES must be 12..255");
        end
    endgenerate

    // ---- core side: write frames, commit at tlast, roll back an oversize one -------------------
    localparam LW = $clog2(MAX_FRAME_BYTES + 1);
    localparam [LW-1:0] MAX_LEN = MAX_FRAME_BYTES[LW-1:0];

    reg [LW-1:0] len_q, len_d;          // bytes of the current frame in the FIFO
    reg          discard_q, discard_d;  // eating the rest of an oversize frame
    reg [31:0]   oversize_q, oversize_d;
    reg          wr_valid, wr_commit, wr_drop;
    wire         wr_ready;

    wire too_long = (len_q == MAX_LEN);  // this beat would be one byte too many
    wire beat     = s_axis_tx_tvalid && s_axis_tx_tready;

    assign s_axis_tx_tready      = discard_q || too_long || wr_ready;
    assign stat_tx_drop_oversize = oversize_q;

    wire unused_tkeep = s_axis_tx_tkeep;

    always @* begin
        len_d      = len_q;
        discard_d  = discard_q;
        oversize_d = oversize_q;
        wr_valid   = 1'b0;
        wr_commit  = 1'b0;
        wr_drop    = 1'b0;
        if (beat) begin
            if (discard_q) begin
                discard_d = !s_axis_tx_tlast;
            end else if (too_long) begin
                wr_drop    = 1'b1;
                len_d      = {LW{1'b0}};
                discard_d  = !s_axis_tx_tlast;
                oversize_d = oversize_q + 32'd1;
            end else begin
                wr_valid = 1'b1;
                if (s_axis_tx_tlast) begin
                    wr_commit = 1'b1;
                    len_d     = {LW{1'b0}};
                end else begin
                    len_d = len_q + 1'b1;
                end
            end
        end
    end

    always @(posedge clk) begin
        if (rst) begin
            len_q      <= {LW{1'b0}};
            discard_q  <= 1'b0;
            oversize_q <= 32'd0;
        end else begin
            len_q      <= len_d;
            discard_q  <= discard_d;
            oversize_q <= oversize_d;
        end
    end

    wire [8:0] fifo_word;
    wire       fifo_valid;
    wire       fifo_ready;
    wire [8:0] rd_word;         // the FIFO's next word, from a register slice
    wire       rd_valid;
    reg        rd_ready;

    lr_async_fifo #(
        .WIDTH    (9),
        .DEPTH    (FIFO_BYTES),
        .READ_REG (2)           // tx_clk is 125 MHz: a flip-flop free to sit beside the RAM
    ) u_fifo (
        .s_clk    (clk),
        .s_rst    (rst),
        .m_clk    (tx_clk),
        .m_rst    (tx_rst),
        .s_data   ({s_axis_tx_tlast, s_axis_tx_tdata}),
        .s_valid  (wr_valid),
        .s_ready  (wr_ready),
        .s_commit (wr_commit),
        .s_drop   (wr_drop),
        .m_data   (fifo_word),
        .m_valid  (fifo_valid),
        .m_ready  (fifo_ready)
    );

    // The FIFO's output register is the block RAM's, slow to clock out (about 6 ns on an ECP5-6);
    // a fabric register slice keeps it off the paths of the 125 MHz state machine.
    wire unused_slice_empty;

    lr_skid #(
        .WIDTH (9)
    ) u_slice (
        .clk        (tx_clk),
        .rst        (tx_rst),
        .s_data     (fifo_word),
        .s_valid    (fifo_valid),
        .s_ready    (fifo_ready),
        .m_data     (rd_word),
        .m_valid    (rd_valid),
        .m_ready    (rd_ready),
        .stat_empty (unused_slice_empty)
    );

    // ---- tx side: preamble, SFD, frame, gap ----------------------------------------------------
    localparam [1:0] S_IDLE = 2'd0,     // gap done: start when a whole frame is stored
                     S_PRE  = 2'd1,     // 7 x 0x55, then 0xD5
                     S_DATA = 2'd2,     // the frame, one byte per clock
                     S_GAP  = 2'd3;     // IFG_BYTES - 1 idle bytes (S_IDLE adds the last one)

    localparam [7:0] GAP_LAST = IFG_BYTES - 2;

    reg [1:0] state_q, state_d;
    reg [7:0] cnt_q, cnt_d;
    reg [7:0] txd_q, txd_d;
    reg       tx_en_q, tx_en_d;

    always @* begin
        state_d  = state_q;
        cnt_d    = cnt_q;
        txd_d    = 8'h00;
        tx_en_d  = 1'b0;
        rd_ready = 1'b0;
        case (state_q)
            S_IDLE: begin
                cnt_d = 8'd0;
                if (rd_valid) begin
                    state_d = S_PRE;
                end
            end
            S_PRE: begin
                tx_en_d = 1'b1;
                txd_d   = (cnt_q == 8'd7) ? 8'hD5 : 8'h55;
                cnt_d   = cnt_q + 8'd1;
                if (cnt_q == 8'd7) begin
                    state_d = S_DATA;
                end
            end
            S_DATA: begin
                tx_en_d  = 1'b1;
                txd_d    = rd_word[7:0];
                rd_ready = 1'b1;
                cnt_d    = 8'd0;
                if (rd_word[8]) begin
                    state_d = S_GAP;
                end
            end
            S_GAP: begin
                cnt_d = cnt_q + 8'd1;
                if (cnt_q == GAP_LAST) begin
                    state_d = S_IDLE;
                end
            end
            default: begin
                state_d = S_IDLE;
            end
        endcase
    end

    always @(posedge tx_clk) begin
        if (tx_rst) begin
            state_q <= S_IDLE;
            cnt_q   <= 8'd0;
            tx_en_q <= 1'b0;
        end else begin
            state_q <= state_d;
            cnt_q   <= cnt_d;
            tx_en_q <= tx_en_d;
        end
        txd_q <= txd_d;
    end

    assign gmii_txd   = txd_q;
    assign gmii_tx_en = tx_en_q;

endmodule

`default_nettype wire
