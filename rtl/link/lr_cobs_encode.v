// lr_cobs_encode: streaming COBS encoder with a 254-byte look-ahead buffer; ends each frame with 0x00.
`default_nettype none

// Bytes of a frame are collected in the buffer until a zero byte, the 254th non-zero byte or the
// frame's last byte closes the block; then the block leaves as its code byte (number of data
// bytes + 1) and the data bytes, and collection resumes. The output is exactly that of
// hostdrv/link's encoder: after a block closed by a zero or by 254 bytes a new block opens, so a
// frame that ends just then ends with the empty block 0x01. The delimiter 0x00 follows the last
// block. Input stalls while a block leaves (the output is far faster than a UART).
module lr_cobs_encode (
    input  wire       clk,
    input  wire       rst,

    // frame bytes in
    input  wire [7:0] s_tdata,
    input  wire       s_tvalid,
    output wire       s_tready,
    input  wire       s_tlast,

    // encoded bytes out
    output wire [7:0] m_tdata,
    output wire       m_tvalid,
    input  wire       m_tready,

    // status
    output wire       stat_idle   // nothing buffered or waiting to leave
);

    localparam [2:0] E_FILL  = 3'd0,   // collecting a block
                     E_CODE  = 3'd1,   // sending its code byte
                     E_DATA  = 3'd2,   // sending its data bytes
                     E_EMPTY = 3'd3,   // sending the final empty block (0x01)
                     E_DELIM = 3'd4;   // sending the delimiter

    // what follows a block once it has left
    localparam [1:0] AF_NEXT  = 2'd0,  // more blocks of this frame
                     AF_EMPTY = 2'd1,  // the empty last block, then the delimiter
                     AF_DELIM = 2'd2;  // the delimiter

    reg [7:0] mem [0:255];
    reg [2:0] state_q, state_d;
    reg [7:0] n_q, n_d;          // data bytes in the block
    reg [7:0] i_q, i_d;          // data bytes of the block sent
    reg [7:0] code_q, code_d;
    reg [1:0] after_q, after_d;
    reg [7:0] rd_q;              // buffer read register: data byte i_q
    reg [7:0] out_q, out_d;
    reg       out_valid_q, out_valid_d;
    reg       wr_en;
    reg       rd_en;
    reg [7:0] rd_addr;

    wire in_beat  = s_tvalid && s_tready;
    wire out_free = !out_valid_q || m_tready;
    wire [7:0] n_inc = n_q + 8'd1;

    assign s_tready  = (state_q == E_FILL);
    assign m_tdata   = out_q;
    assign m_tvalid  = out_valid_q;
    assign stat_idle = (state_q == E_FILL) && (n_q == 8'd0) && !out_valid_q;

    // where to go once a block (or the empty block) has left
    function [2:0] after_state(input [1:0] af);
        case (af)
            AF_EMPTY: after_state = E_EMPTY;
            AF_DELIM: after_state = E_DELIM;
            default:  after_state = E_FILL;
        endcase
    endfunction

    always @* begin
        state_d     = state_q;
        n_d         = n_q;
        i_d         = i_q;
        code_d      = code_q;
        after_d     = after_q;
        out_d       = out_q;
        out_valid_d = out_valid_q && !m_tready;
        wr_en       = 1'b0;
        rd_en       = 1'b0;
        rd_addr     = 8'd0;
        case (state_q)
            E_FILL: begin
                if (in_beat) begin
                    if (s_tdata != 8'h00) begin
                        wr_en = 1'b1;
                        n_d   = n_inc;
                        if (n_inc == 8'd254) begin
                            code_d  = 8'hFF;
                            after_d = s_tlast ? AF_EMPTY : AF_NEXT;
                            state_d = E_CODE;
                        end else if (s_tlast) begin
                            code_d  = n_q + 8'd2;
                            after_d = AF_DELIM;
                            state_d = E_CODE;
                        end
                    end else begin
                        code_d  = n_inc;
                        after_d = s_tlast ? AF_EMPTY : AF_NEXT;
                        state_d = E_CODE;
                    end
                end
            end
            E_CODE: begin
                if (out_free) begin
                    out_d       = code_q;
                    out_valid_d = 1'b1;
                    i_d         = 8'd0;
                    rd_en       = 1'b1;   // prefetch data byte 0
                    if (n_q == 8'd0) begin
                        state_d = after_state(after_q);
                    end else begin
                        state_d = E_DATA;
                    end
                end
            end
            E_DATA: begin
                if (out_free) begin
                    out_d       = rd_q;
                    out_valid_d = 1'b1;
                    i_d         = i_q + 8'd1;
                    rd_en       = 1'b1;
                    rd_addr     = i_q + 8'd1;
                    if (i_q + 8'd1 == n_q) begin
                        n_d     = 8'd0;
                        state_d = after_state(after_q);
                    end
                end
            end
            E_EMPTY: begin
                if (out_free) begin
                    out_d       = 8'h01;
                    out_valid_d = 1'b1;
                    state_d     = E_DELIM;
                end
            end
            E_DELIM: begin
                if (out_free) begin
                    out_d       = 8'h00;
                    out_valid_d = 1'b1;
                    state_d     = E_FILL;
                end
            end
            default: begin
                state_d = E_FILL;
            end
        endcase
    end

    always @(posedge clk) begin
        if (rst) begin
            state_q     <= E_FILL;
            n_q         <= 8'd0;
            i_q         <= 8'd0;
            after_q     <= AF_NEXT;
            out_valid_q <= 1'b0;
        end else begin
            state_q     <= state_d;
            n_q         <= n_d;
            i_q         <= i_d;
            after_q     <= after_d;
            out_valid_q <= out_valid_d;
        end
    end

    // datapath: block buffer (write port, registered read port) and output byte
    always @(posedge clk) begin
        code_q <= code_d;
        out_q  <= out_d;
        if (wr_en) begin
            mem[n_q] <= s_tdata;
        end
        if (rd_en) begin
            rd_q <= mem[rd_addr];
        end
    end

endmodule

`default_nettype wire
