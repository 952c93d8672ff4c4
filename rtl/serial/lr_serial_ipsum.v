// lr_serial_ipsum: the IPv4 header checksum check (rule 10), one byte per clock, summed as it arrives.
`default_nettype none

// The ones-complement sum of the 2*ihl words from byte 14, kept folded (end-around carry) after
// every byte, so the result is ready with the header's last byte and no wide sum or final fold is
// needed. Smaller than rtl/core/lr_ip_checksum.v at 8 bits (which serves any width): 70 against
// 115 iCE40 LUTs. `ok` holds from the frame's end until byte 14 of the next one. It is only
// meaningful for frames that pass rule 9 (ihl >= 5 and the whole header inside the frame).
module lr_serial_ipsum (
    input  wire        clk,
    input  wire        beat,     // a byte of the frame is taken this clock
    input  wire [15:0] idx,      // its index in the frame
    input  wire [7:0]  data,
    output wire        ok        // the header words sum to 0xFFFF
);

    reg  [15:0] acc_q;           // folded sum so far
    reg  [5:0]  rem_q;           // header bytes still to come
    reg         on_q;            // inside the header, past byte 14
    reg         hi_q;            // the next header byte is a word's high half

    wire        at14   = (idx == 16'd14);
    wire        take   = beat && (at14 || on_q);
    wire        hi     = at14 || hi_q;
    wire [15:0] base   = at14 ? 16'd0 : acc_q;
    wire [16:0] sum    = {1'b0, base} + {1'b0, hi ? {data, 8'd0} : {8'd0, data}};
    wire [15:0] folded = sum[15:0] + {15'd0, sum[16]};

    always @(posedge clk) begin
        if (take) begin
            acc_q <= folded;
            hi_q  <= !hi;
            if (at14) begin
                rem_q <= {data[3:0], 2'b00} - 6'd1;
                on_q  <= 1'b1;
            end else begin
                rem_q <= rem_q - 6'd1;
                on_q  <= (rem_q != 6'd1);
            end
        end
    end

    assign ok = (acc_q == 16'hFFFF);

endmodule

`default_nettype wire
