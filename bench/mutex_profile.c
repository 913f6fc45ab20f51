/* An LD_PRELOAD library that times every pthread_mutex_lock and pthread_cond_signal of a native
 * run (TSC reads, ~10 ns each, so it slows the run a little and can shift its interleaving):
 * how many locks found the mutex taken long enough to sleep in the kernel (> 2 us), and how long
 * they waited. Prints one line at exit. Used by bench/mutex_profile.sh (docs/validation.md,
 * gil-ticks): the simulator's mutexes are never contended, since a critical section takes no
 * simulated time. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <time.h>
#include <x86intrin.h>

static unsigned long long nlock, tlock, nslow, tslow, nsig, tsig;
static double ns_per_tick;
static unsigned long long slow_ticks;

__attribute__((constructor)) static void calibrate_tsc(void)
{
    struct timespec a, b, d = { 0, 20 * 1000 * 1000 };
    clock_gettime(CLOCK_MONOTONIC, &a);
    unsigned long long t0 = __rdtsc();
    nanosleep(&d, NULL);
    unsigned long long t1 = __rdtsc();
    clock_gettime(CLOCK_MONOTONIC, &b);
    double ns = (b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec);
    ns_per_tick = ns / (double)(t1 - t0);
    slow_ticks = (unsigned long long)(2000 / ns_per_tick);
}

static void add(unsigned long long *n, unsigned long long *t, unsigned long long d)
{
    __atomic_fetch_add(n, 1, __ATOMIC_RELAXED);
    __atomic_fetch_add(t, d, __ATOMIC_RELAXED);
}

int pthread_mutex_lock(pthread_mutex_t *m)
{
    static int (*real)(pthread_mutex_t *);
    if (!real)
        real = (int (*)(pthread_mutex_t *))dlsym(RTLD_NEXT, "pthread_mutex_lock");
    unsigned long long a = __rdtsc();
    int r = real(m);
    unsigned long long d = __rdtsc() - a;
    if (!slow_ticks) /* before the constructor ran (libraries starting up): not counted */
        return r;
    add(&nlock, &tlock, d);
    if (d > slow_ticks)
        add(&nslow, &tslow, d);
    return r;
}

int pthread_cond_signal(pthread_cond_t *c)
{
    static int (*real)(pthread_cond_t *);
    if (!real)
        real = (int (*)(pthread_cond_t *))dlvsym(RTLD_NEXT, "pthread_cond_signal", "GLIBC_2.3.2");
    unsigned long long a = __rdtsc();
    int r = real(c);
    if (slow_ticks)
        add(&nsig, &tsig, __rdtsc() - a);
    return r;
}

__attribute__((destructor)) static void report(void)
{
    fprintf(stderr,
            "mutex_profile: %llu locks, mean %.0f ns; %llu slept (> 2 us), %.2f ms in all; "
            "%llu cond signals, mean %.0f ns\n",
            nlock, nlock ? tlock * ns_per_tick / nlock : 0.0, nslow, tslow * ns_per_tick / 1e6,
            nsig, nsig ? tsig * ns_per_tick / nsig : 0.0);
}
