/* SPDX-License-Identifier: MIT */
/*
 * Scripted input for headless runs (-send): a list of steps separated by ';'
 *   wait 500ms | wait 2s        let virtual time pass
 *   until TEXT                   wait until TEXT shows on the screen or a console
 *   type TEXT                    type characters (US layout; \n is Enter, \t Tab)
 *   key NAME[+NAME...]           press a combination: key enter, key ctrl+alt+del, key f1
 * Key presses and releases are spaced 40 ms apart in virtual time.
 */
#ifndef FAULTLINE_KEYSCRIPT_H
#define FAULTLINE_KEYSCRIPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum { KEYSCRIPT_MAX_EVENTS = 4096, KEYSCRIPT_TEXT = 128 };

typedef enum KeyEventKind { KEY_EVENT_KEY, KEY_EVENT_WAIT, KEY_EVENT_UNTIL } KeyEventKind;

typedef struct KeyEvent {
    KeyEventKind kind;
    uint16_t usage;         /* HID usage for KEY_EVENT_KEY */
    bool pressed;
    uint64_t wait_ns;       /* KEY_EVENT_WAIT */
    char text[KEYSCRIPT_TEXT];     /* KEY_EVENT_UNTIL */
} KeyEvent;

typedef struct KeyScript {
    KeyEvent *events;
    size_t count, next;
    uint64_t not_before_ns;     /* the next event waits until this virtual time */
} KeyScript;

/* Parses a script; false with a one-line reason in err. */
bool keyscript_parse(KeyScript *ks, const char *script, char *err, size_t err_len);
void keyscript_free(KeyScript *ks);

#endif
