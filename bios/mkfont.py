#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Builds the BIOS fonts (8x16, 8x14, 8x8 in code page 437 order) from the
PSF console fonts of Debian's console-data package.

Every CP437 code is mapped to its Unicode code point (bytes 00-1F and 7F are
the IBM graphic symbols, the rest come from Python's cp437 codec) and looked
up in the unicode tables of a chain of fonts of the wanted height, first font
first.  A code no font of that height has is drawn from the 8x16 glyph:
rows 1-14 for 8x14, pairs of rows OR-ed together for 8x8.  Code 00 is blank,
as on the IBM adapters.

usage: mkfont.py FONTDIR OUTPUT.bin
The output is the 8x16 table (4096 bytes), then 8x14 (3584), then 8x8 (2048).
"""
import gzip
import struct
import sys

CHAINS = {
    16: ["default8x16.psf.gz", "lat1-16.psf.gz", "LatArCyrHeb-16.psf.gz"],
    14: ["lat1-14.psf.gz", "Cyr_a8x14.psf.gz", "cp857-8x14.psf.gz", "LatArCyrHeb-14.psf.gz"],
    8: ["lat1-08.psf.gz", "Cyr_a8x8.psf.gz", "cp857-8x8.psf.gz", "LatArCyrHeb-08.psf.gz"],
}

# CP437 shows glyphs, not control codes, for 01-1F and 7F (IBM PC Technical Reference).
LOW_SYMBOLS = "\u0000☺☻♥♦♣♠•◘○◙♂♀♪♫☼►◄↕‼¶§▬↨↑↓→←∟↔▲▼"


def cp437_to_unicode(code):
    if code < 0x20:
        return ord(LOW_SYMBOLS[code])
    if code == 0x7F:
        return 0x2302
    return ord(bytes([code]).decode("cp437"))


def read_psf1(data):
    mode, height = data[2], data[3]
    count = 512 if mode & 1 else 256
    glyphs = [data[4 + i * height:4 + (i + 1) * height] for i in range(count)]
    table, pos = {}, 4 + count * height
    if mode & 6:
        for index in range(count):
            while True:
                (u,) = struct.unpack_from("<H", data, pos)
                pos += 2
                if u == 0xFFFF:
                    break
                if u != 0xFFFE:
                    table.setdefault(u, index)
    return height, 8, glyphs, table


def read_psf2(data):
    _, _, header, flags, count, size, height, width = struct.unpack_from("<8I", data)
    glyphs = [data[header + i * size:header + (i + 1) * size] for i in range(count)]
    table, pos = {}, header + count * size
    if flags & 1:
        for index in range(count):
            while data[pos] != 0xFF:
                if data[pos] == 0xFE:
                    pos += 1
                    continue
                lead = data[pos]
                n = 1 if lead < 0x80 else 2 if lead < 0xE0 else 3 if lead < 0xF0 else 4
                table.setdefault(ord(data[pos:pos + n].decode("utf-8")), index)
                pos += n
            pos += 1
    return height, width, glyphs, table


def read_psf(path):
    data = gzip.open(path).read()
    if data[:2] == b"\x36\x04":
        return read_psf1(data)
    if data[:4] == b"\x72\xb5\x4a\x86":
        return read_psf2(data)
    raise ValueError(path + ": not a PSF font")


def lookup(fonts, code):
    if code == 0:
        return None
    u = cp437_to_unicode(code)
    for height, width, glyphs, table in fonts:
        if width == 8 and u in table:
            return bytes(glyphs[table[u]][:height])
    return None


def shrink(glyph16, height):
    if height == 14:
        return glyph16[1:15]
    return bytes(glyph16[2 * i] | glyph16[2 * i + 1] for i in range(8))


def build(fontdir, height, base16):
    fonts = []
    for name in CHAINS[height]:
        try:
            fonts.append(read_psf(fontdir + "/" + name))
        except OSError:
            pass
    out, derived = bytearray(), 0
    for code in range(256):
        glyph = lookup(fonts, code)
        if glyph is None and code != 0 and base16 is not None:
            glyph = shrink(base16[code * 16:(code + 1) * 16], height)
            derived += 1
        out += glyph if glyph is not None else bytes(height)
    return bytes(out), derived


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: mkfont.py FONTDIR OUTPUT.bin")
    fontdir, output = sys.argv[1], sys.argv[2]
    font16, missing16 = build(fontdir, 16, None)
    if missing16 or not any(font16[ord("A") * 16:(ord("A") + 1) * 16]):
        sys.exit("mkfont.py: no usable 8x16 font in " + fontdir + " (install console-data)")
    font14, _ = build(fontdir, 14, font16)
    font8, _ = build(fontdir, 8, font16)
    with open(output, "wb") as f:
        f.write(font16 + font14 + font8)


if __name__ == "__main__":
    main()
