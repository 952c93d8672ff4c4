// lr_counters: 32-bit wrapping event counters per port, per reason code and for the CPU path.
`default_nettype none

// Layout of stat_counters (counter i at [32*i +: 32]):
//   4p+0 rx_frames, 4p+1 rx_bytes, 4p+2 tx_frames, 4p+3 tx_bytes       (port p)
//   4*N_PORTS + r                                                      (reason code r, 0..31)
//   4*N_PORTS+32 cpu_frames, +33 cpu_bytes, +34 inject_frames, +35 inject_dropped
// rx counts each frame at its last beat (bytes = W). tx and cpu count bytes per beat as they leave
// (tx includes padding and FCS; cpu includes the punt header) and frames at the last beat.
// cfg_counters_clear zeroes every counter (it wins over an event in the same clock).
module lr_counters #(
    parameter N_PORTS    = 4,                 // packet ports
    parameter KEEP_WIDTH = 8,                 // byte enables of the port/CPU streams
    parameter NCNT       = 4*N_PORTS + 36     // counters
) (
    input  wire                      clk,
    input  wire                      rst,
    input  wire                      cfg_counters_clear,

    input  wire [N_PORTS-1:0]        rx_frame,     // frame ended at port p
    input  wire [32*N_PORTS-1:0]     rx_bytes,     // its W
    input  wire [N_PORTS-1:0]        tx_beat,      // beat transferred on port p's output
    input  wire [N_PORTS*KEEP_WIDTH-1:0] tx_keep,
    input  wire [N_PORTS-1:0]        tx_last,
    input  wire                      reason_valid, // one frame decided
    input  wire [4:0]                reason,
    input  wire                      cpu_beat,     // beat transferred on the CPU stream
    input  wire [KEEP_WIDTH-1:0]     cpu_keep,
    input  wire                      cpu_last,
    input  wire [1:0]                inject_frames,
    input  wire [1:0]                inject_dropped,

    output wire [32*NCNT-1:0]        stat_counters
);

    localparam KC = $clog2(KEEP_WIDTH + 1);
    localparam RB = 4 * N_PORTS;      // first reason counter
    localparam CB = RB + 32;          // first CPU counter

    generate
        if (NCNT != 4*N_PORTS + 36) begin : g_bad_ncnt
            $error("lr_counters: NCNT must be 4*N_PORTS+36");
        end
    endgenerate

    function [KC-1:0] popcount;
        input [KEEP_WIDTH-1:0] k;
        integer b;
        begin
            popcount = {KC{1'b0}};
            for (b = 0; b < KEEP_WIDTH; b = b + 1) begin
                popcount = popcount + {{(KC-1){1'b0}}, k[b]};
            end
        end
    endfunction

    // event and increment of every counter
    reg [NCNT-1:0]    ev;
    reg [32*NCNT-1:0] inc;
    integer p, r;

    always @* begin
        ev  = {NCNT{1'b0}};
        inc = {(32*NCNT){1'b0}};
        for (p = 0; p < N_PORTS; p = p + 1) begin
            ev[4*p+0]              = rx_frame[p];
            inc[32*(4*p+0) +: 32]  = 32'd1;
            ev[4*p+1]              = rx_frame[p];
            inc[32*(4*p+1) +: 32]  = rx_bytes[32*p +: 32];
            ev[4*p+2]              = tx_beat[p] && tx_last[p];
            inc[32*(4*p+2) +: 32]  = 32'd1;
            ev[4*p+3]              = tx_beat[p];
            if (tx_beat[p]) begin
                inc[32*(4*p+3) +: 32] = {{(32-KC){1'b0}}, popcount(tx_keep[KEEP_WIDTH*p +: KEEP_WIDTH])};
            end
        end
        for (r = 0; r < 32; r = r + 1) begin
            ev[RB+r]             = reason_valid && (reason == r[4:0]);
            inc[32*(RB+r) +: 32] = 32'd1;
        end
        ev[CB+0]               = cpu_beat && cpu_last;
        inc[32*(CB+0) +: 32]   = 32'd1;
        ev[CB+1]               = cpu_beat;
        if (cpu_beat) begin
            inc[32*(CB+1) +: 32] = {{(32-KC){1'b0}}, popcount(cpu_keep)};
        end
        ev[CB+2]               = (inject_frames != 2'd0);
        inc[32*(CB+2) +: 32]   = {30'd0, inject_frames};
        ev[CB+3]               = (inject_dropped != 2'd0);
        inc[32*(CB+3) +: 32]   = {30'd0, inject_dropped};
    end

    genvar gi;
    generate
        for (gi = 0; gi < NCNT; gi = gi + 1) begin : g_cnt
            reg [31:0] cnt_q;
            always @(posedge clk) begin
                if (rst || cfg_counters_clear) begin
                    cnt_q <= 32'd0;
                end else if (ev[gi]) begin
                    cnt_q <= cnt_q + inc[32*gi +: 32];
                end
            end
            assign stat_counters[32*gi +: 32] = cnt_q;
        end
    endgenerate

endmodule

`default_nettype wire
