/* Pinned thread teams (see team.h). Invariant: no member starts its work before every member
 * is running (the barrier yields while waiting: the machine may be shared). */
#define _GNU_SOURCE
#include "team.h"

#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

struct member {
    struct team *t;
    int idx;
};

double team_now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

int team_cpus(int *cpu, int max)
{
    cpu_set_t set;
    int n = 0;
    if (sched_getaffinity(0, sizeof set, &set) == 0)
        for (int c = 0; c < CPU_SETSIZE && n < max; c++)
            if (CPU_ISSET(c, &set))
                cpu[n++] = c;
    if (n == 0)
        cpu[n++] = 0;
    return n;
}

static void *member_main(void *arg)
{
    struct member *mb = arg;
    atomic_fetch_add(&mb->t->arrived, 1);
    while (atomic_load(&mb->t->arrived) < mb->t->n)
        sched_yield();
    mb->t->fn(mb->t, mb->idx);
    return NULL;
}

void team_run(struct team *t)
{
    int cpu[TEAM_MAX], ncpu = team_cpus(cpu, TEAM_MAX);
    pthread_t th[TEAM_MAX];
    struct member mb[TEAM_MAX];
    atomic_store(&t->arrived, 0);
    for (int i = 0; i < t->n; i++) {
        pthread_attr_t attr;
        pthread_attr_init(&attr);
        cpu_set_t set;
        CPU_ZERO(&set);
        CPU_SET(cpu[t->same_cpu ? 0 : i % ncpu], &set);
        pthread_attr_setaffinity_np(&attr, sizeof set, &set);
        mb[i] = (struct member){ t, i };
        if (pthread_create(&th[i], &attr, member_main, &mb[i]) != 0) {
            fprintf(stderr, "gilsim: cannot start a measuring thread\n");
            exit(1);
        }
        pthread_attr_destroy(&attr);
    }
    for (int i = 0; i < t->n; i++)
        pthread_join(th[i], NULL);
}
