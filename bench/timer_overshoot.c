/* Measures this machine's sleep and timer behaviour, the real numbers behind the SimGrid
 * backend's timer_slack_ns and wake-up defaults (docs/design.md, "Timers"): the overshoot of a
 * 100 us clock_nanosleep and of a 100 us pthread_cond_timedwait that times out, and the latency
 * from pthread_cond_signal until the signalled thread runs. Not a test: prints one table.
 * Usage: timer_overshoot [SAMPLES] [WAKE_FILE] (WAKE_FILE: the wake latencies, ns, one a line,
 * in the format of the wake_samples parameter). */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <time.h>

static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void summary(const char *what, double *v, int n)
{
    qsort(v, n, sizeof *v, cmp);
    double sum = 0;
    for (int i = 0; i < n; i++)
        sum += v[i];
    printf("| %s | %d | %.1f | %.1f | %.1f | %.1f | %.1f |\n", what, n, sum / n / 1e3,
           v[n / 10] / 1e3, v[n / 2] / 1e3, v[n * 9 / 10] / 1e3, v[n * 99 / 100] / 1e3);
}

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int turn; /* 0: waiter's turn to wait, 1: signalled */
static double signalled_at;

static void *waiter(void *arg)
{
    double *lat = arg;
    int n = (int)lat[0];
    for (int i = 0; i < n; i++) {
        pthread_mutex_lock(&mu);
        while (!turn)
            pthread_cond_wait(&cv, &mu);
        lat[i] = now_ns() - signalled_at;
        turn = 0;
        pthread_mutex_unlock(&mu);
    }
    return NULL;
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 1000;
    if (n < 10) {
        fprintf(stderr, "timer_overshoot: SAMPLES must be >= 10\n");
        return 2;
    }
    double *v = malloc(n * sizeof *v);
    if (!v)
        return 1;
    printf("timer slack of this thread: %d ns\n\n", prctl(PR_GET_TIMERSLACK));
    printf("| what (us) | samples | mean | p10 | p50 | p90 | p99 |\n|---|---|---|---|---|---|---|\n");

    for (int i = 0; i < n; i++) {
        struct timespec d = { 0, 100000 };
        double t0 = now_ns();
        clock_nanosleep(CLOCK_MONOTONIC, 0, &d, NULL);
        v[i] = now_ns() - t0 - 100000;
    }
    summary("overshoot of a 100 us nanosleep", v, n);

    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_t tcv;
    pthread_cond_init(&tcv, &ca);
    for (int i = 0; i < n; i++) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        double t0 = ts.tv_sec * 1e9 + ts.tv_nsec;
        ts.tv_nsec += 100000;
        if (ts.tv_nsec >= 1000000000) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000;
        }
        pthread_mutex_lock(&mu);
        pthread_cond_timedwait(&tcv, &mu, &ts);
        pthread_mutex_unlock(&mu);
        v[i] = now_ns() - t0 - 100000;
    }
    summary("overshoot of a 100 us pthread_cond_timedwait", v, n);

    double *lat = malloc(n * sizeof *lat);
    if (!lat)
        return 1;
    lat[0] = n;
    pthread_t th;
    pthread_create(&th, NULL, waiter, lat);
    for (int i = 0; i < n; i++) {
        struct timespec d = { 0, 200000 }; /* let the waiter go to sleep */
        nanosleep(&d, NULL);
        pthread_mutex_lock(&mu);
        turn = 1;
        signalled_at = now_ns();
        pthread_cond_signal(&cv);
        pthread_mutex_unlock(&mu);
        for (;;) { /* wait until it has run */
            pthread_mutex_lock(&mu);
            int t = turn;
            pthread_mutex_unlock(&mu);
            if (!t)
                break;
            nanosleep(&(struct timespec){ 0, 20000 }, NULL);
        }
    }
    pthread_join(th, NULL);
    if (argc > 2) {
        FILE *f = fopen(argv[2], "wx");
        if (!f) {
            fprintf(stderr, "timer_overshoot: cannot create %s (it must not exist)\n", argv[2]);
            return 2;
        }
        fprintf(f, "# condvar signal -> signalled thread runs, ns (bench/timer_overshoot)\n");
        for (int i = 0; i < n; i++)
            fprintf(f, "%.0f\n", lat[i]);
        fclose(f);
    }
    summary("condvar signal until the waiter runs", lat, n);
    free(lat);
    free(v);
    return 0;
}
