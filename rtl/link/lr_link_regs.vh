// lr_link_regs.vh: addresses of the link's own registers (rtl/link/README.md), read with REG READ.
// A plain list of localparams, one per line; included where the registers are decoded.
localparam [15:0] LR_LINK_REG_RX_FRAMES     = 16'hF000; // good frames received (any type)
localparam [15:0] LR_LINK_REG_RX_BAD        = 16'hF004; // frames dropped: COBS, CRC, short, too long
localparam [15:0] LR_LINK_REG_RX_OVERRUN    = 16'hF008; // frames dropped because a request was still in progress
localparam [15:0] LR_LINK_REG_RX_DUP        = 16'hF00C; // requests answered from the kept answer
localparam [15:0] LR_LINK_REG_UART_ERRORS   = 16'hF010; // UART framing errors (stop bit 0)
localparam [15:0] LR_LINK_REG_PUNT_FRAMES   = 16'hF014; // PUNT frames sent
localparam [15:0] LR_LINK_REG_PUNT_DROPPED  = 16'hF018; // punts dropped (FIFO full or too long)
localparam [15:0] LR_LINK_REG_PORT_FRAMES   = 16'hF01C; // PORT_TX frames sent
localparam [15:0] LR_LINK_REG_PORT_DROPPED  = 16'hF020; // port frames dropped
localparam [15:0] LR_LINK_REG_INJECT_FRAMES = 16'hF024; // INJECT requests executed
localparam [15:0] LR_LINK_REG_TX_FRAMES     = 16'hF028; // frames sent (all types)
