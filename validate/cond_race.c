/* The condvar wake-order experiments (see cond_race.h). Each round starts its own threads and
 * ends them (a broadcast after the round), so rounds are independent. */
#define _GNU_SOURCE
#include "cond_race.h"

#include <pthread.h>
#include <stdatomic.h>
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

static void cv_init_monotonic(void)
{
    pthread_condattr_t a;
    pthread_condattr_init(&a);
    pthread_condattr_setclock(&a, CLOCK_MONOTONIC);
    pthread_cond_init(&cv, &a);
    pthread_condattr_destroy(&a);
}

int cond_order_longest(int rounds)
{
    cv_init_monotonic();
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
    pthread_cond_destroy(&cv);
    return longest;
}

double cond_race_steal(int rounds)
{
    cv_init_monotonic();
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
    pthread_cond_destroy(&cv);
    return (double)stolen / rounds;
}
