// lr_cpu_mux: CPU queue; whole punted frames from all ports, stamps the punt header's sequence number.
`default_nettype none

// lr_out_mux merges the rewrite units' punt streams frame by frame; the sequence number (punt header
// bytes 0-3, big-endian) is written into each frame as it leaves, so seq increases by one per frame
// in CPU-stream order starting from 0 after reset.
module lr_cpu_mux #(
    parameter N_PORTS    = 4,             // punt sources (rewrite units)
    parameter DATA_WIDTH = 64,            // stream width in bits, power of two 8..128
    parameter KEEP_WIDTH = DATA_WIDTH/8   // byte enables
) (
    input  wire                          clk,
    input  wire                          rst,

    input  wire [N_PORTS*DATA_WIDTH-1:0] s_axis_tdata,
    input  wire [N_PORTS*KEEP_WIDTH-1:0] s_axis_tkeep,
    input  wire [N_PORTS-1:0]            s_axis_tvalid,
    output wire [N_PORTS-1:0]            s_axis_tready,
    input  wire [N_PORTS-1:0]            s_axis_tlast,

    output reg  [DATA_WIDTH-1:0]         m_axis_cpu_tdata,
    output wire [KEEP_WIDTH-1:0]         m_axis_cpu_tkeep,
    output wire                          m_axis_cpu_tvalid,
    input  wire                          m_axis_cpu_tready,
    output wire                          m_axis_cpu_tlast,

    output wire                          stat_idle
);

    localparam K       = KEEP_WIDTH;
    localparam       SEQ_BEATS = (K >= 4) ? 1 : 4 / K;   // beats holding the 4 seq bytes
    localparam [2:0] SEQ_BTS   = SEQ_BEATS[2:0];

    wire [DATA_WIDTH-1:0] mux_tdata;
    wire                  mux_idle;
    wire                  unused_tuser;

    lr_out_mux #(
        .N_IN       (N_PORTS),
        .DATA_WIDTH (DATA_WIDTH),
        .KEEP_WIDTH (KEEP_WIDTH),
        .USER_WIDTH (1),
        .OUT_REG    (1)
    ) u_mux (
        .clk           (clk),
        .rst           (rst),
        .s_axis_tdata  (s_axis_tdata),
        .s_axis_tkeep  (s_axis_tkeep),
        .s_axis_tvalid (s_axis_tvalid),
        .s_axis_tready (s_axis_tready),
        .s_axis_tlast  (s_axis_tlast),
        .s_axis_tuser  ({N_PORTS{1'b0}}),
        .m_axis_tdata  (mux_tdata),
        .m_axis_tkeep  (m_axis_cpu_tkeep),
        .m_axis_tvalid (m_axis_cpu_tvalid),
        .m_axis_tready (m_axis_cpu_tready),
        .m_axis_tlast  (m_axis_cpu_tlast),
        .m_axis_tuser  (unused_tuser),
        .stat_idle     (mux_idle)
    );

    reg [31:0] seq_q, seq_d;
    reg [2:0]  beat_q, beat_d;   // beat index in the frame, saturates at SEQ_BTS

    wire xfer = m_axis_cpu_tvalid && m_axis_cpu_tready;

    // seq bytes in stream order: byte 0 (seq[31:24]) at [7:0]
    wire [31:0] seq_be = {seq_q[7:0], seq_q[15:8], seq_q[23:16], seq_q[31:24]};

    generate
        if (K >= 4) begin : g_wide
            always @* begin
                m_axis_cpu_tdata = mux_tdata;
                if (beat_q == 3'd0) begin
                    m_axis_cpu_tdata[31:0] = seq_be;
                end
            end
        end else begin : g_narrow
            always @* begin
                m_axis_cpu_tdata = mux_tdata;
                if (beat_q < SEQ_BTS) begin
                    m_axis_cpu_tdata = seq_be[DATA_WIDTH*beat_q +: DATA_WIDTH];
                end
            end
        end
    endgenerate

    always @* begin
        seq_d  = seq_q;
        beat_d = beat_q;
        if (xfer) begin
            if (m_axis_cpu_tlast) begin
                seq_d  = seq_q + 32'd1;
                beat_d = 3'd0;
            end else if (beat_q < SEQ_BTS) begin
                beat_d = beat_q + 3'd1;
            end
        end
    end

    always @(posedge clk) begin
        if (rst) begin
            seq_q  <= 32'd0;
            beat_q <= 3'd0;
        end else begin
            seq_q  <= seq_d;
            beat_q <= beat_d;
        end
    end

    assign stat_idle = mux_idle;

endmodule

`default_nettype wire
