// lr_rr_arbiter: round-robin arbiter; combinational one-hot grant, priority rotates past the last taker.
`default_nettype none

// grant is the first requester at or after the one following the last advanced grant (wrapping).
// Assert advance in the clock where the granted requester is served (for whole-frame arbitration:
// at the frame's last beat); the search then starts just after it.
module lr_rr_arbiter #(
    parameter N  = 4,                        // requesters
    parameter IW = (N > 1) ? $clog2(N) : 1   // index width
) (
    input  wire          clk,
    input  wire          rst,
    input  wire [N-1:0]  req,
    input  wire          advance,       // the current grant is taken
    output wire [N-1:0]  grant,         // one-hot, 0 when no request
    output reg  [IW-1:0] grant_index,   // index of grant (0 when none)
    output wire          grant_valid
);

    generate
        if (N < 1) begin : g_bad_param
            $error("lr_rr_arbiter: N must be >= 1");
        end
    endgenerate

    localparam [N-1:0] ONE = 1;

    // mask_q: requesters strictly after the last advanced grant
    reg  [N-1:0] mask_q, mask_d;

    wire [N-1:0] req_masked = req & mask_q;
    wire [N-1:0] pick       = (|req_masked) ? req_masked : req;

    assign grant       = pick & (~pick + ONE);   // lowest set bit
    assign grant_valid = |req;

    integer i;
    always @* begin
        grant_index = {IW{1'b0}};
        for (i = 0; i < N; i = i + 1) begin
            if (grant[i]) begin
                grant_index = i[IW-1:0];
            end
        end
    end

    always @* begin
        mask_d = mask_q;
        if (advance && grant_valid) begin
            mask_d = ~(grant | (grant - ONE));
        end
    end

    always @(posedge clk) begin
        if (rst) begin
            mask_q <= {N{1'b1}};
        end else begin
            mask_q <= mask_d;
        end
    end

endmodule

`default_nettype wire
