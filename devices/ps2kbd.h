/* SPDX-License-Identifier: MIT */
/*
 * An IBM MF2 (PS/2, 101/102-key plus the Windows keys: 104/105-key)
 * keyboard as seen from its serial port: the command set of the IBM PS/2
 * Keyboard and Auxiliary Device Controller technical reference (reset,
 * identify AB 83, scan code sets 1/2/3 with per-key set-3 attributes, LEDs,
 * typematic rate/delay, enable/disable/defaults, echo, resend), a 16-byte
 * output buffer with the overrun code, and make/break generation for every
 * key including E0-prefixed keys and the PrintScreen/SysRq and Pause/Break
 * sequences.  Typematic repeat of the last key pressed runs on the virtual
 * clock.  Keys are named by position (PcKey), not by what a layout prints on
 * them.  Not modelled: the "fake shift" E0 12 / E0 59 codes some keyboards
 * wrap around navigation keys while Shift or NumLock is active, multimedia
 * and ACPI keys, and the ~500 ms the real self test takes (BAT completes at
 * once).
 */
#ifndef FAULTLINE_PS2KBD_H
#define FAULTLINE_PS2KBD_H

#include <stdbool.h>
#include <stdint.h>

#include "bus.h"
#include "clock.h"
#include "ps2.h"
#include "state.h"

/* Keys by position on a US 104-key board; PC_KEY_NON_US_BACKSLASH is the 105th (ISO) key. */
typedef enum PcKey {
    PC_KEY_NONE = 0,
    PC_KEY_ESC, PC_KEY_F1, PC_KEY_F2, PC_KEY_F3, PC_KEY_F4, PC_KEY_F5, PC_KEY_F6,
    PC_KEY_F7, PC_KEY_F8, PC_KEY_F9, PC_KEY_F10, PC_KEY_F11, PC_KEY_F12,
    PC_KEY_PRINT_SCREEN, PC_KEY_SCROLL_LOCK, PC_KEY_PAUSE,
    PC_KEY_GRAVE, PC_KEY_1, PC_KEY_2, PC_KEY_3, PC_KEY_4, PC_KEY_5, PC_KEY_6, PC_KEY_7,
    PC_KEY_8, PC_KEY_9, PC_KEY_0, PC_KEY_MINUS, PC_KEY_EQUAL, PC_KEY_BACKSPACE,
    PC_KEY_TAB, PC_KEY_Q, PC_KEY_W, PC_KEY_E, PC_KEY_R, PC_KEY_T, PC_KEY_Y, PC_KEY_U,
    PC_KEY_I, PC_KEY_O, PC_KEY_P, PC_KEY_LEFT_BRACKET, PC_KEY_RIGHT_BRACKET, PC_KEY_BACKSLASH,
    PC_KEY_CAPS_LOCK, PC_KEY_A, PC_KEY_S, PC_KEY_D, PC_KEY_F, PC_KEY_G, PC_KEY_H, PC_KEY_J,
    PC_KEY_K, PC_KEY_L, PC_KEY_SEMICOLON, PC_KEY_APOSTROPHE, PC_KEY_ENTER,
    PC_KEY_LEFT_SHIFT, PC_KEY_NON_US_BACKSLASH, PC_KEY_Z, PC_KEY_X, PC_KEY_C, PC_KEY_V,
    PC_KEY_B, PC_KEY_N, PC_KEY_M, PC_KEY_COMMA, PC_KEY_PERIOD, PC_KEY_SLASH, PC_KEY_RIGHT_SHIFT,
    PC_KEY_LEFT_CTRL, PC_KEY_LEFT_WIN, PC_KEY_LEFT_ALT, PC_KEY_SPACE, PC_KEY_RIGHT_ALT,
    PC_KEY_RIGHT_WIN, PC_KEY_MENU, PC_KEY_RIGHT_CTRL,
    PC_KEY_INSERT, PC_KEY_HOME, PC_KEY_PAGE_UP, PC_KEY_DELETE, PC_KEY_END, PC_KEY_PAGE_DOWN,
    PC_KEY_UP, PC_KEY_LEFT, PC_KEY_DOWN, PC_KEY_RIGHT,
    PC_KEY_NUM_LOCK, PC_KEY_KP_DIVIDE, PC_KEY_KP_MULTIPLY, PC_KEY_KP_MINUS,
    PC_KEY_KP_7, PC_KEY_KP_8, PC_KEY_KP_9, PC_KEY_KP_PLUS,
    PC_KEY_KP_4, PC_KEY_KP_5, PC_KEY_KP_6,
    PC_KEY_KP_1, PC_KEY_KP_2, PC_KEY_KP_3, PC_KEY_KP_ENTER,
    PC_KEY_KP_0, PC_KEY_KP_DECIMAL,
    PC_KEY_COUNT
} PcKey;

/* LED bits of the Set LEDs (ED) argument. */
enum { PS2KBD_LED_SCROLL = 1, PS2KBD_LED_NUM = 2, PS2KBD_LED_CAPS = 4 };

typedef struct Ps2KbdHostOps {
    void (*set_leds)(void *opaque, uint8_t leds);   /* PS2KBD_LED_* mask; may be NULL */
    void *opaque;
} Ps2KbdHostOps;

enum { PS2KBD_SET3_CODES = 0x90 };      /* set-3 codes run up to 0x8D (Menu) */

typedef struct Ps2Kbd {
    Ps2Queue reply;             /* command responses: sent before buffered keys */
    Ps2Queue keys;              /* the 16-byte key buffer */
    uint8_t scan_set;           /* 1, 2 or 3 */
    uint8_t leds;
    uint8_t typematic;          /* F3 argument: bits 6-5 delay, 4-0 rate */
    bool scanning;              /* keys are reported (F4), or not (F5) */
    bool overrun;               /* the buffer overflowed: the overrun code is queued */
    uint8_t pending_cmd;        /* a command still waiting for its argument, or 0 */
    uint8_t last_sent;          /* what Resend (FE) repeats */
    uint8_t repeat_key;         /* the PcKey that typematic repeats, PC_KEY_NONE if none */
    uint8_t held[(PC_KEY_COUNT + 7) / 8];       /* keys down, by PcKey bit */
    uint8_t set3_attr[PS2KBD_SET3_CODES];       /* PS2KBD_ATTR_* per set-3 code */
    ClockEvent repeat;          /* the next typematic make code */

    Clock *clock;
    Ps2KbdHostOps host;
    Ps2Notify notify;
    BusLogFn log;
    void *log_opaque;
    uint32_t logged;
} Ps2Kbd;

/* Set-3 key attributes (commands F7-FD). */
enum { PS2KBD_ATTR_BREAK = 1, PS2KBD_ATTR_TYPEMATIC = 2 };

/* Power-on state; BAT has passed and AA is waiting to be sent. */
void ps2kbd_init(Ps2Kbd *kbd, Clock *clock, Ps2KbdHostOps host, Ps2Notify notify);
/* Power-cycles the keyboard: defaults, empty buffers, BAT code AA queued. */
void ps2kbd_reset(Ps2Kbd *kbd);

/* The host presses or releases a key. */
void ps2kbd_key(Ps2Kbd *kbd, PcKey key, bool pressed);

/* The controller side of the link (see ps2.h). */
void ps2kbd_write(Ps2Kbd *kbd, uint8_t byte);
bool ps2kbd_read(Ps2Kbd *kbd, uint8_t *byte);
Ps2Device ps2kbd_device(Ps2Kbd *kbd);

/* Nanoseconds of the programmed typematic delay and repeat period. */
uint64_t ps2kbd_typematic_delay_ns(uint8_t typematic);
uint64_t ps2kbd_typematic_period_ns(uint8_t typematic);

extern const StateDesc ps2kbd_state;

#endif
