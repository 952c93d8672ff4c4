/* vboard.h: the C interface of the Verilated lr_router (the simulated board), in units of work:
 * bytes for the UART, frames for the packet ports, runs until idle. cgo never sees C++.
 * The UART is simulated bit by bit: the shim drives the uart_rx pin (8N1, back to back, at the
 * current divisor) and decodes the uart_tx pin with its own sampler. */
#ifndef VBOARD_H
#define VBOARD_H
#include <stddef.h>
#include <stdint.h>
#ifdef __cplusplus
extern "C" {
#endif

typedef struct vboard vboard;

typedef struct {
    uint32_t uart_div;      /* clocks per UART bit, >= 4 */
    uint32_t link_ports;    /* cfg_link_ports: bit p = port p's frames go to the host */
    const char* wave_path;  /* FST file to write, or NULL */
} vboard_opts;

/* Build facts (the lr_router parameters the model was built with). */
typedef struct {
    int n_ports, data_width, lpm_entries, adj_entries, raddr_entries, max_frame_bytes;
    int clk_hz, rx_buf_bytes, resp_buf_bytes;
    uint32_t build_id, build_date;
    uint32_t ext_ports;  /* bit p: packet port p has pins (vboard_push, vboard_take): every port of
                            lr_router; on a board top the ports with a PHY (RGMII) */
    uint32_t link_ports; /* board top: bit p: port p travels over the host link (the build's);
                            lr_router: 0 (vboard_opts.link_ports chooses) */
    const char* board; /* the board top's name, "" for lr_router */
} vboard_info;

typedef struct {
    uint64_t uart_framing_errors; /* characters on uart_tx whose stop bit was 0 (shim sampler) */
    uint64_t protocol_errors;     /* output beats that broke the AXI-Stream rules */
} vboard_stats;

vboard* vboard_new(const vboard_opts* opts);
void vboard_free(vboard* b);
void vboard_info_get(vboard_info* info);

/* Queue bytes for the uart_rx pin (copied). */
void vboard_uart_write(vboard* b, const uint8_t* p, size_t n);
/* Bytes decoded from the uart_tx pin since the last read: count, then copy out and forget. */
size_t vboard_uart_count(vboard* b);
void vboard_uart_take(vboard* b, uint8_t* buf);

/* Queue n frames for packet ports: frame i is lens[i] bytes at the running offset in buf, for
 * port ports[i]. Frames for ports without pins (ext_ports) are ignored. Copies the bytes. On a
 * board top's RGMII port a frame goes onto the receive pins as a PHY sends it: preamble, SFD,
 * the frame (which carries its FCS), 12 idle cycles. */
void vboard_push(vboard* b, const uint8_t* buf, const uint32_t* lens, const int32_t* ports, int n);

/* Clock until every queued UART byte and frame has entered, the board reports idle and uart_tx
 * has been idle for 2 character times (*idle = 1), or max_cycles pass (*idle = 0). */
uint64_t vboard_run(vboard* b, uint64_t max_cycles, int* idle);

/* Frames that left the packet ports since the last take: count, total bytes; then copy out. */
int vboard_out_count(vboard* b);
size_t vboard_out_bytes(vboard* b);
void vboard_take(vboard* b, uint8_t* buf, uint32_t* lens, int32_t* ports);

/* Hold rst for n clocks (n >= 1). A UART character or port frame half sent is abandoned; queued
 * ones wait and enter after the reset. */
void vboard_reset(vboard* b, int n);

/* Change the UART divisor (the RTL input and the shim's bit driver and sampler), from the next
 * character on. */
void vboard_set_uart_div(vboard* b, uint32_t div);

uint64_t vboard_cycles(vboard* b);
void vboard_stats_get(vboard* b, vboard_stats* s);

#ifdef __cplusplus
}
#endif
#endif
