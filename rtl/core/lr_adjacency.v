// lr_adjacency: next-hop table (kind, egress port, MACs, MTU); registered read, 1-clock latency.
`default_nettype none

// One row per adjacency index. A lookup of an index beyond the table reads an all-zero row (kind
// glean, port 0, MACs 0, MTU 0), the same as an empty row. Rows are written whole in one clock,
// the first clock from the write command on without a lookup: `busy` holds the register bus
// meanwhile (lr_link_exec csr_wait), so the row's fields stay put. No row is ever read and
// written in the same clock (no_rw_check: yosys need not emulate the old data on a collision,
// which block RAMs leave undefined, with a row of flip-flops and multiplexers per copy).
module lr_adjacency #(
    parameter ENTRIES = 256     // adjacency rows, 1..65536
) (
    input  wire        clk,
    input  wire        rst,

    // lookup
    input  wire        req_valid,
    input  wire [15:0] req_index,
    output reg  [1:0]  resp_kind,     // valid the clock after req_valid
    output reg  [7:0]  resp_port,
    output reg  [47:0] resp_dmac,
    output reg  [47:0] resp_smac,
    output reg  [15:0] resp_mtu,

    // CSR access
    input  wire        tbl_adj_we,
    input  wire        tbl_adj_re,
    input  wire [15:0] tbl_adj_index,
    input  wire [1:0]  tbl_adj_wr_kind,
    input  wire [7:0]  tbl_adj_wr_port,
    input  wire [15:0] tbl_adj_wr_dmac_hi,
    input  wire [31:0] tbl_adj_wr_dmac_lo,
    input  wire [15:0] tbl_adj_wr_smac_hi,
    input  wire [31:0] tbl_adj_wr_smac_lo,
    input  wire [15:0] tbl_adj_wr_mtu,
    output reg  [1:0]  tbl_adj_rd_kind,
    output reg  [7:0]  tbl_adj_rd_port,
    output reg  [15:0] tbl_adj_rd_dmac_hi,
    output reg  [31:0] tbl_adj_rd_dmac_lo,
    output reg  [15:0] tbl_adj_rd_smac_hi,
    output reg  [31:0] tbl_adj_rd_smac_lo,
    output reg  [15:0] tbl_adj_rd_mtu,
    output wire        busy           // a write is waiting for a clock without a lookup
);

    localparam IW = (ENTRIES > 1) ? $clog2(ENTRIES) : 1;
    localparam RW = 2 + 8 + 48 + 48 + 16;   // {mtu, smac, dmac, port, kind}

    generate
        if (ENTRIES < 1 || ENTRIES > 65536) begin : g_bad_entries
            $error("lr_adjacency: ENTRIES must be 1..65536");
        end
    endgenerate

    (* no_rw_check *) reg [RW-1:0] rows [0:ENTRIES-1];    // lookup copy
    (* no_rw_check *) reg [RW-1:0] rows_rb [0:ENTRIES-1]; // readback copy (a second read port, as a duplicated RAM)

    // a write command waits while lookups read (at most one lookup per frame and port)
    reg           wr_pend_q;
    wire          wr_req  = tbl_adj_we || wr_pend_q;
    wire          wr_en   = wr_req && !req_valid && ({16'd0, tbl_adj_index} < ENTRIES);
    assign busy = wr_req;

    always @(posedge clk) begin
        if (rst) begin
            wr_pend_q <= 1'b0;
        end else begin
            wr_pend_q <= wr_req && req_valid;
        end
    end

    wire [IW-1:0] widx    = tbl_adj_index[IW-1:0];
    wire [RW-1:0] wr_row  = {tbl_adj_wr_mtu, tbl_adj_wr_smac_hi, tbl_adj_wr_smac_lo,
                             tbl_adj_wr_dmac_hi, tbl_adj_wr_dmac_lo, tbl_adj_wr_port, tbl_adj_wr_kind};
    wire          lk_in   = {16'd0, req_index} < ENTRIES;
    wire [IW-1:0] lk_idx  = req_index[IW-1:0];
    wire          rb_in   = {16'd0, tbl_adj_index} < ENTRIES;

    reg  [RW-1:0] lk_row;
    reg  [RW-1:0] rb_row;

    always @(posedge clk) begin
        if (wr_en) begin
            rows[widx]    <= wr_row;
            rows_rb[widx] <= wr_row;
        end
        if (req_valid) begin
            lk_row <= lk_in ? rows[lk_idx] : {RW{1'b0}};
        end
        if (tbl_adj_re) begin
            rb_row <= rb_in ? rows_rb[widx] : {RW{1'b0}};
        end
    end

    always @* begin
        resp_kind          = lk_row[1:0];
        resp_port          = lk_row[9:2];
        resp_dmac          = lk_row[57:10];
        resp_smac          = lk_row[105:58];
        resp_mtu           = lk_row[121:106];
        tbl_adj_rd_kind    = rb_row[1:0];
        tbl_adj_rd_port    = rb_row[9:2];
        tbl_adj_rd_dmac_lo = rb_row[41:10];
        tbl_adj_rd_dmac_hi = rb_row[57:42];
        tbl_adj_rd_smac_lo = rb_row[89:58];
        tbl_adj_rd_smac_hi = rb_row[105:90];
        tbl_adj_rd_mtu     = rb_row[121:106];
    end

endmodule

`default_nettype wire
