/* SPDX-License-Identifier: MIT */
/*
 * The contract every chip is written against: an address space (used both for
 * the 64 KiB port I/O space and for MMIO) made of windows with offset-based
 * callbacks, and IRQ lines as small value types.  A window declares the access
 * widths it supports; an access of another width is split into (or merged from)
 * supported ones, little-endian, the way the ISA bus does it.  Unmapped
 * addresses read all ones and drop writes, and each is logged once.
 */
#ifndef FAULTLINE_BUS_H
#define FAULTLINE_BUS_H

#include <stdbool.h>
#include <stdint.h>

/* Access widths a window accepts, as a bit mask. */
enum { IO_WIDTH_8 = 1, IO_WIDTH_16 = 2, IO_WIDTH_32 = 4 };

typedef uint32_t (*IoReadFn)(void *opaque, uint32_t offset, unsigned size);
typedef void (*IoWriteFn)(void *opaque, uint32_t offset, uint32_t value, unsigned size);

typedef struct IoWindow {
    const char *name;
    uint32_t base;
    uint32_t length;
    unsigned widths;        /* IO_WIDTH_* mask; 0 means bytes only */
    IoReadFn read;          /* NULL: reads all ones */
    IoWriteFn write;        /* NULL: writes dropped */
    void *opaque;
} IoWindow;

enum { IO_SPACE_MAX_WINDOWS = 96, IO_SPACE_MAX_LOGGED = 32 };

typedef void (*BusLogFn)(void *opaque, const char *message);

typedef struct IoSpace {
    const char *name;       /* "port" or "mmio", used in log lines */
    IoWindow windows[IO_SPACE_MAX_WINDOWS];
    int count;
    uint32_t logged_unmapped[IO_SPACE_MAX_LOGGED];
    int logged_count;
    BusLogFn log;
    void *log_opaque;
} IoSpace;

void io_space_init(IoSpace *space, const char *name);
/* Returns false (and maps nothing) when the window overlaps one already mapped. */
bool io_space_map(IoSpace *space, const IoWindow *window);
/* Removes the window at base owned by opaque (a PCI BAR moving); false if none. */
bool io_space_unmap(IoSpace *space, uint32_t base, const void *opaque);
const IoWindow *io_space_find(const IoSpace *space, uint32_t addr);
uint32_t io_space_read(IoSpace *space, uint32_t addr, unsigned size);
void io_space_write(IoSpace *space, uint32_t addr, uint32_t value, unsigned size);

/*
 * An interrupt request line: the chip that owns the input (PIC, I/O APIC)
 * supplies set(), the chip that drives it only holds the value.
 */
typedef struct IrqLine {
    void (*set)(void *ctx, int line, int level);
    void *ctx;
    int line;
} IrqLine;

static inline void irq_set_level(IrqLine irq, int level)
{
    if (irq.set)
        irq.set(irq.ctx, irq.line, level);
}

static inline void irq_pulse(IrqLine irq)
{
    irq_set_level(irq, 1);
    irq_set_level(irq, 0);
}

#endif
