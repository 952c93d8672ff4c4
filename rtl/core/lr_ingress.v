// lr_ingress: per-port ingress; FCS check, parser, IP checksum as the bytes pass; byte count, frame FIFO.
`default_nettype none

// Every beat of the port's stream is stored in the frame FIFO (first word falls through toward
// lr_rewrite). Three observers watch the beats as they are taken: lr_fcs_check (rule 3), lr_parser
// (the header fields) and lr_ip_checksum (rule 10). The clock after the last beat, the header record
// of lr_defs.vh (HREC_*: the fields, W, the FCS and checksum verdicts) is complete and offered for one clock (m_hrec_valid) to the record slot in front of the shared lookup
// engine; a last beat is only taken while that slot is free (m_hrec_ready). Storage is
// store-and-forward: the decision needs W and the FCS, so lr_rewrite only reads a frame after its
// record was looked up. A frame longer than MAX_FRAME_BYTES+4 is a giant and is dropped anyway: beats
// past LIMIT_BEATS are not stored (only its last beat is, to mark the end), so a frame longer than
// the FIFO never deadlocks. Backpressure only: tready falls when the frame FIFO is full or a last
// beat waits for the record slot. The port input first goes through a register slice, so everything
// here works on registered beats (and the simulation evaluates it once per clock).
module lr_ingress #(
    parameter DATA_WIDTH      = 64,             // stream width in bits, power of two 8..128
    parameter KEEP_WIDTH      = DATA_WIDTH/8,   // byte enables
    parameter MAX_FRAME_BYTES = 9600,           // longer frames (L) are giants
    parameter RX_FIFO_DEPTH   = 2048,           // frame FIFO beats, power of two
    parameter HREC_W          = 198             // header record width (lr_defs.vh HREC_WIDTH)
) (
    input  wire                  clk,
    input  wire                  rst,

    // port input (frame with FCS)
    input  wire [DATA_WIDTH-1:0] s_axis_rx_tdata,
    input  wire [KEEP_WIDTH-1:0] s_axis_rx_tkeep,
    input  wire                  s_axis_rx_tvalid,
    output wire                  s_axis_rx_tready,
    input  wire                  s_axis_rx_tlast,

    // stored frame toward lr_rewrite
    output wire [DATA_WIDTH-1:0] m_axis_frame_tdata,
    output wire [KEEP_WIDTH-1:0] m_axis_frame_tkeep,
    output wire                  m_axis_frame_tvalid,
    input  wire                  m_axis_frame_tready,
    output wire                  m_axis_frame_tlast,

    // header record toward the lookup's record slot
    output wire [HREC_W-1:0]     m_hrec_data,     // lr_defs.vh HREC_*
    output wire                  m_hrec_valid,    // one clock: the record is complete, take it now
    input  wire                  m_hrec_ready,    // the slot is free (needed to take a last beat)

    // status
    output wire                  stat_rx_frame,   // pulse: a frame ended (rx_frames)
    output wire [31:0]           stat_rx_bytes,   // its W, with stat_rx_frame (rx_bytes)
    output wire                  stat_idle        // no frame inside
);

    `include "lr_defs.vh"

    localparam K           = KEEP_WIDTH;
    localparam HDR_BEATS   = (HDR_CSUM_END + K - 1) / K;          // beats the observers read
    localparam LIMIT_BEATS = (MAX_FRAME_BYTES + 4 + K - 1) / K;   // beats of the longest non-giant
    localparam BW          = $clog2(((LIMIT_BEATS > HDR_BEATS) ? LIMIT_BEATS : HDR_BEATS) + 1);
    localparam [BW-1:0] LIMIT_Q     = LIMIT_BEATS[BW-1:0];
    localparam KC          = $clog2(K + 1);
    localparam FW          = DATA_WIDTH + KEEP_WIDTH + 1;

    generate
        if (DATA_WIDTH < 8 || DATA_WIDTH > 128 || (DATA_WIDTH & (DATA_WIDTH - 1)) != 0
            || KEEP_WIDTH != DATA_WIDTH/8) begin : g_bad_width
            $error("lr_ingress: DATA_WIDTH must be a power of two 8..128 and KEEP_WIDTH = DATA_WIDTH/8");
        end
        if (HREC_W != HREC_WIDTH) begin : g_bad_rec
            $error("lr_ingress: HREC_W must equal HREC_WIDTH of lr_defs.vh");
        end
        if (RX_FIFO_DEPTH < LIMIT_BEATS + 1) begin : g_bad_depth
            $error("lr_ingress: RX_FIFO_DEPTH must hold a MAX_FRAME_BYTES frame plus one beat");
        end
    endgenerate

    // ---------------------------------------------------------------- input register slice
    wire [DATA_WIDTH-1:0] in_tdata;
    wire [KEEP_WIDTH-1:0] in_tkeep;
    wire                  in_tvalid;
    wire                  in_tready;
    wire                  in_tlast;
    wire                  in_empty;

    lr_skid #(
        .WIDTH (FW)
    ) u_in_skid (
        .clk        (clk),
        .rst        (rst),
        .s_data     ({s_axis_rx_tlast, s_axis_rx_tkeep, s_axis_rx_tdata}),
        .s_valid    (s_axis_rx_tvalid),
        .s_ready    (s_axis_rx_tready),
        .m_data     ({in_tlast, in_tkeep, in_tdata}),
        .m_valid    (in_tvalid),
        .m_ready    (in_tready),
        .stat_empty (in_empty)
    );

    // ---------------------------------------------------------------- frame position
    wire ff_ready;
    wire ff_empty;

    // A frame's record is offered the clock after its last beat (rec_pend_q). A last beat is taken
    // only while the slot is free and no record is being offered, so a record is never lost; this
    // delays only a frame of one beat that directly follows another frame's last beat.
    reg rec_pend_q;

    assign in_tready = ff_ready && (!in_tlast || (m_hrec_ready && !rec_pend_q));

    wire beat = in_tvalid && in_tready;
    wire last = beat && in_tlast;

    reg [BW-1:0] bidx_q, bidx_d;          // beat index in the frame, saturates at LIMIT_BEATS
    reg [31:0]   w_q, w_d;                // bytes before this beat
    reg          in_frame_q, in_frame_d;  // a frame has started and not ended
    reg [KC-1:0] beat_bytes;

    // only the last beat may be partial: count its bytes, the others hold K
    localparam [KC-1:0] K_BYTES = K[KC-1:0];

    integer i;
    always @* begin
        beat_bytes = K_BYTES;
        if (in_tlast) begin
            beat_bytes = {KC{1'b0}};
            for (i = 0; i < K; i = i + 1) begin
                beat_bytes = beat_bytes + {{(KC-1){1'b0}}, in_tkeep[i]};
            end
        end
    end

    wire [31:0] w_frame = w_q + {{(32-KC){1'b0}}, beat_bytes};

    always @* begin
        bidx_d     = bidx_q;
        w_d        = w_q;
        in_frame_d = in_frame_q;
        if (beat) begin
            if (in_tlast) begin
                bidx_d     = {BW{1'b0}};
                w_d        = 32'd0;
                in_frame_d = 1'b0;
            end else begin
                if (bidx_q != LIMIT_Q) begin
                    bidx_d = bidx_q + 1'b1;
                end
                w_d        = w_frame;
                in_frame_d = 1'b1;
            end
        end
    end

    always @(posedge clk) begin
        if (rst) begin
            bidx_q     <= {BW{1'b0}};
            w_q        <= 32'd0;
            in_frame_q <= 1'b0;
        end else begin
            bidx_q     <= bidx_d;
            w_q        <= w_d;
            in_frame_q <= in_frame_d;
        end
    end

    // ---------------------------------------------------------------- FCS observer
    wire fcs_ok;

    lr_fcs_check #(
        .DATA_WIDTH (DATA_WIDTH),
        .KEEP_WIDTH (KEEP_WIDTH)
    ) u_fcs_check (
        .clk     (clk),
        .rst     (rst),
        .s_beat  (beat),
        .s_tdata (in_tdata),
        .s_tkeep (in_tkeep),
        .s_tlast (in_tlast),
        .fcs_ok  (fcs_ok)
    );

    // ---------------------------------------------------------------- header fields, checksum
    // Both keep their result from the frame's last beat until the next frame's beats: the clock
    // after the last beat they are offered as they are, and the next frame's first beat changes them
    // only at the end of that clock, when the slot takes the record.
    wire [47:0] dmac;
    wire        is_vlan, is_arp, is_ipv6, is_ipv4, csum_ok;
    wire [3:0]  ver, ihl;
    wire [15:0] tot, csum;
    wire [7:0]  ttl;
    wire [31:0] src, dst;

    lr_parser #(
        .DATA_WIDTH (DATA_WIDTH),
        .BW         (BW)
    ) u_parser (
        .clk     (clk),
        .s_beat  (beat),
        .s_bidx  (bidx_q),
        .s_tdata (in_tdata),
        .dmac    (dmac),
        .is_vlan (is_vlan),
        .is_arp  (is_arp),
        .is_ipv6 (is_ipv6),
        .is_ipv4 (is_ipv4),
        .ver     (ver),
        .ihl     (ihl),
        .tot     (tot),
        .ttl     (ttl),
        .csum    (csum),
        .src     (src),
        .dst     (dst)
    );

    lr_ip_checksum #(
        .DATA_WIDTH (DATA_WIDTH),
        .BW         (BW)
    ) u_ip_checksum (
        .clk     (clk),
        .s_beat  (beat),
        .s_bidx  (bidx_q),
        .s_tdata (in_tdata),
        .ok      (csum_ok)
    );

    // W and fcs_ok are kept from the last beat.
    reg [31:0] len_q;
    reg        fcs_ok_q;

    always @(posedge clk) begin
        if (last) begin
            len_q    <= w_frame;
            fcs_ok_q <= fcs_ok;
        end
    end

    always @(posedge clk) begin
        if (rst) begin
            rec_pend_q <= 1'b0;
        end else begin
            rec_pend_q <= last;
        end
    end

    assign m_hrec_data  = {csum_ok, fcs_ok_q, len_q, dst, src, csum, ttl, tot, ver, ihl,
                           is_ipv4, is_ipv6, is_arp, is_vlan, dmac};
    assign m_hrec_valid = rec_pend_q;

    // ---------------------------------------------------------------- frame FIFO
    wire [FW-1:0] ff_out;
    wire          ff_store = beat && (bidx_q != LIMIT_Q || in_tlast);

    lr_fifo #(
        .WIDTH (FW),
        .DEPTH (RX_FIFO_DEPTH)
    ) u_frame_fifo (
        .clk        (clk),
        .rst        (rst),
        .s_data     ({in_tlast, in_tkeep, in_tdata}),
        .s_valid    (ff_store),
        .s_ready    (ff_ready),
        .m_data     (ff_out),
        .m_valid    (m_axis_frame_tvalid),
        .m_ready    (m_axis_frame_tready),
        .stat_empty (ff_empty)
    );

    assign m_axis_frame_tdata = ff_out[DATA_WIDTH-1:0];
    assign m_axis_frame_tkeep = ff_out[DATA_WIDTH +: KEEP_WIDTH];
    assign m_axis_frame_tlast = ff_out[FW-1];

    // ---------------------------------------------------------------- status
    assign stat_rx_frame = last;
    assign stat_rx_bytes = w_frame;
    assign stat_idle     = in_empty && !in_frame_q && !rec_pend_q && ff_empty;

endmodule

`default_nettype wire
