// lr_lookup: the shared lookup engine; round-robin over ports, one frame per clock, fixed latency.
`default_nettype none

// Stages (one clock each, never stalls):
//   S0  round-robin among ports with a queued header record and a free result credit; pop it
//   S1  lr_l3_checks on the record (parsed and checksummed by the ingress); LPM request with dst
//   A   LPM key (bitmap read address)   B  LPM rows ANDed, first hit   C  LPM adjacency index;
//                                                                           adjacency request
//   D   adjacency row read (the block RAM's output)
//   D2  the row and the metadata registered; lr_decide (so no path runs from a block RAM's output
//       through the decision: it set the Colorlight's Fmax)
//   E   result record registered and pushed to the port's lr_rewrite; reason counted
// Every frame is looked up (also those decided before rule 11, for which lr_decide zeroes the
// lookup fields). Results of one port come out in its record order. Credits: a port is served only
// while fewer than RES_DEPTH of its results are in flight or queued in its lr_rewrite, so the
// result queues never overflow and a stalled port never stalls the others.
module lr_lookup #(
    parameter N_PORTS         = 4,      // packet ports
    parameter LPM_ENTRIES     = 1024,   // LPM entries
    parameter LPM_BRAM        = 0,      // 1: lr_lpm_tcam_bram (block RAM, multi-clock writes)
    parameter ADJ_ENTRIES     = 256,    // adjacency rows
    parameter RADDR_ENTRIES   = 16,     // router addresses
    parameter MAX_FRAME_BYTES = 9600,   // longer frames (L) are giants
    parameter RES_DEPTH       = 8,      // result credits per port (= lr_rewrite result queue depth)
    parameter RES_W           = 208,    // result record width (lr_defs.vh RES_WIDTH)
    parameter HREC_W          = 198     // header record width (lr_defs.vh HREC_WIDTH)
) (
    input  wire                   clk,
    input  wire                   rst,

    // header records from lr_ingress (port p at [p*width +: width])
    input  wire [N_PORTS*HREC_W-1:0] s_hrec_data,
    input  wire [N_PORTS-1:0]     s_hrec_valid,
    output wire [N_PORTS-1:0]     s_hrec_ready,

    // results toward lr_rewrite (record broadcast, valid per port)
    output wire [RES_W-1:0]       m_res_data,
    output wire [N_PORTS-1:0]     m_res_valid,
    input  wire [N_PORTS-1:0]     res_credit,     // pulse: port p popped one result

    // reason counter event
    output wire                   stat_reason_valid,
    output wire [4:0]             stat_reason,
    output wire                   stat_idle,
    output wire                   tbl_busy,       // a table write in progress (lr_lpm_tcam_bram, lr_adjacency)

    // table access (lr_csr)
    input  wire                   tbl_port_we,
    input  wire                   tbl_port_re,
    input  wire [15:0]            tbl_port_index,
    input  wire [15:0]            tbl_port_wr_mac_hi,
    input  wire [31:0]            tbl_port_wr_mac_lo,
    input  wire [15:0]            tbl_port_wr_mtu,
    output wire [15:0]            tbl_port_rd_mac_hi,
    output wire [31:0]            tbl_port_rd_mac_lo,
    output wire [15:0]            tbl_port_rd_mtu,
    input  wire                   tbl_raddr_we,
    input  wire                   tbl_raddr_re,
    input  wire [15:0]            tbl_raddr_index,
    input  wire                   tbl_raddr_wr_valid,
    input  wire [31:0]            tbl_raddr_wr_addr,
    output wire                   tbl_raddr_rd_valid,
    output wire [31:0]            tbl_raddr_rd_addr,
    input  wire                   tbl_lpm_we,
    input  wire                   tbl_lpm_re,
    input  wire [15:0]            tbl_lpm_index,
    input  wire                   tbl_lpm_wr_valid,
    input  wire [31:0]            tbl_lpm_wr_value,
    input  wire [31:0]            tbl_lpm_wr_mask,
    input  wire [15:0]            tbl_lpm_wr_adj,
    output wire                   tbl_lpm_rd_valid,
    output wire [31:0]            tbl_lpm_rd_value,
    output wire [31:0]            tbl_lpm_rd_mask,
    output wire [15:0]            tbl_lpm_rd_adj,
    input  wire                   tbl_adj_we,
    input  wire                   tbl_adj_re,
    input  wire [15:0]            tbl_adj_index,
    input  wire [1:0]             tbl_adj_wr_kind,
    input  wire [7:0]             tbl_adj_wr_port,
    input  wire [15:0]            tbl_adj_wr_dmac_hi,
    input  wire [31:0]            tbl_adj_wr_dmac_lo,
    input  wire [15:0]            tbl_adj_wr_smac_hi,
    input  wire [31:0]            tbl_adj_wr_smac_lo,
    input  wire [15:0]            tbl_adj_wr_mtu,
    output wire [1:0]             tbl_adj_rd_kind,
    output wire [7:0]             tbl_adj_rd_port,
    output wire [15:0]            tbl_adj_rd_dmac_hi,
    output wire [31:0]            tbl_adj_rd_dmac_lo,
    output wire [15:0]            tbl_adj_rd_smac_hi,
    output wire [31:0]            tbl_adj_rd_smac_lo,
    output wire [15:0]            tbl_adj_rd_mtu
);

    `include "lr_defs.vh"

    localparam PW = (N_PORTS > 1) ? $clog2(N_PORTS) : 1;
    localparam CW = $clog2(RES_DEPTH + 1);
    localparam MW = 115;    // metadata carried from S1 to D (see m1 below)

    generate
        if (N_PORTS < 1 || N_PORTS > 255) begin : g_bad_ports
            $error("lr_lookup: N_PORTS must be 1..255");
        end
        if (HREC_W != HREC_WIDTH || RES_W != RES_WIDTH) begin : g_bad_rec
            $error("lr_lookup: HREC_W and RES_W must equal HREC_WIDTH and RES_WIDTH of lr_defs.vh");
        end
        if (RES_DEPTH < 1) begin : g_bad_depth
            $error("lr_lookup: RES_DEPTH must be >= 1");
        end
    endgenerate

    // ---------------------------------------------------------------- S0: arbitration, credits
    localparam [CW-1:0] CREDITS = RES_DEPTH[CW-1:0];

    wire [N_PORTS-1:0] has_credit;
    wire [N_PORTS-1:0] can_issue = s_hrec_valid & has_credit;
    wire [N_PORTS-1:0] grant;
    wire [PW-1:0]      grant_index;
    wire               grant_valid;

    lr_rr_arbiter #(
        .N (N_PORTS)
    ) u_arb (
        .clk         (clk),
        .rst         (rst),
        .req         (can_issue),
        .advance     (1'b1),
        .grant       (grant),
        .grant_index (grant_index),
        .grant_valid (grant_valid)
    );

    assign s_hrec_ready = grant;

    // results in flight or queued per port
    genvar gc;
    generate
        for (gc = 0; gc < N_PORTS; gc = gc + 1) begin : g_credit
            reg [CW-1:0] used_q;
            always @(posedge clk) begin
                if (rst) begin
                    used_q <= {CW{1'b0}};
                end else if (grant[gc] && !res_credit[gc]) begin
                    used_q <= used_q + 1'b1;
                end else if (!grant[gc] && res_credit[gc]) begin
                    used_q <= used_q - 1'b1;
                end
            end
            assign has_credit[gc] = (used_q < CREDITS);
        end
    endgenerate

    // ---------------------------------------------------------------- S1: check
    reg                 v1_q;
    reg [7:0]           port1_q;
    reg [HREC_W-1:0]    rec1_q;

    reg [7:0]    grant_port;

    always @* begin
        grant_port           = 8'd0;
        grant_port[PW-1:0]   = grant_index;
    end

    // The granted port's record, selected by the one-hot grant (an AND-OR): an index product
    // HREC_W*grant_index made yosys build a barrel shifter over all records (10,342 LUTs at 4
    // ports on the Colorlight, against 212 at 2).
    reg [HREC_W-1:0] grant_rec;
    integer g;
    always @* begin
        grant_rec = {HREC_W{1'b0}};
        for (g = 0; g < N_PORTS; g = g + 1) begin
            grant_rec = grant_rec | (s_hrec_data[HREC_W*g +: HREC_W] & {HREC_W{grant[g]}});
        end
    end

    always @(posedge clk) begin
        if (grant_valid) begin
            port1_q <= grant_port;
            rec1_q  <= grant_rec;
        end
    end

    wire [47:0] dmac       = rec1_q[HREC_DMAC_LSB +: 48];
    wire        dmac_group = dmac[40];                      // b[0] & 1
    wire        is_vlan    = rec1_q[HREC_CLASS_LSB];
    wire        is_arp     = rec1_q[HREC_CLASS_LSB + 1];
    wire        is_ipv6    = rec1_q[HREC_CLASS_LSB + 2];
    wire        is_ipv4    = rec1_q[HREC_CLASS_LSB + 3];
    wire [3:0]  ihl        = rec1_q[HREC_IHL_LSB +: 4];
    wire [3:0]  ver        = rec1_q[HREC_VER_LSB +: 4];
    wire [15:0] tot        = rec1_q[HREC_TOT_LSB +: 16];
    wire [7:0]  ttl        = rec1_q[HREC_TTL_LSB +: 8];
    wire [15:0] csum       = rec1_q[HREC_CSUM_LSB +: 16];
    wire [31:0] src        = rec1_q[HREC_SRC_LSB +: 32];
    wire [31:0] dst        = rec1_q[HREC_DST_LSB +: 32];
    wire [31:0] len1       = rec1_q[HREC_LEN_LSB +: 32];
    wire        fcs1       = rec1_q[HREC_FCS_OK_BIT];
    wire        csum_ok    = rec1_q[HREC_CSUM_OK_BIT];
    wire        mac_me, martian, to_me, mcast_dst;
    wire [15:0] port_mtu;

    lr_l3_checks #(
        .N_PORTS       (N_PORTS),
        .RADDR_ENTRIES (RADDR_ENTRIES)
    ) u_l3_checks (
        .clk                (clk),
        .rst                (rst),
        .valid              (v1_q),
        .port               (port1_q),
        .dmac               (dmac),
        .src                (src),
        .dst                (dst),
        .mac_me             (mac_me),
        .martian            (martian),
        .to_me              (to_me),
        .mcast_dst          (mcast_dst),
        .port_mtu           (port_mtu),
        .tbl_port_we        (tbl_port_we),
        .tbl_port_re        (tbl_port_re),
        .tbl_port_index     (tbl_port_index),
        .tbl_port_wr_mac_hi (tbl_port_wr_mac_hi),
        .tbl_port_wr_mac_lo (tbl_port_wr_mac_lo),
        .tbl_port_wr_mtu    (tbl_port_wr_mtu),
        .tbl_port_rd_mac_hi (tbl_port_rd_mac_hi),
        .tbl_port_rd_mac_lo (tbl_port_rd_mac_lo),
        .tbl_port_rd_mtu    (tbl_port_rd_mtu),
        .tbl_raddr_we       (tbl_raddr_we),
        .tbl_raddr_re       (tbl_raddr_re),
        .tbl_raddr_index    (tbl_raddr_index),
        .tbl_raddr_wr_valid (tbl_raddr_wr_valid),
        .tbl_raddr_wr_addr  (tbl_raddr_wr_addr),
        .tbl_raddr_rd_valid (tbl_raddr_rd_valid),
        .tbl_raddr_rd_addr  (tbl_raddr_rd_addr)
    );

    // metadata for lr_decide, delayed to stage D
    wire [MW-1:0] m1 = {port1_q, len1, fcs1, port_mtu, mac_me, dmac_group, is_vlan, is_arp,
                        is_ipv6, is_ipv4, ver, ihl, tot, ttl, csum, csum_ok, martian, to_me, mcast_dst};

    // ---------------------------------------------------------------- A, B, C: LPM
    wire        lpm_valid, lpm_hit;
    wire [15:0] lpm_index, lpm_adj;
    wire        lpm_busy, adj_busy;     // a table write in progress: the register bus waits

    assign tbl_busy = lpm_busy || adj_busy;

    generate
        if (LPM_BRAM != 0) begin : g_lpm_bram
            lr_lpm_tcam_bram #(
                .ENTRIES (LPM_ENTRIES)
            ) u_lpm_tcam (
                .clk              (clk),
                .rst              (rst),
                .req_valid        (v1_q),
                .req_key          (dst),
                .resp_valid       (lpm_valid),
                .resp_hit         (lpm_hit),
                .resp_index       (lpm_index),
                .resp_adj         (lpm_adj),
                .tbl_lpm_we       (tbl_lpm_we),
                .tbl_lpm_re       (tbl_lpm_re),
                .tbl_lpm_index    (tbl_lpm_index),
                .tbl_lpm_wr_valid (tbl_lpm_wr_valid),
                .tbl_lpm_wr_value (tbl_lpm_wr_value),
                .tbl_lpm_wr_mask  (tbl_lpm_wr_mask),
                .tbl_lpm_wr_adj   (tbl_lpm_wr_adj),
                .tbl_lpm_rd_valid (tbl_lpm_rd_valid),
                .tbl_lpm_rd_value (tbl_lpm_rd_value),
                .tbl_lpm_rd_mask  (tbl_lpm_rd_mask),
                .tbl_lpm_rd_adj   (tbl_lpm_rd_adj),
                .busy             (lpm_busy)
            );
        end else begin : g_lpm
            lr_lpm_tcam #(
                .ENTRIES (LPM_ENTRIES)
            ) u_lpm_tcam (
                .clk              (clk),
                .rst              (rst),
                .req_valid        (v1_q),
                .req_key          (dst),
                .resp_valid       (lpm_valid),
                .resp_hit         (lpm_hit),
                .resp_index       (lpm_index),
                .resp_adj         (lpm_adj),
                .tbl_lpm_we       (tbl_lpm_we),
                .tbl_lpm_re       (tbl_lpm_re),
                .tbl_lpm_index    (tbl_lpm_index),
                .tbl_lpm_wr_valid (tbl_lpm_wr_valid),
                .tbl_lpm_wr_value (tbl_lpm_wr_value),
                .tbl_lpm_wr_mask  (tbl_lpm_wr_mask),
                .tbl_lpm_wr_adj   (tbl_lpm_wr_adj),
                .tbl_lpm_rd_valid (tbl_lpm_rd_valid),
                .tbl_lpm_rd_value (tbl_lpm_rd_value),
                .tbl_lpm_rd_mask  (tbl_lpm_rd_mask),
                .tbl_lpm_rd_adj   (tbl_lpm_rd_adj)
            );
            assign lpm_busy = 1'b0;
        end
    endgenerate

    reg          va_q, vb_q, vc_q, vd_q, vd2_q;
    reg [MW-1:0] ma_q, mb_q, mc_q, md_q, md2_q;

    always @(posedge clk) begin
        if (v1_q) begin
            ma_q <= m1;
        end
        if (va_q) begin
            mb_q <= ma_q;
        end
        if (vb_q) begin
            mc_q <= mb_q;
        end
        if (vc_q) begin
            md_q <= mc_q;
        end
        if (vd_q) begin
            md2_q <= md_q;
        end
    end

    // ---------------------------------------------------------------- D: adjacency, decide
    reg        hit_d_q;
    reg [15:0] index_d_q, adj_d_q;

    always @(posedge clk) begin
        if (lpm_valid) begin
            hit_d_q   <= lpm_hit;
            index_d_q <= lpm_index;
            adj_d_q   <= lpm_adj;
        end
    end

    wire [1:0]  adj_kind;
    wire [7:0]  adj_port;
    wire [47:0] adj_dmac, adj_smac;
    wire [15:0] adj_mtu;
    reg         hit_d2_q;
    reg  [15:0] index_d2_q, adj_d2_q;
    reg  [1:0]  kind_d2_q;
    reg  [7:0]  port_d2_q;
    reg  [47:0] dmac_d2_q, smac_d2_q;
    reg  [15:0] mtu_d2_q;

    // D2: the LPM result and the adjacency row, registered
    always @(posedge clk) begin
        if (vd_q) begin
            hit_d2_q   <= hit_d_q;
            index_d2_q <= index_d_q;
            adj_d2_q   <= adj_d_q;
            kind_d2_q  <= adj_kind;
            port_d2_q  <= adj_port;
            dmac_d2_q  <= adj_dmac;
            smac_d2_q  <= adj_smac;
            mtu_d2_q   <= adj_mtu;
        end
    end

    lr_adjacency #(
        .ENTRIES (ADJ_ENTRIES)
    ) u_adjacency (
        .clk                (clk),
        .rst                (rst),
        .req_valid          (lpm_valid),
        .req_index          (lpm_adj),
        .resp_kind          (adj_kind),
        .resp_port          (adj_port),
        .resp_dmac          (adj_dmac),
        .resp_smac          (adj_smac),
        .resp_mtu           (adj_mtu),
        .tbl_adj_we         (tbl_adj_we),
        .tbl_adj_re         (tbl_adj_re),
        .tbl_adj_index      (tbl_adj_index),
        .tbl_adj_wr_kind    (tbl_adj_wr_kind),
        .tbl_adj_wr_port    (tbl_adj_wr_port),
        .tbl_adj_wr_dmac_hi (tbl_adj_wr_dmac_hi),
        .tbl_adj_wr_dmac_lo (tbl_adj_wr_dmac_lo),
        .tbl_adj_wr_smac_hi (tbl_adj_wr_smac_hi),
        .tbl_adj_wr_smac_lo (tbl_adj_wr_smac_lo),
        .tbl_adj_wr_mtu     (tbl_adj_wr_mtu),
        .tbl_adj_rd_kind    (tbl_adj_rd_kind),
        .tbl_adj_rd_port    (tbl_adj_rd_port),
        .tbl_adj_rd_dmac_hi (tbl_adj_rd_dmac_hi),
        .tbl_adj_rd_dmac_lo (tbl_adj_rd_dmac_lo),
        .tbl_adj_rd_smac_hi (tbl_adj_rd_smac_hi),
        .tbl_adj_rd_smac_lo (tbl_adj_rd_smac_lo),
        .tbl_adj_rd_mtu     (tbl_adj_rd_mtu),
        .busy               (adj_busy)
    );

    wire [7:0]  d_port;
    wire [31:0] d_len;
    wire        d_fcs, d_mac_me, d_group, d_vlan, d_arp, d_ipv6, d_ipv4;
    wire [15:0] d_mtu, d_tot, d_csum;
    wire [3:0]  d_ver, d_ihl;
    wire [7:0]  d_ttl;
    wire        d_csum_ok, d_martian, d_to_me, d_mcast;

    assign {d_port, d_len, d_fcs, d_mtu, d_mac_me, d_group, d_vlan, d_arp, d_ipv6, d_ipv4,
            d_ver, d_ihl, d_tot, d_ttl, d_csum, d_csum_ok, d_martian, d_to_me, d_mcast} = md2_q;

    wire [RES_W-1:0] result;
    wire [4:0]       reason;

    lr_decide #(
        .N_PORTS         (N_PORTS),
        .MAX_FRAME_BYTES (MAX_FRAME_BYTES),
        .RES_W           (RES_W)
    ) u_decide (
        .valid      (vd2_q),
        .in_port    (d_port),
        .len_w      (d_len),
        .fcs_ok     (d_fcs),
        .port_mtu   (d_mtu),
        .mac_me     (d_mac_me),
        .dmac_group (d_group),
        .is_vlan    (d_vlan),
        .is_arp     (d_arp),
        .is_ipv6    (d_ipv6),
        .is_ipv4    (d_ipv4),
        .ver        (d_ver),
        .ihl        (d_ihl),
        .tot        (d_tot),
        .ttl        (d_ttl),
        .csum       (d_csum),
        .csum_ok    (d_csum_ok),
        .martian    (d_martian),
        .to_me      (d_to_me),
        .mcast_dst  (d_mcast),
        .lpm_hit    (hit_d2_q),
        .lpm_index  (index_d2_q),
        .lpm_adj    (adj_d2_q),
        .adj_kind   (kind_d2_q),
        .adj_port   (port_d2_q),
        .adj_dmac   (dmac_d2_q),
        .adj_smac   (smac_d2_q),
        .adj_mtu    (mtu_d2_q),
        .result     (result),
        .reason     (reason)
    );

    // ---------------------------------------------------------------- E: result
    reg              ve_q;
    reg [RES_W-1:0]  res_q;
    reg [PW-1:0]     res_port_q;
    reg [4:0]        reason_q;

    always @(posedge clk) begin
        if (vd2_q) begin
            res_q      <= result;
            res_port_q <= d_port[PW-1:0];
            reason_q   <= reason;
        end
    end

    genvar gp;
    generate
        for (gp = 0; gp < N_PORTS; gp = gp + 1) begin : g_res_valid
            assign m_res_valid[gp] = ve_q && (res_port_q == gp);
        end
    endgenerate

    assign m_res_data        = res_q;
    assign stat_reason_valid = ve_q;
    assign stat_reason       = reason_q;

    // ---------------------------------------------------------------- control
    always @(posedge clk) begin
        if (rst) begin
            v1_q <= 1'b0;
            va_q <= 1'b0;
            vb_q <= 1'b0;
            vc_q <= 1'b0;
            vd_q <= 1'b0;
            vd2_q <= 1'b0;
            ve_q <= 1'b0;
        end else begin
            v1_q <= grant_valid;
            va_q <= v1_q;
            vb_q <= va_q;
            vc_q <= vb_q;
            vd_q <= vc_q;
            vd2_q <= vd_q;
            ve_q <= vd2_q;
        end
    end

    assign stat_idle = !(v1_q || va_q || vb_q || vc_q || vd_q || vd2_q || ve_q);

endmodule

`default_nettype wire
