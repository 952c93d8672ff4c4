// lr_lpm_tcam_bram: lr_lpm_tcam for FPGA block RAM (the boards); same lookup, writes take 260+ clocks.
`default_nettype none

// The lookup contract of lr_lpm_tcam (lowest matching valid index wins, 3-clock latency, the same
// table registers), built only from memories with one write port and one registered read port,
// so every table maps onto block RAM (iCE40 SB_RAM40_4K, ECP5 DP16KD):
//   bm0..bm3  256 rows x ENTRIES bits: row v of bm_k has bit i set when
//             ((v ^ value_k) & mask_k) == 0 for entry i (key byte k, 0 = bits 31:24)
//   live      ENTRIES flip-flops: entry i takes part in lookups (valid and fully written)
//   ent       ENTRIES x {valid, value, mask, adj}: the read-back copy
//   look_adj  ENTRIES x adj: the lookup copy
// A lookup reads one row of each bitmap (the key bytes are the read addresses), ANDs them with
// `live` and takes the lowest set bit (clock 2), then reads the entry's adjacency index (clock 3).
//
// A write (CMD=1) first reads the old entry (1 clock) and then:
//   - valid = 0: clears live[i]; nothing else to do (2 clocks in all);
//   - same valid key (value and mask unchanged, e.g. a new adjacency): updates adj in place;
//     traffic switches from the old adjacency to the new one between two lookups;
//   - otherwise clears live[i], rewrites bit i of all 256 rows of the 4 bitmaps, then sets
//     live[i]. Each row is read through the lookup port in a clock without a lookup and written
//     back the next clock (read-modify-write: no bit-level write enables needed, so any simple
//     dual-port RAM serves), one row per clock: 260 clocks without traffic. A write-back never
//     shares a clock with a lookup: one that would is skipped and its row read again, so no
//     bitmap is ever read and written in the same clock. (Block RAMs leave such a collision
//     undefined; yosys emulated "read the old data" with 512 flip-flops and their multiplexers,
//     which no_rw_check now tells it not to do.) Meanwhile entry i
//     matches nothing, so traffic never sees a half-written entry; a packet looked up during
//     those clocks matches the next entry in priority order, as when the entry is absent.
// `busy` is high from the write command to the end of the write: the register bus waits
// (lr_link_exec csr_wait) before its next access, so commands never overlap. Read-back (CMD=2)
// answers one clock after the command, as lr_lpm_tcam does.
module lr_lpm_tcam_bram #(
    parameter ENTRIES = 64      // LPM entries, 1..4096
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
    output wire        tbl_lpm_rd_valid,
    output wire [31:0] tbl_lpm_rd_value,
    output wire [31:0] tbl_lpm_rd_mask,
    output wire [15:0] tbl_lpm_rd_adj,
    output wire        busy           // a write is in progress (the bus must wait)
);

    localparam E  = ENTRIES;
    localparam IW = (E > 1) ? $clog2(E) : 1;
    localparam XW = IW + 1;                     // index width of the priority encoder

    generate
        if (ENTRIES < 1 || ENTRIES > 4096) begin : g_bad_entries
            $error("lr_lpm_tcam_bram: ENTRIES must be 1..4096");
        end
    endgenerate

    // ---------------------------------------------------------------- storage
    (* no_rw_check *) reg [E-1:0] bm0 [0:255];   // never read and written in one clock (above)
    (* no_rw_check *) reg [E-1:0] bm1 [0:255];
    (* no_rw_check *) reg [E-1:0] bm2 [0:255];
    (* no_rw_check *) reg [E-1:0] bm3 [0:255];
    reg [80:0]   ent [0:E-1];        // {valid, value, mask, adj}
    reg [15:0]   look_adj [0:E-1];
    reg [E-1:0]  live_q;

    // ---------------------------------------------------------------- write sequencer
    localparam [1:0] W_IDLE = 2'd0, W_CMP = 2'd1, W_SWEEP = 2'd2, W_DONE = 2'd3;

    reg  [1:0]    st_q;
    reg           n_valid_q;
    reg  [31:0]   n_value_q, n_mask_q;
    reg  [15:0]   n_adj_q;
    reg  [IW-1:0] n_idx_q;
    reg  [8:0]    rrow_q;        // next row to read (256: all read)
    reg           rmw_q;         // a row was read last clock: write it back now
    reg  [7:0]    wrow_q;        // that row
    wire          wb_ok;         // write it back now (no lookup reads this clock)

    wire          in_range = {16'd0, tbl_lpm_index} < E;
    wire          cmd_wr   = (st_q == W_IDLE) && tbl_lpm_we && in_range;
    wire [IW-1:0] widx     = tbl_lpm_index[IW-1:0];

    // the old entry, read at the command (shared with read-back: CMD=1 and CMD=2 never coincide)
    reg  [80:0]   ent_rd_q;
    reg           rd_in_q;
    always @(posedge clk) begin
        if (cmd_wr || tbl_lpm_re) begin
            ent_rd_q <= ent[widx];
        end
        if (tbl_lpm_re) begin
            rd_in_q <= in_range;
        end
    end

    wire old_valid = ent_rd_q[80];
    wire same_key  = old_valid && live_q[n_idx_q] && n_valid_q
                     && ent_rd_q[79:48] == n_value_q && ent_rd_q[47:16] == n_mask_q;

    assign tbl_lpm_rd_valid = rd_in_q && ent_rd_q[80];
    assign tbl_lpm_rd_value = rd_in_q ? ent_rd_q[79:48] : 32'd0;
    assign tbl_lpm_rd_mask  = rd_in_q ? ent_rd_q[47:16] : 32'd0;
    assign tbl_lpm_rd_adj   = rd_in_q ? ent_rd_q[15:0]  : 16'd0;

    // The read-back copy is written when the old entry has been read. The lookup copy of adj is
    // written then only for a new adjacency under the same key; a new key's adj is written when
    // the entry goes live (W_DONE), and a deleted entry's not at all. (Written at once, a lookup
    // that had matched the old key just before live[i] fell would take the new key's adjacency.)
    wire ent_we = (st_q == W_CMP);
    wire adj_we = (ent_we && same_key) || (st_q == W_DONE);
    always @(posedge clk) begin
        if (ent_we) begin
            ent[n_idx_q] <= {n_valid_q, n_value_q, n_mask_q, n_adj_q};
        end
        if (adj_we) begin
            look_adj[n_idx_q] <= n_adj_q;
        end
    end

    always @(posedge clk) begin
        if (cmd_wr) begin
            n_valid_q <= tbl_lpm_wr_valid;
            n_value_q <= tbl_lpm_wr_value;
            n_mask_q  <= tbl_lpm_wr_mask;
            n_adj_q   <= tbl_lpm_wr_adj;
            n_idx_q   <= widx;
        end
    end

    // The sweep reads each row through the lookup's read port in a clock without a lookup, and
    // writes it back the next clock with bit n_idx_q replaced: one row per clock while traffic
    // leaves the port free (lookups come at most once per frame and port). When a lookup reads
    // in the write-back's clock, the write is skipped and the row read again.
    wire sweep_rd = (st_q == W_SWEEP) && !rrow_q[8] && !req_valid;
    assign wb_ok  = rmw_q && !req_valid;
    wire wb_skip  = rmw_q && req_valid;
    wire last_wr  = wb_ok && wrow_q == 8'd255;

    always @(posedge clk) begin
        if (rst) begin
            st_q  <= W_IDLE;
            rmw_q <= 1'b0;
        end else begin
            rmw_q <= sweep_rd;
            case (st_q)
                W_IDLE: begin
                    if (cmd_wr) begin
                        st_q <= W_CMP;
                    end
                end
                W_CMP: begin
                    st_q <= (n_valid_q && !same_key) ? W_SWEEP : W_IDLE;
                end
                W_SWEEP: begin
                    if (last_wr) begin
                        st_q <= W_DONE;
                    end
                end
                default: begin           // W_DONE: the last row is written
                    st_q <= W_IDLE;
                end
            endcase
        end
    end

    always @(posedge clk) begin
        if (st_q == W_CMP) begin
            rrow_q <= 9'd0;
        end else if (wb_skip) begin
            rrow_q <= {1'b0, wrow_q};       // read the skipped row again
        end else if (sweep_rd) begin
            rrow_q <= rrow_q + 9'd1;
        end
        wrow_q <= rrow_q[7:0];
    end

    // live entries survive a reset, as the tables do (they start all clear: block RAM and
    // flip-flops power up zero on the FPGA, and Verilator starts them at zero). A reset during a
    // sweep leaves that entry out of lookups; its next write sweeps again (same_key needs live).
    always @(posedge clk) begin
        if (st_q == W_CMP && (!n_valid_q || !same_key)) begin
            live_q[n_idx_q] <= 1'b0;
        end
        if (st_q == W_DONE && !rst) begin
            live_q[n_idx_q] <= 1'b1;
        end
    end

    assign busy = (st_q != W_IDLE) || tbl_lpm_we;

    // ---------------------------------------------------------------- clock 1: bitmap rows
    reg [E-1:0] r0_q, r1_q, r2_q, r3_q;
    reg         v1_q;

    // the row being written back: bit n_idx_q says whether entry n_idx_q matches key byte wrow_q
    wire m0 = ((wrow_q ^ n_value_q[31:24]) & n_mask_q[31:24]) == 8'd0;
    wire m1 = ((wrow_q ^ n_value_q[23:16]) & n_mask_q[23:16]) == 8'd0;
    wire m2 = ((wrow_q ^ n_value_q[15:8])  & n_mask_q[15:8])  == 8'd0;
    wire m3 = ((wrow_q ^ n_value_q[7:0])   & n_mask_q[7:0])   == 8'd0;

    wire [E-1:0] sel = {{(E-1){1'b0}}, 1'b1} << n_idx_q;   // one-hot n_idx_q

    wire [7:0] ra0 = req_valid ? req_key[31:24] : rrow_q[7:0];
    wire [7:0] ra1 = req_valid ? req_key[23:16] : rrow_q[7:0];
    wire [7:0] ra2 = req_valid ? req_key[15:8]  : rrow_q[7:0];
    wire [7:0] ra3 = req_valid ? req_key[7:0]   : rrow_q[7:0];
    wire       re  = req_valid || sweep_rd;

    always @(posedge clk) begin
        if (wb_ok) begin
            bm0[wrow_q] <= (r0_q & ~sel) | (sel & {E{m0}});
            bm1[wrow_q] <= (r1_q & ~sel) | (sel & {E{m1}});
            bm2[wrow_q] <= (r2_q & ~sel) | (sel & {E{m2}});
            bm3[wrow_q] <= (r3_q & ~sel) | (sel & {E{m3}});
        end
        if (re) begin
            r0_q <= bm0[ra0];
            r1_q <= bm1[ra1];
            r2_q <= bm2[ra2];
            r3_q <= bm3[ra3];
        end
    end

    // ---------------------------------------------------------------- clock 2: AND, lowest hit
    // Word by word (32 entries each), all words side by side: whether it has a hit and its lowest
    // hit; then the first word with a hit picks its index. (A scan that found the first word before
    // looking inside it was the Colorlight build's critical path.) All of it is guarded by v1_q,
    // so a simulator evaluates it only for a lookup.
    localparam NW = (E + 31) / 32;                // 32-bit words of the hit vector
    localparam WW = (NW > 1) ? $clog2(NW) : 1;

    reg [32*NW-1:0] hits;
    reg [31:0]      word, low;
    reg [NW-1:0]    nz;                           // word w has a hit
    reg [5*NW-1:0]  bidx;                         // the lowest hit's bit in word w
    reg [WW-1:0]    wsel;
    reg             found;
    reg [WW+5:0]    wb;                           // {0, word index, bit index}
    reg [XW-1:0]    idx_d;
    integer         w;
    always @* begin
        hits  = {(32*NW){1'b0}};
        word  = 32'd0;
        low   = 32'd0;
        nz    = {NW{1'b0}};
        bidx  = {(5*NW){1'b0}};
        wsel  = {WW{1'b0}};
        found = 1'b0;
        wb    = {(WW+6){1'b0}};
        if (v1_q) begin
            hits[E-1:0] = r0_q & r1_q & r2_q & r3_q & live_q;
            for (w = 0; w < NW; w = w + 1) begin
                word  = hits[32*w +: 32];
                low   = word & (~word + 32'd1);    // lowest set bit alone
                nz[w] = (word != 32'd0);
                bidx[5*w +: 5] = {|(low & 32'hFFFF0000), |(low & 32'hFF00FF00), |(low & 32'hF0F0F0F0),
                                  |(low & 32'hCCCCCCCC), |(low & 32'hAAAAAAAA)};
            end
            for (w = NW - 1; w >= 0; w = w - 1) begin   // the lowest word with a hit is set last
                if (nz[w]) begin
                    found = 1'b1;
                    wsel  = w[WW-1:0];
                    wb    = {1'b0, wsel, bidx[5*w +: 5]};
                end
            end
        end
        idx_d = {XW{1'b0}};
        idx_d[IW-1:0] = wb[IW-1:0];               // pad bits never hit: no bit above IW is set
    end

    wire unused_wb = ^{wb, idx_d[XW-1]};

    reg          hit_q;
    reg [IW-1:0] idx_q;
    reg          v2_q;
    always @(posedge clk) begin
        if (v1_q) begin
            hit_q <= found;
            idx_q <= idx_d[IW-1:0];
        end
    end

    // ---------------------------------------------------------------- clock 3: adjacency index
    reg [15:0]   adj_rd_q;
    reg          hit2_q;
    reg [IW-1:0] idx2_q;
    reg          v3_q;
    always @(posedge clk) begin
        if (v2_q) begin
            adj_rd_q <= look_adj[idx_q];
            hit2_q   <= hit_q;
            idx2_q   <= hit_q ? idx_q : {IW{1'b0}};
        end
    end

    // ---------------------------------------------------------------- control
    always @(posedge clk) begin
        if (rst) begin
            v1_q <= 1'b0;
            v2_q <= 1'b0;
            v3_q <= 1'b0;
        end else begin
            v1_q <= req_valid;
            v2_q <= v1_q;
            v3_q <= v2_q;
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
    assign resp_adj   = hit2_q ? adj_rd_q : 16'd0;

endmodule

`default_nettype wire
