// lr_link: the host link (rtl/link/README.md) between UART bytes and the core: framing, requests, punts, port frames.
`default_nettype none

// Receive: UART bytes -> lr_cobs_decode -> lr_link_rx (buffer, CRC) -> lr_link_exec (requests on the
// core's register bus and inject paths, answers). Transmit: answers (lr_link_exec), the punt FIFO
// (the core's CPU stream) and one FIFO per port (frames of the ports the host carries) ->
// lr_link_tx (arbiter and framer) -> lr_cobs_encode -> UART bytes.
// The counters behind the link registers (LR_LINK_REG_*, lr_link_regs.vh) live here.
module lr_link #(
    parameter N_PORTS         = 4,                // packet ports
    parameter DATA_WIDTH      = 64,               // core stream width, power of two 8..128
    parameter KEEP_WIDTH      = DATA_WIDTH/8,     // byte enables
    parameter CLK_HZ          = 48000000,         // core clock the build assumes (reported by HELLO)
    parameter RX_BUF_BYTES    = 16384,            // longest request frame (type..CRC)
    parameter RESP_BUF_BYTES  = 2048,             // longest answer payload (status + words read)
    parameter PUNT_FIFO_BYTES = 16384,            // punt FIFO, a power of two
    parameter PORT_FIFO_BYTES = 16384,            // each port's FIFO, a power of two
    parameter [255:0] HOST_PORTS = {256{1'b1}},   // bit p: port p may go to the host (has a FIFO)
    parameter SHARED_FIFO     = 0                 // 1: one FIFO for punts and ports (below)
) (
    input  wire                          clk,
    input  wire                          rst,

    // UART characters
    input  wire [7:0]                    s_rx_data,
    input  wire                          s_rx_valid,
    input  wire                          s_rx_err,     // with s_rx_valid: framing error
    output wire [7:0]                    m_tx_data,
    output wire                          m_tx_valid,
    input  wire                          m_tx_ready,

    // configuration
    input  wire [15:0]                   cfg_uart_div, // bit time in use (reported by HELLO)

    // core register bus
    output wire [15:0]                   csr_addr,
    output wire [31:0]                   csr_wdata,
    output wire                          csr_we,
    output wire                          csr_re,
    input  wire [31:0]                   csr_rdata,
    input  wire                          csr_rvalid,
    input  wire                          csr_wait,      // the core's table write in progress: hold the bus

    // core CPU stream (punt header + frame), never back-pressured
    input  wire [DATA_WIDTH-1:0]         s_axis_cpu_tdata,
    input  wire [KEEP_WIDTH-1:0]         s_axis_cpu_tkeep,
    input  wire                          s_axis_cpu_tvalid,
    input  wire                          s_axis_cpu_tlast,

    // core inject stream (inject header + frame)
    output wire [DATA_WIDTH-1:0]         m_axis_inject_tdata,
    output wire [KEEP_WIDTH-1:0]         m_axis_inject_tkeep,
    output wire                          m_axis_inject_tvalid,
    input  wire                          m_axis_inject_tready,
    output wire                          m_axis_inject_tlast,

    // frames injected into a port's pipeline (frame with FCS, port in tdest)
    output wire [DATA_WIDTH-1:0]         m_axis_pinj_tdata,
    output wire [KEEP_WIDTH-1:0]         m_axis_pinj_tkeep,
    output wire                          m_axis_pinj_tvalid,
    input  wire                          m_axis_pinj_tready,
    output wire                          m_axis_pinj_tlast,
    output wire [7:0]                    m_axis_pinj_tdest,

    // frames leaving the ports the host carries (frame with FCS), never back-pressured
    input  wire [N_PORTS*DATA_WIDTH-1:0] s_axis_port_tdata,
    input  wire [N_PORTS*KEEP_WIDTH-1:0] s_axis_port_tkeep,
    input  wire [N_PORTS-1:0]            s_axis_port_tvalid,
    input  wire [N_PORTS-1:0]            s_axis_port_tlast,

    // status
    output wire                          stat_attached,  // HELLO seen since reset
    output wire                          stat_idle       // no request in progress, nothing to send
);

    `include "lr_link_regs.vh"

    localparam DW = DATA_WIDTH;
    localparam KW = KEEP_WIDTH;
    localparam RX_AW = $clog2(RX_BUF_BYTES/4 + 1);
    localparam LW    = $clog2(RX_BUF_BYTES + 1);
    localparam CW    = $clog2(N_PORTS + 1);   // port drops in one clock

    generate
        if (LR_LINK_NREGS != 11) begin : g_regs_changed
            $error("lr_link: lr_link_regs.vh lists registers this module does not count");
        end
    endgenerate

    // ---------------------------------------------------------------- receive
    wire [7:0]    dec_data;
    wire          dec_valid, dec_end, dec_bad, dec_busy;
    wire          ex_busy;
    wire          fr_valid;
    wire [LW-1:0] fr_len;
    wire          rx_rd_en;
    wire [RX_AW-1:0] rx_rd_addr;
    wire [31:0]   rx_rd_data;
    wire          ev_rx_frame, ev_rx_bad, ev_rx_overrun;
    wire          unused_dec_busy = dec_busy;

    lr_cobs_decode u_decode (
        .clk       (clk),
        .rst       (rst),
        .s_data    (s_rx_data),
        .s_valid   (s_rx_valid),
        .s_err     (s_rx_err),
        .m_data    (dec_data),
        .m_valid   (dec_valid),
        .m_end     (dec_end),
        .m_bad     (dec_bad),
        .stat_busy (dec_busy)
    );

    lr_link_rx #(
        .RX_BUF_BYTES (RX_BUF_BYTES)
    ) u_rx (
        .clk           (clk),
        .rst           (rst),
        .s_data        (dec_data),
        .s_valid       (dec_valid),
        .s_end         (dec_end),
        .s_bad         (dec_bad),
        .busy          (ex_busy),
        .m_frame_valid (fr_valid),
        .m_frame_len   (fr_len),
        .rd_en         (rx_rd_en),
        .rd_addr       (rx_rd_addr),
        .rd_data       (rx_rd_data),
        .stat_frame    (ev_rx_frame),
        .stat_bad      (ev_rx_bad),
        .stat_overrun  (ev_rx_overrun)
    );

    // ---------------------------------------------------------------- requests
    wire          lreg_re;
    wire [7:0]    lreg_addr;
    wire [31:0]   lreg_rdata;
    wire          cnt_wait;      // link counters pending (below): hold the executor's bus
    wire [DW-1:0] inj_tdata;
    wire [KW-1:0] inj_tkeep;
    wire          inj_tvalid, inj_tready, inj_tlast, inj_tpipe;
    wire [7:0]    inj_tdest;
    wire [7:0]    ans_tdata, ans_type;
    wire [15:0]   ans_seq;
    wire          ans_tvalid, ans_tready, ans_tlast, ans_sent;
    wire          ev_dup, ev_inject, ex_idle;

    lr_link_exec #(
        .N_PORTS        (N_PORTS),
        .DATA_WIDTH     (DATA_WIDTH),
        .KEEP_WIDTH     (KEEP_WIDTH),
        .CLK_HZ         (CLK_HZ),
        .RX_BUF_BYTES   (RX_BUF_BYTES),
        .RESP_BUF_BYTES (RESP_BUF_BYTES)
    ) u_exec (
        .clk               (clk),
        .rst               (rst),
        .cfg_uart_div      (cfg_uart_div),
        .s_frame_valid     (fr_valid),
        .s_frame_len       (fr_len),
        .busy              (ex_busy),
        .rx_rd_en          (rx_rd_en),
        .rx_rd_addr        (rx_rd_addr),
        .rx_rd_data        (rx_rd_data),
        .csr_addr          (csr_addr),
        .csr_wdata         (csr_wdata),
        .csr_we            (csr_we),
        .csr_re            (csr_re),
        .csr_rdata         (csr_rdata),
        .csr_rvalid        (csr_rvalid),
        .csr_wait          (csr_wait || cnt_wait),
        .link_reg_re       (lreg_re),
        .link_reg_addr     (lreg_addr),
        .link_reg_rdata    (lreg_rdata),
        .m_axis_inj_tdata  (inj_tdata),
        .m_axis_inj_tkeep  (inj_tkeep),
        .m_axis_inj_tvalid (inj_tvalid),
        .m_axis_inj_tready (inj_tready),
        .m_axis_inj_tlast  (inj_tlast),
        .m_axis_inj_tpipe  (inj_tpipe),
        .m_axis_inj_tdest  (inj_tdest),
        .m_axis_ans_tdata  (ans_tdata),
        .m_axis_ans_tvalid (ans_tvalid),
        .m_axis_ans_tready (ans_tready),
        .m_axis_ans_tlast  (ans_tlast),
        .m_ans_type        (ans_type),
        .m_ans_seq         (ans_seq),
        .ans_sent          (ans_sent),
        .stat_dup          (ev_dup),
        .stat_inject       (ev_inject),
        .stat_attached     (stat_attached),
        .stat_idle         (ex_idle)
    );

    // injects: to the core's inject stream, or into a port's pipeline
    assign m_axis_inject_tdata  = inj_tdata;
    assign m_axis_inject_tkeep  = inj_tkeep;
    assign m_axis_inject_tvalid = inj_tvalid && !inj_tpipe;
    assign m_axis_inject_tlast  = inj_tlast;
    assign m_axis_pinj_tdata    = inj_tdata;
    assign m_axis_pinj_tkeep    = inj_tkeep;
    assign m_axis_pinj_tvalid   = inj_tvalid && inj_tpipe;
    assign m_axis_pinj_tlast    = inj_tlast;
    assign m_axis_pinj_tdest    = inj_tdest;
    assign inj_tready           = inj_tpipe ? m_axis_pinj_tready : m_axis_inject_tready;

    // ---------------------------------------------------------------- punt and port FIFOs
    // SHARED_FIFO = 0: the punt FIFO (PUNT_FIFO_BYTES) and one FIFO per host port
    // (PORT_FIFO_BYTES each). SHARED_FIFO = 1: one FIFO of PUNT_FIFO_BYTES holds them all, each
    // frame tagged with its source (port p, or N_PORTS for a punt), its storage single-ported (the
    // UP5K's SPRAM). Only for a core whose CPU and port streams never carry frames at the same
    // time (lr_core_serial sends one frame at a time); the simulation stops if two overlap.
    wire [7:0]           punt_tdata;
    wire                 punt_tvalid, punt_tready, punt_tlast;
    wire                 ev_punt_drop, punt_empty;
    wire [N_PORTS*8-1:0] port_tdata;
    wire [N_PORTS-1:0]   port_tvalid, port_tready, port_tlast;
    wire [N_PORTS-1:0]   port_drop, port_empty;

    generate
    if (SHARED_FIFO != 0) begin : g_shared
        localparam TW = $clog2(N_PORTS + 1);
        localparam [31:0] PUNT_TAG_W = N_PORTS;
        localparam [TW-1:0] PUNT_TAG = PUNT_TAG_W[TW-1:0];

        // the one stream with a beat (a punt when none): the sources never overlap
        reg [DW-1:0] in_tdata;
        reg [KW-1:0] in_tkeep;
        reg          in_tvalid, in_tlast;
        reg [TW-1:0] in_tdest;
        integer s;
        always @* begin
            in_tdata  = s_axis_cpu_tdata;
            in_tkeep  = s_axis_cpu_tkeep;
            in_tvalid = s_axis_cpu_tvalid;
            in_tlast  = s_axis_cpu_tlast;
            in_tdest  = PUNT_TAG;
            for (s = N_PORTS - 1; s >= 0; s = s - 1) begin
                if (HOST_PORTS[s] && s_axis_port_tvalid[s]) begin
                    in_tdata  = s_axis_port_tdata[DW*s +: DW];
                    in_tkeep  = s_axis_port_tkeep[KW*s +: KW];
                    in_tvalid = 1'b1;
                    in_tlast  = s_axis_port_tlast[s];
                    in_tdest  = s[TW-1:0];
                end
            end
        end
`ifdef VERILATOR
        // two sources with a beat in one clock: the build's core does not fit SHARED_FIFO
        integer nvalid, v;
        always @* begin
            nvalid = s_axis_cpu_tvalid ? 1 : 0;
            for (v = 0; v < N_PORTS; v = v + 1) begin
                if (HOST_PORTS[v] && s_axis_port_tvalid[v]) nvalid = nvalid + 1;
            end
        end
        always @(posedge clk) begin
            if (!rst && nvalid > 1) begin
                $display("lr_link: SHARED_FIFO, but %0d streams carry a beat in one clock", nvalid);
                $stop;
            end
        end
`endif

        wire [7:0]    q_tdata;
        wire          q_tvalid, q_tlast, q_drop;
        wire [TW-1:0] q_tdest, q_drop_tag;
        reg           q_tready;
        integer r;
        always @* begin
            q_tready = punt_tready && (q_tdest == PUNT_TAG);
            for (r = 0; r < N_PORTS; r = r + 1) begin
                if (q_tdest == r[TW-1:0]) q_tready = port_tready[r];
            end
        end

        lr_link_fifo #(
            .DATA_WIDTH  (DATA_WIDTH),
            .KEEP_WIDTH  (KEEP_WIDTH),
            .FIFO_BYTES  (PUNT_FIFO_BYTES),
            .TAG_WIDTH   (TW),
            .SINGLE_PORT (1)
        ) u_frame_fifo (
            .clk           (clk),
            .rst           (rst),
            .s_axis_tdata  (in_tdata),
            .s_axis_tkeep  (in_tkeep),
            .s_axis_tvalid (in_tvalid),
            .s_axis_tlast  (in_tlast),
            .s_axis_tdest  (in_tdest),
            .m_axis_tdata  (q_tdata),
            .m_axis_tvalid (q_tvalid),
            .m_axis_tready (q_tready),
            .m_axis_tlast  (q_tlast),
            .m_axis_tdest  (q_tdest),
            .stat_drop     (q_drop),
            .stat_drop_tag (q_drop_tag),
            .stat_empty    (punt_empty)
        );

        assign punt_tdata   = q_tdata;
        assign punt_tvalid  = q_tvalid && (q_tdest == PUNT_TAG);
        assign punt_tlast   = q_tlast;
        assign ev_punt_drop = q_drop && (q_drop_tag == PUNT_TAG);
        genvar gq;
        for (gq = 0; gq < N_PORTS; gq = gq + 1) begin : g_port
            localparam [31:0] GQ_W = gq;
            assign port_tdata[8*gq +: 8] = q_tdata;
            assign port_tvalid[gq]       = q_tvalid && (q_tdest == GQ_W[TW-1:0]);
            assign port_tlast[gq]        = q_tlast;
            assign port_drop[gq]         = q_drop && (q_drop_tag == GQ_W[TW-1:0]);
            assign port_empty[gq]        = 1'b1;
        end
    end else begin : g_separate
    wire unused_punt_tag, unused_punt_drop_tag;   // one source per FIFO: no tags

    lr_link_fifo #(
        .DATA_WIDTH (DATA_WIDTH),
        .KEEP_WIDTH (KEEP_WIDTH),
        .FIFO_BYTES (PUNT_FIFO_BYTES)
    ) u_punt_fifo (
        .clk           (clk),
        .rst           (rst),
        .s_axis_tdata  (s_axis_cpu_tdata),
        .s_axis_tkeep  (s_axis_cpu_tkeep),
        .s_axis_tvalid (s_axis_cpu_tvalid),
        .s_axis_tlast  (s_axis_cpu_tlast),
        .s_axis_tdest  (1'b0),
        .m_axis_tdata  (punt_tdata),
        .m_axis_tvalid (punt_tvalid),
        .m_axis_tready (punt_tready),
        .m_axis_tlast  (punt_tlast),
        .m_axis_tdest  (unused_punt_tag),
        .stat_drop     (ev_punt_drop),
        .stat_drop_tag (unused_punt_drop_tag),
        .stat_empty    (punt_empty)
    );

    genvar gp;
        for (gp = 0; gp < N_PORTS; gp = gp + 1) begin : g_port_fifo
            if (HOST_PORTS[gp]) begin : g_fifo
                wire unused_tag, unused_drop_tag;
                lr_link_fifo #(
                    .DATA_WIDTH (DATA_WIDTH),
                    .KEEP_WIDTH (KEEP_WIDTH),
                    .FIFO_BYTES (PORT_FIFO_BYTES)
                ) u_port_fifo (
                    .clk           (clk),
                    .rst           (rst),
                    .s_axis_tdata  (s_axis_port_tdata[DW*gp +: DW]),
                    .s_axis_tkeep  (s_axis_port_tkeep[KW*gp +: KW]),
                    .s_axis_tvalid (s_axis_port_tvalid[gp]),
                    .s_axis_tlast  (s_axis_port_tlast[gp]),
                    .s_axis_tdest  (1'b0),
                    .m_axis_tdata  (port_tdata[8*gp +: 8]),
                    .m_axis_tvalid (port_tvalid[gp]),
                    .m_axis_tready (port_tready[gp]),
                    .m_axis_tlast  (port_tlast[gp]),
                    .m_axis_tdest  (unused_tag),
                    .stat_drop     (port_drop[gp]),
                    .stat_drop_tag (unused_drop_tag),
                    .stat_empty    (port_empty[gp])
                );
            end else begin : g_none
                // a port that never goes to the host: no FIFO (its valid is tied low by the caller)
                wire unused_port = &{1'b0, s_axis_port_tdata[DW*gp +: DW], s_axis_port_tkeep[KW*gp +: KW],
                                     s_axis_port_tvalid[gp], s_axis_port_tlast[gp], port_tready[gp]};
                assign port_tdata[8*gp +: 8] = 8'd0;
                assign port_tvalid[gp]       = 1'b0;
                assign port_tlast[gp]        = 1'b0;
                assign port_drop[gp]         = 1'b0;
                assign port_empty[gp]        = 1'b1;
            end
        end
    end
    endgenerate

    // ---------------------------------------------------------------- transmit
    wire [7:0] raw_tdata;
    wire       raw_tvalid, raw_tready, raw_tlast;
    wire       ev_tx_frame, ev_punt_frame, ev_port_frame, tx_idle, enc_idle;

    lr_link_tx #(
        .N_PORTS (N_PORTS)
    ) u_tx (
        .clk             (clk),
        .rst             (rst),
        .s_ans_tdata     (ans_tdata),
        .s_ans_tvalid    (ans_tvalid),
        .s_ans_tready    (ans_tready),
        .s_ans_tlast     (ans_tlast),
        .s_ans_type      (ans_type),
        .s_ans_seq       (ans_seq),
        .ans_sent        (ans_sent),
        .s_punt_tdata    (punt_tdata),
        .s_punt_tvalid   (punt_tvalid),
        .s_punt_tready   (punt_tready),
        .s_punt_tlast    (punt_tlast),
        .s_port_tdata    (port_tdata),
        .s_port_tvalid   (port_tvalid),
        .s_port_tready   (port_tready),
        .s_port_tlast    (port_tlast),
        .m_tdata         (raw_tdata),
        .m_tvalid        (raw_tvalid),
        .m_tready        (raw_tready),
        .m_tlast         (raw_tlast),
        .stat_tx_frame   (ev_tx_frame),
        .stat_punt_frame (ev_punt_frame),
        .stat_port_frame (ev_port_frame),
        .stat_idle       (tx_idle)
    );

    lr_cobs_encode u_encode (
        .clk       (clk),
        .rst       (rst),
        .s_tdata   (raw_tdata),
        .s_tvalid  (raw_tvalid),
        .s_tready  (raw_tready),
        .s_tlast   (raw_tlast),
        .m_tdata   (m_tx_data),
        .m_tvalid  (m_tx_valid),
        .m_tready  (m_tx_ready),
        .stat_idle (enc_idle)
    );

    assign stat_idle = ex_idle && tx_idle && enc_idle && punt_empty && (&port_empty);

    // ---------------------------------------------------------------- link registers
    // The 11 counters are one block RAM (lr_counter_ram). An event adds to its counter's pending
    // count; a scan visits the counters in turn and hands a non-zero pending count to the RAM as
    // one read-modify-write (two clocks), so no count waits more than 2*11 clocks. While a count
    // is pending (or the RAM is being cleared after reset) the request executor's bus waits as it
    // does for csr_wait, so a link register read sees every event before it. A read answers one
    // clock later; an address of no register reads 0.
    localparam NC = LR_LINK_NREGS;
    localparam PW = CW + 3;    // pending bits: a counter's events in 2*NC clocks, at most
                               // N_PORTS port drops per 8 clocks (a 64-byte frame of 8 beats)
    // counter c is the register at 0xF000 + 4c (the 11 registers are 0xF000.. in a row)
    localparam [3:0]   C_RX_FRAMES     = LR_LINK_REG_RX_FRAMES[5:2];
    localparam [3:0]   C_RX_BAD        = LR_LINK_REG_RX_BAD[5:2];
    localparam [3:0]   C_RX_OVERRUN    = LR_LINK_REG_RX_OVERRUN[5:2];
    localparam [3:0]   C_RX_DUP        = LR_LINK_REG_RX_DUP[5:2];
    localparam [3:0]   C_UART_ERRORS   = LR_LINK_REG_UART_ERRORS[5:2];
    localparam [3:0]   C_PUNT_FRAMES   = LR_LINK_REG_PUNT_FRAMES[5:2];
    localparam [3:0]   C_PUNT_DROPPED  = LR_LINK_REG_PUNT_DROPPED[5:2];
    localparam [3:0]   C_PORT_FRAMES   = LR_LINK_REG_PORT_FRAMES[5:2];
    localparam [3:0]   C_PORT_DROPPED  = LR_LINK_REG_PORT_DROPPED[5:2];
    localparam [3:0]   C_INJECT_FRAMES = LR_LINK_REG_INJECT_FRAMES[5:2];
    localparam [3:0]   C_TX_FRAMES     = LR_LINK_REG_TX_FRAMES[5:2];
    localparam [31:0]  NC_W            = NC;
    localparam [3:0]   C_LAST          = NC_W[3:0] - 4'd1;

    // port frames dropped this clock
    reg [CW-1:0] port_drops;
    integer i;
    always @* begin
        port_drops = {CW{1'b0}};
        for (i = 0; i < N_PORTS; i = i + 1) begin
            if (port_drop[i]) begin
                port_drops = port_drops + 1'b1;
            end
        end
    end

    // this clock's events, per counter (port_dropped: port_drops)
    reg [NC-1:0] ev_one;
    always @* begin
        ev_one                  = {NC{1'b0}};
        ev_one[C_RX_FRAMES]     = ev_rx_frame;
        ev_one[C_RX_BAD]        = ev_rx_bad;
        ev_one[C_RX_OVERRUN]    = ev_rx_overrun;
        ev_one[C_RX_DUP]        = ev_dup;
        ev_one[C_UART_ERRORS]   = s_rx_valid && s_rx_err;
        ev_one[C_PUNT_FRAMES]   = ev_punt_frame;
        ev_one[C_PUNT_DROPPED]  = ev_punt_drop;
        ev_one[C_PORT_FRAMES]   = ev_port_frame;
        ev_one[C_INJECT_FRAMES] = ev_inject;
        ev_one[C_TX_FRAMES]     = ev_tx_frame;
    end
    function [PW-1:0] ev_count(input [3:0] c);
        begin
            if (c == C_PORT_DROPPED) ev_count = {{(PW-CW){1'b0}}, port_drops};
            else                     ev_count = {{(PW-1){1'b0}}, ev_one[c]};
        end
    endfunction

    reg  [NC*PW-1:0] pend_q;     // counter c's pending count at [PW*c +: PW]
    reg  [3:0]       scan_q;
    wire             cnt_take, cnt_clearing, cnt_ram_idle;
    wire [31:0]      cnt_rdata;
    wire [PW-1:0]    scan_pend = pend_q[PW*scan_q +: PW];
    wire             scan_has  = (scan_pend != {PW{1'b0}});
    wire             any_pend  = |pend_q;
    integer c;

    always @(posedge clk) begin
        if (rst) begin
            pend_q <= {(NC*PW){1'b0}};
            scan_q <= 4'd0;
        end else begin
            for (c = 0; c < NC; c = c + 1) begin
                // a count handed to the RAM leaves; this clock's events join
                if (cnt_take && scan_q == c[3:0]) pend_q[PW*c +: PW] <= ev_count(c[3:0]);
                else                              pend_q[PW*c +: PW] <= pend_q[PW*c +: PW] + ev_count(c[3:0]);
            end
            if (cnt_take || (!scan_has && !cnt_clearing)) begin
                scan_q <= (scan_q == C_LAST) ? 4'd0 : scan_q + 4'd1;
            end
        end
    end
`ifdef VERILATOR
    always @(posedge clk) begin
        for (c = 0; c < NC; c = c + 1) begin
            if (!rst && {1'b0, pend_q[PW*c +: PW]} + {1'b0, ev_count(c[3:0])} > {1'b0, {PW{1'b1}}}) begin
                $display("lr_link: link counter %0d: more events than its pending count holds", c);
                $stop;
            end
        end
    end
`endif

    lr_counter_ram #(
        .NCNT (NC)
    ) u_counters (
        .clk                (clk),
        .rst                (rst),
        .cfg_counters_clear (1'b0),
        .ev_valid           (scan_has),
        .ev_index           ({4'd0, scan_q}),
        .ev_delta           ({{(16-PW){1'b0}}, scan_pend}),
        .ev_ready           (cnt_take),
        .busy               (cnt_clearing),
        .idle               (cnt_ram_idle),
        .cnt_re             (lreg_re),
        .cnt_index          ({8'd0, lreg_addr[7:2]}),
        .cnt_rdata          (cnt_rdata)
    );

    assign cnt_wait = any_pend || !cnt_ram_idle;

    reg lreg_ok_q;   // the address read is a counter's
    always @(posedge clk) begin
        if (lreg_re) begin
            lreg_ok_q <= (lreg_addr[1:0] == 2'd0) && (lreg_addr[7:2] <= {2'b00, C_LAST});
        end
    end
    assign lreg_rdata = lreg_ok_q ? cnt_rdata : 32'd0;

endmodule

`default_nettype wire
