/* The memory guard (see mem_estimate.h). Per thread: its objects, its live allocations (at
 * most OP_ALLOC_SLOTS, op.h), the items lists keep (at most OBJ_LIST_WINDOW int64 each,
 * object.h), its delegated-op latencies (8 bytes each, doubled by
 * growth and copied once to compute quantiles), its batch arrays and an actor stack (128 KiB,
 * what gilsim gives each actor above 1000 threads). The oracle keeps no copy (oracle.h). A
 * fixed 64 MiB covers SimGrid itself.
 * Against peak RSS (GNU time), measured when the oracle kept a copy of the objects: threads=30000
 * ops=10 3.9 GiB estimated, 2.7 used; threads=100 objects=1e5 1.4 and 1.37; threads=4000 ops=100
 * 0.7 and 0.45. */
#define _POSIX_C_SOURCE 200809L
#include "mem_estimate.h"

#include <math.h>
#include <stdio.h>
#include <unistd.h>

#include "interp.h"
#include "object.h"
#include "op.h"

#define GIB (1024.0 * 1024.0 * 1024.0)

double mem_estimate(const struct params *p, const struct wl_trace *tr, char *parts, size_t len)
{
    double threads = (double)p->threads, ops = (double)p->ops;
    double mutate_lists, foreign, allocs, trace_ops = 0;
    if (tr) {
        /* A trace says what it does: count its list mutations, foreign accesses, allocs. */
        double m = 0, f = 0, a = 0, most = 0;
        for (unsigned t = 0; t < tr->nthreads; t++) {
            double mine = 0;
            for (size_t k = 0; k < tr->nops[t]; k++) {
                const struct op *op = &tr->ops[t][k];
                m += op->code == OP_MUTATE && op->index % OBJ_KIND_COUNT == OBJ_LIST;
                f += op_is_access(op) && op->thread != t;
                mine += op->code == OP_ALLOC;
            }
            a += fmin(mine, OP_ALLOC_SLOTS);
            most = fmax(most, mine);
            trace_ops += (double)tr->nops[t];
        }
        mutate_lists = m, foreign = f, allocs = a;
    } else {
        double share = p->threads > 1 ? p->sharing : 0;
        mutate_lists = threads * ops * p->access * p->write / OBJ_KIND_COUNT;
        foreign = threads * ops * p->access * share;
        allocs = threads * fmin(ops * p->alloc, OP_ALLOC_SLOTS);
    }
    double cap = fmin(ops, INTERP_BATCH_MAX) + 1;
    double objects = threads * (double)p->objects * sizeof(struct object);
    double kept = allocs * (sizeof(struct object) + sizeof(struct object *) + 16);
    /* A list keeps at most OBJ_LIST_WINDOW values (object.h): a third of the objects are
     * lists, each holding at most that window once mutated. */
    double list_objects = (threads * (double)p->objects + allocs) / OBJ_KIND_COUNT;
    double lists = fmin(mutate_lists, list_objects * OBJ_LIST_WINDOW) * sizeof(int64_t);
    double lat = foreign * 8 * 3;
    double per_thread = sizeof(struct ithread) + cap * (3 * sizeof(struct op) + sizeof(double));
    double threads_b = threads * (per_thread + 128 * 1024.0);
    double trace = 2 * trace_ops * sizeof(struct op);
    double total = objects + kept + lists + lat + threads_b + trace + 64 * 1024.0 * 1024.0;
    if (parts)
        snprintf(parts, len, "objects %.1f, kept allocations %.1f, list items %.1f, latencies "
                 "%.1f, stacks and batches %.1f, trace %.1f GiB", objects / GIB, kept / GIB,
                 lists / GIB, lat / GIB, threads_b / GIB, trace / GIB);
    return total;
}

double mem_machine(void)
{
    long pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGESIZE);
    return pages > 0 && size > 0 ? (double)pages * (double)size : 0;
}

int mem_check(const struct params *p, const struct wl_trace *tr, char *err, size_t errlen)
{
    char parts[512];
    double need = mem_estimate(p, tr, parts, sizeof parts);
    double limit = p->mem_limit > 0 ? p->mem_limit * GIB : mem_machine();
    if (limit <= 0 || need <= limit)
        return 0;
    char what[128];
    if (p->mem_limit > 0)
        snprintf(what, sizeof what, "the limit --mem_limit=%g GiB", p->mem_limit);
    else
        snprintf(what, sizeof what, "this machine's %.1f GiB", limit / GIB);
    snprintf(err, errlen, "needs about %.1f GiB of memory (%s), more "
             "than %s (allowed: fewer threads, objects or ops, or --mem_limit=GIB above the "
             "estimate)", need / GIB, parts, what);
    return -1;
}
