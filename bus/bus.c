/* SPDX-License-Identifier: MIT */
/*
 * Address-space windows: lookup, width splitting and merging, and the
 * all-ones answer for unmapped addresses (what an undriven ISA bus returns).
 * Lookup is a linear scan over a few dozen windows; a per-port index can
 * replace it when a benchmark asks for it.
 */
#include "bus.h"

#include <stdio.h>
#include <string.h>

void io_space_init(IoSpace *space, const char *name)
{
    memset(space, 0, sizeof(*space));
    space->name = name;
}

bool io_space_map(IoSpace *space, const IoWindow *window)
{
    if (space->count == IO_SPACE_MAX_WINDOWS || window->length == 0)
        return false;
    uint64_t start = window->base, end = start + window->length;
    for (int i = 0; i < space->count; i++) {
        const IoWindow *w = &space->windows[i];
        if (start < (uint64_t)w->base + w->length && w->base < end)
            return false;
    }
    space->windows[space->count++] = *window;
    return true;
}

bool io_space_unmap(IoSpace *space, uint32_t base, const void *opaque)
{
    for (int i = 0; i < space->count; i++) {
        if (space->windows[i].base != base || space->windows[i].opaque != opaque)
            continue;
        space->windows[i] = space->windows[--space->count];
        return true;
    }
    return false;
}

const IoWindow *io_space_find(const IoSpace *space, uint32_t addr)
{
    for (int i = 0; i < space->count; i++) {
        const IoWindow *w = &space->windows[i];
        if (addr - w->base < w->length)
            return w;
    }
    return NULL;
}

static void log_unmapped(IoSpace *space, uint32_t addr, const char *what)
{
    for (int i = 0; i < space->logged_count; i++)
        if (space->logged_unmapped[i] == addr)
            return;
    if (space->logged_count < IO_SPACE_MAX_LOGGED)
        space->logged_unmapped[space->logged_count++] = addr;
    else
        return;     /* enough said: stay quiet rather than flood the log */
    if (space->log) {
        char line[96];
        snprintf(line, sizeof(line), "unmapped %s %s at 0x%x (logged once)", space->name, what, addr);
        space->log(space->log_opaque, line);
    }
}

static unsigned window_widths(const IoWindow *w)
{
    return w->widths ? w->widths : IO_WIDTH_8;
}

/* The widest supported width that fits in size, or the smallest supported one. */
static unsigned pick_width(const IoWindow *w, unsigned size)
{
    unsigned widths = window_widths(w);
    for (unsigned s = size; s >= 1; s >>= 1)
        if (widths & s)
            return s;
    for (unsigned s = 1; s <= 4; s <<= 1)
        if (widths & s)
            return s;
    return 1;
}

static uint32_t all_ones(unsigned size)
{
    return size == 4 ? 0xFFFFFFFFu : (1u << (size * 8)) - 1;
}

static uint32_t read_piece(IoSpace *space, uint32_t addr, unsigned size)
{
    const IoWindow *w = io_space_find(space, addr);
    if (!w) {
        log_unmapped(space, addr, "read");
        return all_ones(size);
    }
    if (!w->read)
        return all_ones(size);
    unsigned width = pick_width(w, size);
    uint32_t offset = addr - w->base;
    bool fits = offset + size <= w->length;
    if (width == size && fits)
        return w->read(w->opaque, offset, size) & all_ones(size);
    if (width > size) {
        /* Merge: read the aligned wider unit and pick our bytes out of it. */
        uint32_t aligned = offset & ~(uint32_t)(width - 1);
        if (aligned + width <= w->length) {
            uint32_t v = w->read(w->opaque, aligned, width);
            return (v >> ((offset - aligned) * 8)) & all_ones(size);
        }
        width = 1;
    }
    if (!fits || width == size)
        width = 1;
    /* Split into narrower pieces, little-endian; each piece may hit another window. */
    uint32_t value = 0;
    for (unsigned i = 0; i < size; i += width)
        value |= read_piece(space, addr + i, width) << (i * 8);
    return value;
}

uint32_t io_space_read(IoSpace *space, uint32_t addr, unsigned size)
{
    return read_piece(space, addr, size);
}

void io_space_write(IoSpace *space, uint32_t addr, uint32_t value, unsigned size)
{
    const IoWindow *w = io_space_find(space, addr);
    if (!w) {
        log_unmapped(space, addr, "write");
        return;
    }
    /* A narrower write than the device takes reaches it as is (the ISA bus
     * drives only the byte lanes written); a wider one is split. */
    unsigned width = pick_width(w, size);
    if (width >= size && addr - w->base + size <= w->length) {
        if (w->write)
            w->write(w->opaque, addr - w->base, value & all_ones(size), size);
        return;
    }
    if (width >= size)
        width = 1;
    for (unsigned i = 0; i < size; i += width)
        io_space_write(space, addr + i, value >> (i * 8), width);
}
