/* Timeline CSV -> Gantt chart and Chrome trace (see plot_timeline.h). The whole file is
 * checked before anything is written: only the run's five states are drawn, in a fixed
 * order, so a state has the same colour and legend place in every chart. */
#define _POSIX_C_SOURCE 200809L
#include "plot_timeline.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plot_figure.h"
#include "plot_table.h"
#include "status.h"
#include "text_file.h"

#define MAX_STATES 16

struct interval {
    long thread;
    int state; /* index into timeline.state */
    double start, end;
};

struct timeline {
    struct interval *iv;
    size_t n, cap;
    char state[MAX_STATES][32];
    int nstates;
    long threads; /* highest thread + 1 */
    double end;   /* latest end */
};

/* The states gilsim run writes, in their fixed order (interp.c thread_state_name). */
static const char *const known_states[] = { "running", "waiting", "draining", "gil-wait", "io" };
#define NKNOWN (sizeof known_states / sizeof known_states[0])

/* The index of a known state; -1 for any other name. */
static int state_index(const struct timeline *tl, const char *name)
{
    for (int i = 0; i < tl->nstates; i++)
        if (strcmp(tl->state[i], name) == 0)
            return i;
    return -1;
}

/* Parses one line "thread,state,start,end" into tl; -1 with the reason in why. */
static int parse_line(struct timeline *tl, char *line, const char **why)
{
    char *cell[4], *end;
    for (int i = 0; i < 4; i++) {
        cell[i] = line;
        line += strcspn(line, ",");
        if (*line == ',' && i < 3)
            *line++ = '\0';
        else if (*line || i < 3) {
            *why = "not 4 cells thread,state,start,end";
            return -1;
        }
    }
    struct interval iv;
    errno = 0;
    iv.thread = strtol(cell[0], &end, 10);
    if (!*cell[0] || *end || errno || iv.thread < 0 || iv.thread > 1000000) {
        *why = "thread is not an integer 0..1000000";
        return -1;
    }
    if ((iv.state = state_index(tl, cell[1])) < 0) {
        *why = "state unknown (allowed: running, waiting, draining, gil-wait, io)";
        return -1;
    }
    iv.start = strtod(cell[2], &end);
    int ok = *cell[2] && !*end && isfinite(iv.start);
    iv.end = strtod(cell[3], &end);
    if (!ok || !*cell[3] || *end || !isfinite(iv.end) || iv.end < iv.start || iv.start < 0) {
        *why = "start and end are not times with 0 <= start <= end";
        return -1;
    }
    if (tl->n == tl->cap) {
        size_t cap = tl->cap ? 2 * tl->cap : 1024;
        struct interval *p = realloc(tl->iv, cap * sizeof *p);
        if (!p) {
            *why = "out of memory";
            return -1;
        }
        tl->iv = p;
        tl->cap = cap;
    }
    tl->iv[tl->n++] = iv;
    tl->threads = iv.thread + 1 > tl->threads ? iv.thread + 1 : tl->threads;
    tl->end = fmax(tl->end, iv.end);
    return 0;
}

static int load(struct timeline *tl, const char *path, char *err, size_t errlen)
{
    memset(tl, 0, sizeof *tl);
    for (size_t i = 0; i < NKNOWN; i++)
        snprintf(tl->state[tl->nstates++], sizeof tl->state[0], "%s", known_states[i]);
    FILE *f = text_open(path, "--timeline", err, errlen);
    if (!f)
        return -1;
    char *line = NULL;
    size_t cap = 0, lineno = 0;
    const char *why = NULL;
    ssize_t got = 0;
    while (!why && (got = text_line(f, path, lineno + 1, TEXT_LINE_MAX, &line, &cap, err,
                                    errlen)) >= 0) {
        lineno++;
        line[strcspn(line, "\r\n")] = '\0';
        if (lineno == 1) {
            if (strcmp(line, "thread,state,start,end") != 0)
                why = "not a gilsim timeline (the header must be thread,state,start,end)";
        } else if (*line) {
            parse_line(tl, line, &why);
        }
    }
    free(line);
    fclose(f);
    if (got == -2) {
        free(tl->iv);
        return -1; /* err says where */
    }
    if (!why && tl->n == 0)
        why = "no intervals";
    if (why) {
        snprintf(err, errlen, "%s:%zu: %s", path, lineno, why);
        free(tl->iv);
        return -1;
    }
    return 0;
}

static int write_gantt(const struct timeline *tl, const char *path, const char *out, char *err,
                       size_t errlen)
{
    struct fig f;
    char label[128];
    double scale;
    if (fig_begin(&f, out, "gantt", err, errlen) != 0)
        return -1;
    const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    fig_meta(&f, "title", "Thread states over simulated time (%s: %ld threads, %zu intervals)",
             base, tl->threads, tl->n);
    col_label("makespan", "simulated time", tl->end, label, sizeof label, &scale);
    fig_meta(&f, "xlabel", "%s", label);
    fig_meta(&f, "xscale", "%.9f", scale);
    fig_meta(&f, "threads", "%ld", tl->threads);
    int used[MAX_STATES] = { 0 }, nused = 0;
    for (size_t i = 0; i < tl->n; i++)
        used[tl->iv[i].state] = 1;
    for (int s = 0; s < tl->nstates; s++)
        if (used[s]) {
            char key[32];
            snprintf(key, sizeof key, "state%d", ++nused);
            fig_meta(&f, key, "%s", tl->state[s]);
        }
    fig_meta(&f, "states", "%d", nused);
    for (int s = 0; s < tl->nstates; s++) {
        if (!used[s])
            continue;
        fig_block(&f, "%s: thread start end (s)", tl->state[s]);
        for (size_t i = 0; i < tl->n; i++)
            if (tl->iv[i].state == s)
                fprintf(f.dat, "%ld\t%.10g\t%.10g\n", tl->iv[i].thread, tl->iv[i].start,
                        tl->iv[i].end);
    }
    return fig_end(&f, err, errlen);
}

static int write_chrome(const struct timeline *tl, const char *out, char *err, size_t errlen)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    fprintf(f, "{\"displayTimeUnit\":\"ns\",\"otherData\":{\"generator\":\"gilsim plot "
               "--chrome-trace\",\"time\":\"simulated\"},\"traceEvents\":[\n");
    for (long t = 0; t < tl->threads; t++)
        fprintf(f, "{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":0,\"tid\":%ld,"
                   "\"args\":{\"name\":\"T%ld\"}},\n", t, t);
    /* State names are checked to be letters, digits, - and _: no JSON escaping needed. */
    for (size_t i = 0; i < tl->n; i++)
        fprintf(f, "{\"name\":\"%s\",\"cat\":\"state\",\"ph\":\"X\",\"ts\":%.12g,"
                   "\"dur\":%.12g,\"pid\":0,\"tid\":%ld}%s\n", tl->state[tl->iv[i].state],
                tl->iv[i].start * 1e6, (tl->iv[i].end - tl->iv[i].start) * 1e6,
                tl->iv[i].thread, i + 1 < tl->n ? "," : "");
    fprintf(f, "]}\n");
    if (fclose(f) != 0) {
        free(buf);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    int rc = write_whole(out, buf, len, err, errlen);
    free(buf);
    return rc;
}

int timeline_plot(const char *path, const char *gantt, const char *chrome, char *err,
                  size_t errlen)
{
    struct timeline tl;
    if (load(&tl, path, err, errlen) != 0)
        return GS_USAGE;
    int rc = GS_OK;
    if (gantt && write_gantt(&tl, path, gantt, err, errlen) != 0)
        rc = GS_FAILED;
    if (rc == GS_OK && chrome && write_chrome(&tl, chrome, err, errlen) != 0)
        rc = GS_FAILED;
    free(tl.iv);
    return rc;
}
