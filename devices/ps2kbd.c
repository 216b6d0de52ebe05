/* SPDX-License-Identifier: MIT */
/*
 * The PS/2 keyboard: its command interpreter, its key buffer and the scan
 * codes of every key.  Set 2 is the keyboard's native set; set 1 is produced
 * by running the set-2 sequence through the same table the 8042 uses (that
 * is how set 1 and translated set 2 come out identical), set 3 has one code
 * per key with per-key break/typematic attributes.
 */
#include "ps2kbd.h"

#include <string.h>

enum {
    KBD_CMD_SET_LEDS = 0xED, KBD_CMD_ECHO = 0xEE, KBD_CMD_SCAN_SET = 0xF0,
    KBD_CMD_IDENTIFY = 0xF2, KBD_CMD_TYPEMATIC = 0xF3, KBD_CMD_ENABLE = 0xF4,
    KBD_CMD_DEFAULT_DISABLE = 0xF5, KBD_CMD_SET_DEFAULT = 0xF6,
    KBD_CMD_ALL_TYPEMATIC = 0xF7, KBD_CMD_ALL_MAKE_BREAK = 0xF8, KBD_CMD_ALL_MAKE = 0xF9,
    KBD_CMD_ALL_TYPEMATIC_MAKE_BREAK = 0xFA, KBD_CMD_KEY_TYPEMATIC = 0xFB,
    KBD_CMD_KEY_MAKE_BREAK = 0xFC, KBD_CMD_KEY_MAKE = 0xFD,
    KBD_CMD_RESEND = 0xFE, KBD_CMD_RESET = 0xFF,
    KBD_ID_1 = 0xAB, KBD_ID_2 = 0x83,
    KBD_DEFAULT_TYPEMATIC = 0x2B,       /* 500 ms delay, 10.9 characters per second */
    KBD_SEQ_MAX = 8,                    /* the Pause make sequence */
};

enum { LOG_BAD_COMMAND = 1, LOG_BAD_ARGUMENT = 2 };

/* Set-2 code (E0-prefixed when ext), set-3 code. */
typedef struct KeyCodes {
    uint8_t set2;
    bool ext;
    uint8_t set3;
} KeyCodes;

static const KeyCodes key_codes[PC_KEY_COUNT] = {
    [PC_KEY_ESC] = { 0x76, 0, 0x08 }, [PC_KEY_F1] = { 0x05, 0, 0x07 },
    [PC_KEY_F2] = { 0x06, 0, 0x0F }, [PC_KEY_F3] = { 0x04, 0, 0x17 },
    [PC_KEY_F4] = { 0x0C, 0, 0x1F }, [PC_KEY_F5] = { 0x03, 0, 0x27 },
    [PC_KEY_F6] = { 0x0B, 0, 0x2F }, [PC_KEY_F7] = { 0x83, 0, 0x37 },
    [PC_KEY_F8] = { 0x0A, 0, 0x3F }, [PC_KEY_F9] = { 0x01, 0, 0x47 },
    [PC_KEY_F10] = { 0x09, 0, 0x4F }, [PC_KEY_F11] = { 0x78, 0, 0x56 },
    [PC_KEY_F12] = { 0x07, 0, 0x5E },
    [PC_KEY_PRINT_SCREEN] = { 0x7C, 1, 0x57 }, [PC_KEY_SCROLL_LOCK] = { 0x7E, 0, 0x5F },
    [PC_KEY_PAUSE] = { 0x77, 0, 0x62 },
    [PC_KEY_GRAVE] = { 0x0E, 0, 0x0E }, [PC_KEY_1] = { 0x16, 0, 0x16 },
    [PC_KEY_2] = { 0x1E, 0, 0x1E }, [PC_KEY_3] = { 0x26, 0, 0x26 },
    [PC_KEY_4] = { 0x25, 0, 0x25 }, [PC_KEY_5] = { 0x2E, 0, 0x2E },
    [PC_KEY_6] = { 0x36, 0, 0x36 }, [PC_KEY_7] = { 0x3D, 0, 0x3D },
    [PC_KEY_8] = { 0x3E, 0, 0x3E }, [PC_KEY_9] = { 0x46, 0, 0x46 },
    [PC_KEY_0] = { 0x45, 0, 0x45 }, [PC_KEY_MINUS] = { 0x4E, 0, 0x4E },
    [PC_KEY_EQUAL] = { 0x55, 0, 0x55 }, [PC_KEY_BACKSPACE] = { 0x66, 0, 0x66 },
    [PC_KEY_TAB] = { 0x0D, 0, 0x0D }, [PC_KEY_Q] = { 0x15, 0, 0x15 },
    [PC_KEY_W] = { 0x1D, 0, 0x1D }, [PC_KEY_E] = { 0x24, 0, 0x24 },
    [PC_KEY_R] = { 0x2D, 0, 0x2D }, [PC_KEY_T] = { 0x2C, 0, 0x2C },
    [PC_KEY_Y] = { 0x35, 0, 0x35 }, [PC_KEY_U] = { 0x3C, 0, 0x3C },
    [PC_KEY_I] = { 0x43, 0, 0x43 }, [PC_KEY_O] = { 0x44, 0, 0x44 },
    [PC_KEY_P] = { 0x4D, 0, 0x4D }, [PC_KEY_LEFT_BRACKET] = { 0x54, 0, 0x54 },
    [PC_KEY_RIGHT_BRACKET] = { 0x5B, 0, 0x5B }, [PC_KEY_BACKSLASH] = { 0x5D, 0, 0x5C },
    [PC_KEY_CAPS_LOCK] = { 0x58, 0, 0x14 }, [PC_KEY_A] = { 0x1C, 0, 0x1C },
    [PC_KEY_S] = { 0x1B, 0, 0x1B }, [PC_KEY_D] = { 0x23, 0, 0x23 },
    [PC_KEY_F] = { 0x2B, 0, 0x2B }, [PC_KEY_G] = { 0x34, 0, 0x34 },
    [PC_KEY_H] = { 0x33, 0, 0x33 }, [PC_KEY_J] = { 0x3B, 0, 0x3B },
    [PC_KEY_K] = { 0x42, 0, 0x42 }, [PC_KEY_L] = { 0x4B, 0, 0x4B },
    [PC_KEY_SEMICOLON] = { 0x4C, 0, 0x4C }, [PC_KEY_APOSTROPHE] = { 0x52, 0, 0x52 },
    [PC_KEY_ENTER] = { 0x5A, 0, 0x5A },
    [PC_KEY_LEFT_SHIFT] = { 0x12, 0, 0x12 }, [PC_KEY_NON_US_BACKSLASH] = { 0x61, 0, 0x13 },
    [PC_KEY_Z] = { 0x1A, 0, 0x1A }, [PC_KEY_X] = { 0x22, 0, 0x22 },
    [PC_KEY_C] = { 0x21, 0, 0x21 }, [PC_KEY_V] = { 0x2A, 0, 0x2A },
    [PC_KEY_B] = { 0x32, 0, 0x32 }, [PC_KEY_N] = { 0x31, 0, 0x31 },
    [PC_KEY_M] = { 0x3A, 0, 0x3A }, [PC_KEY_COMMA] = { 0x41, 0, 0x41 },
    [PC_KEY_PERIOD] = { 0x49, 0, 0x49 }, [PC_KEY_SLASH] = { 0x4A, 0, 0x4A },
    [PC_KEY_RIGHT_SHIFT] = { 0x59, 0, 0x59 },
    [PC_KEY_LEFT_CTRL] = { 0x14, 0, 0x11 }, [PC_KEY_LEFT_WIN] = { 0x1F, 1, 0x8B },
    [PC_KEY_LEFT_ALT] = { 0x11, 0, 0x19 }, [PC_KEY_SPACE] = { 0x29, 0, 0x29 },
    [PC_KEY_RIGHT_ALT] = { 0x11, 1, 0x39 }, [PC_KEY_RIGHT_WIN] = { 0x27, 1, 0x8C },
    [PC_KEY_MENU] = { 0x2F, 1, 0x8D }, [PC_KEY_RIGHT_CTRL] = { 0x14, 1, 0x58 },
    [PC_KEY_INSERT] = { 0x70, 1, 0x67 }, [PC_KEY_HOME] = { 0x6C, 1, 0x6E },
    [PC_KEY_PAGE_UP] = { 0x7D, 1, 0x6F }, [PC_KEY_DELETE] = { 0x71, 1, 0x64 },
    [PC_KEY_END] = { 0x69, 1, 0x65 }, [PC_KEY_PAGE_DOWN] = { 0x7A, 1, 0x6D },
    [PC_KEY_UP] = { 0x75, 1, 0x63 }, [PC_KEY_LEFT] = { 0x6B, 1, 0x61 },
    [PC_KEY_DOWN] = { 0x72, 1, 0x60 }, [PC_KEY_RIGHT] = { 0x74, 1, 0x6A },
    [PC_KEY_NUM_LOCK] = { 0x77, 0, 0x76 }, [PC_KEY_KP_DIVIDE] = { 0x4A, 1, 0x77 },
    [PC_KEY_KP_MULTIPLY] = { 0x7C, 0, 0x7E }, [PC_KEY_KP_MINUS] = { 0x7B, 0, 0x84 },
    [PC_KEY_KP_7] = { 0x6C, 0, 0x6C }, [PC_KEY_KP_8] = { 0x75, 0, 0x75 },
    [PC_KEY_KP_9] = { 0x7D, 0, 0x7D }, [PC_KEY_KP_PLUS] = { 0x79, 0, 0x7C },
    [PC_KEY_KP_4] = { 0x6B, 0, 0x6B }, [PC_KEY_KP_5] = { 0x73, 0, 0x73 },
    [PC_KEY_KP_6] = { 0x74, 0, 0x74 }, [PC_KEY_KP_1] = { 0x69, 0, 0x69 },
    [PC_KEY_KP_2] = { 0x72, 0, 0x72 }, [PC_KEY_KP_3] = { 0x7A, 0, 0x7A },
    [PC_KEY_KP_ENTER] = { 0x5A, 1, 0x79 }, [PC_KEY_KP_0] = { 0x70, 0, 0x70 },
    [PC_KEY_KP_DECIMAL] = { 0x71, 0, 0x71 },
};

static void kbd_log_once(Ps2Kbd *kbd, uint32_t kind, const char *msg)
{
    if (kbd->logged & kind)
        return;
    kbd->logged |= kind;
    if (kbd->log)
        kbd->log(kbd->log_opaque, msg);
}

static bool key_held(const Ps2Kbd *kbd, PcKey key)
{
    return kbd->held[key / 8] & (1u << (key % 8));
}

static void set_held(Ps2Kbd *kbd, PcKey key, bool down)
{
    if (down)
        kbd->held[key / 8] |= (uint8_t)(1u << (key % 8));
    else
        kbd->held[key / 8] &= (uint8_t)~(1u << (key % 8));
}

/*
 * Set-3 power-on attributes: most keys are typematic and make-only; the
 * shift-like keys (and the Windows keys, added later) send break codes and
 * do not repeat.
 */
static void set3_defaults(Ps2Kbd *kbd)
{
    static const PcKey make_break[] = {
        PC_KEY_CAPS_LOCK, PC_KEY_LEFT_SHIFT, PC_KEY_RIGHT_SHIFT, PC_KEY_LEFT_CTRL,
        PC_KEY_LEFT_ALT, PC_KEY_LEFT_WIN, PC_KEY_RIGHT_WIN, PC_KEY_MENU,
    };
    memset(kbd->set3_attr, PS2KBD_ATTR_TYPEMATIC, sizeof(kbd->set3_attr));
    for (size_t i = 0; i < sizeof(make_break) / sizeof(make_break[0]); i++)
        kbd->set3_attr[key_codes[make_break[i]].set3] = PS2KBD_ATTR_BREAK;
}

/* What Set Default (F6) restores; the scan code set and LEDs are kept. */
static void kbd_defaults(Ps2Kbd *kbd)
{
    kbd->typematic = KBD_DEFAULT_TYPEMATIC;
    set3_defaults(kbd);
    kbd->repeat_key = PC_KEY_NONE;
    clock_event_cancel(kbd->clock, &kbd->repeat);
}

static void reply(Ps2Kbd *kbd, uint8_t byte)
{
    ps2_queue_push(&kbd->reply, byte);
}

/* Period (1/240 s units) = (8 + A) * 2^B, A = bits 2-0, B = bits 4-3. */
uint64_t ps2kbd_typematic_period_ns(uint8_t typematic)
{
    uint64_t units = (uint64_t)(8 + (typematic & 7)) << ((typematic >> 3) & 3);
    return units * NS_PER_SECOND / 240;
}

/* Delay = (1 + bits 6-5) * 250 ms. */
uint64_t ps2kbd_typematic_delay_ns(uint8_t typematic)
{
    return (uint64_t)(1 + ((typematic >> 5) & 3)) * 250000000ull;
}

static bool mod_held(const Ps2Kbd *kbd, PcKey left, PcKey right)
{
    return key_held(kbd, left) || key_held(kbd, right);
}

/* The set-2 bytes for one key event; returns the length (0: the event sends nothing). */
static unsigned set2_sequence(const Ps2Kbd *kbd, PcKey key, bool pressed, uint8_t *seq)
{
    bool ctrl = mod_held(kbd, PC_KEY_LEFT_CTRL, PC_KEY_RIGHT_CTRL);
    bool shift = mod_held(kbd, PC_KEY_LEFT_SHIFT, PC_KEY_RIGHT_SHIFT);
    bool alt = mod_held(kbd, PC_KEY_LEFT_ALT, PC_KEY_RIGHT_ALT);
    unsigned n = 0;

    if (key == PC_KEY_PAUSE) {
        if (!pressed)
            return 0;       /* Pause has no break code: its make already contains one */
        static const uint8_t pause[] = { 0xE1, 0x14, 0x77, 0xE1, 0xF0, 0x14, 0xF0, 0x77 };
        static const uint8_t brk[] = { 0xE0, 0x7E, 0xE0, 0xF0, 0x7E };   /* Ctrl+Pause = Break */
        const uint8_t *src = ctrl ? brk : pause;
        n = ctrl ? sizeof(brk) : sizeof(pause);
        memcpy(seq, src, n);
        return n;
    }
    if (key == PC_KEY_PRINT_SCREEN && alt) {        /* Alt+PrintScreen = SysRq */
        if (!pressed)
            seq[n++] = PS2_BREAK_PREFIX;
        seq[n++] = 0x84;
        return n;
    }
    /* Unshifted PrintScreen is sent as if wrapped in a Shift press (E0 12). */
    bool fake_shift = key == PC_KEY_PRINT_SCREEN && !ctrl && !shift;
    if (fake_shift && pressed) {
        seq[n++] = PS2_EXT_PREFIX;
        seq[n++] = 0x12;
    }
    if (key_codes[key].ext)
        seq[n++] = PS2_EXT_PREFIX;
    if (!pressed)
        seq[n++] = PS2_BREAK_PREFIX;
    seq[n++] = key_codes[key].set2;
    if (fake_shift && !pressed) {
        seq[n++] = PS2_EXT_PREFIX;
        seq[n++] = PS2_BREAK_PREFIX;
        seq[n++] = 0x12;
    }
    return n;
}

/* Set 1 is set 2 through the 8042 table, F0 becoming bit 7 of the next byte. */
static unsigned to_set1(const uint8_t *in, unsigned len, uint8_t *out)
{
    unsigned n = 0;
    bool brk = false;
    for (unsigned i = 0; i < len; i++) {
        if (in[i] == PS2_BREAK_PREFIX) {
            brk = true;
            continue;
        }
        out[n++] = (uint8_t)(ps2_translate_set2(in[i]) | (brk ? 0x80 : 0));
        brk = false;
    }
    return n;
}

static unsigned key_sequence(const Ps2Kbd *kbd, PcKey key, bool pressed, uint8_t *seq)
{
    if (kbd->scan_set == 3) {
        uint8_t code = key_codes[key].set3;
        if (pressed) {
            seq[0] = code;
            return 1;
        }
        if (!(kbd->set3_attr[code] & PS2KBD_ATTR_BREAK))
            return 0;
        seq[0] = PS2_BREAK_PREFIX;
        seq[1] = code;
        return 2;
    }
    uint8_t set2[KBD_SEQ_MAX];
    unsigned n = set2_sequence(kbd, key, pressed, set2);
    if (kbd->scan_set == 1)
        return to_set1(set2, n, seq);
    memcpy(seq, set2, n);
    return n;
}

/*
 * Queues a whole sequence or nothing.  The last slot of the buffer is kept
 * for the overrun code (00 in sets 2 and 3, FF in set 1), which takes the
 * place of the first sequence that does not fit.
 */
static bool queue_sequence(Ps2Kbd *kbd, const uint8_t *seq, unsigned n)
{
    if (kbd->overrun)
        return false;
    if (ps2_queue_free(&kbd->keys) < n + 1) {
        ps2_queue_push(&kbd->keys, kbd->scan_set == 1 ? 0xFF : 0x00);
        kbd->overrun = true;
        return false;
    }
    for (unsigned i = 0; i < n; i++)
        ps2_queue_push(&kbd->keys, seq[i]);
    return true;
}

static bool key_repeats(const Ps2Kbd *kbd, PcKey key)
{
    if (key == PC_KEY_PAUSE)
        return false;
    if (kbd->scan_set == 3)
        return kbd->set3_attr[key_codes[key].set3] & PS2KBD_ATTR_TYPEMATIC;
    return true;
}

void ps2kbd_key(Ps2Kbd *kbd, PcKey key, bool pressed)
{
    if (key <= PC_KEY_NONE || key >= PC_KEY_COUNT)
        return;
    if (key_held(kbd, key) == pressed)
        return;     /* the host's own auto-repeat: typematic is ours to do */
    uint8_t seq[KBD_SEQ_MAX];
    unsigned n = key_sequence(kbd, key, pressed, seq);
    set_held(kbd, key, pressed);
    if (pressed) {
        /* The last key pressed is the one that repeats. */
        kbd->repeat_key = key_repeats(kbd, key) ? (uint8_t)key : PC_KEY_NONE;
        if (kbd->repeat_key != PC_KEY_NONE)
            clock_event_arm(kbd->clock, &kbd->repeat,
                            kbd->clock->now_ns + ps2kbd_typematic_delay_ns(kbd->typematic));
        else
            clock_event_cancel(kbd->clock, &kbd->repeat);
    } else if (kbd->repeat_key == key) {
        kbd->repeat_key = PC_KEY_NONE;
        clock_event_cancel(kbd->clock, &kbd->repeat);
    }
    if (!kbd->scanning || !n)
        return;
    queue_sequence(kbd, seq, n);
    ps2_notify(kbd->notify);
}

static void repeat_fire(void *opaque, uint64_t now_ns)
{
    Ps2Kbd *kbd = opaque;
    if (kbd->repeat_key == PC_KEY_NONE)
        return;
    clock_event_arm(kbd->clock, &kbd->repeat, now_ns + ps2kbd_typematic_period_ns(kbd->typematic));
    uint8_t seq[KBD_SEQ_MAX];
    unsigned n = key_sequence(kbd, (PcKey)kbd->repeat_key, true, seq);
    /* A repeat that does not fit is dropped rather than reported as an overrun. */
    if (!kbd->scanning || !n || ps2_queue_free(&kbd->keys) < n + 1)
        return;
    queue_sequence(kbd, seq, n);
    ps2_notify(kbd->notify);
}

static void set_leds(Ps2Kbd *kbd, uint8_t leds)
{
    kbd->leds = leds & 7;
    if (kbd->host.set_leds)
        kbd->host.set_leds(kbd->host.opaque, kbd->leds);
}

static void set3_all(Ps2Kbd *kbd, uint8_t attr)
{
    memset(kbd->set3_attr, attr, sizeof(kbd->set3_attr));
}

/* The byte after a command that takes an argument (ED, F0, F3, FB-FD). */
static void kbd_argument(Ps2Kbd *kbd, uint8_t arg)
{
    uint8_t cmd = kbd->pending_cmd;
    if (cmd == KBD_CMD_KEY_TYPEMATIC || cmd == KBD_CMD_KEY_MAKE_BREAK || cmd == KBD_CMD_KEY_MAKE) {
        /* A list of set-3 codes, ended by the next command. */
        static const uint8_t attr[] = { PS2KBD_ATTR_TYPEMATIC, PS2KBD_ATTR_BREAK, 0 };
        if (arg < PS2KBD_SET3_CODES)
            kbd->set3_attr[arg] = attr[cmd - KBD_CMD_KEY_TYPEMATIC];
        reply(kbd, PS2_ACK);
        return;
    }
    kbd->pending_cmd = 0;
    switch (cmd) {
    case KBD_CMD_SET_LEDS:
        reply(kbd, PS2_ACK);
        set_leds(kbd, arg);
        break;
    case KBD_CMD_TYPEMATIC:
        kbd->typematic = arg & 0x7F;
        reply(kbd, PS2_ACK);
        break;
    case KBD_CMD_SCAN_SET:
        if (arg > 3) {
            kbd_log_once(kbd, LOG_BAD_ARGUMENT, "ps2kbd: bad scan code set requested");
            reply(kbd, PS2_RESEND);
            break;
        }
        reply(kbd, PS2_ACK);
        if (arg == 0) {
            reply(kbd, kbd->scan_set);
        } else {
            kbd->scan_set = arg;
            ps2_queue_clear(&kbd->keys);
        }
        break;
    }
}

static void kbd_reset_command(Ps2Kbd *kbd)
{
    ps2_queue_clear(&kbd->keys);
    kbd->overrun = false;
    kbd_defaults(kbd);
    kbd->scan_set = 2;
    kbd->scanning = true;
    reply(kbd, PS2_ACK);
    set_leds(kbd, 0);
    reply(kbd, PS2_BAT_OK);
}

static void kbd_command(Ps2Kbd *kbd, uint8_t cmd)
{
    kbd->pending_cmd = 0;
    switch (cmd) {
    case KBD_CMD_SET_LEDS: case KBD_CMD_SCAN_SET: case KBD_CMD_TYPEMATIC:
    case KBD_CMD_KEY_TYPEMATIC: case KBD_CMD_KEY_MAKE_BREAK: case KBD_CMD_KEY_MAKE:
        kbd->pending_cmd = cmd;
        reply(kbd, PS2_ACK);
        break;
    case KBD_CMD_ECHO:
        reply(kbd, PS2_ECHO);
        break;
    case KBD_CMD_IDENTIFY:
        reply(kbd, PS2_ACK);
        reply(kbd, KBD_ID_1);
        reply(kbd, KBD_ID_2);
        break;
    case KBD_CMD_ENABLE:
        ps2_queue_clear(&kbd->keys);
        kbd->overrun = false;
        kbd->scanning = true;
        reply(kbd, PS2_ACK);
        break;
    case KBD_CMD_DEFAULT_DISABLE:
    case KBD_CMD_SET_DEFAULT:
        ps2_queue_clear(&kbd->keys);
        kbd->overrun = false;
        kbd_defaults(kbd);
        kbd->scanning = cmd == KBD_CMD_SET_DEFAULT;
        reply(kbd, PS2_ACK);
        break;
    case KBD_CMD_ALL_TYPEMATIC: case KBD_CMD_ALL_MAKE_BREAK:
    case KBD_CMD_ALL_MAKE: case KBD_CMD_ALL_TYPEMATIC_MAKE_BREAK: {
        static const uint8_t attr[] = { PS2KBD_ATTR_TYPEMATIC, PS2KBD_ATTR_BREAK, 0,
                                        PS2KBD_ATTR_TYPEMATIC | PS2KBD_ATTR_BREAK };
        set3_all(kbd, attr[cmd - KBD_CMD_ALL_TYPEMATIC]);
        reply(kbd, PS2_ACK);
        break;
    }
    case KBD_CMD_RESEND:
        reply(kbd, kbd->last_sent);
        break;
    case KBD_CMD_RESET:
        kbd_reset_command(kbd);
        break;
    default:
        kbd_log_once(kbd, LOG_BAD_COMMAND, "ps2kbd: unknown command answered with FE");
        reply(kbd, PS2_RESEND);
        break;
    }
}

void ps2kbd_write(Ps2Kbd *kbd, uint8_t byte)
{
    /* Bytes ED and up are commands even where an argument was expected. */
    if (kbd->pending_cmd && byte < KBD_CMD_SET_LEDS)
        kbd_argument(kbd, byte);
    else
        kbd_command(kbd, byte);
    ps2_notify(kbd->notify);
}

bool ps2kbd_read(Ps2Kbd *kbd, uint8_t *byte)
{
    if (!ps2_queue_pop(&kbd->reply, byte) && !ps2_queue_pop(&kbd->keys, byte))
        return false;
    if (!kbd->keys.count)
        kbd->overrun = false;
    kbd->last_sent = *byte;
    return true;
}

static void device_write(void *dev, uint8_t byte)
{
    ps2kbd_write(dev, byte);
}

static bool device_read(void *dev, uint8_t *byte)
{
    return ps2kbd_read(dev, byte);
}

Ps2Device ps2kbd_device(Ps2Kbd *kbd)
{
    return (Ps2Device){ .write = device_write, .read = device_read, .dev = kbd };
}

void ps2kbd_reset(Ps2Kbd *kbd)
{
    ps2_queue_clear(&kbd->reply);
    ps2_queue_clear(&kbd->keys);
    kbd->overrun = false;
    kbd->scan_set = 2;
    kbd->leds = 0;
    kbd->scanning = true;
    kbd->pending_cmd = 0;
    kbd->last_sent = 0;
    memset(kbd->held, 0, sizeof(kbd->held));
    kbd_defaults(kbd);
}

void ps2kbd_init(Ps2Kbd *kbd, Clock *clock, Ps2KbdHostOps host, Ps2Notify notify)
{
    memset(kbd, 0, sizeof(*kbd));
    kbd->clock = clock;
    kbd->host = host;
    kbd->notify = notify;
    clock_event_register(clock, &kbd->repeat, "ps2kbd-typematic", repeat_fire, kbd);
    ps2kbd_reset(kbd);
}

static const StateField ps2kbd_fields[] = {
    STATE_U8_ARRAY(Ps2Kbd, reply.data, PS2_QUEUE_SIZE),
    STATE_U8(Ps2Kbd, reply.head), STATE_U8(Ps2Kbd, reply.count),
    STATE_U8_ARRAY(Ps2Kbd, keys.data, PS2_QUEUE_SIZE),
    STATE_U8(Ps2Kbd, keys.head), STATE_U8(Ps2Kbd, keys.count),
    STATE_U8(Ps2Kbd, scan_set), STATE_U8(Ps2Kbd, leds), STATE_U8(Ps2Kbd, typematic),
    STATE_BOOL(Ps2Kbd, scanning), STATE_BOOL(Ps2Kbd, overrun),
    STATE_U8(Ps2Kbd, pending_cmd), STATE_U8(Ps2Kbd, last_sent), STATE_U8(Ps2Kbd, repeat_key),
    STATE_U8_ARRAY(Ps2Kbd, held, (PC_KEY_COUNT + 7) / 8),
    STATE_U8_ARRAY(Ps2Kbd, set3_attr, PS2KBD_SET3_CODES),
    STATE_U64(Ps2Kbd, repeat.deadline),
};
const StateDesc ps2kbd_state = STATE_DESC("ps2kbd", 1, ps2kbd_fields);
