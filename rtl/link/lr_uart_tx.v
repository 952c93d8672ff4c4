// lr_uart_tx: UART transmitter, 8N1, LSB first, idle high; runtime bit time, back-to-back characters.
`default_nettype none

// A character is taken when s_ready is high: start bit, 8 data bits, one stop bit, cfg_uart_div
// clocks each (the divisor is taken with the character). The next character is taken in the last
// clock of the stop bit, so characters follow each other with no gap.
module lr_uart_tx (
    input  wire        clk,
    input  wire        rst,

    // configuration
    input  wire [15:0] cfg_uart_div,   // clocks per bit, >= 4

    // characters to send
    input  wire [7:0]  s_data,
    input  wire        s_valid,
    output wire        s_ready,

    // serial line
    output wire        txd,

    // status
    output wire        stat_busy       // a character is on the line
);

    reg        busy_q, busy_d;
    reg [15:0] cnt_q, cnt_d;      // clocks left in this bit, minus one
    reg [15:0] div_q, div_d;
    reg [3:0]  bits_q, bits_d;    // bits left after the current one
    reg [8:0]  shift_q, shift_d;  // {stop, data} still to send, LSB next
    reg        txd_q, txd_d;

    wire last_clock = busy_q && (cnt_q == 16'd0) && (bits_q == 4'd0);

    assign s_ready   = !busy_q || last_clock;
    assign txd       = txd_q;
    assign stat_busy = busy_q;

    always @* begin
        busy_d  = busy_q;
        cnt_d   = cnt_q;
        div_d   = div_q;
        bits_d  = bits_q;
        shift_d = shift_q;
        txd_d   = txd_q;
        if (busy_q) begin
            if (cnt_q == 16'd0) begin
                if (bits_q == 4'd0) begin
                    busy_d = 1'b0;
                    txd_d  = 1'b1;
                end else begin
                    txd_d   = shift_q[0];
                    shift_d = {1'b1, shift_q[8:1]};
                    bits_d  = bits_q - 4'd1;
                    cnt_d   = div_q - 16'd1;
                end
            end else begin
                cnt_d = cnt_q - 16'd1;
            end
        end
        if (s_valid && s_ready) begin
            busy_d  = 1'b1;
            div_d   = cfg_uart_div;
            cnt_d   = cfg_uart_div - 16'd1;
            bits_d  = 4'd9;
            shift_d = {1'b1, s_data};
            txd_d   = 1'b0;   // start bit
        end
    end

    always @(posedge clk) begin
        if (rst) begin
            busy_q  <= 1'b0;
            cnt_q   <= 16'd0;
            div_q   <= 16'd16;
            bits_q  <= 4'd0;
            shift_q <= 9'h1FF;
            txd_q   <= 1'b1;
        end else begin
            busy_q  <= busy_d;
            cnt_q   <= cnt_d;
            div_q   <= div_d;
            bits_q  <= bits_d;
            shift_q <= shift_d;
            txd_q   <= txd_d;
        end
    end

endmodule

`default_nettype wire
