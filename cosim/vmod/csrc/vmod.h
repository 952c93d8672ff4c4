/* vmod.h: per-module RTL test harness. Each tested module's ports are a plain struct shared with
 * Go; one call evaluates a whole array of them (combinational modules) so a test crosses cgo
 * once per batch, not once per signal. */
#ifndef VMOD_H
#define VMOD_H
#include <stdint.h>
#ifdef __cplusplus
extern "C" {
#endif

/* rtl/lib/lr_crc32.v, DATA_WIDTH 64 */
typedef struct {
    uint64_t data;    /* in: byte j at bits 8j+7..8j */
    uint32_t crc_in;  /* in */
    uint8_t keep;     /* in */
    uint8_t en;       /* in */
    uint32_t crc_out; /* out */
} vmod_crc32_io;
void vmod_crc32_eval(vmod_crc32_io* io, int n);

/* rtl/core/lr_ip_checksum.v, streamed at DATA_WIDTH 8 and 128 */
typedef struct {
    uint8_t frame[80]; /* in: the frame's first 80 bytes, streamed from beat 0 */
    uint8_t gaps;      /* in: an idle clock (no beat) after every beat */
    uint8_t ok8;       /* out: ok after the beats, DATA_WIDTH 8 */
    uint8_t ok128;     /* out: ok after the beats, DATA_WIDTH 128 */
} vmod_ipcsum_io;
void vmod_ipcsum_eval(vmod_ipcsum_io* io, int n);

#ifdef __cplusplus
}
#endif
#endif
