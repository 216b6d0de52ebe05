/* SPDX-License-Identifier: MIT */
/* The debug console ports (0xE9, 0x402) and the exit port (0xF4). */
#include <check.h>
#include <string.h>

#include "debugport.h"
#include "suites.h"

typedef struct Bench {
    IoSpace ports;
    DebugPorts dp;
    char out[16];
    int len;
    bool stop;
} Bench;

static void put(void *opaque, uint8_t ch)
{
    Bench *b = opaque;
    if (b->len < (int)sizeof(b->out) - 1)
        b->out[b->len++] = (char)ch;
}

static void bench_init(Bench *b)
{
    memset(b, 0, sizeof(*b));
    io_space_init(&b->ports, "port");
    debugports_init(&b->dp, (DebugPortSink){ put, b }, &b->stop);
    ck_assert(debugports_map(&b->dp, &b->ports));
}

START_TEST(both_console_ports_feed_one_sink)
{
    Bench b;
    bench_init(&b);
    io_space_write(&b.ports, 0xE9, 'O', 1);
    io_space_write(&b.ports, 0x402, 'K', 1);
    io_space_write(&b.ports, 0x403, '!', 1);        /* not a console port */
    ck_assert_str_eq(b.out, "OK");
    ck_assert_uint_eq(io_space_read(&b.ports, 0xE9, 1), 0xE9);
    ck_assert_uint_eq(io_space_read(&b.ports, 0x402, 1), 0xE9);  /* SeaBIOS's detection */
    ck_assert(!b.stop);
}
END_TEST

START_TEST(exit_port_stops_with_status)
{
    Bench b;
    bench_init(&b);
    io_space_write(&b.ports, 0xF4, 0x10, 1);
    ck_assert(b.stop);
    ck_assert(b.dp.exit_requested);
    ck_assert_int_eq(b.dp.exit_status, 0x21);
}
END_TEST

Suite *debugport_suite(void)
{
    Suite *s = suite_create("debugport");
    TCase *tc = tcase_create("ports");
    tcase_add_test(tc, both_console_ports_feed_one_sink);
    tcase_add_test(tc, exit_port_stops_with_status);
    suite_add_tcase(s, tc);
    return s;
}
