// lr_eth_stat_cdc: counts single-clock events of one clock domain into a counter of another.
`default_nettype none

// The source counts events in a small binary counter and publishes it Gray-coded from a register;
// the destination synchronises it through two flip-flops and adds the difference to the last value
// it saw into its own counter. Because the source counter steps by one per clock, the destination
// always reads an old or a new value, never a mix. The destination must sample at least once per
// 15 events: any clk faster than src_clk / 15 (for a MAC's drops, far slower still).
module lr_eth_stat_cdc #(
    parameter STAT_WIDTH = 32       // destination counter width (wraps)
) (
    input  wire                  clk,        // destination clock
    input  wire                  rst,        // synchronous to clk
    input  wire                  src_clk,
    input  wire                  src_rst,    // synchronous to src_clk, asserted with rst

    input  wire                  src_event,  // one event per src_clk while high
    output wire [STAT_WIDTH-1:0] stat_count  // events so far (clk)
);

    localparam CW = 4;

    // source side
    reg [CW-1:0] cnt_q, cnt_d;
    reg [CW-1:0] gray_q;

    always @* begin
        cnt_d = cnt_q + {{(CW-1){1'b0}}, src_event};
    end

    always @(posedge src_clk) begin
        if (src_rst) begin
            cnt_q  <= {CW{1'b0}};
            gray_q <= {CW{1'b0}};
        end else begin
            cnt_q  <= cnt_d;
            gray_q <= cnt_d ^ (cnt_d >> 1);
        end
    end

    // destination side
    reg [CW-1:0]         gray_sync_q, gray_sync_q2;
    reg [CW-1:0]         seen_q, seen_d;
    reg [STAT_WIDTH-1:0] count_q, count_d;
    reg [CW-1:0]         bin;
    integer              i;

    always @* begin
        for (i = 0; i < CW; i = i + 1) begin
            bin[i] = ^(gray_sync_q2 >> i);
        end
        seen_d  = bin;
        count_d = count_q + {{(STAT_WIDTH-CW){1'b0}}, bin - seen_q};
    end

    always @(posedge clk) begin
        if (rst) begin
            gray_sync_q  <= {CW{1'b0}};
            gray_sync_q2 <= {CW{1'b0}};
            seen_q       <= {CW{1'b0}};
            count_q      <= {STAT_WIDTH{1'b0}};
        end else begin
            gray_sync_q  <= gray_q;
            gray_sync_q2 <= gray_sync_q;
            seen_q       <= seen_d;
            count_q      <= count_d;
        end
    end

    assign stat_count = count_q;

    generate
        if (STAT_WIDTH < CW) begin : g_bad_param
            $error("%m: lr_eth_stat_cdc STAT_WIDTH must be >= 4");
        end
    endgenerate

endmodule

`default_nettype wire
