/* Deadlock report (see deadlock.h). Every thread waits on at most one owner, so the wait-for
 * graph has out-degree <= 1: following edges from a blocked thread ends in a cycle, at an
 * exited thread, or at a thread blocked for another reason. */
#include "deadlock.h"

#include <stdlib.h>

#include "interp.h"

static int64_t edge(struct run *r, uint32_t i) { return atomic_load(&r->threads[i].waits_on); }
static int exited(struct run *r, uint32_t i) { return atomic_load(&r->threads[i].state) == TS_EXITED; }

/* Prints the path from `from` up to (not including) `stop`, as "T1 -> T2 -> ". */
static void print_path(struct run *r, FILE *out, uint32_t from, int64_t stop)
{
    for (int64_t k = from; k != stop; k = edge(r, (uint32_t)k))
        fprintf(out, "T%lld -> ", (long long)k);
}

/* Threads on the path from `from` up to (not including) `stop`. */
static unsigned path_len(struct run *r, uint32_t from, int64_t stop)
{
    unsigned n = 0;
    for (int64_t k = from; k != stop; k = edge(r, (uint32_t)k))
        n++;
    return n;
}

int deadlock_report(struct run *r, FILE *out, int *kind, unsigned *len)
{
    int blocked = 0, first = DK_NONE;
    unsigned first_len = 0;
    /* mark: 0 unseen, 1 on the current walk, 2 done */
    unsigned char *mark = calloc(r->nthreads, 1);
    if (!mark)
        return -1;
    for (uint32_t i = 0; i < r->nthreads; i++)
        blocked += !exited(r, i);
    for (uint32_t i = 0; i < r->nthreads; i++) {
        if (exited(r, i) || mark[i])
            continue;
        int64_t k = i;
        while (k >= 0 && !exited(r, (uint32_t)k) && !mark[k]) {
            mark[k] = 1;
            k = edge(r, (uint32_t)k);
        }
        if (k >= 0 && mark[k] == 1) {
            fprintf(out, "gilsim: deadlock: wait-for cycle: T%lld -> ", (long long)k);
            print_path(r, out, (uint32_t)edge(r, (uint32_t)k), k);
            fprintf(out, "T%lld\n", (long long)k);
            if (first == DK_NONE) {
                first_len = 1 + path_len(r, (uint32_t)edge(r, (uint32_t)k), k);
                first = first_len <= 2 ? DK_MUTUAL : DK_CHAIN;
            }
        } else if (k >= 0 && exited(r, (uint32_t)k)) {
            fprintf(out, "gilsim: deadlock: ");
            print_path(r, out, i, k);
            fprintf(out, "T%lld (exited: nobody drains its queue)\n", (long long)k);
            if (first == DK_NONE) {
                first = DK_EXITED;
                first_len = path_len(r, i, k) + 1;
            }
        } else if (k < 0) {
            fprintf(out, "gilsim: deadlock: ");
            print_path(r, out, i, -1);
            fprintf(out, "(blocked, not waiting on an owner)\n");
            if (first == DK_NONE) {
                first = DK_BLOCKED;
                first_len = path_len(r, i, -1);
            }
        }
        for (int64_t j = i; j >= 0 && mark[j] == 1; j = edge(r, (uint32_t)j))
            mark[j] = 2;
    }
    free(mark);
    if (kind)
        *kind = first;
    if (len)
        *len = first_len;
    return blocked;
}
