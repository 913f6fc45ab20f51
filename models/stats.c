/* Per-thread statistics and their merge into run metrics (see stats.h). Quantiles come from
 * GSL on the sorted union of all threads' latencies. */
#include "stats.h"

#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void stats_add_latency(struct thread_stats *s, double ns)
{
    if (s->nlat == s->caplat) {
        size_t cap = s->caplat ? 2 * s->caplat : 256;
        double *lat = realloc(s->lat, cap * sizeof *lat);
        if (!lat) {
            fprintf(stderr, "gilsim: out of memory recording latencies\n");
            abort();
        }
        s->lat = lat;
        s->caplat = cap;
    }
    s->lat[s->nlat++] = ns;
}

void stats_free(struct thread_stats *s)
{
    free(s->lat);
    memset(s, 0, sizeof *s);
}

void stats_merge(const struct thread_stats *ts, size_t nthreads, double makespan_ns,
                 struct metrics *m)
{
    memset(m, 0, sizeof *m);
    size_t nlat = 0;
    double wait_ns = 0, lock_wait_ns = 0, io_wait_ns = 0, io_life_ns = 0;
    uint64_t io_ended = 0; /* I/Os of the threads that ended */
    for (size_t i = 0; i < nthreads; i++) {
        m->ops += ts[i].ops;
        m->delegations += ts[i].delegations;
        m->served += ts[i].served;
        m->drains += ts[i].drains;
        m->takeovers += ts[i].takeovers;
        m->migrations += ts[i].migrations;
        m->borrows += ts[i].borrows;
        m->switches += ts[i].switches;
        m->futile_wakeups += ts[i].futile_wakeups;
        m->handoffs += ts[i].handoffs;
        m->parks += ts[i].parks;
        m->atomicity_breaks += ts[i].atomicity_breaks;
        m->rc_merges += ts[i].rc_merges;
        lock_wait_ns += ts[i].lock_wait_ns;
        if (ts[i].queue_max > m->queue_max)
            m->queue_max = ts[i].queue_max;
        wait_ns += ts[i].wait_ns;
        nlat += ts[i].nlat;
        m->ios += ts[i].ios;
        io_wait_ns += ts[i].io_wait_ns;
        if (ts[i].ios && ts[i].life_ns > 0) {
            io_ended += ts[i].ios;
            io_life_ns += ts[i].life_ns;
        }
    }
    m->io_wait_mean_s = m->ios ? io_wait_ns / (double)m->ios * 1e-9 : 0;
    m->io_rate = io_life_ns > 0 ? (double)io_ended / (io_life_ns * 1e-9) : 0;
    m->makespan_s = makespan_ns * 1e-9;
    m->throughput = makespan_ns > 0 ? (double)m->ops / m->makespan_s : 0;
    m->wait_share = makespan_ns > 0 ? wait_ns / (makespan_ns * (double)nthreads) : 0;
    m->lock_wait_share = makespan_ns > 0 ? lock_wait_ns / (makespan_ns * (double)nthreads) : 0;
    m->lat_samples = nlat;
    if (nlat == 0)
        return;
    double *all = malloc(nlat * sizeof *all);
    if (!all) {
        fprintf(stderr, "gilsim: out of memory merging latencies\n");
        abort();
    }
    size_t k = 0;
    for (size_t i = 0; i < nthreads; i++) {
        if (ts[i].nlat)
            memcpy(all + k, ts[i].lat, ts[i].nlat * sizeof *all);
        k += ts[i].nlat;
    }
    gsl_sort(all, 1, nlat);
    m->lat_mean_s = gsl_stats_mean(all, 1, nlat) * 1e-9;
    m->lat_p50_s = gsl_stats_quantile_from_sorted_data(all, 1, nlat, 0.5) * 1e-9;
    m->lat_p99_s = gsl_stats_quantile_from_sorted_data(all, 1, nlat, 0.99) * 1e-9;
    m->lat_max_s = all[nlat - 1] * 1e-9;
    free(all);
}
