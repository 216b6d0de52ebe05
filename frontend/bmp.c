/* SPDX-License-Identifier: MIT */
/*
 * A minimal BMP writer: BITMAPFILEHEADER + BITMAPINFOHEADER, 24 bits per
 * pixel, rows stored bottom-up and padded to 4 bytes, as the format requires.
 */
#include "bmp.h"

#include <stdio.h>
#include <stdlib.h>

static void put16(uint8_t *p, uint32_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static void put32(uint8_t *p, uint32_t v) { put16(p, v); put16(p + 2, v >> 16); }

bool bmp_write(const char *path, const uint32_t *pixels, int w, int h)
{
    uint32_t row = ((uint32_t)w * 3 + 3) & ~3u, data = row * (uint32_t)h;
    uint8_t header[54] = { 'B', 'M' };
    put32(header + 2, 54 + data);
    put32(header + 10, 54);
    put32(header + 14, 40);
    put32(header + 18, (uint32_t)w);
    put32(header + 22, (uint32_t)h);
    put16(header + 26, 1);
    put16(header + 28, 24);
    put32(header + 34, data);
    FILE *f = fopen(path, "wb");
    uint8_t *line = calloc(1, row);
    bool ok = f && line && fwrite(header, sizeof(header), 1, f) == 1;
    for (int y = h - 1; ok && y >= 0; y--) {
        for (int x = 0; x < w; x++) {
            uint32_t p = pixels[(size_t)y * (size_t)w + (size_t)x];
            line[x * 3] = (uint8_t)p;
            line[x * 3 + 1] = (uint8_t)(p >> 8);
            line[x * 3 + 2] = (uint8_t)(p >> 16);
        }
        ok = fwrite(line, row, 1, f) == 1;
    }
    free(line);
    if (f && fclose(f) != 0)
        ok = false;
    return ok;
}
