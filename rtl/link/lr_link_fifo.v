// lr_link_fifo: frame FIFO that never back-pressures its input; drops a frame whole when it does not fit.
`default_nettype none

// Input: a stream of DATA_WIDTH beats (tkeep contiguous from bit 0, only the last beat partial)
// that is always taken. Each frame is written speculatively; it becomes visible to the reader only
// at its last beat. A frame that meets a full FIFO (words or frame slots) is dropped whole: the
// write pointer returns to the frame's start, the rest of its beats are ignored and stat_drop
// pulses once. So a frame longer than the FIFO is always dropped.
// Output: the stored frames, one byte per clock (tlast on each frame's last byte), in order.
// Each frame keeps the tdest of its last beat (TAG_WIDTH bits; the source of the frame when
// several streams that never overlap share one FIFO); a drop reports the tdest of the beat that
// met the full FIFO.
// SINGLE_PORT = 1: the storage makes one access per clock, a write or a read (a single-port RAM:
// the UP5K's SPRAM); a write always goes first, so the output waits in the clocks a frame is
// being written.
module lr_link_fifo #(
    parameter DATA_WIDTH = 64,               // input width, power of two 8..128
    parameter KEEP_WIDTH = DATA_WIDTH/8,     // byte enables
    parameter FIFO_BYTES = 16384,            // storage bytes, a power of two >= 2*KEEP_WIDTH
    parameter MAX_FRAMES = (FIFO_BYTES/64 >= 2) ? FIFO_BYTES/64 : 2, // frames held at once, a power of two >= 2
    parameter TAG_WIDTH  = 1,                // tdest bits kept per frame
    parameter SINGLE_PORT = 0                // 1: one storage access per clock (see above)
) (
    input  wire                  clk,
    input  wire                  rst,

    // frames in (no tready: always taken)
    input  wire [DATA_WIDTH-1:0] s_axis_tdata,
    input  wire [KEEP_WIDTH-1:0] s_axis_tkeep,
    input  wire                  s_axis_tvalid,
    input  wire                  s_axis_tlast,
    input  wire [TAG_WIDTH-1:0]  s_axis_tdest,

    // bytes out
    output wire [7:0]            m_axis_tdata,
    output wire                  m_axis_tvalid,
    input  wire                  m_axis_tready,
    output wire                  m_axis_tlast,
    output wire [TAG_WIDTH-1:0]  m_axis_tdest,  // the frame's tag, with each of its bytes

    // status
    output wire                  stat_drop,     // pulse: a frame was dropped
    output wire [TAG_WIDTH-1:0]  stat_drop_tag, // with stat_drop: its tdest
    output wire                  stat_empty     // no whole frame stored, none leaving
);

    localparam KW    = KEEP_WIDTH;
    localparam DEPTH = FIFO_BYTES / KW;                 // words
    localparam AW    = $clog2(DEPTH);
    localparam FW    = $clog2(MAX_FRAMES);
    localparam LW    = $clog2(FIFO_BYTES) + 1;          // frame length (bytes) width
    localparam BW    = (KW > 1) ? $clog2(KW) : 1;       // byte lane index width

    localparam [31:0]   KW_W       = KW;
    localparam [LW-1:0] KW_L       = KW_W[LW-1:0];
    localparam [31:0]   LAST_LANE_W = KW - 1;
    localparam [BW-1:0] LAST_LANE  = LAST_LANE_W[BW-1:0];
    localparam [31:0]   DEPTH_W    = DEPTH;
    localparam [AW:0]   DEPTH_Q    = DEPTH_W[AW:0];
    localparam [31:0]   FRAMES_W   = MAX_FRAMES;
    localparam [FW:0]   FRAMES_Q   = FRAMES_W[FW:0];

    generate
        if (DATA_WIDTH < 8 || DATA_WIDTH > 128 || (DATA_WIDTH & (DATA_WIDTH - 1)) != 0
            || KEEP_WIDTH != DATA_WIDTH/8) begin : g_bad_width
            $error("lr_link_fifo: DATA_WIDTH must be a power of two 8..128 and KEEP_WIDTH = DATA_WIDTH/8");
        end
        if ((FIFO_BYTES & (FIFO_BYTES - 1)) != 0 || FIFO_BYTES < 2*KEEP_WIDTH) begin : g_bad_size
            $error("lr_link_fifo: FIFO_BYTES must be a power of two >= 2*KEEP_WIDTH");
        end
        if ((MAX_FRAMES & (MAX_FRAMES - 1)) != 0 || MAX_FRAMES < 2) begin : g_bad_frames
            $error("lr_link_fifo: MAX_FRAMES must be a power of two >= 2");
        end
    endgenerate

    localparam [1:0] R_IDLE  = 2'd0,   // no frame being read
                     R_FIRST = 2'd1,   // length and first word arriving
                     R_BYTES = 2'd2;   // bytes of the word in rd_word_q

    localparam TW = TAG_WIDTH;

    reg [DATA_WIDTH-1:0] mem [0:DEPTH-1];
    reg [TW+LW-1:0]      lens [0:MAX_FRAMES-1];   // {tag, length} per frame

    // write side
    reg [AW:0]   wr_q, wr_d;          // next word to write (speculative)
    reg [AW:0]   wc_q, wc_d;          // committed: end of the last whole frame
    reg [LW-1:0] flen_q, flen_d;      // bytes of the frame being written
    reg          drop_q, drop_d;      // ignoring the rest of a dropped frame
    reg [FW:0]   lw_q, lw_d;          // frame slots written
    reg          dropped_q, dropped_d;
    reg [TW-1:0] drop_tag_q;
    reg          mem_we, len_we;
    reg [LW-1:0] len_wdata;
    // read side
    reg [1:0]    rstate_q, rstate_d;
    reg [AW:0]   rd_q, rd_d;          // word being read
    reg [FW:0]   lr_q, lr_d;          // frame slots read
    reg [LW-1:0] rem_q, rem_d;        // bytes of the frame left to send
    reg [BW-1:0] lane_q, lane_d;
    reg [DATA_WIDTH-1:0] rd_word_q;
    reg [LW-1:0] rd_len_q;
    reg [TW-1:0] rd_tag_q;
    reg          mem_re, len_re;
    reg [AW-1:0] mem_raddr;
    reg [7:0]    out_q, out_d;
    reg          out_valid_q, out_valid_d;
    reg          out_last_q, out_last_d;
    reg [TW-1:0] out_tag_q, out_tag_d;

    wire [AW:0] used      = wr_q - rd_q;
    wire        mem_full  = (used == DEPTH_Q);
    wire [FW:0] fused     = lw_q - lr_q;
    wire        lens_full = (fused == FRAMES_Q);
    wire        have      = (lw_q != lr_q);
    wire        out_free  = !out_valid_q || m_axis_tready;
    wire        port_free = (SINGLE_PORT == 0) || !mem_we;   // the storage can read this clock

    assign m_axis_tdata  = out_q;
    assign m_axis_tvalid = out_valid_q;
    assign m_axis_tlast  = out_last_q;
    assign m_axis_tdest  = out_tag_q;
    assign stat_drop     = dropped_q;
    assign stat_drop_tag = drop_tag_q;
    assign stat_empty    = !have && (rstate_q == R_IDLE) && !out_valid_q;

    // bytes in the last beat (tkeep contiguous from bit 0)
    reg [LW-1:0] last_bytes;
    integer i;
    always @* begin
        last_bytes = {LW{1'b0}};
        if (s_axis_tvalid && s_axis_tlast) begin
            for (i = 0; i < KW; i = i + 1) begin
                if (s_axis_tkeep[i]) begin
                    last_bytes = last_bytes + 1'b1;
                end
            end
        end
    end

    // ---------------------------------------------------------------- write side
    always @* begin
        wr_d      = wr_q;
        wc_d      = wc_q;
        flen_d    = flen_q;
        drop_d    = drop_q;
        lw_d      = lw_q;
        dropped_d = 1'b0;
        mem_we    = 1'b0;
        len_we    = 1'b0;
        len_wdata = flen_q + (s_axis_tlast ? last_bytes : KW_L);
        if (s_axis_tvalid) begin
            if (drop_q) begin
                drop_d = !s_axis_tlast;
            end else if (mem_full || (s_axis_tlast && lens_full)) begin
                wr_d      = wc_q;
                flen_d    = {LW{1'b0}};
                drop_d    = !s_axis_tlast;
                dropped_d = 1'b1;
            end else begin
                mem_we = 1'b1;
                wr_d   = wr_q + 1'b1;
                flen_d = len_wdata;
                if (s_axis_tlast) begin
                    len_we = 1'b1;
                    lw_d   = lw_q + 1'b1;
                    wc_d   = wr_q + 1'b1;
                    flen_d = {LW{1'b0}};
                end
            end
        end
    end

    // ---------------------------------------------------------------- read side
    always @* begin
        rstate_d    = rstate_q;
        rd_d        = rd_q;
        lr_d        = lr_q;
        rem_d       = rem_q;
        lane_d      = lane_q;
        mem_re      = 1'b0;
        len_re      = 1'b0;
        mem_raddr   = rd_q[AW-1:0];
        out_d       = out_q;
        out_valid_d = out_valid_q && !m_axis_tready;
        out_last_d  = out_last_q;
        out_tag_d   = out_tag_q;
        case (rstate_q)
            R_IDLE: begin
                if (have && port_free) begin
                    mem_re   = 1'b1;
                    len_re   = 1'b1;
                    rstate_d = R_FIRST;
                end
            end
            R_FIRST: begin
                rem_d    = rd_len_q;
                lane_d   = {BW{1'b0}};
                rstate_d = R_BYTES;
            end
            R_BYTES: begin
                if (out_free && port_free) begin
                    out_d       = rd_word_q[8*lane_q +: 8];
                    out_tag_d   = rd_tag_q;
                    out_valid_d = 1'b1;
                    out_last_d  = (rem_q == 1);
                    rem_d       = rem_q - 1'b1;
                    lane_d      = lane_q + 1'b1;
                    if (rem_q == 1) begin
                        rd_d     = rd_q + 1'b1;
                        lr_d     = lr_q + 1'b1;
                        rstate_d = R_IDLE;
                    end else if (lane_q == LAST_LANE) begin
                        rd_d      = rd_q + 1'b1;
                        mem_re    = 1'b1;
                        mem_raddr = rd_q[AW-1:0] + 1'b1;
                        lane_d    = {BW{1'b0}};
                    end
                end
            end
            default: begin
                rstate_d = R_IDLE;
            end
        endcase
    end

    always @(posedge clk) begin
        if (rst) begin
            wr_q        <= {(AW+1){1'b0}};
            wc_q        <= {(AW+1){1'b0}};
            flen_q      <= {LW{1'b0}};
            drop_q      <= 1'b0;
            lw_q        <= {(FW+1){1'b0}};
            dropped_q   <= 1'b0;
            rstate_q    <= R_IDLE;
            rd_q        <= {(AW+1){1'b0}};
            lr_q        <= {(FW+1){1'b0}};
            out_valid_q <= 1'b0;
        end else begin
            wr_q        <= wr_d;
            wc_q        <= wc_d;
            flen_q      <= flen_d;
            drop_q      <= drop_d;
            lw_q        <= lw_d;
            dropped_q   <= dropped_d;
            rstate_q    <= rstate_d;
            rd_q        <= rd_d;
            lr_q        <= lr_d;
            out_valid_q <= out_valid_d;
        end
    end

    // datapath: storage (write ports, registered read ports) and the output byte
    always @(posedge clk) begin
        rem_q      <= rem_d;
        lane_q     <= lane_d;
        out_q      <= out_d;
        out_last_q <= out_last_d;
        out_tag_q  <= out_tag_d;
        if (dropped_d) begin
            drop_tag_q <= s_axis_tdest;
        end
        if (len_we) begin
            lens[lw_q[FW-1:0]] <= {s_axis_tdest, len_wdata};
        end
        if (len_re) begin
            {rd_tag_q, rd_len_q} <= lens[lr_q[FW-1:0]];
        end
    end

    generate
        if (SINGLE_PORT != 0) begin : g_single
            // one address: the write's, else the read's (mem_re is never set with mem_we)
            wire [AW-1:0] mem_addr = mem_we ? wr_q[AW-1:0] : mem_raddr;
            always @(posedge clk) begin
                if (mem_we) begin
                    mem[mem_addr] <= s_axis_tdata;
                end else if (mem_re) begin
                    rd_word_q <= mem[mem_addr];
                end
            end
        end else begin : g_dual
            always @(posedge clk) begin
                if (mem_we) begin
                    mem[wr_q[AW-1:0]] <= s_axis_tdata;
                end
                if (mem_re) begin
                    rd_word_q <= mem[mem_raddr];
                end
            end
        end
    endgenerate

endmodule

`default_nettype wire
