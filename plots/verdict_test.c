/* Tests of the verdict's sentences: the same kind of numbers with one conclusion flipped give
 * the other sentence, and the numbers and intervals the sentence quotes are the ones given. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "repstats.h"
#include "testlib.h"
#include "verdict.h"

static char buf[8192];

static void test_wilson(void)
{
    double lo, hi;
    repstats_wilson(0, 20, &lo, &hi);
    CHECK(lo == 0 && fabs(hi - 0.1611) < 1e-4); /* 0 of 20: [0, 16.1%] */
    repstats_wilson(10, 20, &lo, &hi);
    CHECK(fabs(lo - 0.2993) < 1e-4 && fabs(hi - 0.7007) < 1e-4);
    repstats_wilson(5, 5, &lo, &hi);
    CHECK(hi == 1 && fabs(lo - 0.5655) < 1e-4);
}

static void test_deadlock_flips(void)
{
    struct vd_share naive[] = { { "delegate-naive", 0, 2, 0, 5 },
                                { "delegate-naive", 0.01, 2, 3, 5 },
                                { "delegate-naive", 0.05, 2, 5, 5 } };
    struct vd_share fixed[] = { { "delegate", NAN, 0, 0, 15 } };
    struct vd_deadlock d = { naive, 3, { 6, 1, 1, 0 }, "EXAMPLE", fixed, 1 };
    verdict_deadlock(&d, buf, sizeof buf);
    CHECK(strstr(buf, "delegate-naive deadlocked in 8 of 15 runs"));
    CHECK(strstr(buf, "from sharing 0.01 on"));
    CHECK(strstr(buf, "6 mutual (two threads), 1 chain (three or more), 1 exited owner"));
    CHECK(strstr(buf, "e.g. EXAMPLE"));
    CHECK(strstr(buf, "delegate: 0 of 15 runs (0%, 95% interval 0-20.4%) deadlocked."));
    fixed[0].k = 2; /* the fixed variant deadlocks: the sentence says so */
    verdict_deadlock(&d, buf, sizeof buf);
    CHECK(strstr(buf, "delegate: 2 of 15 runs (13.3%"));
    naive[1].k = naive[2].k = 0; /* the naive one never does */
    verdict_deadlock(&d, buf, sizeof buf);
    CHECK(strstr(buf, "The naive scheme never deadlocked: 0 of 15 runs"));
}

static void test_n_flips(void)
{
    struct vd_n_point falls[] = { { 1, { 100e6, 1e6 }, { 1e-6, 0 }, { 2e-6, 1e-7 } },
                                  { 100, { 97e6, 1e6 }, { 5e-6, 0 }, { 9e-6, 1e-7 } },
                                  { 10000, { 60e6, 1e6 }, { 50e-6, 0 }, { 90e-6, 1e-7 } } };
    struct vd_n_series s = { "block", falls, 3 };
    verdict_n(&s, 1, buf, sizeof buf);
    CHECK(strstr(buf, "block: best throughput at N = 1 (100 [99, 101] Mops/s)"));
    CHECK(strstr(buf, "within 5% of it N = 1 to 100"));
    CHECK(strstr(buf, "N trades nothing: throughput only falls as N grows"));
    CHECK(strstr(buf, "p99 latency is 2 [1.9, 2.1] us at N = 1 and 90 [89.9, 90.1] us at N = 10000"));
    falls[2].thr.mean = 150e6; /* a larger N pays: now it trades latency for throughput */
    verdict_n(&s, 1, buf, sizeof buf);
    CHECK(strstr(buf, "best throughput at N = 10000"));
    CHECK(strstr(buf, "within 5% of it only N = 10000"));
    CHECK(strstr(buf, "N trades latency for throughput: from N = 1 to 10000 throughput rises"));
}

static void test_speedup_order(void)
{
    struct vd_speedup s[] = { { "delegate", 8, 1, { 5, 0.2 } }, { "gil-interval", 8, 1, { 1, 0.01 } },
                              { "free-threading", 8, 1, { 6, 0.3 } } };
    verdict_speedup(s, 3, 0.05, buf, sizeof buf);
    CHECK(strstr(buf, "At sharing 0.05, speedup from 1 to 8 cores: free-threading 6 [5.7, 6.3]x, "
                      "delegate 5 [4.8, 5.2]x, gil-interval 1 [0.99, 1.01]x"));
    CHECK(strstr(buf, "free-threading scales best, gil-interval least"));
    s[0].s.mean = 7;
    verdict_speedup(s, 3, 0.05, buf, sizeof buf);
    CHECK(strstr(buf, "delegate scales best"));
}

static void test_breakeven_flips(void)
{
    struct vd_breakeven b[] = { { 1, NAN, NAN, NAN, 0, 0.3, 0, 0 },
                                { 8, 0.05, 0.04, 0.06, -1, 0.3, 0, 0.04 } };
    verdict_breakeven("delegate", "gil-interval", b, 2, buf, sizeof buf);
    CHECK(strstr(buf, "Against gil-interval: delegate is faster only below a break-even sharing: "
                      "1 core below the sweep (model 0), 8 cores 0.05 [0.04, 0.06] (model 0.04)."));
    CHECK(!strstr(buf, "more than 2x"));
    b[1].model = 0.01; /* the model 5x off: flagged */
    verdict_breakeven("delegate", "gil-interval", b, 2, buf, sizeof buf);
    CHECK(strstr(buf, "(model 0.01, off by more than 2x)"));
    CHECK(strstr(buf, "disagrees with the simulation by more than 2x at 1 of 2 core counts"));
    b[1] = (struct vd_breakeven){ 8, NAN, NAN, NAN, 0, 0.3, 0, NAN };
    verdict_breakeven("delegate", "free-threading", b, 2, buf, sizeof buf);
    CHECK(strstr(buf, "delegate is slower at every sharing swept (down to 0) on every core count"));
    b[0].above = b[1].above = 1;
    verdict_breakeven("delegate", "free-threading", b, 2, buf, sizeof buf);
    CHECK(strstr(buf, "delegate is faster at every sharing swept (up to 0.3) on every core count"));
    CHECK(verdict_disagrees(0.1, 0.04) && !verdict_disagrees(0.1, 0.06) && verdict_disagrees(0.01, 0));
}

static void test_io_flips(void)
{
    struct vd_io a[] = { { "delegate", 0, { 10e-6, 1e-6 } }, { "delegate", 0.01, { 800e-6, 50e-6 } } };
    struct vd_io b[] = { { "delegate-v2", 0, { 10e-6, 1e-6 } }, { "delegate-v2", 0.01, { 20e-6, 2e-6 } } };
    verdict_io("delegate", "delegate-v2", a, b, 2, buf, sizeof buf);
    CHECK(strstr(buf, "p99 delegated-op latency is 800 [750, 850] us with delegate and 20 [18, 22] "
                      "us with delegate-v2"));
    CHECK(strstr(buf, "detach cuts the tail 40x"));
    b[1].p99.mean = 2000e-6;
    verdict_io("delegate", "delegate-v2", a, b, 2, buf, sizeof buf);
    CHECK(strstr(buf, "detach does not pay here"));
    b[1].p99 = (struct vd_mean){ 820e-6, 100e-6 };
    verdict_io("delegate", "delegate-v2", a, b, 2, buf, sizeof buf);
    CHECK(strstr(buf, "no difference beyond the intervals"));
}

static void test_exit(void)
{
    struct vd_exit e[] = { { "delegate", { 28, 3 }, 0, 0, 10 }, { "delegate-naive", { NAN, NAN }, 10, 10, 10 } };
    verdict_exit(e, 2, buf, sizeof buf);
    CHECK(strstr(buf, "delegate finished 10 of 10 runs"));
    CHECK(strstr(buf, "took over 28 [25, 31] objects per run"));
    CHECK(strstr(buf, "delegate-naive deadlocked in 10 of 10 runs (100%, 95% interval 72.2-100%), "
                      "10 of them on the exited owner."));
    e[0].dead = 1;
    verdict_exit(e, 2, buf, sizeof buf);
    CHECK(strstr(buf, "delegate deadlocked in 1 of 10 runs"));
}

int main(int argc, char **argv)
{
    static const struct test_case cases[] = {
        { "wilson", test_wilson },       { "deadlock_flips", test_deadlock_flips },
        { "n_flips", test_n_flips },     { "speedup_order", test_speedup_order },
        { "breakeven_flips", test_breakeven_flips }, { "io_flips", test_io_flips },
        { "exit", test_exit },           { NULL, NULL },
    };
    return test_main(cases, argc, argv);
}
