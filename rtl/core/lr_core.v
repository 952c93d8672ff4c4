// lr_core: the IPv4 fast path (rtl/core/README.md): ingress, shared lookup, rewrite, output muxes.
`default_nettype none

// Data flow, per packet port p and per output port q:
//   s_axis_rx[p] -> lr_ingress[p] --header record--> [2-record queue, here] --> lr_lookup
//                        | frame FIFO                    (shared, round robin, one frame per clock)
//                        |                                  | result (credit per queued result)
//                        +----------------------------> lr_rewrite[p] --forward--> lr_out_mux[q]
//                                                             +--------punt-----> lr_cpu_mux
//   s_axis_inject -> lr_inject ---------------------------------------------------> lr_out_mux[q]
//   lr_out_mux[q] -> lr_fcs_insert[q] -> m_axis_tx[q]           lr_cpu_mux -> m_axis_cpu
// Latency of a minimum frame at DATA_WIDTH 64, last beat in to first beat out: about 13 clocks.
// lr_csr (generated, rtl/csr) holds the register map; the tables live in the lookup stages.
// Nothing drops for lack of space: every path applies backpressure.
// Parameter checks name the module in the message text rather than with %m, which Verilator 5.006
// cannot format at elaboration time.
module lr_core #(
    parameter N_PORTS         = 4,              // packet ports (1..255; tuser 255 marks injected frames)
    parameter DATA_WIDTH      = 64,             // stream width, power of two 8..128
    parameter KEEP_WIDTH      = DATA_WIDTH/8,   // byte enables
    parameter LPM_ENTRIES     = 1024,           // LPM (TCAM) entries
    parameter LPM_BRAM        = 0,              // 1: the block-RAM TCAM (lr_lpm_tcam_bram, boards)
    parameter COUNTERS_RAM    = 0,              // 1: counters in block RAM (boards; DATA_WIDTH <= 16)
    parameter RES_DEPTH       = 8,              // results queued per port (lookup credits), a power of two >= 2
    parameter ADJ_ENTRIES     = 256,            // adjacency rows
    parameter RADDR_ENTRIES   = 16,             // router addresses
    parameter MAX_FRAME_BYTES = 9600,           // longer frames (L) are dropped as giant
    parameter RX_FIFO_DEPTH   = 2048,           // beats of frame storage per ingress port
    parameter BUILD_ID        = 32'h0,          // build identity reported by the register block (git hash prefix)
    parameter BUILD_DATE      = 32'd0           // build date reported by the register block, decimal YYYYMMDD
) (
    input  wire                          clk,
    input  wire                          rst,   // synchronous, active high

    // packet ports in (frames with FCS)
    input  wire [N_PORTS*DATA_WIDTH-1:0] s_axis_rx_tdata,
    input  wire [N_PORTS*KEEP_WIDTH-1:0] s_axis_rx_tkeep,
    input  wire [N_PORTS-1:0]            s_axis_rx_tvalid,
    output wire [N_PORTS-1:0]            s_axis_rx_tready,
    input  wire [N_PORTS-1:0]            s_axis_rx_tlast,

    // packet ports out (frames with FCS)
    output wire [N_PORTS*DATA_WIDTH-1:0] m_axis_tx_tdata,
    output wire [N_PORTS*KEEP_WIDTH-1:0] m_axis_tx_tkeep,
    output wire [N_PORTS-1:0]            m_axis_tx_tvalid,
    input  wire [N_PORTS-1:0]            m_axis_tx_tready,
    output wire [N_PORTS-1:0]            m_axis_tx_tlast,
    output wire [N_PORTS*8-1:0]          m_axis_tx_tuser,   // ingress port, 255 = injected

    // CPU stream out (punt header + frame without FCS)
    output wire [DATA_WIDTH-1:0]         m_axis_cpu_tdata,
    output wire [KEEP_WIDTH-1:0]         m_axis_cpu_tkeep,
    output wire                          m_axis_cpu_tvalid,
    input  wire                          m_axis_cpu_tready,
    output wire                          m_axis_cpu_tlast,

    // CPU inject stream in (inject header + frame without FCS)
    input  wire [DATA_WIDTH-1:0]         s_axis_inject_tdata,
    input  wire [KEEP_WIDTH-1:0]         s_axis_inject_tkeep,
    input  wire                          s_axis_inject_tvalid,
    output wire                          s_axis_inject_tready,
    input  wire                          s_axis_inject_tlast,

    // register access
    input  wire [15:0]                   csr_addr,
    input  wire [31:0]                   csr_wdata,
    input  wire                          csr_we,
    input  wire                          csr_re,
    output wire [31:0]                   csr_rdata,
    output wire                          csr_rvalid,
    output wire                          csr_wait,   // a table write in progress: no bus access now

    // status
    output wire                          stat_idle   // no frame anywhere inside
);

    `include "lr_defs.vh"

    localparam N         = N_PORTS;
    localparam DW        = DATA_WIDTH;
    localparam KW        = KEEP_WIDTH;
    localparam NIN       = N_PORTS + 1;     // out mux inputs: the rewrite units, then inject
    localparam NCNT      = 4*N_PORTS + 36;
    localparam HREC_TAIL = (DATA_WIDTH >= 32);  // a second header record per port (see the record queue)

    generate
        if (N_PORTS < 1 || N_PORTS > 255) begin : g_bad_ports
            $error("lr_core: N_PORTS must be 1..255");
        end
        if (DATA_WIDTH < 8 || DATA_WIDTH > 128 || (DATA_WIDTH & (DATA_WIDTH - 1)) != 0
            || KEEP_WIDTH != DATA_WIDTH/8) begin : g_bad_width
            $error("lr_core: DATA_WIDTH must be a power of two 8..128 and KEEP_WIDTH = DATA_WIDTH/8");
        end
        if (MAX_FRAME_BYTES < 60 || MAX_FRAME_BYTES > 65535) begin : g_bad_max
            $error("lr_core: MAX_FRAME_BYTES must be 60..65535");
        end
    endgenerate

    // ---------------------------------------------------------------- register block
    `include "lr_csr_inst.vh"

    // ---------------------------------------------------------------- per-port wiring
    // ingress -> lookup
    reg  [N*HREC_WIDTH-1:0] hrec_q;       // per-port pending record (lr_defs.vh HREC_*)
    reg  [N-1:0]        hrec_valid_q;
    wire [N-1:0]        hrec_ready;
    // ingress -> rewrite
    wire [N*DW-1:0]     fr_tdata;
    wire [N*KW-1:0]     fr_tkeep;
    wire [N-1:0]        fr_tvalid, fr_tready, fr_tlast;
    // lookup -> rewrite
    wire [RES_WIDTH-1:0] res_data;
    wire [N-1:0]        res_valid, res_credit;
    // rewrite outputs
    wire [N*DW-1:0]     rw_tdata;
    wire [N*KW-1:0]     rw_tkeep;
    wire [N-1:0]        rw_tvalid, rw_tready, rw_tlast, rw_tcpu;
    wire [N*8-1:0]      rw_tdest, rw_tuser;
    // out mux q, input i at [q*NIN + i]
    wire [N*NIN-1:0]    om_tvalid, om_tready;
    // inject path
    wire [DW-1:0]       inj_tdata;
    wire [KW-1:0]       inj_tkeep;
    wire                inj_tvalid, inj_tready, inj_tlast;
    wire [7:0]          inj_tdest;
    wire [1:0]          inj_frames, inj_dropped;
    wire                inj_idle;
    // CPU path
    wire [N-1:0]        cpu_tready;
    wire                cpu_idle;
    // status
    wire [N-1:0]        rx_frame;
    wire [N*32-1:0]     rx_bytes;
    wire [N-1:0]        in_idle, rw_idle, om_idle, fi_idle;
    wire                lookup_idle;
    wire                reason_valid;
    wire [4:0]          reason;

    genvar gp, gq;
    generate
        for (gp = 0; gp < N_PORTS; gp = gp + 1) begin : g_port
            // ------------------------------------------------ ingress
            wire [HREC_WIDTH-1:0] in_rec;
            wire                  in_rec_valid;
            reg          tail_valid_q;   // the queue below is full (HREC_TAIL: its second record is held)

            lr_ingress #(
                .DATA_WIDTH      (DATA_WIDTH),
                .KEEP_WIDTH      (KEEP_WIDTH),
                .MAX_FRAME_BYTES (MAX_FRAME_BYTES),
                .RX_FIFO_DEPTH   (RX_FIFO_DEPTH),
                .HREC_W          (HREC_WIDTH)
            ) u_ingress (
                .clk                 (clk),
                .rst                 (rst),
                .s_axis_rx_tdata     (s_axis_rx_tdata[DW*gp +: DW]),
                .s_axis_rx_tkeep     (s_axis_rx_tkeep[KW*gp +: KW]),
                .s_axis_rx_tvalid    (s_axis_rx_tvalid[gp]),
                .s_axis_rx_tready    (s_axis_rx_tready[gp]),
                .s_axis_rx_tlast     (s_axis_rx_tlast[gp]),
                .m_axis_frame_tdata  (fr_tdata[DW*gp +: DW]),
                .m_axis_frame_tkeep  (fr_tkeep[KW*gp +: KW]),
                .m_axis_frame_tvalid (fr_tvalid[gp]),
                .m_axis_frame_tready (fr_tready[gp]),
                .m_axis_frame_tlast  (fr_tlast[gp]),
                .m_hrec_data         (in_rec),
                .m_hrec_valid        (in_rec_valid),
                .m_hrec_ready        (!tail_valid_q),
                .stat_rx_frame       (rx_frame[gp]),
                .stat_rx_bytes       (rx_bytes[32*gp +: 32]),
                .stat_idle           (in_idle[gp])
            );

            // ------------------------------------------------ record queue in front of the lookup
            // The head record sits in this port's slice of hrec_q, which is the lookup's input bus
            // itself (a register, so no wide bus is rebuilt on every clock in simulation). Records
            // move only when one is offered or taken. The ingress takes a frame's last beat only
            // while the queue has a free place, so an offered record always has one.
            // HREC_TAIL (buses of 32 bits and more): a second record waits in tail_q; two entries
            // absorb the lookup's round-robin delay when every port finishes a frame in the same
            // clock, with frames of 8 beats. On narrow buses (8 and 16 bits) a frame lasts at
            // least 32 clocks, far longer than the lookup takes to serve every port once, so one
            // entry keeps the ports at full rate and saves a 198-bit register and its multiplexer
            // per port (about 600 LUTs at 3 ports on the Colorlight).
            wire take = hrec_ready[gp];   // the lookup pops the head

            if (HREC_TAIL) begin : g_tail
                reg [HREC_WIDTH-1:0] tail_q;

                always @(posedge clk) begin
                    if (in_rec_valid && (!hrec_valid_q[gp] || (take && !tail_valid_q))) begin
                        hrec_q[HREC_WIDTH*gp +: HREC_WIDTH] <= in_rec;
                    end else if (take && tail_valid_q) begin
                        hrec_q[HREC_WIDTH*gp +: HREC_WIDTH] <= tail_q;
                    end
                    if (in_rec_valid && hrec_valid_q[gp] && (tail_valid_q || !take)) begin
                        tail_q <= in_rec;
                    end
                end

                always @(posedge clk) begin
                    if (rst) begin
                        hrec_valid_q[gp] <= 1'b0;
                        tail_valid_q     <= 1'b0;
                    end else begin
                        hrec_valid_q[gp] <= in_rec_valid || tail_valid_q || (hrec_valid_q[gp] && !take);
                        tail_valid_q     <= hrec_valid_q[gp] && (take ? (tail_valid_q && in_rec_valid)
                                                                      : (tail_valid_q || in_rec_valid));
                    end
                end
            end else begin : g_head
                // full = the head is held: the ingress offers the next record once it is taken
                always @(posedge clk) begin
                    if (in_rec_valid) begin
                        hrec_q[HREC_WIDTH*gp +: HREC_WIDTH] <= in_rec;
                    end
                end

                always @(posedge clk) begin
                    if (rst) begin
                        hrec_valid_q[gp] <= 1'b0;
                        tail_valid_q     <= 1'b0;
                    end else begin
                        hrec_valid_q[gp] <= in_rec_valid || (hrec_valid_q[gp] && !take);
                        tail_valid_q     <= in_rec_valid || (hrec_valid_q[gp] && !take);
                    end
                end
            end

            // ------------------------------------------------ rewrite
            lr_rewrite #(
                .DATA_WIDTH (DATA_WIDTH),
                .KEEP_WIDTH (KEEP_WIDTH),
                .RES_DEPTH  (RES_DEPTH),
                .RES_W      (RES_WIDTH)
            ) u_rewrite (
                .clk                 (clk),
                .rst                 (rst),
                .s_res_data          (res_data),
                .s_res_valid         (res_valid[gp]),
                .res_credit          (res_credit[gp]),
                .s_axis_frame_tdata  (fr_tdata[DW*gp +: DW]),
                .s_axis_frame_tkeep  (fr_tkeep[KW*gp +: KW]),
                .s_axis_frame_tvalid (fr_tvalid[gp]),
                .s_axis_frame_tready (fr_tready[gp]),
                .s_axis_frame_tlast  (fr_tlast[gp]),
                .m_axis_tdata        (rw_tdata[DW*gp +: DW]),
                .m_axis_tkeep        (rw_tkeep[KW*gp +: KW]),
                .m_axis_tvalid       (rw_tvalid[gp]),
                .m_axis_tready       (rw_tready[gp]),
                .m_axis_tlast        (rw_tlast[gp]),
                .m_axis_tdest        (rw_tdest[8*gp +: 8]),
                .m_axis_tcpu         (rw_tcpu[gp]),
                .m_axis_tuser        (rw_tuser[8*gp +: 8]),
                .stat_idle           (rw_idle[gp])
            );

            // a rewrite unit's beat is taken by the output named by its tdest, or by the CPU queue
            wire [N-1:0] taken_by_out;
            for (gq = 0; gq < N_PORTS; gq = gq + 1) begin : g_taken
                assign taken_by_out[gq] = om_tready[NIN*gq + gp];
            end
            assign rw_tready[gp] = rw_tcpu[gp] ? cpu_tready[gp] : |taken_by_out;

            // ------------------------------------------------ output port gp
            wire [NIN*DW-1:0] om_in_tdata;
            wire [NIN*KW-1:0] om_in_tkeep;
            wire [NIN-1:0]    om_in_tlast;
            wire [NIN*8-1:0]  om_in_tuser;
            for (gq = 0; gq < N_PORTS; gq = gq + 1) begin : g_in
                assign om_tvalid[NIN*gp + gq] = rw_tvalid[gq] && !rw_tcpu[gq] && (rw_tdest[8*gq +: 8] == gp);
            end
            assign om_tvalid[NIN*gp + N] = inj_tvalid && (inj_tdest == gp);
            assign om_in_tdata = {inj_tdata, rw_tdata};
            assign om_in_tkeep = {inj_tkeep, rw_tkeep};
            assign om_in_tlast = {inj_tlast, rw_tlast};
            assign om_in_tuser = {PORT_NONE, rw_tuser};

            wire [DW-1:0] mx_tdata;
            wire [KW-1:0] mx_tkeep;
            wire          mx_tvalid, mx_tready, mx_tlast;
            wire [7:0]    mx_tuser;

            lr_out_mux #(
                .N_IN       (NIN),
                .DATA_WIDTH (DATA_WIDTH),
                .KEEP_WIDTH (KEEP_WIDTH),
                .USER_WIDTH (8),
                .OUT_REG    (0)      // lr_fcs_insert's tready is registered
            ) u_out_mux (
                .clk           (clk),
                .rst           (rst),
                .s_axis_tdata  (om_in_tdata),
                .s_axis_tkeep  (om_in_tkeep),
                .s_axis_tvalid (om_tvalid[NIN*gp +: NIN]),
                .s_axis_tready (om_tready[NIN*gp +: NIN]),
                .s_axis_tlast  (om_in_tlast),
                .s_axis_tuser  (om_in_tuser),
                .m_axis_tdata  (mx_tdata),
                .m_axis_tkeep  (mx_tkeep),
                .m_axis_tvalid (mx_tvalid),
                .m_axis_tready (mx_tready),
                .m_axis_tlast  (mx_tlast),
                .m_axis_tuser  (mx_tuser),
                .stat_idle     (om_idle[gp])
            );

            lr_fcs_insert #(
                .DATA_WIDTH (DATA_WIDTH),
                .KEEP_WIDTH (KEEP_WIDTH),
                .USER_WIDTH (8)
            ) u_fcs_insert (
                .clk           (clk),
                .rst           (rst),
                .s_axis_tdata  (mx_tdata),
                .s_axis_tkeep  (mx_tkeep),
                .s_axis_tvalid (mx_tvalid),
                .s_axis_tready (mx_tready),
                .s_axis_tlast  (mx_tlast),
                .s_axis_tuser  (mx_tuser),
                .m_axis_tdata  (m_axis_tx_tdata[DW*gp +: DW]),
                .m_axis_tkeep  (m_axis_tx_tkeep[KW*gp +: KW]),
                .m_axis_tvalid (m_axis_tx_tvalid[gp]),
                .m_axis_tready (m_axis_tx_tready[gp]),
                .m_axis_tlast  (m_axis_tx_tlast[gp]),
                .m_axis_tuser  (m_axis_tx_tuser[8*gp +: 8]),
                .stat_idle     (fi_idle[gp])
            );
        end
    endgenerate

    // inject: taken by the output it is steered to
    wire [N-1:0] inj_taken;
    generate
        for (gq = 0; gq < N_PORTS; gq = gq + 1) begin : g_inj_taken
            assign inj_taken[gq] = om_tready[NIN*gq + N];
        end
    endgenerate
    assign inj_tready = |inj_taken;

    // ---------------------------------------------------------------- shared lookup
    lr_lookup #(
        .N_PORTS         (N_PORTS),
        .LPM_ENTRIES     (LPM_ENTRIES),
        .LPM_BRAM        (LPM_BRAM),
        .ADJ_ENTRIES     (ADJ_ENTRIES),
        .RADDR_ENTRIES   (RADDR_ENTRIES),
        .MAX_FRAME_BYTES (MAX_FRAME_BYTES),
        .RES_DEPTH       (RES_DEPTH),
        .RES_W           (RES_WIDTH),
        .HREC_W          (HREC_WIDTH)
    ) u_lookup (
        .clk                (clk),
        .rst                (rst),
        .s_hrec_data        (hrec_q),
        .s_hrec_valid       (hrec_valid_q),
        .s_hrec_ready       (hrec_ready),
        .m_res_data         (res_data),
        .m_res_valid        (res_valid),
        .res_credit         (res_credit),
        .stat_reason_valid  (reason_valid),
        .stat_reason        (reason),
        .stat_idle          (lookup_idle),
        .tbl_busy           (csr_wait),
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
        .tbl_adj_rd_mtu     (tbl_adj_rd_mtu)
    );

    // ---------------------------------------------------------------- CPU queue
    lr_cpu_mux #(
        .N_PORTS    (N_PORTS),
        .DATA_WIDTH (DATA_WIDTH),
        .KEEP_WIDTH (KEEP_WIDTH)
    ) u_cpu_mux (
        .clk               (clk),
        .rst               (rst),
        .s_axis_tdata      (rw_tdata),
        .s_axis_tkeep      (rw_tkeep),
        .s_axis_tvalid     (rw_tvalid & rw_tcpu),
        .s_axis_tready     (cpu_tready),
        .s_axis_tlast      (rw_tlast),
        .m_axis_cpu_tdata  (m_axis_cpu_tdata),
        .m_axis_cpu_tkeep  (m_axis_cpu_tkeep),
        .m_axis_cpu_tvalid (m_axis_cpu_tvalid),
        .m_axis_cpu_tready (m_axis_cpu_tready),
        .m_axis_cpu_tlast  (m_axis_cpu_tlast),
        .stat_idle         (cpu_idle)
    );

    // ---------------------------------------------------------------- inject path
    lr_inject #(
        .N_PORTS    (N_PORTS),
        .DATA_WIDTH (DATA_WIDTH),
        .KEEP_WIDTH (KEEP_WIDTH)
    ) u_inject (
        .clk                  (clk),
        .rst                  (rst),
        .s_axis_inject_tdata  (s_axis_inject_tdata),
        .s_axis_inject_tkeep  (s_axis_inject_tkeep),
        .s_axis_inject_tvalid (s_axis_inject_tvalid),
        .s_axis_inject_tready (s_axis_inject_tready),
        .s_axis_inject_tlast  (s_axis_inject_tlast),
        .m_axis_tdata         (inj_tdata),
        .m_axis_tkeep         (inj_tkeep),
        .m_axis_tvalid        (inj_tvalid),
        .m_axis_tready        (inj_tready),
        .m_axis_tlast         (inj_tlast),
        .m_axis_tdest         (inj_tdest),
        .stat_frames          (inj_frames),
        .stat_dropped         (inj_dropped),
        .stat_idle            (inj_idle)
    );

    // ---------------------------------------------------------------- counters
    lr_counters #(
        .N_PORTS    (N_PORTS),
        .KEEP_WIDTH (KEEP_WIDTH),
        .NCNT       (NCNT),
        .RAM        (COUNTERS_RAM)
    ) u_counters (
        .clk                (clk),
        .rst                (rst),
        .cfg_counters_clear (cfg_counters_clear),
        .rx_frame           (rx_frame),
        .rx_bytes           (rx_bytes),
        .tx_beat            (m_axis_tx_tvalid & m_axis_tx_tready),
        .tx_keep            (m_axis_tx_tkeep),
        .tx_last            (m_axis_tx_tlast),
        .reason_valid       (reason_valid),
        .reason             (reason),
        .cpu_beat           (m_axis_cpu_tvalid && m_axis_cpu_tready),
        .cpu_keep           (m_axis_cpu_tkeep),
        .cpu_last           (m_axis_cpu_tlast),
        .inject_frames      (inj_frames),
        .inject_dropped     (inj_dropped),
        .cnt_re             (cnt_re),
        .cnt_index          (cnt_index),
        .cnt_rdata          (cnt_rdata)
    );

    assign stat_idle = (&in_idle) && !(|hrec_valid_q) && (&rw_idle) && (&om_idle) && (&fi_idle)
                    && lookup_idle && cpu_idle && inj_idle;

endmodule

`default_nettype wire
