// lr_serial_tables: every lookup table of lr_core_serial in one 16-bit block RAM, read a word at a time.
`default_nettype none

// Layout (16-bit words; each table a region of a power of two of entries, aligned to its size:
// at the boards' sizes lpm 0-255, adj 256-383, port 384-391, raddr 392-399, two block RAMs):
//   table 0 lpm   8 words per entry: valid, value_hi, mask_hi, value_lo, mask_lo, adj
//   table 1 adj   8 words per row:   {port, 6'b0, kind}, dmac (3 words), smac (3), mtu
//   table 2 port  4 words per port:  mac (3 words), mtu
//   table 3 raddr 2 words per entry: addr_hi, addr_lo (the valid bits are flip-flops, cleared by
//                                    reset as the contract asks)
// The data path reads through the lookup port (table, index, word -> rdata one clock later) while
// it owns the RAM (lk_own: from a frame's lookup to the end of its rewrite). A table write (CMD=1)
// is copied from lr_csr's staging registers word by word when the data path does not own the RAM,
// so a frame never sees half an entry (it waits for the copy to end before its lookup starts).
//
// Read-back (CMD=2): lr_csr takes tbl_*_rd_* one clock after tbl_*_re, too soon to read an entry
// of up to 8 words. So a copy of the entry is kept ready (registers loaded straight from the RAM
// output): whenever a table's INDEX register is written, or the table is written, that table's
// entry at its INDEX is fetched into the copy, and `busy` (the core's csr_wait) holds the register
// bus meanwhile. The host always writes INDEX before CMD=2, so the copy is that entry when CMD=2
// comes. An index beyond the table reads back zeros, as in lr_core.
module lr_serial_tables #(
    parameter N_PORTS       = 2,     // port table entries
    parameter LPM_ENTRIES   = 32,    // LPM entries
    parameter ADJ_ENTRIES   = 16,    // adjacency rows
    parameter RADDR_ENTRIES = 4      // router addresses
) (
    input  wire        clk,
    input  wire        rst,

    // lookup port (the data path)
    input  wire        lk_req,        // the data path wants the RAM: no copy starts
    output wire        lk_gnt,        // no copy runs: the data path may take the RAM next clock
    input  wire        lk_own,        // the data path owns the RAM (its lookup port drives it)
    input  wire [1:0]  lk_table,      // 0 lpm, 1 adj, 2 port, 3 raddr
    input  wire [15:0] lk_index,      // must be inside the table
    input  wire [2:0]  lk_word,
    output wire [15:0] lk_rdata,      // the word addressed in the previous clock
    output wire [RADDR_ENTRIES-1:0] raddr_valid,
    output wire        busy,          // csr_wait: a write or a read-back fetch is pending

    // the register bus (only INDEX writes are watched)
    input  wire [15:0] csr_addr,
    input  wire        csr_we,

    // lr_csr table ports
    input  wire        tbl_port_we,
    input  wire        tbl_port_re,
    input  wire [15:0] tbl_port_index,
    input  wire [15:0] tbl_port_wr_mac_hi,
    input  wire [31:0] tbl_port_wr_mac_lo,
    input  wire [15:0] tbl_port_wr_mtu,
    output wire [15:0] tbl_port_rd_mac_hi,
    output wire [31:0] tbl_port_rd_mac_lo,
    output wire [15:0] tbl_port_rd_mtu,
    input  wire        tbl_raddr_we,
    input  wire        tbl_raddr_re,
    input  wire [15:0] tbl_raddr_index,
    input  wire        tbl_raddr_wr_valid,
    input  wire [31:0] tbl_raddr_wr_addr,
    output wire        tbl_raddr_rd_valid,
    output wire [31:0] tbl_raddr_rd_addr,
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
    output wire [1:0]  tbl_adj_rd_kind,
    output wire [7:0]  tbl_adj_rd_port,
    output wire [15:0] tbl_adj_rd_dmac_hi,
    output wire [31:0] tbl_adj_rd_dmac_lo,
    output wire [15:0] tbl_adj_rd_smac_hi,
    output wire [31:0] tbl_adj_rd_smac_lo,
    output wire [15:0] tbl_adj_rd_mtu
);

    // Each table's region is a power of two of words at a base aligned to its size, so an address
    // is base | index | word (no adder): index widths, region sizes, bases.
    localparam LIW        = (LPM_ENTRIES > 1)   ? $clog2(LPM_ENTRIES)   : 1;
    localparam AIW        = (ADJ_ENTRIES > 1)   ? $clog2(ADJ_ENTRIES)   : 1;
    localparam PIW        = (N_PORTS > 1)       ? $clog2(N_PORTS)       : 1;
    localparam RIW        = (RADDR_ENTRIES > 1) ? $clog2(RADDR_ENTRIES) : 1;
    localparam LPM_SZ     = 8 << LIW;
    localparam ADJ_SZ     = 8 << AIW;
    localparam PORT_SZ    = 4 << PIW;
    localparam RADDR_SZ   = 2 << RIW;
    localparam BASE_ADJ   = ((LPM_SZ + ADJ_SZ - 1) / ADJ_SZ) * ADJ_SZ;
    localparam BASE_PORT  = ((BASE_ADJ + ADJ_SZ + PORT_SZ - 1) / PORT_SZ) * PORT_SZ;
    localparam BASE_RADDR = ((BASE_PORT + PORT_SZ + RADDR_SZ - 1) / RADDR_SZ) * RADDR_SZ;
    localparam WORDS      = BASE_RADDR + RADDR_SZ;
    localparam AW         = $clog2(WORDS);
    localparam RW         = RIW;

    localparam [1:0] T_LPM = 2'd0, T_ADJ = 2'd1, T_PORT = 2'd2;   // 3: raddr (the default branches)

    generate
        if (LPM_ENTRIES < 1 || ADJ_ENTRIES < 1 || RADDR_ENTRIES < 1 || N_PORTS < 1
            || WORDS > 65536) begin : g_bad_size
            $error("lr_serial_tables: table sizes out of range");
        end
    endgenerate

    // ---------------------------------------------------------------- which entries to copy
    // per table: a write is pending (from CMD=1 until copied); its entry is to be fetched for
    // read-back (its INDEX register was written, or the table was written)
    reg  [3:0]  wr_pend_q;          // bit t: table t has a write to copy
    reg  [3:0]  fetch_q;            // bit t: fetch table t's entry at its INDEX

    wire [3:0] we_pulse = {tbl_raddr_we, tbl_port_we, tbl_adj_we, tbl_lpm_we};
    // INDEX writes, seen on the bus in the clock lr_csr takes them (addresses of
    // rtl/csr/registers.md: table blocks at 0x0100 port, 0x0200 raddr, 0x0300 lpm, 0x0400 adj,
    // INDEX at offset 0; TestTableReadback fails if the map moves)
    wire       idx_blk  = csr_we && (csr_addr[15:11] == 5'd0) && (csr_addr[7:0] == 8'd0);
    wire [3:0] idx_wr   = {idx_blk && csr_addr[10:8] == 3'd2, idx_blk && csr_addr[10:8] == 3'd1,
                           idx_blk && csr_addr[10:8] == 3'd4, idx_blk && csr_addr[10:8] == 3'd3};
    wire [3:0] stale    = fetch_q;
    // an INDEX or CMD write on the bus now: csr_wait rises in this very clock, so a bus master
    // that decides its next access from csr_wait one clock ahead (lr_link_exec) holds it until
    // the fetch or the copy (which reads lr_csr's staging registers) is done
    wire       tbl_cmd  = csr_we && (csr_addr[15:11] == 5'd0) && (csr_addr[10:8] != 3'd0)
                       && (csr_addr[10:8] <= 3'd4) && (csr_addr[7:3] == 5'd0);

    // the copy engine: one job (write or fetch of table t), one word per clock
    localparam [1:0] J_IDLE = 2'd0, J_WRITE = 2'd1, J_FETCH = 2'd2;
    reg  [1:0]  job_q;
    reg  [1:0]  jt_q;               // its table
    reg  [2:0]  jw_q;               // word being written or read
    reg         fv_q;               // fetch: the RAM output holds word fw_q of table jt_q
    reg  [2:0]  fw_q;
    reg         jin_q;              // the job's index lies inside its table

    reg  [15:0] tbl_index;          // INDEX of table jt (or the candidate below)
    reg  [2:0]  last_word;

    always @* begin
        case (jt_q)
            T_LPM:   begin tbl_index = tbl_lpm_index;   last_word = 3'd5; end
            T_ADJ:   begin tbl_index = tbl_adj_index;   last_word = 3'd7; end
            T_PORT:  begin tbl_index = tbl_port_index;  last_word = 3'd3; end
            default: begin tbl_index = tbl_raddr_index; last_word = 3'd1; end
        endcase
    end

    // next job: writes first (lowest table first), then stale shadows
    reg         pick_valid, pick_write;
    reg  [1:0]  pick_t;
    integer t;
    always @* begin
        pick_valid = 1'b0;
        pick_write = 1'b0;
        pick_t     = 2'd0;
        for (t = 3; t >= 0; t = t - 1) begin
            if (stale[t]) begin
                pick_valid = 1'b1;
                pick_t     = t[1:0];
            end
        end
        for (t = 3; t >= 0; t = t - 1) begin
            if (wr_pend_q[t]) begin
                pick_valid = 1'b1;
                pick_write = 1'b1;
                pick_t     = t[1:0];
            end
        end
    end

    wire job_start = (job_q == J_IDLE) && pick_valid && !lk_own && !lk_req;
    wire job_last  = (job_q != J_IDLE) && (jw_q == last_word || (job_q == J_WRITE && !jin_q));

    always @(posedge clk) begin
        if (rst) begin
            job_q     <= J_IDLE;
            wr_pend_q <= 4'd0;
            fetch_q   <= 4'd0;
            fv_q      <= 1'b0;
        end else begin
            fv_q <= (job_q == J_FETCH);
            if (job_start) begin
                job_q <= pick_write ? J_WRITE : J_FETCH;
            end else if (job_last) begin
                job_q <= J_IDLE;
            end
            fetch_q <= (fetch_q & ~((job_q == J_FETCH && job_last) ? (4'd1 << jt_q) : 4'd0))
                     | ((job_q == J_WRITE && job_last) ? (4'd1 << jt_q) : 4'd0)   // fetch the written entry
                     | idx_wr;
            wr_pend_q <= (wr_pend_q & ~((job_q == J_WRITE && job_last) ? (4'd1 << jt_q) : 4'd0)) | we_pulse;
        end
    end

    always @(posedge clk) begin
        if (job_start) begin
            jt_q <= pick_t;
            jw_q <= 3'd0;
        end else if (job_q != J_IDLE) begin
            jw_q <= jw_q + 3'd1;
        end
        fw_q <= jw_q;
    end

    // the job's index is inside its table: registered at the start
    wire [3:0] in_range = {tbl_raddr_index < RADDR_ENTRIES[15:0], tbl_port_index < N_PORTS[15:0],
                           tbl_adj_index < ADJ_ENTRIES[15:0], tbl_lpm_index < LPM_ENTRIES[15:0]};
    always @(posedge clk) begin
        if (job_start) begin
            jin_q <= in_range[pick_t];
        end
    end

    // ---------------------------------------------------------------- the RAM
    // address = base(table) + index * stride(table) + word, shared by the lookup port and the copy
    wire        own_port = lk_own;
    wire [1:0]  a_t      = own_port ? lk_table : jt_q;
    wire [15:0] a_i      = own_port ? lk_index : tbl_index;
    wire [2:0]  a_w      = own_port ? lk_word  : jw_q;
    localparam [AW-1:0] B_ADJ   = BASE_ADJ[AW-1:0];
    localparam [AW-1:0] B_PORT  = BASE_PORT[AW-1:0];
    localparam [AW-1:0] B_RADDR = BASE_RADDR[AW-1:0];
    reg  [AW-1:0] addr;
    always @* begin
        case (a_t)
            T_LPM:   addr =           ({{(AW-LIW){1'b0}}, a_i[LIW-1:0]} << 3) | {{(AW-3){1'b0}}, a_w};
            T_ADJ:   addr = B_ADJ   | ({{(AW-AIW){1'b0}}, a_i[AIW-1:0]} << 3) | {{(AW-3){1'b0}}, a_w};
            T_PORT:  addr = B_PORT  | ({{(AW-PIW){1'b0}}, a_i[PIW-1:0]} << 2) | {{(AW-2){1'b0}}, a_w[1:0]};
            default: addr = B_RADDR | ({{(AW-RIW){1'b0}}, a_i[RIW-1:0]} << 1) | {{(AW-1){1'b0}}, a_w[0]};
        endcase
    end

    // the word a write puts at jw_q
    reg [15:0] wdata;
    always @* begin
        wdata = 16'd0;
        case (jt_q)
            T_LPM: case (jw_q)
                3'd0:    wdata = {15'd0, tbl_lpm_wr_valid};
                3'd1:    wdata = tbl_lpm_wr_value[31:16];
                3'd2:    wdata = tbl_lpm_wr_mask[31:16];
                3'd3:    wdata = tbl_lpm_wr_value[15:0];
                3'd4:    wdata = tbl_lpm_wr_mask[15:0];
                default: wdata = tbl_lpm_wr_adj;
            endcase
            T_ADJ: case (jw_q)
                3'd0:    wdata = {tbl_adj_wr_port, 6'd0, tbl_adj_wr_kind};
                3'd1:    wdata = tbl_adj_wr_dmac_hi;
                3'd2:    wdata = tbl_adj_wr_dmac_lo[31:16];
                3'd3:    wdata = tbl_adj_wr_dmac_lo[15:0];
                3'd4:    wdata = tbl_adj_wr_smac_hi;
                3'd5:    wdata = tbl_adj_wr_smac_lo[31:16];
                3'd6:    wdata = tbl_adj_wr_smac_lo[15:0];
                default: wdata = tbl_adj_wr_mtu;
            endcase
            T_PORT: case (jw_q[1:0])
                2'd0:    wdata = tbl_port_wr_mac_hi;
                2'd1:    wdata = tbl_port_wr_mac_lo[31:16];
                2'd2:    wdata = tbl_port_wr_mac_lo[15:0];
                default: wdata = tbl_port_wr_mtu;
            endcase
            default: wdata = jw_q[0] ? tbl_raddr_wr_addr[15:0] : tbl_raddr_wr_addr[31:16];
        endcase
    end

    wire ram_we = !own_port && (job_q == J_WRITE) && jin_q;

    // never read and written at one address in one clock: writes only run while the lookup port
    // is idle, and a write job reads nothing it uses
    (* no_rw_check *) reg [15:0] ram [0:(1<<AW)-1];
    reg [15:0] rdata_q;
    always @(posedge clk) begin
        if (ram_we) begin
            ram[addr] <= wdata;
        end
        rdata_q <= ram[addr];
    end
    assign lk_rdata = rdata_q;

    // ---------------------------------------------------------------- router-address valid bits
    reg [RADDR_ENTRIES-1:0] ra_valid_q;
    always @(posedge clk) begin
        if (rst) begin
            ra_valid_q <= {RADDR_ENTRIES{1'b0}};
        end else if (job_q == J_WRITE && jt_q == 2'd3 && job_last && jin_q) begin
            // with the address's last word, not at the command: until the copy ends, lookups
            // see the old entry whole (valid bit and address together)
            ra_valid_q[tbl_raddr_index[RW-1:0]] <= tbl_raddr_wr_valid;
        end
    end
    assign raddr_valid = ra_valid_q;

    // ---------------------------------------------------------------- read-back copy
    // One copy for all tables, in the RAM's word layout: word w of the entry lands in bits
    // 16w+15..16w the clock after it is read, zeros for an index beyond the table. Each table's
    // read-back outputs are slices of it (only the table fetched last reads back right, which is
    // the one whose INDEX was written last: the host writes INDEX, then CMD=2).
    reg  [127:0] sh_q;
    reg          sh_ra_valid_q;
    wire [15:0]  fword = rdata_q & {16{jin_q}};
    always @(posedge clk) begin
        if (job_start && !pick_write && pick_t == 2'd3) begin
            sh_ra_valid_q <= in_range[3] && ra_valid_q[tbl_raddr_index[RW-1:0]];
        end
    end
    // one enable per word (a part select at a variable offset made yosys build multiplexers)
    genvar gw;
    generate
        for (gw = 0; gw < 8; gw = gw + 1) begin : g_sh
            always @(posedge clk) begin
                if (fv_q && fw_q == gw) begin
                    sh_q[16*gw +: 16] <= fword;
                end
            end
        end
    endgenerate

    assign tbl_lpm_rd_valid   = sh_q[0];
    assign tbl_lpm_rd_value   = {sh_q[31:16], sh_q[63:48]};
    assign tbl_lpm_rd_mask    = {sh_q[47:32], sh_q[79:64]};
    assign tbl_lpm_rd_adj     = sh_q[95:80];
    assign tbl_adj_rd_kind    = sh_q[1:0];
    assign tbl_adj_rd_port    = sh_q[15:8];
    assign tbl_adj_rd_dmac_hi = sh_q[31:16];
    assign tbl_adj_rd_dmac_lo = {sh_q[47:32], sh_q[63:48]};
    assign tbl_adj_rd_smac_hi = sh_q[79:64];
    assign tbl_adj_rd_smac_lo = {sh_q[95:80], sh_q[111:96]};
    assign tbl_adj_rd_mtu     = sh_q[127:112];
    assign tbl_port_rd_mac_hi = sh_q[15:0];
    assign tbl_port_rd_mac_lo = {sh_q[31:16], sh_q[47:32]};
    assign tbl_port_rd_mtu    = sh_q[63:48];
    assign tbl_raddr_rd_valid = sh_ra_valid_q;
    assign tbl_raddr_rd_addr  = {sh_q[15:0], sh_q[31:16]};

    assign lk_gnt = (job_q == J_IDLE);
    assign busy      = tbl_cmd || (|wr_pend_q) || (|we_pulse) || (|stale) || (job_q != J_IDLE) || fv_q;

    wire unused_re = ^{a_i, tbl_port_re, tbl_raddr_re, tbl_lpm_re, tbl_adj_re};

endmodule

`default_nettype wire
