/* Trace reading and writing (see trace.h, docs/traces.md). Lines are
 *   THREAD OP [CREATOR:INDEX] COST_NS [ARG] [cb=INDEX]
 * with OP one of compute, read, mutate, alloc, io; read and mutate name an object; io's
 * COST_NS is its duration. '#' starts a comment. Only regular text files are read (a FIFO
 * or device could block or never end), lines of any length, each error naming FILE:LINE. */
#define _POSIX_C_SOURCE 200809L
#include "trace.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "classes.h"
#include "generator.h"
#include "text_file.h"

static const char *const op_names[] = { "compute", "read", "mutate", "alloc", "io" };

static int parse_u(const char *s, unsigned long *v)
{
    char *end;
    errno = 0;
    *v = strtoul(s, &end, 10);
    return *s && *s != '-' && !*end && !errno ? 0 : -1;
}

static int push(struct wl_trace *tr, size_t *cap, unsigned t, const struct op *op)
{
    if (tr->nops[t] == cap[t]) {
        cap[t] = cap[t] ? 2 * cap[t] : 64;
        struct op *a = realloc(tr->ops[t], cap[t] * sizeof *a);
        if (!a)
            return -1;
        tr->ops[t] = a;
    }
    tr->ops[t][tr->nops[t]++] = *op;
    return 0;
}

/* Appends op to thread t's stream; a compute opcode costing what the previous compute run costs
 * extends that run, as the generator makes them. */
static int append(struct wl_trace *tr, size_t *cap, unsigned t, const struct op *op)
{
    tr->opcodes[t]++;
    struct op *last = tr->nops[t] ? &tr->ops[t][tr->nops[t] - 1] : NULL;
    if (op->code == OP_COMPUTE && last && last->code == OP_COMPUTE &&
        last->cost_ns == op->cost_ns && op_span(last) < OP_SPAN_MAX) {
        last->span = (uint32_t)op_span(last) + 1;
        return 0;
    }
    return push(tr, cap, t, op);
}

int wl_trace_load(const char *path, const struct params *p, struct wl_trace *tr, char *err,
                  size_t errlen)
{
    memset(tr, 0, sizeof *tr);
    FILE *f = text_open(path, "trace", err, errlen);
    if (!f)
        return -1;
    tr->nthreads = (unsigned)p->threads;
    tr->ops = calloc(tr->nthreads, sizeof *tr->ops);
    tr->nops = calloc(tr->nthreads, sizeof *tr->nops);
    tr->opcodes = calloc(tr->nthreads, sizeof *tr->opcodes);
    size_t *cap = calloc(tr->nthreads, sizeof *cap);
    uint64_t *allocated = calloc(tr->nthreads, sizeof *allocated);
    char *line = NULL;
    size_t linecap = 0, total = 0;
    ssize_t len = 0;
    unsigned long lineno = 0;
    unsigned maxthread = 0;
    int rc = (tr->ops && tr->nops && tr->opcodes && cap && allocated) ? 0 : -1;
    if (rc)
        snprintf(err, errlen, "trace: out of memory");
    while (rc == 0 && (len = text_line(f, path, lineno + 1, TEXT_LINE_MAX, &line, &linecap,
                                       err, errlen)) >= 0) {
        lineno++;
        char *hash = strchr(line, '#');
        if (hash)
            *hash = '\0';
        char *tok[7];
        int n = 0;
        for (char *s = strtok(line, " \t\r\n"); s && n < 7; s = strtok(NULL, " \t\r\n"))
            tok[n++] = s;
        if (n == 0)
            continue;
#define FAIL(...)                                                                          \
    do {                                                                                   \
        int k_ = snprintf(err, errlen, "%s:%lu: ", path, lineno);                           \
        snprintf(err + k_, errlen - (size_t)k_, __VA_ARGS__);                              \
        rc = -1;                                                                           \
        goto next;                                                                         \
    } while (0)
        unsigned long th, v;
        if (parse_u(tok[0], &th) != 0)
            FAIL("thread '%s' is not a thread number", tok[0]);
        if (th >= tr->nthreads)
            FAIL("thread %lu, but threads is %u (allowed: 0..%u; set --threads)", th,
                 tr->nthreads, tr->nthreads - 1);
        if (th > maxthread)
            maxthread = (unsigned)th;
        if (n < 2)
            FAIL("missing op (allowed: compute, read, mutate, alloc, io)");
        struct op op = { .thread = (uint32_t)th, .issuer = (uint32_t)th };
        int code = -1;
        for (int c = 0; c < 5; c++)
            if (strcmp(tok[1], op_names[c]) == 0)
                code = c;
        if (code < 0)
            FAIL("op '%s' unknown (allowed: compute, read, mutate, alloc, io)", tok[1]);
        op.code = (enum op_code)code;
        int i = 2;
        if (op_is_access(&op)) {
            unsigned long cr, ix;
            char *colon = i < n ? strchr(tok[i], ':') : NULL;
            if (!colon)
                FAIL("%s needs an object CREATOR:INDEX", tok[1]);
            *colon = '\0';
            if (parse_u(tok[i], &cr) != 0 || parse_u(colon + 1, &ix) != 0 || cr >= tr->nthreads)
                FAIL("object '%s:%s' is not CREATOR:INDEX with CREATOR < %u", tok[i], colon + 1,
                     tr->nthreads);
            uint64_t made = cr == th ? allocated[cr] : 0, slot = ix - (uint64_t)p->objects;
            if ((int64_t)ix >= p->objects &&
                (slot >= made || slot >= OP_ALLOC_SLOTS ||
                 made - (made - 1 - (made - 1 - slot) % OP_ALLOC_SLOTS) > OP_LIVE_ALLOCS))
                FAIL("object %lu:%lu does not exist (objects is %lld; a thread may also "
                     "name its own last %u allocations, docs/traces.md)", cr, ix,
                     (long long)p->objects, OP_LIVE_ALLOCS);
            op.thread = (uint32_t)cr;
            op.index = (uint32_t)ix;
            i++;
        }
        if (i >= n)
            FAIL("missing cost in ns");
        char *end;
        op.cost_ns = strtod(tok[i], &end);
        if (*end || !isfinite(op.cost_ns) || op.cost_ns < 0)
            FAIL("cost '%s' is not a duration in ns (allowed: >= 0)", tok[i]);
        i++;
        if (op.code == OP_ALLOC)
            op.index = op_alloc_index(p->objects, allocated[th]++);
        for (; i < n; i++) {
            if (strncmp(tok[i], "cb=", 3) == 0 && op_is_access(&op) && op.thread != th) {
                if (parse_u(tok[i] + 3, &v) != 0 || (int64_t)v >= p->objects)
                    FAIL("callback '%s' is not cb=INDEX of an object of thread %lu", tok[i], th);
                op.callback = 1;
                op.cb_index = (uint32_t)v;
            } else if (op_is_access(&op) && !op.arg) {
                errno = 0;
                op.arg = strtoll(tok[i], &end, 10);
                if (*end || end == tok[i] || errno)
                    FAIL("argument '%s' is not an integer (allowed: %lld..%lld)", tok[i],
                         (long long)INT64_MIN, (long long)INT64_MAX);
            } else {
                FAIL("unexpected '%s' (after the cost: an integer argument and, for a foreign "
                     "access, cb=INDEX)", tok[i]);
            }
        }
        if (append(tr, cap, (unsigned)th, &op) != 0)
            FAIL("out of memory");
        total++;
    next:;
#undef FAIL
    }
    if (rc == 0 && len == -2)
        rc = -1; /* a line too long, a NUL byte or a read error: err says where */
    free(line);
    fclose(f);
    free(cap);
    free(allocated);
    if (rc == 0 && total == 0) {
        snprintf(err, errlen, "%s: no ops in %lu lines (allowed: at least one op line; "
                 "docs/traces.md)", path, lineno);
        rc = -1;
    }
    if (rc == 0 && maxthread + 1 != tr->nthreads) {
        snprintf(err, errlen, "%s: the trace has %u threads but threads is %u (set --threads=%u)",
                 path, maxthread + 1, tr->nthreads, maxthread + 1);
        rc = -1;
    }
    if (rc != 0)
        wl_trace_free(tr);
    return rc;
}

void wl_trace_free(struct wl_trace *tr)
{
    for (unsigned t = 0; tr->ops && t < tr->nthreads; t++)
        free(tr->ops[t]);
    free(tr->ops);
    free(tr->nops);
    free(tr->opcodes);
    memset(tr, 0, sizeof *tr);
}

size_t wl_trace_max_ops(const struct wl_trace *tr)
{
    size_t m = 0;
    for (unsigned t = 0; t < tr->nthreads; t++)
        if (tr->opcodes[t] > m)
            m = tr->opcodes[t];
    return m;
}

int wl_trace_write(FILE *f, const struct params *p)
{
    fprintf(f, "# gilsim trace: THREAD OP [CREATOR:INDEX] COST_NS [ARG] [cb=INDEX]\n");
    fprintf(f, "# threads %lld objects %lld\n", (long long)p->threads, (long long)p->objects);
    struct class_set *cs = malloc(sizeof *cs);
    char err[512];
    if (!cs || classes_build(p, cs, err, sizeof err) != 0) {
        free(cs);
        return -1;
    }
    for (uint32_t t = 0; t < p->threads; t++) {
        struct wl_stream s;
        if (wl_stream_init(&s, classes_thread_params(cs, p, t), t, NULL) != 0) {
            free(cs);
            return -1;
        }
        struct op op;
        for (wl_stream_next(&s, &op); op.code != OP_EXIT; wl_stream_next(&s, &op)) {
            /* A compute run is written as the opcodes it stands for, one line each. */
            for (int64_t k = 1; k < op_span(&op); k++)
                fprintf(f, "%u %s %.17g\n", t, op_names[op.code], op.cost_ns);
            fprintf(f, "%u %s", t, op_names[op.code]);
            if (op_is_access(&op))
                fprintf(f, " %u:%u", op.thread, op.index);
            fprintf(f, " %.17g", op.cost_ns);
            if (op_is_access(&op))
                fprintf(f, " %lld", (long long)op.arg);
            if (op.callback)
                fprintf(f, " cb=%u", op.cb_index);
            fputc('\n', f);
        }
        wl_stream_free(&s);
    }
    free(cs);
    return ferror(f) ? -1 : 0;
}
