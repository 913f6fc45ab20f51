/* num_g10 writes what snprintf "%.10g" writes, for numbers of every kind summarize meets:
 * integers, decimals of few digits, ties of the 11th digit, powers of ten and the numbers
 * beside them, random doubles over 1e-20..1e40 of both signs, zeros, infinities, NaN. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "num_g10.h"
#include "testlib.h"

static long mismatches;

static void same(double x)
{
    char want[64], got[64];
    snprintf(want, sizeof want, "%.10g", x);
    int n = num_g10(got, x);
    if (strcmp(want, got) != 0 || n != (int)strlen(want)) {
        if (mismatches++ < 10)
            fprintf(stderr, "%a: %%.10g '%s', num_g10 '%s' (%d)\n", x, want, got, n);
    }
}

static uint64_t rng = 88172645463325252ULL;
static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static void special_values(void)
{
    double v[] = { 0.0, -0.0, 1, -1, 0.5, 0.1, 0.0001, 0.00001, 1e-5, 123456789, 1234567890,
                   12345678901.0, 9999999999.0, 9999999999.4, 9999999999.5, 9999999999.6,
                   99999.999995, 1e10, 1e9, 1e-4, 9.99999999995e-5, 1234567890.5, 1234567891.5,
                   0.30000000000000004, 2.5e-13, 1e-13, 9.9999e30, 1e31, 1e300, 5e-324,
                   INFINITY, -INFINITY, NAN, 3.14159265358979, 2e22, 1.5, 100, 1e15 + 0.3 };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        same(v[i]);
        same(-v[i]);
    }
    CHECK_EQ_INT(mismatches, 0);
}

static void integers_and_short_decimals(void)
{
    for (long i = -50000; i <= 50000; i++) {
        same((double)i);
        same((double)i / 8);
        same((double)i / 100);
        same((double)i * 1e-7);
        same((double)i * 12345.0);
    }
    CHECK_EQ_INT(mismatches, 0);
}

/* Values whose 11th significant digit is 5 (ties and their neighbours) at every exponent. */
static void near_ties(void)
{
    for (int e = -14; e <= 32; e++)
        for (int k = 0; k < 3000; k++) {
            double m = 1e9 + (double)(next() % 9000000000ULL) + 0.5;
            double x = m * pow(10, e - 9);
            same(x);
            same(nextafter(x, 0));
            same(nextafter(x, INFINITY));
        }
    CHECK_EQ_INT(mismatches, 0);
}

static void random_doubles(void)
{
    for (long k = 0; k < 400000; k++) {
        double mant = (double)(next() >> 11) / 9007199254740992.0; /* [0, 1) */
        double x = (1 + mant) * pow(10, (double)(next() % 61) - 20);
        same(k & 1 ? -x : x);
        uint64_t bits = next(); /* any bit pattern */
        double y;
        memcpy(&y, &bits, sizeof y);
        same(y);
    }
    CHECK_EQ_INT(mismatches, 0);
}

int main(int argc, char **argv)
{
    static const struct test_case cases[] = {
        { "special_values", special_values },
        { "integers_and_short_decimals", integers_and_short_decimals },
        { "near_ties", near_ties },
        { "random_doubles", random_doubles },
        { NULL, NULL },
    };
    return test_main(cases, argc, argv);
}
