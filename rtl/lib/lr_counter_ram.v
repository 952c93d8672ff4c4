// lr_counter_ram: NCNT 32-bit counters in one block RAM, one read-modify-write per event.
`default_nettype none

// Events come one at a time: the user offers (index, delta) and waits for ev_ready. An event
// takes two clocks (read, then write the sum); a read of a counter (cnt_re) has the read port
// first and the event's read waits a clock. Reset and cfg_counters_clear write zeros over the
// RAM (NCNT clocks), with `busy` high meanwhile. Users: lr_core_serial (lr_core's counters, the
// layout of rtl/csr/registers.md; it raises csr_wait while `busy`, so no counter is read
// half-cleared) and lr_link (the link registers, events gathered into pending counts).
module lr_counter_ram #(
    parameter NCNT = 44              // counters (4*N_PORTS + 36)
) (
    input  wire        clk,
    input  wire        rst,
    input  wire        cfg_counters_clear,
    // one event
    input  wire        ev_valid,
    input  wire [7:0]  ev_index,
    input  wire [15:0] ev_delta,
    output wire        ev_ready,
    output wire        busy,          // clearing
    output wire        idle,          // no event in progress, not clearing
    // read port (lr_csr)
    input  wire        cnt_re,
    input  wire [13:0] cnt_index,
    output wire [31:0] cnt_rdata
);

    localparam AW = $clog2(NCNT);

    generate
        if (NCNT < 2 || NCNT > 256) begin : g_bad_ncnt
            $error("lr_counter_ram: NCNT must be 2..256");
        end
    endgenerate

    reg          clr_q;            // clearing
    reg [AW-1:0] clr_idx_q;
    reg          wr_q;             // the event's old value is on the RAM output: write the sum
    reg [AW-1:0] ev_idx_q;
    reg [15:0]   ev_delta_q;

    wire take = ev_valid && !clr_q && !wr_q && !cnt_re;
    assign ev_ready = take;

    // never read at the address written in the same clock: the bypass below answers that read
    (* no_rw_check *) reg [31:0] ram [0:(1<<AW)-1];
    reg  [31:0]   rd_q;
    wire [AW-1:0] rd_addr = cnt_re ? cnt_index[AW-1:0] : ev_index[AW-1:0];
    wire          we      = clr_q || wr_q;
    wire [AW-1:0] wr_addr = clr_q ? clr_idx_q : ev_idx_q;
    wire [31:0]   wr_data = clr_q ? 32'd0 : rd_q + {16'd0, ev_delta_q};

    always @(posedge clk) begin
        if (we) begin
            ram[wr_addr] <= wr_data;
        end
        if (cnt_re || take) begin
            rd_q <= ram[rd_addr];
        end
    end

    // A register-block read of the counter an event is writing in the same clock (an event's
    // write is not held back by cnt_re) would read a block RAM at the address it writes, which
    // the iCE40's RAM does not define: that read answers the value written instead.
    reg        byp_q;
    reg [31:0] byp_data_q;
    always @(posedge clk) begin
        if (cnt_re) begin
            byp_q      <= wr_q && (ev_idx_q == cnt_index[AW-1:0]);
            byp_data_q <= wr_data;
        end
    end
    assign cnt_rdata = byp_q ? byp_data_q : rd_q;

    always @(posedge clk) begin
        if (take) begin
            ev_idx_q   <= ev_index[AW-1:0];
            ev_delta_q <= ev_delta;
        end
    end

    always @(posedge clk) begin
        if (rst || cfg_counters_clear) begin
            clr_q     <= 1'b1;               // a clear wins over the event being written
            clr_idx_q <= {AW{1'b0}};
            wr_q      <= 1'b0;
        end else begin
            wr_q <= take;
            if (clr_q) begin
                clr_idx_q <= clr_idx_q + 1'b1;
                if (clr_idx_q == NCNT[AW-1:0] - 1'b1) begin
                    clr_q <= 1'b0;
                end
            end
        end
    end

    assign busy = clr_q;
    assign idle = !clr_q && !wr_q;

    wire unused_idx = ^{ev_index, cnt_index};

endmodule

`default_nettype wire
