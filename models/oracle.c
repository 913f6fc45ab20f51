/* The exactly-once check (see oracle.h): compares what the run applied with what its threads
 * issued, thread by thread and object by object. */
#include "oracle.h"

#include <stdio.h>

int oracle_check(struct run *r, char *msg, size_t len)
{
    const struct params *p = r->p;
    for (uint32_t i = 0; i < r->nthreads; i++) {
        struct ithread *t = &r->threads[i];
        if (!t->took_exit || t->npending || t->opcount != t->due_ops) {
            snprintf(msg, len, "thread %u completed %lld opcodes of the %lld it took, %s", i,
                     (long long)t->opcount, (long long)t->due_ops,
                     t->took_exit ? "its whole stream" : "its stream not to the end");
            return 0;
        }
        if (t->nallocd != t->due_allocs) {
            snprintf(msg, len, "thread %u allocated %llu objects, its stream %llu", i,
                     (unsigned long long)t->nallocd, (unsigned long long)t->due_allocs);
            return 0;
        }
        if (t->retired != t->retired_due) {
            snprintf(msg, len, "thread %u: its %llu recycled allocations differ from what was "
                     "issued to them (digest %016llx, issued %016llx)", i,
                     (unsigned long long)(t->nallocd - t->nslots),
                     (unsigned long long)t->retired, (unsigned long long)t->retired_due);
            return 0;
        }
        uint32_t nobj = (uint32_t)p->objects + (uint32_t)t->nslots;
        for (uint32_t k = 0; k < nobj; k++) {
            struct object *x = interp_object(r, i, k);
            uint64_t have = obj_applied(x), want = atomic_load(&x->due);
            if (have != want) {
                snprintf(msg, len,
                         "object (%u,%u) %s: digest %016llx with %llu reads ran, oracle %016llx",
                         i, k, obj_kind_name(x->kind), (unsigned long long)obj_value_digest(x),
                         (unsigned long long)atomic_load(&x->reads), (unsigned long long)want);
                return 0;
            }
        }
    }
    return 1;
}
