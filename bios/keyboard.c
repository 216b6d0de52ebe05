/* SPDX-License-Identifier: MIT */
/*
 * The keyboard: scan code set 1 (as the 8042 translates it) to the IBM
 * keystroke words of a US 101-key keyboard, the BDA ring buffer at 40:1E
 * (head 40:1A, tail 40:1C, bounds 40:80/40:82), the shift flags at 40:17,
 * 40:18 and 40:96, and INT 16h functions 00h-05h, 0Ah and 10h-12h.  The
 * IRQ1 handler in rom.asm reads port 60h and runs INT 15h AH=4Fh first.
 * Ctrl-Alt-Del sets 40:72 = 1234h and pulses reset through the 8042 (FEh).
 * The lock LEDs follow the lock states.  Not modelled: SysReq (INT 15h
 * AH=85h), Pause (its codes are swallowed, the machine is not paused),
 * INT 16h AH=09h.
 */
#include "keyboard.h"

enum {
    SHIFT_R = 0x01, SHIFT_L = 0x02, CTRL = 0x04, ALT = 0x08,
    SCROLL = 0x10, NUM = 0x20, CAPS = 0x40, INSERT = 0x80,
};

/* ASCII of scan codes 00h-39h, unshifted and shifted (0: none). */
static const char plain[0x3A] =
    "\0\x1b" "1234567890-=\x08\t" "qwertyuiop[]\r\0" "asdfghjkl;'`\0\\" "zxcvbnm,./\0*\0 ";
static const char shifted[0x3A] =
    "\0\x1b" "!@#$%^&*()_+\x08\t" "QWERTYUIOP{}\r\0" "ASDFGHJKL:\"~\0|" "ZXCVBNM<>?\0*\0 ";
/* The keypad 47h-53h with Num Lock (or Shift). */
static const char keypad[13] = "789-456+1230.";

static uint16_t function_key(uint8_t sc, uint8_t flags)
{
    if (sc >= 0x3B && sc <= 0x44) {
        uint8_t n = (uint8_t)(sc - 0x3B);
        if (flags & ALT) return (uint16_t)((0x68 + n) << 8);
        if (flags & CTRL) return (uint16_t)((0x5E + n) << 8);
        if (flags & (SHIFT_L | SHIFT_R)) return (uint16_t)((0x54 + n) << 8);
        return (uint16_t)(sc << 8);
    }
    uint8_t n = (uint8_t)(sc == 0x57 ? 0 : 1);     /* F11, F12 */
    if (flags & ALT) return (uint16_t)((0x8B + n) << 8);
    if (flags & CTRL) return (uint16_t)((0x89 + n) << 8);
    if (flags & (SHIFT_L | SHIFT_R)) return (uint16_t)((0x87 + n) << 8);
    return (uint16_t)((0x85 + n) << 8);
}

static uint16_t ctrl_key(uint8_t sc, char base)
{
    if (base >= 'a' && base <= 'z')
        return (uint16_t)(sc << 8 | (base - 'a' + 1));
    switch (base) {
    case '[': return (uint16_t)(sc << 8 | 0x1B);
    case '\\': return (uint16_t)(sc << 8 | 0x1C);
    case ']': return (uint16_t)(sc << 8 | 0x1D);
    case '6': return (uint16_t)(sc << 8 | 0x1E);
    case '-': return (uint16_t)(sc << 8 | 0x1F);
    case '2': return 0x0300;
    case '\x08': return 0x0E7F;
    case '\r': return 0x1C0A;
    case '\x1b': return 0x011B;
    case '\t': return 0x9400;
    default: return 0;
    }
}

uint16_t keyboard_translate(uint8_t sc, bool e0, uint8_t flags)
{
    bool shift = flags & (SHIFT_L | SHIFT_R);
    if ((sc >= 0x3B && sc <= 0x44) || sc == 0x57 || sc == 0x58)
        return function_key(sc, flags);
    if (e0) {
        if (sc == 0x1C) return (flags & CTRL) ? 0xE00A : (flags & ALT) ? 0xA600 : 0xE00D;
        if (sc == 0x35) return (flags & ALT) ? 0xA400 : (flags & CTRL) ? 0x9500 : 0xE02F;
        if (sc >= 0x47 && sc <= 0x53 && sc != 0x4A && sc != 0x4C && sc != 0x4E)
            return (flags & ALT) ? (uint16_t)((sc + 0x50) << 8) : (uint16_t)(sc << 8 | 0xE0);
        return 0;
    }
    if (sc >= 0x47 && sc <= 0x53) {
        char k = keypad[sc - 0x47];
        bool num = ((flags & NUM) != 0) != shift;
        if (k == '-' || k == '+')
            return (uint16_t)(sc << 8 | (uint8_t)k);
        if (flags & ALT)
            return 0;                       /* Alt + keypad digits: numeric entry */
        return num ? (uint16_t)(sc << 8 | (uint8_t)k) : (uint16_t)(sc << 8);
    }
    if (sc >= sizeof(plain))
        return 0;
    char base = plain[sc];
    if (!base && sc != 0x39)
        return 0;                           /* shift keys */
    if (flags & ALT) {
        if (sc >= 0x02 && sc <= 0x0D)
            return (uint16_t)((sc + 0x76) << 8);
        if (sc == 0x39)
            return 0x3920;
        return (uint16_t)(sc << 8);
    }
    if (flags & CTRL)
        return ctrl_key(sc, base);
    bool letter = base >= 'a' && base <= 'z';
    bool upper = shift != (letter && (flags & CAPS));
    return (uint16_t)(sc << 8 | (uint8_t)(upper ? shifted[sc] : base));
}

bool keyboard_enqueue(BiosCtx *c, uint16_t key)
{
    uint16_t tail = bda_rd16(c, BDA_KBD_TAIL), next = (uint16_t)(tail + 2);
    if (next >= bda_rd16(c, BDA_KBD_END))
        next = bda_rd16(c, BDA_KBD_START);
    if (next == bda_rd16(c, BDA_KBD_HEAD))
        return false;
    mem_wr(c, BIOS_GS, 0x400u + tail, key, 2);
    bda_wr16(c, BDA_KBD_TAIL, next);
    return true;
}

static void modifier(BiosCtx *c, uint8_t sc, bool e0, bool up)
{
    uint8_t f0 = bda_rd8(c, BDA_KBD_FLAGS0), f1 = bda_rd8(c, BDA_KBD_FLAGS1), f3 = bda_rd8(c, BDA_KBD_FLAGS3);
    uint8_t bit = sc == 0x2A ? SHIFT_L : sc == 0x36 ? SHIFT_R : sc == 0x1D ? CTRL : ALT;
    uint8_t side = sc == 0x1D ? (e0 ? 0x04 : 0x01) : (e0 ? 0x08 : 0x02);   /* 40:96 / 40:18 bits */
    if (sc == 0x2A || sc == 0x36) {
        f0 = up ? (uint8_t)(f0 & ~bit) : (uint8_t)(f0 | bit);
    } else {
        if (e0)
            f3 = up ? (uint8_t)(f3 & ~side) : (uint8_t)(f3 | side);
        else
            f1 = up ? (uint8_t)(f1 & ~side) : (uint8_t)(f1 | side);
        uint8_t mask = sc == 0x1D ? 0x04 : 0x08;
        bool any = (f3 & (sc == 0x1D ? 0x04 : 0x08)) || (f1 & (sc == 0x1D ? 0x01 : 0x02));
        f0 = any ? (uint8_t)(f0 | mask) : (uint8_t)(f0 & ~mask);
        if (sc == 0x38 && up && !any) {
            uint8_t code = bda_rd8(c, BDA_KBD_ALT_KEYPAD);
            bda_wr8(c, BDA_KBD_ALT_KEYPAD, 0);
            if (code)
                keyboard_enqueue(c, code);
        }
    }
    bda_wr8(c, BDA_KBD_FLAGS0, f0);
    bda_wr8(c, BDA_KBD_FLAGS1, f1);
    bda_wr8(c, BDA_KBD_FLAGS3, f3);
}

/* Waits (bounded) for the 8042 output buffer and reads it; -1 if empty. */
static int kbc_read(BiosCtx *c)
{
    for (int i = 0; i < 4096; i++)
        if (port_in8(c, 0x64) & 0x01)
            return port_in8(c, 0x60);
    return -1;
}

static void kbc_write(BiosCtx *c, uint16_t port, uint8_t v)
{
    for (int i = 0; i < 4096 && (port_in8(c, 0x64) & 0x02); i++)
        ;
    port_out8(c, port, v);
}

/* The keyboard's lock LEDs follow 40:17 (command EDh; its FAh answers reach
 * the IRQ1 handler, which ignores them). */
static void send_leds(BiosCtx *c, uint8_t f0)
{
    kbc_write(c, 0x60, 0xED);
    kbc_write(c, 0x60, (uint8_t)((f0 >> 4) & 7));
}

/* Caps, Num, Scroll Lock and Insert toggle on the make code only. */
static bool toggle(BiosCtx *c, uint8_t sc, bool e0, bool up)
{
    static const uint8_t keys[3] = { 0x3A, 0x45, 0x46 };
    static const uint8_t state[3] = { CAPS, NUM, SCROLL };
    static const uint8_t down[3] = { 0x40, 0x20, 0x10 };
    for (int i = 0; i < 3; i++) {
        if (sc != keys[i] || e0)
            continue;
        uint8_t f0 = bda_rd8(c, BDA_KBD_FLAGS0), f1 = bda_rd8(c, BDA_KBD_FLAGS1);
        bool changed = false;
        if (up) {
            f1 &= (uint8_t)~down[i];
        } else if (!(f1 & down[i])) {
            f1 |= down[i];
            f0 ^= state[i];
            changed = true;
        }
        bda_wr8(c, BDA_KBD_FLAGS0, f0);
        bda_wr8(c, BDA_KBD_FLAGS1, f1);
        bda_wr8(c, BDA_KBD_FLAGS2, (uint8_t)((bda_rd8(c, BDA_KBD_FLAGS2) & ~7) | ((f0 >> 4) & 7)));
        if (changed)
            send_leds(c, f0);
        return true;
    }
    return false;
}

/* AL = scan code from port 60h.  BL answers the ROM (1 Ctrl-Break, 2 PrtSc). */
void keyboard_irq(BiosCtx *c)
{
    uint8_t code = reg_al(c->r), f3 = bda_rd8(c, BDA_KBD_FLAGS3);
    bool e0 = f3 & 0x02, up = code & 0x80;
    uint8_t sc = code & 0x7F;
    set_lo8(&c->r->ebx, 0);
    /* Pause is E1 1D 45 / E1 9D C5: bit 0 of 40:96 swallows the two bytes after E1. */
    bool in_e1 = (f3 & 0x01) && (sc == 0x1D);
    bda_wr8(c, BDA_KBD_FLAGS3, (uint8_t)((f3 & ~0x03) | (in_e1 ? 0x01 : 0)));
    if (code == 0xE0 || code == 0xE1) {
        bda_wr8(c, BDA_KBD_FLAGS3, (uint8_t)((f3 & ~0x03) | (code == 0xE0 ? 0x02 : 0x01)));
        return;
    }
    if (code == 0x00 || code == 0xFA || code == 0xFE || code == 0xFF || code == 0xAA || (f3 & 0x01))
        return;                             /* controller answers, the Pause sequence */
    if (e0 && sc == 0x2A)
        return;                             /* fake shifts around the grey keys */
    if (sc == 0x2A || sc == 0x36 || sc == 0x1D || sc == 0x38) {
        modifier(c, sc, e0, up);
        return;
    }
    if (toggle(c, sc, e0, up) || up)
        return;
    uint8_t f0 = bda_rd8(c, BDA_KBD_FLAGS0);
    if ((f0 & (CTRL | ALT)) == (CTRL | ALT) && sc == 0x53) {
        bda_wr16(c, BDA_RESET_FLAG, 0x1234);
        port_out8(c, 0x64, 0xFE);
        return;
    }
    if ((f0 & CTRL) && (sc == 0x46 || (e0 && sc == 0x46))) {
        bda_wr8(c, BDA_BREAK, 0x80);
        bda_wr16(c, BDA_KBD_HEAD, bda_rd16(c, BDA_KBD_TAIL));
        keyboard_enqueue(c, 0x0000);
        set_lo8(&c->r->ebx, 1);
        return;
    }
    if (e0 && sc == 0x37) {
        set_lo8(&c->r->ebx, 2);
        return;
    }
    if (!e0 && sc == 0x52 && !(f0 & NUM) == !(f0 & (SHIFT_L | SHIFT_R)))
        bda_wr8(c, BDA_KBD_FLAGS0, f0 ^ INSERT);
    if (e0 && sc == 0x52)
        bda_wr8(c, BDA_KBD_FLAGS0, f0 ^ INSERT);
    if ((f0 & ALT) && !e0 && sc >= 0x47 && sc <= 0x52) {
        char k = keypad[sc - 0x47];
        if (k >= '0' && k <= '9')
            bda_wr8(c, BDA_KBD_ALT_KEYPAD, (uint8_t)(bda_rd8(c, BDA_KBD_ALT_KEYPAD) * 10 + (k - '0')));
        return;
    }
    uint16_t key = keyboard_translate(sc, e0, f0);
    if (key)
        keyboard_enqueue(c, key);
}

static bool buffer_peek(BiosCtx *c, uint16_t *key)
{
    uint16_t head = bda_rd16(c, BDA_KBD_HEAD);
    if (head == bda_rd16(c, BDA_KBD_TAIL))
        return false;
    *key = (uint16_t)mem_rd(c, BIOS_GS, 0x400u + head, 2);
    return true;
}

static void buffer_drop(BiosCtx *c)
{
    uint16_t head = (uint16_t)(bda_rd16(c, BDA_KBD_HEAD) + 2);
    if (head >= bda_rd16(c, BDA_KBD_END))
        head = bda_rd16(c, BDA_KBD_START);
    bda_wr16(c, BDA_KBD_HEAD, head);
}

/* The compatible functions (00h, 01h) hide the enhanced keyboard's E0 codes. */
static uint16_t compatible(uint16_t key)
{
    if ((key & 0xFF) == 0xE0 && (key >> 8))
        return key & 0xFF00;
    if (key == 0xE00D || key == 0xE00A)
        return (uint16_t)(0x1C00 | (key & 0xFF));
    if (key == 0xE02F)
        return 0x352F;
    return key;
}

void keyboard_service(BiosCtx *c)
{
    BiosRegs *r = c->r;
    uint16_t key;
    switch (reg_ah(r)) {
    case 0x00: case 0x10:
        if (!buffer_peek(c, &key)) {
            svc_wait(c, WAIT_INTERRUPT);             /* the ROM halts until an interrupt */
            return;
        }
        buffer_drop(c);
        set_lo16(&r->eax, reg_ah(r) == 0x00 ? compatible(key) : key);
        break;
    case 0x01: case 0x11:
        if (buffer_peek(c, &key)) {
            set_lo16(&r->eax, reg_ah(r) == 0x01 ? compatible(key) : key);
            caller_flags(c, FLAG_ZF, 0);
        } else {
            caller_flags(c, FLAG_ZF, FLAG_ZF);
        }
        break;
    case 0x02:
        set_lo8(&r->eax, bda_rd8(c, BDA_KBD_FLAGS0));
        break;
    case 0x12: {
        uint8_t f1 = bda_rd8(c, BDA_KBD_FLAGS1), f3 = bda_rd8(c, BDA_KBD_FLAGS3);
        uint8_t ah = (uint8_t)((f1 & 0x73) | (f3 & 0x0C) | ((f1 & 0x04) << 5));
        set_lo16(&r->eax, (uint16_t)(ah << 8 | bda_rd8(c, BDA_KBD_FLAGS0)));
        break;
    }
    case 0x03:
        break;
    case 0x05:
        set_lo8(&r->eax, keyboard_enqueue(c, reg_cx(r)) ? 0 : 1);
        break;
    case 0x0A:
        set_lo16(&r->ebx, 0x41AB);
        break;
    default:
        break;
    }
}

void keyboard_post(BiosCtx *c)
{
    for (int i = 0; i < 64 && (port_in8(c, 0x64) & 0x01); i++)
        port_in8(c, 0x60);                  /* drain whatever is pending */
    kbc_write(c, 0x64, 0xAA);               /* controller self test: 55h */
    if (kbc_read(c) != 0x55)
        bios_log_once(c, BIOS_LOG_UNIMPLEMENTED, "bios: 8042 self test failed");
    kbc_write(c, 0x64, 0xAB);               /* keyboard interface test */
    kbc_read(c);
    kbc_write(c, 0x64, 0xA9);               /* auxiliary interface test: 00h = a mouse port */
    if (kbc_read(c) == 0x00)
        bda_wr16(c, BDA_EQUIPMENT, (uint16_t)(bda_rd16(c, BDA_EQUIPMENT) | 0x0004));
    kbc_write(c, 0x64, 0x60);
    kbc_write(c, 0x60, 0x65);               /* translate, aux off, system flag, IRQ1 */
    kbc_write(c, 0x64, 0xAE);
    kbc_write(c, 0x60, 0xFF);               /* keyboard reset: FAh, AAh */
    kbc_read(c);
    kbc_read(c);
    kbc_write(c, 0x60, 0xF4);               /* enable scanning: FAh */
    kbc_read(c);
    bda_wr16(c, BDA_KBD_HEAD, BDA_KBD_BUFFER);
    bda_wr16(c, BDA_KBD_TAIL, BDA_KBD_BUFFER);
    bda_wr16(c, BDA_KBD_START, BDA_KBD_BUFFER);
    bda_wr16(c, BDA_KBD_END, BDA_KBD_BUFFER + 32);
    bda_wr8(c, BDA_KBD_FLAGS3, 0x10);       /* 101/102-key keyboard */
}
