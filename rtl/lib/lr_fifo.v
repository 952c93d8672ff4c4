// lr_fifo: synchronous first-word-fall-through FIFO; RAM with registered read (maps to block RAM).
`default_nettype none

// The storage is a simple dual-port RAM (one write port, one registered read port) followed by the
// output register, which is the RAM's read register. A word written at clock t is readable at t+1 and
// appears on m_data at t+2. Reads are issued whenever the output register is empty or being popped,
// so the FIFO streams one word per clock. Capacity: DEPTH words in the RAM plus the output register.
module lr_fifo #(
    parameter WIDTH = 8,    // word width in bits
    parameter DEPTH = 16    // RAM words, a power of two >= 2
) (
    input  wire             clk,
    input  wire             rst,

    // write side
    input  wire [WIDTH-1:0] s_data,
    input  wire             s_valid,
    output wire             s_ready,   // RAM not full

    // read side (first word falls through)
    output wire [WIDTH-1:0] m_data,
    output wire             m_valid,
    input  wire             m_ready,

    // status
    output wire             stat_empty // nothing stored (RAM and output register empty)
);

    localparam AW = (DEPTH > 1) ? $clog2(DEPTH) : 1;

    generate
        if (DEPTH < 2 || (DEPTH & (DEPTH - 1)) != 0) begin : g_bad_param
            $error("lr_fifo: DEPTH must be a power of two >= 2");
        end
    endgenerate

    reg [WIDTH-1:0] mem [0:DEPTH-1];
    reg [WIDTH-1:0] out_q;
    reg             out_valid_q, out_valid_d;
    reg [AW:0]      wr_ptr_q, wr_ptr_d;
    reg [AW:0]      rd_ptr_q, rd_ptr_d;

    wire ram_empty = (wr_ptr_q == rd_ptr_q);
    wire ram_full  = (wr_ptr_q[AW] != rd_ptr_q[AW]) && (wr_ptr_q[AW-1:0] == rd_ptr_q[AW-1:0]);
    wire push      = s_valid && !ram_full;
    wire load      = !ram_empty && (!out_valid_q || m_ready);

    assign s_ready    = !ram_full;
    assign m_data     = out_q;
    assign m_valid    = out_valid_q;
    assign stat_empty = ram_empty && !out_valid_q;

    always @* begin
        wr_ptr_d    = wr_ptr_q;
        rd_ptr_d    = rd_ptr_q;
        out_valid_d = out_valid_q;
        if (push) begin
            wr_ptr_d = wr_ptr_q + 1'b1;
        end
        if (load) begin
            rd_ptr_d    = rd_ptr_q + 1'b1;
            out_valid_d = 1'b1;
        end else if (m_ready) begin
            out_valid_d = 1'b0;
        end
    end

    always @(posedge clk) begin
        if (rst) begin
            wr_ptr_q    <= {(AW+1){1'b0}};
            rd_ptr_q    <= {(AW+1){1'b0}};
            out_valid_q <= 1'b0;
        end else begin
            wr_ptr_q    <= wr_ptr_d;
            rd_ptr_q    <= rd_ptr_d;
            out_valid_q <= out_valid_d;
        end
    end

    // storage: write port and registered read port (no reset, block RAM friendly)
    always @(posedge clk) begin
        if (push) begin
            mem[wr_ptr_q[AW-1:0]] <= s_data;
        end
        if (load) begin
            out_q <= mem[rd_ptr_q[AW-1:0]];
        end
    end

endmodule

`default_nettype wire
