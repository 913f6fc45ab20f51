/* `ideal`: no synchronisation at all. Every access runs inline on the accessing thread, as if
 * objects were magically safe to share: the upper bound every real scheme is measured against.
 * Its final state still matches the oracle because, in this model, handlers of one run never
 * overlap in time on a real core (simulated) -- it is not safe natively with sharing > 0. */
#include <stdio.h>

#include "interp.h"
#include "params.h"
#include "rt.h"

static int ideal_is_local(struct ithread *t, const struct op *op)
{
    (void)t;
    (void)op;
    return 1;
}

/* Never reached through the eval loop (every access is local); runs the op inline. */
static void ideal_access(struct ithread *t, const struct op *op)
{
    rt_execute(interp_op_cost(t->run->p, op));
    interp_apply(t, op);
}

/* Unsynchronised accesses race on real threads as soon as objects are shared. */
static int ideal_native_check(const struct params *p, char *err, size_t errlen)
{
    if (p->sharing <= 0)
        return 0;
    snprintf(err, errlen, "sharing: %g with scheme ideal races on real threads (allowed with "
             "backend=native: 0; ideal is an upper bound that is exact only simulated)",
             p->sharing);
    return -1;
}

const struct scheme_ops scheme_ideal = {
    .name = "ideal",
    .summary = "no synchronisation: every access runs inline (upper bound, not a real scheme)",
    .native_check = ideal_native_check,
    .unshared_only = 1,
    .is_local = ideal_is_local,
    .access = ideal_access,
};
