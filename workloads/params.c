/* The one parameter table (see params.h) and everything that reads it: defaults, parsing with
 * range checks and nearest-name suggestions, CSV formatting, --help and the docs table.
 * Invariant: no other file parses, validates or names a parameter on its own. */
#include "params.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "classes.h"

#define ROW_CHOICE(n, f, d, g, h, at) \
    { n, PARAM_CHOICE, offsetof(struct params, f), 0, 0, d, "", g, h, at, 0, COST_NONE, NULL }
#define ROW_INT(n, f, lo, hi, d, u, g, h) \
    { n, PARAM_INT, offsetof(struct params, f), lo, hi, d, u, g, h, NULL, 0, COST_NONE, NULL }
#define ROW_REAL(n, f, lo, hi, d, u, g, h) \
    { n, PARAM_REAL, offsetof(struct params, f), lo, hi, d, u, g, h, NULL, 0, COST_NONE, NULL }
/* The same rows for parameters a thread class may set (docs/classes.md). */
#define ROW_CHOICE_C(n, f, d, g, h, at) \
    { n, PARAM_CHOICE, offsetof(struct params, f), 0, 0, d, "", g, h, at, 1, COST_NONE, NULL }
#define ROW_INT_C(n, f, lo, hi, d, u, g, h) \
    { n, PARAM_INT, offsetof(struct params, f), lo, hi, d, u, g, h, NULL, 1, COST_NONE, NULL }
#define ROW_REAL_C(n, f, lo, hi, d, u, g, h) \
    { n, PARAM_REAL, offsetof(struct params, f), lo, hi, d, u, g, h, NULL, 1, COST_NONE, NULL }
/* A row of the cost model: ns of one core, lo..1e9, whether it is a primitive or work, and
 * (ROW_COST_C) one a thread class may set. */
#define ROW_COST(n, f, d, kind, h) \
    { n, PARAM_REAL, offsetof(struct params, f), 0, 1e9, d, "ns", "cost", h, NULL, 0, kind, NULL }
#define ROW_COST_C(n, f, lo, d, kind, h) \
    { n, PARAM_REAL, offsetof(struct params, f), lo, 1e9, d, "ns", "cost", h, NULL, 1, kind, NULL }

/* Choice lists, in the order of their enums (params.h). */
PARAM_CHOICES(knob_choices, "auto", "on", "off")
PARAM_CHOICES(dist_at, "fixed", "exponential", "lognormal")
PARAM_CHOICES(wake_dist_at, "fixed", "exponential", "lognormal", "empirical")
PARAM_CHOICES(wake_order_at, "glibc", "fifo")

/* The scheme names come from the scheme registry (models/schemes/registry.c), which hands them
 * over with params_set_scheme_names(): the table itself knows no scheme. */
static const char *(*scheme_names)(size_t i);

void params_set_scheme_names(const char *(*at)(size_t i)) { scheme_names = at; }

static const char *scheme_at(size_t i) { return scheme_names ? scheme_names(i) : NULL; }

/* The backends, likewise handed over by the program that has them (params_set_backend_names):
 * the first is the simulator, the row's default. */
static const char *(*backend_names)(size_t i);

void params_set_backend_names(const char *(*at)(size_t i)) { backend_names = at; }

static const char *backend_at(size_t i) { return backend_names ? backend_names(i) : NULL; }

const char *param_knob_at(size_t i) { return knob_choices(i); }

static const struct param core_table[] = {
    ROW_CHOICE("scheme", scheme, "delegate", "scheme", "threading scheme (gilsim list shows them)",
               scheme_at),
    ROW_INT("breaker", breaker, 1, 1e9, "10", "opcodes", "scheme",
            "spacing of eval-breaker check points (back edges, calls: docs/schemes.md, gil-interval), where GIL "
            "drop requests and V3 notifications are seen [ESTIMATE]"),

    { "trace", PARAM_PATH, offsetof(struct params, trace), 0, 0, "", "", "workload",
      "replay this trace (docs/traces.md) instead of generating ops; empty: generate", NULL, 0,
      COST_NONE, NULL },
    ROW_INT("threads", threads, 1, 100000, "4", "", "workload", "interpreter threads"),
    ROW_INT("cores", cores, 1, 4096, "4", "", "workload",
            "cores of the simulated host (native: CPUs the threads are pinned to, round-robin)"),
    ROW_INT_C("ops", ops, 1, 1e10, "100000", "", "workload", "opcodes each thread executes"),
    ROW_INT("objects", objects, 1, 1e6, "16", "", "workload",
            "mutable objects each thread creates at start (kinds round-robin: counter, list, dict)"),
    ROW_INT("N", N, 1, 1e9, "100", "opcodes", "workload",
            "check interval: delegate drains its queue, gil-ticks releases the GIL, every N "
            "opcodes"),
    ROW_REAL_C("sharing", sharing, 0, 1, "0.05", "", "workload",
             "share of object accesses that hit an object another thread created"),
    ROW_REAL_C("access", access, 0, 1, "0.2", "", "workload",
             "share of opcodes that access a mutable object"),
    ROW_REAL_C("write", write, 0, 1, "0.5", "", "workload", "share of object accesses that mutate"),
    ROW_REAL_C("alloc", alloc, 0, 1, "0.01", "", "workload",
             "share of opcodes that allocate a new object (owned by the allocating thread)"),
    ROW_REAL_C("callback", callback, 0, 1, "0", "", "workload",
             "share of foreign accesses whose handler calls back into an object of the "
             "requesting thread (like __eq__, extend(iterable))"),
    ROW_REAL("zipf", zipf, 0, 10, "0", "", "workload",
             "skew of foreign accesses: Zipf exponent over other threads' objects (0: uniform)"),
    ROW_INT("home", home, -1, 100000, "-1", "", "workload",
            "if >= 0, every foreign access goes to this thread's objects (a main thread that owns "
            "the shared state); -1: any other thread"),
    ROW_REAL_C("io", io, 0, 1, "0", "", "workload", "share of opcodes that block in I/O"),
    ROW_INT("io_threads", io_threads, -1, 100000, "-1", "", "workload",
            "only threads 0..io_threads-1 do I/O (the io share); the others none; -1: all"),
    { "io_ns", PARAM_REAL, offsetof(struct params, io_ns), 0, 1e12, "100000", "ns", "workload",
      "mean duration of one I/O", NULL, 1, COST_WORK, NULL },
    ROW_CHOICE_C("io_dist", io_dist, "exponential", "workload",
               "distribution of I/O durations around io_ns", dist_at),
    ROW_CHOICE_C("op_dist", op_dist, "fixed", "workload",
               "distribution of a bytecode's cost around op_ns", dist_at),
    ROW_REAL_C("sigma", sigma, 0, 5, "1", "", "workload",
             "shape of the lognormal distributions: standard deviation of the log"),
    ROW_INT("seed", seed, 0, 9007199254740992.0, "1", "", "workload",
            "seed of every random stream (a thread's ops are a function of params, seed, index)"),
    { "classes", PARAM_CLASSES, offsetof(struct params, classes), 0, 0, "", "", "workload",
      "thread classes: groups of threads with their own per-class parameters, e.g. "
      "'cpu(count=3 ops=50000) io(count=1 io=0.5 io_ns=100000)' (docs/classes.md); sets "
      "threads to the sum of the counts; empty: every thread alike", NULL, 0, COST_NONE, NULL },

    ROW_COST_C("op_ns", op_ns, 0, "25", COST_WORK,
            "one bytecode, c (docs/schemes.md, delegate, worked example) [ESTIMATE]"),
    ROW_COST("check_ns", check_ns, "1.25", COST_PRIMITIVE,
            "owner check per object access, eps*c with eps=0.05 (docs/schemes.md, delegate) [ESTIMATE]"),
    ROW_COST("handler_ns", handler_ns, "9.9", COST_PRIMITIVE,
            "an object handler through a function pointer (docs/schemes.md, default costs, 4 random handlers)"),
    ROW_COST("alloc_ns", alloc_ns, "50", COST_PRIMITIVE,
            "allocating and initialising an object [ESTIMATE]"),
    ROW_COST("push_ns", push_ns, "28", COST_PRIMITIVE,
            "MPSC push seen by another core (docs/schemes.md, default costs: 1 producer + 1 consumer, 28 ns)"),
    ROW_COST("pop_ns", pop_ns, "7", COST_PRIMITIVE,
            "MPSC pop (docs/schemes.md, default costs: push+pop in one thread 14 ns, half of it)"),
    ROW_COST("poll_ns", poll_ns, "1", COST_PRIMITIVE,
            "a drain point that finds the queue empty: one atomic load [ESTIMATE]"),
    ROW_COST("mutex_ns", mutex_ns, "4.1", COST_PRIMITIVE,
            "uncontended mutex lock+unlock (docs/schemes.md, default costs)"),
    ROW_COST("mutex_contended_ns", mutex_contended_ns, "90", COST_PRIMITIVE,
            "lock+unlock of a mutex two cores take in turn: how long a critical section holds "
            "gil-ticks' internal mutex, a glibc futex mutex whose lock can find it held and sleep "
            "(gilsim calibrate measures it: 86-94 ns on the 2-vCPU VM)"),
    ROW_COST("signal_ns", signal_ns, "1000", COST_PRIMITIVE,
            "condvar signal on the signalling thread, t_signal (docs/schemes.md, delegate) [ESTIMATE]"),
    ROW_COST("wake_ns", wake_ns, "11000", COST_PRIMITIVE,
            "condvar signal until the sleeper runs, t_wake (docs/schemes.md, default costs: 22.7 us round trip)"),
    ROW_COST("sleep_ns", sleep_ns, "1000", COST_PRIMITIVE,
            "a blocking waiter's way into sleep once it has published that it blocks "
            "(pthread_cond_wait into futex_wait): a signal within it costs no wake-up "
            "[ESTIMATE; gilsim calibrate measures it: 241 ns on the 2-vCPU VM]"),
    ROW_COST("handoff_ns", handoff_ns, "235", COST_PRIMITIVE,
            "a spinning waiter sees a store by another core (docs/schemes.md, default costs: 0.47 us round trip)"),
    ROW_COST("cas_ns", cas_ns, "20", COST_PRIMITIVE,
            "compare-and-swap on a line another core wrote [ESTIMATE]"),
    ROW_COST("yield_ns", yield_ns, "1000", COST_PRIMITIVE,
            "one sched_yield() with another thread runnable [ESTIMATE]"),
    ROW_COST("rc_ns", rc_ns, "5", COST_WORK,
            "an atomic add on a reference count whose line this core wrote last (cas_ns when "
            "another core did); charged on every backend: counts are modelled, not done "
            "[ESTIMATE]"),
    ROW_COST("pause_ns", pause_ns, "50", COST_WORK,
            "one x86 PAUSE in a spin loop (gil-pypy's early poll) [ESTIMATE]"),
    ROW_COST_C("op_ns_compute", op_ns_compute, -1, "-1", COST_WORK,
               "a bytecode that touches no mutable object (LOAD_FAST, BINARY_OP); -1: op_ns"),
    ROW_COST_C("op_ns_read", op_ns_read, -1, "-1", COST_WORK,
               "a bytecode that reads a mutable object (BINARY_SUBSCR, LOAD_ATTR), before "
               "check and handler; -1: op_ns"),
    ROW_COST_C("op_ns_mutate", op_ns_mutate, -1, "-1", COST_WORK,
               "a bytecode that mutates a mutable object (STORE_SUBSCR, list.append), before "
               "check and handler; -1: op_ns"),
    ROW_COST_C("op_ns_alloc", op_ns_alloc, -1, "-1", COST_WORK,
               "a bytecode that allocates (BUILD_LIST), before alloc_ns; -1: op_ns"),
    ROW_COST("loop_ns", loop_ns, "0", COST_PRIMITIVE,
             "native runs: the model's own eval loop per opcode, which plays part of a "
             "bytecode's op_ns, so only op_ns - loop_ns is spent as busy work (gilsim "
             "calibrate measures it; the simulator charges op_ns whole)"),
    ROW_COST("loop_entry_ns", loop_entry_ns, "0", COST_PRIMITIVE,
             "native runs: the model's own eval loop per batch entry (an object access, an "
             "allocation, a run of compute opcodes: building the entry, its exactly-once "
             "record, applying it; not the owner check or the handler, charged as check_ns and "
             "handler_ns), which plays part of the entry's op_ns, so it is taken off the "
             "entry's busy work (gilsim calibrate measures it; the simulator charges op_ns "
             "whole)"),
    ROW_COST("miss_1k_ns", miss_1k_ns, "0", COST_PRIMITIVE,
             "an object access picking uniformly among 1024 objects, beyond handler_ns (which "
             "is measured on objects in the caches): the cache misses of a working set; "
             "between the measured sizes the charge is linear in log2 W from 0 at 16 objects, "
             "beyond 65536 it stays at miss_64k_ns (gilsim calibrate measures the four; 0: "
             "every access hits)"),
    ROW_COST("miss_4k_ns", miss_4k_ns, "0", COST_PRIMITIVE,
             "the same among 4096 objects"),
    ROW_COST("miss_16k_ns", miss_16k_ns, "0", COST_PRIMITIVE,
             "the same among 16384 objects"),
    ROW_COST("miss_64k_ns", miss_64k_ns, "0", COST_PRIMITIVE,
             "the same among 65536 objects"),
    ROW_COST("spin_rtt_ns", spin_rtt_ns, "0", COST_PRIMITIVE,
             "a request's round trip between two spinning threads through the MPSC queue with "
             "delegate's interrupt flag and answer flag (gilsim calibrate measures it; "
             "0: not modelled): a spinning waiter's answer costs it the part not charged as "
             "push_ns + 2 handoff_ns + pop_ns + cas_ns"),
    ROW_COST("notice_ns", notice_ns, "0", COST_PRIMITIVE,
             "a spinning waiter's way from an interrupt raised by another core to its next "
             "look, beyond the flag's hand-off: the native backend's rt_work interrupt latency "
             "less handoff_ns (gilsim calibrate measures it; 0: not modelled)"),
    ROW_COST("batch_exit_ns", batch_exit_ns, "0", COST_PRIMITIVE,
             "a delegate owner running a batch, from a push to the start of its drain, beyond "
             "the wait for its next check point and handoff_ns: natively its eval loop noticing "
             "the interrupt, finding the check point and applying the batch's ops done so far "
             "(gilsim calibrate measures it; 0: not modelled)"),
    ROW_COST("serve_miss_ns", serve_miss_ns, "0", COST_PRIMITIVE,
             "serving a delegated request, beyond pop_ns and the handler measured hot: the "
             "node's and the object's lines coming from the requester's core (gilsim "
             "calibrate measures it; 0: not modelled)"),

    ROW_CHOICE("os_sched", os_sched, "auto", "os",
               "OS scheduler: a run queue per core, time slices, wake-up placement (auto: on "
               "when threads > cores; off: cores shared fairly, no run queue)", knob_choices),
    ROW_REAL("slice_ns", slice_ns, 0, 1e12, "0", "ns", "os",
             "time slice of the OS scheduler; 0: EEVDF's base slice 0.75 ms x (1 + "
             "log2(min(cores, 8))) (kernel/sched/fair.c sysctl_sched_base_slice, Linux 6.6+)"),
    ROW_CHOICE("wake_dist", wake_dist, "lognormal", "os",
               "distribution of wake-up latencies around wake_ns (empirical: drawn from the "
               "wake_samples file as is)", wake_dist_at),
    ROW_REAL("wake_sigma", wake_sigma, 0, 5, "0.5", "", "os",
             "shape of lognormal wake-up latencies: standard deviation of the log [ESTIMATE]"),
    { "wake_samples", PARAM_PATH, offsetof(struct params, wake_samples), 0, 0, "", "", "os",
      "wake-up latencies in ns, one a line, '#' comments (wake_dist=empirical); empty: none",
      NULL, 0, COST_NONE, NULL },
    ROW_REAL("timer_slack_ns", timer_slack_ns, 0, 1e9, "50000", "ns", "os",
             "a sleep or timed wait expires this late (Linux default timer slack of a normal "
             "thread, prctl PR_SET_TIMERSLACK: 50 us)"),
    ROW_CHOICE("wake_order", wake_order, "glibc", "os",
               "which waiter a GIL condvar signal wakes: glibc (2.25+ on Linux futexes: the "
               "oldest group of waiters, the one that blocked first unless one still entering "
               "its wait takes it, cv_steal); fifo: always the longest waiter",
               wake_order_at),
    ROW_REAL("cv_steal", cv_steal, 0, 1, "0.58", "", "os",
             "wake_order=glibc: chance that a waiter still entering its wait takes a signal "
             "before the sleeping waiters (bench/cond_order, gilsim calibrate: median 0.58 of "
             "6 runs, 0.46..0.65, on the loaded 2-vCPU VM)"),
    ROW_REAL("cv_entry_ns", cv_entry_ns, 0, 1e9, "5000", "ns", "os",
             "wake_order=glibc: a waiter that began waiting this recently is still entering "
             "its wait when a signal comes (covers the holder's reaction to a drop request, one "
             "op batch in the model; cv_steal is the measured outcome of the race) [ESTIMATE]"),
    ROW_CHOICE("backend", backend, "sim", "run",
               "sim: simulated on SimGrid; native: real pthreads on this machine, wall-clock "
               "metrics, only workload costs charged (docs/design.md)", backend_at),

    ROW_REAL("mem_limit", mem_limit, 0, 1e6, "0", "GiB", "limit",
             "refuse a run whose memory estimate (docs/parameters.md) exceeds this; 0: this "
             "machine's memory (not a CSV column)"),
};

/* The table: core_table until a scheme adds rows, then all_rows (core_table with them). */
const struct param *param_table = core_table;
size_t param_count = sizeof core_table / sizeof core_table[0];
static struct param all_rows[PARAM_MAX];
static size_t own_used; /* own[] slots given out */

static void *field(struct params *p, const struct param *d) { return (char *)p + d->offset; }
static const void *cfield(const struct params *p, const struct param *d)
{
    return (const char *)p + d->offset;
}

int param_is_column(const struct param *d) { return strcmp(d->group, "limit") != 0; }

const struct param *param_find(const char *name)
{
    for (size_t i = 0; i < param_count; i++)
        if (strcmp(param_table[i].name, name) == 0)
            return &param_table[i];
    return NULL;
}

void params_defaults(struct params *p)
{
    memset(p, 0, sizeof *p);
    char err[256];
    for (size_t i = 0; i < param_count; i++)
        if (param_set(p, param_table[i].name, param_table[i].def, err, sizeof err) != 0) {
            fprintf(stderr, "gilsim: internal error: bad default: %s\n", err);
            abort();
        }
}

/* Levenshtein distance, capped: names are short. */
static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 63 || lb > 63)
        return 64;
    size_t row[64];
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t sub = diag + (a[i - 1] != b[j - 1]);
            size_t best = up + 1 < row[j - 1] + 1 ? up + 1 : row[j - 1] + 1;
            row[j] = sub < best ? sub : best;
            diag = up;
        }
    }
    return row[lb];
}

const char *nearest_name(const char *name, const char *(*at)(size_t i))
{
    const char *best = NULL;
    size_t bestd = (size_t)-1;
    for (size_t i = 0; at(i); i++) {
        size_t d = edit_distance(name, at(i));
        if (d < bestd) {
            bestd = d;
            best = at(i);
        }
    }
    /* Close enough to be a typo: at most a third of the name, and at least one edit. */
    size_t limit = strlen(name) / 3 + 1;
    return bestd <= limit ? best : NULL;
}

static const char *param_name_at(size_t i) { return i < param_count ? param_table[i].name : NULL; }

const char *param_suggest(const char *name) { return nearest_name(name, param_name_at); }

/* The i-th name of a choice row's list. A list handed over at run time (scheme, backend) that
 * was not handed over (a test of workloads/ alone) holds only the row's default. */
static const char *choice_at(const struct param *d, size_t i)
{
    return d->choice(0) ? d->choice(i) : i == 0 ? d->def : NULL;
}

int param_choice_index(const struct param *d, const char *name)
{
    for (size_t i = 0; choice_at(d, i); i++)
        if (strcmp(choice_at(d, i), name) == 0)
            return (int)i;
    return -1;
}

int params_real_threads(const struct params *p) { return p->backend > 0; }

int param_backend_real(const char *name)
{
    static const struct param *backend; /* a core row: the same wherever the table lives */
    if (!backend)
        backend = param_find("backend");
    return param_choice_index(backend, name) > 0;
}

const char *param_choice_name(const struct params *p, const struct param *d)
{
    const char *n = choice_at(d, (size_t)*(const int *)cfield(p, d));
    return n ? n : "?";
}

static void list_choices(const struct param *d, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; choice_at(d, i) && used < len; i++)
        used += (size_t)snprintf(buf + used, len - used, "%s%s", i ? ", " : "", choice_at(d, i));
}

static void range_text(const struct param *d, char *buf, size_t len)
{
    snprintf(buf, len, "%.16g..%.16g%s%s", d->min, d->max, d->unit[0] ? " " : "", d->unit);
}

/* An integer written in decimal digits (optional sign), exactly; -1 if value is not one or
 * does not fit in 64 bits. */
static int parse_int(const char *value, int64_t *n)
{
    char *end;
    errno = 0;
    long long v = strtoll(value, &end, 10);
    if (end == value || *end || errno)
        return -1;
    *n = v;
    return 0;
}

/* 1 if value is a number written in decimal as docs/parameters.md allows: an optional '-',
 * digits without a leading 0 (but 0 itself), an optional fraction and exponent (16, -1, 0.5,
 * 1e6, 5e-3, 1e+06). strtod reads more (0x10, +5, a leading space, 010 as 10): refused, as a
 * reader could take them for something else. */
static int plain_decimal(const char *c)
{
    c += *c == '-';
    if (!isdigit((unsigned char)*c) || (c[0] == '0' && isdigit((unsigned char)c[1])))
        return 0;
    while (isdigit((unsigned char)*c))
        c++;
    if (*c == '.' && !isdigit((unsigned char)*++c))
        return 0;
    while (isdigit((unsigned char)*c))
        c++;
    if (*c == 'e' || *c == 'E') {
        c += c[1] == '+' || c[1] == '-';
        if (!isdigit((unsigned char)*++c))
            return 0;
        while (isdigit((unsigned char)*c))
            c++;
    }
    return *c == '\0';
}

int param_set(struct params *p, const char *name, const char *value, char *err, size_t errlen)
{
    const struct param *d = param_find(name);
    if (!d) {
        const char *near = param_suggest(name);
        snprintf(err, errlen, "unknown parameter '%s'%s%s%s (gilsim run --help lists them)", name,
                 near ? " (did you mean '" : "", near ? near : "", near ? "'?)" : "");
        return -1;
    }
    return param_set_at(p, d, value, err, errlen);
}

int param_set_at(struct params *p, const struct param *d, const char *value, char *err,
                 size_t errlen)
{
    const char *name = d->name;
    char allowed[512];
    if (d->type == PARAM_CHOICE) {
        int k = param_choice_index(d, value);
        if (k >= 0) {
            *(int *)field(p, d) = k;
            return 0;
        }
        const char *near = d->choice(0) ? nearest_name(value, d->choice) : NULL;
        list_choices(d, allowed, sizeof allowed);
        if (near)
            snprintf(err, errlen, "%s: '%s' unknown (did you mean '%s'? choices: %s)", name, value,
                     near, allowed);
        else
            snprintf(err, errlen, "%s: '%s' unknown (choices: %s)", name, value, allowed);
        return -1;
    }
    if (d->type == PARAM_CLASSES) {
        char canon[PARAM_CLASSES_LEN];
        int64_t threads;
        if (classes_canonical(value, canon, sizeof canon, &threads, err, errlen) != 0)
            return -1;
        snprintf((char *)field(p, d), PARAM_CLASSES_LEN, "%s", canon);
        if (threads > 0) /* the classes' counts are the thread count */
            p->threads = threads;
        return 0;
    }
    if (d->type == PARAM_PATH) {
        size_t bad = strcspn(value, ",\"");
        for (const char *c = value; *c; c++)
            if ((unsigned char)*c < ' ' || *c == 0x7f)
                bad = (size_t)(c - value) < bad ? (size_t)(c - value) : bad;
        if (value[bad] || strlen(value) >= PARAM_PATH_LEN) {
            char what[64] = "too long";
            if (value[bad])
                snprintf(what, sizeof what, (unsigned char)value[bad] < ' ' ||
                         value[bad] == 0x7f ? "character %zu is \\x%02x" : "character %zu is "
                         "'%c'", bad + 1, (unsigned char)value[bad]);
            snprintf(err, errlen, "%s: a file name of %zu characters, %s (allowed: shorter than "
                     "%d characters, without commas, quotes or control characters)", name,
                     strlen(value), what, PARAM_PATH_LEN);
            return -1;
        }
        snprintf((char *)field(p, d), PARAM_PATH_LEN, "%s", value);
        return 0;
    }
    errno = 0;
    char *end = NULL;
    double v = strtod(value, &end);
    /* The allowed range as text only for a message (this runs once per cell of a results
     * file's new point: printing two doubles cost more than the rest). */
    if (!value[0] || *end || errno || !isfinite(v)) {
        range_text(d, allowed, sizeof allowed);
        snprintf(err, errlen, "%s: '%s' is not a %s (allowed: %s)", name, value,
                 d->type == PARAM_INT ? "whole number" : "number", allowed);
        return -1;
    }
    if (!plain_decimal(value)) {
        range_text(d, allowed, sizeof allowed);
        snprintf(err, errlen, "%s: '%s' is not written in decimal (allowed: %s, as digits with "
                 "an optional '-', fraction and exponent, e.g. 16, 0.5, 1e6; no 0x, leading '+' "
                 "or 0, or spaces)", name, value, allowed);
        return -1;
    }
    if (d->type == PARAM_INT) {
        /* Whole numbers are read as integers (exact beyond 2^53); 1e6 style only where the
         * double is exact. */
        int64_t n = 0;
        int exact = parse_int(value, &n) == 0;
        if (!exact && v != floor(v)) {
            range_text(d, allowed, sizeof allowed);
            snprintf(err, errlen, "%s: '%s' is not a whole number (allowed: %s)", name, value,
                     allowed);
            return -1;
        }
        if (!exact && fabs(v) <= 9007199254740992.0)
            n = (int64_t)v;
        if ((!exact && fabs(v) > 9007199254740992.0) || n < (int64_t)d->min ||
            n > (int64_t)d->max) {
            range_text(d, allowed, sizeof allowed);
            snprintf(err, errlen, "%s: %s out of range (allowed: %s)", name, value, allowed);
            return -1;
        }
        *(int64_t *)field(p, d) = n;
        return 0;
    }
    if (v < d->min || v > d->max) {
        range_text(d, allowed, sizeof allowed);
        snprintf(err, errlen, "%s: %s out of range (allowed: %s)", name, value, allowed);
        return -1;
    }
    *(double *)field(p, d) = v == 0 ? 0.0 : v; /* -0 is 0: one value, one CSV cell */
    return 0;
}

_Static_assert(sizeof core_table / sizeof core_table[0] + PARAM_OWN_MAX < PARAM_MAX,
               "PARAM_MAX too small");

/* 1 if d is a row a scheme added (its field is in own[]). */
static int is_own_row(const struct param *d) { return d->offset >= offsetof(struct params, own); }

size_t params_add_rows(const struct param *rows, size_t n, const char *after)
{
    if (param_table == core_table) {
        memcpy(all_rows, core_table, sizeof core_table);
        param_table = all_rows;
    }
    const struct param *anchor = after ? param_find(after) : NULL;
    const char *wrong = own_used + n > PARAM_OWN_MAX ? "more than PARAM_OWN_MAX rows"
                        : after && (!anchor || is_own_row(anchor) ||
                                    strcmp(anchor->group, "scheme") != 0)
                            ? "its place is no row of the table's \"scheme\" group"
                            : NULL;
    size_t bad = 0;
    while (!wrong && bad < n && !param_find(rows[bad].name))
        bad++;
    if (wrong || bad < n) {
        fprintf(stderr, "gilsim: internal error: scheme row '%s': %s\n",
                n ? rows[bad < n ? bad : 0].name : "?", wrong ? wrong : "the name is taken");
        abort();
    }
    size_t at = anchor ? (size_t)(anchor - all_rows) + 1 : 0;
    if (anchor) /* past the rows placed after the anchor before */
        while (at < param_count && is_own_row(&all_rows[at]))
            at++;
    else /* the end of the "scheme" group, the table's first */
        while (at < param_count && strcmp(all_rows[at].group, "scheme") == 0)
            at++;
    memmove(all_rows + at + n, all_rows + at, (param_count - at) * sizeof all_rows[0]);
    for (size_t i = 0; i < n; i++) {
        all_rows[at + i] = rows[i];
        all_rows[at + i].offset = offsetof(struct params, own) +
                                  (own_used + i) * sizeof(union param_slot);
    }
    param_count += n;
    own_used += n;
    return own_used - n;
}

int params_set_once(struct params *p, struct params_given *g, const char *name, const char *value,
                    const char *arg, char *err, size_t errlen)
{
    const struct param *d = param_find(name);
    if (d && g->arg[d - param_table]) {
        snprintf(err, errlen, "%s: set twice (%s, then %s; allowed: once)", name,
                 g->arg[d - param_table], arg);
        return -1;
    }
    if (param_set(p, name, value, err, errlen) != 0)
        return -1;
    g->arg[d - param_table] = arg;
    return 0;
}

int params_given_has(const struct params_given *g, const char *name)
{
    const struct param *d = param_find(name);
    return d && g->arg[d - param_table];
}

int params_check_given(const struct params *p, int threads_given, char *err, size_t errlen)
{
    if (threads_given && p->classes[0]) {
        snprintf(err, errlen, "threads: set beside classes (allowed: one of them; the classes' "
                 "counts give the thread count)");
        return -1;
    }
    return params_check(p, err, errlen);
}

int params_check(const struct params *p, char *err, size_t errlen)
{
    if ((p->wake_dist == DIST_EMPIRICAL) != (p->wake_samples[0] != 0)) {
        snprintf(err, errlen, "wake_samples: %s (allowed: a file exactly when wake_dist is "
                 "empirical)", p->wake_samples[0] ? "given but wake_dist is not empirical"
                                                  : "missing for wake_dist=empirical");
        return -1;
    }
    /* A trace names its objects itself: sharing is not used (docs/traces.md). */
    if (!p->trace[0] && p->threads < 2 && p->sharing > 0) {
        snprintf(err, errlen,
                 "sharing: %g needs at least 2 threads (threads is %lld; allowed with 1 thread: 0)",
                 p->sharing, (long long)p->threads);
        return -1;
    }
    if (p->home >= p->threads) {
        snprintf(err, errlen, "home: %lld is not a thread (allowed: -1..%lld)",
                 (long long)p->home, (long long)p->threads - 1);
        return -1;
    }
    if (p->zipf > 0 && p->threads * p->objects > 1000000) {
        snprintf(err, errlen,
                 "zipf: needs threads x objects <= 1000000 (the Zipf table), here %lld x %lld",
                 (long long)p->threads, (long long)p->objects);
        return -1;
    }
    if (p->io_threads > p->threads) {
        snprintf(err, errlen, "io_threads: %lld exceeds threads (%lld) (allowed: -1..%lld)",
                 (long long)p->io_threads, (long long)p->threads, (long long)p->threads);
        return -1;
    }
    const double *by_kind[] = { &p->op_ns_compute, &p->op_ns_read, &p->op_ns_mutate,
                                &p->op_ns_alloc };
    static const char *const kind_name[] = { "op_ns_compute", "op_ns_read", "op_ns_mutate",
                                             "op_ns_alloc" };
    for (size_t i = 0; i < sizeof by_kind / sizeof by_kind[0]; i++)
        if (*by_kind[i] < 0 && *by_kind[i] != -1) {
            snprintf(err, errlen, "%s: %g (allowed: -1, meaning op_ns, or 0..1e9 ns)",
                     kind_name[i], *by_kind[i]);
            return -1;
        }
    if (p->classes[0]) {
        int64_t total;
        char canon[PARAM_CLASSES_LEN];
        if (classes_canonical(p->classes, canon, sizeof canon, &total, err, errlen) != 0)
            return -1;
        if (total != p->threads) {
            snprintf(err, errlen, "threads: %lld, but the classes have %lld threads (allowed: "
                     "leave threads unset with classes; the counts give it)",
                     (long long)p->threads, (long long)total);
            return -1;
        }
        if (p->trace[0]) {
            snprintf(err, errlen, "classes: not with a trace (allowed: classes generate ops, a "
                     "trace replays them: one or the other)");
            return -1;
        }
        struct class_set *cs = malloc(sizeof *cs);
        if (!cs) {
            snprintf(err, errlen, "classes: out of memory");
            return -1;
        }
        int rc = classes_build(p, cs, err, errlen);
        free(cs);
        if (rc != 0)
            return -1;
    }
    if (p->access + p->alloc + p->io > 1) {
        snprintf(err, errlen,
                 "access + alloc + io: %g + %g + %g exceeds 1 (they are shares of the same "
                 "opcodes)", p->access, p->alloc, p->io);
        return -1;
    }
    return 0;
}

void params_drop_primitive_costs(struct params *p)
{
    for (size_t i = 0; i < param_count; i++)
        if (param_table[i].cost == COST_PRIMITIVE)
            *(double *)field(p, &param_table[i]) = 0;
}

void params_resolve(struct params *p)
{
    for (size_t i = 0; i < param_count; i++) {
        const struct param *d = &param_table[i];
        if (d->unset && (d->type == PARAM_CHOICE ? strcmp(param_choice_name(p, d), "auto") == 0
                                                 : *(int64_t *)field(p, d) < 0))
            param_set_at(p, d, d->unset, NULL, 0);
    }
    if (p->os_sched == KNOB_AUTO)
        p->os_sched = p->threads > p->cores ? KNOB_ON : KNOB_OFF;
    if (p->slice_ns == 0) {
        /* EEVDF: sysctl_sched_base_slice 0.75 ms scaled by 1 + ilog2(min(ncpus, 8)) */
        int64_t n = p->cores < 8 ? p->cores : 8;
        int log2n = 0;
        while (n >>= 1)
            log2n++;
        p->slice_ns = 750000.0 * (1 + log2n);
    }
}

void param_format(const struct params *p, const struct param *d, char *buf, size_t len)
{
    switch (d->type) {
    case PARAM_CHOICE: snprintf(buf, len, "%s", param_choice_name(p, d)); break;
    case PARAM_PATH:
    case PARAM_CLASSES: snprintf(buf, len, "%s", (const char *)cfield(p, d)); break;
    case PARAM_INT: snprintf(buf, len, "%lld", (long long)*(const int64_t *)cfield(p, d)); break;
    case PARAM_REAL: snprintf(buf, len, "%.15g", *(const double *)cfield(p, d)); break;
    }
}

/* What a parameter accepts, as --help and the docs show it. */
static void allowed_text(const struct param *d, char *buf, size_t len)
{
    if (d->type == PARAM_CHOICE)
        list_choices(d, buf, len);
    else if (d->type == PARAM_PATH)
        snprintf(buf, len, "a file name, or empty");
    else if (d->type == PARAM_CLASSES)
        snprintf(buf, len, "NAME(count=N KEY=VALUE ...) ..., or empty");
    else
        range_text(d, buf, len);
}

/* A cost row's kind as --help and the docs show it; "" for other rows. */
static const char *cost_kind_text(enum param_cost c)
{
    switch (c) {
    case COST_WORK: return "(work: spent on every backend)";
    case COST_PRIMITIVE: return "(primitive: charged by the simulator only)";
    default: return "";
    }
}

void params_print_help(FILE *out)
{
    const char *group = "";
    for (size_t i = 0; i < param_count; i++) {
        const struct param *d = &param_table[i];
        if (strcmp(group, d->group) != 0) {
            group = d->group;
            fprintf(out, "\n%s parameters:\n", group);
        }
        char allowed[512];
        allowed_text(d, allowed, sizeof allowed);
        fprintf(out, "  --%s=%s\n      %s [%s]%s%s%s\n", d->name, d->def, d->help, allowed,
                d->per_class ? " [per class]" : "", cost_kind_text(d->cost)[0] ? " " : "",
                cost_kind_text(d->cost));
    }
}

void params_print_markdown(FILE *out)
{
    fprintf(out, "| name | group | type | default | allowed | unit | per class | meaning | "
                 "charged |\n");
    fprintf(out, "|---|---|---|---|---|---|---|---|---|\n");
    for (size_t i = 0; i < param_count; i++) {
        const struct param *d = &param_table[i];
        char allowed[512];
        allowed_text(d, allowed, sizeof allowed);
        static const char *const tname[] = { "int", "real", "choice", "path", "classes" };
        static const char *const charged[] = { "", "work: every backend",
                                                "primitive: simulator only" };
        fprintf(out, "| `%s` | %s | %s | %s | %s | %s | %s | %s | %s |\n", d->name, d->group,
                tname[d->type], d->def, allowed, d->unit, d->per_class ? "yes" : "", d->help,
                charged[d->cost]);
    }
}
