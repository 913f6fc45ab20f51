/* Per-thread counters and delegated-op latencies, and their merge into one run's metrics.
 * Each thread writes only its own thread_stats; merging happens after all threads ended. */
#ifndef GILSIM_MODELS_STATS_H
#define GILSIM_MODELS_STATS_H

#include <stddef.h>
#include <stdint.h>

struct thread_stats {
    uint64_t ops;          /* opcodes completed */
    uint64_t delegations;  /* ops this thread handed to another thread */
    uint64_t served;       /* delegated ops this thread executed for others */
    uint64_t drains;       /* drain passes that executed at least one op */
    uint64_t takeovers;    /* objects taken over from an exited owner */
    uint64_t migrations;   /* objects whose ownership moved to a requester (V4) */
    uint64_t borrows;      /* ops run by a requester on a detached owner's object (V2) */
    uint64_t switches;     /* times this thread took a global lock another thread held last */
    uint64_t futile_wakeups; /* wake-ups that found the lock taken again and slept anew */
    uint64_t handoffs;     /* locks handed directly to a waiter at unlock (fairness) */
    uint64_t parks;        /* times this thread parked (blocked) waiting for a lock */
    uint64_t atomicity_breaks; /* ops served on an object an own unfinished op is in the
                                  middle of (V1) */
    uint64_t rc_merges;    /* queued refcount merges this thread ran as owner (free-threading) */
    double lock_wait_ns;   /* time in TS_GIL_WAIT: waiting for a GIL or an object lock */
    uint64_t queue_max;    /* deepest queue seen when pushing */
    double wait_ns;        /* time spent waiting on delegated ops */
    uint64_t ios;          /* blocking I/O ops completed */
    double io_wait_ns;     /* sum over I/Os: from the I/O's end until the thread ran again */
    double life_ns;        /* thread start to end; 0 if it did not end */
    double *lat;           /* latency of each delegated op, ns */
    size_t nlat, caplat;
};

void stats_add_latency(struct thread_stats *s, double ns);
void stats_free(struct thread_stats *s);

/* The metrics of one run (see docs/columns.md). */
struct metrics {
    double makespan_s, throughput;
    uint64_t ops, delegations, served, drains, takeovers, migrations, borrows, queue_max;
    uint64_t switches, futile_wakeups, handoffs, parks, atomicity_breaks, rc_merges;
    double lock_wait_share;
    double lat_mean_s, lat_p50_s, lat_p99_s, lat_max_s;
    uint64_t lat_samples;    /* delegated ops that waited: the latencies above are theirs */
    double wait_share;
    uint64_t ios;
    double io_wait_mean_s, io_rate;
    double lat_model_s, sharing_breakeven; /* first-order predictions (analytic.h) */
    int deadlock;
    int deadlock_kind;       /* enum deadlock_kind (deadlock.h) */
    uint64_t deadlock_cycle; /* threads in the cycle or path of that kind; 0 without */
    int check_ok;
};

/* Sums thread stats into m (latency quantiles with GSL); makespan_ns and nthreads give the
 * throughput and the waiting share. Sorts each thread's latencies in place. */
void stats_merge(const struct thread_stats *ts, size_t nthreads, double makespan_ns,
                 struct metrics *m);

#endif
