/* SPDX-License-Identifier: MIT */
/* PC16550D UART at COM1 (0x3F8, IRQ4) driven through its ports with a hand-advanced clock. */
#include <check.h>
#include <string.h>

#include "suites.h"
#include "uart16550.h"

#define COM1 0x3F8
#define CHAR_9600_8N1 1041667ull        /* 10 bits * 16 * 12 / 1.8432 MHz, rounded up */

typedef struct Rig {
    Clock clock;
    IoSpace io;
    Uart16550 uart;
    int level, raises;
    uint8_t out[64];
    uint64_t out_at[64];
    int out_count;
} Rig;

static void irq_record(void *ctx, int line, int level)
{
    Rig *r = ctx;
    ck_assert_int_eq(line, 4);
    if (level && !r->level)
        r->raises++;
    r->level = level;
}

static void host_write(void *opaque, uint8_t ch)
{
    Rig *r = opaque;
    if (r->out_count < 64) {
        r->out[r->out_count] = ch;
        r->out_at[r->out_count] = r->clock.now_ns;
    }
    r->out_count++;
}

static const SerialOps host_ops = { .write = host_write };

static void rig_init(Rig *r)
{
    memset(r, 0, sizeof(*r));
    clock_init(&r->clock, 0);
    io_space_init(&r->io, "port");
    uart16550_init(&r->uart, &r->clock, (IrqLine){ irq_record, r, 4 }, &host_ops, r);
    ck_assert(uart16550_map(&r->uart, &r->io, COM1));
}

static uint8_t rd(Rig *r, unsigned reg)
{
    return (uint8_t)io_space_read(&r->io, COM1 + reg, 1);
}

static void wr(Rig *r, unsigned reg, uint8_t v)
{
    io_space_write(&r->io, COM1 + reg, v, 1);
}

/* 9600 baud, 8N1, the way a BIOS programs the port. */
static void set_9600_8n1(Rig *r)
{
    wr(r, UART_LCR, UART_LCR_DLAB);
    wr(r, UART_DLL, 12);
    wr(r, UART_DLM, 0);
    wr(r, UART_LCR, 0x03);
}

START_TEST(reset_values_match_the_datasheet)
{
    Rig r;
    rig_init(&r);
    ck_assert_uint_eq(rd(&r, UART_IER), 0x00);
    ck_assert_uint_eq(rd(&r, UART_IIR_FCR), 0x01);
    ck_assert_uint_eq(rd(&r, UART_LCR), 0x00);
    ck_assert_uint_eq(rd(&r, UART_MCR), 0x00);
    ck_assert_uint_eq(rd(&r, UART_LSR), 0x60);
    ck_assert_uint_eq(rd(&r, UART_MSR), 0xB0);       /* CTS, DSR, DCD, no deltas */
    wr(&r, UART_SCR, 0xA5);
    ck_assert_uint_eq(rd(&r, UART_SCR), 0xA5);
    wr(&r, UART_IER, 0xFF);
    ck_assert_uint_eq(rd(&r, UART_IER), 0x0F);
    wr(&r, UART_MCR, 0xFF);
    ck_assert_uint_eq(rd(&r, UART_MCR), 0x1F);
    ck_assert_int_eq(r.level, 0);                    /* loopback: the IRQ buffer is off */
}
END_TEST

START_TEST(divisor_latch_is_behind_dlab)
{
    Rig r;
    rig_init(&r);
    wr(&r, UART_IER, 0x05);
    wr(&r, UART_LCR, 0x83);
    wr(&r, UART_DLL, 0x01);
    wr(&r, UART_DLM, 0x02);
    ck_assert_uint_eq(rd(&r, UART_DLL), 0x01);
    ck_assert_uint_eq(rd(&r, UART_DLM), 0x02);
    wr(&r, UART_LCR, 0x03);
    ck_assert_uint_eq(rd(&r, UART_IER), 0x05);
    ck_assert_uint_eq(rd(&r, UART_LCR), 0x03);
    ck_assert_uint_eq(uart16550_char_ns(&r.uart), clock_ticks_to_ns(160ull * 0x201, UART_CLOCK_HZ));
    wr(&r, UART_LCR, 0x0F);                          /* 8 bits, parity, 2 stop bits: 12 bits */
    ck_assert_uint_eq(uart16550_char_ns(&r.uart), clock_ticks_to_ns(192ull * 0x201, UART_CLOCK_HZ));
    wr(&r, UART_LCR, 0x04);                          /* 5 bits, 1.5 stop bits: 7.5 bits */
    ck_assert_uint_eq(uart16550_char_ns(&r.uart), clock_ticks_to_ns(120ull * 0x201, UART_CLOCK_HZ));
}
END_TEST

START_TEST(thre_and_temt_follow_the_character_time_at_9600)
{
    Rig r;
    rig_init(&r);
    set_9600_8n1(&r);
    ck_assert_uint_eq(uart16550_char_ns(&r.uart), CHAR_9600_8N1);
    wr(&r, UART_RBR_THR, 'A');
    ck_assert_uint_eq(rd(&r, UART_LSR), UART_LSR_THRE);      /* A moved to the shift register */
    wr(&r, UART_RBR_THR, 'B');
    ck_assert_uint_eq(rd(&r, UART_LSR), 0x00);
    clock_advance_to(&r.clock, CHAR_9600_8N1 - 1);
    ck_assert_int_eq(r.out_count, 0);
    ck_assert_uint_eq(rd(&r, UART_LSR), 0x00);
    clock_advance_to(&r.clock, CHAR_9600_8N1);
    ck_assert_int_eq(r.out_count, 1);
    ck_assert_uint_eq(r.out[0], 'A');
    ck_assert_uint_eq(rd(&r, UART_LSR), UART_LSR_THRE);
    clock_advance_to(&r.clock, 2 * CHAR_9600_8N1 - 1);
    ck_assert_uint_eq(rd(&r, UART_LSR), UART_LSR_THRE);
    clock_advance_to(&r.clock, 2 * CHAR_9600_8N1);
    ck_assert_int_eq(r.out_count, 2);
    ck_assert_uint_eq(r.out[1], 'B');
    ck_assert_uint_eq(r.out_at[1], 2 * CHAR_9600_8N1);
    ck_assert_uint_eq(rd(&r, UART_LSR), UART_LSR_THRE | UART_LSR_TEMT);
}
END_TEST

START_TEST(thre_interrupt_is_gated_by_out2_and_cleared_by_iir_read)
{
    Rig r;
    rig_init(&r);
    set_9600_8n1(&r);
    wr(&r, UART_IER, UART_IER_ETBEI);
    ck_assert_int_eq(r.level, 0);                    /* OUT2 off */
    wr(&r, UART_MCR, UART_MCR_OUT2);
    ck_assert_int_eq(r.level, 1);
    ck_assert_uint_eq(rd(&r, UART_IIR_FCR), UART_IIR_THRE);
    ck_assert_int_eq(r.level, 0);
    ck_assert_uint_eq(rd(&r, UART_IIR_FCR), UART_IIR_NONE);
    /* Writing THR clears the latch; the move to the shift register sets it again. */
    wr(&r, UART_RBR_THR, 'x');
    ck_assert_int_eq(r.level, 1);
    wr(&r, UART_RBR_THR, 'y');
    ck_assert_int_eq(r.level, 0);
    clock_advance_to(&r.clock, CHAR_9600_8N1);
    ck_assert_int_eq(r.level, 1);
    wr(&r, UART_MCR, 0);
    ck_assert_int_eq(r.level, 0);
    ck_assert_uint_eq(rd(&r, UART_IIR_FCR), UART_IIR_THRE);  /* still pending inside */
}
END_TEST

START_TEST(loopback_wires_tx_to_rx_and_mcr_to_msr)
{
    Rig r;
    rig_init(&r);
    set_9600_8n1(&r);
    wr(&r, UART_IER, UART_IER_ERBFI);
    wr(&r, UART_MCR, UART_MCR_LOOP | UART_MCR_OUT2);
    ck_assert_uint_eq(rd(&r, UART_MSR), UART_MSR_DCD | UART_MSR_DCTS | UART_MSR_DDSR);
    wr(&r, UART_RBR_THR, 0x5A);
    ck_assert(!uart16550_receive(&r.uart, 0x11));    /* SIN is cut off in loopback */
    ck_assert_uint_eq(uart16550_can_receive(&r.uart), 0);
    clock_advance_to(&r.clock, CHAR_9600_8N1);
    ck_assert_int_eq(r.out_count, 0);
    ck_assert_uint_eq(rd(&r, UART_LSR), UART_LSR_DR | UART_LSR_THRE | UART_LSR_TEMT);
    ck_assert_uint_eq(rd(&r, UART_IIR_FCR), UART_IIR_RX);
    ck_assert_int_eq(r.level, 0);                    /* the IRQ buffer is off in loopback */
    ck_assert_uint_eq(rd(&r, UART_RBR_THR), 0x5A);
    ck_assert_uint_eq(rd(&r, UART_LSR) & UART_LSR_DR, 0);
    wr(&r, UART_MCR, UART_MCR_LOOP | UART_MCR_DTR | UART_MCR_RTS | UART_MCR_OUT1);
    ck_assert_uint_eq(rd(&r, UART_MSR), UART_MSR_CTS | UART_MSR_DSR | UART_MSR_RI |
                                        UART_MSR_DCTS | UART_MSR_DDSR | UART_MSR_DDCD);
    wr(&r, UART_MCR, UART_MCR_LOOP);
    ck_assert_uint_eq(rd(&r, UART_MSR), UART_MSR_DCTS | UART_MSR_DDSR | UART_MSR_TERI);
    wr(&r, UART_MCR, 0);
    ck_assert_uint_eq(rd(&r, UART_MSR), 0xB0 | UART_MSR_DCTS | UART_MSR_DDSR | UART_MSR_DDCD);
}
END_TEST

START_TEST(fifo_trigger_levels)
{
    static const uint8_t fcr_bits[4] = { 0x00, 0x40, 0x80, 0xC0 };
    static const unsigned levels[4] = { 1, 4, 8, 14 };
    for (int i = 0; i < 4; i++) {
        Rig r;
        rig_init(&r);
        set_9600_8n1(&r);
        wr(&r, UART_IIR_FCR, UART_FCR_ENABLE | fcr_bits[i]);
        wr(&r, UART_IER, UART_IER_ERBFI);
        wr(&r, UART_MCR, UART_MCR_OUT2);
        for (unsigned n = 0; n + 1 < levels[i]; n++)
            ck_assert(uart16550_receive(&r.uart, (uint8_t)n));
        ck_assert_uint_eq(rd(&r, UART_IIR_FCR), 0xC1);
        ck_assert_int_eq(r.level, 0);
        ck_assert(uart16550_receive(&r.uart, 0xEE));
        ck_assert_uint_eq(rd(&r, UART_IIR_FCR), 0xC4);
        ck_assert_int_eq(r.level, 1);
        ck_assert_uint_eq(uart16550_can_receive(&r.uart), 16 - levels[i]);
        ck_assert_uint_eq(rd(&r, UART_RBR_THR), levels[i] == 1 ? 0xEE : 0);
        ck_assert_int_eq(r.level, 0);
        ck_assert_uint_eq(rd(&r, UART_IIR_FCR), 0xC1);
    }
}
END_TEST

START_TEST(character_timeout_after_four_character_times)
{
    Rig r;
    rig_init(&r);
    set_9600_8n1(&r);
    wr(&r, UART_IIR_FCR, UART_FCR_ENABLE | 0x80);    /* trigger at 8 */
    wr(&r, UART_IER, UART_IER_ERBFI);
    wr(&r, UART_MCR, UART_MCR_OUT2);
    uart16550_receive(&r.uart, 'a');
    uart16550_receive(&r.uart, 'b');
    clock_advance_to(&r.clock, 4 * CHAR_9600_8N1 - 1);
    ck_assert_int_eq(r.level, 0);
    ck_assert_uint_eq(rd(&r, UART_IIR_FCR), 0xC1);
    clock_advance_to(&r.clock, 4 * CHAR_9600_8N1);
    ck_assert_int_eq(r.level, 1);
    ck_assert_uint_eq(rd(&r, UART_IIR_FCR), 0xCC);
    ck_assert_uint_eq(rd(&r, UART_RBR_THR), 'a');
    ck_assert_int_eq(r.level, 0);
    clock_advance_to(&r.clock, 8 * CHAR_9600_8N1);
    ck_assert_uint_eq(rd(&r, UART_IIR_FCR), 0xCC);
    ck_assert_uint_eq(rd(&r, UART_RBR_THR), 'b');
    clock_advance_to(&r.clock, 20 * CHAR_9600_8N1);
    ck_assert_uint_eq(rd(&r, UART_IIR_FCR), 0xC1);
    ck_assert_uint_eq(rd(&r, UART_RBR_THR), 'b');    /* RBR keeps the last character */
}
END_TEST

START_TEST(iir_reports_sources_in_priority_order)
{
    Rig r;
    rig_init(&r);
    set_9600_8n1(&r);
    wr(&r, UART_IER, 0x0F);
    wr(&r, UART_MCR, UART_MCR_OUT2);
    ck_assert(uart16550_receive(&r.uart, 1));
    ck_assert(!uart16550_receive(&r.uart, 2));       /* overrun: line status */
    uart16550_set_modem_lines(&r.uart, UART_MSR_DSR);
    ck_assert_int_eq(r.level, 1);
    ck_assert_uint_eq(rd(&r, UART_IIR_FCR), UART_IIR_LINE);
    ck_assert_uint_eq(rd(&r, UART_LSR), UART_LSR_DR | UART_LSR_OE | UART_LSR_THRE | UART_LSR_TEMT);
    ck_assert_uint_eq(rd(&r, UART_IIR_FCR), UART_IIR_RX);
    ck_assert_uint_eq(rd(&r, UART_RBR_THR), 2);      /* 16450 mode: overwritten by the new one */
    ck_assert_uint_eq(rd(&r, UART_IIR_FCR), UART_IIR_THRE);
    ck_assert_uint_eq(rd(&r, UART_IIR_FCR), UART_IIR_MODEM);
    ck_assert_uint_eq(rd(&r, UART_MSR), UART_MSR_DSR | UART_MSR_DCTS | UART_MSR_DDCD);
    ck_assert_uint_eq(rd(&r, UART_IIR_FCR), UART_IIR_NONE);
    ck_assert_int_eq(r.level, 0);
}
END_TEST

START_TEST(fifo_overrun_keeps_the_first_sixteen)
{
    Rig r;
    rig_init(&r);
    wr(&r, UART_IIR_FCR, UART_FCR_ENABLE | 0xC0);
    for (unsigned i = 0; i < 16; i++)
        ck_assert(uart16550_receive(&r.uart, (uint8_t)i));
    ck_assert_uint_eq(uart16550_can_receive(&r.uart), 0);
    ck_assert(!uart16550_receive(&r.uart, 0x99));
    ck_assert_uint_eq(rd(&r, UART_LSR), UART_LSR_DR | UART_LSR_OE | UART_LSR_THRE | UART_LSR_TEMT);
    ck_assert_uint_eq(rd(&r, UART_LSR), UART_LSR_DR | UART_LSR_THRE | UART_LSR_TEMT);
    for (unsigned i = 0; i < 16; i++)
        ck_assert_uint_eq(rd(&r, UART_RBR_THR), i);
    ck_assert_uint_eq(rd(&r, UART_LSR) & UART_LSR_DR, 0);
}
END_TEST

START_TEST(fcr_resets_and_mode_switch_clear_fifos)
{
    Rig r;
    rig_init(&r);
    set_9600_8n1(&r);
    wr(&r, UART_IIR_FCR, UART_FCR_ENABLE);
    ck_assert_uint_eq(rd(&r, UART_IIR_FCR), 0xC1);
    for (int i = 0; i < 5; i++) {
        uart16550_receive(&r.uart, (uint8_t)i);
        wr(&r, UART_RBR_THR, (uint8_t)('0' + i));
    }
    ck_assert_uint_eq(rd(&r, UART_LSR), UART_LSR_DR);
    wr(&r, UART_IIR_FCR, UART_FCR_ENABLE | UART_FCR_RX_RESET | UART_FCR_TX_RESET);
    ck_assert_uint_eq(rd(&r, UART_LSR), UART_LSR_THRE);     /* '0' still shifting out */
    clock_advance_to(&r.clock, 10 * CHAR_9600_8N1);
    ck_assert_int_eq(r.out_count, 1);
    uart16550_receive(&r.uart, 7);
    wr(&r, UART_IIR_FCR, 0);                          /* FIFOs off */
    ck_assert_uint_eq(rd(&r, UART_IIR_FCR), 0x01);
    ck_assert_uint_eq(rd(&r, UART_LSR), UART_LSR_THRE | UART_LSR_TEMT);
}
END_TEST

START_TEST(fifo_transmit_sends_sixteen_plus_shift_register)
{
    Rig r;
    rig_init(&r);
    wr(&r, UART_LCR, UART_LCR_DLAB);
    wr(&r, UART_DLL, 1);                              /* 115200 baud */
    wr(&r, UART_LCR, 0x03);
    wr(&r, UART_IIR_FCR, UART_FCR_ENABLE);
    for (int i = 0; i < 20; i++)
        wr(&r, UART_RBR_THR, (uint8_t)i);             /* 1 shifting + 16 queued, 3 lost */
    uint64_t t = uart16550_char_ns(&r.uart);
    clock_advance_to(&r.clock, 17 * t + 17);
    ck_assert_int_eq(r.out_count, 17);
    for (int i = 0; i < 17; i++)
        ck_assert_uint_eq(r.out[i], i);
    ck_assert_uint_eq(rd(&r, UART_LSR), UART_LSR_THRE | UART_LSR_TEMT);
}
END_TEST

START_TEST(guest_misuse_is_harmless)
{
    Rig r;
    rig_init(&r);
    wr(&r, UART_LCR, UART_LCR_DLAB);
    wr(&r, UART_DLL, 0);
    wr(&r, UART_DLM, 0);                              /* divisor 0 */
    wr(&r, UART_LCR, 0x03);
    ck_assert_uint_eq(uart16550_char_ns(&r.uart), clock_ticks_to_ns(160ull * 65536, UART_CLOCK_HZ));
    wr(&r, UART_LSR, 0x00);
    wr(&r, UART_MSR, 0x0F);
    ck_assert_uint_eq(rd(&r, UART_LSR), 0x60);
    ck_assert_uint_eq(rd(&r, UART_MSR), 0xB0);
    ck_assert_uint_eq(rd(&r, UART_RBR_THR), 0x00);    /* empty receiver */
    wr(&r, UART_RBR_THR, 'q');
    wr(&r, UART_RBR_THR, 'r');
    wr(&r, UART_RBR_THR, 's');                        /* 16450: overwrites the holding register */
    clock_advance_to(&r.clock, 3 * uart16550_char_ns(&r.uart));
    ck_assert_int_eq(r.out_count, 2);
    ck_assert_uint_eq(r.out[1], 's');
    io_space_write(&r.io, COM1, 0x4142, 2);           /* word write split by the bus */
}
END_TEST

START_TEST(state_round_trip_keeps_behaviour)
{
    Rig a, b;
    rig_init(&a);
    set_9600_8n1(&a);
    wr(&a, UART_IIR_FCR, UART_FCR_ENABLE | 0x80);
    wr(&a, UART_IER, 0x0F);
    wr(&a, UART_MCR, UART_MCR_OUT2 | UART_MCR_DTR);
    for (int i = 0; i < 5; i++)
        wr(&a, UART_RBR_THR, (uint8_t)('a' + i));
    uart16550_receive(&a.uart, 'z');
    uart16550_receive(&a.uart, 'y');
    clock_advance_to(&a.clock, CHAR_9600_8N1 + 1000);
    uint8_t buf[512], again[512];
    size_t n = state_save(&uart16550_state, &a.uart, buf, sizeof(buf));
    ck_assert_uint_gt(n, 0);
    rig_init(&b);
    clock_advance_to(&b.clock, CHAR_9600_8N1 + 1000);
    ck_assert(state_load(&uart16550_state, &b.uart, buf, n));
    ck_assert_uint_eq(state_save(&uart16550_state, &b.uart, again, sizeof(again)), n);
    ck_assert_mem_eq(buf, again, n);
    b.level = a.level;
    memcpy(b.out, a.out, sizeof(a.out));
    b.out_count = a.out_count;
    for (uint64_t t = CHAR_9600_8N1 + 1000; t < 10 * CHAR_9600_8N1; t += CHAR_9600_8N1 / 3) {
        clock_advance_to(&a.clock, t);
        clock_advance_to(&b.clock, t);
        ck_assert_int_eq(a.level, b.level);
        for (unsigned reg = 0; reg < 8; reg++)
            ck_assert_uint_eq(rd(&a, reg), rd(&b, reg));
    }
    ck_assert_int_eq(a.out_count, 5);
    ck_assert_int_eq(b.out_count, 5);
    ck_assert_mem_eq(a.out, b.out, 5);
}
END_TEST

Suite *uart16550_suite(void)
{
    Suite *s = suite_create("uart16550");
    TCase *tc = tcase_create("uart16550");
    tcase_add_test(tc, reset_values_match_the_datasheet);
    tcase_add_test(tc, divisor_latch_is_behind_dlab);
    tcase_add_test(tc, thre_and_temt_follow_the_character_time_at_9600);
    tcase_add_test(tc, thre_interrupt_is_gated_by_out2_and_cleared_by_iir_read);
    tcase_add_test(tc, loopback_wires_tx_to_rx_and_mcr_to_msr);
    tcase_add_test(tc, fifo_trigger_levels);
    tcase_add_test(tc, character_timeout_after_four_character_times);
    tcase_add_test(tc, iir_reports_sources_in_priority_order);
    tcase_add_test(tc, fifo_overrun_keeps_the_first_sixteen);
    tcase_add_test(tc, fcr_resets_and_mode_switch_clear_fifos);
    tcase_add_test(tc, fifo_transmit_sends_sixteen_plus_shift_register);
    tcase_add_test(tc, guest_misuse_is_harmless);
    tcase_add_test(tc, state_round_trip_keeps_behaviour);
    suite_add_tcase(s, tc);
    return s;
}
