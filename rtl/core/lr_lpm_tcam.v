// lr_lpm_tcam: IPv4 LPM as a RAM-bitmap TCAM; lowest matching valid index wins (3-clock latency).
`default_nettype none

// For each key byte k (0 = bits 31:24) a 256-row bitmap bm_k: row v has bit i set when entry i is
// valid and ((v ^ value_k) & mask_k) == 0. A lookup ANDs the four rows selected by the key bytes,
// which leaves exactly the entries with (key ^ value) & mask == 0, then finds the lowest set bit
// word by word (first non-zero 32-bit word, then the bit in it).
//   clock 1: read the four rows (registered, block RAM style)
//   clock 2: AND, first hit -> resp hit/index
//   clock 3: read the entry's adjacency index (registered) -> resp_valid
// All wide work happens only for a valid request.
//
// Table writes: one command writes a whole entry in one clock. In this simulation build the write
// updates the entry's bit in all 4 x 256 rows at once (a loop of blocking writes, which the Verilator
// waiver in rtl/lint/verilator.vlt explains). The FPGA variant will instead sweep the 256 rows over
// 256 clocks (one row per block-RAM write port), clearing the entry's bits first so that traffic never
// matches a half-written entry. The adjacency copy used by clock 3 is written 2 clocks late, so a
// lookup whose rows were read before the write also reads the old adjacency index.
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
    localparam EP = 32 * NW;                      // padded row width (pad bits stay 0)
    localparam IW = (ENTRIES > 1) ? $clog2(ENTRIES) : 1;
    localparam WW = (NW > 1) ? $clog2(NW) : 1;
    localparam BIW = $clog2(EP);                  // bit index in a row

    generate
        if (ENTRIES < 1 || ENTRIES > 65536) begin : g_bad_entries
            $error("lr_lpm_tcam: ENTRIES must be 1..65536");
        end
    endgenerate

    // ---------------------------------------------------------------- storage
    reg [EP-1:0] bm0 [0:255];   // key bits 31:24
    reg [EP-1:0] bm1 [0:255];   // key bits 23:16
    reg [EP-1:0] bm2 [0:255];   // key bits 15:8
    reg [EP-1:0] bm3 [0:255];   // key bits 7:0
    reg          ent_valid [0:ENTRIES-1];
    reg [31:0]   ent_value [0:ENTRIES-1];
    reg [31:0]   ent_mask  [0:ENTRIES-1];
    reg [15:0]   ent_adj   [0:ENTRIES-1];   // readback copy
    reg [15:0]   look_adj  [0:ENTRIES-1];   // lookup copy, written 2 clocks late

    wire          wr_en  = tbl_lpm_we && ({16'd0, tbl_lpm_index} < ENTRIES);
    wire          rd_in  = {16'd0, tbl_lpm_index} < ENTRIES;
    wire [IW-1:0] widx   = tbl_lpm_index[IW-1:0];
    wire [BIW-1:0] wbit  = tbl_lpm_index[BIW-1:0];   // bit of the entry in a bitmap row

    // ---------------------------------------------------------------- clock 1: row read; entry write
    reg [EP-1:0] row0_q, row1_q, row2_q, row3_q;
    reg          v1_q;

    integer v;
    always @(posedge clk) begin
        // read first: a lookup in the write's clock sees the old entry
        if (req_valid) begin
            row0_q <= bm0[req_key[31:24]];
            row1_q <= bm1[req_key[23:16]];
            row2_q <= bm2[req_key[15:8]];
            row3_q <= bm3[req_key[7:0]];
        end
        if (wr_en) begin
            for (v = 0; v < 256; v = v + 1) begin
                bm0[v][wbit] = tbl_lpm_wr_valid && (((v[7:0] ^ tbl_lpm_wr_value[31:24]) & tbl_lpm_wr_mask[31:24]) == 8'd0);
                bm1[v][wbit] = tbl_lpm_wr_valid && (((v[7:0] ^ tbl_lpm_wr_value[23:16]) & tbl_lpm_wr_mask[23:16]) == 8'd0);
                bm2[v][wbit] = tbl_lpm_wr_valid && (((v[7:0] ^ tbl_lpm_wr_value[15:8])  & tbl_lpm_wr_mask[15:8])  == 8'd0);
                bm3[v][wbit] = tbl_lpm_wr_valid && (((v[7:0] ^ tbl_lpm_wr_value[7:0])   & tbl_lpm_wr_mask[7:0])   == 8'd0);
            end
        end
    end

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

    // ---------------------------------------------------------------- clock 2: AND, first hit
    reg [EP-1:0] hits;
    reg [31:0]   word, low;
    reg [WW-1:0] wsel;
    reg [WW+5:0] wb;      // {0, word index, bit index}; IW <= WW+5 always
    reg          found;
    reg          hit_d;
    reg [IW-1:0] idx_d;
    reg          hit_q;
    reg [IW-1:0] idx_q;
    reg          v2_q;

    integer w;
    always @* begin
        hits  = {EP{1'b0}};
        word  = 32'd0;
        low   = 32'd0;
        wsel  = {WW{1'b0}};
        wb    = {(WW+6){1'b0}};
        found = 1'b0;
        hit_d = 1'b0;
        idx_d = {IW{1'b0}};
        if (v1_q) begin
            hits = row0_q & row1_q & row2_q & row3_q;
            for (w = 0; w < NW; w = w + 1) begin
                if (!found && hits[32*w +: 32] != 32'd0) begin
                    found = 1'b1;
                    wsel  = w[WW-1:0];
                    word  = hits[32*w +: 32];
                end
            end
            low   = word & (~word + 32'd1);   // lowest set bit
            hit_d = found;
            wb    = {1'b0, wsel, |(low & 32'hFFFF0000), |(low & 32'hFF00FF00),
                     |(low & 32'hF0F0F0F0), |(low & 32'hCCCCCCCC), |(low & 32'hAAAAAAAA)};
            idx_d = wb[IW-1:0];   // pad words never hit, so no bit above IW is set
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
    reg          adj_we_q, adj_we_q2;
    reg [IW-1:0] adj_widx_q, adj_widx_q2;
    reg [15:0]   adj_wdata_q, adj_wdata_q2;

    always @(posedge clk) begin
        if (v2_q) begin
            adj_q  <= hit_q ? look_adj[idx_q] : 16'd0;
            hit2_q <= hit_q;
            idx2_q <= hit_q ? idx_q : {IW{1'b0}};
        end
        if (adj_we_q2) begin
            look_adj[adj_widx_q2] <= adj_wdata_q2;
        end
        adj_widx_q   <= widx;
        adj_wdata_q  <= tbl_lpm_wr_adj;
        adj_widx_q2  <= adj_widx_q;
        adj_wdata_q2 <= adj_wdata_q;
    end

    // ---------------------------------------------------------------- control
    always @(posedge clk) begin
        if (rst) begin
            v1_q      <= 1'b0;
            v2_q      <= 1'b0;
            v3_q      <= 1'b0;
            adj_we_q  <= 1'b0;
            adj_we_q2 <= 1'b0;
        end else begin
            v1_q      <= req_valid;
            v2_q      <= v1_q;
            v3_q      <= v2_q;
            adj_we_q  <= wr_en;
            adj_we_q2 <= adj_we_q;
        end
    end

    assign resp_valid = v3_q;
    assign resp_hit   = hit2_q;
    reg [15:0] index16;
    always @* begin
        index16         = 16'd0;
        index16[IW-1:0] = idx2_q;
    end
    assign resp_index = index16;
    assign resp_adj   = adj_q;

endmodule

`default_nettype wire
