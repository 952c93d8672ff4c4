// lr_router_link: lr_router with every packet port carried over the host link (boards without PHYs).
`default_nettype none

// The boards' router when they have no Ethernet: frames leave every port as PORT_TX and enter a
// port's pipeline with INJECT, so the host bridges each port (to a TAP device, a pcap). The
// UART runs at UART_DIV clocks per bit. stat_idle: nothing in flight, nothing to send.
module lr_router_link #(
    parameter N_PORTS         = 2,          // packet ports (1..255)
    parameter SERIAL_CORE     = 0,          // 1: lr_core_serial instead of lr_core (DATA_WIDTH 8)
    parameter DATA_WIDTH      = 8,          // stream width, power of two 8..128
    parameter LPM_BRAM        = 1,          // 1: block-RAM TCAM
    parameter COUNTERS_RAM    = 1,          // 1: counters in block RAM
    parameter RES_DEPTH       = 2,          // results queued per port (lookup credits), a power of two >= 2
    parameter LPM_ENTRIES     = 32,         // LPM (TCAM) entries
    parameter ADJ_ENTRIES     = 16,         // adjacency rows
    parameter RADDR_ENTRIES   = 4,          // router addresses
    parameter MAX_FRAME_BYTES = 1536,       // longer frames are dropped as giant
    parameter RX_FIFO_DEPTH   = 2048,       // beats of frame storage per ingress port
    parameter BUILD_ID        = 32'h0,      // build identity
    parameter BUILD_DATE      = 32'd0,      // build date, decimal YYYYMMDD
    parameter CLK_HZ          = 24000000,   // core clock
    parameter UART_DIV        = 8,          // clocks per UART bit (4..65535)
    parameter RX_BUF_BYTES    = 2048,       // longest request frame the link takes
    parameter RESP_BUF_BYTES  = 512,        // longest answer payload
    parameter PUNT_FIFO_BYTES = 2048,       // punt FIFO bytes, a power of two
    parameter PORT_FIFO_BYTES = 2048,       // bytes of each port's FIFO toward the host
    parameter SHARED_FIFO     = 0           // 1: punts and port frames in one link FIFO (lr_router)
) (
    input  wire clk,
    input  wire rst,            // synchronous, active high

    // host link
    input  wire uart_rx,
    output wire uart_tx,

    // status
    output wire stat_idle
);

    localparam KW = DATA_WIDTH / 8;

    wire [N_PORTS*DATA_WIDTH-1:0] tx_tdata;
    wire [N_PORTS*KW-1:0]         tx_tkeep;
    wire [N_PORTS-1:0]            tx_tvalid, tx_tlast, rx_tready;
    wire [N_PORTS*8-1:0]          tx_tuser;

    lr_router #(
        .N_PORTS         (N_PORTS),
        .SERIAL_CORE     (SERIAL_CORE),
        .DATA_WIDTH      (DATA_WIDTH),
        .LPM_BRAM        (LPM_BRAM),
        .COUNTERS_RAM    (COUNTERS_RAM),
        .RES_DEPTH       (RES_DEPTH),
        .LPM_ENTRIES     (LPM_ENTRIES),
        .ADJ_ENTRIES     (ADJ_ENTRIES),
        .RADDR_ENTRIES   (RADDR_ENTRIES),
        .MAX_FRAME_BYTES (MAX_FRAME_BYTES),
        .RX_FIFO_DEPTH   (RX_FIFO_DEPTH),
        .BUILD_ID        (BUILD_ID),
        .BUILD_DATE      (BUILD_DATE),
        .CLK_HZ          (CLK_HZ),
        .UART_DIV        (UART_DIV),
        .RX_BUF_BYTES    (RX_BUF_BYTES),
        .RESP_BUF_BYTES  (RESP_BUF_BYTES),
        .PUNT_FIFO_BYTES (PUNT_FIFO_BYTES),
        .PORT_FIFO_BYTES (PORT_FIFO_BYTES),
        .SHARED_FIFO     (SHARED_FIFO)
    ) u_router (
        .clk              (clk),
        .rst              (rst),
        .uart_rx          (uart_rx),
        .uart_tx          (uart_tx),
        .cfg_uart_div     (16'd0),
        .cfg_link_ports   ({N_PORTS{1'b1}}),
        .s_axis_rx_tdata  ({(N_PORTS*DATA_WIDTH){1'b0}}),
        .s_axis_rx_tkeep  ({(N_PORTS*KW){1'b0}}),
        .s_axis_rx_tvalid ({N_PORTS{1'b0}}),
        .s_axis_rx_tready (rx_tready),
        .s_axis_rx_tlast  ({N_PORTS{1'b0}}),
        .m_axis_tx_tdata  (tx_tdata),
        .m_axis_tx_tkeep  (tx_tkeep),
        .m_axis_tx_tvalid (tx_tvalid),
        .m_axis_tx_tready ({N_PORTS{1'b1}}),
        .m_axis_tx_tlast  (tx_tlast),
        .m_axis_tx_tuser  (tx_tuser),
        .stat_idle        (stat_idle)
    );

    // link ports: the core sees tready = 1 and the stream outputs stay idle
    wire unused_tx = ^{tx_tdata, tx_tkeep, tx_tvalid, tx_tlast, tx_tuser, rx_tready};

endmodule

`default_nettype wire
