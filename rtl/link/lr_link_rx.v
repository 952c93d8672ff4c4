// lr_link_rx: link frame receiver; buffers one decoded frame, checks length and CRC-32C, hands it on.
`default_nettype none

// Input: decoded bytes and end-of-frame pulses from lr_cobs_decode. A frame is
// type(1) | seq(2) | payload | CRC-32C(4, BE); it is good when its encoding was sound, it has
// 7..RX_BUF_BYTES bytes and the CRC over everything before the CRC matches. A good frame is handed
// to lr_link_exec (m_frame_valid pulse with its length) and the buffer then belongs to the
// executor until `busy` falls; a frame that arrives (even partly) while busy is dropped and
// counted as an overrun, once. Bad frames are counted and forgotten.
//
// Buffer layout: 32-bit words, big-endian lanes (lane 0 = bits 31:24), frame byte i in word
// (i+1)/4, lane (i+1)%4. So word 0 is {-, type, seq}, and the payload starts word-aligned at word 1:
// every REG op header and data word, and the inject header, is one word. Read port: rd_en/rd_addr
// in one clock, rd_data the next (held until the next read).
// The CRC runs four bytes behind the input (a 4-byte delay line), so at the end of the frame it
// covers exactly the bytes before the CRC field, which sits in the delay line for the compare.
module lr_link_rx #(
    parameter RX_BUF_BYTES = 16384,                      // longest frame taken (type..CRC), >= 16
    parameter BUF_WORDS    = RX_BUF_BYTES/4 + 1,         // buffer words (one lane lost to alignment)
    parameter AW           = $clog2(BUF_WORDS),          // buffer word address width
    parameter LW           = $clog2(RX_BUF_BYTES + 1)    // frame length width
) (
    input  wire          clk,
    input  wire          rst,

    // decoded bytes (lr_cobs_decode)
    input  wire [7:0]    s_data,
    input  wire          s_valid,
    input  wire          s_end,          // pulse: frame ended
    input  wire          s_bad,          // with s_end: encoding broken

    // to the executor
    input  wire          busy,           // the buffer holds a request still in progress
    output wire          m_frame_valid,  // pulse: a good frame is in the buffer
    output wire [LW-1:0] m_frame_len,    // its length in bytes (type..CRC), held until the next one

    // buffer read port
    input  wire          rd_en,
    input  wire [AW-1:0] rd_addr,
    output wire [31:0]   rd_data,

    // status pulses
    output wire          stat_frame,     // good frame received (rx_frames)
    output wire          stat_bad,       // frame dropped: COBS, CRC, short, too long (rx_bad)
    output wire          stat_overrun    // frame dropped: a request was in progress (rx_overrun)
);

    generate
        if (RX_BUF_BYTES < 16 || RX_BUF_BYTES > 65535) begin : g_bad_size
            $error("lr_link_rx: RX_BUF_BYTES must be 16..65535");
        end
    endgenerate

    localparam [31:0] MAX_LEN_W = RX_BUF_BYTES;
    localparam [LW:0] MAX_LEN   = MAX_LEN_W[LW:0];

    // never read and written at one address in one clock: the executor reads only a whole frame
    // (at least 7 bytes, so its first word is not the one written last), and nothing is written
    // while it runs (busy); without the attribute yosys emulates read-first with 32 flip-flops
    (* no_rw_check *) reg [31:0] mem [0:BUF_WORDS-1];
    reg  [31:0]   rd_q;
    reg  [LW:0]   len_q, len_d;        // bytes of this frame so far (saturates past RX_BUF_BYTES)
    reg  [23:0]   word_q, word_d;      // lanes 0..2 of the word being assembled
    reg  [31:0]   sh_q, sh_d;          // the last four bytes
    reg  [31:0]   crc_q, crc_d;
    reg           ovr_q, ovr_d;        // a byte of this frame arrived while busy
    reg  [LW-1:0] flen_q, flen_d;
    reg           fvalid_q, fvalid_d;
    reg           good_q, good_d;
    reg           bad_q, bad_d;
    reg           over_q, over_d;
    reg           wr_en;
    reg  [AW-1:0] wr_addr;
    reg  [31:0]   wr_data;

    wire [31:0] crc_next;
    wire        take    = s_valid && !busy && !ovr_q;
    wire [LW:0] pos     = len_q + 1'b1;          // byte position + 1: lane = pos[1:0]
    wire        in_buf  = (len_q < MAX_LEN);
    wire        unused_pos = ^pos;   // the top bits: the buffer ends before them

    lr_crc32c u_crc (
        .en      (1'b1),
        .crc_in  (crc_q),
        .data    (sh_q[31:24]),
        .crc_out (crc_next)
    );

    assign m_frame_valid = fvalid_q;
    assign m_frame_len   = flen_q;
    assign rd_data       = rd_q;
    assign stat_frame    = good_q;
    assign stat_bad      = bad_q;
    assign stat_overrun  = over_q;

    always @* begin
        len_d    = len_q;
        word_d   = word_q;
        sh_d     = sh_q;
        crc_d    = crc_q;
        ovr_d    = ovr_q;
        flen_d   = flen_q;
        fvalid_d = 1'b0;
        good_d   = 1'b0;
        bad_d    = 1'b0;
        over_d   = 1'b0;
        wr_en    = 1'b0;
        wr_addr  = pos[AW+1:2];
        wr_data  = {word_q, s_data};
        if (s_valid && busy) begin
            ovr_d = 1'b1;
        end
        if (take) begin
            if (in_buf) begin
                len_d = len_q + 1'b1;
            end else begin
                len_d = MAX_LEN + 1'b1;   // too long: keep counting no further
            end
            sh_d = {sh_q[23:0], s_data};
            if (len_q >= 4) begin
                crc_d = crc_next;
            end
            case (pos[1:0])
                2'd0: word_d[23:16] = s_data;
                2'd1: word_d[15:8]  = s_data;
                2'd2: word_d[7:0]   = s_data;
                default: wr_en      = in_buf;
            endcase
        end
        if (s_end) begin
            if (ovr_q || busy) begin
                over_d = 1'b1;
            end else if (!s_bad && len_q >= 7 && len_q <= MAX_LEN && ~crc_q == sh_q) begin
                good_d   = 1'b1;
                fvalid_d = 1'b1;
                flen_d   = len_q[LW-1:0];
            end else begin
                bad_d = 1'b1;
            end
            len_d = {(LW+1){1'b0}};
            sh_d  = 32'd0;
            crc_d = 32'hFFFFFFFF;
            ovr_d = 1'b0;
        end
    end

    always @(posedge clk) begin
        if (rst) begin
            len_q    <= {(LW+1){1'b0}};
            sh_q     <= 32'd0;
            crc_q    <= 32'hFFFFFFFF;
            ovr_q    <= 1'b0;
            flen_q   <= {LW{1'b0}};
            fvalid_q <= 1'b0;
            good_q   <= 1'b0;
            bad_q    <= 1'b0;
            over_q   <= 1'b0;
        end else begin
            len_q    <= len_d;
            sh_q     <= sh_d;
            crc_q    <= crc_d;
            ovr_q    <= ovr_d;
            flen_q   <= flen_d;
            fvalid_q <= fvalid_d;
            good_q   <= good_d;
            bad_q    <= bad_d;
            over_q   <= over_d;
        end
    end

    // datapath: word assembly and the buffer (write port, registered read port)
    always @(posedge clk) begin
        word_q <= word_d;
        if (wr_en) begin
            mem[wr_addr] <= wr_data;
        end
        if (rd_en) begin
            rd_q <= mem[rd_addr];
        end
    end

endmodule

`default_nettype wire
