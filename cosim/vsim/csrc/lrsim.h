/* lrsim.h: the C interface of the Verilated lr_core, in units of work (frames, register
 * bursts, runs), for Go through cgo and for the pure C++ benchmark loop. cgo never sees C++. */
#ifndef LRSIM_H
#define LRSIM_H
#include <stddef.h>
#include <stdint.h>
#ifdef __cplusplus
extern "C" {
#endif

typedef struct lrsim lrsim;

typedef struct {
    uint64_t seed;          /* stall pattern seed: a run is reproducible from (build, seed, input) */
    uint32_t in_stall_pct;  /* % of cycles an idle input starts no beat (tvalid gaps) */
    uint32_t out_stall_pct; /* % of cycles an output holds tready low */
    const char* wave_path;  /* FST file to write, or NULL */
} lrsim_opts;

/* Build facts. */
typedef struct {
    int n_ports, data_width, lpm_entries, adj_entries, raddr_entries, max_frame_bytes;
} lrsim_info;

lrsim* lrsim_new(const lrsim_opts* opts);
void lrsim_free(lrsim* s);
void lrsim_info_get(lrsim_info* info);

/* Register bus: n operations. kind 0 = write data[i] to addr[i]; 1 = read addr[i] into data[i];
 * 2 = let data[i] clocks pass. One clock per access. */
void lrsim_csr(lrsim* s, const uint8_t* kind, const uint16_t* addr, uint32_t* data, int n);

/* Queue n frames. Frame i is lens[i] bytes at the running offset in buf; ports[i] is the
 * ingress port, or -1 for the inject stream. Copies the bytes. */
void lrsim_push(lrsim* s, const uint8_t* buf, const uint32_t* lens, const int32_t* ports, int n);

/* Clock until every queued frame has entered, the core reports idle and the outputs are quiet
 * for a few clocks, or max_cycles pass. Returns the clocks run; *timed_out is 1 on the latter. */
uint64_t lrsim_run(lrsim* s, uint64_t max_cycles, int* timed_out);

/* Clock exactly n cycles. */
void lrsim_step(lrsim* s, uint64_t n);

/* Frames that came out since the last take: count and total bytes. */
int lrsim_out_count(lrsim* s);
size_t lrsim_out_bytes(lrsim* s);
/* Copy them out and forget them: lens[i], port[i] (0..N-1, or N for the CPU queue), tuser[i]
 * (the ingress port a port output carries in tuser). */
void lrsim_take(lrsim* s, uint8_t* buf, uint32_t* lens, int32_t* port, int32_t* tuser);

/* Total clocks since reset; stream-protocol violations seen on the outputs. */
uint64_t lrsim_cycles(lrsim* s);
uint64_t lrsim_protocol_errors(lrsim* s);
/* Clocks an input had a beat ready but tready was low (ingress backpressure), summed. */
uint64_t lrsim_rx_stalls(lrsim* s);

#ifdef __cplusplus
}
#endif
#endif
