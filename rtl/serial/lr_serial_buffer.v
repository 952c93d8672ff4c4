// lr_serial_buffer: lr_core_serial's one frame buffer, 8 bits wide, one write and one registered read port.
`default_nettype none

// Byte k of the frame being handled sits at address k (2^AW >= MAX_FRAME_BYTES + 4: the frame and
// its FCS). The read register holds its byte while `re` is low, so it serves as the output stage
// of the stream.
module lr_serial_buffer #(
    parameter AW = 11               // address width: 2^AW bytes
) (
    input  wire          clk,
    input  wire          we,
    input  wire [AW-1:0] waddr,
    input  wire [7:0]    wdata,
    input  wire          re,
    input  wire [AW-1:0] raddr,
    output reg  [7:0]    rdata
);

    // written while a frame arrives or is rewritten, read while it leaves: never both at one
    // address in one clock
    (* no_rw_check *) reg [7:0] mem [0:(1<<AW)-1];

    always @(posedge clk) begin
        if (we) begin
            mem[waddr] <= wdata;
        end
        if (re) begin
            rdata <= mem[raddr];
        end
    end

endmodule

`default_nettype wire
