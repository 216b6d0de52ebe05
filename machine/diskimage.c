/* SPDX-License-Identifier: MIT */
/*
 * Image files behind BlockDev.  Reads and writes use whole sectors at byte
 * offsets lba * 512; the overlay for -snapshot keeps each written sector once,
 * found by hashing its LBA, so later reads see the guest's writes while the
 * file stays as it was.
 */
#define _FILE_OFFSET_BITS 64
#define _POSIX_C_SOURCE 200809L
#include "diskimage.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const uint64_t floppy_sizes[] = { 368640, 737280, 1228800, 1474560, 2949120 };

static bool fail(char *err, size_t len, const char *fmt, const char *path, const char *detail)
{
    if (err && len)
        snprintf(err, len, fmt, path, detail);
    return false;
}

static OverlaySlot *overlay_find(DiskImage *d, uint64_t lba, bool *found)
{
    size_t mask = d->slot_count - 1, i = (size_t)(lba * 0x9E3779B97F4A7C15ull) & mask;
    while (d->slots[i].lba != UINT64_MAX && d->slots[i].lba != lba)
        i = (i + 1) & mask;
    *found = d->slots[i].lba == lba;
    return &d->slots[i];
}

static bool overlay_grow(DiskImage *d)
{
    size_t count = d->slot_count ? d->slot_count * 2 : 1024;
    OverlaySlot *slots = malloc(count * sizeof(*slots));
    if (!slots)
        return false;
    for (size_t i = 0; i < count; i++)
        slots[i].lba = UINT64_MAX;
    OverlaySlot *old = d->slots;
    size_t old_count = d->slot_count;
    d->slots = slots;
    d->slot_count = count;
    for (size_t i = 0; i < old_count; i++) {
        if (old[i].lba == UINT64_MAX)
            continue;
        bool found;
        *overlay_find(d, old[i].lba, &found) = old[i];
    }
    free(old);
    return true;
}

/* The overlay copy of a sector, creating it when `create` is set. */
static uint8_t *overlay_sector(DiskImage *d, uint64_t lba, bool create)
{
    if (!d->slots)
        return NULL;
    bool found;
    OverlaySlot *slot = overlay_find(d, lba, &found);
    if (found)
        return d->data + (size_t)slot->index * BLOCK_SECTOR_SIZE;
    if (!create)
        return NULL;
    if ((d->used + 1) * 2 > d->slot_count) {
        if (!overlay_grow(d))
            return NULL;
        slot = overlay_find(d, lba, &found);
    }
    if (d->used == d->data_sectors) {
        size_t n = d->data_sectors ? d->data_sectors * 2 : 256;
        uint8_t *data = realloc(d->data, n * BLOCK_SECTOR_SIZE);
        if (!data)
            return NULL;
        d->data = data;
        d->data_sectors = n;
    }
    slot->lba = lba;
    slot->index = (uint32_t)d->used++;
    return d->data + (size_t)slot->index * BLOCK_SECTOR_SIZE;
}

static bool image_read(void *opaque, uint64_t lba, void *buf, uint32_t count)
{
    DiskImage *d = opaque;
    d->transfers++;
    uint8_t *out = buf;
    for (uint32_t i = 0; i < count; i++, out += BLOCK_SECTOR_SIZE) {
        const uint8_t *saved = overlay_sector(d, lba + i, false);
        if (saved) {
            memcpy(out, saved, BLOCK_SECTOR_SIZE);
            continue;
        }
        if (!d->file) {
            uint64_t at = (lba + i) * BLOCK_SECTOR_SIZE;
            size_t have = at >= d->memory_size ? 0 : d->memory_size - (size_t)at;
            if (have > BLOCK_SECTOR_SIZE)
                have = BLOCK_SECTOR_SIZE;
            if (have)
                memcpy(out, d->memory + at, have);
            memset(out + have, 0, BLOCK_SECTOR_SIZE - have);
            continue;
        }
        if (fseeko(d->file, (off_t)((lba + i) * BLOCK_SECTOR_SIZE), SEEK_SET) != 0 ||
            fread(out, BLOCK_SECTOR_SIZE, 1, d->file) != 1)
            return false;
    }
    return true;
}

static bool image_write(void *opaque, uint64_t lba, const void *buf, uint32_t count)
{
    DiskImage *d = opaque;
    d->transfers++;
    const uint8_t *in = buf;
    if (d->snapshot) {
        if (!d->slots && !overlay_grow(d))
            return false;
        for (uint32_t i = 0; i < count; i++, in += BLOCK_SECTOR_SIZE) {
            uint8_t *copy = overlay_sector(d, lba + i, true);
            if (!copy)
                return false;
            memcpy(copy, in, BLOCK_SECTOR_SIZE);
        }
        return true;
    }
    return fseeko(d->file, (off_t)(lba * BLOCK_SECTOR_SIZE), SEEK_SET) == 0 &&
           fwrite(in, BLOCK_SECTOR_SIZE, count, d->file) == count;
}

static bool size_is_valid(uint64_t size, DiskKind kind, const char *path, char *err, size_t len)
{
    char detail[160];
    if (size == 0)
        return fail(err, len, "'%s' is %s", path, "empty");
    uint64_t unit = kind == DISK_CDROM ? 2048 : BLOCK_SECTOR_SIZE;
    if (size % unit) {
        snprintf(detail, sizeof(detail), "%llu bytes, not a whole number of %llu-byte sectors",
                 (unsigned long long)size, (unsigned long long)unit);
        return fail(err, len, "'%s' is %s", path, detail);
    }
    if (kind != DISK_FLOPPY)
        return true;
    for (size_t i = 0; i < sizeof(floppy_sizes) / sizeof(floppy_sizes[0]); i++)
        if (size == floppy_sizes[i])
            return true;
    snprintf(detail, sizeof(detail),
             "%llu bytes; a floppy image must be 360K, 720K, 1.2M, 1.44M or 2.88M "
             "(368640, 737280, 1228800, 1474560 or 2949120 bytes)", (unsigned long long)size);
    return fail(err, len, "'%s' is %s", path, detail);
}

bool disk_image_open(DiskImage *d, const char *path, DiskKind kind, bool snapshot, bool read_only,
                     char *err, size_t err_len)
{
    memset(d, 0, sizeof(*d));
    struct stat st;
    if (stat(path, &st) != 0)
        return fail(err, err_len, "cannot open '%s': %s", path, strerror(errno));
    if (!S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode))
        return fail(err, err_len, "'%s' is %s", path, "not a regular file");
    if (!size_is_valid((uint64_t)st.st_size, kind, path, err, err_len))
        return false;
    bool writable = !snapshot && !read_only && kind != DISK_CDROM;
    d->file = fopen(path, writable ? "r+b" : "rb");
    if (!d->file)
        return fail(err, err_len, "cannot open '%s': %s", path, strerror(errno));
    d->snapshot = snapshot;
    d->dev = (BlockDev){ .ops = { image_read, image_write }, .opaque = d,
                         .sectors = (uint64_t)st.st_size / BLOCK_SECTOR_SIZE,
                         .read_only = read_only || kind == DISK_CDROM };
    return true;
}

bool disk_image_from_memory(DiskImage *d, const uint8_t *data, size_t size, uint64_t total_bytes)
{
    memset(d, 0, sizeof(*d));
    if (size > total_bytes || total_bytes % BLOCK_SECTOR_SIZE)
        return false;
    d->memory = data;
    d->memory_size = size;
    d->snapshot = true;
    d->dev = (BlockDev){ .ops = { image_read, image_write }, .opaque = d,
                         .sectors = total_bytes / BLOCK_SECTOR_SIZE };
    return true;
}

void disk_image_close(DiskImage *d)
{
    if (d->file)
        fclose(d->file);
    free(d->slots);
    free(d->data);
    memset(d, 0, sizeof(*d));
}
