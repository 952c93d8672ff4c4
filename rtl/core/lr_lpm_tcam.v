// lr_lpm_tcam: IPv4 LPM as a RAM-bitmap TCAM; lowest matching valid index wins (3-clock latency).
`default_nettype none

// For each key byte k (0 = bits 31:24) a 256-row bitmap bm_k: row v has bit i set when entry i is
// valid and ((v ^ value_k) & mask_k) == 0 (the valid bit is folded into the rows). A lookup ANDs
// the four rows selected by the key bytes, which leaves exactly the valid entries with
// (key ^ value) & mask == 0, and takes the lowest set bit word by word: the first non-zero 32-bit
// word, then the bit in it. Rows are stored as NW 32-bit words (word w of row v at v*NW + w), so
// a lookup never builds a full-width vector and an entry write touches one word per row.
//   clock 1: register the key (the bitmaps' read address)
//   clock 2: read and AND the rows word by word, first hit -> hit/index
//   clock 3: read the entry's adjacency index (registered) -> resp_valid
// All of it happens only for a valid request.
//
// Table writes: one command writes a whole entry in one clock. In this simulation build the write
// updates the entry's bit in all 4 x 256 rows at once: one process per row value, so each process
// has a single write port per bitmap (keeps yosys fast). The writes are blocking: that form of an
// array written from many processes stays cheap in Verilator (waiver in rtl/lint/verilator.vlt);
// only combinational logic after the edge reads the bitmaps. The FPGA variant will instead sweep
// the 256 rows over 256 clocks (one row per block-RAM write port) with the entry masked off
// meanwhile, so traffic never matches a half-written entry. A lookup whose key was registered at
// or after the write's clock sees the new entry; the adjacency copy read in clock 3 is written one
// clock late to stay consistent with that.
module lr_lpm_tcam #(
    parameter ENTRIES = 1024    // LPM entries, 1..65536
) (
    input  wire        clk,
    input  wire        rst,

    // lookup
    input  wire        req_valid,
    input  wire [31:0] req_key,       // IPv4 destination, bit 31 = first byte on the wire
    output wire        resp_valid,    // 3 clocks after req_valid
    output wire        resp_hit,
    output wire [15:0] resp_index,    // matching entry (0 on miss)
    output wire [15:0] resp_adj,      // its adjacency index (0 on miss)

    // CSR access
    input  wire        tbl_lpm_we,
    input  wire        tbl_lpm_re,
    input  wire [15:0] tbl_lpm_index,
    input  wire        tbl_lpm_wr_valid,
    input  wire [31:0] tbl_lpm_wr_value,
    input  wire [31:0] tbl_lpm_wr_mask,
    input  wire [15:0] tbl_lpm_wr_adj,
    output reg         tbl_lpm_rd_valid,
    output reg  [31:0] tbl_lpm_rd_value,
    output reg  [31:0] tbl_lpm_rd_mask,
    output reg  [15:0] tbl_lpm_rd_adj
);

    localparam NW = (ENTRIES + 31) / 32;          // 32-bit words per bitmap row
    localparam IW = (ENTRIES > 1) ? $clog2(ENTRIES) : 1;
    localparam WW = (NW > 1) ? $clog2(NW) : 1;    // word index width
    localparam AW = $clog2(256 * NW);             // bitmap word address width

    generate
        if (ENTRIES < 1 || ENTRIES > 65536) begin : g_bad_entries
            $error("lr_lpm_tcam: ENTRIES must be 1..65536");
        end
    endgenerate

    // ---------------------------------------------------------------- storage
    reg [31:0] bm0 [0:256*NW-1];   // key bits 31:24
    reg [31:0] bm1 [0:256*NW-1];   // key bits 23:16
    reg [31:0] bm2 [0:256*NW-1];   // key bits 15:8
    reg [31:0] bm3 [0:256*NW-1];   // key bits 7:0
    reg        ent_valid [0:ENTRIES-1];
    reg [31:0] ent_value [0:ENTRIES-1];
    reg [31:0] ent_mask  [0:ENTRIES-1];
    reg [15:0] ent_adj   [0:ENTRIES-1];   // readback copy
    reg [15:0] look_adj  [0:ENTRIES-1];   // lookup copy, written one clock late

    wire          wr_en  = tbl_lpm_we && ({16'd0, tbl_lpm_index} < ENTRIES);
    wire          rd_in  = {16'd0, tbl_lpm_index} < ENTRIES;
    wire [IW-1:0] widx   = tbl_lpm_index[IW-1:0];
    wire [WW-1:0] wword  = tbl_lpm_index[5 +: WW];   // word of the entry in a row
    wire [4:0]    wbit   = tbl_lpm_index[4:0];                       // bit in that word

    // ---------------------------------------------------------------- entry write (one clock)
    // one process per row: each holds a single write port (no write-port priority to resolve)
    genvar gv;
    generate
        for (gv = 0; gv < 256; gv = gv + 1) begin : g_row
            localparam integer  GV  = gv;
            localparam integer  RB  = gv * NW;
            localparam [7:0]    V   = GV[7:0];        // this row's key byte value
            localparam [AW-1:0] ROW = RB[AW-1:0];     // address of the row's first word
            wire       [AW-1:0] wa  = ROW + {{(AW-WW){1'b0}}, wword};
            always @(posedge clk) begin
                if (wr_en) begin
                    bm0[wa][wbit] = tbl_lpm_wr_valid && (((V ^ tbl_lpm_wr_value[31:24]) & tbl_lpm_wr_mask[31:24]) == 8'd0);
                    bm1[wa][wbit] = tbl_lpm_wr_valid && (((V ^ tbl_lpm_wr_value[23:16]) & tbl_lpm_wr_mask[23:16]) == 8'd0);
                    bm2[wa][wbit] = tbl_lpm_wr_valid && (((V ^ tbl_lpm_wr_value[15:8])  & tbl_lpm_wr_mask[15:8])  == 8'd0);
                    bm3[wa][wbit] = tbl_lpm_wr_valid && (((V ^ tbl_lpm_wr_value[7:0])   & tbl_lpm_wr_mask[7:0])   == 8'd0);
                end
            end
        end
    endgenerate

    // readback copies
    always @(posedge clk) begin
        if (wr_en) begin
            ent_valid[widx] <= tbl_lpm_wr_valid;
            ent_value[widx] <= tbl_lpm_wr_value;
            ent_mask[widx]  <= tbl_lpm_wr_mask;
            ent_adj[widx]   <= tbl_lpm_wr_adj;
        end
        if (tbl_lpm_re) begin
            tbl_lpm_rd_valid <= rd_in ? ent_valid[widx] : 1'b0;
            tbl_lpm_rd_value <= rd_in ? ent_value[widx] : 32'd0;
            tbl_lpm_rd_mask  <= rd_in ? ent_mask[widx]  : 32'd0;
            tbl_lpm_rd_adj   <= rd_in ? ent_adj[widx]   : 16'd0;
        end
    end

    // ---------------------------------------------------------------- clock 1: key
    reg        v1_q;
    reg [31:0] key_q;

    always @(posedge clk) begin
        if (req_valid) begin
            key_q <= req_key;
        end
    end

    // ---------------------------------------------------------------- clock 2: AND, first hit
    reg [31:0]   word, low;
    reg [WW-1:0] wsel;
    reg [WW+5:0] wb;      // {0, word index, bit index}; IW <= WW+5 always
    reg          found;
    reg          hit_d;
    reg [IW-1:0] idx_d;
    reg [AW-1:0] a0, a1, a2, a3;
    reg          hit_q;
    reg [IW-1:0] idx_q;
    reg          v2_q;

    integer w;
    always @* begin
        word  = 32'd0;
        low   = 32'd0;
        wsel  = {WW{1'b0}};
        wb    = {(WW+6){1'b0}};
        found = 1'b0;
        hit_d = 1'b0;
        idx_d = {IW{1'b0}};
        a0    = {AW{1'b0}};
        a1    = {AW{1'b0}};
        a2    = {AW{1'b0}};
        a3    = {AW{1'b0}};
        if (v1_q) begin
            a0 = {{(AW-8){1'b0}}, key_q[31:24]} * NW[AW-1:0];
            a1 = {{(AW-8){1'b0}}, key_q[23:16]} * NW[AW-1:0];
            a2 = {{(AW-8){1'b0}}, key_q[15:8]}  * NW[AW-1:0];
            a3 = {{(AW-8){1'b0}}, key_q[7:0]}   * NW[AW-1:0];
            for (w = 0; w < NW; w = w + 1) begin
                if (!found && (bm0[a0] & bm1[a1] & bm2[a2] & bm3[a3]) != 32'd0) begin
                    found = 1'b1;
                    wsel  = w[WW-1:0];
                    word  = bm0[a0] & bm1[a1] & bm2[a2] & bm3[a3];
                end
                a0 = a0 + 1'b1;
                a1 = a1 + 1'b1;
                a2 = a2 + 1'b1;
                a3 = a3 + 1'b1;
            end
            low   = word & (~word + 32'd1);   // lowest set bit
            hit_d = found;
            wb    = {1'b0, wsel, |(low & 32'hFFFF0000), |(low & 32'hFF00FF00),
                     |(low & 32'hF0F0F0F0), |(low & 32'hCCCCCCCC), |(low & 32'hAAAAAAAA)};
            idx_d = wb[IW-1:0];   // pad bits never hit, so no bit above IW is set
        end
    end

    wire unused_wb = ^wb[WW+5:IW];

    always @(posedge clk) begin
        if (v1_q) begin
            hit_q <= hit_d;
            idx_q <= idx_d;
        end
    end

    // ---------------------------------------------------------------- clock 3: adjacency index
    reg [15:0]   adj_q;
    reg          hit2_q;
    reg [IW-1:0] idx2_q;
    reg          v3_q;

    // delayed write of the lookup copy (see header)
    reg          adj_we_q;
    reg [IW-1:0] adj_widx_q;
    reg [15:0]   adj_wdata_q;

    always @(posedge clk) begin
        if (v2_q) begin
            adj_q  <= hit_q ? look_adj[idx_q] : 16'd0;
            hit2_q <= hit_q;
            idx2_q <= hit_q ? idx_q : {IW{1'b0}};
        end
        if (adj_we_q) begin
            look_adj[adj_widx_q] <= adj_wdata_q;
        end
        adj_widx_q  <= widx;
        adj_wdata_q <= tbl_lpm_wr_adj;
    end

    // ---------------------------------------------------------------- control
    always @(posedge clk) begin
        if (rst) begin
            v1_q     <= 1'b0;
            v2_q     <= 1'b0;
            v3_q     <= 1'b0;
            adj_we_q <= 1'b0;
        end else begin
            v1_q     <= req_valid;
            v2_q     <= v1_q;
            v3_q     <= v2_q;
            adj_we_q <= wr_en;
        end
    end

    reg [15:0] index16;
    always @* begin
        index16         = 16'd0;
        index16[IW-1:0] = idx2_q;
    end

    assign resp_valid = v3_q;
    assign resp_hit   = hit2_q;
    assign resp_index = index16;
    assign resp_adj   = adj_q;

endmodule

`default_nettype wire
