/* `biglock`: the example scheme of docs/extending.md. One lock for every object: each object
 * access takes the run's single mutex, runs the op and releases it. Not a model of a real interpreter: it shows how
 * little a scheme needs (two hooks, per-run state, a cost charged where it is paid) and is
 * built only by tests/cli/extending.sh, into a build of its own. */
#include <stdlib.h>

#include "interp.h"
#include "params.h"
#include "rt.h"

static int biglock_init(struct run *r)
{
    r->sched = rt_mutex_new();
    return r->sched ? 0 : -1;
}

static void biglock_fini(struct run *r) { rt_mutex_free(r->sched); }

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
    interp_set_state(t, TS_GIL_WAIT);
    rt_mutex_lock(t->run->sched);
    interp_set_state(t, TS_RUNNING);
    rt_execute(p->mutex_ns + interp_op_cost(p, op));
    interp_apply(t, op);
    rt_mutex_unlock(t->run->sched);
}

const struct scheme_ops scheme_biglock = {
    .name = "biglock",
    .summary = "example: one mutex around every object access (docs/extending.md)",
    .run_init = biglock_init,
    .run_fini = biglock_fini,
    .is_local = biglock_is_local,
    .access = biglock_access,
};
