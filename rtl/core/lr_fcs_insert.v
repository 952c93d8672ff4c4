// lr_fcs_insert: pads a frame with zero bytes to 60 and appends its CRC-32 FCS (little-endian).
`default_nettype none

// Input: a frame without FCS (at least one byte). Output: b[0..n), zero bytes up to 60, then the
// 4 FCS bytes, CRC-32 over everything before them, least significant byte first. Every output beat
// is described by three numbers: cnt (frame bytes in the beat), pe (where the FCS starts, relative
// to the beat; beyond the beat when it starts later) and fd (FCS bytes already sent). The padding and
// the FCS share the input's last beat when they fit; otherwise tail beats follow with the input held.
// Register slices on both sides: the output mux in front (an arbiter and a wide multiplexer) and
// the beat arithmetic here would otherwise form one combinational path (the Colorlight build's
// critical path at 48 MHz).
module lr_fcs_insert #(
    parameter DATA_WIDTH = 64,            // stream width in bits, power of two 8..128
    parameter KEEP_WIDTH = DATA_WIDTH/8,  // byte enables
    parameter USER_WIDTH = 8              // tuser bits (constant over a frame)
) (
    input  wire                  clk,
    input  wire                  rst,

    input  wire [DATA_WIDTH-1:0] s_axis_tdata,
    input  wire [KEEP_WIDTH-1:0] s_axis_tkeep,
    input  wire                  s_axis_tvalid,
    output wire                  s_axis_tready,
    input  wire                  s_axis_tlast,
    input  wire [USER_WIDTH-1:0] s_axis_tuser,

    output wire [DATA_WIDTH-1:0] m_axis_tdata,
    output wire [KEEP_WIDTH-1:0] m_axis_tkeep,
    output wire                  m_axis_tvalid,
    input  wire                  m_axis_tready,
    output wire                  m_axis_tlast,
    output wire [USER_WIDTH-1:0] m_axis_tuser,

    output wire                  stat_idle
);

    `include "lr_defs.vh"

    localparam K  = KEEP_WIDTH;
    localparam OW = DATA_WIDTH + KEEP_WIDTH + 1 + USER_WIDTH;
    localparam [7:0] K8      = K[7:0];
    localparam [7:0] PAD_TO8 = MIN_PAYLOAD_BYTES[7:0];   // pad to 60
    localparam [7:0] SAT8    = MIN_FRAME_BYTES[7:0];     // offsets past this need not be exact

    generate
        if (DATA_WIDTH < 8 || DATA_WIDTH > 128 || (DATA_WIDTH & (DATA_WIDTH - 1)) != 0
            || KEEP_WIDTH != DATA_WIDTH/8) begin : g_bad_width
            $error("lr_fcs_insert: DATA_WIDTH must be a power of two 8..128 and KEEP_WIDTH = DATA_WIDTH/8");
        end
    endgenerate

    // ---------------------------------------------------------------- input register slice
    localparam IW = DATA_WIDTH + KEEP_WIDTH + 1 + USER_WIDTH;

    wire [DATA_WIDTH-1:0] in_tdata;
    wire [KEEP_WIDTH-1:0] in_tkeep;
    wire                  in_tvalid;
    wire                  in_tready;
    wire                  in_tlast;
    wire [USER_WIDTH-1:0] in_tuser;
    wire                  in_empty;

    lr_skid #(
        .WIDTH (IW)
    ) u_in_skid (
        .clk        (clk),
        .rst        (rst),
        .s_data     ({s_axis_tuser, s_axis_tlast, s_axis_tkeep, s_axis_tdata}),
        .s_valid    (s_axis_tvalid),
        .s_ready    (s_axis_tready),
        .m_data     ({in_tuser, in_tlast, in_tkeep, in_tdata}),
        .m_valid    (in_tvalid),
        .m_ready    (in_tready),
        .stat_empty (in_empty)
    );

    reg                  tail_q, tail_d;        // input ended: sending padding / FCS beats
    reg [7:0]            off_q, off_d;          // output byte offset, saturates past 60
    reg [31:0]           crc_q, crc_d;
    reg [7:0]            pad_q, pad_d;          // tail: pe of the next beat
    reg [2:0]            fd_q, fd_d;            // tail: FCS bytes already sent
    reg [USER_WIDTH-1:0] user_q;

    wire out_ready;

    // ---------------------------------------------------------------- beat description
    reg [7:0]            cnt;
    reg [7:0]            pe;
    reg [2:0]            fd;
    reg [7:0]            kcnt;
    reg [KEEP_WIDTH-1:0] crc_keep;
    reg [DATA_WIDTH-1:0] data;
    integer i;

    wire o_valid = tail_q || in_tvalid;

    always @* begin
        kcnt = K8;    // only the last beat may be partial: count its bytes
        if (in_tlast) begin
            kcnt = 8'd0;
            for (i = 0; i < K; i = i + 1) begin
                kcnt = kcnt + {7'd0, in_tkeep[i]};
            end
        end
        if (tail_q) begin
            cnt = 8'd0;
            pe  = pad_q;
            fd  = fd_q;
        end else if (in_tlast) begin
            cnt = kcnt;
            pe  = ({1'b0, off_q} + {1'b0, kcnt} < {1'b0, PAD_TO8}) ? PAD_TO8 - off_q : kcnt;
            fd  = 3'd0;
        end else begin
            cnt = K8;
            pe  = K8;
            fd  = 3'd0;
        end
        crc_keep = (pe >= K8) ? {KEEP_WIDTH{1'b1}} : ~({KEEP_WIDTH{1'b1}} << pe);
        data     = (cnt >= K8) ? in_tdata : in_tdata & ~({DATA_WIDTH{1'b1}} << {cnt, 3'b000});
    end

    wire [31:0] crc_next;

    lr_crc32 #(
        .DATA_WIDTH (DATA_WIDTH),
        .KEEP_WIDTH (KEEP_WIDTH)
    ) u_crc (
        .en      (o_valid),
        .crc_in  (crc_q),
        .data    (data),
        .keep    (crc_keep),
        .crc_out (crc_next)
    );

    // ---------------------------------------------------------------- output beat
    wire [31:0]            fcs     = ~crc_next;
    wire [8:0]             end_pos = {1'b0, pe} + 9'd4 - {6'd0, fd};   // end of the FCS
    wire                   o_last  = (end_pos <= {1'b0, K8});
    wire [DATA_WIDTH+31:0] fcs_sh  = {{DATA_WIDTH{1'b0}}, fcs >> {fd, 3'b000}} << {pe, 3'b000};
    wire [DATA_WIDTH-1:0]  o_data  = data | fcs_sh[DATA_WIDTH-1:0];
    wire [KEEP_WIDTH-1:0]  o_keep  = o_last ? ~({KEEP_WIDTH{1'b1}} << end_pos) : {KEEP_WIDTH{1'b1}};
    wire [USER_WIDTH-1:0]  o_user  = tail_q ? user_q : in_tuser;
    wire                   xfer    = o_valid && out_ready;

    assign in_tready = out_ready && !tail_q;

    always @* begin
        tail_d = tail_q;
        off_d  = off_q;
        crc_d  = crc_q;
        pad_d  = pad_q;
        fd_d   = fd_q;
        if (xfer) begin
            if (o_last) begin
                tail_d = 1'b0;
                off_d  = 8'd0;
                crc_d  = 32'hFFFFFFFF;
            end else begin
                tail_d = tail_q || in_tlast;
                off_d  = (off_q < SAT8) ? off_q + K8 : off_q;
                crc_d  = crc_next;
                pad_d  = (pe >= K8) ? pe - K8 : 8'd0;
                fd_d   = (pe >= K8) ? fd : fd + K8[2:0] - pe[2:0];
            end
        end
    end

    always @(posedge clk) begin
        if (rst) begin
            tail_q <= 1'b0;
            off_q  <= 8'd0;
            crc_q  <= 32'hFFFFFFFF;
            pad_q  <= 8'd0;
            fd_q   <= 3'd0;
        end else begin
            tail_q <= tail_d;
            off_q  <= off_d;
            crc_q  <= crc_d;
            pad_q  <= pad_d;
            fd_q   <= fd_d;
        end
    end

    always @(posedge clk) begin
        if (xfer && !tail_q) begin
            user_q <= in_tuser;
        end
    end

    // ---------------------------------------------------------------- output register
    wire [OW-1:0] m_word;
    wire          skid_empty;

    lr_skid #(
        .WIDTH (OW)
    ) u_out_skid (
        .clk        (clk),
        .rst        (rst),
        .s_data     ({o_user, o_last, o_keep, o_data}),
        .s_valid    (o_valid),
        .s_ready    (out_ready),
        .m_data     (m_word),
        .m_valid    (m_axis_tvalid),
        .m_ready    (m_axis_tready),
        .stat_empty (skid_empty)
    );

    assign m_axis_tdata = m_word[DATA_WIDTH-1:0];
    assign m_axis_tkeep = m_word[DATA_WIDTH +: KEEP_WIDTH];
    assign m_axis_tlast = m_word[DATA_WIDTH + KEEP_WIDTH];
    assign m_axis_tuser = m_word[OW-1 -: USER_WIDTH];

    wire unused_fcs_sh = ^fcs_sh[DATA_WIDTH +: 32];

    assign stat_idle = in_empty && !tail_q && (off_q == 8'd0) && skid_empty;

endmodule

`default_nettype wire
