/* SPDX-License-Identifier: MIT */
/* The port/MMIO bus: window lookup, width split and merge, unmapped reads. */
#include <check.h>
#include <string.h>

#include "bus.h"
#include "suites.h"

typedef struct Recorder {
    uint32_t last_offset, last_value;
    unsigned last_size;
    int reads, writes;
    uint8_t regs[8];
} Recorder;

static uint32_t rec_read(void *opaque, uint32_t offset, unsigned size)
{
    Recorder *r = opaque;
    r->reads++;
    r->last_offset = offset;
    r->last_size = size;
    uint32_t v = 0;
    for (unsigned i = 0; i < size; i++)
        v |= (uint32_t)r->regs[(offset + i) & 7] << (8 * i);
    return v;
}

static void rec_write(void *opaque, uint32_t offset, uint32_t value, unsigned size)
{
    Recorder *r = opaque;
    r->writes++;
    r->last_offset = offset;
    r->last_value = value;
    r->last_size = size;
    for (unsigned i = 0; i < size; i++)
        r->regs[(offset + i) & 7] = (uint8_t)(value >> (8 * i));
}

static IoWindow window(Recorder *r, uint32_t base, uint32_t len, unsigned widths)
{
    return (IoWindow){ .name = "rec", .base = base, .length = len, .widths = widths,
                       .read = rec_read, .write = rec_write, .opaque = r };
}

START_TEST(unmapped_reads_all_ones_and_logs_once)
{
    IoSpace s;
    io_space_init(&s, "port");
    ck_assert_uint_eq(io_space_read(&s, 0x123, 1), 0xFF);
    ck_assert_uint_eq(io_space_read(&s, 0x123, 2), 0xFFFF);
    ck_assert_uint_eq(io_space_read(&s, 0x123, 4), 0xFFFFFFFFu);
    io_space_write(&s, 0x123, 0, 1);
    ck_assert_int_eq(s.logged_count, 1);
}
END_TEST

START_TEST(offset_is_relative_to_window_base)
{
    IoSpace s;
    Recorder r = { 0 };
    io_space_init(&s, "port");
    IoWindow w = window(&r, 0x60, 5, IO_WIDTH_8);
    ck_assert(io_space_map(&s, &w));
    io_space_write(&s, 0x64, 0xAB, 1);
    ck_assert_uint_eq(r.last_offset, 4);
    ck_assert_uint_eq(r.last_value, 0xAB);
}
END_TEST

START_TEST(overlapping_windows_are_refused)
{
    IoSpace s;
    Recorder a = { 0 }, b = { 0 };
    io_space_init(&s, "port");
    IoWindow w1 = window(&a, 0x3F8, 8, IO_WIDTH_8), w2 = window(&b, 0x3FF, 2, IO_WIDTH_8);
    ck_assert(io_space_map(&s, &w1));
    ck_assert(!io_space_map(&s, &w2));
    ck_assert_int_eq(s.count, 1);
}
END_TEST

START_TEST(word_access_to_byte_window_is_split_little_endian)
{
    IoSpace s;
    Recorder r = { .regs = { 0x11, 0x22, 0x33, 0x44 } };
    io_space_init(&s, "port");
    IoWindow w = window(&r, 0x100, 4, IO_WIDTH_8);
    io_space_map(&s, &w);
    ck_assert_uint_eq(io_space_read(&s, 0x100, 4), 0x44332211u);
    ck_assert_int_eq(r.reads, 4);
    ck_assert_uint_eq(r.last_size, 1);
    io_space_write(&s, 0x102, 0xBEEF, 2);
    ck_assert_int_eq(r.writes, 2);
    ck_assert_uint_eq(r.regs[2], 0xEF);
    ck_assert_uint_eq(r.regs[3], 0xBE);
}
END_TEST

START_TEST(byte_read_of_word_window_is_merged)
{
    IoSpace s;
    Recorder r = { .regs = { 0x11, 0x22, 0x33, 0x44 } };
    io_space_init(&s, "port");
    IoWindow w = window(&r, 0x1F0, 4, IO_WIDTH_16);
    io_space_map(&s, &w);
    ck_assert_uint_eq(io_space_read(&s, 0x1F1, 1), 0x22);
    ck_assert_uint_eq(r.last_size, 2);
    ck_assert_uint_eq(r.last_offset, 0);
}
END_TEST

START_TEST(access_straddling_window_end_reads_ones_beyond)
{
    IoSpace s;
    Recorder r = { .regs = { 0x5A } };
    io_space_init(&s, "port");
    IoWindow w = window(&r, 0x80, 1, IO_WIDTH_8);
    io_space_map(&s, &w);
    ck_assert_uint_eq(io_space_read(&s, 0x80, 2), 0xFF5A);
}
END_TEST

static int irq_level = -1, irq_line = -1;

static void record_irq(void *ctx, int line, int level)
{
    irq_line = line;
    irq_level = level;
}

START_TEST(irq_line_calls_its_owner)
{
    IrqLine irq = { .set = record_irq, .line = 14 };
    irq_set_level(irq, 1);
    ck_assert_int_eq(irq_line, 14);
    ck_assert_int_eq(irq_level, 1);
    irq_pulse(irq);
    ck_assert_int_eq(irq_level, 0);
    IrqLine none = { 0 };
    irq_set_level(none, 1);     /* an unconnected line is a no-op */
}
END_TEST

Suite *bus_suite(void)
{
    Suite *s = suite_create("bus");
    TCase *tc = tcase_create("io_space");
    tcase_add_test(tc, unmapped_reads_all_ones_and_logs_once);
    tcase_add_test(tc, offset_is_relative_to_window_base);
    tcase_add_test(tc, overlapping_windows_are_refused);
    tcase_add_test(tc, word_access_to_byte_window_is_split_little_endian);
    tcase_add_test(tc, byte_read_of_word_window_is_merged);
    tcase_add_test(tc, access_straddling_window_end_reads_ones_beyond);
    tcase_add_test(tc, irq_line_calls_its_owner);
    suite_add_tcase(s, tc);
    return s;
}
