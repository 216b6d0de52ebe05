/* SPDX-License-Identifier: MIT */
/*
 * Disk image files as block devices for the ATA and floppy controllers.
 * Opening validates the file (exists, readable, not empty, whole 512-byte
 * sectors, a standard size for a floppy) and explains a refusal in one line.
 * With -snapshot, writes go to an in-memory overlay and the file is never
 * opened for writing; otherwise writes reach the file and are flushed on close.
 */
#ifndef FAULTLINE_DISKIMAGE_H
#define FAULTLINE_DISKIMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "blockdev.h"

typedef enum DiskKind { DISK_FLOPPY, DISK_HARD, DISK_CDROM } DiskKind;

typedef struct OverlaySlot {
    uint64_t lba;       /* UINT64_MAX: empty */
    uint32_t index;     /* sector index into data */
} OverlaySlot;

typedef struct DiskImage {
    FILE *file;                 /* NULL for an image held in memory */
    const uint8_t *memory;      /* the in-memory image's bytes (zero beyond memory_size) */
    size_t memory_size;
    BlockDev dev;
    bool snapshot;
    /* The -snapshot overlay: an open-addressing map from LBA to a saved sector. */
    OverlaySlot *slots;
    size_t slot_count, used;
    uint8_t *data;
    size_t data_sectors;
    uint64_t transfers;         /* reads and writes so far, for a disk activity light */
} DiskImage;

/* Returns false with a one-line reason in err (the image is left untouched). */
bool disk_image_open(DiskImage *d, const char *path, DiskKind kind, bool snapshot, bool read_only,
                     char *err, size_t err_len);
/* A floppy of total_bytes whose first bytes are `data` (the built-in guest);
 * writes go to the overlay, as with -snapshot. */
bool disk_image_from_memory(DiskImage *d, const uint8_t *data, size_t size, uint64_t total_bytes);
static inline bool disk_image_present(const DiskImage *d)
{
    return d->file || d->memory;
}
/* Flushes and closes; safe on a zeroed or already closed image. */
void disk_image_close(DiskImage *d);

#endif
