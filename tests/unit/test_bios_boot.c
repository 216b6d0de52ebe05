/* SPDX-License-Identifier: MIT */
/*
 * Our BIOS on the whole machine: POST prints its banner, boots a floppy whose
 * boot sector prints through INT 10h teletype and leaves through port 0xF4,
 * reads keys through INT 16h, reads a hard disk through INT 13h (CHS and the
 * 42h extension), and says "No bootable device" when there is nothing to
 * boot.  Boot sectors are assembled by hand (bytes with their mnemonics).
 * The machine runs our BIOS whenever no -bios image is given.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "machine_internal.h"
#include "suites.h"

typedef struct Rig {
    Machine *m;
    char disk_path[64];
    char screen[4096];
} Rig;

static void write_file(char *path, const char *pattern, const void *data, size_t size)
{
    strcpy(path, pattern);
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, data, size), (ssize_t)size);
    close(fd);
}

/* hd: a hard disk image (NULL: none); floppy: a boot sector for A: (NULL: none). */
static void rig_start(Rig *rig, const uint8_t *floppy, size_t floppy_size, const uint8_t *hd, size_t hd_size)
{
    memset(rig, 0, sizeof(*rig));
    MachineConfig cfg = { .ram_bytes = 32u << 20, .cpu_model = "486", .ips = 50000000,
                          .fda_data = floppy, .fda_data_size = floppy_size,
                          .rtc_seconds = 1700000000 };
    if (hd) {
        write_file(rig->disk_path, "/tmp/fl-disk-XXXXXX", hd, hd_size);
        cfg.hda = rig->disk_path;
        cfg.boot_order = "c";
    }
    char err[160] = "";
    rig->m = machine_create(&cfg, err, sizeof(err));
    ck_assert_msg(rig->m != NULL, "%s", err);
}

static MachineStop rig_run(Rig *rig, uint64_t ms)
{
    MachineStop stop = machine_run(rig->m, machine_now_ns(rig->m) + ms * 1000000ull);
    int cols, rows;
    rig->screen[0] = 0;
    machine_text_screen(rig->m, rig->screen, sizeof(rig->screen), &cols, &rows);
    return stop;
}

/* The exit port (isa-debug-exit): the value written v ends the run with (v << 1) | 1. */
static int exit_value(Rig *rig)
{
    return machine_guest_exit_status(rig->m) >> 1;
}

static void rig_stop(Rig *rig)
{
    machine_destroy(rig->m);
    if (rig->disk_path[0])
        unlink(rig->disk_path);
}

/* A boot sector: `code` at 7C00, the message at 7D00, 55AA at the end. */
static void boot_sector(uint8_t *sec, const uint8_t *code, size_t n, const char *msg)
{
    memset(sec, 0, 512);
    memcpy(sec, code, n);
    if (msg)
        strcpy((char *)sec + 0x100, msg);
    sec[510] = 0x55;
    sec[511] = 0xAA;
}

/* Prints the string at 0:7D00 with INT 10h AH=0Eh, then writes DL to port 0xF4. */
static const uint8_t print_and_exit[] = {
    0x31, 0xC0,             /* xor ax, ax */
    0x8E, 0xD8,             /* mov ds, ax */
    0x88, 0xD7,             /* mov bh, dl    (keep the boot drive) */
    0xBE, 0x00, 0x7D,       /* mov si, 7D00h */
    0xAC,                   /* .next: lodsb */
    0x84, 0xC0,             /* test al, al */
    0x74, 0x06,             /* jz .done */
    0xB4, 0x0E,             /* mov ah, 0Eh */
    0xCD, 0x10,             /* int 10h   (BH is the page: 0 or 80h, masked) */
    0xEB, 0xF5,             /* jmp .next */
    0x88, 0xF8,             /* .done: mov al, bh */
    0xE6, 0xF4,             /* out 0F4h, al */
    0xF4,                   /* hlt */
};

START_TEST(post_prints_the_banner_and_boots_a_floppy)
{
    static uint8_t sec[512];
    boot_sector(sec, print_and_exit, sizeof(print_and_exit), "Hello from the boot sector");
    Rig rig;
    rig_start(&rig, sec, sizeof(sec), NULL, 0);
    MachineStop stop = rig_run(&rig, 5000);
    ck_assert_msg(stop == MACHINE_STOP_GUEST_EXIT, "stop %d (%s), screen:\n%s", stop,
                  machine_stop_reason(rig.m) ? machine_stop_reason(rig.m) : "", rig.screen);
    ck_assert_ptr_nonnull(strstr(rig.screen, "Faultline BIOS"));
    ck_assert_ptr_nonnull(strstr(rig.screen, "Booting from floppy"));
    ck_assert_ptr_nonnull(strstr(rig.screen, "Hello from the boot sector"));
    ck_assert_int_eq(exit_value(&rig), 0x00);   /* DL = drive 00h */
    rig_stop(&rig);
}
END_TEST

/* POST turns on both IDE channels' decode (IDETIM bit 15 of 00:01.1), or
 * Linux's ata_piix would ignore the disks. */
START_TEST(post_enables_the_ide_channels)
{
    static uint8_t sec[512];
    boot_sector(sec, print_and_exit, sizeof(print_and_exit), "x");
    Rig rig;
    rig_start(&rig, sec, sizeof(sec), NULL, 0);
    io_space_write(&rig.m->ports, 0xCF8, 0x80000940u, 4);
    ck_assert_uint_eq(io_space_read(&rig.m->ports, 0xCFC, 4) & 0x80008000u, 0);
    ck_assert_int_eq(rig_run(&rig, 5000), MACHINE_STOP_GUEST_EXIT);
    io_space_write(&rig.m->ports, 0xCF8, 0x80000940u, 4);
    ck_assert_uint_eq(io_space_read(&rig.m->ports, 0xCFC, 4) & 0x80008000u, 0x80008000u);
    rig_stop(&rig);
}
END_TEST

START_TEST(teletype_scrolls_the_text_screen)
{
    static uint8_t sec[512];
    char msg[200] = "";
    for (int i = 1; i <= 30; i++)
        snprintf(msg + strlen(msg), sizeof(msg) - strlen(msg), "L%d\r\n", i);
    boot_sector(sec, print_and_exit, sizeof(print_and_exit), msg);
    Rig rig;
    rig_start(&rig, sec, sizeof(sec), NULL, 0);
    ck_assert_int_eq(rig_run(&rig, 5000), MACHINE_STOP_GUEST_EXIT);
    /* 3 POST lines + 30 + the empty cursor line = 34 rows: 9 scrolled off. */
    ck_assert_msg(strncmp(rig.screen, "L7 ", 3) == 0, "screen:\n%s", rig.screen);
    ck_assert_ptr_nonnull(strstr(rig.screen, "\nL30 "));
    ck_assert_uint_eq(phys_read(&rig.m->mem, 0x451, 1), 24);      /* cursor row, page 0 */
    ck_assert_uint_eq(phys_read(&rig.m->mem, 0x450, 1), 0);
    rig_stop(&rig);
}
END_TEST

START_TEST(nothing_to_boot_says_so_and_halts)
{
    Rig rig;
    rig_start(&rig, NULL, 0, NULL, 0);
    MachineStop stop = rig_run(&rig, 5000);
    ck_assert_msg(stop == MACHINE_STOP_HALTED, "stop %d, screen:\n%s", stop, rig.screen);
    ck_assert_ptr_nonnull(strstr(rig.screen, "No bootable device"));
    rig_stop(&rig);
}
END_TEST

/* Waits for a key with INT 16h AH=00h and writes its ASCII code to port 0xF4. */
static const uint8_t key_and_exit[] = {
    0xFB,                   /* sti */
    0x31, 0xC0,             /* xor ax, ax */
    0xCD, 0x16,             /* int 16h */
    0xE6, 0xF4,             /* out 0F4h, al */
    0xF4,                   /* hlt */
};

START_TEST(int16_waits_for_a_key_and_translates_it)
{
    static uint8_t sec[512];
    boot_sector(sec, key_and_exit, sizeof(key_and_exit), NULL);
    Rig rig;
    rig_start(&rig, sec, sizeof(sec), NULL, 0);
    ck_assert_int_eq(rig_run(&rig, 2000), MACHINE_STOP_TIME);     /* waiting in INT 16h */
    machine_key(rig.m, 0xE1, true);         /* left shift */
    machine_key(rig.m, 0x05, true);         /* b */
    machine_key(rig.m, 0x05, false);
    machine_key(rig.m, 0xE1, false);
    ck_assert_int_eq(rig_run(&rig, 2000), MACHINE_STOP_GUEST_EXIT);
    ck_assert_int_eq(exit_value(&rig), 'B');
    rig_stop(&rig);
}
END_TEST

START_TEST(caps_lock_shifts_letters_and_lights_its_led)
{
    static uint8_t sec[512];
    boot_sector(sec, key_and_exit, sizeof(key_and_exit), NULL);
    Rig rig;
    rig_start(&rig, sec, sizeof(sec), NULL, 0);
    ck_assert_int_eq(rig_run(&rig, 2000), MACHINE_STOP_TIME);
    machine_key(rig.m, 0x39, true);         /* caps lock */
    machine_key(rig.m, 0x39, false);
    ck_assert_int_eq(rig_run(&rig, 100), MACHINE_STOP_TIME);
    ck_assert_uint_eq(phys_read(&rig.m->mem, 0x417, 1) & 0x40, 0x40);
    ck_assert_uint_eq(rig.m->kbd.leds, 0x04);      /* caps lock LED */
    machine_key(rig.m, 0x04, true);         /* a */
    machine_key(rig.m, 0x04, false);
    ck_assert_int_eq(rig_run(&rig, 2000), MACHINE_STOP_GUEST_EXIT);
    ck_assert_int_eq(exit_value(&rig), 'A');
    rig_stop(&rig);
}
END_TEST

/* Reads LBA 1 with AH=02h (CHS 0/0/2) to 0:8000 and LBA 70 with AH=42h to
 * 0:8200, then outputs [8000h] + [8200h] (one byte each) to port 0xF4. */
static const uint8_t disk_reader[] = {
    0x31, 0xC0,             /* xor ax, ax */
    0x8E, 0xD8,             /* mov ds, ax */
    0x8E, 0xC0,             /* mov es, ax */
    0xB8, 0x01, 0x02,       /* mov ax, 0201h */
    0xB9, 0x02, 0x00,       /* mov cx, 0002h */
    0x30, 0xF6,             /* xor dh, dh */
    0xBB, 0x00, 0x80,       /* mov bx, 8000h */
    0xCD, 0x13,             /* int 13h */
    0x72, 0x14,             /* jc fail */
    0xBE, 0x00, 0x7D,       /* mov si, 7D00h   (the packet) */
    0xB4, 0x42,             /* mov ah, 42h */
    0xCD, 0x13,             /* int 13h */
    0x72, 0x0D,             /* jc fail */
    0xA0, 0x00, 0x80,       /* mov al, [8000h] */
    0x02, 0x06, 0x00, 0x82, /* add al, [8200h] */
    0xE6, 0xF4,             /* out 0F4h, al */
    0xF4,                   /* hlt */
    0x90, 0x90,
    0xB0, 0xEE,             /* fail: mov al, 0EEh */
    0xE6, 0xF4,             /* out 0F4h, al */
    0xF4,                   /* hlt */
};

START_TEST(int13_reads_a_hard_disk_by_chs_and_by_packet)
{
    size_t size = 4u << 20;
    uint8_t *img = calloc(1, size);
    ck_assert_ptr_nonnull(img);
    boot_sector(img, disk_reader, sizeof(disk_reader), NULL);
    /* Disk address packet at 7D00: size 16, 1 sector, to 0000:8200, LBA 70. */
    static const uint8_t packet[16] = { 0x10, 0, 1, 0, 0x00, 0x82, 0x00, 0x00, 70 };
    memcpy(img + 0x100, packet, sizeof(packet));
    img[512] = 0x21;
    img[70 * 512] = 0x12;
    Rig rig;
    rig_start(&rig, NULL, 0, img, size);
    MachineStop stop = rig_run(&rig, 5000);
    ck_assert_msg(stop == MACHINE_STOP_GUEST_EXIT, "stop %d, screen:\n%s", stop, rig.screen);
    ck_assert_ptr_nonnull(strstr(rig.screen, "Hard disk 80"));
    ck_assert_int_eq(exit_value(&rig), 0x33);
    rig_stop(&rig);
    free(img);
}
END_TEST

/* Reads the whole track C1/H1 (18 sectors) of the floppy to 1000:0000 with
 * AH=02h and exits with the first bytes of its first and last sectors added
 * (AH | 80h on failure): the FDC, DMA channel 2 and the IRQ6 wait together. */
static const uint8_t floppy_track[] = {
    0xB8, 0x00, 0x10,       /* mov ax, 1000h */
    0x8E, 0xC0,             /* mov es, ax */
    0x31, 0xDB,             /* xor bx, bx */
    0xB8, 0x12, 0x02,       /* mov ax, 0212h */
    0xB9, 0x01, 0x01,       /* mov cx, 0101h */
    0xB6, 0x01,             /* mov dh, 1 */
    0xCD, 0x13,             /* int 13h */
    0x72, 0x0C,             /* jc fail */
    0x26, 0xA0, 0x00, 0x00, /* mov al, [es:0000h] */
    0x26, 0x02, 0x06, 0x00, 0x22,   /* add al, [es:2200h] */
    0xE6, 0xF4,             /* out 0F4h, al */
    0xF4,                   /* hlt */
    0x88, 0xE0,             /* fail: mov al, ah */
    0x0C, 0x80,             /* or al, 80h */
    0xE6, 0xF4,             /* out 0F4h, al */
    0xF4,                   /* hlt */
};

START_TEST(int13_reads_a_floppy_track_by_dma)
{
    size_t size = 1474560;
    uint8_t *img = calloc(1, size);
    ck_assert_ptr_nonnull(img);
    boot_sector(img, floppy_track, sizeof(floppy_track), NULL);
    img[54 * 512] = 0x40;                   /* LBA (1 * 2 + 1) * 18 */
    img[71 * 512] = 0x05;
    Rig rig;
    rig_start(&rig, img, size, NULL, 0);
    ck_assert_int_eq(rig_run(&rig, 5000), MACHINE_STOP_GUEST_EXIT);
    ck_assert_int_eq(exit_value(&rig), 0x45);
    rig_stop(&rig);
    free(img);
}
END_TEST

/* Mode 12h, pixel (100, 200) := 0Bh, read it back, add the mode from AH=0Fh. */
static const uint8_t vga_pixel[] = {
    0xB8, 0x12, 0x00,       /* mov ax, 0012h */
    0xCD, 0x10,             /* int 10h */
    0xB8, 0x0B, 0x0C,       /* mov ax, 0C0Bh */
    0x30, 0xFF,             /* xor bh, bh */
    0xB9, 0x64, 0x00,       /* mov cx, 100 */
    0xBA, 0xC8, 0x00,       /* mov dx, 200 */
    0xCD, 0x10,             /* int 10h */
    0xB4, 0x0D,             /* mov ah, 0Dh */
    0xCD, 0x10,             /* int 10h */
    0x88, 0xC3,             /* mov bl, al */
    0xB8, 0x00, 0x0F,       /* mov ax, 0F00h */
    0xCD, 0x10,             /* int 10h */
    0x00, 0xD8,             /* add al, bl */
    0xE6, 0xF4,             /* out 0F4h, al */
    0xF4,                   /* hlt */
};

START_TEST(int10_planar_pixel_round_trip)
{
    static uint8_t sec[512];
    boot_sector(sec, vga_pixel, sizeof(vga_pixel), NULL);
    Rig rig;
    rig_start(&rig, sec, sizeof(sec), NULL, 0);
    ck_assert_int_eq(rig_run(&rig, 5000), MACHINE_STOP_GUEST_EXIT);
    ck_assert_int_eq(exit_value(&rig), 0x12 + 0x0B);
    ck_assert_uint_eq(phys_read(&rig.m->mem, 0x449, 1), 0x12);     /* BDA video mode */
    ck_assert_uint_eq(phys_read(&rig.m->mem, 0x44A, 2), 80);       /* columns */
    ck_assert_uint_eq(phys_read(&rig.m->mem, 0x484, 1), 29);       /* rows - 1 */
    rig_stop(&rig);
}
END_TEST

START_TEST(ctrl_alt_del_is_a_warm_reboot)
{
    static uint8_t sec[512];
    boot_sector(sec, key_and_exit, sizeof(key_and_exit), NULL);
    Rig rig;
    rig_start(&rig, sec, sizeof(sec), NULL, 0);
    ck_assert_int_eq(rig_run(&rig, 2000), MACHINE_STOP_TIME);
    phys_write(&rig.m->mem, 0x500, 0xA5, 1);    /* a mark in RAM that a warm boot keeps */
    machine_key(rig.m, 0xE0, true);         /* left ctrl */
    machine_key(rig.m, 0xE2, true);         /* left alt */
    machine_key(rig.m, 0x4C, true);         /* delete */
    machine_key(rig.m, 0x4C, false);
    machine_key(rig.m, 0xE2, false);
    machine_key(rig.m, 0xE0, false);
    ck_assert_int_eq(rig_run(&rig, 2000), MACHINE_STOP_TIME);   /* POST again, then waiting */
    ck_assert_uint_eq(phys_read(&rig.m->mem, 0x472, 2), 0x1234);
    ck_assert_uint_eq(phys_read(&rig.m->mem, 0x500, 1), 0xA5);
    ck_assert_ptr_nonnull(strstr(rig.screen, "Faultline BIOS"));
    machine_key(rig.m, 0x04, true);         /* a */
    machine_key(rig.m, 0x04, false);
    ck_assert_int_eq(rig_run(&rig, 2000), MACHINE_STOP_GUEST_EXIT);
    ck_assert_int_eq(exit_value(&rig), 'a');
    rig_stop(&rig);
}
END_TEST

/* INT 15h AH=C2h: packet size 3 (05h), a far handler (07h), enable (00h),
 * then wait; the handler keeps the X word of the first packet and the main
 * loop writes it to the exit port (AH | C0h if a call failed). */
static const uint8_t mouse_handler_program[] = {
    0x31, 0xC0,             /* xor ax, ax */
    0x8E, 0xD8,             /* mov ds, ax */
    0x8E, 0xD0,             /* mov ss, ax */
    0xBC, 0x00, 0x7C,       /* mov sp, 7C00h */
    0xB8, 0x05, 0xC2,       /* mov ax, 0C205h */
    0xB7, 0x03,             /* mov bh, 3 */
    0xCD, 0x15,             /* int 15h */
    0x72, 0x25,             /* jc fail */
    0x0E,                   /* push cs */
    0x07,                   /* pop es */
    0xBB, 0x3D, 0x7C,       /* mov bx, handler */
    0xB8, 0x07, 0xC2,       /* mov ax, 0C207h */
    0xCD, 0x15,             /* int 15h */
    0x72, 0x19,             /* jc fail */
    0xB8, 0x00, 0xC2,       /* mov ax, 0C200h */
    0xB7, 0x01,             /* mov bh, 1 */
    0xCD, 0x15,             /* int 15h */
    0x72, 0x10,             /* jc fail */
    0xFB,                   /* sti */
    0x80, 0x3E, 0x4F, 0x7C, 0x00,   /* wait: cmp byte [done], 0 */
    0x75, 0x03,             /* jne got */
    0xF4,                   /* hlt */
    0xEB, 0xF6,             /* jmp wait */
    0xA0, 0x50, 0x7C,       /* got: mov al, [x] */
    0xE6, 0xF4,             /* out 0F4h, al */
    0x88, 0xE0,             /* fail: mov al, ah */
    0x0C, 0xC0,             /* or al, 0C0h */
    0xE6, 0xF4,             /* out 0F4h, al */
    0x55,                   /* handler: push bp */
    0x89, 0xE5,             /* mov bp, sp */
    0x8B, 0x46, 0x0A,       /* mov ax, [bp+10]   (status +12, X +10, Y +8, 0 +6) */
    0x2E, 0xA2, 0x50, 0x7C, /* mov [cs:x], al */
    0x2E, 0xC6, 0x06, 0x4F, 0x7C, 0x01,     /* mov byte [cs:done], 1 */
    0x5D,                   /* pop bp */
    0xCB,                   /* retf */
    0x00,                   /* done */
    0x00,                   /* x */
};

START_TEST(ps2_mouse_packets_reach_the_int15_handler)
{
    static uint8_t sec[512];
    boot_sector(sec, mouse_handler_program, sizeof(mouse_handler_program), NULL);
    Rig rig;
    rig_start(&rig, sec, sizeof(sec), NULL, 0);
    ck_assert_int_eq(rig_run(&rig, 2000), MACHINE_STOP_TIME);     /* waiting for a packet */
    ck_assert_uint_eq(phys_read(&rig.m->mem, 0x410, 2) & 0x0004, 0x0004);   /* equipment: mouse */
    machine_mouse(rig.m, 5, 0, 0, 0);
    ck_assert_int_eq(rig_run(&rig, 2000), MACHINE_STOP_GUEST_EXIT);
    ck_assert_int_eq(exit_value(&rig), 5);
    rig_stop(&rig);
}
END_TEST

/* INT 15h AH=87h with the descriptor table at 7D00 (in the boot sector):
 * copies 4 words from 7D80 to physical 200000h, above 1 MiB. */
static const uint8_t block_move[] = {
    0x31, 0xC0,             /* xor ax, ax */
    0x8E, 0xC0,             /* mov es, ax */
    0xBE, 0x00, 0x7D,       /* mov si, 7D00h */
    0xB9, 0x04, 0x00,       /* mov cx, 4 */
    0xB4, 0x87,             /* mov ah, 87h */
    0xCD, 0x15,             /* int 15h */
    0x88, 0xE0,             /* mov al, ah */
    0x73, 0x02,             /* jnc .ok */
    0xB0, 0xEE,             /* mov al, 0EEh (CF set) */
    0xE6, 0xF4,             /* .ok: out 0F4h, al */
    0xF4,                   /* hlt */
};

START_TEST(int15_block_move_copies_above_one_megabyte)
{
    static uint8_t sec[512];
    boot_sector(sec, block_move, sizeof(block_move), NULL);
    static const uint8_t src_desc[8] = { 0xFF, 0xFF, 0x80, 0x7D, 0x00, 0x93, 0x00, 0x00 };
    static const uint8_t dst_desc[8] = { 0xFF, 0xFF, 0x00, 0x00, 0x20, 0x93, 0x00, 0x00 };
    memcpy(sec + 0x110, src_desc, 8);
    memcpy(sec + 0x118, dst_desc, 8);
    memcpy(sec + 0x180, "ABCDEFGHIJ", 10);
    Rig rig;
    rig_start(&rig, sec, sizeof(sec), NULL, 0);
    ck_assert_int_eq(rig_run(&rig, 5000), MACHINE_STOP_GUEST_EXIT);
    ck_assert_int_eq(exit_value(&rig), 0x00);       /* AH = 0, CF clear */
    uint8_t copied[10];
    phys_read_block(&rig.m->mem, 0x200000, copied, sizeof(copied));
    ck_assert_mem_eq(copied, "ABCDEFGH\0\0", 10);   /* exactly 4 words */
    rig_stop(&rig);
}
END_TEST

Suite *bios_boot_suite(void)
{
    Suite *s = suite_create("bios_boot");
    TCase *tc = tcase_create("machine");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, post_prints_the_banner_and_boots_a_floppy);
    tcase_add_test(tc, post_enables_the_ide_channels);
    tcase_add_test(tc, teletype_scrolls_the_text_screen);
    tcase_add_test(tc, nothing_to_boot_says_so_and_halts);
    tcase_add_test(tc, int16_waits_for_a_key_and_translates_it);
    tcase_add_test(tc, caps_lock_shifts_letters_and_lights_its_led);
    tcase_add_test(tc, int13_reads_a_hard_disk_by_chs_and_by_packet);
    tcase_add_test(tc, int13_reads_a_floppy_track_by_dma);
    tcase_add_test(tc, int10_planar_pixel_round_trip);
    tcase_add_test(tc, ctrl_alt_del_is_a_warm_reboot);
    tcase_add_test(tc, ps2_mouse_packets_reach_the_int15_handler);
    tcase_add_test(tc, int15_block_move_copies_above_one_megabyte);
    suite_add_tcase(s, tc);
    return s;
}
