/* Measures which waiter a pthread_cond_signal wakes on this machine (glibc + Linux futexes), the
 * real numbers behind gilsim's wake_order=glibc and cv_steal (docs/design.md, "Wake order").
 * Not a test: prints two lines.
 *  1. Sleeping waiters: three threads begin timed waits 1 ms apart, one signal: how often the
 *     longest waiter takes it (glibc's G1 plus the kernel's FIFO futex queue: always).
 *  2. The GIL's request race (CPython take_gil/drop_gil): an old waiter sleeps; a second
 *     waiter's timed wait times out, it sets a request flag under the mutex and waits again; a
 *     holder spinning on the flag locks the mutex, hands over a token and signals. How often the
 *     requester, still entering its new wait, takes the token from the old waiter (cv_steal).
 * Usage: cond_order [ROUNDS] (default 200 per experiment; run under chrt -r 10 for the figures
 * docs/design.md gives). */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv;
static int token, winner, done;
static atomic_int request;

struct waiter {
    int id;
    long timeout_us; /* each timed wait's length */
    int requests;    /* 1: on a timeout, set `request` (as take_gil sets the drop request) */
};

static void deadline(struct timespec *ts, long us)
{
    clock_gettime(CLOCK_MONOTONIC, ts);
    long ns = ts->tv_nsec + us * 1000L;
    ts->tv_sec += ns / 1000000000L;
    ts->tv_nsec = ns % 1000000000L;
}

static void *wait_for_token(void *arg)
{
    const struct waiter *w = arg;
    pthread_mutex_lock(&mu);
    while (!token && !done) {
        struct timespec ts;
        deadline(&ts, w->timeout_us);
        if (pthread_cond_timedwait(&cv, &mu, &ts) != 0 && w->requests && !token)
            atomic_store(&request, 1);
    }
    if (token) {
        token = 0;
        winner = w->id;
    }
    pthread_mutex_unlock(&mu);
    return NULL;
}

static void give_token(void)
{
    pthread_mutex_lock(&mu);
    token = 1;
    pthread_cond_signal(&cv);
    pthread_mutex_unlock(&mu);
}

static void *holder(void *arg)
{
    (void)arg;
    while (!atomic_load(&request))
        ; /* the eval loop's breaker check */
    give_token();
    return NULL;
}

/* Ends a round: wakes whoever still waits, joins the n threads. */
static void finish(pthread_t *t, int n)
{
    usleep(3000);
    pthread_mutex_lock(&mu);
    done = 1;
    pthread_cond_broadcast(&cv);
    pthread_mutex_unlock(&mu);
    for (int i = 0; i < n; i++)
        pthread_join(t[i], NULL);
}

static void reset(void)
{
    token = 0;
    winner = -1;
    done = 0;
    atomic_store(&request, 0);
}

int main(int argc, char **argv)
{
    int rounds = argc > 1 ? atoi(argv[1]) : 200;
    if (rounds < 1 || rounds > 100000) {
        fprintf(stderr, "cond_order: ROUNDS must be 1..100000\n");
        return 2;
    }
    pthread_condattr_t a;
    pthread_condattr_init(&a);
    pthread_condattr_setclock(&a, CLOCK_MONOTONIC);
    pthread_cond_init(&cv, &a);

    int longest = 0;
    for (int r = 0; r < rounds; r++) {
        pthread_t t[3];
        struct waiter w[3];
        reset();
        for (int i = 0; i < 3; i++) {
            w[i] = (struct waiter){ i, 2000000, 0 };
            pthread_create(&t[i], NULL, wait_for_token, &w[i]);
            usleep(1000);
        }
        usleep(2000);
        give_token();
        finish(t, 3);
        longest += winner == 0;
    }
    printf("sleeping waiters: the longest of 3 took the signal %d of %d times\n", longest,
           rounds);

    int stolen = 0;
    for (int r = 0; r < rounds; r++) {
        pthread_t t[3];
        struct waiter old = { 0, 2000000, 0 }, req = { 1, 3000, 1 };
        reset();
        pthread_create(&t[0], NULL, wait_for_token, &old);
        usleep(500);
        pthread_create(&t[1], NULL, wait_for_token, &req);
        pthread_create(&t[2], NULL, holder, NULL);
        pthread_join(t[2], NULL); /* it has handed the token over */
        finish(t, 2);
        stolen += winner == 1;
    }
    printf("request race: the requester took the signal from the older waiter %d of %d times "
           "(cv_steal %.2f)\n", stolen, rounds, (double)stolen / rounds);
    return 0;
}
