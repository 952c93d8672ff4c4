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

/* rtl/link/lr_link_fifo.v as the shared link FIFO (SHARED_FIFO): DATA_WIDTH 8, FIFO_BYTES 256
 * (MAX_FRAMES 4), TAG_WIDTH 2, SINGLE_PORT 1. One entry per clock: the inputs before the edge,
 * the outputs after it; a batch of clocks per call. */
typedef struct {
    uint8_t rst, s_valid, s_data, s_last, s_dest, m_ready; /* in */
    uint8_t m_valid, m_data, m_last, m_dest, drop, drop_tag, empty; /* out */
} vmod_linkfifo_io;
#define VMOD_LINKFIFO_BYTES 256
#define VMOD_LINKFIFO_FRAMES 4
void vmod_linkfifo_run(vmod_linkfifo_io* io, int n);

/* rtl/mgmt/lr_rv32.v: whole programs, a batch of runs per call. Each run resets the core, then
 * clocks it against a memory model (wait states from the run's seed) until it traps, has retired
 * trace_cap instructions or has run max_cycles clocks, recording the retire trace. */
typedef struct {
    uint32_t pc, insn, rd_wdata, mem_addr, mem_rdata, mem_wdata;
    uint32_t cycle; /* the clock it retired in, from the end of reset */
    uint8_t rd, mem_rmask, mem_wmask, trap;
} vmod_rv32_retire;

typedef struct {
    /* in */
    uint64_t seed;        /* wait states, and the garbage on mem_rdata while mem_ready is low */
    uint32_t mem_off;     /* the run's memory image: mem[mem_off .. mem_off + mem_size) */
    uint32_t mem_size;    /* bytes, a power of two >= 4; addresses wrap */
    uint32_t trace_off;   /* its records: trace[trace_off .. trace_off + trace_cap) */
    uint32_t trace_cap;
    uint32_t max_cycles;
    uint8_t wait_min;     /* each access waits wait_min..wait_max clocks (0: ready at once) */
    uint8_t wait_max;
    uint32_t reset_at;    /* rst again at this clock (0: never) and continue from RESET_PC */
    /* out */
    uint8_t error;        /* VMOD_RV32_ERR_*: a bus or halt rule broken, at error_cycle */
    uint32_t error_cycle;
    uint32_t retired;     /* records written */
    uint32_t reset_retired; /* of them, before the reset at reset_at (UINT32_MAX: none) */
    uint32_t cycles;      /* clocks from the end of reset to the last retirement */
    uint32_t accesses;    /* bus transfers (mem_valid && mem_ready) */
} vmod_rv32_run;
#define VMOD_RV32_ERR_CHANGED 1   /* the request changed or was withdrawn before mem_ready */
#define VMOD_RV32_ERR_ALIGN 2     /* mem_addr bits 1:0 not zero */
#define VMOD_RV32_ERR_HALT 3      /* after ret_trap: trap low, mem_valid or ret_valid high */
#define VMOD_RV32_ERR_TRAP 4      /* trap high without a ret_trap record */
#define VMOD_RV32_ERR_RESET 5     /* mem_valid, ret_valid or trap high during rst */
void vmod_rv32_eval(vmod_rv32_run* runs, int n, uint8_t* mem, vmod_rv32_retire* trace);

#ifdef __cplusplus
}
#endif
#endif
