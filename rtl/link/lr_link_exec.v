// lr_link_exec: executes one host request (HELLO, REG, INJECT) from the receive buffer and builds its answer.
`default_nettype none

// A good frame from lr_link_rx starts a request; `busy` stays high until its answer has been sent
// (ans_sent from lr_link_tx), and the receive buffer is read through rx_rd_* meanwhile
// (lr_link_rx.v: payload word k at buffer word k+1, big-endian lanes).
//
// - HELLO: sets ATTACHED, forgets the kept answer, reads the core registers 0x0000..0x002C.
// - REG: the whole op list is checked first (a zero count, an unknown op or a list ending inside
//   an op: BAD_REQUEST; more words read than the answer buffer holds: TOO_BIG); only a good list
//   reaches the bus. WRITE: one bus write per clock; READ: one bus read per clock, the words land
//   in the answer buffer one clock later. At least 4 idle bus clocks follow every op, and no
//   access is issued while csr_wait is high (a board's table write in progress). Addresses
//   0xF000-0xF0FF are the link's registers (link_reg_*, the value one clock after the read, like
//   the bus; writes to them are ignored).
// - INJECT: checks the inject header, then hands the payload (to a port: header and frame for the
//   core's inject stream) or the frame alone (into the pipeline of port `port`) to m_axis_inj,
//   byte by byte packed into beats; answers once the last beat is taken.
// - REG and INJECT answers are kept with their seq: a REG or INJECT with the kept seq is answered
//   from the kept answer without executing (stat_dup). Other request types (0x00-0x7F) are
//   answered BAD_REQUEST and leave the kept answer alone; device-to-host types (0x80-0xFF, e.g.
//   the device's own frames looped back) are ignored.
// The answer leaves on m_axis_ans as bytes (payload only: lr_link_tx adds type, seq and CRC):
// status, then HELLO's facts or the words read.
module lr_link_exec #(
    parameter N_PORTS        = 4,                          // packet ports
    parameter DATA_WIDTH     = 64,                         // inject stream width, power of two 8..128
    parameter KEEP_WIDTH     = DATA_WIDTH/8,               // byte enables
    parameter CLK_HZ         = 48000000,                   // core clock the build assumes (HELLO)
    parameter RX_BUF_BYTES   = 16384,                      // receive buffer bytes (lr_link_rx)
    parameter RESP_BUF_BYTES = 2048,                       // answer payload bytes, 64..65532, multiple of 4
    parameter RX_AW          = $clog2(RX_BUF_BYTES/4 + 1), // receive buffer word address width
    parameter LW             = $clog2(RX_BUF_BYTES + 1)    // frame length width
) (
    input  wire                  clk,
    input  wire                  rst,

    // configuration (reported by HELLO)
    input  wire [15:0]           cfg_uart_div,

    // request from lr_link_rx
    input  wire                  s_frame_valid,
    input  wire [LW-1:0]         s_frame_len,
    output wire                  busy,
    output reg                   rx_rd_en,
    output reg  [RX_AW-1:0]      rx_rd_addr,
    input  wire [31:0]           rx_rd_data,

    // core register bus (one access per clock, read data one clock later)
    output wire [15:0]           csr_addr,
    output wire [31:0]           csr_wdata,
    output wire                  csr_we,
    output wire                  csr_re,
    input  wire [31:0]           csr_rdata,
    input  wire                  csr_rvalid,
    input  wire                  csr_wait,        // the core is busy (a table write): no access now

    // link registers
    output wire                  link_reg_re,     // a link register read
    output wire [7:0]            link_reg_addr,   // with link_reg_re: its byte address (low 8 bits)
    input  wire [31:0]           link_reg_rdata,  // its value, one clock after link_reg_re

    // injected frames
    output wire [DATA_WIDTH-1:0] m_axis_inj_tdata,
    output wire [KEEP_WIDTH-1:0] m_axis_inj_tkeep,
    output wire                  m_axis_inj_tvalid,
    input  wire                  m_axis_inj_tready,
    output wire                  m_axis_inj_tlast,
    output wire                  m_axis_inj_tpipe,   // 1: into port tdest's pipeline; 0: the core's inject stream
    output wire [7:0]            m_axis_inj_tdest,

    // answer payload to lr_link_tx
    output wire [7:0]            m_axis_ans_tdata,
    output wire                  m_axis_ans_tvalid,
    input  wire                  m_axis_ans_tready,
    output wire                  m_axis_ans_tlast,
    output wire [7:0]            m_ans_type,
    output wire [15:0]           m_ans_seq,
    input  wire                  ans_sent,          // pulse: the answer frame has been handed on whole

    // status
    output wire                  stat_dup,          // pulse: answered from the kept answer (rx_dup)
    output wire                  stat_inject,       // pulse: an INJECT was executed (inject_frames)
    output wire                  stat_attached,     // HELLO seen since reset
    output wire                  stat_idle
);

    localparam KW         = KEEP_WIDTH;
    localparam BW         = (KW > 1) ? $clog2(KW) : 1;      // byte-in-beat index width
    localparam RESP_WORDS = RESP_BUF_BYTES / 4;
    localparam RA         = $clog2(RESP_WORDS);             // answer buffer address width
    localparam AL         = RA + 3;                         // answer length width (bytes)

    // parameters as sized constants (through 32 bits, whatever width an override gives them)
    localparam [31:0]   MAX_READ_W     = (RESP_BUF_BYTES - 1) / 4;
    localparam [23:0]   MAX_READ_WORDS = MAX_READ_W[23:0];
    localparam [31:0]   RX_BUF_W       = RX_BUF_BYTES;
    localparam [15:0]   RX_BUF_Q       = RX_BUF_W[15:0];
    localparam [31:0]   RESP_BUF_W     = RESP_BUF_BYTES;
    localparam [15:0]   RESP_BUF_Q     = RESP_BUF_W[15:0];
    localparam [31:0]   CLK_HZ_Q       = CLK_HZ;
    localparam [31:0]   N_PORTS_W      = N_PORTS;
    localparam [8:0]    N_PORTS_Q      = N_PORTS_W[8:0];
    localparam [31:0]   LAST_BYTE_W    = KW - 1;
    localparam [BW-1:0] LAST_BYTE      = LAST_BYTE_W[BW-1:0];
    localparam [31:0]   RESP_WORDS_W   = RESP_WORDS;
    localparam [RA:0]   RESP_WORDS_Q   = RESP_WORDS_W[RA:0];

    generate
        if (RESP_BUF_BYTES < 64 || RESP_BUF_BYTES > 65532 || (RESP_BUF_BYTES % 4) != 0) begin : g_bad_resp
            $error("lr_link_exec: RESP_BUF_BYTES must be a multiple of 4 in 64..65532");
        end
        if (RX_BUF_BYTES < 16 || RX_BUF_BYTES > 65535) begin : g_bad_rx
            $error("lr_link_exec: RX_BUF_BYTES must be 16..65535");
        end
        if (DATA_WIDTH < 8 || DATA_WIDTH > 128 || (DATA_WIDTH & (DATA_WIDTH - 1)) != 0
            || KEEP_WIDTH != DATA_WIDTH/8) begin : g_bad_width
            $error("lr_link_exec: DATA_WIDTH must be a power of two 8..128 and KEEP_WIDTH = DATA_WIDTH/8");
        end
    endgenerate

    // frame types and answer status
    localparam [7:0] T_HELLO  = 8'h01,
                     T_REG    = 8'h02,
                     T_INJECT = 8'h03;
    localparam [3:0] ST_OK      = 4'd0,
                     ST_BAD     = 4'd1,
                     ST_TOO_BIG = 4'd2;
    localparam [7:0] OP_WRITE = 8'h01,
                     OP_READ  = 8'h02;

    localparam [4:0] S_IDLE   = 5'd0,    // waiting for a request
                     S_TYPE   = 5'd1,    // word 0 (type, seq) is in rx_rd_data
                     S_V_REQ  = 5'd2,    // REG check: fetch the next op header
                     S_V_HDR  = 5'd3,    // REG check: op header in rx_rd_data
                     S_X_REQ  = 5'd4,    // REG run: fetch the next op header
                     S_X_HDR  = 5'd5,    // REG run: op header in rx_rd_data
                     S_X_WR   = 5'd6,    // REG run: one bus write per clock
                     S_X_RD   = 5'd7,    // REG run: one bus read per clock
                     S_GAP    = 5'd8,    // idle bus clocks after an op
                     S_X_END  = 5'd9,    // all ops done, reads landed
                     S_I_HDR  = 5'd10,   // INJECT: inject header in rx_rd_data
                     S_I_RD   = 5'd11,   // INJECT: fetch the word of byte j
                     S_I_BYTE = 5'd12,   // INJECT: bytes of that word into the beat packer
                     S_I_WAIT = 5'd13,   // INJECT: last beat not taken yet
                     S_A_NEXT = 5'd14,   // answer: next byte
                     S_A_WORD = 5'd15,   // answer: answer buffer word arriving
                     S_A_HOLD = 5'd16,   // answer: byte offered
                     S_A_WAIT = 5'd17;   // answer: waiting for the frame to be handed on

    // ---------------------------------------------------------------- state
    reg [4:0]       state_q, state_d;
    reg [LW-1:0]    plen_q, plen_d;        // payload bytes (frame length - 7)
    reg [LW-1:0]    k_q, k_d;              // payload word index
    reg [15:0]      a_q, a_d;              // bus address of the op's next word
    reg [7:0]       n_q, n_d;              // words left in the op
    reg [23:0]      rdtot_q, rdtot_d;      // words the list reads
    reg [1:0]       gap_q, gap_d;
    reg [LW-1:0]    j_q, j_d;              // INJECT: payload byte index
    reg             pipe_q, pipe_d;
    reg [7:0]       port_q, port_d;
    reg             attached_q, attached_d;
    // the answer being sent
    reg [7:0]       cur_type_q, cur_type_d;
    reg [15:0]      cur_seq_q, cur_seq_d;
    reg [3:0]       cur_status_q, cur_status_d;
    reg [RA:0]      cur_words_q, cur_words_d;
    reg             cur_hello_q, cur_hello_d;
    // the kept answer
    reg             kept_valid_q, kept_valid_d;
    reg [7:0]       kept_type_q, kept_type_d;
    reg [15:0]      kept_seq_q, kept_seq_d;
    reg [3:0]       kept_status_q, kept_status_d;
    reg [RA:0]      kept_words_q, kept_words_d;
    // register bus (registered outputs)
    reg [15:0]      csr_addr_q, csr_addr_d;
    reg [31:0]      csr_wdata_q, csr_wdata_d;
    reg             csr_we_q, csr_we_d;
    reg             csr_re_q, csr_re_d;
    reg             loc_re_q, loc_re_d;    // link register read on the bus address now
    reg             loc_rvalid_q;
    // answer buffer
    // never read and written in one clock: the words read land before the answer is sent, and
    // the next request starts after it (without the attribute yosys emulates read-first)
    (* no_rw_check *) reg [31:0] resp_mem [0:RESP_WORDS-1];
    reg [31:0]      resp_rd_q;
    reg [RA:0]      resp_wr_q, resp_wr_d;
    reg             resp_rd_en;
    reg [RA-1:0]    resp_rd_addr;
    // inject beat packer
    reg [DATA_WIDTH-1:0] beat_q, beat_d;
    reg [KW-1:0]    bkeep_q, bkeep_d;
    reg [BW-1:0]    bcnt_q, bcnt_d;
    reg             bvalid_q, bvalid_d;
    reg             blast_q, blast_d;
    reg             push;
    reg [7:0]       push_byte;
    reg             push_last;
    // answer byte output
    reg [AL-1:0]    bi_q, bi_d;
    reg [7:0]       ans_q, ans_d;
    reg             ans_valid_q, ans_valid_d;
    reg             ans_last_q, ans_last_d;
    // pulses
    reg             dup_q, dup_d;
    reg             inj_q, inj_d;

    assign busy              = (state_q != S_IDLE);
    assign stat_idle         = (state_q == S_IDLE);
    assign stat_dup          = dup_q;
    assign stat_inject       = inj_q;
    assign stat_attached     = attached_q;
    assign csr_addr          = csr_addr_q;
    assign csr_wdata         = csr_wdata_q;
    assign csr_we            = csr_we_q;
    assign csr_re            = csr_re_q;
    assign link_reg_re       = loc_re_q;
    assign link_reg_addr     = csr_addr_q[7:0];
    assign m_axis_inj_tdata  = beat_q;
    assign m_axis_inj_tkeep  = bkeep_q;
    assign m_axis_inj_tvalid = bvalid_q;
    assign m_axis_inj_tlast  = blast_q;
    assign m_axis_inj_tpipe  = pipe_q;
    assign m_axis_inj_tdest  = port_q;
    assign m_axis_ans_tdata  = ans_q;
    assign m_axis_ans_tvalid = ans_valid_q;
    assign m_axis_ans_tlast  = ans_last_q;
    assign m_ans_type        = cur_type_q;
    assign m_ans_seq         = cur_seq_q;

    // ---------------------------------------------------------------- helpers
    wire [7:0]    h_op   = rx_rd_data[31:24];     // op header fields
    wire [15:0]   h_addr = rx_rd_data[23:8];
    wire [7:0]    h_cnt  = rx_rd_data[7:0];
    wire [LW-3:0] pwords = plen_q[LW-1:2];        // whole payload words
    wire [LW-1:0] pw     = {2'b00, pwords};
    wire          p_rem  = (plen_q[1:0] != 2'b00);
    wire [LW+8:0] k_after_write = {9'd0, k_q} + {{(LW+1){1'b0}}, h_cnt} + 1'b1;   // past a WRITE
    wire          local_a = (a_q[15:8] == 8'hF0);
    wire [LW-1:0] j_inc   = j_q + 1'b1;

    // answer layout
    wire [AL-1:0] ans_len = cur_hello_q ? 60 : {cur_words_q, 2'b00} + 1'b1;
    wire [AL-1:0] ans_hdr = cur_hello_q ? 12 : 1;
    wire [AL-1:0] ans_off = bi_q - ans_hdr;        // byte offset in the words
    wire [7:0]    status_byte = {attached_q, 3'b000, cur_status_q};
    wire          unused_off = ^ans_off[AL-1:RA+2];

    reg [7:0] hdr_byte;   // answer byte bi_q < ans_hdr
    always @* begin
        case (bi_q[3:0])
            4'd0:    hdr_byte = status_byte;
            4'd1:    hdr_byte = 8'd1;                // link protocol version
            4'd2:    hdr_byte = RX_BUF_Q[15:8];
            4'd3:    hdr_byte = RX_BUF_Q[7:0];
            4'd4:    hdr_byte = RESP_BUF_Q[15:8];
            4'd5:    hdr_byte = RESP_BUF_Q[7:0];
            4'd6:    hdr_byte = cfg_uart_div[15:8];
            4'd7:    hdr_byte = cfg_uart_div[7:0];
            4'd8:    hdr_byte = CLK_HZ_Q[31:24];
            4'd9:    hdr_byte = CLK_HZ_Q[23:16];
            4'd10:   hdr_byte = CLK_HZ_Q[15:8];
            4'd11:   hdr_byte = CLK_HZ_Q[7:0];
            default: hdr_byte = 8'd0;
        endcase
    end

    reg [7:0] word_byte;  // lane ans_off[1:0] of the answer buffer word just read
    always @* begin
        case (ans_off[1:0])
            2'd0:    word_byte = resp_rd_q[31:24];
            2'd1:    word_byte = resp_rd_q[23:16];
            2'd2:    word_byte = resp_rd_q[15:8];
            default: word_byte = resp_rd_q[7:0];
        endcase
    end

    reg [7:0] inj_byte;   // lane j_q[1:0] of the receive buffer word just read
    always @* begin
        case (j_q[1:0])
            2'd0:    inj_byte = rx_rd_data[31:24];
            2'd1:    inj_byte = rx_rd_data[23:16];
            2'd2:    inj_byte = rx_rd_data[15:8];
            default: inj_byte = rx_rd_data[7:0];
        endcase
    end

    // ---------------------------------------------------------------- control
    // finish a REG or INJECT: this answer becomes the kept one
    task finish_kept(input [3:0] st, input [RA:0] words);
        begin
            cur_status_d  = st;
            cur_words_d   = words;
            kept_valid_d  = 1'b1;
            kept_type_d   = cur_type_q;
            kept_seq_d    = cur_seq_q;
            kept_status_d = st;
            kept_words_d  = words;
            bi_d          = {AL{1'b0}};
            state_d       = S_A_NEXT;
        end
    endtask

    always @* begin
        state_d       = state_q;
        plen_d        = plen_q;
        k_d           = k_q;
        a_d           = a_q;
        n_d           = n_q;
        rdtot_d       = rdtot_q;
        gap_d         = gap_q;
        j_d           = j_q;
        pipe_d        = pipe_q;
        port_d        = port_q;
        attached_d    = attached_q;
        cur_type_d    = cur_type_q;
        cur_seq_d     = cur_seq_q;
        cur_status_d  = cur_status_q;
        cur_words_d   = cur_words_q;
        cur_hello_d   = cur_hello_q;
        kept_valid_d  = kept_valid_q;
        kept_type_d   = kept_type_q;
        kept_seq_d    = kept_seq_q;
        kept_status_d = kept_status_q;
        kept_words_d  = kept_words_q;
        csr_addr_d    = csr_addr_q;
        csr_wdata_d   = csr_wdata_q;
        csr_we_d      = 1'b0;
        csr_re_d      = 1'b0;
        loc_re_d      = 1'b0;
        resp_wr_d     = resp_wr_q;
        resp_rd_en    = 1'b0;
        resp_rd_addr  = ans_off[RA+1:2];
        rx_rd_en      = 1'b0;
        rx_rd_addr    = {RX_AW{1'b0}};
        push          = 1'b0;
        push_byte     = inj_byte;
        push_last     = (j_inc == plen_q);
        bi_d          = bi_q;
        ans_d         = ans_q;
        ans_valid_d   = ans_valid_q;
        ans_last_d    = ans_last_q;
        dup_d         = 1'b0;
        inj_d         = 1'b0;

        // read data from the bus or a link register lands in the answer buffer
        if ((csr_rvalid || loc_rvalid_q) && resp_wr_q < RESP_WORDS_Q) begin
            resp_wr_d = resp_wr_q + 1'b1;
        end

        case (state_q)
            S_IDLE: begin
                if (s_frame_valid) begin
                    plen_d     = s_frame_len - {{(LW-3){1'b0}}, 3'd7};
                    rx_rd_en   = 1'b1;           // word 0: type and seq
                    state_d    = S_TYPE;
                end
            end

            S_TYPE: begin
                cur_type_d   = 8'h80 | rx_rd_data[23:16];
                cur_seq_d    = rx_rd_data[15:0];
                cur_status_d = ST_OK;
                cur_words_d  = {(RA+1){1'b0}};
                cur_hello_d  = 1'b0;
                bi_d         = {AL{1'b0}};
                k_d          = {LW{1'b0}};
                rdtot_d      = 24'd0;
                if (rx_rd_data[23:16] == T_HELLO) begin
                    attached_d   = 1'b1;
                    kept_valid_d = 1'b0;
                    cur_hello_d  = 1'b1;
                    plen_d       = {LW{1'b0}};   // no ops: S_X_REQ ends after the reads
                    a_d          = 16'h0000;
                    n_d          = 8'd12;
                    resp_wr_d    = {(RA+1){1'b0}};
                    state_d      = S_X_RD;
                end else if (rx_rd_data[23:16] == T_REG || rx_rd_data[23:16] == T_INJECT) begin
                    if (kept_valid_q && rx_rd_data[15:0] == kept_seq_q) begin
                        cur_type_d   = kept_type_q;
                        cur_status_d = kept_status_q;
                        cur_words_d  = kept_words_q;
                        dup_d        = 1'b1;
                        state_d      = S_A_NEXT;
                    end else if (rx_rd_data[23:16] == T_REG) begin
                        state_d = S_V_REQ;
                    end else if (plen_q < 8) begin
                        cur_status_d  = ST_BAD;
                        kept_valid_d  = 1'b1;
                        kept_type_d   = 8'h80 | rx_rd_data[23:16];
                        kept_seq_d    = rx_rd_data[15:0];
                        kept_status_d = ST_BAD;
                        kept_words_d  = {(RA+1){1'b0}};
                        state_d       = S_A_NEXT;
                    end else begin
                        rx_rd_en   = 1'b1;
                        rx_rd_addr = 1;              // the inject header's first word
                        state_d    = S_I_HDR;
                    end
                end else if (rx_rd_data[23]) begin
                    state_d = S_IDLE;                // a device-to-host type (a loop?): no answer
                end else begin
                    cur_status_d = ST_BAD;           // unknown type; the kept answer stays
                    state_d      = S_A_NEXT;
                end
            end

            // ---------------- REG: check the op list
            S_V_REQ: begin
                if (k_q == pw) begin
                    if (p_rem) begin
                        finish_kept(ST_BAD, {(RA+1){1'b0}});
                    end else if (rdtot_q > MAX_READ_WORDS) begin
                        finish_kept(ST_TOO_BIG, {(RA+1){1'b0}});
                    end else begin
                        k_d       = {LW{1'b0}};
                        resp_wr_d = {(RA+1){1'b0}};
                        state_d   = S_X_REQ;
                    end
                end else begin
                    rx_rd_en   = 1'b1;
                    rx_rd_addr = k_q[RX_AW-1:0] + 1'b1;
                    state_d    = S_V_HDR;
                end
            end

            S_V_HDR: begin
                if (h_cnt == 8'd0) begin
                    finish_kept(ST_BAD, {(RA+1){1'b0}});
                end else if (h_op == OP_WRITE) begin
                    if (k_after_write > {9'd0, pw}) begin
                        finish_kept(ST_BAD, {(RA+1){1'b0}});
                    end else begin
                        k_d     = k_after_write[LW-1:0];
                        state_d = S_V_REQ;
                    end
                end else if (h_op == OP_READ) begin
                    k_d     = k_q + 1'b1;
                    rdtot_d = rdtot_q + {16'd0, h_cnt};
                    state_d = S_V_REQ;
                end else begin
                    finish_kept(ST_BAD, {(RA+1){1'b0}});
                end
            end

            // ---------------- REG: run the ops
            S_X_REQ: begin
                if (k_q == pw) begin
                    state_d = S_X_END;
                end else begin
                    rx_rd_en   = 1'b1;
                    rx_rd_addr = k_q[RX_AW-1:0] + 1'b1;
                    state_d    = S_X_HDR;
                end
            end

            S_X_HDR: begin
                a_d = h_addr;
                n_d = h_cnt;
                k_d = k_q + 1'b1;
                if (h_op == OP_WRITE) begin
                    rx_rd_en   = 1'b1;               // first data word
                    rx_rd_addr = k_q[RX_AW-1:0] + {{(RX_AW-2){1'b0}}, 2'd2};
                    state_d    = S_X_WR;
                end else begin
                    state_d = S_X_RD;
                end
            end

            S_X_WR: begin
                // rx_rd_data is payload word k_q, the data for a_q
                if (csr_wait) begin
                    rx_rd_en   = 1'b1;               // hold: read the same word again
                    rx_rd_addr = k_q[RX_AW-1:0] + 1'b1;
                end else begin
                    csr_we_d    = !local_a;
                    csr_addr_d  = a_q;
                    csr_wdata_d = rx_rd_data;
                    a_d         = a_q + 16'd4;
                    k_d         = k_q + 1'b1;
                    n_d         = n_q - 8'd1;
                    if (n_q == 8'd1) begin
                        gap_d   = 2'd3;
                        state_d = S_GAP;
                    end else begin
                        rx_rd_en   = 1'b1;
                        rx_rd_addr = k_q[RX_AW-1:0] + {{(RX_AW-2){1'b0}}, 2'd2};
                    end
                end
            end

            S_X_RD: begin
                if (!csr_wait) begin
                    csr_re_d   = !local_a;
                    loc_re_d   = local_a;
                    csr_addr_d = a_q;
                    a_d        = a_q + 16'd4;
                    n_d        = n_q - 8'd1;
                    if (n_q == 8'd1) begin
                        gap_d   = 2'd3;
                        state_d = S_GAP;
                    end
                end
            end

            S_GAP: begin
                if (gap_q != 2'd0) begin
                    gap_d = gap_q - 2'd1;
                end else if (!csr_wait) begin
                    state_d = S_X_REQ;
                end
            end

            S_X_END: begin
                if (cur_hello_q) begin
                    cur_words_d = 12;
                    state_d     = S_A_NEXT;
                end else begin
                    finish_kept(ST_OK, resp_wr_q);
                end
            end

            // ---------------- INJECT
            S_I_HDR: begin
                // rx_rd_data: version, port, flags, 0
                pipe_d = rx_rd_data[8];
                port_d = rx_rd_data[23:16];
                if (rx_rd_data[31:24] != 8'd1
                    || (rx_rd_data[8] && ({1'b0, rx_rd_data[23:16]} >= N_PORTS_Q || plen_q == 8))) begin
                    finish_kept(ST_BAD, {(RA+1){1'b0}});
                end else begin
                    j_d     = rx_rd_data[8] ? 8 : 0;
                    state_d = S_I_RD;
                end
            end

            S_I_RD: begin
                rx_rd_en   = 1'b1;
                rx_rd_addr = j_q[RX_AW+1:2] + 1'b1;
                state_d    = S_I_BYTE;
            end

            S_I_BYTE: begin
                if (!bvalid_q) begin
                    push = 1'b1;
                    j_d  = j_inc;
                    if (push_last) begin
                        state_d = S_I_WAIT;
                    end else if (j_q[1:0] == 2'd3) begin
                        state_d = S_I_RD;
                    end
                end
            end

            S_I_WAIT: begin
                if (!bvalid_q) begin
                    inj_d = 1'b1;
                    finish_kept(ST_OK, {(RA+1){1'b0}});
                end
            end

            // ---------------- answer payload
            S_A_NEXT: begin
                ans_last_d = (bi_q + 1'b1 == ans_len);
                if (bi_q < ans_hdr) begin
                    ans_d       = hdr_byte;
                    ans_valid_d = 1'b1;
                    state_d     = S_A_HOLD;
                end else if (ans_off[1:0] == 2'd0) begin
                    resp_rd_en = 1'b1;
                    state_d    = S_A_WORD;
                end else begin
                    ans_d       = word_byte;
                    ans_valid_d = 1'b1;
                    state_d     = S_A_HOLD;
                end
            end

            S_A_WORD: begin
                ans_d       = word_byte;
                ans_valid_d = 1'b1;
                state_d     = S_A_HOLD;
            end

            S_A_HOLD: begin
                if (m_axis_ans_tready) begin
                    ans_valid_d = 1'b0;
                    bi_d        = bi_q + 1'b1;
                    state_d     = ans_last_q ? S_A_WAIT : S_A_NEXT;
                end
            end

            S_A_WAIT: begin
                if (ans_sent) begin
                    state_d = S_IDLE;
                end
            end

            default: begin
                state_d = S_IDLE;
            end
        endcase
    end

    // ---------------------------------------------------------------- inject beat packer
    integer b;
    always @* begin
        beat_d   = beat_q;
        bkeep_d  = bkeep_q;
        bcnt_d   = bcnt_q;
        bvalid_d = bvalid_q;
        blast_d  = blast_q;
        if (bvalid_q && m_axis_inj_tready) begin
            bvalid_d = 1'b0;
        end
        if (push) begin
            beat_d[8*bcnt_q +: 8] = push_byte;
            if (bcnt_q == LAST_BYTE || push_last) begin
                bvalid_d = 1'b1;
                blast_d  = push_last;
                bcnt_d   = {BW{1'b0}};
                for (b = 0; b < KW; b = b + 1) begin
                    bkeep_d[b] = (b <= bcnt_q);
                end
            end else begin
                bcnt_d = bcnt_q + 1'b1;
            end
        end
    end

    // ---------------------------------------------------------------- registers
    always @(posedge clk) begin
        if (rst) begin
            state_q       <= S_IDLE;
            attached_q    <= 1'b0;
            kept_valid_q  <= 1'b0;
            csr_we_q      <= 1'b0;
            csr_re_q      <= 1'b0;
            loc_re_q      <= 1'b0;
            loc_rvalid_q  <= 1'b0;
            resp_wr_q     <= {(RA+1){1'b0}};
            bcnt_q        <= {BW{1'b0}};
            bvalid_q      <= 1'b0;
            ans_valid_q   <= 1'b0;
            dup_q         <= 1'b0;
            inj_q         <= 1'b0;
        end else begin
            state_q       <= state_d;
            attached_q    <= attached_d;
            kept_valid_q  <= kept_valid_d;
            csr_we_q      <= csr_we_d;
            csr_re_q      <= csr_re_d;
            loc_re_q      <= loc_re_d;
            loc_rvalid_q  <= loc_re_q;
            resp_wr_q     <= resp_wr_d;
            bcnt_q        <= bcnt_d;
            bvalid_q      <= bvalid_d;
            ans_valid_q   <= ans_valid_d;
            dup_q         <= dup_d;
            inj_q         <= inj_d;
        end
    end

    // datapath and request fields (meaningful only in the states that set them)
    always @(posedge clk) begin
        plen_q        <= plen_d;
        k_q           <= k_d;
        a_q           <= a_d;
        n_q           <= n_d;
        rdtot_q       <= rdtot_d;
        gap_q         <= gap_d;
        j_q           <= j_d;
        pipe_q        <= pipe_d;
        port_q        <= port_d;
        cur_type_q    <= cur_type_d;
        cur_seq_q     <= cur_seq_d;
        cur_status_q  <= cur_status_d;
        cur_words_q   <= cur_words_d;
        cur_hello_q   <= cur_hello_d;
        kept_type_q   <= kept_type_d;
        kept_seq_q    <= kept_seq_d;
        kept_status_q <= kept_status_d;
        kept_words_q  <= kept_words_d;
        csr_addr_q    <= csr_addr_d;
        csr_wdata_q   <= csr_wdata_d;
        beat_q        <= beat_d;
        bkeep_q       <= bkeep_d;
        blast_q       <= blast_d;
        bi_q          <= bi_d;
        ans_q         <= ans_d;
        ans_last_q    <= ans_last_d;
        if ((csr_rvalid || loc_rvalid_q) && resp_wr_q < RESP_WORDS_Q) begin
            resp_mem[resp_wr_q[RA-1:0]] <= csr_rvalid ? csr_rdata : link_reg_rdata;
        end
        if (resp_rd_en) begin
            resp_rd_q <= resp_mem[resp_rd_addr];
        end
    end

endmodule

`default_nettype wire
