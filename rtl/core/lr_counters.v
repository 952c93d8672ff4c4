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
// The register block reads counter cnt_index through the read port: cnt_rdata one clock after
// cnt_re (0 beyond NCNT).
//
// RAM = 0: every counter is a register (what the 64-bit simulation build uses). RAM = 1 (the
// boards, DATA_WIDTH <= 16): the counters live in one block RAM, updated by read-modify-write
// every other clock. Events first go to small pending deltas (per port and direction: frames
// and bytes; CPU frames and bytes; inject frames and drops) and reason codes to a short FIFO;
// the updater serves the FIFO and the deltas in turn, so a counter read lags its events by a few
// dozen clocks at most, and nothing is lost at the rates of a narrow bus (one frame per port per
// 64 clocks at 8 bits). A read of the register block has priority over the updater's read.
// Clearing writes zeros over the RAM (NCNT clocks) and drops the pending deltas.
module lr_counters #(
    parameter N_PORTS    = 4,                 // packet ports
    parameter KEEP_WIDTH = 8,                 // byte enables of the port/CPU streams
    parameter NCNT       = 4*N_PORTS + 36,    // counters
    parameter RAM        = 0                  // 1: counters in block RAM (narrow buses only)
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

    // read port (lr_csr)
    input  wire                          cnt_re,
    input  wire [13:0]                   cnt_index,
    output wire [31:0]                   cnt_rdata
);

    localparam RB = 4 * N_PORTS;      // first reason counter
    localparam CB = RB + 32;          // first CPU counter

    generate
        if (NCNT != 4*N_PORTS + 36) begin : g_bad_ncnt
            $error("lr_counters: NCNT must be 4*N_PORTS+36");
        end
        if (RAM != 0 && (KEEP_WIDTH > 2 || N_PORTS > 8)) begin : g_bad_ram
            $error("lr_counters: RAM = 1 needs DATA_WIDTH <= 16 and N_PORTS <= 8");
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

    reg [31:0] rd_q;
    assign cnt_rdata = rd_q;

    genvar gp, gr;
    generate
        if (RAM == 0) begin : g_regs
            // RAM = 0: every counter is a register
            wire [32*NCNT-1:0] stat_counters;

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

            always @(posedge clk) begin
                if (cnt_re) begin
                    rd_q <= ({18'd0, cnt_index} < NCNT) ? stat_counters[32*cnt_index +: 32] : 32'd0;
                end
            end
        end else begin : g_ram
            // pending slots: port p: 4p rx frames, 4p+1 rx bytes, 4p+2 tx frames, 4p+3 tx bytes
            // (= counter 4p+k); 4N.. 4N+3: cpu frames, cpu bytes, inject frames, inject dropped
            // (= counters CB+0..CB+3). Deltas of 20 bits: far more than a few dozen clocks bring.
            localparam NS = 4 * N_PORTS + 4;
            localparam SW = $clog2(NS);
            localparam AW = $clog2(NCNT);
            localparam integer  NS1       = NS - 1;
            localparam integer  NCNT1     = NCNT - 1;
            localparam [SW-1:0] LAST_SLOT = NS1[SW-1:0];
            localparam [AW-1:0] LAST_CNT  = NCNT1[AW-1:0];

            // events of this clock, per slot
            reg [20*NS-1:0] inc;
            reg [31:0]      nb;
            integer k;
            always @* begin
                inc = {(20*NS){1'b0}};
                nb  = 32'd0;
                for (k = 0; k < N_PORTS; k = k + 1) begin
                    nb = popcount(tx_keep_q[KEEP_WIDTH*k +: KEEP_WIDTH]);
                    inc[20*(4*k+0) +: 20] = {19'd0, rx_ev_q[k]};
                    inc[20*(4*k+1) +: 20] = rx_ev_q[k] ? rx_bytes_q[32*k +: 20] : 20'd0;
                    inc[20*(4*k+2) +: 20] = {19'd0, tx_ev_q[k] && tx_last_q[k]};
                    inc[20*(4*k+3) +: 20] = tx_ev_q[k] ? nb[19:0] : 20'd0;
                end
                nb = popcount(cpu_keep_q);
                inc[20*(4*N_PORTS+0) +: 20] = {19'd0, cpu_ev_q && cpu_last_q};
                inc[20*(4*N_PORTS+1) +: 20] = cpu_ev_q ? nb[19:0] : 20'd0;
                inc[20*(4*N_PORTS+2) +: 20] = {18'd0, inj_frames_q};
                inc[20*(4*N_PORTS+3) +: 20] = {18'd0, inj_dropped_q};
            end

            // the updater: phase 0 reads a counter (unless the register block reads), phase 1
            // writes it back with its delta; reasons and slots take turns
            reg  [20*NS-1:0] pend_q;
            reg  [SW-1:0]    sp_q;          // slot the scan looks at
            reg              ph1_q;         // phase 1: write back now
            reg              turn_q;        // 1: a reason goes first
            reg  [AW-1:0]    wa_q;
            reg  [19:0]      delta_q;
            reg              clr_q;         // clearing: zeros over the RAM
            reg  [AW-1:0]    ca_q;

            wire [4:0]  r_code;
            wire        r_valid, r_ready;
            wire        r_empty;
            reg  [19:0] sp_pend;        // pend_q of slot sp_q (a multiplexer, not an index product:
            integer     q;              // yosys mapped 20*sp_q onto a multiplier, on the critical path)
            always @* begin
                sp_pend = 20'd0;
                for (q = 0; q < NS; q = q + 1) begin
                    if (sp_q == q[SW-1:0]) begin
                        sp_pend = pend_q[20*q +: 20];
                    end
                end
            end
            wire        free     = !clr_q && !ph1_q && !cnt_re;
            wire        pick_r   = free && r_valid && (turn_q || sp_pend == 20'd0);
            wire        pick_s   = free && !pick_r && sp_pend != 20'd0;
            localparam integer  PBI = 4 * N_PORTS;
            localparam integer  CBI = CB;
            localparam integer  RBI = RB;
            localparam [AW-1:0] PB  = PBI[AW-1:0];      // first non-port slot, as an address
            localparam [AW-1:0] CBA = CBI[AW-1:0];
            localparam [AW-1:0] RBA = RBI[AW-1:0];
            wire [AW-1:0] sp_a   = {{(AW-SW){1'b0}}, sp_q};
            wire [AW-1:0] s_addr = (sp_a < PB) ? sp_a : (CBA + (sp_a - PB));
            wire [AW-1:0] r_addr = RBA + {{(AW-5){1'b0}}, r_code};

            lr_fifo #(
                .WIDTH (5),
                .DEPTH (8)
            ) u_reasons (
                .clk        (clk),
                .rst        (zero),
                .s_data     (reason_q),
                .s_valid    (reason_ev_q && !zero),
                .s_ready    (r_ready),
                .m_data     (r_code),
                .m_valid    (r_valid),
                .m_ready    (pick_r),
                .stat_empty (r_empty)
            );

            // Frame-count slots keep 8 bits (yosys drops the rest): between two visits of the scan
            // a port brings a handful of frames (a burst of register-block reads of counters, at
            // most 255 clocks, then a request over the UART, is all that holds the updater back).
            function frame_slot;
                input integer j;
                begin
                    frame_slot = (j < 4 * N_PORTS) ? (j % 4 == 0 || j % 4 == 2) : (j - 4 * N_PORTS != 1);
                end
            endfunction

            integer         j, jn;
            reg [20*NS-1:0] nxt;
            always @* begin
                for (jn = 0; jn < NS; jn = jn + 1) begin
                    if (pick_s && sp_q == jn[SW-1:0]) begin
                        nxt[20*jn +: 20] = inc[20*jn +: 20];           // taken: only the new
                    end else begin
                        nxt[20*jn +: 20] = pend_q[20*jn +: 20] + inc[20*jn +: 20];
                    end
                end
            end

            always @(posedge clk) begin
                for (j = 0; j < NS; j = j + 1) begin
                    if (zero) begin
                        pend_q[20*j +: 20] <= 20'd0;
                    end else if (frame_slot(j)) begin
                        pend_q[20*j +: 20] <= {12'd0, nxt[20*j +: 8]};
                    end else begin
                        pend_q[20*j +: 20] <= nxt[20*j +: 20];
                    end
                end
                if (pick_r || pick_s) begin
                    wa_q    <= pick_r ? r_addr : s_addr;
                    delta_q <= pick_r ? 20'd1 : sp_pend;
                end
            end

            always @(posedge clk) begin
                if (zero) begin
                    clr_q  <= 1'b1;
                    ca_q   <= {AW{1'b0}};
                    ph1_q  <= 1'b0;
                    sp_q   <= {SW{1'b0}};
                    turn_q <= 1'b0;
                end else begin
                    if (clr_q) begin
                        ca_q  <= ca_q + 1'b1;
                        clr_q <= (ca_q != LAST_CNT);
                    end
                    ph1_q <= pick_r || pick_s;
                    if (pick_r || pick_s) begin
                        turn_q <= pick_s;             // after a slot, a reason goes first
                    end
                    if (free && !pick_r) begin
                        sp_q <= (sp_q == LAST_SLOT) ? {SW{1'b0}} : sp_q + 1'b1;
                    end
                end
            end

            // the counter RAM: one write port, one registered read port
            reg  [31:0]   mem [0:NCNT-1];
            wire          ram_re = cnt_re || pick_r || pick_s;
            wire [AW-1:0] ram_ra = cnt_re ? cnt_index[AW-1:0] : (pick_r ? r_addr : s_addr);
            wire          ram_we = clr_q || ph1_q;
            wire [AW-1:0] ram_wa = clr_q ? ca_q : wa_q;
            wire [31:0]   ram_wd = clr_q ? 32'd0 : rd_q + {12'd0, delta_q};

            always @(posedge clk) begin
                if (ram_we) begin
                    mem[ram_wa] <= ram_wd;
                end
                if (ram_re) begin
                    rd_q <= mem[ram_ra];
                end
            end

            wire unused_ram = ^{r_empty, r_ready, cnt_index[13:AW], nb[31:20]};
        end
    endgenerate

endmodule

`default_nettype wire
