/* Tests of calibrate's cache-miss measurement (calib_cache.h): one repetition yields a finite,
 * non-negative excess at each size and a positive cost per access among 16 objects. */
#include <math.h>

#include "calib_cache.h"
#include "testlib.h"

static void measured(void)
{
    double out[5] = { -1, -1, -1, -1, -1 };
    calib_cache_misses(out);
    for (int i = 0; i < 4; i++)
        CHECK(isfinite(out[i]) && out[i] >= 0);
    CHECK(isfinite(out[4]) && out[4] > 0);
}

int main(int argc, char **argv)
{
    static const struct test_case cases[] = {
        { "measured", measured },
        { NULL, NULL },
    };
    return test_main(cases, argc, argv);
}
