// lr_counters: 32-bit wrapping event counters per port, per reason code and for the CPU path.
`default_nettype none

// Layout of stat_counters (counter i at [32*i +: 32]):
//   4p+0 rx_frames, 4p+1 rx_bytes, 4p+2 tx_frames, 4p+3 tx_bytes       (port p)
//   4*N_PORTS + r                                                      (reason code r, 0..31)
//   4*N_PORTS+32 cpu_frames, +33 cpu_bytes, +34 inject_frames, +35 inject_dropped
// rx counts each frame at its last beat (bytes = W). tx and cpu count bytes per beat as they leave
// (tx includes padding and FCS; cpu includes the punt header) and frames at the last beat.
// Events are registered first and counted one clock later (byte counts of a beat are taken from
// the registered tkeep), so nothing here depends combinationally on the core's inputs.
// cfg_counters_clear zeroes every counter; an event counted in the same clock is lost.
module lr_counters #(
    parameter N_PORTS    = 4,                 // packet ports
    parameter KEEP_WIDTH = 8,                 // byte enables of the port/CPU streams
    parameter NCNT       = 4*N_PORTS + 36     // counters
) (
    input  wire                          clk,
    input  wire                          rst,
    input  wire                          cfg_counters_clear,

    input  wire [N_PORTS-1:0]            rx_frame,       // frame ended at port p
    input  wire [32*N_PORTS-1:0]         rx_bytes,       // its W
    input  wire [N_PORTS-1:0]            tx_beat,        // beat transferred on port p's output
    input  wire [N_PORTS*KEEP_WIDTH-1:0] tx_keep,
    input  wire [N_PORTS-1:0]            tx_last,
    input  wire                          reason_valid,   // one frame decided
    input  wire [4:0]                    reason,
    input  wire                          cpu_beat,       // beat transferred on the CPU stream
    input  wire [KEEP_WIDTH-1:0]         cpu_keep,
    input  wire                          cpu_last,
    input  wire [1:0]                    inject_frames,
    input  wire [1:0]                    inject_dropped,

    output wire [32*NCNT-1:0]            stat_counters
);

    localparam RB = 4 * N_PORTS;      // first reason counter
    localparam CB = RB + 32;          // first CPU counter

    generate
        if (NCNT != 4*N_PORTS + 36) begin : g_bad_ncnt
            $error("lr_counters: NCNT must be 4*N_PORTS+36");
        end
    endgenerate

    function [31:0] popcount;
        input [KEEP_WIDTH-1:0] k;
        integer b;
        begin
            popcount = 32'd0;
            for (b = 0; b < KEEP_WIDTH; b = b + 1) begin
                popcount = popcount + {31'd0, k[b]};
            end
        end
    endfunction

    // ---------------------------------------------------------------- registered events
    reg [N_PORTS-1:0]            rx_ev_q, tx_ev_q, tx_last_q;
    reg [32*N_PORTS-1:0]         rx_bytes_q;
    reg [N_PORTS*KEEP_WIDTH-1:0] tx_keep_q;
    reg                          reason_ev_q, cpu_ev_q, cpu_last_q;
    reg [4:0]                    reason_q;
    reg [KEEP_WIDTH-1:0]         cpu_keep_q;
    reg [1:0]                    inj_frames_q, inj_dropped_q;

    always @(posedge clk) begin
        if (rst) begin
            rx_ev_q       <= {N_PORTS{1'b0}};
            tx_ev_q       <= {N_PORTS{1'b0}};
            reason_ev_q   <= 1'b0;
            cpu_ev_q      <= 1'b0;
            inj_frames_q  <= 2'd0;
            inj_dropped_q <= 2'd0;
        end else begin
            rx_ev_q       <= rx_frame;
            tx_ev_q       <= tx_beat;
            reason_ev_q   <= reason_valid;
            cpu_ev_q      <= cpu_beat;
            inj_frames_q  <= inject_frames;
            inj_dropped_q <= inject_dropped;
        end
    end

    // event details (datapath: no reset)
    always @(posedge clk) begin
        rx_bytes_q <= rx_bytes;
        tx_keep_q  <= tx_keep;
        tx_last_q  <= tx_last;
        reason_q   <= reason;
        cpu_keep_q <= cpu_keep;
        cpu_last_q <= cpu_last;
    end

    // ---------------------------------------------------------------- counters
    wire zero = rst || cfg_counters_clear;

    genvar gp, gr;
    generate
        for (gp = 0; gp < N_PORTS; gp = gp + 1) begin : g_port
            reg [31:0] rx_frames_q, rx_bytes_cnt_q, tx_frames_q, tx_bytes_q;
            always @(posedge clk) begin
                if (zero) begin
                    rx_frames_q    <= 32'd0;
                    rx_bytes_cnt_q <= 32'd0;
                end else if (rx_ev_q[gp]) begin
                    rx_frames_q    <= rx_frames_q + 32'd1;
                    rx_bytes_cnt_q <= rx_bytes_cnt_q + rx_bytes_q[32*gp +: 32];
                end
                if (zero) begin
                    tx_frames_q <= 32'd0;
                    tx_bytes_q  <= 32'd0;
                end else if (tx_ev_q[gp]) begin
                    tx_frames_q <= tx_frames_q + {31'd0, tx_last_q[gp]};
                    tx_bytes_q  <= tx_bytes_q + popcount(tx_keep_q[KEEP_WIDTH*gp +: KEEP_WIDTH]);
                end
            end
            assign stat_counters[32*(4*gp+0) +: 32] = rx_frames_q;
            assign stat_counters[32*(4*gp+1) +: 32] = rx_bytes_cnt_q;
            assign stat_counters[32*(4*gp+2) +: 32] = tx_frames_q;
            assign stat_counters[32*(4*gp+3) +: 32] = tx_bytes_q;
        end

        for (gr = 0; gr < 32; gr = gr + 1) begin : g_reason
            localparam integer GR = gr;
            localparam [4:0]   R  = GR[4:0];
            reg [31:0] cnt_q;
            always @(posedge clk) begin
                if (zero) begin
                    cnt_q <= 32'd0;
                end else if (reason_ev_q && reason_q == R) begin
                    cnt_q <= cnt_q + 32'd1;
                end
            end
            assign stat_counters[32*(RB+gr) +: 32] = cnt_q;
        end
    endgenerate

    reg [31:0] cpu_frames_q, cpu_bytes_q, inj_frames_cnt_q, inj_dropped_cnt_q;

    always @(posedge clk) begin
        if (zero) begin
            cpu_frames_q <= 32'd0;
            cpu_bytes_q  <= 32'd0;
        end else if (cpu_ev_q) begin
            cpu_frames_q <= cpu_frames_q + {31'd0, cpu_last_q};
            cpu_bytes_q  <= cpu_bytes_q + popcount(cpu_keep_q);
        end
        if (zero) begin
            inj_frames_cnt_q  <= 32'd0;
            inj_dropped_cnt_q <= 32'd0;
        end else begin
            inj_frames_cnt_q  <= inj_frames_cnt_q + {30'd0, inj_frames_q};
            inj_dropped_cnt_q <= inj_dropped_cnt_q + {30'd0, inj_dropped_q};
        end
    end

    assign stat_counters[32*(CB+0) +: 32] = cpu_frames_q;
    assign stat_counters[32*(CB+1) +: 32] = cpu_bytes_q;
    assign stat_counters[32*(CB+2) +: 32] = inj_frames_cnt_q;
    assign stat_counters[32*(CB+3) +: 32] = inj_dropped_cnt_q;

endmodule

`default_nettype wire
