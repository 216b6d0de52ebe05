/* SPDX-License-Identifier: MIT */
/*
 * The two Intel 8237A DMA controllers of the PC/AT (8237A datasheet, IBM AT
 * technical reference): controller 1 serves the 8-bit channels 0-3 at ports
 * 0x00-0x0F, controller 2 the 16-bit channels 4-7 at 0xC0-0xDF (registers on
 * even ports; A0 is not decoded), and the 74LS612 page registers give each
 * channel address bits 16-23 (0x87/0x83/0x81/0x82 for 0-3, 0x8F/0x8B/0x89/0x8A
 * for 4-7).  Port 0x80 (POST codes) and the unused page-register ports are
 * not mapped here.  A device moves its data with i8237_transfer(), which
 * walks guest physical memory through the callbacks given at init, wraps
 * inside the 64 KiB (128 KiB for 16-bit channels) page as the hardware does,
 * and raises terminal count.  Not modelled: memory-to-memory transfers, the
 * cascade requirement on channel 4, transfer timing and bus arbitration.
 */
#ifndef FAULTLINE_I8237_H
#define FAULTLINE_I8237_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bus.h"
#include "state.h"

/* Mode register (write 0x0B / 0xD6):
 *   7-6 mode (00 demand, 01 single, 10 block, 11 cascade)
 *   5 address decrement   4 autoinitialize
 *   3-2 transfer (00 verify, 01 write = device to memory, 10 read = memory to device)
 *   1-0 channel */
#define I8237_MODE_TYPE_MASK 0x0C
#define I8237_MODE_VERIFY 0x00
#define I8237_MODE_WRITE 0x04
#define I8237_MODE_READ 0x08
#define I8237_MODE_AUTOINIT 0x10
#define I8237_MODE_DECREMENT 0x20

typedef struct I8237MemOps {
    void (*mem_read)(void *opaque, uint64_t phys, void *dst, size_t n);
    void (*mem_write)(void *opaque, uint64_t phys, const void *src, size_t n);
    void *opaque;
} I8237MemOps;

struct I8237;
/* Host-side context of one page-register window: where the window starts. */
typedef struct I8237PageWindow {
    struct I8237 *dma;
    uint32_t base;
} I8237PageWindow;

typedef struct I8237 {
    /* Per channel 0-7 (4-7 count and address in 16-bit words). */
    uint16_t base_addr[8], base_count[8], cur_addr[8], cur_count[8];
    uint8_t mode[8], page[8];
    bool last_tc[8];            /* the last i8237_transfer on the channel hit terminal count */
    /* Per controller (0: channels 0-3, 1: channels 4-7). */
    uint8_t command[2], status[2], mask[2], request[2], temp[2];
    bool flipflop[2];           /* byte pointer: false = low byte next */

    I8237MemOps mem;
    I8237PageWindow page_windows[4];
    BusLogFn log;
    void *log_opaque;
    uint32_t logged;            /* kinds of guest misuse already logged */
} I8237;

void i8237_init(I8237 *dma, I8237MemOps mem);
void i8237_reset(I8237 *dma);
bool i8237_map(I8237 *dma, IoSpace *ports);

/*
 * Moves up to len bytes between buf and guest memory on channel 0-7 and
 * returns the bytes moved: 0 when the channel is masked or the controller
 * disabled, fewer than len when terminal count ends the transfer.  to_memory
 * is the device's direction; a channel programmed for verify moves no data
 * but still counts.  On a 16-bit channel len is rounded down to whole words.
 */
uint32_t i8237_transfer(I8237 *dma, int channel, void *buf, uint32_t len, bool to_memory);
/* True when the last i8237_transfer on this channel reached terminal count. */
bool i8237_channel_tc(const I8237 *dma, int channel);
bool i8237_channel_masked(const I8237 *dma, int channel);
/* DREQ as seen in the status register bits 4-7. */
void i8237_set_request(I8237 *dma, int channel, bool level);

extern const StateDesc i8237_state;

#endif
