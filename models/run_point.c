/* The single-run logic both backends share (see run_point.h): build the run, spawn one thread
 * per interpreter thread, let the backend run them, then the deadlock report, the metrics, the
 * oracle's check and the timeline. A run is deadlocked exactly when some interpreter thread did
 * not reach its end. */
#include "run_point.h"

#include <stdlib.h>

#include "analytic.h"
#include "atomic_file.h"
#include "deadlock.h"
#include "interp.h"
#include "oracle.h"
#include "rt_backend.h"

/* Memory the op streams of a run may take when generated ahead. */
#define RUN_AHEAD_BUDGET ((size_t)1 << 30)

static int fill_timeline(FILE *f, void *arg) { return interp_write_timeline(arg, f); }

int run_point(const struct run_driver *d, const struct params *p, struct metrics *m,
              const char *timeline, FILE *diag, char *err, size_t errlen)
{
    rt_use(d->rt);
    if (d->prepare(p, err, errlen) != 0)
        return -1;
    /* What the run is charged: every cost, or only workload costs where primitives are real.
     * It lives as long as the run, which may outlive this call's frame if it cannot be freed. */
    struct params *charged = malloc(sizeof *charged);
    if (!charged) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    *charged = *p;
    if (d->real_primitives) {
        /* The loop itself spends loop_ns of every bytecode: busy work is the rest. */
        double *op[] = { &charged->op_ns, &charged->op_ns_compute, &charged->op_ns_read,
                         &charged->op_ns_mutate, &charged->op_ns_alloc };
        for (size_t i = 0; i < sizeof op / sizeof op[0]; i++)
            if (*op[i] > 0)
                *op[i] = *op[i] > p->loop_ns ? *op[i] - p->loop_ns : 0;
        params_drop_primitive_costs(charged);
    }

    struct run *r = run_create(charged, err, errlen);
    if (!r) {
        free(charged);
        return -1;
    }
    if (d->real_primitives)
        r->loop_entry_ns = p->loop_entry_ns; /* the loop's own part of each batch entry */
    if (run_init_scheme(r, err, errlen) != 0) {
        run_destroy(r);
        free(charged);
        return -1;
    }
    char why[256];
    if (d->generate_ahead && run_generate_ahead(r, RUN_AHEAD_BUDGET, why, sizeof why) != 0)
        fprintf(diag, "gilsim: note: %s: ops are generated during the run, and timed\n", why);
    r->timeline = timeline != NULL;
    for (uint32_t i = 0; i < r->nthreads; i++) {
        char name[32];
        snprintf(name, sizeof name, "T%u", i);
        r->threads[i].rt = rt_spawn(name, interp_thread_main, &r->threads[i]);
    }
    int left_blocked = d->run_all();

    int dkind;
    unsigned dlen;
    int blocked = deadlock_report(r, diag, &dkind, &dlen);
    double makespan = 0;
    for (uint32_t i = 0; i < r->nthreads; i++)
        if (r->threads[i].end_ns > makespan)
            makespan = r->threads[i].end_ns;
    if (blocked)
        makespan = rt_now();

    struct thread_stats *ts = malloc(r->nthreads * sizeof *ts);
    if (!ts) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    for (uint32_t i = 0; i < r->nthreads; i++)
        ts[i] = r->threads[i].stats;
    stats_merge(ts, r->nthreads, makespan, m);
    free(ts);
    m->deadlock = blocked > 0;
    m->deadlock_kind = dkind;
    m->deadlock_cycle = dlen;
    m->lat_model_s = analytic_latency_ns(p) * 1e-9;
    m->sharing_breakeven = analytic_breakeven_sharing(p);
    char msg[512];
    m->check_ok = oracle_check(r, msg, sizeof msg);
    if (!m->check_ok)
        fprintf(diag, "gilsim: check FAIL: %s\n", msg);
    int rc = timeline ? atomic_file_write(timeline, fill_timeline, r, err, errlen) : 0;
    if (left_blocked)
        return rc; /* threads are still blocked on the run's mutexes: the process ends soon */
    run_destroy(r);
    free(charged);
    d->cleanup();
    return rc;
}
