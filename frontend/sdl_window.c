/* SPDX-License-Identifier: MIT */
/*
 * The SDL2 frontend.  One thread: the machine runs a slice of virtual time,
 * then the window drains SDL's events into the machine's input queue and
 * redraws if the display produced a new frame, so SDL never touches machine
 * state while the CPU runs.  With the gdb stub, a slice is the debugger's:
 * while gdb holds the guest stopped the loop waits for it in short steps
 * and keeps drawing.  The picture is scaled to a 4:3 area, as a CRT
 * shows every VGA mode.  Keys are passed on as USB HID usages (SDL
 * scancodes), so the guest's layout decides what a key means.
 * Host keys: Ctrl+Alt+G releases the mouse (and the keyboard grab that lets
 * Alt+Tab and the like reach the guest while it is captured); Ctrl+Alt+End
 * sends Ctrl+Alt+Del to the guest; both are shown in the title bar.
 * With -monitor stdio, Ctrl+Alt+M stops the guest at the monitor's prompt
 * on the terminal; the window keeps drawing (and closing) meanwhile.
 */
#include "sdl_window.h"

#include <SDL.h>
#include <stdio.h>

#include "headless.h"
#include "hostclock.h"

enum { MAX_W = 1024, MAX_H = 768, VIEW_W = 960, VIEW_H = 720 };

typedef struct Window {
    SDL_Window *window;
    SDL_Renderer *renderer;
    SDL_Texture *texture;
    int tex_w, tex_h;
    uint32_t *pixels;
    bool mouse_grabbed;
    unsigned buttons;
    uint64_t last_frame;
    MonitorLoop *monitor;       /* -monitor stdio, or NULL */
} Window;

static bool window_open(Window *w)
{
    if (SDL_Init(SDL_INIT_VIDEO) != 0) {
        fprintf(stderr, "faultline: cannot open a window: %s (try -display none)\n", SDL_GetError());
        return false;
    }
    w->window = SDL_CreateWindow("Faultline", SDL_WINDOWPOS_UNDEFINED, SDL_WINDOWPOS_UNDEFINED,
                                 VIEW_W, VIEW_H, SDL_WINDOW_RESIZABLE);
    w->renderer = w->window ? SDL_CreateRenderer(w->window, -1, 0) : NULL;
    w->pixels = calloc((size_t)MAX_W * MAX_H, sizeof(uint32_t));
    if (!w->window || !w->renderer || !w->pixels) {
        fprintf(stderr, "faultline: cannot open a window: %s (try -display none)\n", SDL_GetError());
        return false;
    }
    SDL_RenderSetLogicalSize(w->renderer, VIEW_W, VIEW_H);   /* 4:3, letterboxed */
    SDL_SetHint(SDL_HINT_RENDER_SCALE_QUALITY, "linear");
    return true;
}

static void window_close(Window *w)
{
    if (w->texture)
        SDL_DestroyTexture(w->texture);
    if (w->renderer)
        SDL_DestroyRenderer(w->renderer);
    if (w->window)
        SDL_DestroyWindow(w->window);
    free(w->pixels);
    SDL_Quit();
}

static void set_title(Window *w, double mips, double speed, bool disk_busy)
{
    char title[200];
    snprintf(title, sizeof(title), "Faultline - %.1f MIPS, %.0f%% speed%s - %s - Ctrl+Alt+End: Ctrl+Alt+Del%s",
             mips, speed * 100.0, disk_busy ? " - disk" : "",
             w->mouse_grabbed ? "Ctrl+Alt+G releases the mouse" : "click to capture the mouse",
             w->monitor ? " - Ctrl+Alt+M: monitor" : "");
    SDL_SetWindowTitle(w->window, title);
}

static void draw(Window *w, Machine *m)
{
    int fw = 0, fh = 0;
    if (!machine_render(m, w->pixels, MAX_W, MAX_H, &fw, &fh) || fw <= 0 || fh <= 0) {
        SDL_SetRenderDrawColor(w->renderer, 0, 0, 0, 255);
        SDL_RenderClear(w->renderer);
        SDL_RenderPresent(w->renderer);
        return;
    }
    if (!w->texture || fw != w->tex_w || fh != w->tex_h) {
        if (w->texture)
            SDL_DestroyTexture(w->texture);
        w->texture = SDL_CreateTexture(w->renderer, SDL_PIXELFORMAT_XRGB8888, SDL_TEXTUREACCESS_STREAMING, fw, fh);
        w->tex_w = fw;
        w->tex_h = fh;
    }
    SDL_UpdateTexture(w->texture, NULL, w->pixels, fw * (int)sizeof(uint32_t));
    SDL_RenderClear(w->renderer);
    SDL_RenderCopy(w->renderer, w->texture, NULL, NULL);
    SDL_RenderPresent(w->renderer);
}

static void send_ctrl_alt_del(Machine *m)
{
    machine_key(m, SDL_SCANCODE_LCTRL, true);
    machine_key(m, SDL_SCANCODE_LALT, true);
    machine_key(m, SDL_SCANCODE_DELETE, true);
    machine_key(m, SDL_SCANCODE_DELETE, false);
    machine_key(m, SDL_SCANCODE_LALT, false);
    machine_key(m, SDL_SCANCODE_LCTRL, false);
}

/* While the mouse is captured the keyboard is too, so combinations the host
 * would take (Alt+Tab, the Windows key) reach the guest. */
static void grab_mouse(Window *w, bool grab)
{
    w->mouse_grabbed = grab;
    SDL_SetRelativeMouseMode(grab ? SDL_TRUE : SDL_FALSE);
    SDL_SetWindowKeyboardGrab(w->window, grab ? SDL_TRUE : SDL_FALSE);
}

/* Host combinations are kept from the guest; returns true if the key was one. */
static bool host_key(Window *w, Machine *m, const SDL_KeyboardEvent *k)
{
    bool combo = (k->keysym.mod & KMOD_CTRL) && (k->keysym.mod & KMOD_ALT);
    if (!combo || k->type != SDL_KEYDOWN)
        return false;
    if (k->keysym.scancode == SDL_SCANCODE_G) {
        grab_mouse(w, false);
        return true;
    }
    if (k->keysym.scancode == SDL_SCANCODE_M && w->monitor) {
        monitor_loop_pause(w->monitor);
        return true;
    }
    if (k->keysym.scancode == SDL_SCANCODE_END) {
        send_ctrl_alt_del(m);
        return true;
    }
    return false;
}

static unsigned button_bit(uint8_t button)
{
    return button == SDL_BUTTON_LEFT ? 1 : button == SDL_BUTTON_RIGHT ? 2 : button == SDL_BUTTON_MIDDLE ? 4 : 0;
}

/* Returns false when the user closed the window. */
static bool pump_events(Window *w, Machine *m)
{
    SDL_Event e;
    while (SDL_PollEvent(&e)) {
        switch (e.type) {
        case SDL_QUIT:
            return false;
        case SDL_KEYDOWN:
        case SDL_KEYUP:
            if (!e.key.repeat && !host_key(w, m, &e.key))
                machine_key(m, e.key.keysym.scancode, e.type == SDL_KEYDOWN);
            break;
        case SDL_MOUSEBUTTONDOWN:
            if (!w->mouse_grabbed) {
                grab_mouse(w, true);
                break;
            }
            w->buttons |= button_bit(e.button.button);
            machine_mouse(m, 0, 0, 0, w->buttons);
            break;
        case SDL_MOUSEBUTTONUP:
            w->buttons &= ~button_bit(e.button.button);
            if (w->mouse_grabbed)
                machine_mouse(m, 0, 0, 0, w->buttons);
            break;
        case SDL_MOUSEMOTION:
            if (w->mouse_grabbed)
                machine_mouse(m, e.motion.xrel, e.motion.yrel, 0, w->buttons);
            break;
        case SDL_MOUSEWHEEL:
            if (w->mouse_grabbed)
                machine_mouse(m, 0, 0, -e.wheel.y, w->buttons);
            break;
        default:
            break;
        }
    }
    return true;
}

static void save_screenshot(Window *w, const char *path)
{
    int ow, oh;
    SDL_GetRendererOutputSize(w->renderer, &ow, &oh);
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, ow, oh, 32, SDL_PIXELFORMAT_XRGB8888);
    if (!s)
        return;
    if (SDL_RenderReadPixels(w->renderer, NULL, SDL_PIXELFORMAT_XRGB8888, s->pixels, s->pitch) == 0 &&
        SDL_SaveBMP(s, path) != 0)
        fprintf(stderr, "faultline: cannot write screenshot '%s': %s\n", path, SDL_GetError());
    SDL_FreeSurface(s);
}

/* One slice under the debugger; false when the slice did not run because
 * gdb holds the guest stopped (the window keeps drawing meanwhile). */
static bool debug_slice(Window *w, Machine *m, const WindowOptions *o, uint64_t until, MachineStop *stop,
                        bool *killed)
{
    enum { HELD_WAIT_MS = 20 };     /* how long to wait for gdb before drawing again */
    DebugSlice r = debugger_run(o->debugger, until, HELD_WAIT_MS, stop);
    *killed = r == DEBUG_KILLED;
    if (r != DEBUG_HELD)
        return true;
    /* Redrawn while held, so the window shows what gdb changed and survives being uncovered. */
    w->last_frame = machine_frame_count(m);
    draw(w, m);
    return false;
}

/* One slice under the monitor; false when the guest waits at the prompt
 * (the window keeps drawing meanwhile).  *quit: the user ended the run. */
static bool monitor_slice(Window *w, Machine *m, const WindowOptions *o, uint64_t until, MachineStop *stop,
                          bool *quit)
{
    enum { PROMPT_WAIT_MS = 20 };   /* how long to wait for a command before drawing again */
    MonitorSlice r = monitor_loop_run(o->monitor, until, PROMPT_WAIT_MS, stop);
    *quit = r == MONITOR_SLICE_QUIT;
    if (r != MONITOR_SLICE_HELD)
        return true;
    w->last_frame = machine_frame_count(m);
    draw(w, m);
    return false;
}

bool sdl_window_run(Machine *m, const WindowOptions *o, MachineStop *stop, bool *killed)
{
    Window w = { .monitor = o->monitor };
    if (!window_open(&w)) {
        window_close(&w);
        return false;
    }
    const uint64_t slice = 10000000;   /* 10 ms of virtual time */
    HostPacer pacer;
    host_pacer_start(&pacer, machine_now_ns(m));
    uint64_t title_at = 0, title_insns = machine_instructions(m), title_ns = machine_now_ns(m);
    uint64_t title_host = host_now_ns();
    *stop = MACHINE_STOP_TIME;
    *killed = false;
    uint64_t title_disk = machine_disk_transfers(m);
    set_title(&w, 0, 0, false);
    while (pump_events(&w, m)) {
        uint64_t until = machine_now_ns(m) + slice;
        if (o->budget_ns && until > o->budget_ns)
            until = o->budget_ns;
        if (o->serial)
            serial_poll(o->serial, m);
        bool quit = false;
        if (o->monitor) {
            bool ran = monitor_slice(&w, m, o, until, stop, &quit);
            if (monitor_loop_was_held(o->monitor))
                host_pacer_start(&pacer, machine_now_ns(m));    /* the stopped time is not made up */
            if (quit)
                break;
            if (!ran)
                continue;
        } else if (!o->debugger) {
            *stop = machine_run(m, until);
        } else if (!debug_slice(&w, m, o, until, stop, killed)) {
            host_pacer_start(&pacer, machine_now_ns(m));    /* the stopped time is not made up */
            continue;
        }
        if (*killed)
            break;
        if (*stop != MACHINE_STOP_TIME || (o->budget_ns && machine_now_ns(m) >= o->budget_ns))
            break;
        if (o->until && headless_sees(m, o->console, o->until)) {
            w.last_frame = machine_frame_count(m) + 1;   /* make sure the final frame is drawn */
            break;
        }
        if (machine_frame_count(m) != w.last_frame || machine_now_ns(m) - title_at > 100000000) {
            w.last_frame = machine_frame_count(m);
            draw(&w, m);
        }
        if (machine_now_ns(m) - title_at >= 1000000000ull) {
            uint64_t host = host_now_ns();
            double host_s = (double)(host - title_host) / 1e9;
            uint64_t disk = machine_disk_transfers(m);
            if (host_s > 0)
                set_title(&w, (double)(machine_instructions(m) - title_insns) / host_s / 1e6,
                          (double)(machine_now_ns(m) - title_ns) / 1e9 / host_s, disk != title_disk);
            title_disk = disk;
            title_at = machine_now_ns(m);
            title_insns = machine_instructions(m);
            title_ns = title_at;
            title_host = host;
        }
        if (!o->deterministic)
            host_pacer_wait(&pacer, machine_now_ns(m));
    }
    draw(&w, m);
    if (o->screenshot)
        save_screenshot(&w, o->screenshot);
    window_close(&w);
    return true;
}
