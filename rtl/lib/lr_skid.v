// lr_skid: register slice (skid buffer) for one valid/ready channel; full rate, registered ready.
`default_nettype none

// The one shared register slice: every stream module that needs a registered output puts its beat
// (data, keep, last, user... packed into WIDTH bits) through it. s_ready is a register, so no
// combinational path runs from m_ready back to s_ready. Two words of storage: output and skid.
module lr_skid #(
    parameter WIDTH = 8     // payload bits (all sideband signals packed together)
) (
    input  wire             clk,
    input  wire             rst,

    input  wire [WIDTH-1:0] s_data,
    input  wire             s_valid,
    output wire             s_ready,

    output wire [WIDTH-1:0] m_data,
    output wire             m_valid,
    input  wire             m_ready,

    output wire             stat_empty   // no word held
);

    reg [WIDTH-1:0] out_q;
    reg [WIDTH-1:0] skid_q;
    reg             out_valid_q, out_valid_d;
    reg             skid_valid_q, skid_valid_d;

    // datapath load enables (the registers themselves are not reset)
    reg             load_out_in, load_out_skid, load_skid;

    assign s_ready    = !skid_valid_q;
    assign m_data     = out_q;
    assign m_valid    = out_valid_q;
    assign stat_empty = !out_valid_q && !skid_valid_q;

    always @* begin
        out_valid_d   = out_valid_q;
        skid_valid_d  = skid_valid_q;
        load_out_in   = 1'b0;
        load_out_skid = 1'b0;
        load_skid     = 1'b0;
        if (!skid_valid_q) begin
            if (!out_valid_q || m_ready) begin
                // output register free (or emptied this clock): take the input directly
                out_valid_d = s_valid;
                load_out_in = s_valid;
            end else if (s_valid) begin
                // output stalled: park the input in the skid register
                skid_valid_d = 1'b1;
                load_skid    = 1'b1;
            end
        end else if (m_ready) begin
            // drain the skid register (input is not ready while it is full)
            out_valid_d   = 1'b1;
            skid_valid_d  = 1'b0;
            load_out_skid = 1'b1;
        end
    end

    always @(posedge clk) begin
        if (rst) begin
            out_valid_q  <= 1'b0;
            skid_valid_q <= 1'b0;
        end else begin
            out_valid_q  <= out_valid_d;
            skid_valid_q <= skid_valid_d;
        end
    end

    // datapath: copy only when a word moves (keeps simulation cheap for wide beats)
    always @(posedge clk) begin
        if (load_out_in) begin
            out_q <= s_data;
        end else if (load_out_skid) begin
            out_q <= skid_q;
        end
        if (load_skid) begin
            skid_q <= s_data;
        end
    end

endmodule

`default_nettype wire
