/* Tests of the verdict (val_verdict.h): medians and errors of a point, bootstrap intervals that
 * collapse where the runs agree exactly and widen where they do not, the summary's median and
 * 90th percentile, and the gates: which fail, named, at which limits. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"
#include "val_verdict.h"

#define NS 3
#define NN 5

static double vals[8][VM_N][NS + NN];

/* Point i of scheme s: every simulated run sim, every native run nat (nat_spread: the native
 * runs are nat * (1 - spread), ..., nat * (1 + spread)); latencies NaN (no delegations). */
static void point(struct vpoint *p, int i, const char *s, double sim, double nat, double spread)
{
    memset(p, 0, sizeof *p);
    p->scheme = s;
    p->gated = 1;
    p->nsim = NS;
    p->nnat = NN;
    for (int m = 0; m < VM_N; m++) {
        p->simv[m] = vals[i][m];
        p->natv[m] = vals[i][m] + NS;
        for (int j = 0; j < NS; j++)
            p->simv[m][j] = m == VM_LAT_MEAN || m == VM_LAT_P99 ? NAN : sim;
        for (int j = 0; j < NN; j++)
            p->natv[m][j] = m == VM_LAT_MEAN || m == VM_LAT_P99
                                ? NAN
                                : nat * (1 + spread * (2.0 * j / (NN - 1) - 1));
    }
}

static int fails_with(struct vpoint *p, size_t n, struct gates g, char *out, size_t len,
                      double *med)
{
    FILE *f = fmemopen(out, len, "w");
    int k = verdict_print(f, p, n, &g, 1, med);
    fclose(f);
    return k;
}

static void exact_runs(void)
{
    struct vpoint p[3];
    for (int i = 0; i < 3; i++)
        point(&p[i], i, "a", 110, 100, 0);
    CHECK(vpoint_stats(p, 3, 1) == 0);
    CHECK(fabs(p[0].err[VM_THROUGHPUT] - 0.1) < 1e-12);
    CHECK(fabs(p[0].lo[VM_THROUGHPUT] - 0.1) < 1e-12 && fabs(p[0].hi[VM_THROUGHPUT] - 0.1) < 1e-12);
    CHECK(p[0].nat_min == 100 && p[0].nat_max == 100);
    CHECK(isnan(p[0].err[VM_LAT_MEAN]) && !p[0].boot[VM_LAT_MEAN]);
    char out[8192];
    double med;
    /* 10% everywhere: the median gate (7%) fails, the scheme (10%) and p90 (20%) gates pass,
     * and no simulated value lies in the native range (100..100). */
    CHECK_EQ_INT(fails_with(p, 3, gates_default, out, sizeof out, &med), 2);
    CHECK(fabs(med - 0.1) < 1e-12);
    CHECK(strstr(out, "gate FAIL: median |throughput error| (limit 7%): upper end of its 95% "
                      "interval 10.0% > 7.0%"));
    CHECK(strstr(out, "gate FAIL: simulated throughput within the native range at 0 of 3"));
    CHECK(!strstr(out, "gate FAIL: a:") && !strstr(out, "90th percentile of"));
    CHECK(strstr(out, "3 distinct points, 3 gated; median |throughput error| 10.0% [10.0%, "
                      "10.0%]"));
    struct gates g = gates_default;
    g.median = 0.11;
    g.in_range = 0;
    CHECK_EQ_INT(fails_with(p, 3, g, out, sizeof out, &med), 0);
    g.scheme = 0.09;
    CHECK_EQ_INT(fails_with(p, 3, g, out, sizeof out, &med), 1);
    CHECK(strstr(out, "gate FAIL: a: median |throughput error| (limit 9%)"));
    vpoint_free(p, 3);
}

static void noisy_runs(void)
{
    /* The native runs spread +-20% around 100: the interval of a point's error is wide and
     * holds its estimate; the summary's upper end is above the estimate, and a gate judged
     * there fails where the estimate alone would pass. */
    struct vpoint p[4];
    for (int i = 0; i < 4; i++)
        point(&p[i], i, i < 2 ? "a" : "b", 105, 100, 0.2);
    CHECK(vpoint_stats(p, 4, 7) == 0);
    CHECK(fabs(p[0].err[VM_THROUGHPUT] - 0.05) < 1e-12);
    CHECK(p[0].lo[VM_THROUGHPUT] < 0 && p[0].hi[VM_THROUGHPUT] > 0.2);
    CHECK(p[0].nat_min == 80 && p[0].nat_max == 120);
    char out[8192];
    double med;
    struct gates g = gates_default;
    g.median = 0.06;
    CHECK(fails_with(p, 4, g, out, sizeof out, &med) >= 1);
    CHECK(fabs(med - 0.05) < 1e-12);
    CHECK(strstr(out, "gate FAIL: median |throughput error| (limit 6%)"));
    CHECK(!strstr(out, "within the native range")); /* 105 lies in 80..120 everywhere */
    /* A point that is not gated does not count. */
    p[3].gated = 0;
    fails_with(p, 4, g, out, sizeof out, &med);
    CHECK(strstr(out, "4 distinct points, 3 gated"));
    vpoint_free(p, 4);
}

static void nothing_gated(void)
{
    struct vpoint p[1];
    point(&p[0], 0, "a", 100, 100, 0);
    p[0].gated = 0;
    CHECK(vpoint_stats(p, 1, 1) == 0);
    char out[8192];
    double med;
    CHECK(fails_with(p, 1, gates_default, out, sizeof out, &med) >= 2);
    CHECK(isnan(med));
    vpoint_free(p, 1);
}

int main(int argc, char **argv)
{
    static const struct test_case cases[] = {
        { "exact_runs", exact_runs },
        { "noisy_runs", noisy_runs },
        { "nothing_gated", nothing_gated },
        { NULL, NULL },
    };
    return test_main(cases, argc, argv);
}
