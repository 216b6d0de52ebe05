/* SPDX-License-Identifier: MIT */
/*
 * Disk image files: validation with one-line reasons, reads and writes
 * through BlockDev, and -snapshot never touching the file.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diskimage.h"
#include "suites.h"

static char dir[64];

static void make_dir(void)
{
    strcpy(dir, "/tmp/fl-disk-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void remove_dir(void)
{
    char cmd[96];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
}

/* Writes a file of `size` bytes where byte i of sector s is (s + i) & 0xFF. */
static void make_file(const char *path, size_t size)
{
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    for (size_t i = 0; i < size; i++)
        fputc((int)((i / 512 + i % 512) & 0xFF), f);
    fclose(f);
}

static void file_bytes(const char *path, size_t offset, uint8_t *out, size_t n)
{
    FILE *f = fopen(path, "rb");
    ck_assert_ptr_nonnull(f);
    fseek(f, (long)offset, SEEK_SET);
    ck_assert_uint_eq(fread(out, 1, n, f), n);
    fclose(f);
}

START_TEST(bad_images_are_refused_with_a_reason)
{
    char path[128], err[256];
    DiskImage d;
    make_dir();
    snprintf(path, sizeof(path), "%s/missing.img", dir);
    ck_assert(!disk_image_open(&d, path, DISK_HARD, false, false, err, sizeof(err)));
    ck_assert_ptr_nonnull(strstr(err, "cannot open"));
    snprintf(path, sizeof(path), "%s/empty.img", dir);
    make_file(path, 0);
    ck_assert(!disk_image_open(&d, path, DISK_HARD, false, false, err, sizeof(err)));
    ck_assert_ptr_nonnull(strstr(err, "empty"));
    snprintf(path, sizeof(path), "%s/odd.img", dir);
    make_file(path, 1000);
    ck_assert(!disk_image_open(&d, path, DISK_HARD, false, false, err, sizeof(err)));
    ck_assert_ptr_nonnull(strstr(err, "512-byte sectors"));
    snprintf(path, sizeof(path), "%s/floppy.img", dir);
    make_file(path, 512 * 100);
    ck_assert(!disk_image_open(&d, path, DISK_FLOPPY, false, false, err, sizeof(err)));
    ck_assert_ptr_nonnull(strstr(err, "floppy image must be"));
    ck_assert(!disk_image_open(&d, dir, DISK_HARD, false, false, err, sizeof(err)));
    ck_assert_ptr_nonnull(strstr(err, "not a regular file"));
    ck_assert_ptr_null(strchr(err, '\n'));
    remove_dir();
}
END_TEST

START_TEST(writes_reach_the_file)
{
    char path[128], err[256];
    DiskImage d;
    uint8_t buf[1024], back[512];
    make_dir();
    snprintf(path, sizeof(path), "%s/disk.img", dir);
    make_file(path, 1474560);
    ck_assert(disk_image_open(&d, path, DISK_FLOPPY, false, false, err, sizeof(err)));
    ck_assert_uint_eq(d.dev.sectors, 2880);
    ck_assert(blockdev_read(&d.dev, 3, buf, 2));
    ck_assert_uint_eq(buf[0], 3);
    ck_assert_uint_eq(buf[512 + 5], 9);
    memset(buf, 0xAB, 512);
    ck_assert(blockdev_write(&d.dev, 7, buf, 1));
    ck_assert(!blockdev_read(&d.dev, 2880, buf, 1));     /* past the end */
    disk_image_close(&d);
    file_bytes(path, 7 * 512, back, 512);
    ck_assert_uint_eq(back[0], 0xAB);
    ck_assert_uint_eq(back[511], 0xAB);
    remove_dir();
}
END_TEST

START_TEST(snapshot_keeps_the_file_untouched)
{
    char path[128], err[256];
    DiskImage d;
    uint8_t buf[512], back[512];
    make_dir();
    snprintf(path, sizeof(path), "%s/disk.img", dir);
    make_file(path, 512 * 4096);
    ck_assert(disk_image_open(&d, path, DISK_HARD, true, false, err, sizeof(err)));
    /* Many sectors, so the overlay grows several times. */
    for (uint64_t lba = 0; lba < 4096; lba += 2) {
        memset(buf, (int)(lba & 0xFF) ^ 0x5A, sizeof(buf));
        ck_assert(blockdev_write(&d.dev, lba, buf, 1));
    }
    for (uint64_t lba = 0; lba < 4096; lba++) {
        ck_assert(blockdev_read(&d.dev, lba, buf, 1));
        uint8_t want = lba % 2 == 0 ? (uint8_t)((lba & 0xFF) ^ 0x5A) : (uint8_t)(lba & 0xFF);
        ck_assert_uint_eq(buf[0], want);
    }
    disk_image_close(&d);
    file_bytes(path, 6 * 512, back, 512);
    ck_assert_uint_eq(back[0], 6);       /* the original contents */
    remove_dir();
}
END_TEST

START_TEST(read_only_refuses_writes)
{
    char path[128], err[256];
    DiskImage d;
    uint8_t buf[512] = { 0 };
    make_dir();
    snprintf(path, sizeof(path), "%s/ro.img", dir);
    make_file(path, 512 * 8);
    ck_assert(disk_image_open(&d, path, DISK_HARD, false, true, err, sizeof(err)));
    ck_assert(!blockdev_write(&d.dev, 0, buf, 1));
    disk_image_close(&d);
    disk_image_close(&d);       /* closing twice is harmless */
    remove_dir();
}
END_TEST

START_TEST(memory_image_reads_zeros_past_its_data_and_keeps_writes)
{
    static const uint8_t data[700] = { [0] = 0xEB, [511] = 0xAA, [512] = 0x11, [699] = 0x22 };
    DiskImage d;
    uint8_t buf[1024];
    ck_assert(!disk_image_from_memory(&d, data, sizeof(data), 100));
    ck_assert(disk_image_from_memory(&d, data, sizeof(data), 1474560));
    ck_assert(disk_image_present(&d));
    ck_assert_uint_eq(d.dev.sectors, 2880);
    ck_assert(blockdev_read(&d.dev, 0, buf, 2));
    ck_assert_uint_eq(buf[0], 0xEB);
    ck_assert_uint_eq(buf[512], 0x11);
    ck_assert_uint_eq(buf[699], 0x22);
    ck_assert_uint_eq(buf[700], 0);
    ck_assert_uint_eq(buf[1023], 0);
    memset(buf, 0x77, 512);
    ck_assert(blockdev_write(&d.dev, 1, buf, 1));
    ck_assert(blockdev_read(&d.dev, 1, buf + 512, 1));
    ck_assert_uint_eq(buf[512], 0x77);
    ck_assert_uint_eq(data[512], 0x11);         /* the built-in bytes never change */
    disk_image_close(&d);
}
END_TEST

Suite *diskimage_suite(void)
{
    Suite *s = suite_create("diskimage");
    TCase *tc = tcase_create("diskimage");
    tcase_add_test(tc, bad_images_are_refused_with_a_reason);
    tcase_add_test(tc, writes_reach_the_file);
    tcase_add_test(tc, snapshot_keeps_the_file_untouched);
    tcase_add_test(tc, read_only_refuses_writes);
    tcase_add_test(tc, memory_image_reads_zeros_past_its_data_and_keeps_writes);
    suite_add_tcase(s, tc);
    return s;
}
