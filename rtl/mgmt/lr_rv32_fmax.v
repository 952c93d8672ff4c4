// lr_rv32_fmax: lr_rv32 with 1 KiB of block RAM and two output pins, to measure its cost and Fmax.
`default_nettype none

// Not part of any board: a top that place and route can take as it is (the bare core has more
// ports than an HX8K package has pins). The memory answers each request one clock later (a block
// RAM's registered read), so the core sees one wait state per access, as it would on a board.
// Stores to an address with bit 12 set go to an 8-bit output register instead of the RAM, so the
// program's effect reaches pins and synthesis keeps everything. The retire trace is left
// unconnected, as on a board.
module lr_rv32_fmax (
    input  wire       clk,
    input  wire       rst,

    output wire [7:0] gpio,
    output wire       trap
);

    wire        mem_valid, mem_we, mem_ready;
    wire [3:0]  mem_wstrb;
    wire [31:0] mem_addr, mem_wdata, mem_rdata;
    wire        ret_valid, ret_trap;
    wire [31:0] ret_pc, ret_insn, ret_rd_wdata, ret_mem_addr, ret_mem_rdata, ret_mem_wdata;
    wire [4:0]  ret_rd;
    wire [3:0]  ret_mem_rmask, ret_mem_wmask;
    // the trace goes nowhere (synthesis removes what only it used); so do the address bits
    // above the RAM and the I/O bit
    wire unused_trace = ^{ret_valid, ret_trap, ret_pc, ret_insn, ret_rd, ret_rd_wdata, ret_mem_addr,
                          ret_mem_rmask, ret_mem_wmask, ret_mem_rdata, ret_mem_wdata};
    wire unused_addr  = ^{mem_addr[31:13], mem_addr[11:10], mem_addr[1:0]};

    lr_rv32 #(
        .RESET_PC(32'h0000_0000)
    ) u_cpu (
        .clk(clk),
        .rst(rst),
        .mem_valid(mem_valid),
        .mem_we(mem_we),
        .mem_wstrb(mem_wstrb),
        .mem_addr(mem_addr),
        .mem_wdata(mem_wdata),
        .mem_ready(mem_ready),
        .mem_rdata(mem_rdata),
        .trap(trap),
        .ret_valid(ret_valid),
        .ret_trap(ret_trap),
        .ret_pc(ret_pc),
        .ret_insn(ret_insn),
        .ret_rd(ret_rd),
        .ret_rd_wdata(ret_rd_wdata),
        .ret_mem_addr(ret_mem_addr),
        .ret_mem_rmask(ret_mem_rmask),
        .ret_mem_wmask(ret_mem_wmask),
        .ret_mem_rdata(ret_mem_rdata),
        .ret_mem_wdata(ret_mem_wdata)
    );

    // a store's clock reads the RAM too, but nothing uses that word
    (* no_rw_check *) reg [31:0] ram [0:255];
    reg [31:0] rdata_q;
    reg        ready_q, ready_d;
    reg [7:0]  gpio_q, gpio_d;
    wire       io = mem_addr[12];

    always @* begin
        ready_d = mem_valid && !ready_q;
        gpio_d  = gpio_q;
        if (mem_valid && mem_we && io && mem_wstrb[0]) begin
            gpio_d = mem_wdata[7:0];
        end
    end

    always @(posedge clk) begin
        if (rst) begin
            ready_q <= 1'b0;
            gpio_q  <= 8'd0;
        end else begin
            ready_q <= ready_d;
            gpio_q  <= gpio_d;
        end
    end

    // byte-lane writes, registered read
    always @(posedge clk) begin
        if (mem_valid && mem_we && !io && !ready_q) begin
            if (mem_wstrb[0]) ram[mem_addr[9:2]][7:0]   <= mem_wdata[7:0];
            if (mem_wstrb[1]) ram[mem_addr[9:2]][15:8]  <= mem_wdata[15:8];
            if (mem_wstrb[2]) ram[mem_addr[9:2]][23:16] <= mem_wdata[23:16];
            if (mem_wstrb[3]) ram[mem_addr[9:2]][31:24] <= mem_wdata[31:24];
        end
        rdata_q <= ram[mem_addr[9:2]];
    end

    assign mem_ready = ready_q;
    assign mem_rdata = rdata_q;
    assign gpio      = gpio_q;

endmodule

`default_nettype wire
