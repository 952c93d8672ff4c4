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

/* rtl/core/lr_lpm_tcam_bram.v, ENTRIES 40 (two 32-entry words of the hit vector, the second
 * partly used), one clock per call */
typedef struct {
    uint8_t rst;       /* in */
    uint8_t req_valid; /* in: a lookup of req_key */
    uint32_t req_key;  /* in */
    uint8_t we;        /* in: write command (tbl_lpm_we) */
    uint8_t re;        /* in: read-back command (tbl_lpm_re) */
    uint16_t index;    /* in */
    uint8_t wr_valid;  /* in */
    uint32_t wr_value; /* in */
    uint32_t wr_mask;  /* in */
    uint16_t wr_adj;   /* in */
    uint8_t resp_valid; /* out, after the clock edge */
    uint8_t resp_hit;
    uint16_t resp_index;
    uint16_t resp_adj;
    uint8_t rd_valid;
    uint32_t rd_value;
    uint32_t rd_mask;
    uint16_t rd_adj;
    uint8_t busy;
} vmod_tcam_io;
#define VMOD_TCAM_ENTRIES 40
void vmod_tcam_step(vmod_tcam_io* io);

#ifdef __cplusplus
}
#endif
#endif
