/* SPDX-License-Identifier: MIT */
/*
 * fl_cpu_tests: runs hardware-captured single-instruction vectors (the
 * SingleStepTests 80286 real-mode suite, MOO files) through the real CPU core.
 * Each test: reset a 386-model Cpu, enter the test's registers and RAM (A20
 * open, 16 MiB flat RAM, no ports mapped so reads give all ones), run until
 * the HLT that follows the instruction (flow control and exceptions land on a
 * HLT too), then compare every register and the final RAM bytes, FLAGS under
 * the opcode's undefined-flags mask from metadata.json.  The captured final IP
 * points one past that HLT, as a 386's does after HLT, so no adjustment is
 * needed.  The vectors come from a 286; where a 386 legitimately differs the
 * vector is excused per class (harness.h) and counted, never matched by
 * bending the core.  Not modelled: bus cycles, prefetch queue.  This file is
 * the command line and the walk over the folder; vector.c runs one vector.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "harness.h"

static bool filter_match(const char *filter, const char *op)
{
    if (!filter)
        return true;
    for (const char *p = filter; *p;) {
        size_t n = strcspn(p, ",");
        if (n && strncasecmp(op, p, n) == 0)
            return true;
        p += n + (p[n] == ',');
    }
    return false;
}

static void add_stats(FileStats *total, const FileStats *s)
{
    total->passed += s->passed;
    total->failed += s->failed;
    total->revoked += s->revoked;
    for (int c = 0; c < CLASS_COUNT; c++)
        total->excluded[c] += s->excluded[c];
    for (int w = 0; w < WHY_COUNT; w++)
        total->why[w] += s->why[w];
}

static void run_file(Harness *h, const char *path, const char *op)
{
    MooFile f;
    MooTest t;
    FileStats s = { 0 };
    char why[128];
    int r;
    if (!moo_open(&f, path)) {
        printf("%s: error: %s\n", path, f.error);
        h->file_errors++;
        moo_close(&f);
        return;
    }
    if (h->opt.dump)
        printf("%s: MOO %u.%u, CPU %s, %u tests, %s\n", op, f.version_major, f.version_minor, f.cpu_id,
               f.test_count, f.mnemonic);
    while ((r = moo_next(&f, &t)) == 1) {
        if (h->opt.index >= 0 && t.index != (uint32_t)h->opt.index)
            continue;
        if (h->opt.dump) {
            report_dump(&t);
        } else if (t.has_hash && revocations_contain(&h->revoked, t.hash)) {
            s.revoked++;
        } else if (!vector_valid(&t, why, sizeof(why))) {
            printf("%s: test %u: error: %s\n", path, t.index, why);
            h->file_errors++;
        } else {
            vector_run(h, &f, &t, &s);
        }
    }
    if (r < 0) {
        printf("%s: error: %s\n", path, f.error);
        h->file_errors++;
    }
    moo_close(&f);
    if (!h->opt.dump)
        report_file_line(op, &s);
    add_stats(&h->total, &s);
}

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The *.MOO.gz names in dir, sorted; NULL when the folder cannot be read. */
static char **list_vectors(const char *dir, size_t *count)
{
    DIR *d = opendir(dir);
    char **names = NULL;
    size_t cap = 0;
    struct dirent *e;
    *count = 0;
    if (!d)
        return NULL;
    while ((e = readdir(d))) {
        size_t n = strlen(e->d_name);
        if (n <= 7 || strcasecmp(e->d_name + n - 7, ".MOO.gz") != 0)
            continue;
        if (*count == cap) {
            cap = cap ? cap * 2 : 512;
            char **grown = realloc(names, cap * sizeof(*names));
            if (!grown)
                break;
            names = grown;
        }
        names[(*count)++] = strdup(e->d_name);
    }
    closedir(d);
    if (*count)
        qsort(names, *count, sizeof(*names), name_cmp);
    return names;
}

static void load_side_files(Harness *h)
{
    char path[1024], err[256];
    snprintf(path, sizeof(path), "%s/metadata.json", h->opt.dir);
    h->have_meta = metadata_load(&h->meta, path, err, sizeof(err));
    if (!h->have_meta)
        printf("warning: %s; comparing all FLAGS bits, no status classes\n", err);
    snprintf(path, sizeof(path), "%s/revocation_list.txt", h->opt.dir);
    if (!revocations_load(&h->revoked, path, err, sizeof(err))) {
        printf("error: %s\n", err);
        h->file_errors++;
    }
}

static bool setup_machine(Harness *h)
{
    h->model = cpu_model_find(h->opt.model);
    if (!h->model) {
        fprintf(stderr, "fl_cpu_tests: unknown CPU model '%s' (have %s)\n", h->opt.model, cpu_model_list());
        return false;
    }
    if (!phys_init(&h->mem, RAM_SIZE, false)) {
        fprintf(stderr, "fl_cpu_tests: cannot allocate %u MiB of guest RAM\n", RAM_SIZE >> 20);
        return false;
    }
    io_space_init(&h->io, "port");
    cpu_init(&h->cpu, h->model, &h->mem, &h->io);
    return true;
}

static int exit_status(const Harness *h)
{
    const FileStats *s = &h->total;
    if (h->file_errors)
        return 1;
    if (!s->failed)
        return 0;
    if (h->opt.min_pass_rate < 0)
        return 1;
    double rate = 100.0 * s->passed / (s->passed + s->failed);
    return rate >= h->opt.min_pass_rate ? 0 : 1;
}

static void usage(FILE *out)
{
    fprintf(out,
            "usage: fl_cpu_tests [options] DIR [FILTER]\n"
            "Runs the MOO CPU test vectors in DIR (*.MOO.gz, metadata.json, revocation_list.txt).\n"
            "  -v                 print failing tests: bytes, register and memory differences\n"
            "  -n N               with -v or -x, print at most N vectors per file (default 5, 0 = all)\n"
            "  -x CLASS           also print vectors excused under CLASS (e.g. lock-ud) with their strict diffs\n"
            "  -f FILTER          only files whose name starts with one of these comma-separated prefixes\n"
            "  -i INDEX           only the test with this index in each file\n"
            "  --dump             print the parsed tests instead of running them\n"
            "  --cpu MODEL        CPU model to test (default 386)\n"
            "  --min-pass-rate P  exit 0 when at least P%% of the non-excluded vectors pass\n");
}

static bool parse_options(int argc, char **argv, Options *o)
{
    *o = (Options){ .index = -1, .print_limit = 5, .min_pass_rate = -1, .model = "386" };
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        bool has_arg = i + 1 < argc;
        if (!strcmp(a, "-v"))
            o->verbose = true;
        else if (!strcmp(a, "--dump"))
            o->dump = true;
        else if (!strcmp(a, "-f") && has_arg)
            o->filter = argv[++i];
        else if (!strcmp(a, "-i") && has_arg)
            o->index = strtol(argv[++i], NULL, 0);
        else if (!strcmp(a, "-x") && has_arg)
            o->show_class = argv[++i];
        else if (!strcmp(a, "-n") && has_arg)
            o->print_limit = (unsigned)strtoul(argv[++i], NULL, 0);
        else if (!strcmp(a, "--cpu") && has_arg)
            o->model = argv[++i];
        else if (!strcmp(a, "--min-pass-rate") && has_arg)
            o->min_pass_rate = strtod(argv[++i], NULL);
        else if (!strcmp(a, "-h") || !strcmp(a, "--help"))
            o->help = true;
        else if (a[0] != '-' && !o->dir)
            o->dir = a;
        else if (a[0] != '-' && !o->filter)
            o->filter = a;
        else {
            fprintf(stderr, "fl_cpu_tests: unknown, incomplete or extra argument '%s'\n", a);
            return false;
        }
    }
    if (o->help)
        return true;
    if (!o->dir)
        fprintf(stderr, "fl_cpu_tests: no DIR given\n");
    return o->dir != NULL;
}

int main(int argc, char **argv)
{
    static Harness h;       /* large (the metadata tables); kept off the stack */
    size_t count;
    if (!parse_options(argc, argv, &h.opt)) {
        usage(stderr);
        return 2;
    }
    if (h.opt.help) {
        usage(stdout);
        return 0;
    }
    char **names = list_vectors(h.opt.dir, &count);
    if (!count) {
        printf("skipped: no vectors in %s\n", h.opt.dir);
        free(names);
        return 0;
    }
    if (!setup_machine(&h))
        return 2;
    load_side_files(&h);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (size_t i = 0; i < count; i++) {
        char path[1024], op[64];
        size_t n = strlen(names[i]) - 7;
        snprintf(op, sizeof(op), "%.*s", (int)(n < sizeof(op) ? n : sizeof(op) - 1), names[i]);
        snprintf(path, sizeof(path), "%s/%s", h.opt.dir, names[i]);
        if (filter_match(h.opt.filter, op))
            run_file(&h, path, op);
        free(names[i]);
    }
    free(names);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (h.opt.dump)
        return h.file_errors ? 1 : 0;
    report_summary(&h, (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
    revocations_free(&h.revoked);
    free(h.dirty);
    phys_free(&h.mem);
    return exit_status(&h);
}
