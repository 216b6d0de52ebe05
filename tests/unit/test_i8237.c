/* SPDX-License-Identifier: MIT */
/*
 * The 8237A pair driven through its ports, with i8237_transfer standing in
 * for the floppy controller: addresses, page wrap, terminal count, masks,
 * autoinit, direction and verify, and a state round trip.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "i8237.h"
#include "suites.h"

enum { RAM_SIZE = 0x40000 };

typedef struct Fixture {
    I8237 dma;
    IoSpace ports;
    uint8_t ram[RAM_SIZE];
} Fixture;

static void ram_read(void *o, uint64_t phys, void *dst, size_t n)
{
    Fixture *f = o;
    ck_assert_uint_le(phys + n, RAM_SIZE);
    memcpy(dst, f->ram + phys, n);
}

static void ram_write(void *o, uint64_t phys, const void *src, size_t n)
{
    Fixture *f = o;
    ck_assert_uint_le(phys + n, RAM_SIZE);
    memcpy(f->ram + phys, src, n);
}

static Fixture *setup(void)
{
    Fixture *f = calloc(1, sizeof(*f));
    ck_assert_ptr_nonnull(f);
    i8237_init(&f->dma, (I8237MemOps){ ram_read, ram_write, f });
    io_space_init(&f->ports, "port");
    ck_assert(i8237_map(&f->dma, &f->ports));
    return f;
}

static void out8(Fixture *f, uint32_t port, uint8_t v)
{
    io_space_write(&f->ports, port, v, 1);
}

static uint8_t in8(Fixture *f, uint32_t port)
{
    return (uint8_t)io_space_read(&f->ports, port, 1);
}

/* Programs an 8-bit channel 0-3 as the PC BIOS does for the floppy. */
static void program8(Fixture *f, int ch, uint8_t mode, uint8_t page, uint16_t addr, uint16_t count)
{
    static const uint8_t page_ports[4] = { 0x87, 0x83, 0x81, 0x82 };
    out8(f, 0x0A, (uint8_t)(4 | ch));           /* mask */
    out8(f, 0x0C, 0);                           /* clear byte pointer */
    out8(f, 0x0B, (uint8_t)(mode | ch));
    out8(f, (uint32_t)ch * 2, (uint8_t)addr);
    out8(f, (uint32_t)ch * 2, (uint8_t)(addr >> 8));
    out8(f, page_ports[ch], page);
    out8(f, (uint32_t)ch * 2 + 1, (uint8_t)count);
    out8(f, (uint32_t)ch * 2 + 1, (uint8_t)(count >> 8));
    out8(f, 0x0A, (uint8_t)ch);                 /* unmask */
}

static uint16_t read16(Fixture *f, uint32_t port)
{
    out8(f, 0x0C, 0);
    uint16_t lo = in8(f, port);
    return (uint16_t)(lo | in8(f, port) << 8);
}

START_TEST(channel2_read_to_memory_sets_tc_and_masks)
{
    Fixture *f = setup();
    uint8_t buf[512];
    for (int i = 0; i < 512; i++)
        buf[i] = (uint8_t)(i * 3 + 1);
    program8(f, 2, 0x44, 0x01, 0x2000, 511);    /* single, write to memory */
    ck_assert(!i8237_channel_masked(&f->dma, 2));
    ck_assert_uint_eq(i8237_transfer(&f->dma, 2, buf, 512, true), 512);
    ck_assert_mem_eq(f->ram + 0x12000, buf, 512);
    ck_assert_uint_eq(f->ram[0x11FFF], 0);
    ck_assert_uint_eq(f->ram[0x12200], 0);
    ck_assert(i8237_channel_tc(&f->dma, 2));
    ck_assert_uint_eq(in8(f, 0x08) & 0x0F, 0x04);   /* TC for channel 2 */
    ck_assert_uint_eq(in8(f, 0x08) & 0x0F, 0x00);   /* cleared by the read */
    ck_assert_uint_eq(read16(f, 0x04), 0x2200);
    ck_assert_uint_eq(read16(f, 0x05), 0xFFFF);
    ck_assert(i8237_channel_masked(&f->dma, 2));    /* no autoinit: masked at TC */
    ck_assert_uint_eq(in8(f, 0x0F) & 0x0F, 0x0F);  /* 0, 1, 3 still masked since power-on */
    ck_assert_uint_eq(i8237_transfer(&f->dma, 2, buf, 512, true), 0);
    free(f);
}
END_TEST

START_TEST(short_count_stops_early)
{
    Fixture *f = setup();
    uint8_t buf[512];
    memset(buf, 0x77, sizeof(buf));
    program8(f, 2, 0x44, 0x00, 0x1000, 99);
    ck_assert_uint_eq(i8237_transfer(&f->dma, 2, buf, 512, true), 100);
    ck_assert_uint_eq(f->ram[0x1063], 0x77);
    ck_assert_uint_eq(f->ram[0x1064], 0x00);
    ck_assert(i8237_channel_tc(&f->dma, 2));
    free(f);
}
END_TEST

START_TEST(address_wraps_inside_the_64k_page)
{
    Fixture *f = setup();
    uint8_t buf[32];
    for (int i = 0; i < 32; i++)
        buf[i] = (uint8_t)(0xA0 + i);
    program8(f, 1, 0x44, 0x02, 0xFFF0, 31);
    ck_assert_uint_eq(i8237_transfer(&f->dma, 1, buf, 32, true), 32);
    ck_assert_uint_eq(f->ram[0x2FFF0], 0xA0);
    ck_assert_uint_eq(f->ram[0x2FFFF], 0xAF);
    ck_assert_uint_eq(f->ram[0x20000], 0xB0);   /* wrapped to the page start, not 0x30000 */
    ck_assert_uint_eq(f->ram[0x30000], 0x00);
    ck_assert_uint_eq(read16(f, 0x02), 0x0010);
    free(f);
}
END_TEST

START_TEST(sixteen_bit_channel_counts_words)
{
    Fixture *f = setup();
    uint8_t buf[512];
    for (int i = 0; i < 512; i++)
        buf[i] = (uint8_t)i;
    out8(f, 0xD4, 4 | 1);                       /* mask channel 5 */
    out8(f, 0xD8, 0);
    out8(f, 0xD6, 0x44 | 1);
    out8(f, 0xC4, 0x00);                        /* word address 0x1000 */
    out8(f, 0xC4, 0x10);
    out8(f, 0x8B, 0x03);                        /* page bit 0 ignored on 16-bit channels */
    out8(f, 0xC6, 0xFF);                        /* 256 words */
    out8(f, 0xC6, 0x00);
    out8(f, 0xD4, 1);
    ck_assert_uint_eq(in8(f, 0x8B), 0x03);
    ck_assert_uint_eq(i8237_transfer(&f->dma, 5, buf, 512, true), 512);
    ck_assert_mem_eq(f->ram + 0x22000, buf, 512);
    ck_assert_uint_eq(in8(f, 0xD0) & 0x0F, 0x02);
    free(f);
}
END_TEST

START_TEST(autoinit_reloads_and_stays_unmasked)
{
    Fixture *f = setup();
    uint8_t buf[16] = { 0 };
    program8(f, 2, 0x54, 0x00, 0x3000, 7);
    ck_assert_uint_eq(i8237_transfer(&f->dma, 2, buf, 16, true), 8);
    ck_assert(!i8237_channel_masked(&f->dma, 2));
    ck_assert_uint_eq(read16(f, 0x04), 0x3000);
    ck_assert_uint_eq(read16(f, 0x05), 7);
    free(f);
}
END_TEST

START_TEST(memory_to_device_verify_and_decrement)
{
    Fixture *f = setup();
    uint8_t buf[8];
    for (int i = 0; i < 8; i++)
        f->ram[0x4000 + i] = (uint8_t)(0x10 + i);
    program8(f, 3, 0x48, 0x00, 0x4000, 7);      /* read from memory */
    ck_assert_uint_eq(i8237_transfer(&f->dma, 3, buf, 8, false), 8);
    ck_assert_uint_eq(buf[0], 0x10);
    ck_assert_uint_eq(buf[7], 0x17);

    memset(buf, 0xEE, sizeof(buf));
    program8(f, 3, 0x40, 0x00, 0x5000, 7);      /* verify: counts, moves nothing */
    ck_assert_uint_eq(i8237_transfer(&f->dma, 3, buf, 8, true), 8);
    ck_assert_uint_eq(f->ram[0x5000], 0);
    ck_assert_uint_eq(read16(f, 0x06), 0x5008);

    program8(f, 3, 0x64, 0x00, 0x6003, 3);      /* decrement, write to memory */
    ck_assert_uint_eq(i8237_transfer(&f->dma, 3, buf, 4, true), 4);
    ck_assert_uint_eq(f->ram[0x6003], 0xEE);
    ck_assert_uint_eq(f->ram[0x6000], 0xEE);
    ck_assert_uint_eq(read16(f, 0x06), 0x5FFF);
    free(f);
}
END_TEST

START_TEST(masks_flipflop_and_master_clear)
{
    Fixture *f = setup();
    uint8_t buf[4];
    ck_assert_uint_eq(in8(f, 0x0F) & 0x0F, 0x0F);  /* all masked at power-on */
    ck_assert_uint_eq(i8237_transfer(&f->dma, 2, buf, 4, true), 0);
    out8(f, 0x0E, 0);                           /* clear mask register */
    ck_assert_uint_eq(in8(f, 0x0F) & 0x0F, 0);
    out8(f, 0x0F, 0x05);
    ck_assert(i8237_channel_masked(&f->dma, 0) && !i8237_channel_masked(&f->dma, 1));
    out8(f, 0x0C, 0);
    out8(f, 0x00, 0x34);
    ck_assert_uint_eq(in8(f, 0x00), 0x00);      /* byte pointer was on the high byte */
    ck_assert_uint_eq(in8(f, 0x00), 0x34);
    out8(f, 0x09, 0x06);                        /* software request channel 2 */
    ck_assert_uint_eq(in8(f, 0x08), 0x40);
    out8(f, 0x0D, 0);                           /* master clear */
    ck_assert_uint_eq(in8(f, 0x0F) & 0x0F, 0x0F);
    ck_assert_uint_eq(in8(f, 0x08), 0x00);
    out8(f, 0x08, 0x04);                        /* controller disable */
    out8(f, 0x0A, 2);
    ck_assert_uint_eq(i8237_transfer(&f->dma, 2, buf, 4, true), 0);
    ck_assert_uint_eq(i8237_transfer(&f->dma, 9, buf, 4, true), 0);
    free(f);
}
END_TEST

START_TEST(page_registers_are_mapped_one_by_one)
{
    Fixture *f = setup();
    ck_assert_ptr_null(io_space_find(&f->ports, 0x80));    /* POST code port: not ours */
    ck_assert_ptr_null(io_space_find(&f->ports, 0x84));
    ck_assert_ptr_null(io_space_find(&f->ports, 0x88));
    static const uint8_t ports[8] = { 0x87, 0x83, 0x81, 0x82, 0x8F, 0x8B, 0x89, 0x8A };
    for (int ch = 0; ch < 8; ch++)
        out8(f, ports[ch], (uint8_t)(0x10 + ch));
    for (int ch = 0; ch < 8; ch++) {
        ck_assert_uint_eq(in8(f, ports[ch]), 0x10 + ch);
        ck_assert_uint_eq(f->dma.page[ch], 0x10 + ch);
    }
    free(f);
}
END_TEST

START_TEST(state_round_trip_resumes_a_transfer)
{
    Fixture *f = setup(), *g = setup();
    uint8_t buf[64], state[512];
    for (int i = 0; i < 64; i++)
        buf[i] = (uint8_t)(i + 1);
    program8(f, 2, 0x44, 0x01, 0x0100, 63);
    ck_assert_uint_eq(i8237_transfer(&f->dma, 2, buf, 32, true), 32);
    out8(f, 0x0C, 0);
    (void)in8(f, 0x04);                         /* leave the byte pointer on high */
    size_t n = state_save(&i8237_state, &f->dma, state, sizeof(state));
    ck_assert_uint_gt(n, 0);
    ck_assert(state_load(&i8237_state, &g->dma, state, n));
    uint8_t again[512];
    ck_assert_uint_eq(state_save(&i8237_state, &g->dma, again, sizeof(again)), n);
    ck_assert_mem_eq(state, again, n);
    ck_assert_uint_eq(in8(g, 0x04), 0x01);      /* high byte of 0x0120 */
    ck_assert_uint_eq(i8237_transfer(&f->dma, 2, buf + 32, 64, true), 32);
    ck_assert_uint_eq(i8237_transfer(&g->dma, 2, buf + 32, 64, true), 32);
    ck_assert_mem_eq(f->ram + 0x10120, g->ram + 0x10120, 32);
    ck_assert_mem_eq(g->ram + 0x10120, buf + 32, 32);
    ck_assert(i8237_channel_tc(&g->dma, 2));
    free(f);
    free(g);
}
END_TEST

Suite *i8237_suite(void)
{
    Suite *s = suite_create("i8237");
    TCase *tc = tcase_create("i8237");
    tcase_add_test(tc, channel2_read_to_memory_sets_tc_and_masks);
    tcase_add_test(tc, short_count_stops_early);
    tcase_add_test(tc, address_wraps_inside_the_64k_page);
    tcase_add_test(tc, sixteen_bit_channel_counts_words);
    tcase_add_test(tc, autoinit_reloads_and_stays_unmasked);
    tcase_add_test(tc, memory_to_device_verify_and_decrement);
    tcase_add_test(tc, masks_flipflop_and_master_clear);
    tcase_add_test(tc, page_registers_are_mapped_one_by_one);
    tcase_add_test(tc, state_round_trip_resumes_a_transfer);
    suite_add_tcase(s, tc);
    return s;
}
