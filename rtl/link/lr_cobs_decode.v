// lr_cobs_decode: streaming COBS decoder; a 0x00 byte ends a frame, bytes between two zeros are one block.
`default_nettype none

// Input: the received characters, one at a time (no backpressure: a UART cannot wait). Output: the
// decoded bytes, one per input byte at most, and an end-of-frame pulse. Each code byte n (1..255)
// is followed by n-1 data bytes; a block with n < 255 implies a zero after it, unless it is the
// last block of the frame. The decoder does not know that when the block ends, so it holds the
// implied zero and sends it with the next code byte (which proves the block was not the last);
// the delimiter discards it. A delimiter inside a block (fewer data bytes than the code promised)
// or a receive error anywhere in the frame marks the frame bad. Back-to-back delimiters (no byte
// in between) are idle fill and produce nothing.
module lr_cobs_decode (
    input  wire       clk,
    input  wire       rst,

    // encoded bytes in
    input  wire [7:0] s_data,
    input  wire       s_valid,
    input  wire       s_err,     // with s_valid: the byte arrived damaged (UART framing error)

    // decoded bytes out
    output wire [7:0] m_data,
    output wire       m_valid,   // pulse: one decoded byte
    output wire       m_end,     // pulse: the frame ended (its delimiter arrived)
    output wire       m_bad,     // with m_end: the frame's encoding was broken or a byte was damaged

    // status
    output wire       stat_busy  // inside a frame
);

    reg [7:0] rem_q, rem_d;      // data bytes left in this block; 0: the next byte is a code
    reg       zero_q, zero_d;    // the block just ended implies a zero (sent when the next code comes)
    reg       infr_q, infr_d;    // a byte of this frame has arrived
    reg       bad_q, bad_d;
    reg [7:0] data_q, data_d;
    reg       valid_q, valid_d;
    reg       end_q, end_d;
    reg       endbad_q, endbad_d;

    assign m_data    = data_q;
    assign m_valid   = valid_q;
    assign m_end     = end_q;
    assign m_bad     = endbad_q;
    assign stat_busy = infr_q;

    always @* begin
        rem_d    = rem_q;
        zero_d   = zero_q;
        infr_d   = infr_q;
        bad_d    = bad_q;
        data_d   = data_q;
        valid_d  = 1'b0;
        end_d    = 1'b0;
        endbad_d = 1'b0;
        if (s_valid) begin
            if (s_data == 8'h00) begin
                // delimiter: the frame ends (or idle fill when nothing came since the last one)
                end_d    = infr_q;
                endbad_d = bad_q || s_err || (rem_q != 8'd0);
                rem_d    = 8'd0;
                zero_d   = 1'b0;
                infr_d   = 1'b0;
                bad_d    = 1'b0;
            end else begin
                infr_d = 1'b1;
                bad_d  = bad_q || s_err;
                if (rem_q == 8'd0) begin
                    // code byte: the previous block was not the last, so its zero is real
                    data_d  = 8'h00;
                    valid_d = zero_q;
                    rem_d   = s_data - 8'd1;
                    zero_d  = (s_data != 8'hFF);
                end else begin
                    data_d  = s_data;
                    valid_d = 1'b1;
                    rem_d   = rem_q - 8'd1;
                end
            end
        end
    end

    always @(posedge clk) begin
        if (rst) begin
            rem_q    <= 8'd0;
            zero_q   <= 1'b0;
            infr_q   <= 1'b0;
            bad_q    <= 1'b0;
            valid_q  <= 1'b0;
            end_q    <= 1'b0;
            endbad_q <= 1'b0;
        end else begin
            rem_q    <= rem_d;
            zero_q   <= zero_d;
            infr_q   <= infr_d;
            bad_q    <= bad_d;
            valid_q  <= valid_d;
            end_q    <= end_d;
            endbad_q <= endbad_d;
        end
    end

    // datapath
    always @(posedge clk) begin
        data_q <= data_d;
    end

endmodule

`default_nettype wire
