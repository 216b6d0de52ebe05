/* SPDX-License-Identifier: MIT */
/* Writing a picture as a 24-bit BMP file (headless screenshots). */
#ifndef FAULTLINE_BMP_H
#define FAULTLINE_BMP_H

#include <stdbool.h>
#include <stdint.h>

/* pixels are XRGB8888, w x h, rows top to bottom; false if the file cannot be written. */
bool bmp_write(const char *path, const uint32_t *pixels, int w, int h);

#endif
