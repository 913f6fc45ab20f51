/* The threading-scheme interface: a scheme is one file in models/schemes/ exporting one const
 * struct of hooks, listed in the explicit table of models/schemes/registry.c. Schemes reach
 * time and synchronisation only through rt.h, so the same code runs simulated and native. */
#ifndef GILSIM_MODELS_SCHEME_H
#define GILSIM_MODELS_SCHEME_H

#include <stddef.h>
#include <stdint.h>

struct run;
struct ithread;
struct op;
struct params;
union param_slot;
struct analytic_knobs;

struct scheme_ops {
    const char *name;
    const char *summary; /* one line, for gilsim list */
    /* Capabilities: what the rest of gilsim asks of a scheme instead of testing its name.
     * Runs natively (optional): 0 if the scheme can run these parameters on real threads
     * (backend=native), else -1 with a one-line reason naming the parameter and what is allowed
     * in err. NULL: it runs natively with any parameters. */
    int (*native_check)(const struct params *p, char *err, size_t errlen);
    /* If the first-order model of models/analytic.c (delegation latency, break-even sharing;
     * docs/schemes.md, delegate) describes it: fills in what the model needs of the scheme's
     * own knobs for these parameters. Its rows then get lat_model and sharing_breakeven_model,
     * and the report draws it. NULL: no model, those columns are nan. */
    void (*analytic)(const struct params *p, struct analytic_knobs *k);
    /* 1 if only its points at sharing 0 say anything (no synchronisation, or a deadlock by
     * design once two threads delegate to each other): validate's grid runs it there only. */
    int unshared_only;
    /* 1 if it hands its lock over at every check point (every N opcodes), so that N = 1 is a
     * hand-over per opcode: validate's grid gives its N = 1 points fewer opcodes. */
    int handover_every_check;
    /* 1 for a scheme that stands for CPython as it ships (its GIL, free-threading): what the
     * proposal is compared with. `gilsim review` compares it with all of them by default; the
     * first (registry order) is `gilsim report`'s default and the scheme of validate's convoy
     * points. */
    int baseline;
    /* 1 for the proposal (delegate): `gilsim review` gives its verdict on the first scheme so
     * declared (its N, break-even and sensitivity questions). */
    int proposal;
    /* 1 if two threads delegating to each other deadlock it by design (the proposal exactly as
     * written, delegate-naive): `gilsim review`'s deadlock question reports how often it
     * deadlocks, and whether the other schemes do. */
    int deadlocks_by_design;
    /* 1 if a thread runs bytecode only while it holds one global lock whose hand-overs its
     * rows count in `switches`: `gilsim review` flags its runs with too few hand-overs. */
    int gil;
    /* 1 if its access and its check let the thread's pending charges (rt_charge) pass wherever
     * they look at what other threads change: the rest of a batch an interrupt found without a
     * check point left is then a charge that passes with the next wait, not a wait of its own. */
    int batch_rest_charged;
    /* Its own parameter rows (optional): knobs only it (or its family, sharing one array)
     * reads, declared in its file with PARAM_OWN_* (params.h) and added to the parameter table
     * by schemes_register; their values are scheme_own(p, s)[i] for row i. */
    const struct param *params;
    size_t nparams;
    /* Where those rows go in the table, hence in --help, docs/parameters.md and the CSV header
     * (params_add_rows): NULL, at the end of the scheme rows, after those of the schemes listed
     * before it; else right after the row of workloads/params.c's "scheme" group so named.
     * schemes_register places the rows of the schemes that name a row first. */
    const char *params_after;
    /* Sets the knobs this scheme (a preset of a family) fixes, where they are "auto"
     * (optional; see params_resolve). */
    void (*preset)(struct params *p);
    /* Per-run state (optional): called before any thread starts / after all have ended. */
    int (*run_init)(struct run *r);
    void (*run_fini)(struct run *r);
    /* Called by each thread first and last thing (optional). */
    void (*thread_start)(struct ithread *t);
    void (*thread_exit)(struct ithread *t);
    /* Required. 1 if the thread may run this object access inline, without the scheme looking.
     * The eval loop asks ahead of time, so the answer must stay true until the thread itself
     * does something (nothing another thread does may make it false). */
    int (*is_local)(struct ithread *t, const struct op *op);
    /* Required. Runs an access is_local refused, to completion: charges its costs and applies its
     * handler (here or through another thread). */
    void (*access)(struct ithread *t, const struct op *op);
    /* Check point (optional): at the first check point (every t->check_every opcodes, N by
     * default) after rt_interrupt() hit the thread, and at the horizon. Check points with no
     * interrupt since the last one are elided: a scheme that needs to look must interrupt the
     * thread, or give a horizon. */
    void (*check)(struct ithread *t);
    /* Opcodes the thread may still run before check() must be called whatever happens
     * (optional; 0 or NULL: no horizon). Asked before each batch. */
    int64_t (*horizon)(struct ithread *t);
    /* Around a blocking I/O op (optional): called before the thread blocks and after it
     * returns. */
    void (*io_enter)(struct ithread *t);
    void (*io_leave)(struct ithread *t);
};

/* The scheme registered under `name`, or NULL. */
const struct scheme_ops *scheme_find(const char *name);
/* The scheme p names (its `scheme` index), or NULL if none is registered there. */
const struct scheme_ops *scheme_of(const struct params *p);
/* The values of s's own rows in p (s->params[i] is [i]). */
const union param_slot *scheme_own(const struct params *p, const struct scheme_ops *s);
/* The same, to set (a preset fixing its own knobs). */
union param_slot *scheme_own_set(struct params *p, const struct scheme_ops *s);
/* The name of the first baseline scheme (scheme_ops.baseline), or NULL if none declares one. */
const char *scheme_baseline(void);
/* The i-th registered scheme (NULL past the end), and its name. */
const struct scheme_ops *scheme_at(size_t i);
const char *scheme_name_at(size_t i);
/* Hands the parameter table the registered names (params_set_scheme_names) and adds the
 * schemes' own rows to it (params_add_rows): call before parameters are set (again: nothing). */
void schemes_register(void);
/* Applies p's scheme preset to its "auto" knobs, then params_resolve: the concrete parameters
 * a row holds. */
void scheme_resolve_params(struct params *p);
/* The run's parameters pass p's scheme's native_check (0), or -1 with its reason in err. */
int scheme_native_check(const struct params *p, char *err, size_t errlen);
/* 1 if p's scheme has the first-order model (scheme_ops.analytic is set). */
int scheme_analytic(const struct params *p);
/* 0 if every required hook is present; else -1 with "<name>: no <hook> hook" in err. */
int scheme_validate(const struct scheme_ops *s, char *err, size_t errlen);

#endif
