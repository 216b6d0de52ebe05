/* SPDX-License-Identifier: MIT */
/*
 * Swapping discs while the machine runs (machine_change_cdrom, the monitor's
 * change/eject): the board's CD-ROM drive exists without -cdrom, a good image
 * goes in, a bad one is refused and leaves the old disc, eject empties it.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "machine_internal.h"
#include "suites.h"

extern const uint8_t builtin_guest[];
extern const size_t builtin_guest_size;

/* A file of `bytes` zero bytes; its path in path[]. */
static void make_file(char *path, size_t bytes)
{
    strcpy(path, "/tmp/fl-cd-XXXXXX");
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(ftruncate(fd, (off_t)bytes), 0);
    close(fd);
}

START_TEST(discs_go_in_and_out_while_running)
{
    MachineConfig cfg = { .ram_bytes = 16u << 20, .cpu_model = "pentium", .ips = 50000000,
                          .program = builtin_guest, .program_size = builtin_guest_size };
    char err[200] = "";
    Machine *m = machine_create(&cfg, err, sizeof(err));
    ck_assert_msg(m != NULL, "%s", err);
    ck_assert(!atapi_medium_ready(&m->cdrom));          /* the drive is there, empty */

    char good[32], bad[32];
    make_file(good, 2048 * 10);
    make_file(bad, 2048 * 10 + 512);                    /* not whole CD sectors */
    ck_assert(machine_change_cdrom(m, good, err, sizeof(err)));
    ck_assert(atapi_medium_ready(&m->cdrom));
    ck_assert_uint_eq(atapi_capacity(&m->cdrom), 10);

    err[0] = '\0';
    ck_assert(!machine_change_cdrom(m, bad, err, sizeof(err)));
    ck_assert(err[0] != '\0');
    ck_assert(!machine_change_cdrom(m, "/nonexistent/disc.iso", err, sizeof(err)));
    ck_assert_uint_eq(atapi_capacity(&m->cdrom), 10);   /* the old disc stays in */

    ck_assert(machine_change_cdrom(m, NULL, err, sizeof(err)));
    ck_assert(!atapi_medium_ready(&m->cdrom));
    ck_assert_uint_eq(atapi_capacity(&m->cdrom), 0);
    machine_destroy(m);
    unlink(good);
    unlink(bad);
}
END_TEST

Suite *cdrom_change_suite(void)
{
    Suite *s = suite_create("cdrom_change");
    TCase *tc = tcase_create("change");
    tcase_add_test(tc, discs_go_in_and_out_while_running);
    suite_add_tcase(s, tc);
    return s;
}
