// lr_uart_rx: UART receiver, 8N1, LSB first, idle high; runtime bit time, mid-bit sampling.
`default_nettype none

// The line passes a 2-FF synchroniser. A low level in idle starts a character: the start bit is
// checked again half a bit later (a shorter glitch is ignored), then the 8 data bits and the stop
// bit are sampled one bit time apart, each in the middle of its bit. The bit time (cfg_uart_div
// clocks, >= 4) is taken when the start bit is seen and holds for the whole character.
// A character whose stop bit is 0 is still delivered, with stat_frame_err set in the same clock;
// the receiver then waits for the line to return high before it looks for the next start bit, so a
// held-low line (break) yields one error, not a stream of zero bytes.
module lr_uart_rx (
    input  wire        clk,
    input  wire        rst,

    // serial line (asynchronous to clk)
    input  wire        rxd,

    // configuration
    input  wire [15:0] cfg_uart_div,     // clocks per bit, >= 4

    // received characters
    output wire [7:0]  m_data,
    output wire        m_valid,          // pulse: a character arrived
    output wire        stat_frame_err,   // pulse with m_valid: its stop bit was 0

    // status
    output wire        stat_busy         // inside a character
);

    localparam [2:0] ST_IDLE  = 3'd0,
                     ST_START = 3'd1,
                     ST_DATA  = 3'd2,
                     ST_STOP  = 3'd3,
                     ST_BREAK = 3'd4;   // wait for the line to go high after a framing error

    reg        rx_q1, rx_q2;            // synchroniser
    reg [2:0]  state_q, state_d;
    reg [15:0] cnt_q, cnt_d;            // clocks to the next sample point, minus one
    reg [15:0] div_q, div_d;            // bit time of this character
    reg [2:0]  bit_q, bit_d;            // data bit being received
    reg [7:0]  shift_q, shift_d;
    reg        valid_q, valid_d;
    reg        err_q, err_d;

    assign m_data         = shift_q;
    assign m_valid        = valid_q;
    assign stat_frame_err = err_q;
    assign stat_busy      = (state_q != ST_IDLE);

    always @* begin
        state_d = state_q;
        cnt_d   = cnt_q;
        div_d   = div_q;
        bit_d   = bit_q;
        shift_d = shift_q;
        valid_d = 1'b0;
        err_d   = 1'b0;
        case (state_q)
            ST_IDLE: begin
                if (!rx_q2) begin
                    div_d   = cfg_uart_div;
                    cnt_d   = {1'b0, cfg_uart_div[15:1]} - 16'd1;   // sample the start bit half a bit after its edge
                    state_d = ST_START;
                end
            end
            ST_START: begin
                if (cnt_q == 16'd0) begin
                    if (!rx_q2) begin
                        cnt_d   = div_q - 16'd1;
                        bit_d   = 3'd0;
                        state_d = ST_DATA;
                    end else begin
                        state_d = ST_IDLE;   // glitch
                    end
                end else begin
                    cnt_d = cnt_q - 16'd1;
                end
            end
            ST_DATA: begin
                if (cnt_q == 16'd0) begin
                    shift_d = {rx_q2, shift_q[7:1]};
                    cnt_d   = div_q - 16'd1;
                    bit_d   = bit_q + 3'd1;
                    if (bit_q == 3'd7) begin
                        state_d = ST_STOP;
                    end
                end else begin
                    cnt_d = cnt_q - 16'd1;
                end
            end
            ST_STOP: begin
                if (cnt_q == 16'd0) begin
                    valid_d = 1'b1;
                    err_d   = !rx_q2;
                    state_d = rx_q2 ? ST_IDLE : ST_BREAK;
                end else begin
                    cnt_d = cnt_q - 16'd1;
                end
            end
            ST_BREAK: begin
                if (rx_q2) begin
                    state_d = ST_IDLE;
                end
            end
            default: begin
                state_d = ST_IDLE;
            end
        endcase
    end

    always @(posedge clk) begin
        if (rst) begin
            rx_q1   <= 1'b1;
            rx_q2   <= 1'b1;
            state_q <= ST_IDLE;
            cnt_q   <= 16'd0;
            div_q   <= 16'd16;
            bit_q   <= 3'd0;
            valid_q <= 1'b0;
            err_q   <= 1'b0;
        end else begin
            rx_q1   <= rxd;
            rx_q2   <= rx_q1;
            state_q <= state_d;
            cnt_q   <= cnt_d;
            div_q   <= div_d;
            bit_q   <= bit_d;
            valid_q <= valid_d;
            err_q   <= err_d;
        end
    end

    // datapath
    always @(posedge clk) begin
        shift_q <= shift_d;
    end

endmodule

`default_nettype wire
