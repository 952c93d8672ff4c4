// lr_axis_strip: removes a fixed-size header from the front of each frame and realigns the rest.
`default_nettype none

// The first STRIP_BYTES bytes of every frame are captured into m_hdr (held until the next frame's
// header) and the remaining bytes leave on m_axis, byte 0 of the remainder in tdata[7:0]. When
// STRIP_BYTES is a multiple of the beat size the remainder passes through combinationally; otherwise
// each output beat joins the tail of one input beat with the head of the next (one extra flush beat
// when the last input beat's tail does not fit). A frame with no byte after the header produces no
// output beat and a stat_short pulse at its last beat. Input tkeep must be contiguous from bit 0 and
// only the last beat may be partial.
module lr_axis_strip #(
    parameter DATA_WIDTH  = 64,             // stream width in bits, power of two >= 8
    parameter KEEP_WIDTH  = DATA_WIDTH/8,   // byte enables
    parameter STRIP_BYTES = 8               // header bytes removed, >= 1
) (
    input  wire                     clk,
    input  wire                     rst,

    // input stream: header then frame
    input  wire [DATA_WIDTH-1:0]    s_axis_tdata,
    input  wire [KEEP_WIDTH-1:0]    s_axis_tkeep,
    input  wire                     s_axis_tvalid,
    output reg                      s_axis_tready,
    input  wire                     s_axis_tlast,

    // output stream: the frame
    output reg  [DATA_WIDTH-1:0]    m_axis_tdata,
    output reg  [KEEP_WIDTH-1:0]    m_axis_tkeep,
    output reg                      m_axis_tvalid,
    input  wire                     m_axis_tready,
    output reg                      m_axis_tlast,

    // captured header (byte k at [8k +: 8]), valid while the frame's bytes leave
    output wire [8*STRIP_BYTES-1:0] m_hdr,

    // status
    output wire                     stat_short,   // pulse: a frame ended inside its header
    output wire                     stat_busy     // inside a frame
);

    localparam K   = KEEP_WIDTH;
    localparam SB  = STRIP_BYTES / K;          // whole header beats
    localparam SH  = STRIP_BYTES % K;          // header bytes in the first payload beat
    localparam HBW = $clog2(SB + 2) + 1;       // header beat counter width
    localparam HDR_BEATS = (STRIP_BYTES + K - 1) / K;
    localparam [HBW-1:0] SB_Q        = SB[HBW-1:0];

    generate
        if (DATA_WIDTH < 8 || (DATA_WIDTH & (DATA_WIDTH - 1)) != 0 || KEEP_WIDTH != DATA_WIDTH/8) begin : g_bad_width
            $error("lr_axis_strip: DATA_WIDTH must be a power of two >= 8 and KEEP_WIDTH = DATA_WIDTH/8");
        end
        if (STRIP_BYTES < 1) begin : g_bad_strip
            $error("lr_axis_strip: STRIP_BYTES must be >= 1");
        end
    endgenerate

    // header beats 0..SB-1 are whole header beats; beat SB carries SH header bytes (when SH != 0)
    reg [HBW-1:0]             hb_q, hb_d;
    reg [8*K*HDR_BEATS-1:0]   hdr_q;
    reg                       short_q, short_d;

    wire in_beat  = s_axis_tvalid && s_axis_tready;
    wire in_hdr;

    assign m_hdr      = hdr_q[8*STRIP_BYTES-1:0];
    assign stat_short = short_q;

    // header capture: beat hb_q holds header bytes [hb_q*K +: K] (one enable per header beat: an
    // index product 8*K*hb_q became a shifter of a few hundred LUTs in yosys)
    integer hb;
    always @(posedge clk) begin
        for (hb = 0; hb < HDR_BEATS; hb = hb + 1) begin
            if (in_beat && hb_q == hb[HBW-1:0]) begin
                hdr_q[8*K*hb +: 8*K] <= s_axis_tdata;
            end
        end
    end

    generate
        if (SB == 0) begin : g_no_hdr_beats
            assign in_hdr = 1'b0;
        end else begin : g_hdr_beats
            assign in_hdr = (hb_q < SB_Q);
        end
    endgenerate

    wire unused_hdr = ^hdr_q;   // bits past STRIP_BYTES (in a partly used last header beat)

    generate
        if (SH == 0) begin : g_aligned
            // -------- header is whole beats: the remainder passes through --------
            assign stat_busy = (hb_q != {HBW{1'b0}});

            always @* begin
                hb_d          = hb_q;
                short_d       = 1'b0;
                s_axis_tready = in_hdr ? 1'b1 : m_axis_tready;
                m_axis_tdata  = s_axis_tdata;
                m_axis_tkeep  = s_axis_tkeep;
                m_axis_tlast  = s_axis_tlast;
                m_axis_tvalid = s_axis_tvalid && !in_hdr;
                if (in_beat) begin
                    if (s_axis_tlast) begin
                        hb_d    = {HBW{1'b0}};
                        short_d = in_hdr;
                    end else if (in_hdr) begin
                        hb_d = hb_q + 1'b1;
                    end
                end
            end

            always @(posedge clk) begin
                if (rst) begin
                    hb_q    <= {HBW{1'b0}};
                    short_q <= 1'b0;
                end else begin
                    hb_q    <= hb_d;
                    short_q <= short_d;
                end
            end
        end else begin : g_realign
            // -------- header ends inside a beat: join beat tails with the next beat's head --------
            // hb_q == SB: first payload beat (SH header bytes); SB+1: streaming; SB+2: flush residue
            localparam [HBW-1:0] ST_FIRST  = SB_Q;
            localparam [HBW-1:0] ST_STREAM = SB_Q + 1'b1;
            localparam [HBW-1:0] ST_FLUSH  = SB_Q + 2'd2;

            reg [8*(K-SH)-1:0] res_q;         // tail bytes of the previous input beat
            reg [K-SH-1:0]     res_keep_q, res_keep_d;
            reg                load_res;

            assign stat_busy = (hb_q != {HBW{1'b0}});

            always @* begin
                hb_d          = hb_q;
                short_d       = 1'b0;
                res_keep_d    = res_keep_q;
                load_res      = 1'b0;
                s_axis_tready = 1'b0;
                m_axis_tdata  = {s_axis_tdata[8*SH-1:0], res_q};
                m_axis_tkeep  = {s_axis_tkeep[SH-1:0], res_keep_q};
                m_axis_tlast  = 1'b0;
                m_axis_tvalid = 1'b0;
                if (in_hdr) begin
                    s_axis_tready = 1'b1;
                    if (in_beat) begin
                        hb_d    = s_axis_tlast ? {HBW{1'b0}} : hb_q + 1'b1;
                        short_d = s_axis_tlast;
                    end
                end else if (hb_q == ST_FIRST) begin
                    s_axis_tready = 1'b1;
                    if (in_beat) begin
                        load_res   = 1'b1;
                        res_keep_d = s_axis_tkeep[K-1:SH];
                        if (!s_axis_tlast) begin
                            hb_d = ST_STREAM;
                        end else if (s_axis_tkeep[K-1:SH] != {(K-SH){1'b0}}) begin
                            hb_d = ST_FLUSH;
                        end else begin
                            hb_d    = {HBW{1'b0}};
                            short_d = 1'b1;
                        end
                    end
                end else if (hb_q == ST_STREAM) begin
                    s_axis_tready = m_axis_tready;
                    m_axis_tvalid = s_axis_tvalid;
                    // last input beat whose tail does not spill: this output beat ends the frame
                    m_axis_tlast  = s_axis_tlast && (s_axis_tkeep[K-1:SH] == {(K-SH){1'b0}});
                    if (in_beat) begin
                        load_res   = 1'b1;
                        res_keep_d = s_axis_tkeep[K-1:SH];
                        if (s_axis_tlast) begin
                            hb_d = m_axis_tlast ? {HBW{1'b0}} : ST_FLUSH;
                        end
                    end
                end else begin
                    // ST_FLUSH: the residue alone ends the frame
                    m_axis_tdata  = {{(8*SH){1'b0}}, res_q};
                    m_axis_tkeep  = {{SH{1'b0}}, res_keep_q};
                    m_axis_tvalid = 1'b1;
                    m_axis_tlast  = 1'b1;
                    if (m_axis_tready) begin
                        hb_d = {HBW{1'b0}};
                    end
                end
            end

            always @(posedge clk) begin
                if (rst) begin
                    hb_q       <= {HBW{1'b0}};
                    short_q    <= 1'b0;
                    res_keep_q <= {(K-SH){1'b0}};
                end else begin
                    hb_q       <= hb_d;
                    short_q    <= short_d;
                    res_keep_q <= res_keep_d;
                end
            end

            always @(posedge clk) begin
                if (load_res) begin
                    res_q <= s_axis_tdata[8*K-1:8*SH];
                end
            end
        end
    endgenerate

endmodule

`default_nettype wire
