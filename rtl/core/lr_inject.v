// lr_inject: CPU inject path; strips the 8-byte inject header and steers the frame to its port.
`default_nettype none

// Inject header: byte 0 = version (not checked), byte 1 = egress port, bytes 2-7 = 0. The frame
// behind it (without FCS) goes to that port's lr_out_mux (tdest); lr_fcs_insert pads it and appends
// the FCS. A frame for a port this build does not have, or with no byte after the header, is
// discarded and counted in inject_dropped. Every frame on the inject stream counts in inject_frames.
module lr_inject #(
    parameter N_PORTS    = 4,             // packet ports
    parameter DATA_WIDTH = 64,            // stream width in bits, power of two 8..128
    parameter KEEP_WIDTH = DATA_WIDTH/8   // byte enables
) (
    input  wire                  clk,
    input  wire                  rst,

    input  wire [DATA_WIDTH-1:0] s_axis_inject_tdata,
    input  wire [KEEP_WIDTH-1:0] s_axis_inject_tkeep,
    input  wire                  s_axis_inject_tvalid,
    output wire                  s_axis_inject_tready,
    input  wire                  s_axis_inject_tlast,

    output wire [DATA_WIDTH-1:0] m_axis_tdata,
    output wire [KEEP_WIDTH-1:0] m_axis_tkeep,
    output wire                  m_axis_tvalid,
    input  wire                  m_axis_tready,
    output wire                  m_axis_tlast,
    output wire [7:0]            m_axis_tdest,    // egress port (< N_PORTS)

    output wire [1:0]            stat_frames,     // frames ended this clock (inject_frames)
    output wire [1:0]            stat_dropped,    // of which discarded (inject_dropped)
    output wire                  stat_idle
);

    `include "lr_defs.vh"

    localparam OW = DATA_WIDTH + KEEP_WIDTH + 1 + 8;
    localparam IW = DATA_WIDTH + KEEP_WIDTH + 1;

    // input register slice
    wire [DATA_WIDTH-1:0] in_tdata;
    wire [KEEP_WIDTH-1:0] in_tkeep;
    wire                  in_tvalid;
    wire                  in_tready;
    wire                  in_tlast;
    wire                  in_empty;

    lr_skid #(
        .WIDTH (IW)
    ) u_in_skid (
        .clk        (clk),
        .rst        (rst),
        .s_data     ({s_axis_inject_tlast, s_axis_inject_tkeep, s_axis_inject_tdata}),
        .s_valid    (s_axis_inject_tvalid),
        .s_ready    (s_axis_inject_tready),
        .m_data     ({in_tlast, in_tkeep, in_tdata}),
        .m_valid    (in_tvalid),
        .m_ready    (in_tready),
        .stat_empty (in_empty)
    );

    wire [DATA_WIDTH-1:0]           st_tdata;
    wire [KEEP_WIDTH-1:0]           st_tkeep;
    wire                            st_tvalid;
    wire                            st_tready;
    wire                            st_tlast;
    wire [8*INJECT_HDR_BYTES-1:0]   st_hdr;
    wire                            st_short;
    wire                            st_busy;

    lr_axis_strip #(
        .DATA_WIDTH  (DATA_WIDTH),
        .KEEP_WIDTH  (KEEP_WIDTH),
        .STRIP_BYTES (INJECT_HDR_BYTES)
    ) u_strip (
        .clk           (clk),
        .rst           (rst),
        .s_axis_tdata  (in_tdata),
        .s_axis_tkeep  (in_tkeep),
        .s_axis_tvalid (in_tvalid),
        .s_axis_tready (in_tready),
        .s_axis_tlast  (in_tlast),
        .m_axis_tdata  (st_tdata),
        .m_axis_tkeep  (st_tkeep),
        .m_axis_tvalid (st_tvalid),
        .m_axis_tready (st_tready),
        .m_axis_tlast  (st_tlast),
        .m_hdr         (st_hdr),
        .stat_short    (st_short),
        .stat_busy     (st_busy)
    );

    wire [7:0] dest     = st_hdr[15:8];
    wire       bad_port = ({24'd0, dest} >= N_PORTS);
    wire       skid_ready;
    wire       skid_empty;

    assign st_tready = bad_port || skid_ready;

    wire st_end = st_tvalid && st_tready && st_tlast;

    wire [OW-1:0] m_word;

    lr_skid #(
        .WIDTH (OW)
    ) u_out_skid (
        .clk        (clk),
        .rst        (rst),
        .s_data     ({dest, st_tlast, st_tkeep, st_tdata}),
        .s_valid    (st_tvalid && !bad_port),
        .s_ready    (skid_ready),
        .m_data     (m_word),
        .m_valid    (m_axis_tvalid),
        .m_ready    (m_axis_tready),
        .stat_empty (skid_empty)
    );

    assign m_axis_tdata = m_word[DATA_WIDTH-1:0];
    assign m_axis_tkeep = m_word[DATA_WIDTH +: KEEP_WIDTH];
    assign m_axis_tlast = m_word[DATA_WIDTH + KEEP_WIDTH];
    assign m_axis_tdest = m_word[OW-1 -: 8];

    assign stat_frames  = {1'b0, st_short} + {1'b0, st_end};
    assign stat_dropped = {1'b0, st_short} + {1'b0, st_end && bad_port};
    assign stat_idle    = in_empty && !st_busy && !st_short && skid_empty;

    wire unused_hdr = ^{st_hdr[7:0], st_hdr[8*INJECT_HDR_BYTES-1:16]};

endmodule

`default_nettype wire
