/* `biglock`: the example scheme of docs/extending.md. One lock for every object: each object
 * access takes the run's single mutex, runs the op and releases it. Not a model of a real
 * interpreter: it shows how little a scheme needs (two hooks, per-run state, a cost charged
 * where it is paid, a knob of its own) and is built only by tests/cli/extending.sh, into a
 * build of its own. */
#include <stdlib.h>

#include "interp.h"
#include "params.h"
#include "rt.h"

extern const struct scheme_ops scheme_biglock;

/* Its own parameter row: the registry adds it to the table (gilsim params, --hold_ns=, a CSV
 * column); its value is scheme_own(p, &scheme_biglock)[0]. */
static const struct param biglock_rows[] = {
    PARAM_OWN_REAL("hold_ns", 0, 1e9, "0", "ns",
                   "biglock: extra time the lock is held per access (an example knob)"),
};

struct biglock_run {
    struct rt_mutex *mu;
    double hold_ns;
};

static int biglock_init(struct run *r)
{
    struct biglock_run *b = malloc(sizeof *b);
    if (!b || !(b->mu = rt_mutex_new())) {
        free(b);
        return -1;
    }
    b->hold_ns = scheme_own(r->p, &scheme_biglock)[0].d;
    r->sched = b;
    return 0;
}

static void biglock_fini(struct run *r)
{
    struct biglock_run *b = r->sched;
    rt_mutex_free(b->mu);
    free(b);
}

/* No access runs without the lock: the eval loop hands each one to biglock_access. */
static int biglock_is_local(struct ithread *t, const struct op *op)
{
    (void)t;
    (void)op;
    return 0;
}

static void biglock_access(struct ithread *t, const struct op *op)
{
    const struct params *p = t->run->p;
    struct biglock_run *b = t->run->sched;
    interp_set_state(t, TS_GIL_WAIT);
    rt_mutex_lock(b->mu);
    interp_set_state(t, TS_RUNNING);
    rt_execute(p->mutex_ns + interp_op_cost(p, op) + b->hold_ns);
    interp_apply(t, op);
    rt_mutex_unlock(b->mu);
}

const struct scheme_ops scheme_biglock = {
    .name = "biglock",
    .summary = "example: one mutex around every object access (docs/extending.md)",
    .params = biglock_rows,
    .nparams = sizeof biglock_rows / sizeof biglock_rows[0],
    .run_init = biglock_init,
    .run_fini = biglock_fini,
    .is_local = biglock_is_local,
    .access = biglock_access,
};
