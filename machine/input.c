/* SPDX-License-Identifier: MIT */
/*
 * Host input.  Keys arrive as USB HID usage codes (the numbers SDL scancodes use);
 * the keyboard wants positions on a PC keyboard.  Both name physical keys,
 * so the guest's own layout decides what each key types.  Serial bytes go to
 * a UART's receive FIFO while it has room.
 */
#include "machine_internal.h"

typedef struct KeyMap {
    uint16_t usage;
    uint8_t key;
} KeyMap;

static const KeyMap key_map[] = {
    { 4, PC_KEY_A }, { 5, PC_KEY_B }, { 6, PC_KEY_C }, { 7, PC_KEY_D }, { 8, PC_KEY_E },
    { 9, PC_KEY_F }, { 10, PC_KEY_G }, { 11, PC_KEY_H }, { 12, PC_KEY_I }, { 13, PC_KEY_J },
    { 14, PC_KEY_K }, { 15, PC_KEY_L }, { 16, PC_KEY_M }, { 17, PC_KEY_N }, { 18, PC_KEY_O },
    { 19, PC_KEY_P }, { 20, PC_KEY_Q }, { 21, PC_KEY_R }, { 22, PC_KEY_S }, { 23, PC_KEY_T },
    { 24, PC_KEY_U }, { 25, PC_KEY_V }, { 26, PC_KEY_W }, { 27, PC_KEY_X }, { 28, PC_KEY_Y },
    { 29, PC_KEY_Z }, { 30, PC_KEY_1 }, { 31, PC_KEY_2 }, { 32, PC_KEY_3 }, { 33, PC_KEY_4 },
    { 34, PC_KEY_5 }, { 35, PC_KEY_6 }, { 36, PC_KEY_7 }, { 37, PC_KEY_8 }, { 38, PC_KEY_9 },
    { 39, PC_KEY_0 }, { 40, PC_KEY_ENTER }, { 41, PC_KEY_ESC }, { 42, PC_KEY_BACKSPACE },
    { 43, PC_KEY_TAB }, { 44, PC_KEY_SPACE }, { 45, PC_KEY_MINUS }, { 46, PC_KEY_EQUAL },
    { 47, PC_KEY_LEFT_BRACKET }, { 48, PC_KEY_RIGHT_BRACKET }, { 49, PC_KEY_BACKSLASH },
    { 50, PC_KEY_BACKSLASH }, { 51, PC_KEY_SEMICOLON }, { 52, PC_KEY_APOSTROPHE },
    { 53, PC_KEY_GRAVE }, { 54, PC_KEY_COMMA }, { 55, PC_KEY_PERIOD }, { 56, PC_KEY_SLASH },
    { 57, PC_KEY_CAPS_LOCK }, { 58, PC_KEY_F1 }, { 59, PC_KEY_F2 }, { 60, PC_KEY_F3 },
    { 61, PC_KEY_F4 }, { 62, PC_KEY_F5 }, { 63, PC_KEY_F6 }, { 64, PC_KEY_F7 }, { 65, PC_KEY_F8 },
    { 66, PC_KEY_F9 }, { 67, PC_KEY_F10 }, { 68, PC_KEY_F11 }, { 69, PC_KEY_F12 },
    { 70, PC_KEY_PRINT_SCREEN }, { 71, PC_KEY_SCROLL_LOCK }, { 72, PC_KEY_PAUSE },
    { 73, PC_KEY_INSERT }, { 74, PC_KEY_HOME }, { 75, PC_KEY_PAGE_UP }, { 76, PC_KEY_DELETE },
    { 77, PC_KEY_END }, { 78, PC_KEY_PAGE_DOWN }, { 79, PC_KEY_RIGHT }, { 80, PC_KEY_LEFT },
    { 81, PC_KEY_DOWN }, { 82, PC_KEY_UP }, { 83, PC_KEY_NUM_LOCK }, { 84, PC_KEY_KP_DIVIDE },
    { 85, PC_KEY_KP_MULTIPLY }, { 86, PC_KEY_KP_MINUS }, { 87, PC_KEY_KP_PLUS },
    { 88, PC_KEY_KP_ENTER }, { 89, PC_KEY_KP_1 }, { 90, PC_KEY_KP_2 }, { 91, PC_KEY_KP_3 },
    { 92, PC_KEY_KP_4 }, { 93, PC_KEY_KP_5 }, { 94, PC_KEY_KP_6 }, { 95, PC_KEY_KP_7 },
    { 96, PC_KEY_KP_8 }, { 97, PC_KEY_KP_9 }, { 98, PC_KEY_KP_0 }, { 99, PC_KEY_KP_DECIMAL },
    { 100, PC_KEY_NON_US_BACKSLASH }, { 101, PC_KEY_MENU },
    { 224, PC_KEY_LEFT_CTRL }, { 225, PC_KEY_LEFT_SHIFT }, { 226, PC_KEY_LEFT_ALT },
    { 227, PC_KEY_LEFT_WIN }, { 228, PC_KEY_RIGHT_CTRL }, { 229, PC_KEY_RIGHT_SHIFT },
    { 230, PC_KEY_RIGHT_ALT }, { 231, PC_KEY_RIGHT_WIN },
};

PcKey input_pc_key(unsigned hid_usage)
{
    for (size_t i = 0; i < sizeof(key_map) / sizeof(key_map[0]); i++)
        if (key_map[i].usage == hid_usage)
            return (PcKey)key_map[i].key;
    return PC_KEY_NONE;
}

void machine_key(Machine *m, unsigned hid_usage, bool pressed)
{
    PcKey key = input_pc_key(hid_usage);
    if (key != PC_KEY_NONE)
        ps2kbd_key(&m->kbd, key, pressed);
}

void machine_mouse(Machine *m, int dx, int dy, int dz, unsigned buttons)
{
    ps2mouse_move(&m->mouse, dx, dy, dz, (uint8_t)buttons);
}

bool machine_serial_input(Machine *m, int port, uint8_t byte)
{
    if (port < 0 || port >= MACHINE_COM_PORTS || !uart16550_can_receive(&m->com[port]))
        return false;
    return uart16550_receive(&m->com[port], byte);
}
