// lr_rv32: a small multi-cycle RV32I core for the board's management processor (iCE40-sized).
`default_nettype none

// What it is
//   The full RV32I base ISA (all 37 computational, memory and control instructions plus FENCE as
//   a no-op), executed one instruction at a time by a small state machine. RV32I and not RV32E:
//   the register file lives in block RAM either way (32 x 32 bits fill two SB_RAM40_4K exactly as
//   16 x 32 would, and the address width is the same 5 bits), so the 16 extra registers cost
//   nothing, and a standard toolchain (rv32i/ilp32) compiles for it.
//
// What it leaves out (the management core's first step; see rtl/mgmt/README.md)
//   No M or C extension, no Zicsr (no CSRs at all), no privilege modes, no interrupts. ECALL,
//   EBREAK, every illegal or unsupported encoding (CSR instructions, FENCE.I, ...), a misaligned
//   load or store, and a taken jump or branch to an address that is not 4-byte aligned raise
//   `trap` and halt the core until `rst`; the trapping instruction is reported on the retire
//   trace with ret_trap and changes no architectural state. Misaligned accesses are not split.
//
// Cycles (W = wait states the memory adds to an access)
//   fetch 1+W, then: LUI, AUIPC, JAL, FENCE 1; ALU, JALR, branch not taken 2; branch taken 3;
//   load, store 2+W; shifts 3 + the shift amount (one bit per clock).
//
// Datapath
//   One 32-bit adder serves everything: fetch address (pc + 0), AUIPC/JAL/branch targets
//   (pc + imm), load/store addresses and JALR (rs1 + imm), ADD/SUB and the comparisons (a - b).
//   pc + 4 has its own incrementer (the link value and the sequential pc). The register file is
//   one memory with a write port and one registered read port (two SB_RAM40_4K): rs1 is read at
//   the edge that latches the fetched instruction (its address comes straight off mem_rdata) and
//   held in a_q; rs2 is read in the next clock and used from the RAM's output register, which
//   keeps it while the instruction completes. x0 reads zero because rst writes 0 to it and no
//   instruction writes it afterwards. The RAM is never read at an address it is writing in a
//   clock whose read data is used (no_rw_check). The other registers are undefined after reset,
//   as RISC-V allows.
//
// Memory bus
//   One request at a time: mem_valid with mem_addr (word address: bits 1:0 are zero), mem_we,
//   mem_wstrb (byte lanes, meaningful with mem_we) and mem_wdata (a byte or halfword store
//   repeats its data on every lane) stay steady until the clock in which mem_ready is high; a load's
//   mem_rdata is taken in that clock. mem_ready may be high in the same clock as mem_valid (no wait
//   state) or any number of clocks later; it is ignored while mem_valid is low.
//
// Retire trace
//   In the last clock of each instruction ret_valid is high with the instruction's pc and word,
//   the register written (ret_rd, 0 for none) and its value, and for a load or store the byte
//   address, the byte lanes read or written and the word on the bus. Every ret_* output is a wire
//   of state the core has anyway (a few gates at most), so leaving them unconnected costs nothing.
module lr_rv32 #(
    parameter [31:0] RESET_PC = 32'h0000_0000  // first instruction fetched after rst (4-byte aligned)
) (
    input  wire        clk,
    input  wire        rst,            // synchronous, active high; hold at least one clock

    // memory bus (instructions and data)
    output wire        mem_valid,
    output wire        mem_we,
    output wire [3:0]  mem_wstrb,
    output wire [31:0] mem_addr,
    output wire [31:0] mem_wdata,
    input  wire        mem_ready,
    input  wire [31:0] mem_rdata,

    // status
    output wire        trap,           // halted by a trap, until rst

    // retire trace (for tests)
    output wire        ret_valid,      // an instruction completes in this clock
    output wire        ret_trap,       // ... by trapping (nothing written, no access made)
    output wire [31:0] ret_pc,
    output wire [31:0] ret_insn,
    output wire [4:0]  ret_rd,         // register written, 0 for none
    output wire [31:0] ret_rd_wdata,   // its new value (meaningful when ret_rd != 0)
    output wire [31:0] ret_mem_addr,   // byte address of a load or store
    output wire [3:0]  ret_mem_rmask,  // byte lanes loaded (0 for no load)
    output wire [3:0]  ret_mem_wmask,  // byte lanes stored (0 for no store)
    output wire [31:0] ret_mem_rdata,  // the word read (lanes in ret_mem_rmask)
    output wire [31:0] ret_mem_wdata   // the word written (lanes in ret_mem_wmask)
);

    generate
        if (RESET_PC[1:0] != 2'b00) begin : g_bad_reset_pc
            $error("%m: lr_rv32 RESET_PC must be 4-byte aligned");
        end
    endgenerate

    localparam [2:0] S_FETCH  = 3'd0,  // read the instruction at pc; rs1 read as it arrives
                     S_DECODE = 3'd1,  // rs1 into a_q, rs2 read; LUI/AUIPC/JAL/FENCE complete
                     S_EXEC   = 3'd2,  // ALU, JALR, branch compare; a shift loads its count
                     S_SHIFT  = 3'd3,  // one bit per clock until the count is 0
                     S_MEM    = 3'd4,  // load or store at rs1 + imm
                     S_BRANCH = 3'd5,  // taken branch: pc + imm
                     S_HALT   = 3'd6;  // trapped

    // result sources for the register file
    localparam [2:0] R_SUM   = 3'd0,
                     R_LOGIC = 3'd1,
                     R_SLT   = 3'd2,
                     R_LINK  = 3'd3,
                     R_LOAD  = 3'd4,
                     R_ZERO  = 3'd5;

    reg [2:0]  state_q, state_d;
    reg [31:0] ir_q, ir_d;       // the instruction
    reg [29:0] pc_q, pc_d;       // pc bits 31:2
    reg [31:0] a_q, a_d;         // rs1; shifted in place
    reg [4:0]  cnt_q, cnt_d;     // shift bits left

    // register file: one write port, one registered read port
    (* no_rw_check *) reg [31:0] rf [0:31];
    reg [31:0] rf_rdata_q;
    reg        rf_we;
    reg [4:0]  rf_waddr;
    reg [31:0] rf_wdata;
    wire [4:0] rf_raddr = (state_q == S_FETCH) ? mem_rdata[19:15] : ir_q[24:20];
    wire [31:0] rs2 = rf_rdata_q;   // after S_DECODE

    // ---- decode ----
    wire [4:0] opc   = ir_q[6:2];
    wire [2:0] f3    = ir_q[14:12];
    wire [6:0] f7    = ir_q[31:25];
    wire [4:0] rd    = ir_q[11:7];
    wire is_lui      = (opc == 5'b01101);
    wire is_auipc    = (opc == 5'b00101);
    wire is_jal      = (opc == 5'b11011);
    wire is_jalr     = (opc == 5'b11001);
    wire is_branch   = (opc == 5'b11000);
    wire is_load     = (opc == 5'b00000);
    wire is_store    = (opc == 5'b01000);
    wire is_opimm    = (opc == 5'b00100);
    wire is_op       = (opc == 5'b01100);
    wire is_fence    = (opc == 5'b00011);
    wire f7_zero     = (f7 == 7'b0000000);
    wire f7_alt      = (f7 == 7'b0100000);
    wire is_alu      = is_op | is_opimm;
    wire is_shift    = is_alu & (f3[1:0] == 2'b01);
    wire is_slt      = is_alu & (f3[2:1] == 2'b01);
    // SYSTEM (ECALL, EBREAK, CSR instructions) is not listed, so it traps with the rest
    wire legal = (ir_q[1:0] == 2'b11) & (
                     is_lui | is_auipc | is_jal
                   | (is_jalr & (f3 == 3'b000))
                   | (is_branch & (f3[2:1] != 2'b01))
                   | (is_load & (f3 != 3'b011) & (f3[2:1] != 2'b11))
                   | (is_store & !f3[2] & (f3[1:0] != 2'b11))
                   | (is_opimm & ((f3[1:0] != 2'b01) | f7_zero | (f3[2] & f7_alt)))
                   | (is_op & (f7_zero | (f7_alt & ((f3 == 3'b000) | (f3 == 3'b101)))))
                   | (is_fence & (f3 == 3'b000)));

    // immediate of the instruction's format, field by field
    wire imm_u = is_lui | is_auipc;
    wire imm_j = is_jal;
    wire imm_s = is_store;
    wire imm_b = is_branch;
    wire imm_i = !(imm_u | imm_j | imm_s | imm_b);
    wire [31:0] imm;
    assign imm[0]     = imm_i ? ir_q[20] : (imm_s & ir_q[7]);
    assign imm[4:1]   = (imm_i | imm_j) ? ir_q[24:21] : (imm_s | imm_b) ? ir_q[11:8] : 4'b0000;
    assign imm[10:5]  = imm_u ? 6'b000000 : ir_q[30:25];
    assign imm[11]    = imm_u ? 1'b0 : imm_b ? ir_q[7] : imm_j ? ir_q[20] : ir_q[31];
    assign imm[19:12] = (imm_u | imm_j) ? ir_q[19:12] : {8{ir_q[31]}};
    assign imm[30:20] = imm_u ? ir_q[30:20] : {11{ir_q[31]}};
    assign imm[31]    = ir_q[31];

    // ---- the adder and the ALU ----
    wire use_a   = (state_q == S_EXEC) | (state_q == S_MEM) | (state_q == S_SHIFT);
    wire use_pc  = (state_q == S_FETCH) | (state_q == S_BRANCH) | ((state_q == S_DECODE) & (is_auipc | is_jal));
    wire use_rs2 = (state_q == S_EXEC) & (is_op | is_branch);
    wire use_imm = (state_q == S_DECODE) | (state_q == S_MEM) | (state_q == S_BRANCH)
                 | ((state_q == S_EXEC) & !(is_op | is_branch));
    wire sub     = (state_q == S_EXEC) & (is_branch | is_slt | (is_op & (f3 == 3'b000) & ir_q[30]));

    wire [31:0] opa = (a_q & {32{use_a}}) | ({pc_q, 2'b00} & {32{use_pc}});
    wire [31:0] opb = (rs2 & {32{use_rs2}}) | (imm & {32{use_imm}});
    wire [32:0] sum = {1'b0, opa} + {1'b0, opb ^ {32{sub}}} + {32'd0, sub};

    wire eq  = (sum[31:0] == 32'd0);
    wire ltu = !sum[32];                                  // a - b borrowed
    wire lt  = (opa[31] != opb[31]) ? opa[31] : ltu;
    wire taken = (f3[2] ? (f3[1] ? ltu : lt) : eq) ^ f3[0];
    wire [31:0] logic_r = f3[1] ? (f3[0] ? (opa & opb) : (opa | opb)) : (opa ^ opb);
    wire [29:0] pc_inc = pc_q + 30'd1;

    // ---- loads and stores ----
    wire [1:0] off = sum[1:0];
    wire misaligned = f3[1] ? (off != 2'b00) : (f3[0] & off[0]);
    wire [3:0] mask = f3[1] ? 4'b1111 : f3[0] ? (off[1] ? 4'b1100 : 4'b0011) : (4'b0001 << off);
    wire [7:0] ld_b  = off[1] ? (off[0] ? mem_rdata[31:24] : mem_rdata[23:16])
                              : (off[0] ? mem_rdata[15:8] : mem_rdata[7:0]);
    wire [7:0] ld_h1 = off[1] ? mem_rdata[31:24] : mem_rdata[15:8];
    wire ld_sign     = !f3[2] & (f3[0] ? ld_h1[7] : ld_b[7]);
    wire [31:0] ld_data = f3[1] ? mem_rdata : f3[0] ? {{16{ld_sign}}, ld_h1, ld_b} : {{24{ld_sign}}, ld_b};
    wire in_mem = (state_q == S_MEM);

    // ---- control ----
    reg       done;        // the instruction completes in this clock
    reg       trap_now;    // ... by trapping
    reg       wb;          // ... writing rd
    reg [2:0] res;         // rf_wdata source
    reg       jump;        // next pc is sum, not pc + 4

    always @* begin
        state_d  = state_q;
        ir_d     = ir_q;
        pc_d     = pc_q;
        a_d      = a_q;
        cnt_d    = cnt_q;
        done     = 1'b0;
        trap_now = 1'b0;
        wb       = 1'b0;
        res      = R_SUM;
        jump     = 1'b0;
        case (state_q)
            S_FETCH: begin
                if (mem_ready) begin
                    ir_d    = mem_rdata;
                    state_d = S_DECODE;
                end
            end
            S_DECODE: begin
                a_d = rf_rdata_q;
                if (!legal || (is_jal && ir_q[21])) begin
                    trap_now = 1'b1;
                end else if (is_lui || is_auipc || is_fence) begin
                    done = 1'b1;
                    wb   = !is_fence;
                end else if (is_jal) begin
                    done = 1'b1;
                    wb   = 1'b1;
                    res  = R_LINK;
                    jump = 1'b1;
                end else if (is_load || is_store) begin
                    state_d = S_MEM;
                end else begin
                    state_d = S_EXEC;
                end
            end
            S_EXEC: begin
                if (is_shift) begin
                    cnt_d   = opb[4:0];
                    state_d = S_SHIFT;
                end else if (is_branch) begin
                    if (!taken) begin
                        done = 1'b1;
                    end else if (ir_q[8]) begin
                        trap_now = 1'b1;
                    end else begin
                        state_d = S_BRANCH;
                    end
                end else if (is_jalr) begin
                    if (sum[1]) begin
                        trap_now = 1'b1;
                    end else begin
                        done = 1'b1;
                        wb   = 1'b1;
                        res  = R_LINK;
                        jump = 1'b1;
                    end
                end else begin
                    done = 1'b1;
                    wb   = 1'b1;
                    res  = is_slt ? R_SLT : f3[2] ? R_LOGIC : R_SUM;
                end
            end
            S_SHIFT: begin
                if (cnt_q == 5'd0) begin
                    done = 1'b1;
                    wb   = 1'b1;
                end else begin
                    cnt_d = cnt_q - 5'd1;
                    a_d   = f3[2] ? {ir_q[30] & a_q[31], a_q[31:1]} : {a_q[30:0], 1'b0};
                end
            end
            S_MEM: begin
                if (misaligned) begin
                    trap_now = 1'b1;
                end else if (mem_ready) begin
                    done = 1'b1;
                    wb   = is_load;
                    res  = R_LOAD;
                end
            end
            S_BRANCH: begin
                done = 1'b1;
                jump = 1'b1;
            end
            S_HALT: begin
            end
            default: begin
                state_d = S_HALT;
            end
        endcase
        if (trap_now) begin
            done    = 1'b1;
            wb      = 1'b0;
            state_d = S_HALT;
        end else if (done) begin
            pc_d    = jump ? sum[31:2] : pc_inc;
            state_d = S_FETCH;
        end
        // the register file's write port: x0 := 0 during rst, rd := result on completion
        rf_we    = rst || (wb && (rd != 5'd0));
        rf_waddr = rst ? 5'd0 : rd;
        if (rst) begin
            res = R_ZERO;
        end
        case (res)
            R_LOGIC: rf_wdata = logic_r;
            R_SLT:   rf_wdata = {31'd0, f3[0] ? ltu : lt};
            R_LINK:  rf_wdata = {pc_inc, 2'b00};
            R_LOAD:  rf_wdata = ld_data;
            R_ZERO:  rf_wdata = 32'd0;
            default: rf_wdata = sum[31:0];
        endcase
    end

    always @(posedge clk) begin
        if (rst) begin
            state_q <= S_FETCH;
            pc_q    <= RESET_PC[31:2];
        end else begin
            state_q <= state_d;
            pc_q    <= pc_d;
        end
        ir_q  <= ir_d;
        a_q   <= a_d;
        cnt_q <= cnt_d;
    end

    always @(posedge clk) begin
        if (rf_we) begin
            rf[rf_waddr] <= rf_wdata;
        end
        rf_rdata_q <= rf[rf_raddr];
    end

    // ---- outputs ----
    assign mem_valid = (state_q == S_FETCH) | (in_mem & !misaligned);
    assign mem_we    = in_mem & is_store;
    assign mem_wstrb = mask;
    assign mem_addr  = {sum[31:2], 2'b00};
    assign mem_wdata = f3[1] ? rs2 : f3[0] ? {2{rs2[15:0]}} : {4{rs2[7:0]}};
    assign trap      = (state_q == S_HALT);

    assign ret_valid     = done;
    assign ret_trap      = trap_now;
    assign ret_pc        = {pc_q, 2'b00};
    assign ret_insn      = ir_q;
    assign ret_rd        = (wb && !trap_now) ? rd : 5'd0;
    assign ret_rd_wdata  = rf_wdata;
    assign ret_mem_addr  = sum[31:0];
    assign ret_mem_rmask = mask & {4{in_mem & is_load & !misaligned}};
    assign ret_mem_wmask = mask & {4{in_mem & is_store & !misaligned}};
    assign ret_mem_rdata = mem_rdata;
    assign ret_mem_wdata = mem_wdata;

endmodule

`default_nettype wire
