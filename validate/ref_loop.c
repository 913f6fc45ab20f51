/* The reference loop (see ref_loop.h). The iteration count is fixed once per process (from a
 * first timing), so that every reference of a validation times the same work. */
#define _GNU_SOURCE
#include "ref_loop.h"

#include "team.h"

#include <math.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

struct ref_thread {
    pthread_t th;
    int cpu;
    uint64_t iters;
    atomic_int *arrived;
    int n;
    double ns;
    _Alignas(64) uint64_t sink;
};

static uint64_t spin(uint64_t n, uint64_t x)
{
    for (uint64_t i = 0; i < n; i++) {
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        __asm__ __volatile__("" : "+r"(x));
    }
    return x;
}

static void *ref_main(void *arg)
{
    struct ref_thread *r = arg;
    atomic_fetch_add(r->arrived, 1);
    while (atomic_load(r->arrived) < r->n) /* start together: all CPUs busy at once */
        sched_yield();
    double t0 = team_now_ns();
    r->sink = spin(r->iters, (uint64_t)r->cpu + 1);
    r->ns = team_now_ns() - t0;
    return NULL;
}

double ref_loop_ns(int busy, double ms)
{
    static uint64_t iters;
    if (!iters) { /* the fastest of three short timings, scaled to ms */
        double best = 1e300;
        uint64_t x = 1;
        for (int k = 0; k < 3; k++) {
            double t0 = team_now_ns();
            x = spin(100000, x);
            double dt = team_now_ns() - t0;
            best = dt < best ? dt : best;
        }
        volatile uint64_t keep = x;
        (void)keep;
        iters = (uint64_t)fmax(1e4, ms * 1e6 / (best / 1e5));
    }
    if (busy < 1)
        busy = 1;
    int *cpu = malloc(CPU_SETSIZE * sizeof *cpu);
    struct ref_thread *r = calloc((size_t)busy, sizeof *r);
    atomic_int arrived = 0;
    double sum = 0;
    int ncpu = cpu ? team_cpus(cpu, CPU_SETSIZE) : 0, started = 0;
    for (int i = 0; r && ncpu && i < busy; i++) {
        r[i] = (struct ref_thread){ .cpu = cpu[i % ncpu], .iters = iters, .arrived = &arrived,
                                    .n = busy };
        pthread_attr_t attr;
        pthread_attr_init(&attr);
        cpu_set_t set;
        CPU_ZERO(&set);
        CPU_SET(r[i].cpu, &set);
        pthread_attr_setaffinity_np(&attr, sizeof set, &set);
        int rc = pthread_create(&r[i].th, &attr, ref_main, &r[i]);
        pthread_attr_destroy(&attr);
        if (rc != 0) {
            atomic_store(&arrived, busy); /* release the ones started */
            break;
        }
        started++;
    }
    for (int i = 0; i < started; i++) {
        pthread_join(r[i].th, NULL);
        sum += r[i].ns;
    }
    double ns = started == busy ? sum / busy / (double)iters : NAN;
    free(cpu);
    free(r);
    return ns;
}
