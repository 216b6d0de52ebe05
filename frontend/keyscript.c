/* SPDX-License-Identifier: MIT */
/*
 * Parsing of -send scripts into key events (HID usages, as SDL scancodes).
 * The US layout decides which key and shift state types a character.
 */
#define _POSIX_C_SOURCE 200809L
#include "keyscript.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { USAGE_ENTER = 40, USAGE_TAB = 43, USAGE_SPACE = 44, USAGE_LSHIFT = 225, GAP_NS = 40000000 };

typedef struct NamedKey {
    const char *name;
    uint16_t usage;
} NamedKey;

static const NamedKey named_keys[] = {
    { "enter", 40 }, { "esc", 41 }, { "escape", 41 }, { "backspace", 42 }, { "tab", 43 },
    { "space", 44 }, { "minus", 45 }, { "equal", 46 }, { "capslock", 57 },
    { "f1", 58 }, { "f2", 59 }, { "f3", 60 }, { "f4", 61 }, { "f5", 62 }, { "f6", 63 },
    { "f7", 64 }, { "f8", 65 }, { "f9", 66 }, { "f10", 67 }, { "f11", 68 }, { "f12", 69 },
    { "printscreen", 70 }, { "scrolllock", 71 }, { "pause", 72 }, { "insert", 73 },
    { "home", 74 }, { "pageup", 75 }, { "delete", 76 }, { "del", 76 }, { "end", 77 },
    { "pagedown", 78 }, { "right", 79 }, { "left", 80 }, { "down", 81 }, { "up", 82 },
    { "numlock", 83 }, { "ctrl", 224 }, { "shift", 225 }, { "alt", 226 }, { "win", 227 },
    { "rctrl", 228 }, { "rshift", 229 }, { "ralt", 230 },
};

/* The US-layout key for a character, and whether Shift is needed. */
static bool char_usage(char c, uint16_t *usage, bool *shift)
{
    static const char plain[] = "1234567890-=[]\\;'`,./";
    static const char shifted[] = "!@#$%^&*()_+{}|:\"~<>?";
    static const uint16_t usages[] = { 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 45, 46, 47, 48, 49,
                                       51, 52, 53, 54, 55, 56 };
    *shift = false;
    if (c >= 'a' && c <= 'z') {
        *usage = (uint16_t)(4 + c - 'a');
        return true;
    }
    if (c >= 'A' && c <= 'Z') {
        *usage = (uint16_t)(4 + c - 'A');
        *shift = true;
        return true;
    }
    if (c == ' ' || c == '\n' || c == '\t') {
        *usage = c == ' ' ? USAGE_SPACE : c == '\n' ? USAGE_ENTER : USAGE_TAB;
        return true;
    }
    const char *p = c ? strchr(plain, c) : NULL;
    if (p) {
        *usage = usages[p - plain];
        return true;
    }
    p = c ? strchr(shifted, c) : NULL;
    if (p) {
        *usage = usages[p - shifted];
        *shift = true;
        return true;
    }
    return false;
}

static bool push(KeyScript *ks, KeyEvent e)
{
    if (ks->count == KEYSCRIPT_MAX_EVENTS)
        return false;
    ks->events[ks->count++] = e;
    return true;
}

static bool push_key(KeyScript *ks, uint16_t usage, bool pressed)
{
    return push(ks, (KeyEvent){ .kind = KEY_EVENT_KEY, .usage = usage, .pressed = pressed }) &&
           push(ks, (KeyEvent){ .kind = KEY_EVENT_WAIT, .wait_ns = GAP_NS });
}

static bool lookup_key(const char *name, uint16_t *usage)
{
    for (size_t i = 0; i < sizeof(named_keys) / sizeof(named_keys[0]); i++)
        if (!strcmp(named_keys[i].name, name)) {
            *usage = named_keys[i].usage;
            return true;
        }
    bool shift;
    return strlen(name) == 1 && char_usage(name[0], usage, &shift);
}

static bool parse_type(KeyScript *ks, const char *text, char *err, size_t len)
{
    for (const char *p = text; *p; p++) {
        char c = *p;
        if (c == '\\' && (p[1] == 'n' || p[1] == 't')) {
            c = p[1] == 'n' ? '\n' : '\t';
            p++;
        }
        uint16_t usage;
        bool shift;
        if (!char_usage(c, &usage, &shift))
            return snprintf(err, len, "cannot type '%c' (US layout)", c), false;
        if ((shift && !push_key(ks, USAGE_LSHIFT, true)) || !push_key(ks, usage, true) ||
            !push_key(ks, usage, false) || (shift && !push_key(ks, USAGE_LSHIFT, false)))
            return snprintf(err, len, "the -send script is too long"), false;
    }
    return true;
}

static bool parse_combo(KeyScript *ks, char *combo, char *err, size_t len)
{
    uint16_t keys[8];
    int n = 0;
    char *save = NULL;
    for (char *name = strtok_r(combo, "+", &save); name; name = strtok_r(NULL, "+", &save)) {
        for (char *q = name; *q; q++)
            *q = (char)tolower((unsigned char)*q);
        if (n == 8 || !lookup_key(name, &keys[n]))
            return snprintf(err, len, "unknown key '%s' in -send", name), false;
        n++;
    }
    for (int i = 0; i < n; i++)
        if (!push_key(ks, keys[i], true))
            return snprintf(err, len, "the -send script is too long"), false;
    for (int i = n - 1; i >= 0; i--)
        if (!push_key(ks, keys[i], false))
            return snprintf(err, len, "the -send script is too long"), false;
    return true;
}

static bool parse_wait(KeyScript *ks, const char *arg, char *err, size_t len)
{
    char *end;
    double v = strtod(arg, &end);
    double scale = !strcmp(end, "ms") ? 1e6 : (!strcmp(end, "s") || !*end) ? 1e9 : 0;
    if (end == arg || v < 0 || scale == 0)
        return snprintf(err, len, "bad wait '%s' in -send (try 500ms or 2s)", arg), false;
    return push(ks, (KeyEvent){ .kind = KEY_EVENT_WAIT, .wait_ns = (uint64_t)(v * scale) });
}

static bool parse_step(KeyScript *ks, char *step, char *err, size_t len)
{
    while (isspace((unsigned char)*step))
        step++;
    char *end = step + strlen(step);
    while (end > step && isspace((unsigned char)end[-1]))
        *--end = '\0';
    if (!*step)
        return true;
    char *arg = strchr(step, ' ');
    if (arg)
        *arg++ = '\0';
    else
        arg = end;
    if (!strcmp(step, "wait"))
        return parse_wait(ks, arg, err, len);
    if (!strcmp(step, "type"))
        return parse_type(ks, arg, err, len);
    if (!strcmp(step, "key"))
        return parse_combo(ks, arg, err, len);
    if (!strcmp(step, "until")) {
        KeyEvent e = { .kind = KEY_EVENT_UNTIL };
        snprintf(e.text, sizeof(e.text), "%s", arg);
        return push(ks, e);
    }
    return snprintf(err, len, "unknown -send step '%s' (wait, until, type, key)", step), false;
}

bool keyscript_parse(KeyScript *ks, const char *script, char *err, size_t err_len)
{
    memset(ks, 0, sizeof(*ks));
    ks->events = calloc(KEYSCRIPT_MAX_EVENTS, sizeof(KeyEvent));
    char *copy = strdup(script);
    if (!ks->events || !copy) {
        free(copy);
        return snprintf(err, err_len, "out of memory"), false;
    }
    bool ok = true;
    char *save = NULL;
    for (char *step = strtok_r(copy, ";", &save); ok && step; step = strtok_r(NULL, ";", &save))
        ok = parse_step(ks, step, err, err_len);
    free(copy);
    if (!ok)
        keyscript_free(ks);
    return ok;
}

void keyscript_free(KeyScript *ks)
{
    free(ks->events);
    memset(ks, 0, sizeof(*ks));
}
