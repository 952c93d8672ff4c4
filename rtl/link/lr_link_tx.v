// lr_link_tx: link frame transmitter; picks the next frame (answer, punt, port frame) and frames it.
`default_nettype none

// At each frame boundary: an answer waiting goes first; otherwise punts and port frames take turns
// (a punt after a port frame and the other way round, when both wait; the ports among themselves
// round robin). The frame leaves as raw bytes for lr_cobs_encode:
//   type | seq (BE) | payload | CRC-32C (BE) of everything before it
// with the payload: an answer's bytes (type and seq from the executor); PUNT (0x90) the punt FIFO's
// frame as it is; PORT_TX (0x91) the port number, then the port FIFO's frame. PUNT and PORT_TX
// carry the device's running seq (+1 per such frame). Sources are byte streams whose first byte
// is offered only when the whole frame is stored, so a frame never waits for its own bytes long.
module lr_link_tx #(
    parameter N_PORTS = 4,                              // packet ports (one port FIFO each)
    parameter PW      = (N_PORTS > 1) ? $clog2(N_PORTS) : 1  // port index width
) (
    input  wire                 clk,
    input  wire                 rst,

    // answer payload (lr_link_exec)
    input  wire [7:0]           s_ans_tdata,
    input  wire                 s_ans_tvalid,
    output wire                 s_ans_tready,
    input  wire                 s_ans_tlast,
    input  wire [7:0]           s_ans_type,
    input  wire [15:0]          s_ans_seq,
    output wire                 ans_sent,        // pulse: the answer frame has been handed on whole

    // punt frames (punt FIFO)
    input  wire [7:0]           s_punt_tdata,
    input  wire                 s_punt_tvalid,
    output wire                 s_punt_tready,
    input  wire                 s_punt_tlast,

    // port frames (one FIFO per port)
    input  wire [N_PORTS*8-1:0] s_port_tdata,
    input  wire [N_PORTS-1:0]   s_port_tvalid,
    output wire [N_PORTS-1:0]   s_port_tready,
    input  wire [N_PORTS-1:0]   s_port_tlast,

    // raw frame bytes out (lr_cobs_encode)
    output wire [7:0]           m_tdata,
    output wire                 m_tvalid,
    input  wire                 m_tready,
    output wire                 m_tlast,

    // status
    output wire                 stat_tx_frame,    // pulse: a frame was handed on (tx_frames)
    output wire                 stat_punt_frame,  // pulse: of which a PUNT (punt_frames)
    output wire                 stat_port_frame,  // pulse: of which a PORT_TX (port_frames)
    output wire                 stat_idle
);

    localparam [7:0] T_PUNT    = 8'h90,
                     T_PORT_TX = 8'h91;

    localparam [2:0] F_IDLE = 3'd0,
                     F_TYPE = 3'd1,
                     F_SEQH = 3'd2,
                     F_SEQL = 3'd3,
                     F_PORT = 3'd4,
                     F_PAY  = 3'd5,
                     F_CRC  = 3'd6;

    localparam [1:0] SRC_ANS  = 2'd0,
                     SRC_PUNT = 2'd1,
                     SRC_PORT = 2'd2;

    reg [2:0]    state_q, state_d;
    reg [1:0]    src_q, src_d;
    reg [PW-1:0] port_q, port_d;
    reg [7:0]    type_q, type_d;
    reg [15:0]   seq_q, seq_d;          // seq of the frame being sent
    reg [15:0]   dev_seq_q, dev_seq_d;  // the device's running seq
    reg          last_punt_q, last_punt_d;
    reg [31:0]   crc_q, crc_d;
    reg [31:0]   fcs_q, fcs_d;          // CRC bytes still to send, next in [31:24]
    reg [1:0]    ccnt_q, ccnt_d;
    reg [7:0]    out_q, out_d;
    reg          out_valid_q, out_valid_d;
    reg          out_last_q, out_last_d;
    reg          sent_q, sent_d;
    reg          txf_q, txf_d;
    reg          puntf_q, puntf_d;
    reg          portf_q, portf_d;
    reg          crc_en;
    reg [7:0]    crc_byte;
    reg          arb_advance;

    wire         out_free = !out_valid_q || m_tready;
    wire [31:0]  crc_next;
    wire [N_PORTS-1:0] port_grant;
    wire [PW-1:0] port_grant_index;
    wire         port_any;

    lr_crc32c u_crc (
        .en      (crc_en),
        .crc_in  (crc_q),
        .data    (crc_byte),
        .crc_out (crc_next)
    );

    lr_rr_arbiter #(
        .N  (N_PORTS),
        .IW (PW)
    ) u_port_arb (
        .clk         (clk),
        .rst         (rst),
        .req         (s_port_tvalid),
        .advance     (arb_advance),
        .grant       (port_grant),
        .grant_index (port_grant_index),
        .grant_valid (port_any)
    );

    wire       in_pay    = (state_q == F_PAY) && out_free;
    wire [7:0] port_byte = s_port_tdata[8*port_q +: 8];
    wire [31:0] port_w   = {{(32-PW){1'b0}}, port_q};
    wire [7:0]  port_num = port_w[7:0];
    wire        unused_grant = ^{port_grant, port_w[31:8]};

    reg [7:0] pay_byte;
    reg       pay_valid;
    reg       pay_last;
    always @* begin
        case (src_q)
            SRC_ANS: begin
                pay_byte  = s_ans_tdata;
                pay_valid = s_ans_tvalid;
                pay_last  = s_ans_tlast;
            end
            SRC_PUNT: begin
                pay_byte  = s_punt_tdata;
                pay_valid = s_punt_tvalid;
                pay_last  = s_punt_tlast;
            end
            default: begin
                pay_byte  = port_byte;
                pay_valid = s_port_tvalid[port_q];
                pay_last  = s_port_tlast[port_q];
            end
        endcase
    end

    assign s_ans_tready   = in_pay && (src_q == SRC_ANS);
    assign s_punt_tready  = in_pay && (src_q == SRC_PUNT);
    genvar gp;
    generate
        for (gp = 0; gp < N_PORTS; gp = gp + 1) begin : g_port_ready
            assign s_port_tready[gp] = in_pay && (src_q == SRC_PORT) && (port_q == gp);
        end
    endgenerate

    assign m_tdata         = out_q;
    assign m_tvalid        = out_valid_q;
    assign m_tlast         = out_last_q;
    assign ans_sent        = sent_q;
    assign stat_tx_frame   = txf_q;
    assign stat_punt_frame = puntf_q;
    assign stat_port_frame = portf_q;
    assign stat_idle       = (state_q == F_IDLE) && !out_valid_q;

    // the byte loaded into the output register this clock, if any
    reg       ld;
    reg [7:0] ld_byte;
    always @* begin
        ld      = 1'b0;
        ld_byte = pay_byte;
        case (state_q)
            F_TYPE: begin
                ld      = out_free;
                ld_byte = type_q;
            end
            F_SEQH: begin
                ld      = out_free;
                ld_byte = seq_q[15:8];
            end
            F_SEQL: begin
                ld      = out_free;
                ld_byte = seq_q[7:0];
            end
            F_PORT: begin
                ld      = out_free;
                ld_byte = port_num;
            end
            F_PAY: begin
                ld      = out_free && pay_valid;
                ld_byte = pay_byte;
            end
            F_CRC: begin
                ld      = out_free;
                ld_byte = fcs_q[31:24];
            end
            default: begin
                ld = 1'b0;
            end
        endcase
        // every byte before the CRC enters the CRC
        crc_en   = ld && (state_q != F_CRC);
        crc_byte = ld_byte;
    end

    always @* begin
        state_d     = state_q;
        src_d       = src_q;
        port_d      = port_q;
        type_d      = type_q;
        seq_d       = seq_q;
        dev_seq_d   = dev_seq_q;
        last_punt_d = last_punt_q;
        crc_d       = crc_next;
        fcs_d       = fcs_q;
        ccnt_d      = ccnt_q;
        out_d       = out_q;
        out_valid_d = out_valid_q && !m_tready;
        out_last_d  = 1'b0;
        sent_d      = 1'b0;
        txf_d       = 1'b0;
        puntf_d     = 1'b0;
        portf_d     = 1'b0;
        arb_advance = 1'b0;
        if (ld) begin
            out_d       = ld_byte;
            out_valid_d = 1'b1;
        end else begin
            out_last_d  = out_last_q;
        end
        case (state_q)
            F_IDLE: begin
                crc_d = 32'hFFFFFFFF;
                if (s_ans_tvalid) begin
                    src_d   = SRC_ANS;
                    type_d  = s_ans_type;
                    seq_d   = s_ans_seq;
                    state_d = F_TYPE;
                end else if (s_punt_tvalid && (!port_any || !last_punt_q)) begin
                    src_d       = SRC_PUNT;
                    type_d      = T_PUNT;
                    seq_d       = dev_seq_q;
                    last_punt_d = 1'b1;
                    state_d     = F_TYPE;
                end else if (port_any) begin
                    src_d       = SRC_PORT;
                    port_d      = port_grant_index;
                    type_d      = T_PORT_TX;
                    seq_d       = dev_seq_q;
                    last_punt_d = 1'b0;
                    arb_advance = 1'b1;
                    state_d     = F_TYPE;
                end
            end
            F_TYPE: begin
                if (ld) state_d = F_SEQH;
            end
            F_SEQH: begin
                if (ld) state_d = F_SEQL;
            end
            F_SEQL: begin
                if (ld) state_d = (src_q == SRC_PORT) ? F_PORT : F_PAY;
            end
            F_PORT: begin
                if (ld) state_d = F_PAY;
            end
            F_PAY: begin
                if (ld && pay_last) begin
                    fcs_d   = ~crc_next;
                    ccnt_d  = 2'd0;
                    state_d = F_CRC;
                end
            end
            F_CRC: begin
                if (ld) begin
                    fcs_d  = {fcs_q[23:0], 8'd0};
                    ccnt_d = ccnt_q + 2'd1;
                    if (ccnt_q == 2'd3) begin
                        out_last_d = 1'b1;
                        txf_d      = 1'b1;
                        state_d    = F_IDLE;
                        case (src_q)
                            SRC_ANS:  sent_d  = 1'b1;
                            SRC_PUNT: puntf_d = 1'b1;
                            default:  portf_d = 1'b1;
                        endcase
                        if (src_q != SRC_ANS) begin
                            dev_seq_d = dev_seq_q + 16'd1;
                        end
                    end
                end
            end
            default: begin
                state_d = F_IDLE;
            end
        endcase
    end

    always @(posedge clk) begin
        if (rst) begin
            state_q     <= F_IDLE;
            src_q       <= SRC_ANS;
            dev_seq_q   <= 16'd0;
            last_punt_q <= 1'b0;
            out_valid_q <= 1'b0;
            sent_q      <= 1'b0;
            txf_q       <= 1'b0;
            puntf_q     <= 1'b0;
            portf_q     <= 1'b0;
        end else begin
            state_q     <= state_d;
            src_q       <= src_d;
            dev_seq_q   <= dev_seq_d;
            last_punt_q <= last_punt_d;
            out_valid_q <= out_valid_d;
            sent_q      <= sent_d;
            txf_q       <= txf_d;
            puntf_q     <= puntf_d;
            portf_q     <= portf_d;
        end
    end

    // datapath
    always @(posedge clk) begin
        port_q     <= port_d;
        type_q     <= type_d;
        seq_q      <= seq_d;
        crc_q      <= crc_d;
        fcs_q      <= fcs_d;
        ccnt_q     <= ccnt_d;
        out_q      <= out_d;
        out_last_q <= out_last_d;
    end

endmodule

`default_nettype wire
