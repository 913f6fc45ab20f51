/* Tests of calibrate's cache-miss fit (calib_cache.h): exact synthetic curves come back as
 * their miss cost and cache size (within the fit's 2% grid), a flat curve as no misses, and a
 * measurement repetition yields a finite, non-negative fit. */
#include <math.h>

#include "calib_cache.h"
#include "testlib.h"

static const double w[] = { 16, 256, 1024, 4096, 16384, 65536 };
#define N (sizeof w / sizeof w[0])

static void exact_curve(void)
{
    double extra[N], miss, cache;
    for (size_t i = 0; i < N; i++)
        extra[i] = w[i] > 2000 ? 80 * (1 - 2000 / w[i]) : 0;
    calib_cache_fit(w, extra, N, &miss, &cache);
    CHECK(fabs(cache - 2000) <= 0.02 * 2000);
    CHECK(fabs(miss - 80) <= 0.02 * 80);
}

static void flat_curve(void)
{
    double extra[N] = { 0 }, miss, cache;
    calib_cache_fit(w, extra, N, &miss, &cache);
    CHECK(miss == 0);
}

static void measured(void)
{
    double out[3] = { -1, -1, -1 };
    calib_cache_misses(out);
    CHECK(isfinite(out[0]) && out[0] >= 0);
    CHECK(isfinite(out[1]) && out[1] >= 16 && out[1] <= 65536);
    CHECK(isfinite(out[2]) && out[2] >= 0);
}

int main(int argc, char **argv)
{
    static const struct test_case cases[] = {
        { "exact_curve", exact_curve },
        { "flat_curve", flat_curve },
        { "measured", measured },
        { NULL, NULL },
    };
    return test_main(cases, argc, argv);
}
