/* SPDX-License-Identifier: MIT */
/*
 * Our BIOS and the ATAPI CD-ROM: the El Torito parsers on hand-made
 * sectors (Boot Record Volume Descriptor, validation entry checksum,
 * default entry), then whole machines booting hand-made ISO images: a
 * no-emulation image that checks its drive number, reads the spec packet
 * (INT 13h AX=4B01h), a 2048-byte sector (AH=42h) and the drive parameters
 * (AH=48h); and a 1.44M emulated diskette read by CHS as drive 00h.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cdrom.h"
#include "machine_internal.h"
#include "suites.h"

enum { CATALOG_LBA = 18, IMAGE_LBA = 20 };

static void put32le(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static void make_brvd(uint8_t *s, uint32_t catalog)
{
    memset(s, 0, CD_SECTOR);
    s[0] = 0;
    memcpy(s + 1, "CD001", 5);
    s[6] = 1;
    memcpy(s + 7, "EL TORITO SPECIFICATION", 23);
    put32le(s + 0x47, catalog);
}

/* Validation entry (x86, checksummed) and a bootable default entry. */
static void make_catalog(uint8_t *s, uint8_t media, uint16_t load_seg, uint16_t count, uint32_t lba)
{
    memset(s, 0, CD_SECTOR);
    s[0] = 0x01;
    memcpy(s + 4, "Faultline", 9);
    s[0x1E] = 0x55;
    s[0x1F] = 0xAA;
    uint16_t sum = 0;
    for (int i = 0; i < 32; i += 2)
        sum = (uint16_t)(sum + (s[i] | s[i + 1] << 8));
    sum = (uint16_t)-sum;
    s[0x1C] = (uint8_t)sum;
    s[0x1D] = (uint8_t)(sum >> 8);
    uint8_t *e = s + 32;
    e[0] = 0x88;
    e[1] = media;
    e[2] = (uint8_t)load_seg;
    e[3] = (uint8_t)(load_seg >> 8);
    e[6] = (uint8_t)count;
    e[7] = (uint8_t)(count >> 8);
    put32le(e + 8, lba);
}

START_TEST(brvd_names_the_catalog)
{
    static uint8_t s[CD_SECTOR];
    uint32_t lba = 0;
    make_brvd(s, 0x1234);
    ck_assert(eltorito_catalog_lba(s, &lba));
    ck_assert_uint_eq(lba, 0x1234);
    s[7] = 'X';
    ck_assert(!eltorito_catalog_lba(s, &lba));
    make_brvd(s, 1);
    s[6] = 2;
    ck_assert(!eltorito_catalog_lba(s, &lba));
}
END_TEST

START_TEST(catalog_checksum_and_default_entry)
{
    static uint8_t s[CD_SECTOR];
    ElToritoBoot b;
    make_catalog(s, ELTORITO_NO_EMULATION, 0, 4, 77);
    ck_assert(eltorito_parse_catalog(s, &b));
    ck_assert_uint_eq(b.media, ELTORITO_NO_EMULATION);
    ck_assert_uint_eq(b.load_segment, 0x07C0);  /* 0 means the default */
    ck_assert_uint_eq(b.sectors, 4);
    ck_assert_uint_eq(b.lba, 77);
    make_catalog(s, ELTORITO_FLOPPY_1M44, 0x2000, 1, 90);
    ck_assert(eltorito_parse_catalog(s, &b));
    ck_assert_uint_eq(b.media, ELTORITO_FLOPPY_1M44);
    ck_assert_uint_eq(b.load_segment, 0x2000);
    s[5] ^= 1;                                  /* checksum broken */
    ck_assert(!eltorito_parse_catalog(s, &b));
    make_catalog(s, 0, 0, 4, 77);
    s[32] = 0x00;                               /* not bootable */
    ck_assert(!eltorito_parse_catalog(s, &b));
    make_catalog(s, 0, 0, 4, 77);
    s[0x1F] = 0;                                /* key byte */
    ck_assert(!eltorito_parse_catalog(s, &b));
    unsigned c, h, spt;
    eltorito_floppy_geometry(ELTORITO_FLOPPY_1M44, &c, &h, &spt);
    ck_assert_uint_eq(c * 1000 + h * 100 + spt, 80218);
    eltorito_floppy_geometry(ELTORITO_FLOPPY_2M88, &c, &h, &spt);
    ck_assert_uint_eq(spt, 36);
    eltorito_floppy_geometry(ELTORITO_NO_EMULATION, &c, &h, &spt);
    ck_assert_uint_eq(c + h + spt, 0);
}
END_TEST

/* A tiny x86 emitter: the tests' boot code jumps to FAIL_AT on any error. */
enum { FAIL_AT = 0xC0 };
typedef struct Code {
    uint8_t *p;
    unsigned n;
} Code;

static void emit(Code *c, const uint8_t *bytes, unsigned len)
{
    memcpy(c->p + c->n, bytes, len);
    c->n += len;
}
#define EMIT(c, ...) do { static const uint8_t b_[] = { __VA_ARGS__ }; emit(c, b_, sizeof(b_)); } while (0)

static void jump_to_fail(Code *c, uint8_t jcc)
{
    uint8_t b[2] = { jcc, (uint8_t)(FAIL_AT - (c->n + 2)) };
    emit(c, b, 2);
}

/* At FAIL_AT: exit with AH | 80h. */
static void emit_fail(Code *c)
{
    c->n = FAIL_AT;
    EMIT(c, 0x88, 0xE0, 0x0C, 0x80, 0xE6, 0xF4, 0xF4);     /* mov al,ah; or al,80h; out F4h,al; hlt */
}

typedef struct Rig {
    Machine *m;
    char path[64];
    char screen[4096];
} Rig;

static void rig_boot(Rig *rig, const uint8_t *iso, size_t size)
{
    memset(rig, 0, sizeof(*rig));
    strcpy(rig->path, "/tmp/fl-cd-XXXXXX");
    int fd = mkstemp(rig->path);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, iso, size), (ssize_t)size);
    close(fd);
    MachineConfig cfg = { .ram_bytes = 32u << 20, .cpu_model = "486", .ips = 50000000,
                          .cdrom = rig->path, .boot_order = "d", .rtc_seconds = 1700000000 };
    char err[160] = "";
    rig->m = machine_create(&cfg, err, sizeof(err));
    ck_assert_msg(rig->m != NULL, "%s", err);
    MachineStop stop = machine_run(rig->m, machine_now_ns(rig->m) + 5000 * 1000000ull);
    int cols, rows;
    machine_text_screen(rig->m, rig->screen, sizeof(rig->screen), &cols, &rows);
    ck_assert_msg(stop == MACHINE_STOP_GUEST_EXIT, "stop %d, screen:\n%s", stop, rig->screen);
}

static void rig_stop(Rig *rig)
{
    machine_destroy(rig->m);
    unlink(rig->path);
}

START_TEST(no_emulation_boot_reads_through_int13)
{
    size_t size = 40 * CD_SECTOR;
    uint8_t *iso = calloc(1, size);
    ck_assert_ptr_nonnull(iso);
    make_brvd(iso + 17 * CD_SECTOR, CATALOG_LBA);
    make_catalog(iso + CATALOG_LBA * CD_SECTOR, ELTORITO_NO_EMULATION, 0, 4, IMAGE_LBA);
    Code c = { iso + IMAGE_LBA * CD_SECTOR, 0 };
    EMIT(&c, 0x31, 0xC0, 0x8E, 0xD8, 0x8E, 0xC0);          /* xor ax,ax; mov ds,ax; mov es,ax */
    EMIT(&c, 0xB4, 0x01);                                   /* mov ah, 01h (error code if DL is wrong) */
    EMIT(&c, 0x80, 0xFA, 0xE0);                             /* cmp dl, E0h */
    jump_to_fail(&c, 0x75);
    EMIT(&c, 0xB8, 0x01, 0x4B, 0xBE, 0x00, 0x06, 0xCD, 0x13);   /* mov ax,4B01h; mov si,600h; int 13h */
    jump_to_fail(&c, 0x72);
    EMIT(&c, 0xB4, 0x02);                                   /* mov ah, 02h */
    EMIT(&c, 0x80, 0x3E, 0x02, 0x06, 0xE0);                 /* cmp byte [602h], E0h (drive) */
    jump_to_fail(&c, 0x75);
    EMIT(&c, 0x80, 0x3E, 0x04, 0x06, IMAGE_LBA);            /* cmp byte [604h], image LBA */
    jump_to_fail(&c, 0x75);
    EMIT(&c, 0xB4, 0x42, 0xBE, 0x00, 0x7D, 0xCD, 0x13);     /* mov ah,42h; mov si,7D00h; int 13h */
    jump_to_fail(&c, 0x72);
    EMIT(&c, 0xC7, 0x06, 0x00, 0x09, 0x1E, 0x00);           /* mov word [900h], 1Eh */
    EMIT(&c, 0xB4, 0x48, 0xBE, 0x00, 0x09, 0xCD, 0x13);     /* mov ah,48h; mov si,900h; int 13h */
    jump_to_fail(&c, 0x72);
    EMIT(&c, 0xB4, 0x03);                                   /* mov ah, 03h */
    EMIT(&c, 0x81, 0x3E, 0x18, 0x09, 0x00, 0x08);           /* cmp word [918h], 2048 */
    jump_to_fail(&c, 0x75);
    EMIT(&c, 0x83, 0x3E, 0x10, 0x09, 40);                   /* cmp word [910h], 40 (sectors) */
    jump_to_fail(&c, 0x75);
    EMIT(&c, 0xA0, 0x00, 0x80, 0x02, 0x06, 0xFF, 0x87);     /* mov al,[8000h]; add al,[87FFh] */
    EMIT(&c, 0xE6, 0xF4, 0xF4);                             /* out F4h, al; hlt */
    ck_assert_uint_lt(c.n, FAIL_AT);
    emit_fail(&c);
    /* The packet at 7D00h: 1 sector (LBA 30) to 0000:8000h. */
    static const uint8_t dap[16] = { 0x10, 0, 1, 0, 0x00, 0x80, 0x00, 0x00, 30 };
    memcpy(c.p + 0x100, dap, sizeof(dap));
    iso[30 * CD_SECTOR] = 0x11;
    iso[31 * CD_SECTOR - 1] = 0x22;
    Rig rig;
    rig_boot(&rig, iso, size);
    ck_assert_ptr_nonnull(strstr(rig.screen, "CD-ROM E0: Faultline ATAPI CD-ROM"));
    ck_assert_ptr_nonnull(strstr(rig.screen, "Booting from CD-ROM"));
    ck_assert_int_eq(machine_guest_exit_status(rig.m) >> 1, 0x33);
    rig_stop(&rig);
    free(iso);
}
END_TEST

START_TEST(floppy_emulation_is_drive_zero)
{
    size_t size = IMAGE_LBA * CD_SECTOR + 1474560;
    uint8_t *iso = calloc(1, size);
    ck_assert_ptr_nonnull(iso);
    make_brvd(iso + 17 * CD_SECTOR, CATALOG_LBA);
    make_catalog(iso + CATALOG_LBA * CD_SECTOR, ELTORITO_FLOPPY_1M44, 0, 1, IMAGE_LBA);
    uint8_t *floppy = iso + IMAGE_LBA * CD_SECTOR;
    Code c = { floppy, 0 };
    EMIT(&c, 0x31, 0xC0, 0x8E, 0xD8, 0x8E, 0xC0);          /* xor ax,ax; mov ds,ax; mov es,ax */
    EMIT(&c, 0xB4, 0x01, 0x84, 0xD2);                       /* mov ah,01h; test dl,dl */
    jump_to_fail(&c, 0x75);
    EMIT(&c, 0xB4, 0x08, 0xCD, 0x13);                       /* mov ah,08h; int 13h (drive 00h) */
    jump_to_fail(&c, 0x72);
    EMIT(&c, 0xB4, 0x02, 0x80, 0xFB, 0x04);                 /* mov ah,02h; cmp bl,4 (1.44M) */
    jump_to_fail(&c, 0x75);
    EMIT(&c, 0x80, 0xF9, 0x12);                             /* cmp cl, 18 */
    jump_to_fail(&c, 0x75);
    EMIT(&c, 0x31, 0xC0, 0x8E, 0xC0);                       /* xor ax,ax; mov es,ax */
    EMIT(&c, 0xB8, 0x02, 0x02, 0xB9, 0x12, 0x00);           /* mov ax,0202h; mov cx,0012h (C0 S18) */
    EMIT(&c, 0xBA, 0x00, 0x01, 0xBB, 0x00, 0x80);           /* mov dx,0100h (H1, drive 0); mov bx,8000h */
    EMIT(&c, 0xCD, 0x13);                                   /* int 13h */
    jump_to_fail(&c, 0x72);
    EMIT(&c, 0xA0, 0x00, 0x80, 0x02, 0x06, 0xFF, 0x83);     /* mov al,[8000h]; add al,[83FFh] */
    EMIT(&c, 0xE6, 0xF4, 0xF4);
    ck_assert_uint_lt(c.n, FAIL_AT);
    emit_fail(&c);
    floppy[510] = 0x55;
    floppy[511] = 0xAA;
    /* C0 H1 S18 is sector 35, and the next (C1 H0 S1) is 36. */
    floppy[35 * 512] = 0x40;
    floppy[37 * 512 - 1] = 0x04;
    Rig rig;
    rig_boot(&rig, iso, size);
    ck_assert_int_eq(machine_guest_exit_status(rig.m) >> 1, 0x44);
    rig_stop(&rig);
    free(iso);
}
END_TEST

/* -boot dca: CMOS 3Dh says CD then disk, 38h bits 4-7 floppy (Bochs/SeaBIOS codes 3, 2, 1). */
START_TEST(boot_order_d_reaches_cmos)
{
    static uint8_t iso[4 * CD_SECTOR];
    char path[64] = "/tmp/fl-cd-XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, iso, sizeof(iso)), (ssize_t)sizeof(iso));
    close(fd);
    MachineConfig cfg = { .ram_bytes = 32u << 20, .cpu_model = "486", .ips = 50000000,
                          .cdrom = path, .boot_order = "dca", .rtc_seconds = 1700000000 };
    char err[160] = "";
    Machine *m = machine_create(&cfg, err, sizeof(err));
    ck_assert_msg(m != NULL, "%s", err);
    io_space_write(&m->ports, 0x70, 0x3D, 1);
    ck_assert_uint_eq(io_space_read(&m->ports, 0x71, 1), 0x23);
    io_space_write(&m->ports, 0x70, 0x38, 1);
    ck_assert_uint_eq(io_space_read(&m->ports, 0x71, 1) >> 4, 1);
    machine_destroy(m);
    /* An image that is not whole 2048-byte sectors is refused in one line. */
    ck_assert_int_eq(truncate(path, 3000), 0);
    m = machine_create(&cfg, err, sizeof(err));
    ck_assert_ptr_null(m);
    ck_assert_ptr_nonnull(strstr(err, "not a whole number of 2048-byte sectors"));
    unlink(path);
}
END_TEST

Suite *bios_cdrom_suite(void)
{
    Suite *s = suite_create("bios_cdrom");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, brvd_names_the_catalog);
    tcase_add_test(tc, catalog_checksum_and_default_entry);
    tcase_add_test(tc, no_emulation_boot_reads_through_int13);
    tcase_add_test(tc, floppy_emulation_is_drive_zero);
    tcase_add_test(tc, boot_order_d_reaches_cmos);
    suite_add_tcase(s, tc);
    return s;
}
