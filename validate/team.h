/* A team of pinned threads for the measurements of gilsim calibrate and gilsim-native-bench:
 * up to TEAM_MAX threads, pinned round-robin to the CPUs this process may use (or all to the
 * first), released together by a start barrier, sharing one struct of state on separate cache
 * lines. Each member writes its result (ns) to ns[its index]. */
#ifndef GILSIM_VALIDATE_TEAM_H
#define GILSIM_VALIDATE_TEAM_H

#include <pthread.h>
#include <stdatomic.h>

#include "mpsc.h"

#define TEAM_MAX 4

#if defined(__x86_64__) || defined(__i386__)
#define CPU_PAUSE() __builtin_ia32_pause()
#else
#define CPU_PAUSE() atomic_signal_fence(memory_order_seq_cst)
#endif

struct team {
    int n;        /* threads */
    int same_cpu; /* all on the first allowed CPU */
    void (*fn)(struct team *t, int idx);
    atomic_int arrived;
    double ns[TEAM_MAX]; /* each member's result */
    long m;              /* iterations */
    _Alignas(64) atomic_long flag;
    _Alignas(64) atomic_long word;
    _Alignas(64) atomic_long done;
    struct mpsc_queue *q;
    struct mpsc_node *nodes;
    pthread_mutex_t mu;
    pthread_cond_t cv, cv2;
    long turn;
    int asleep;
    double t_signal;
    double *wake, *signal; /* m samples each */
    void *ctx;             /* anything else an experiment needs */
};

/* Starts t->n members running t->fn and waits for them all; exits 1 if a thread cannot start. */
void team_run(struct team *t);
/* CLOCK_MONOTONIC in ns. */
double team_now_ns(void);
/* The CPUs this process may run on (sched_getaffinity), at most `max`; returns how many. */
int team_cpus(int *cpu, int max);

#endif
