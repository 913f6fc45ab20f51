/* Unit tests for the wake order of models/schemes/gil_lock.c (gil_cv_take): `fifo` always wakes
 * the longest waiter; `glibc` wakes the oldest waiter of group G1 unless the newest G1 waiter
 * is still entering its wait and the draw is under cv_steal, keeps later waiters (G2) out
 * until G1 is used up, and lets a timed-out waiter leave its group. (tests/cli/os_model.sh
 * checks the order in gil-interval runs: rows repeat exactly, and glibc's differ from fifo's.) */
#include "gil_lock.h"
#include "rt_backend.h"
#include "testlib.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static struct params P;

static void cv_with(struct gil_cv *cv, const char *order, double steal, double entry_ns)
{
    params_defaults(&P);
    char err[256];
    if (param_set(&P, "wake_order", order, err, sizeof err) != 0)
        abort();
    P.cv_steal = steal;
    P.cv_entry_ns = entry_ns;
    gil_cv_init(cv, &P, 0);
}

/* cv_with, then w[0..2] begin waiting at t0, t1, t2. */
static void three_waiting(struct gil_cv *cv, struct gil_thread *w, const char *order,
                          double steal, double entry_ns, double t0, double t1, double t2)
{
    cv_with(cv, order, steal, entry_ns);
    gil_cv_enter(cv, &w[0], t0);
    gil_cv_enter(cv, &w[1], t1);
    gil_cv_enter(cv, &w[2], t2);
}

/* Signals with draw u at `now`: the index of the woken waiter in w[], taken out of the cv. */
static int signal_at(struct gil_cv *cv, struct gil_thread *w, double now, double u)
{
    struct gil_thread *x = gil_cv_take(cv, now, u);
    return x ? (int)(x - w) : -1;
}

static void test_fifo_wakes_longest(void)
{
    struct gil_cv cv;
    struct gil_thread w[3] = { 0 };
    three_waiting(&cv, w, "fifo", 1.0, 1e9, 0, 1000, 2000); /* steal cannot matter */
    CHECK_EQ_INT(signal_at(&cv, w, 2000, 0.0), 0);
    CHECK_EQ_INT(signal_at(&cv, w, 2000, 0.0), 1);
    CHECK_EQ_INT(signal_at(&cv, w, 2000, 0.0), 2);
    CHECK_EQ_INT(signal_at(&cv, w, 2000, 0.0), -1);
}

/* Three waiters; the third began waiting 1 us before the signal (the request race). */
static void test_glibc_newest_steals_when_entering(void)
{
    struct gil_cv cv;
    struct gil_thread w[3] = { 0 };
    three_waiting(&cv, w, "glibc", 0.46, 5000, 0, 1e6, 5e6);
    CHECK_EQ_INT(signal_at(&cv, w, 5e6 + 1000, 0.45), 2); /* under cv_steal: the entering one */
    CHECK_EQ_INT(signal_at(&cv, w, 9e6, 0.0), 0); /* then the others, oldest first */
    CHECK_EQ_INT(signal_at(&cv, w, 9e6, 0.0), 1);
    three_waiting(&cv, w, "glibc", 0.46, 5000, 0, 1e6, 5e6);
    CHECK_EQ_INT(signal_at(&cv, w, 5e6 + 1000, 0.47), 0); /* else the kernel's oldest */
    three_waiting(&cv, w, "glibc", 0.46, 5000, 0, 1e6, 5e6);
    CHECK_EQ_INT(signal_at(&cv, w, 5e6 + 6000, 0.0), 0); /* asleep by then: oldest */
}

/* G1 formed at the first signal; a waiter arriving later (G2) is not woken before G1 is done,
 * even while entering its wait; a timed-out G1 waiter leaves G1. */
static void test_glibc_groups(void)
{
    struct gil_cv cv;
    struct gil_thread w[4] = { 0 };
    three_waiting(&cv, w, "glibc", 1.0, 1000, 0, 100, 200);
    /* switch: G1 = {0, 1, 2}; w[2] entered 1 us ago, within the window, and steals (u < 1) */
    CHECK_EQ_INT(signal_at(&cv, w, 1200, 0.5), 2);
    gil_cv_enter(&cv, &w[3], 1300); /* G2 */
    /* G1 still holds 0 and 1: w[3] is entering but not in G1; G1's newest (1) is asleep
     * (1.3 us > the window) */
    CHECK_EQ_INT(signal_at(&cv, w, 1400, 0.0), 0);
    gil_cv_leave(&cv, &w[1]); /* w[1] times out: G1 is used up */
    /* the next signal switches groups: G1 = {3}, entering, the only member */
    CHECK_EQ_INT(signal_at(&cv, w, 1500, 0.0), 3);
    CHECK_EQ_INT(signal_at(&cv, w, 1600, 0.0), -1);
}

/* The draw decides, so over many signals both outcomes occur; the same draws give the same
 * choices (a pure function of the cv's state, the time and the draw). */
static void test_glibc_not_fifo_by_construction(void)
{
    int newest = 0, oldest = 0;
    for (int i = 0; i < 100; i++) {
        struct gil_cv cv;
        struct gil_thread w[3] = { 0 };
        three_waiting(&cv, w, "glibc", 0.46, 5000, 0, 10, 20);
        int k = signal_at(&cv, w, 30, (i + 0.5) / 100.0);
        newest += k == 2;
        oldest += k == 0;
        CHECK(k == 0 || k == 2); /* the middle waiter is neither the oldest nor entering last */
    }
    CHECK_EQ_INT(newest, 46);
    CHECK_EQ_INT(oldest, 54);
}

/* A backend that records the order of the lock's calls (no threads: one caller). */
static char calls[256];
static void rec(const char *what)
{
    size_t n = strlen(calls);
    snprintf(calls + n, sizeof calls - n, "%s%s", n ? " " : "", what);
}
static double rec_now(void) { return 0; }
static void rec_execute(double ns) { rec(ns > 1000 ? "pay-signal" : "pay"); }
static struct rt_mutex *rec_mutex_new(void) { return (struct rt_mutex *)calls; }
static void rec_mutex_free(struct rt_mutex *m) { (void)m; }
static void rec_lock(struct rt_mutex *m) { (void)m; rec("lock"); }
static void rec_unlock(struct rt_mutex *m) { (void)m; rec("unlock"); }
static void rec_signal(struct rt_cond *c) { (void)c; rec("signal"); }
static const struct rt_backend recorder = {
    .name = "recorder",
    .now = rec_now,
    .execute = rec_execute,
    .mutex_new = rec_mutex_new,
    .mutex_free = rec_mutex_free,
    .mutex_lock = rec_lock,
    .mutex_unlock = rec_unlock,
    .cond_signal = rec_signal,
};

/* The calls of one release with a sleeping waiter, the signal under the mutex or after it. */
static const char *release_calls(int signal_unlocked)
{
    params_defaults(&P);
    P.signal_ns = 15000;
    struct run r = { .p = &P };
    struct ithread t = { .run = &r };
    struct gil_lock l;
    struct gil_thread w = { 0 };
    rt_use(&recorder);
    CHECK_EQ_INT(gil_lock_init(&l, 1, &P, 0), 0);
    l.signal_unlocked = signal_unlocked;
    gil_cv_enter(&l.cv, &w, 0);
    l.waiters = 1;
    calls[0] = 0;
    CHECK_EQ_INT(gil_lock_release(&t, &l), 1);
    CHECK_EQ_INT(w.woken, 1);
    CHECK_EQ_INT(l.locked, 0);
    gil_lock_fini(&l);
    return calls;
}

/* CPython 3's drop_gil signals under the mutex; Python 2.7's lock (sem_post, or cond_signal
 * after pthread_mutex_unlock) and PyPy's mutex2_unlock after it. Either way the simulator
 * charges the futex wake after the unlock (the GIL is free meanwhile). */
static void test_release_signals_where_the_real_code_does(void)
{
    CHECK(strcmp(release_calls(0), "lock signal unlock pay-signal") == 0);
    CHECK(strcmp(release_calls(1), "lock unlock signal pay-signal") == 0);
}

static const struct test_case cases[] = {
    { "release_signals_where_the_real_code_does", test_release_signals_where_the_real_code_does },
    { "fifo_wakes_longest", test_fifo_wakes_longest },
    { "glibc_newest_steals_when_entering", test_glibc_newest_steals_when_entering },
    { "glibc_groups", test_glibc_groups },
    { "glibc_not_fifo_by_construction", test_glibc_not_fifo_by_construction },
    { NULL, NULL },
};

int main(int argc, char **argv) { return test_main(cases, argc, argv); }
