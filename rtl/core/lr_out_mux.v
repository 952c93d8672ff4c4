// lr_out_mux: whole-frame round-robin multiplexer of N_IN streams into one (per output, and CPU).
`default_nettype none

// Between frames the grant is combinational, so a frame's first beat follows the previous frame's
// last beat in the next clock (no bubble). Once a frame has started, its input keeps the grant until
// its last beat; the round robin then moves past it. Frames from one input keep their order. The
// output is registered (lr_skid) unless OUT_REG = 0, for a consumer whose tready is registered
// anyway; tuser travels with every beat.
module lr_out_mux #(
    parameter N_IN       = 5,             // inputs
    parameter DATA_WIDTH = 64,            // stream width in bits
    parameter KEEP_WIDTH = DATA_WIDTH/8,  // byte enables
    parameter USER_WIDTH = 8,             // tuser bits
    parameter OUT_REG    = 1              // 1: registered output (lr_skid); 0: combinational
) (
    input  wire                             clk,
    input  wire                             rst,

    // inputs (input i at [i*width +: width])
    input  wire [N_IN*DATA_WIDTH-1:0]       s_axis_tdata,
    input  wire [N_IN*KEEP_WIDTH-1:0]       s_axis_tkeep,
    input  wire [N_IN-1:0]                  s_axis_tvalid,
    output wire [N_IN-1:0]                  s_axis_tready,
    input  wire [N_IN-1:0]                  s_axis_tlast,
    input  wire [N_IN*USER_WIDTH-1:0]       s_axis_tuser,

    // output
    output wire [DATA_WIDTH-1:0]            m_axis_tdata,
    output wire [KEEP_WIDTH-1:0]            m_axis_tkeep,
    output wire                             m_axis_tvalid,
    input  wire                             m_axis_tready,
    output wire                             m_axis_tlast,
    output wire [USER_WIDTH-1:0]            m_axis_tuser,

    output wire                             stat_idle
);

    localparam IW = (N_IN > 1) ? $clog2(N_IN) : 1;
    localparam OW = DATA_WIDTH + KEEP_WIDTH + 1 + USER_WIDTH;

    generate
        if (N_IN < 1) begin : g_bad_param
            $error("lr_out_mux: N_IN must be >= 1");
        end
    endgenerate

    reg           lock_q, lock_d;     // inside a frame of input sel_q
    reg  [IW-1:0] sel_q, sel_d;

    wire [N_IN-1:0] grant;
    wire [IW-1:0]   grant_index;
    wire            grant_valid;
    wire            out_ready;

    wire [IW-1:0] sel   = lock_q ? sel_q : grant_index;
    wire          valid = lock_q ? s_axis_tvalid[sel_q] : grant_valid;
    wire          last  = s_axis_tlast[sel];
    wire          xfer  = valid && out_ready;

    lr_rr_arbiter #(
        .N (N_IN)
    ) u_arb (
        .clk         (clk),
        .rst         (rst),
        .req         (s_axis_tvalid),
        .advance     (!lock_q && xfer),    // a frame starts: the next search begins after it
        .grant       (grant),
        .grant_index (grant_index),
        .grant_valid (grant_valid)
    );

    genvar gi;
    generate
        for (gi = 0; gi < N_IN; gi = gi + 1) begin : g_ready
            assign s_axis_tready[gi] = out_ready && (sel == gi) && (lock_q || grant[gi]);
        end
    endgenerate

    always @* begin
        lock_d = lock_q;
        sel_d  = sel_q;
        if (xfer) begin
            lock_d = !last;
            sel_d  = sel;
        end
    end

    always @(posedge clk) begin
        if (rst) begin
            lock_q <= 1'b0;
            sel_q  <= {IW{1'b0}};
        end else begin
            lock_q <= lock_d;
            sel_q  <= sel_d;
        end
    end

    wire [OW-1:0] o_word = {s_axis_tuser[USER_WIDTH*sel +: USER_WIDTH], last,
                            s_axis_tkeep[KEEP_WIDTH*sel +: KEEP_WIDTH],
                            s_axis_tdata[DATA_WIDTH*sel +: DATA_WIDTH]};
    wire [OW-1:0] m_word;
    wire          skid_empty;

    generate
        if (OUT_REG != 0) begin : g_out_reg
            lr_skid #(
                .WIDTH (OW)
            ) u_out_skid (
                .clk        (clk),
                .rst        (rst),
                .s_data     (o_word),
                .s_valid    (valid),
                .s_ready    (out_ready),
                .m_data     (m_word),
                .m_valid    (m_axis_tvalid),
                .m_ready    (m_axis_tready),
                .stat_empty (skid_empty)
            );
        end else begin : g_out_comb
            assign m_word        = o_word;
            assign m_axis_tvalid = valid;
            assign out_ready     = m_axis_tready;
            assign skid_empty    = 1'b1;
        end
    endgenerate

    assign m_axis_tdata = m_word[DATA_WIDTH-1:0];
    assign m_axis_tkeep = m_word[DATA_WIDTH +: KEEP_WIDTH];
    assign m_axis_tlast = m_word[DATA_WIDTH + KEEP_WIDTH];
    assign m_axis_tuser = m_word[OW-1 -: USER_WIDTH];

    assign stat_idle = !lock_q && skid_empty;

endmodule

`default_nettype wire
