// lr_router: the portable router every board (and the simulated board) uses: lr_core + lr_link + UART.
`default_nettype none

// rtl/link/README.md "lr_router". Per packet port p:
//   receive: external frames (s_axis_rx[p]) and frames the host injects into p's pipeline
//            (INJECT with the pipeline flag) merge frame by frame, round robin, into the core;
//   transmit: when cfg_link_ports[p] is set the port's frames go to the host as PORT_TX (through
//            the link's port FIFO; the core sees tready = 1 and m_axis_tx[p] stays idle),
//            otherwise they leave on m_axis_tx[p].
// The core's CPU stream (punts) goes to the host; the register bus and the inject stream are
// driven by the link's request executor. The UART runs at cfg_uart_div clocks per bit; a value
// below 4 selects the UART_DIV parameter instead (so a board may tie the input to 0). Both
// configuration inputs are registered: a change takes effect one clock later.
module lr_router #(
    parameter N_PORTS         = 4,              // packet ports (1..255)
    parameter SERIAL_CORE     = 0,              // 1: lr_core_serial instead of lr_core (DATA_WIDTH 8; rtl/serial)
    parameter DATA_WIDTH      = 64,             // stream width, power of two 8..128
    parameter KEEP_WIDTH      = DATA_WIDTH/8,   // byte enables
    parameter LPM_ENTRIES     = 1024,           // LPM (TCAM) entries
    parameter LPM_BRAM        = 0,              // 1: block-RAM TCAM (boards; writes take 260+ clocks)
    parameter COUNTERS_RAM    = 0,              // 1: counters in block RAM (boards; DATA_WIDTH <= 16)
    parameter RES_DEPTH       = 8,              // results queued per port (lookup credits), a power of two >= 2
    parameter ADJ_ENTRIES     = 256,            // adjacency rows
    parameter RADDR_ENTRIES   = 16,             // router addresses
    parameter MAX_FRAME_BYTES = 9600,           // longer frames (L) are dropped as giant
    parameter RX_FIFO_DEPTH   = 2048,           // beats of frame storage per ingress port
    parameter BUILD_ID        = 32'h0,          // build identity (register block)
    parameter BUILD_DATE      = 32'd0,          // build date, decimal YYYYMMDD (register block)
    parameter CLK_HZ          = 48000000,       // core clock the build assumes (reported by HELLO)
    parameter UART_DIV        = 16,             // clocks per UART bit when cfg_uart_div < 4 (4..65535)
    parameter RX_BUF_BYTES    = 16384,          // longest request frame the link takes
    parameter RESP_BUF_BYTES  = 2048,           // longest answer payload
    parameter PUNT_FIFO_BYTES = 16384,          // punt FIFO bytes, a power of two
    parameter PORT_FIFO_BYTES = 16384,          // bytes of each port's FIFO toward the host, a power of two
    parameter SHARED_FIFO     = 0,              // 1: punts and port frames share one link FIFO of
                                                // PUNT_FIFO_BYTES (SERIAL_CORE only; rtl/link/lr_link.v)
    parameter [255:0] HOST_PORTS = {256{1'b1}}  // bit p: cfg_link_ports may send port p to the host
                                                // (a port without the bit has no FIFO in the link)
) (
    input  wire                          clk,
    input  wire                          rst,   // synchronous, active high

    // host link
    input  wire                          uart_rx,
    output wire                          uart_tx,

    // configuration
    input  wire [15:0]                   cfg_uart_div,     // clocks per UART bit (< 4: UART_DIV)
    input  wire [N_PORTS-1:0]            cfg_link_ports,   // bit p: port p's frames go to the host

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
    output wire [N_PORTS*8-1:0]          m_axis_tx_tuser,  // ingress port, 255 = injected

    // status
    output wire                          stat_idle         // nothing in flight, nothing to send
);

    localparam DW = DATA_WIDTH;
    localparam KW = KEEP_WIDTH;
    localparam [31:0] UART_DIV_W = UART_DIV;

    generate
        if (UART_DIV < 4 || UART_DIV > 65535) begin : g_bad_div
            $error("lr_router: UART_DIV must be 4..65535");
        end
        if (SHARED_FIFO != 0 && SERIAL_CORE == 0) begin : g_bad_shared
            $error("lr_router: SHARED_FIFO needs SERIAL_CORE (lr_core sends frames on several streams at once)");
        end
    endgenerate

    // configuration, registered (quasi-static; this also keeps the input pins out of the logic
    // that a simulator re-evaluates whenever an input changes)
    reg  [15:0]        uart_div_q;
    reg  [N_PORTS-1:0] link_ports_q;

    always @(posedge clk) begin
        uart_div_q   <= (cfg_uart_div < 16'd4) ? UART_DIV_W[15:0] : cfg_uart_div;
        link_ports_q <= cfg_link_ports & HOST_PORTS[N_PORTS-1:0];
    end

    wire [15:0] uart_div = uart_div_q;

    // ---------------------------------------------------------------- core
    wire [N_PORTS*DW-1:0] core_rx_tdata;
    wire [N_PORTS*KW-1:0] core_rx_tkeep;
    wire [N_PORTS-1:0]    core_rx_tvalid, core_rx_tready, core_rx_tlast;
    wire [N_PORTS-1:0]    core_tx_tvalid, core_tx_tready;
    wire [DW-1:0]         cpu_tdata;
    wire [KW-1:0]         cpu_tkeep;
    wire                  cpu_tvalid, cpu_tlast;
    wire [DW-1:0]         inject_tdata;
    wire [KW-1:0]         inject_tkeep;
    wire                  inject_tvalid, inject_tready, inject_tlast;
    wire [15:0]           csr_addr;
    wire [31:0]           csr_wdata, csr_rdata;
    wire                  csr_we, csr_re, csr_rvalid, csr_wait;
    wire                  core_idle;

    // SERIAL_CORE = 1: lr_core_serial, one frame at a time (the iCE40 boards: DATA_WIDTH 8)
    generate
        if (SERIAL_CORE != 0) begin : g_serial_core
        lr_core_serial #(
            .N_PORTS         (N_PORTS),
            .DATA_WIDTH      (DATA_WIDTH),
            .KEEP_WIDTH      (KEEP_WIDTH),
            .LPM_ENTRIES     (LPM_ENTRIES),
            .LPM_BRAM        (LPM_BRAM),
            .COUNTERS_RAM    (COUNTERS_RAM),
            .RES_DEPTH       (RES_DEPTH),
            .ADJ_ENTRIES     (ADJ_ENTRIES),
            .RADDR_ENTRIES   (RADDR_ENTRIES),
            .MAX_FRAME_BYTES (MAX_FRAME_BYTES),
            .RX_FIFO_DEPTH   (RX_FIFO_DEPTH),
            .BUILD_ID        (BUILD_ID),
            .BUILD_DATE      (BUILD_DATE)
        ) u_core (
            .clk                  (clk),
            .rst                  (rst),
            .s_axis_rx_tdata      (core_rx_tdata),
            .s_axis_rx_tkeep      (core_rx_tkeep),
            .s_axis_rx_tvalid     (core_rx_tvalid),
            .s_axis_rx_tready     (core_rx_tready),
            .s_axis_rx_tlast      (core_rx_tlast),
            .m_axis_tx_tdata      (m_axis_tx_tdata),
            .m_axis_tx_tkeep      (m_axis_tx_tkeep),
            .m_axis_tx_tvalid     (core_tx_tvalid),
            .m_axis_tx_tready     (core_tx_tready),
            .m_axis_tx_tlast      (m_axis_tx_tlast),
            .m_axis_tx_tuser      (m_axis_tx_tuser),
            .m_axis_cpu_tdata     (cpu_tdata),
            .m_axis_cpu_tkeep     (cpu_tkeep),
            .m_axis_cpu_tvalid    (cpu_tvalid),
            .m_axis_cpu_tready    (1'b1),
            .m_axis_cpu_tlast     (cpu_tlast),
            .s_axis_inject_tdata  (inject_tdata),
            .s_axis_inject_tkeep  (inject_tkeep),
            .s_axis_inject_tvalid (inject_tvalid),
            .s_axis_inject_tready (inject_tready),
            .s_axis_inject_tlast  (inject_tlast),
            .csr_addr             (csr_addr),
            .csr_wdata            (csr_wdata),
            .csr_we               (csr_we),
            .csr_re               (csr_re),
            .csr_rdata            (csr_rdata),
            .csr_rvalid           (csr_rvalid),
            .csr_wait             (csr_wait),
            .stat_idle            (core_idle)
        );
        end else begin : g_core
        lr_core #(
            .N_PORTS         (N_PORTS),
            .DATA_WIDTH      (DATA_WIDTH),
            .KEEP_WIDTH      (KEEP_WIDTH),
            .LPM_ENTRIES     (LPM_ENTRIES),
            .LPM_BRAM        (LPM_BRAM),
            .COUNTERS_RAM    (COUNTERS_RAM),
            .RES_DEPTH       (RES_DEPTH),
            .ADJ_ENTRIES     (ADJ_ENTRIES),
            .RADDR_ENTRIES   (RADDR_ENTRIES),
            .MAX_FRAME_BYTES (MAX_FRAME_BYTES),
            .RX_FIFO_DEPTH   (RX_FIFO_DEPTH),
            .BUILD_ID        (BUILD_ID),
            .BUILD_DATE      (BUILD_DATE)
        ) u_core (
            .clk                  (clk),
            .rst                  (rst),
            .s_axis_rx_tdata      (core_rx_tdata),
            .s_axis_rx_tkeep      (core_rx_tkeep),
            .s_axis_rx_tvalid     (core_rx_tvalid),
            .s_axis_rx_tready     (core_rx_tready),
            .s_axis_rx_tlast      (core_rx_tlast),
            .m_axis_tx_tdata      (m_axis_tx_tdata),
            .m_axis_tx_tkeep      (m_axis_tx_tkeep),
            .m_axis_tx_tvalid     (core_tx_tvalid),
            .m_axis_tx_tready     (core_tx_tready),
            .m_axis_tx_tlast      (m_axis_tx_tlast),
            .m_axis_tx_tuser      (m_axis_tx_tuser),
            .m_axis_cpu_tdata     (cpu_tdata),
            .m_axis_cpu_tkeep     (cpu_tkeep),
            .m_axis_cpu_tvalid    (cpu_tvalid),
            .m_axis_cpu_tready    (1'b1),
            .m_axis_cpu_tlast     (cpu_tlast),
            .s_axis_inject_tdata  (inject_tdata),
            .s_axis_inject_tkeep  (inject_tkeep),
            .s_axis_inject_tvalid (inject_tvalid),
            .s_axis_inject_tready (inject_tready),
            .s_axis_inject_tlast  (inject_tlast),
            .csr_addr             (csr_addr),
            .csr_wdata            (csr_wdata),
            .csr_we               (csr_we),
            .csr_re               (csr_re),
            .csr_rdata            (csr_rdata),
            .csr_rvalid           (csr_rvalid),
            .csr_wait             (csr_wait),
            .stat_idle            (core_idle)
        );
        end
    endgenerate

    // transmit steering
    assign m_axis_tx_tvalid = core_tx_tvalid & ~link_ports_q;
    assign core_tx_tready   = m_axis_tx_tready | link_ports_q;

    // ---------------------------------------------------------------- link and UART
    wire [7:0] urx_data, utx_data;
    wire       urx_valid, urx_err, urx_busy;
    wire       utx_valid, utx_ready, utx_busy;
    wire [DW-1:0] pinj_tdata;
    wire [KW-1:0] pinj_tkeep;
    wire          pinj_tvalid, pinj_tlast;
    wire [7:0]    pinj_tdest;
    wire [N_PORTS-1:0] pinj_taken;
    wire          link_idle, link_attached;
    wire          unused_status = urx_busy ^ link_attached;

    lr_uart_rx u_uart_rx (
        .clk            (clk),
        .rst            (rst),
        .rxd            (uart_rx),
        .cfg_uart_div   (uart_div),
        .m_data         (urx_data),
        .m_valid        (urx_valid),
        .stat_frame_err (urx_err),
        .stat_busy      (urx_busy)
    );

    lr_uart_tx u_uart_tx (
        .clk          (clk),
        .rst          (rst),
        .cfg_uart_div (uart_div),
        .s_data       (utx_data),
        .s_valid      (utx_valid),
        .s_ready      (utx_ready),
        .txd          (uart_tx),
        .stat_busy    (utx_busy)
    );

    lr_link #(
        .N_PORTS         (N_PORTS),
        .DATA_WIDTH      (DATA_WIDTH),
        .KEEP_WIDTH      (KEEP_WIDTH),
        .CLK_HZ          (CLK_HZ),
        .RX_BUF_BYTES    (RX_BUF_BYTES),
        .RESP_BUF_BYTES  (RESP_BUF_BYTES),
        .PUNT_FIFO_BYTES (PUNT_FIFO_BYTES),
        .SHARED_FIFO     (SHARED_FIFO),
        .PORT_FIFO_BYTES (PORT_FIFO_BYTES),
        .HOST_PORTS      (HOST_PORTS)
    ) u_link (
        .clk                  (clk),
        .rst                  (rst),
        .s_rx_data            (urx_data),
        .s_rx_valid           (urx_valid),
        .s_rx_err             (urx_err),
        .m_tx_data            (utx_data),
        .m_tx_valid           (utx_valid),
        .m_tx_ready           (utx_ready),
        .cfg_uart_div         (uart_div),
        .csr_addr             (csr_addr),
        .csr_wdata            (csr_wdata),
        .csr_we               (csr_we),
        .csr_re               (csr_re),
        .csr_rdata            (csr_rdata),
        .csr_rvalid           (csr_rvalid),
        .csr_wait             (csr_wait),
        .s_axis_cpu_tdata     (cpu_tdata),
        .s_axis_cpu_tkeep     (cpu_tkeep),
        .s_axis_cpu_tvalid    (cpu_tvalid),
        .s_axis_cpu_tlast     (cpu_tlast),
        .m_axis_inject_tdata  (inject_tdata),
        .m_axis_inject_tkeep  (inject_tkeep),
        .m_axis_inject_tvalid (inject_tvalid),
        .m_axis_inject_tready (inject_tready),
        .m_axis_inject_tlast  (inject_tlast),
        .m_axis_pinj_tdata    (pinj_tdata),
        .m_axis_pinj_tkeep    (pinj_tkeep),
        .m_axis_pinj_tvalid   (pinj_tvalid),
        .m_axis_pinj_tready   (|pinj_taken),
        .m_axis_pinj_tlast    (pinj_tlast),
        .m_axis_pinj_tdest    (pinj_tdest),
        .s_axis_port_tdata    (m_axis_tx_tdata),
        .s_axis_port_tkeep    (m_axis_tx_tkeep),
        .s_axis_port_tvalid   (core_tx_tvalid & link_ports_q),
        .s_axis_port_tlast    (m_axis_tx_tlast),
        .stat_attached        (link_attached),
        .stat_idle            (link_idle)
    );

    // ---------------------------------------------------------------- per-port receive merge
    // External frames and pipeline injects for port p, whole frames, round robin. The choice is
    // held from a frame's first beat to its last.
    genvar gp;
    generate
        for (gp = 0; gp < N_PORTS; gp = gp + 1) begin : g_merge
            reg  busy_q, busy_d;    // inside a frame
            reg  sel_q, sel_d;      // its source: 0 external, 1 inject
            reg  prio_q, prio_d;    // source preferred at the next frame start when both wait
            wire ext_v  = s_axis_rx_tvalid[gp];
            wire inj_v  = pinj_tvalid && (pinj_tdest == gp);
            wire pick   = busy_q ? sel_q : ((ext_v && inj_v) ? prio_q : inj_v);
            wire beat   = core_rx_tvalid[gp] && core_rx_tready[gp];

            assign core_rx_tdata[DW*gp +: DW] = pick ? pinj_tdata : s_axis_rx_tdata[DW*gp +: DW];
            assign core_rx_tkeep[KW*gp +: KW] = pick ? pinj_tkeep : s_axis_rx_tkeep[KW*gp +: KW];
            assign core_rx_tvalid[gp]         = pick ? inj_v : ext_v;
            assign core_rx_tlast[gp]          = pick ? pinj_tlast : s_axis_rx_tlast[gp];
            assign s_axis_rx_tready[gp]       = !pick && core_rx_tready[gp];
            assign pinj_taken[gp]             = pick && inj_v && core_rx_tready[gp];

            always @* begin
                busy_d = busy_q;
                sel_d  = sel_q;
                prio_d = prio_q;
                if (beat) begin
                    sel_d = pick;
                    if (core_rx_tlast[gp]) begin
                        busy_d = 1'b0;
                        prio_d = !pick;
                    end else begin
                        busy_d = 1'b1;
                    end
                end
            end

            always @(posedge clk) begin
                if (rst) begin
                    busy_q <= 1'b0;
                    sel_q  <= 1'b0;
                    prio_q <= 1'b0;
                end else begin
                    busy_q <= busy_d;
                    sel_q  <= sel_d;
                    prio_q <= prio_d;
                end
            end
        end
    endgenerate

    assign stat_idle = core_idle && link_idle && !utx_busy;

endmodule

`default_nettype wire
