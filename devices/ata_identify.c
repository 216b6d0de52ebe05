/* SPDX-License-Identifier: MIT */
/*
 * IDENTIFY DEVICE contents (see ata_identify.h).  ATA strings put the first
 * character of each pair in the high byte of the word, so "Fa" reads back as
 * the bytes 'a','F' from the data port; drivers swap them back.
 */
#include "ata_identify.h"

#include <stdio.h>
#include <string.h>

#include "ata.h"

static void put_word(uint8_t *out, int word, uint16_t v)
{
    out[word * 2] = (uint8_t)v;
    out[word * 2 + 1] = (uint8_t)(v >> 8);
}

/* An ATA string: space padded, two characters per word, first one high. */
static void put_string(uint8_t *out, int word, int words, const char *s)
{
    size_t len = strlen(s);
    for (int i = 0; i < words * 2; i++) {
        char c = (size_t)i < len ? s[i] : ' ';
        out[word * 2 + (i ^ 1)] = (uint8_t)c;
    }
}

static void put_dword(uint8_t *out, int word, uint32_t v)
{
    put_word(out, word, (uint16_t)v);
    put_word(out, word + 1, (uint16_t)(v >> 16));
}

static void put_geometry(uint8_t *out, const AtaIdentityInput *in)
{
    uint16_t cyls, heads, spt;
    ata_default_geometry(in->sectors, &cyls, &heads, &spt);
    put_word(out, 1, cyls);
    put_word(out, 3, heads);
    put_word(out, 6, spt);
    /* Retired since ATA-2 but filled as drives of that era did: BIOSes such as
     * the Bochs BIOS take the PIO block size from word 5. */
    put_word(out, 4, (uint16_t)(512 * spt));
    put_word(out, 5, 512);
    if (in->cur_spt) {
        uint32_t cur = (uint32_t)in->cur_cyls * in->cur_heads * in->cur_spt;
        put_word(out, 53, 0x0007);      /* words 54-58, 64-70 and 88 valid */
        put_word(out, 54, in->cur_cyls);
        put_word(out, 55, in->cur_heads);
        put_word(out, 56, in->cur_spt);
        put_dword(out, 57, cur);
    } else {
        put_word(out, 53, 0x0006);
    }
}

static void put_capacity(uint8_t *out, uint64_t sectors)
{
    put_dword(out, 60, (uint32_t)(sectors > 0x0FFFFFFF ? 0x0FFFFFFF : sectors));
    for (int i = 0; i < 4; i++)
        put_word(out, 100 + i, (uint16_t)(sectors >> (16 * i)));
}

static void put_features(uint8_t *out, uint8_t mult)
{
    put_word(out, 47, 0x8000 | ATA_MAX_MULTIPLE);
    put_word(out, 49, 0x0200);          /* LBA supported; no DMA */
    put_word(out, 50, 0x4000);
    put_word(out, 51, 0x0200);          /* PIO mode 2 timing (obsolete word) */
    put_word(out, 59, mult ? (uint16_t)(0x0100 | mult) : 0);
    put_word(out, 64, 0x0003);          /* PIO modes 3 and 4 */
    put_word(out, 65, 120);
    put_word(out, 66, 120);
    put_word(out, 67, 120);
    put_word(out, 68, 120);
    put_word(out, 80, 0x007E);          /* ATA-1 to ATA-6 */
    put_word(out, 82, 0x0008);          /* power management */
    put_word(out, 83, 0x7400);          /* FLUSH CACHE (EXT), 48-bit addressing */
    put_word(out, 84, 0x4000);
    put_word(out, 85, 0x0008);
    put_word(out, 86, 0x3400);
    put_word(out, 87, 0x4000);
}

void ata_identify_build(const AtaIdentityInput *in, uint8_t out[512])
{
    char serial[21];
    memset(out, 0, 512);
    put_word(out, 0, 0x0040);           /* fixed (non-removable) ATA device */
    snprintf(serial, sizeof(serial), "FL%d-%llu", in->dev, (unsigned long long)in->sectors);
    put_string(out, 10, 10, serial);
    put_string(out, 23, 4, "FL 1.0");
    put_string(out, 27, 20, "Faultline ATA disk");
    put_geometry(out, in);
    put_features(out, in->mult_sectors);
    put_capacity(out, in->sectors);
    /* Word 255: signature A5h and a checksum making all 512 bytes sum to zero. */
    out[510] = 0xA5;
    uint8_t sum = 0;
    for (int i = 0; i < 511; i++)
        sum = (uint8_t)(sum + out[i]);
    out[511] = (uint8_t)-sum;
}
