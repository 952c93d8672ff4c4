// lr_rewrite: per port; executes the lookup result on the stored frame: rewrite, punt or discard.
`default_nettype none

// For each result (in order) it reads the frame's beats from lr_ingress's FIFO and
//   forward: sends b[0 .. 14+tot) with bytes 0-5 = adj.dmac, 6-11 = adj.smac, 22 = ttl-1,
//            24-25 = RFC 1624 incremental checksum, toward output port adj.port (tdest);
//   punt:    sends the 16-byte punt header (seq left 0 for lr_cpu_mux) then b[0 .. L) (tcpu);
//   drop:    discards the beats.
// Beats past the output length (padding, trailing bytes, FCS) are discarded without waiting for
// the output. The next frame's first beat follows the previous frame's last beat with no bubble.
// The result queue is sized by the lookup's credits (RES_DEPTH), so it never overflows.
module lr_rewrite #(
    parameter DATA_WIDTH = 64,            // stream width in bits, power of two 8..128
    parameter KEEP_WIDTH = DATA_WIDTH/8,  // byte enables
    parameter RES_DEPTH  = 8,             // result queue depth, power of two (lookup credits)
    parameter RES_W      = 208            // result record width (lr_defs.vh RES_WIDTH)
) (
    input  wire                  clk,
    input  wire                  rst,

    // results from lr_lookup
    input  wire [RES_W-1:0]      s_res_data,
    input  wire                  s_res_valid,
    output wire                  res_credit,       // pulse: one result consumed

    // stored frame from lr_ingress
    input  wire [DATA_WIDTH-1:0] s_axis_frame_tdata,
    input  wire [KEEP_WIDTH-1:0] s_axis_frame_tkeep,
    input  wire                  s_axis_frame_tvalid,
    output wire                  s_axis_frame_tready,
    input  wire                  s_axis_frame_tlast,

    // output toward lr_out_mux (tdest) or lr_cpu_mux (tcpu)
    output wire [DATA_WIDTH-1:0] m_axis_tdata,
    output wire [KEEP_WIDTH-1:0] m_axis_tkeep,
    output wire                  m_axis_tvalid,
    input  wire                  m_axis_tready,
    output wire                  m_axis_tlast,
    output wire [7:0]            m_axis_tdest,     // output port (forwarded frames)
    output wire                  m_axis_tcpu,      // frame goes to the CPU queue
    output wire [7:0]            m_axis_tuser,     // ingress port

    output wire                  stat_idle
);

    `include "lr_defs.vh"

    localparam K         = KEEP_WIDTH;
    localparam PH_BEATS  = 8 * PUNT_HDR_BYTES / DATA_WIDTH;
    localparam PHW       = $clog2(PH_BEATS + 1);
    localparam [PHW-1:0] PH_BEATS_Q = PH_BEATS[PHW-1:0];
    localparam [16:0]    K17        = K[16:0];
    localparam [16:0] PATCH_END = 17'd26;   // bytes 0..25 may change
    localparam OW        = DATA_WIDTH + KEEP_WIDTH + 1 + 8 + 1 + 8;  // skid payload

    generate
        if (RES_W != RES_WIDTH) begin : g_bad_res
            $error("lr_rewrite: RES_W must equal RES_WIDTH of lr_defs.vh");
        end
        if (DATA_WIDTH < 8 || DATA_WIDTH > 128 || (DATA_WIDTH & (DATA_WIDTH - 1)) != 0
            || KEEP_WIDTH != DATA_WIDTH/8) begin : g_bad_width
            $error("lr_rewrite: DATA_WIDTH must be a power of two 8..128 and KEEP_WIDTH = DATA_WIDTH/8");
        end
    endgenerate

    // ---------------------------------------------------------------- result queue
    wire [RES_W-1:0] res;
    wire             res_valid;
    wire             res_pop;
    wire             res_empty;
    wire             unused_res_ready;

    lr_fifo #(
        .WIDTH (RES_W),
        .DEPTH (RES_DEPTH)
    ) u_res_queue (
        .clk        (clk),
        .rst        (rst),
        .s_data     (s_res_data),
        .s_valid    (s_res_valid),
        .s_ready    (unused_res_ready),
        .m_data     (res),
        .m_valid    (res_valid),
        .m_ready    (res_pop),
        .stat_empty (res_empty)
    );

    wire [1:0]  act     = res[RES_ACT_LSB     +: 2];
    wire [4:0]  reason  = res[RES_REASON_LSB  +: 5];
    wire [7:0]  in_port = res[RES_IN_PORT_LSB +: 8];
    wire [7:0]  egress  = res[RES_EGRESS_LSB  +: 8];
    wire        hit     = res[RES_HIT_BIT];
    wire [15:0] lpm_idx = res[RES_LPM_IDX_LSB +: 16];
    wire [15:0] adj_idx = res[RES_ADJ_IDX_LSB +: 16];
    wire [15:0] len_l   = res[RES_LEN_LSB     +: 16];
    wire [15:0] out_len = res[RES_OUT_LEN_LSB +: 16];
    wire [47:0] dmac    = res[RES_DMAC_LSB    +: 48];
    wire [47:0] smac    = res[RES_SMAC_LSB    +: 48];
    wire [7:0]  ttl     = res[RES_TTL_LSB     +: 8];
    wire [15:0] csum    = res[RES_CSUM_LSB    +: 16];

    // ---------------------------------------------------------------- beat control
    reg  [PHW-1:0] ph_q, ph_d;      // punt header beats sent
    reg  [16:0]    off_q, off_d;    // byte offset of the current input beat
    reg            done_q, done_d;  // output length reached: discard the rest

    wire out_ready;

    wire is_punt  = (act == ACT_PUNT);
    wire emit_hdr = res_valid && is_punt && (ph_q < PH_BEATS_Q);
    wire discard  = res_valid && !emit_hdr && (act == ACT_DROP || done_q);
    wire emit_frm = res_valid && !emit_hdr && !discard;
    wire out_last = (off_q + K17) >= {1'b0, out_len};
    wire pop      = s_axis_frame_tvalid && (discard || (emit_frm && out_ready));

    assign s_axis_frame_tready = pop;
    assign res_pop             = pop && s_axis_frame_tlast;
    assign res_credit          = res_pop;

    always @* begin
        ph_d   = ph_q;
        off_d  = off_q;
        done_d = done_q;
        if (emit_hdr && out_ready) begin
            ph_d = ph_q + 1'b1;
        end
        if (pop) begin
            if (s_axis_frame_tlast) begin
                ph_d   = {PHW{1'b0}};
                off_d  = 17'd0;
                done_d = 1'b0;
            end else if (!done_q) begin
                off_d  = off_q + K17;
                done_d = emit_frm && out_last;
            end
        end
    end

    always @(posedge clk) begin
        if (rst) begin
            ph_q   <= {PHW{1'b0}};
            off_q  <= 17'd0;
            done_q <= 1'b0;
        end else begin
            ph_q   <= ph_d;
            off_q  <= off_d;
            done_q <= done_d;
        end
    end

    // ---------------------------------------------------------------- output beat
    // punt header, byte i at [8i +: 8] (big-endian fields; seq left 0)
    function [127:0] punt_header;
        input [4:0]  f_reason;
        input [7:0]  f_in_port;
        input        f_hit;
        input [15:0] f_lpm_idx;
        input [15:0] f_adj_idx;
        input [7:0]  f_egress;
        input [15:0] f_len;
        begin
            punt_header = {f_len[7:0], f_len[15:8], 8'd0, f_egress,
                           f_adj_idx[7:0], f_adj_idx[15:8], f_lpm_idx[7:0], f_lpm_idx[15:8],
                           {7'd0, f_hit}, f_in_port, {3'd0, f_reason}, PUNT_VERSION,
                           32'd0};
        end
    endfunction

    // rewritten bytes of a forwarded frame: 0-5 adj.dmac, 6-11 adj.smac, 22 ttl-1, 24-25 the new
    // checksum c = u16(24) + 0x0100 (+1 when >= 0xFFFF), big-endian. Returns {changed, byte}.
    function [8:0] patch_byte;
        input [4:0]  f_pos;
        input [47:0] f_dmac;
        input [47:0] f_smac;
        input [7:0]  f_ttl_new;
        input [15:0] f_csum_new;
        begin
            case (f_pos)
                5'd0:    patch_byte = {1'b1, f_dmac[47:40]};
                5'd1:    patch_byte = {1'b1, f_dmac[39:32]};
                5'd2:    patch_byte = {1'b1, f_dmac[31:24]};
                5'd3:    patch_byte = {1'b1, f_dmac[23:16]};
                5'd4:    patch_byte = {1'b1, f_dmac[15:8]};
                5'd5:    patch_byte = {1'b1, f_dmac[7:0]};
                5'd6:    patch_byte = {1'b1, f_smac[47:40]};
                5'd7:    patch_byte = {1'b1, f_smac[39:32]};
                5'd8:    patch_byte = {1'b1, f_smac[31:24]};
                5'd9:    patch_byte = {1'b1, f_smac[23:16]};
                5'd10:   patch_byte = {1'b1, f_smac[15:8]};
                5'd11:   patch_byte = {1'b1, f_smac[7:0]};
                5'd22:   patch_byte = {1'b1, f_ttl_new};
                5'd24:   patch_byte = {1'b1, f_csum_new[15:8]};
                5'd25:   patch_byte = {1'b1, f_csum_new[7:0]};
                default: patch_byte = 9'd0;
            endcase
        end
    endfunction

    reg [DATA_WIDTH-1:0]    o_data;
    reg [KEEP_WIDTH-1:0]    o_keep;
    reg                     o_last;
    reg [16:0]              rem;
    reg [16:0]              pos;
    reg [127:0]             ph_bytes;
    reg [16:0]              csum_inc;
    reg [15:0]              csum_new;
    reg [7:0]               ttl_new;
    reg [8:0]               pb;
    integer j;

    // wide temporaries are only built on the beats that use them
    always @* begin
        o_data   = s_axis_frame_tdata;
        o_keep   = {KEEP_WIDTH{1'b1}};
        o_last   = 1'b0;
        rem      = 17'd0;
        pos      = 17'd0;
        ph_bytes = 128'd0;
        csum_inc = 17'd0;
        csum_new = 16'd0;
        ttl_new  = 8'd0;
        pb       = 9'd0;
        if (emit_hdr) begin
            ph_bytes = punt_header(reason, in_port, hit, lpm_idx, adj_idx, egress, len_l);
            o_data   = ph_bytes[DATA_WIDTH*ph_q +: DATA_WIDTH];
        end else if (emit_frm) begin
            rem    = {1'b0, out_len} - off_q;
            o_last = out_last;
            if (out_last) begin
                o_keep = ~({KEEP_WIDTH{1'b1}} << rem);
            end
            if (act == ACT_FORWARD && off_q < PATCH_END) begin
                csum_inc = {1'b0, csum} + 17'h00100;
                csum_new = csum_inc[15:0] + {15'd0, (csum_inc >= 17'h0FFFF)};
                ttl_new  = ttl - 8'd1;
                for (j = 0; j < K; j = j + 1) begin
                    pos = off_q + j[16:0];
                    pb  = (pos < PATCH_END) ? patch_byte(pos[4:0], dmac, smac, ttl_new, csum_new) : 9'd0;
                    if (pb[8]) begin
                        o_data[8*j +: 8] = pb[7:0];
                    end
                end
            end
        end
    end

    // ---------------------------------------------------------------- output register
    wire [OW-1:0] o_word = {is_punt, egress, in_port, o_last, o_keep, o_data};
    wire [OW-1:0] m_word;
    wire          skid_empty;

    lr_skid #(
        .WIDTH (OW)
    ) u_out_skid (
        .clk        (clk),
        .rst        (rst),
        .s_data     (o_word),
        .s_valid    (emit_hdr || (emit_frm && s_axis_frame_tvalid)),
        .s_ready    (out_ready),
        .m_data     (m_word),
        .m_valid    (m_axis_tvalid),
        .m_ready    (m_axis_tready),
        .stat_empty (skid_empty)
    );

    assign m_axis_tdata = m_word[DATA_WIDTH-1:0];
    assign m_axis_tkeep = m_word[DATA_WIDTH +: KEEP_WIDTH];
    assign m_axis_tlast = m_word[DATA_WIDTH + KEEP_WIDTH];
    assign m_axis_tuser = m_word[DATA_WIDTH + KEEP_WIDTH + 1 +: 8];
    assign m_axis_tdest = m_word[DATA_WIDTH + KEEP_WIDTH + 9 +: 8];
    assign m_axis_tcpu  = m_word[OW-1];

    assign stat_idle = res_empty && skid_empty;

    wire unused_rewrite = ^{unused_res_ready, s_axis_frame_tkeep};

endmodule

`default_nettype wire
