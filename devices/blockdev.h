/* SPDX-License-Identifier: MIT */
/*
 * The host side of a disk: a block device of 512-byte sectors reached through
 * two callbacks.  The machine builds one from an image file (or an overlay for
 * -snapshot); the ATA and floppy controllers only ever call these ops and never
 * touch files.  A failed callback is reported to the guest as a medium error.
 */
#ifndef FAULTLINE_BLOCKDEV_H
#define FAULTLINE_BLOCKDEV_H

#include <stdbool.h>
#include <stdint.h>

#define BLOCK_SECTOR_SIZE 512u

typedef struct BlockOps {
    bool (*read)(void *opaque, uint64_t lba, void *buf, uint32_t count);
    bool (*write)(void *opaque, uint64_t lba, const void *buf, uint32_t count);
} BlockOps;

typedef struct BlockDev {
    BlockOps ops;
    void *opaque;
    uint64_t sectors;
    bool read_only;
} BlockDev;

/* Reads count sectors; false when out of range or the host read failed. */
static inline bool blockdev_read(const BlockDev *bd, uint64_t lba, void *buf, uint32_t count)
{
    if (!bd || !bd->ops.read || lba + count > bd->sectors || lba + count < lba)
        return false;
    return bd->ops.read(bd->opaque, lba, buf, count);
}

static inline bool blockdev_write(const BlockDev *bd, uint64_t lba, const void *buf, uint32_t count)
{
    if (!bd || bd->read_only || !bd->ops.write || lba + count > bd->sectors || lba + count < lba)
        return false;
    return bd->ops.write(bd->opaque, lba, buf, count);
}

#endif
