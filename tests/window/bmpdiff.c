/* SPDX-License-Identifier: MIT */
/*
 * Compares a screenshot of the SDL window with the display's own frame:
 * each window pixel is checked against the frame pixel under its centre
 * when the frame is stretched over the whole window (nearest neighbour, as
 * SDL scales with SDL_RENDER_SCALE_QUALITY=nearest).  Exits 0 when at least
 * MIN_PERCENT of the pixels match exactly, and says how many did.
 *   bmpdiff WINDOW.bmp FRAME.bmp [MIN_PERCENT]
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct Image {
    int w, h;
    uint32_t *px;
} Image;

static uint32_t le(const uint8_t *p, int n)
{
    uint32_t v = 0;
    for (int i = n - 1; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

/* Reads an uncompressed 24- or 32-bit BMP into XRGB pixels, top row first. */
static int load(const char *path, Image *img)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *d = malloc((size_t)size);
    if (!d || size < 54 || fread(d, 1, (size_t)size, f) != (size_t)size || d[0] != 'B' || d[1] != 'M') {
        fclose(f);
        free(d);
        return 0;
    }
    fclose(f);
    uint32_t off = le(d + 10, 4), bpp = le(d + 28, 2);
    int32_t w = (int32_t)le(d + 18, 4), h = (int32_t)le(d + 22, 4);
    int top_down = h < 0;
    if (top_down)
        h = -h;
    uint32_t row = ((uint32_t)w * (bpp / 8) + 3) & ~3u;
    if ((bpp != 24 && bpp != 32) || w <= 0 || h <= 0 || off + row * (uint32_t)h > (uint32_t)size) {
        free(d);
        return 0;
    }
    img->w = w;
    img->h = h;
    img->px = malloc((size_t)w * (size_t)h * 4);
    for (int y = 0; y < h; y++) {
        const uint8_t *line = d + off + row * (uint32_t)(top_down ? y : h - 1 - y);
        for (int x = 0; x < w; x++)
            img->px[(size_t)y * (size_t)w + (size_t)x] = le(line + x * (bpp / 8), 3);
    }
    free(d);
    return 1;
}

int main(int argc, char **argv)
{
    Image win, frame;
    if (argc < 3 || !load(argv[1], &win) || !load(argv[2], &frame)) {
        fprintf(stderr, "usage: bmpdiff WINDOW.bmp FRAME.bmp [MIN_PERCENT] (both readable BMPs)\n");
        return 2;
    }
    double min_percent = argc > 3 ? atof(argv[3]) : 99.0;
    long same = 0, lit = 0, total = (long)win.w * win.h;
    for (int y = 0; y < win.h; y++)
        for (int x = 0; x < win.w; x++) {
            int fx = (int)(((long)x * 2 + 1) * frame.w / (2L * win.w));
            int fy = (int)(((long)y * 2 + 1) * frame.h / (2L * win.h));
            uint32_t want = frame.px[(size_t)fy * (size_t)frame.w + (size_t)fx];
            same += win.px[(size_t)y * (size_t)win.w + (size_t)x] == want;
            lit += want != 0;
        }
    double percent = 100.0 * (double)same / (double)total;
    printf("bmpdiff: %dx%d window vs %dx%d frame: %.2f%% of pixels match (%ld lit in the frame)\n",
           win.w, win.h, frame.w, frame.h, percent, lit);
    return percent >= min_percent && lit > 0 ? 0 : 1;
}
