/* "%.10g" without printf (see num_g10.h). The 10 significant digits come from one scaling by
 * an exact power of ten (one rounding: an error below 2e-6 on a 10-digit integer); where the
 * value lies too near the middle between two 10-digit integers for that to decide the
 * rounding, where the scaling would not be exact (|x| outside 1e-13..1e31), and for
 * infinities and NaN, strfromd writes it. The rest is %g's layout: fixed notation for decimal
 * exponents -4..9, else d.ddde+XX, trailing zeros dropped. */
#define _GNU_SOURCE /* strfromd */
#include "num_g10.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const double p10[] = { 1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                              1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                              1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22 };

/* a (> 0) times 10^k, k in -22..22: one rounding. */
static double scale(double a, int k) { return k >= 0 ? a * p10[k] : a / p10[-k]; }

int num_g10(char *out, double x)
{
    double a = fabs(x);
    if (a == 0) /* zeros are common (a metric that stays 0, an sd of identical runs) */
        return signbit(x) ? (int)(strcpy(out, "-0"), 2) : (int)(strcpy(out, "0"), 1);
    if (!(a >= 1e-13 && a < 1e31))
        return strfromd(out, 32, "%.10g", x);
    int e = (int)floor(log10(a)); /* the decimal exponent; log10 may miss it by one */
    double s = scale(a, 9 - e);
    if (s >= 1e10) {
        e++;
        s = scale(a, 9 - e);
    } else if (s < 1e9) {
        e--;
        s = scale(a, 9 - e);
    }
    if (s < 1e9 || s >= 1e10 || 9 - e > 22 || 9 - e < -22)
        return strfromd(out, 32, "%.10g", x);
    double lo = floor(s), f = s - lo;
    if (fabs(f - 0.5) < 1e-5) /* too near a tie for s to decide: printf's exact rounding */
        return strfromd(out, 32, "%.10g", x);
    uint64_t m = (uint64_t)lo + (f > 0.5);
    if (m == 10000000000ULL) { /* 9999999999.5 and up: one more digit to the left */
        m = 1000000000ULL;
        e++;
    }
    char d[10];
    for (int i = 9; i >= 0; i--, m /= 10)
        d[i] = (char)('0' + m % 10);
    int nd = 10;
    while (nd > 1 && d[nd - 1] == '0')
        nd--;
    char *o = out;
    if (x < 0)
        *o++ = '-';
    if (e >= -4 && e < 10) {
        if (e < 0) {
            *o++ = '0';
            *o++ = '.';
            for (int i = -1; i > e; i--)
                *o++ = '0';
            memcpy(o, d, (size_t)nd);
            o += nd;
        } else {
            for (int i = 0; i <= e; i++)
                *o++ = d[i];
            if (nd > e + 1) {
                *o++ = '.';
                memcpy(o, d + e + 1, (size_t)(nd - e - 1));
                o += nd - e - 1;
            }
        }
    } else {
        *o++ = d[0];
        if (nd > 1) {
            *o++ = '.';
            memcpy(o, d + 1, (size_t)(nd - 1));
            o += nd - 1;
        }
        *o++ = 'e';
        *o++ = e < 0 ? '-' : '+';
        int ae = abs(e);
        if (ae >= 10)
            *o++ = (char)('0' + ae / 10);
        else
            *o++ = '0';
        *o++ = (char)('0' + ae % 10);
    }
    *o = '\0';
    return (int)(o - out);
}
