// lr_csr_inst.vh: the register block (generated lr_csr) and its wires, as every data-plane core has them.
// Included inside lr_core and lr_core_serial after their parameters and NCNT: one copy of the
// wiring, so both cores expose the same register map, table commands and counter read port.
// The including module drives the tbl_*_rd_* read-back inputs and cnt_rdata and uses the rest.

    wire        tbl_port_we, tbl_port_re;
    wire [15:0] tbl_port_index;
    wire [15:0] tbl_port_wr_mac_hi, tbl_port_rd_mac_hi;
    wire [31:0] tbl_port_wr_mac_lo, tbl_port_rd_mac_lo;
    wire [15:0] tbl_port_wr_mtu, tbl_port_rd_mtu;
    wire        tbl_raddr_we, tbl_raddr_re;
    wire [15:0] tbl_raddr_index;
    wire        tbl_raddr_wr_valid, tbl_raddr_rd_valid;
    wire [31:0] tbl_raddr_wr_addr, tbl_raddr_rd_addr;
    wire        tbl_lpm_we, tbl_lpm_re;
    wire [15:0] tbl_lpm_index;
    wire        tbl_lpm_wr_valid, tbl_lpm_rd_valid;
    wire [31:0] tbl_lpm_wr_value, tbl_lpm_rd_value;
    wire [31:0] tbl_lpm_wr_mask, tbl_lpm_rd_mask;
    wire [15:0] tbl_lpm_wr_adj, tbl_lpm_rd_adj;
    wire        tbl_adj_we, tbl_adj_re;
    wire [15:0] tbl_adj_index;
    wire [1:0]  tbl_adj_wr_kind, tbl_adj_rd_kind;
    wire [7:0]  tbl_adj_wr_port, tbl_adj_rd_port;
    wire [15:0] tbl_adj_wr_dmac_hi, tbl_adj_rd_dmac_hi;
    wire [31:0] tbl_adj_wr_dmac_lo, tbl_adj_rd_dmac_lo;
    wire [15:0] tbl_adj_wr_smac_hi, tbl_adj_rd_smac_hi;
    wire [31:0] tbl_adj_wr_smac_lo, tbl_adj_rd_smac_lo;
    wire [15:0] tbl_adj_wr_mtu, tbl_adj_rd_mtu;
    wire        cnt_re;
    wire [13:0] cnt_index;
    wire [31:0] cnt_rdata;
    wire        cfg_counters_clear;

    lr_csr #(
        .N_PORTS         (N_PORTS),
        .LPM_ENTRIES     (LPM_ENTRIES),
        .ADJ_ENTRIES     (ADJ_ENTRIES),
        .RADDR_ENTRIES   (RADDR_ENTRIES),
        .DATA_WIDTH      (DATA_WIDTH),
        .MAX_FRAME_BYTES (MAX_FRAME_BYTES),
        .BUILD_ID        (BUILD_ID),
        .BUILD_DATE      (BUILD_DATE),
        .NCNT            (NCNT)
    ) u_csr (
        .clk                (clk),
        .rst                (rst),
        .csr_addr           (csr_addr),
        .csr_wdata          (csr_wdata),
        .csr_we             (csr_we),
        .csr_re             (csr_re),
        .csr_rdata          (csr_rdata),
        .csr_rvalid         (csr_rvalid),
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
        .tbl_raddr_rd_addr  (tbl_raddr_rd_addr),
        .tbl_lpm_we         (tbl_lpm_we),
        .tbl_lpm_re         (tbl_lpm_re),
        .tbl_lpm_index      (tbl_lpm_index),
        .tbl_lpm_wr_valid   (tbl_lpm_wr_valid),
        .tbl_lpm_wr_value   (tbl_lpm_wr_value),
        .tbl_lpm_wr_mask    (tbl_lpm_wr_mask),
        .tbl_lpm_wr_adj     (tbl_lpm_wr_adj),
        .tbl_lpm_rd_valid   (tbl_lpm_rd_valid),
        .tbl_lpm_rd_value   (tbl_lpm_rd_value),
        .tbl_lpm_rd_mask    (tbl_lpm_rd_mask),
        .tbl_lpm_rd_adj     (tbl_lpm_rd_adj),
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
        .cnt_re             (cnt_re),
        .cnt_index          (cnt_index),
        .cnt_rdata          (cnt_rdata),
        .cfg_counters_clear (cfg_counters_clear)
    );

