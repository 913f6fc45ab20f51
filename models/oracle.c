/* Sequential oracle (see oracle.h). It regenerates the streams from the parameters, so it also
 * checks that op streams are a pure function of (params, seed, thread index). */
#include "oracle.h"

#include <stdio.h>
#include <stdlib.h>

#include "interp.h"

int oracle_check(struct run *r, char *msg, size_t len)
{
    const struct params *p = r->p;
    int ok = 1;
    /* A shadow run (no scheme) holds the oracle's objects, built exactly like the real ones. */
    char err[256];
    struct run *o = run_create(p, err, sizeof err);
    if (!o) {
        snprintf(msg, len, "oracle: %s", err);
        return 0;
    }
    for (uint32_t i = 0; i < o->nthreads; i++) {
        struct ithread *t = &o->threads[i];
        struct op op;
        for (wl_stream_next(&t->stream, &op); op.code != OP_EXIT; wl_stream_next(&t->stream, &op))
            interp_apply(t, &op);
    }
    for (uint32_t i = 0; i < r->nthreads && ok; i++) {
        struct ithread *a = &r->threads[i], *b = &o->threads[i];
        if (a->nallocd != b->nallocd || a->nslots != b->nslots) {
            snprintf(msg, len, "thread %u allocated %llu objects, oracle %llu", i,
                     (unsigned long long)a->nallocd, (unsigned long long)b->nallocd);
            ok = 0;
            break;
        }
        if (a->retired != b->retired) {
            snprintf(msg, len, "thread %u: its %llu recycled allocations differ from the "
                     "oracle's (digest %016llx, oracle %016llx)", i,
                     (unsigned long long)(a->nallocd - a->nslots),
                     (unsigned long long)a->retired, (unsigned long long)b->retired);
            ok = 0;
            break;
        }
        uint32_t nobj = (uint32_t)p->objects + (uint32_t)a->nslots;
        for (uint32_t k = 0; k < nobj; k++) {
            struct object *x = interp_object(r, i, k), *y = interp_object(o, i, k);
            if (x->reads != y->reads) {
                snprintf(msg, len, "object (%u,%u) %s: %llu reads ran, oracle %llu", i, k,
                         obj_kind_name(x->kind), (unsigned long long)x->reads,
                         (unsigned long long)y->reads);
                ok = 0;
                break;
            }
            if (!obj_state_equal(x, y)) {
                snprintf(msg, len, "object (%u,%u) %s: digest %016llx, oracle %016llx", i, k,
                         obj_kind_name(x->kind), (unsigned long long)obj_digest(x),
                         (unsigned long long)obj_digest(y));
                ok = 0;
                break;
            }
        }
    }
    run_destroy(o);
    return ok;
}
