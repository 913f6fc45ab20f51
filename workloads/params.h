/* The one parameter table: every parameter of a run (workload, scheme, cost model) is one row
 * here, and that row alone drives CLI flags, --help, validation, CSV columns and the docs.
 * Adding a parameter = one field in struct params + one row in params.c; a scheme's own knob is
 * a row in the scheme's file instead (scheme_ops.params, params_add_rows). */
#ifndef GILSIM_WORKLOADS_PARAMS_H
#define GILSIM_WORKLOADS_PARAMS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum param_type { PARAM_INT, PARAM_REAL, PARAM_CHOICE, PARAM_PATH, PARAM_CLASSES };

/* What a cost row stands for (docs/design.md "Modelled costs and real costs"). A primitive is
 * something a backend with real threads performs for real when the scheme does it (a push, a
 * mutex, a wake-up, a handler call): only the simulator charges it. Workload work (a bytecode's
 * own computation, an I/O's duration, a deliberate spin) is spent on every backend. */
enum param_cost { COST_NONE, COST_WORK, COST_PRIMITIVE };

/* The values of the choice rows: indices into their lists (params.c), in list order. A run
 * holds the index; the name is only read and written as text (param_set, param_format). */
enum knob { KNOB_AUTO, KNOB_ON, KNOB_OFF };                   /* os_sched, and schemes'
                                                                knobs (param_knob_at) */
enum dist { DIST_FIXED, DIST_EXPONENTIAL, DIST_LOGNORMAL, DIST_EMPIRICAL }; /* io_dist, op_dist
                                                                (not empirical), wake_dist */
enum wake_order { WAKE_ORDER_GLIBC, WAKE_ORDER_FIFO };        /* wake_order */

/* Size of a PARAM_PATH field. */
#define PARAM_PATH_LEN 256
/* Size of the thread-classes field (docs/classes.md), and of any parameter's CSV cell. */
#define PARAM_CLASSES_LEN 1024
#define PARAM_CELL_LEN PARAM_CLASSES_LEN
/* The value of a row a scheme declares in its own file (scheme_ops.params): PARAM_INT in i,
 * PARAM_REAL in d, PARAM_CHOICE in c. */
union param_slot {
    int64_t i;
    double d;
    int c;
};
/* Rows the schemes may declare in all (params_add_rows). */
#define PARAM_OWN_MAX 32

struct params {
    /* scheme, and the knob several schemes read (a scheme's own knobs are in own[]) */
    int scheme; /* index among the registered schemes (scheme_at) */
    int64_t breaker;
    /* workload */
    char trace[PARAM_PATH_LEN];
    int64_t threads, cores, ops, objects, N;
    double sharing, access, write, alloc, callback, zipf;
    int64_t home;
    double io, io_ns;
    int64_t io_threads;
    int io_dist, op_dist; /* enum dist */
    double sigma;
    int64_t seed;
    /* thread classes, canonical text (docs/classes.md); empty: every thread alike */
    char classes[PARAM_CLASSES_LEN];
    /* cost model (ns of one core; see docs/parameters.md for each default's source) */
    double op_ns, check_ns, handler_ns, alloc_ns, push_ns, pop_ns, poll_ns, mutex_ns, signal_ns,
        wake_ns, sleep_ns, handoff_ns, cas_ns, yield_ns, pause_ns, rc_ns;
    /* a critical section of a mutex both cores take (gil-ticks' internal mutex: gil_lock.h) */
    double mutex_contended_ns;
    /* a bytecode's cost by kind; -1: op_ns (the distribution's draw is scaled to this mean) */
    double op_ns_compute, op_ns_read, op_ns_mutate, op_ns_alloc;
    /* natively, the eval loop's own cost per opcode, taken off the busy work of op_ns, and per
     * batch entry (an access, an allocation, a run of compute opcodes), taken off the entry's */
    double loop_ns, loop_entry_ns;
    /* what an object access costs beyond handler_ns when it picks among W objects, measured at
     * W = 1024, 4096, 16384, 65536 (docs/schemes.md, "Objects and caches") */
    double miss_1k_ns, miss_4k_ns, miss_16k_ns, miss_64k_ns;
    /* a spinning delegation: its measured round trip, and a spinning waiter's way from an
     * interrupt to its next look (docs/validation.md) */
    double spin_rtt_ns, notice_ns;
    /* the delegate owner's way from an interrupted batch to its drain, and the lines a served
     * request brings from its requester's core (docs/validation.md) */
    double batch_exit_ns, serve_miss_ns;
    /* the OS under the threads (SimGrid backend: sim/os_sched.c, sim/wake_model.c) */
    int os_sched; /* enum knob */
    double slice_ns;
    int wake_dist; /* enum dist */
    double wake_sigma;
    char wake_samples[PARAM_PATH_LEN];
    double timer_slack_ns;
    /* which waiter a condvar signal wakes (models/schemes/gil_lock.c) */
    int wake_order; /* enum wake_order */
    double cv_steal, cv_entry_ns;
    /* how the run is carried out */
    int backend; /* index among the program's backends (params_set_backend_names); 0: sim */
    /* limits */
    double mem_limit;
    /* the rows schemes declare in their own files, in the order they were added */
    union param_slot own[PARAM_OWN_MAX];
};

struct param {
    const char *name;
    enum param_type type;
    size_t offset;          /* offsetof(struct params, field) */
    double min, max;        /* inclusive range (PARAM_INT, PARAM_REAL) */
    const char *def;        /* default, as text */
    const char *unit;       /* "" when dimensionless */
    const char *group;      /* "scheme", "workload", "cost", or "limit" (a guard that does not
                               change what a run computes: not a CSV column) */
    const char *help;       /* one line; cost rows say where the default comes from */
    /* PARAM_CHOICE: the i-th allowed name, NULL past the end; the field is an int, the index
     * of its name in this list */
    const char *(*choice)(size_t i);
    /* 1 if a thread class may set it (docs/classes.md); 0: one value for the whole run */
    int per_class;
    enum param_cost cost;   /* cost rows: primitive or workload work; COST_NONE otherwise */
    /* A knob a scheme preset may fix: its value "auto" (-1 for an integer) means "as the
     * preset", and becomes this when the preset left it (params_resolve). NULL otherwise. */
    const char *unset;
};

/* The table: params.c's rows, with the rows schemes add (params_add_rows) in its "scheme"
 * group. */
extern const struct param *param_table;
extern size_t param_count;

/* Rows for a scheme's own file (scheme_ops.params; docs/extending.md): NAME, range, default
 * (text), unit, help, and for a choice its list (PARAM_CHOICES). params_add_rows places each
 * in a slot of struct params' own[]. */
#define PARAM_OWN_INT(n, lo, hi, d, u, h) \
    { n, PARAM_INT, 0, lo, hi, d, u, "scheme", h, NULL, 0, COST_NONE, NULL }
#define PARAM_OWN_REAL(n, lo, hi, d, u, h) \
    { n, PARAM_REAL, 0, lo, hi, d, u, "scheme", h, NULL, 0, COST_NONE, NULL }
#define PARAM_OWN_CHOICE(n, d, h, at) \
    { n, PARAM_CHOICE, 0, 0, 0, d, "", "scheme", h, at, 0, COST_NONE, NULL }
/* A knob the scheme's preset may fix (scheme_ops.preset): "auto" (PARAM_OWN_KNOB, a choice
 * from the list `at`) or -1 (PARAM_OWN_KNOB_INT, an integer 0..hi) until then, and `unset` when
 * the preset left it (params_resolve). */
#define PARAM_OWN_KNOB(n, h, at, unset) \
    { n, PARAM_CHOICE, 0, 0, 0, "auto", "", "scheme", h, at, 0, COST_NONE, unset }
#define PARAM_OWN_KNOB_INT(n, hi, u, h, unset) \
    { n, PARAM_INT, 0, -1, hi, "-1", u, "scheme", h, NULL, 0, COST_NONE, unset }
/* A choice list: static const char *FN(size_t i), the i-th of the names, NULL past the end. */
#define PARAM_CHOICES(fn, ...)                                                               \
    static const char *fn(size_t i)                                                         \
    {                                                                                      \
        static const char *const names[] = { __VA_ARGS__, NULL };                          \
        return i < sizeof names / sizeof names[0] ? names[i] : NULL;                       \
    }
/* The choices of an on/off knob, in the order of enum knob: auto, on, off. */
const char *param_knob_at(size_t i);
/* Adds n rows (declared with PARAM_OWN_*) to the table; call before any parameter is set.
 * Where they go is where they are in --help, docs/parameters.md and the CSV header:
 *   after == NULL: at the end of the "scheme" group, after every row added before;
 *   else: right after the row of params.c's "scheme" group so named, and after the rows added
 *   after it before.
 * Returns the own[] slot of rows[0] (rows[i] is own[that + i]). A name already in the table,
 * an `after` that is no row of params.c's "scheme" group, or more than PARAM_OWN_MAX rows in
 * all, is an internal error (abort). */
size_t params_add_rows(const struct param *rows, size_t n, const char *after);

/* 1 if the parameter is a column of results rows (part of a point's identity): every group
 * but "limit". */
int param_is_column(const struct param *d);
/* Fills p with every default. */
void params_defaults(struct params *p);
/* Looks a parameter up by exact name; NULL if unknown. */
const struct param *param_find(const char *name);
/* Sets one parameter from text. On error returns -1 and writes a one-line message (no trailing
 * newline) naming the parameter, the value and what is allowed into err. */
int param_set(struct params *p, const char *name, const char *value, char *err, size_t errlen);
/* The same for the row d of param_table (no look-up by name: for callers walking the table). */
int param_set_at(struct params *p, const struct param *d, const char *value, char *err,
                 size_t errlen);
/* Checks constraints between parameters (e.g. sharing needs two threads); same error contract. */
int params_check(const struct params *p, char *err, size_t errlen);
/* The table's rows are fewer than this (params.c checks it at compile time). */
#define PARAM_MAX 256
/* Which parameters a command line has set so far, and by which argument; zero-initialise. */
struct params_given {
    const char *arg[PARAM_MAX];
};
/* param_set, refusing a parameter `g` has already seen set ("set twice"); `arg` is the whole
 * argument, named in that error. Same error contract. */
int params_set_once(struct params *p, struct params_given *g, const char *name, const char *value,
                    const char *arg, char *err, size_t errlen);
/* params_check, plus the rule only the arguments tell: `threads` set explicitly
 * (threads_given) beside `classes`, whose counts give the thread count. */
int params_check_given(const struct params *p, int threads_given, char *err, size_t errlen);
/* 1 if `g` has seen parameter `name` set. */
int params_given_has(const struct params_given *g, const char *name);
/* Replaces every "auto" knob left by the scheme's preset (scheme_resolve_params, which calls
 * this) by its row's `unset` value (delegate's migrate -1 -> 0, queue auto -> fifo; os_sched
 * and slice_ns by the thread and core counts). Rows are written after this, so they are
 * concrete. */
void params_resolve(struct params *p);
/* Sets every primitive cost row to 0: what a run is charged on a backend that performs the
 * primitives for real. */
void params_drop_primitive_costs(struct params *p);
/* Hands the table the names a `scheme` value may take, in the order of their indices (the
 * scheme registry's accessor; until then only the row's default: a program without schemes
 * cannot run one anyway). */
void params_set_scheme_names(const char *(*at)(size_t i));
/* Hands the table the names a `backend` value may take, the simulator first (the program's
 * backend table; until then only the row's default, the simulator). */
void params_set_backend_names(const char *(*at)(size_t i));
/* 1 if p's backend runs real threads: any but the simulator, which is the backend row's
 * default and the first of the program's backend table. */
int params_real_threads(const struct params *p);
/* The same for a backend's name (a CSV cell); 0 for a name the table does not know. */
int param_backend_real(const char *name);
/* The name of a choice row's value in p (its list's entry at the index p holds). */
const char *param_choice_name(const struct params *p, const struct param *d);
/* The index of `name` in a choice row's list, or -1 if it is not there. */
int param_choice_index(const struct param *d, const char *name);
/* Writes the value of one parameter as its CSV cell. */
void param_format(const struct params *p, const struct param *d, char *buf, size_t len);
/* The known name nearest to `name` (edit distance), or NULL if none is close. */
const char *param_suggest(const char *name);
/* Nearest of a list of names given by an accessor; NULL if none is close. */
const char *nearest_name(const char *name, const char *(*at)(size_t i));
/* Prints the --help table of parameters. */
void params_print_help(FILE *out);
/* Prints the table as a Markdown table (docs/parameters.md is generated from this). */
void params_print_markdown(FILE *out);

#endif
