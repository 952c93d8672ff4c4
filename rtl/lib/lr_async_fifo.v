// lr_async_fifo: dual-clock frame FIFO (commit/drop on the write side); RAM with registered read.
`default_nettype none

// Words written on s_clk reach the reader on m_clk only once committed (s_commit), so the reader
// never sees part of a frame: when it sees a frame's first word, the whole frame is stored. s_drop
// forgets every word written since the last commit (the write pointer rolls back to the frame's
// start); that is how a MAC drops a frame it has already begun to store. For a plain FIFO, tie
// s_commit high and s_drop low.
//
// Crossing the clock boundary:
// - The read pointer moves one word at a time, so it crosses Gray-coded through two flip-flops:
//   one bit changes per step, so the writer sees either the old or the new value, never a mix.
// - The committed write pointer jumps a whole frame at once, which a Gray code cannot carry (many
//   bits change together). It crosses by a toggle handshake: the writer holds it in pub_q and
//   toggles req; the reader, seeing the synchronised req change, copies pub_q (stable by then) and
//   toggles ack back; only when ack returns may pub_q change again. A round trip takes about three
//   clocks of each side; commits made during one are published together by the next.
//
// The RAM is a simple dual-port memory, written on s_clk and read into the output register on
// m_clk (one block RAM per 2048 x 9 on the ECP5). Capacity: DEPTH words (uncommitted ones count)
// plus the output register. The writer learns of reads three s_clk late, never early, so it never
// overwrites an unread word. s_rst and m_rst must be asserted together (one reset source, through
// a synchroniser into each domain).
//
// READ_REG adds that many output registers after the RAM's, each loaded straight from the one
// before with no logic in between. The RAM's own clock-to-out is slow (5.8 ns on the ECP5's
// DP16KD without its output register: 2.2 ns left at 125 MHz), and the first register's only
// load is then the second, so the placer can put it beside the block RAM whatever the distance
// to the consumer. Each register delays the first word one m_clk and holds one more word.
module lr_async_fifo #(
    parameter WIDTH = 9,        // word width in bits
    parameter DEPTH = 2048,     // RAM words, a power of two >= 4
    parameter READ_REG = 0      // output registers after the RAM's (see above), 0..
) (
    input  wire             s_clk,      // write clock
    input  wire             s_rst,      // synchronous to s_clk, active high
    input  wire             m_clk,      // read clock
    input  wire             m_rst,      // synchronous to m_clk, active high

    // write side (s_clk)
    input  wire [WIDTH-1:0] s_data,
    input  wire             s_valid,
    output wire             s_ready,    // room for a word
    input  wire             s_commit,   // publish every word written so far, this clock's included
    input  wire             s_drop,     // forget the words since the last commit, this clock's too

    // read side (m_clk), first word falls through
    output wire [WIDTH-1:0] m_data,
    output wire             m_valid,
    input  wire             m_ready
);

    localparam AW = (DEPTH > 1) ? $clog2(DEPTH) : 1;

    generate
        if (DEPTH < 4 || (DEPTH & (DEPTH - 1)) != 0) begin : g_bad_param
            $error("%m: lr_async_fifo DEPTH must be a power of two >= 4");
        end
    endgenerate

    function [AW:0] bin2gray(input [AW:0] b);
        bin2gray = b ^ (b >> 1);
    endfunction

    // bit i of the binary value is the parity of the Gray bits i and above
    function [AW:0] gray2bin(input [AW:0] g);
        integer i;
        begin
            for (i = 0; i <= AW; i = i + 1) begin
                gray2bin[i] = ^(g >> i);
            end
        end
    endfunction

    reg [WIDTH-1:0] mem [0:DEPTH-1];

    // write side (s_clk)
    reg [AW:0] wr_q, wr_d;              // next word to write (uncommitted words included)
    reg [AW:0] commit_q, commit_d;      // end of the committed words
    reg [AW:0] pub_q, pub_d;            // committed pointer offered to the reader
    reg        req_q, req_d;            // toggles when pub_q has a new value
    reg        ack_sync_q, ack_sync_q2; // the reader's ack, synchronised
    reg [AW:0] rd_gray_sync_q, rd_gray_sync_q2; // the reader's Gray pointer, synchronised
    reg [AW:0] rd_seen_q;               // ... and back in binary (a clock later, off the full path)

    // read side (m_clk)
    reg [AW:0]      rd_q, rd_d;         // next word to read from the RAM
    reg [AW:0]      rd_gray_q;          // rd_q Gray-coded, for the writer
    reg [AW:0]      vis_q, vis_d;       // committed pointer as the reader knows it
    reg             ack_q, ack_d;       // follows req once pub_q has been copied
    reg             req_sync_q, req_sync_q2;
    reg             out_valid_q, out_valid_d;   // out_q holds a word
    reg [WIDTH-1:0] out_q;                      // the RAM's read register
    wire            out_take;                   // out_q's word moves on this clock

    // ---- write side (s_clk) -------------------------------------------------------------------
    wire full = (wr_q[AW] != rd_seen_q[AW]) && (wr_q[AW-1:0] == rd_seen_q[AW-1:0]);
    wire push = s_valid && !full && !s_drop;

    assign s_ready = !full;

    always @* begin
        wr_d     = wr_q;
        commit_d = commit_q;
        pub_d    = pub_q;
        req_d    = req_q;
        if (push) begin
            wr_d = wr_q + 1'b1;
        end
        if (s_drop) begin
            wr_d = commit_q;
        end else if (s_commit) begin
            commit_d = wr_d;
        end
        // offer the committed pointer once the previous offer has been acknowledged
        if (ack_sync_q2 == req_q && pub_q != commit_q) begin
            pub_d = commit_q;
            req_d = !req_q;
        end
    end

    always @(posedge s_clk) begin
        if (s_rst) begin
            wr_q            <= {(AW+1){1'b0}};
            commit_q        <= {(AW+1){1'b0}};
            pub_q           <= {(AW+1){1'b0}};
            req_q           <= 1'b0;
            ack_sync_q      <= 1'b0;
            ack_sync_q2     <= 1'b0;
            rd_gray_sync_q  <= {(AW+1){1'b0}};
            rd_gray_sync_q2 <= {(AW+1){1'b0}};
            rd_seen_q       <= {(AW+1){1'b0}};
        end else begin
            wr_q            <= wr_d;
            commit_q        <= commit_d;
            pub_q           <= pub_d;
            req_q           <= req_d;
            ack_sync_q      <= ack_q;
            ack_sync_q2     <= ack_sync_q;
            rd_gray_sync_q  <= rd_gray_q;
            rd_gray_sync_q2 <= rd_gray_sync_q;
            rd_seen_q       <= gray2bin(rd_gray_sync_q2);
        end
    end

    always @(posedge s_clk) begin
        if (push) begin
            mem[wr_q[AW-1:0]] <= s_data;
        end
    end

    // ---- read side (m_clk) --------------------------------------------------------------------
    wire ram_empty = (vis_q == rd_q);
    wire load      = !ram_empty && (!out_valid_q || out_take);

    always @* begin
        rd_d        = rd_q;
        vis_d       = vis_q;
        ack_d       = ack_q;
        out_valid_d = out_valid_q;
        if (load) begin
            rd_d        = rd_q + 1'b1;
            out_valid_d = 1'b1;
        end else if (out_take) begin
            out_valid_d = 1'b0;
        end
        // a new offer: pub_q has been stable since req toggled, two m_clk ago at least
        if (req_sync_q2 != ack_q) begin
            vis_d = pub_q;
            ack_d = req_sync_q2;
        end
    end

    always @(posedge m_clk) begin
        if (m_rst) begin
            rd_q        <= {(AW+1){1'b0}};
            rd_gray_q   <= {(AW+1){1'b0}};
            vis_q       <= {(AW+1){1'b0}};
            ack_q       <= 1'b0;
            req_sync_q  <= 1'b0;
            req_sync_q2 <= 1'b0;
            out_valid_q <= 1'b0;
        end else begin
            rd_q        <= rd_d;
            rd_gray_q   <= bin2gray(rd_d);
            vis_q       <= vis_d;
            ack_q       <= ack_d;
            req_sync_q  <= req_q;
            req_sync_q2 <= req_sync_q;
            out_valid_q <= out_valid_d;
        end
    end

    // registered read port (no reset, block RAM friendly)
    always @(posedge m_clk) begin
        if (load) begin
            out_q <= mem[rd_q[AW-1:0]];
        end
    end

    // READ_REG more registers, each loaded straight from the one before (stage 0 is out_q)
    wire [WIDTH-1:0] st_data  [0:READ_REG];
    wire             st_valid [0:READ_REG];
    wire             st_take  [0:READ_REG] /* verilator split_var */;  // stage i's word moves on
    assign st_data[0]  = out_q;
    assign st_valid[0] = out_valid_q;
    assign out_take    = st_take[0];
    assign m_data      = st_data[READ_REG];
    assign m_valid     = st_valid[READ_REG];
    assign st_take[READ_REG] = st_valid[READ_REG] && m_ready;

    genvar i;
    generate
        for (i = 1; i <= READ_REG; i = i + 1) begin : g_read_reg
            reg             valid_q;
            reg [WIDTH-1:0] data_q;
            assign st_take[i-1] = st_valid[i-1] && (!valid_q || st_take[i]);
            assign st_data[i]   = data_q;
            assign st_valid[i]  = valid_q;
            always @(posedge m_clk) begin
                if (m_rst) begin
                    valid_q <= 1'b0;
                end else if (st_take[i-1]) begin
                    valid_q <= 1'b1;
                end else if (st_take[i]) begin
                    valid_q <= 1'b0;
                end
            end
            always @(posedge m_clk) begin
                if (st_take[i-1]) begin
                    data_q <= st_data[i-1];
                end
            end
        end
    endgenerate

endmodule

`default_nettype wire
