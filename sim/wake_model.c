/* The wake-up latency and timer model of the SimGrid backend (see wake_model.h and
 * docs/design.md, "The OS under the threads"). A lognormal with mean wake_ns has
 * mu = ln(wake_ns) - sigma^2 / 2; empirical draws pick one of the file's samples uniformly. */
#include "wake_model.h"

#include <errno.h>
#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "splitmix.h"
#include "text_file.h"

static struct {
    enum dist kind; /* wake_dist */
    double mean, sigma, slack;
    uint64_t seed;
    double *samples;
    size_t nsamples;
} W;

int wake_samples_load(const char *path, double **samples, size_t *n, char *err, size_t errlen)
{
    FILE *f = text_open(path, "wake_samples", err, errlen);
    if (!f)
        return -1;
    double *v = NULL;
    size_t len = 0, cap = 0, lineno = 0, linecap = 0;
    char *line = NULL;
    int rc = 0;
    ssize_t got;
    /* One number a line: 256 bytes are plenty (a longer line is not one). */
    while ((got = text_line(f, path, lineno + 1, 256, &line, &linecap, err, errlen)) >= 0) {
        lineno++;
        line[strcspn(line, "#\r\n")] = 0;
        char *s = line + strspn(line, " \t");
        if (!*s)
            continue;
        char *end;
        errno = 0;
        double x = strtod(s, &end);
        end += strspn(end, " \t");
        if (end == s || *end || errno || !isfinite(x) || x < 0 || x > 1e12) {
            snprintf(err, errlen, "wake_samples: %s line %zu: '%.40s' is not a latency (allowed: "
                     "one number of ns, 0..1e12, a line; '#' comments)", path, lineno, s);
            rc = -1;
            break;
        }
        if (len == cap) {
            cap = cap ? 2 * cap : 256;
            double *nv = realloc(v, cap * sizeof *v);
            if (!nv) {
                snprintf(err, errlen, "wake_samples: out of memory reading %s", path);
                rc = -1;
                break;
            }
            v = nv;
        }
        v[len++] = x;
    }
    if (rc == 0 && got == -2)
        rc = -1; /* err says where */
    free(line);
    if (rc == 0 && len == 0) {
        snprintf(err, errlen, "wake_samples: %s holds no sample (allowed: one number of ns a "
                 "line, at least one)", path);
        rc = -1;
    }
    fclose(f);
    if (rc != 0) {
        free(v);
        return -1;
    }
    *samples = v;
    *n = len;
    return 0;
}

int wake_model_init(const struct params *p, char *err, size_t errlen)
{
    wake_model_fini();
    W.kind = (enum dist)p->wake_dist;
    W.mean = p->wake_ns;
    W.sigma = p->wake_sigma;
    W.slack = p->timer_slack_ns;
    W.seed = (uint64_t)p->seed;
    if (W.kind == DIST_EMPIRICAL)
        return wake_samples_load(p->wake_samples, &W.samples, &W.nsamples, err, errlen);
    return 0;
}

void wake_model_fini(void)
{
    free(W.samples);
    W.samples = NULL;
    W.nsamples = 0;
}

gsl_rng *wake_stream_new(uint64_t index)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2); /* 3 words of state: 30000 threads stay cheap */
    if (r)
        gsl_rng_set(r, (unsigned long)splitmix64(splitmix64(W.seed ^ 0x77616b65ull) + index));
    /* splitmix64 spreads (seed, index) over the seed space; 0x77616b65 is "wake" */
    return r;
}

double wake_latency(gsl_rng *r)
{
    switch (W.kind) {
    case DIST_EXPONENTIAL: return W.mean > 0 ? gsl_ran_exponential(r, W.mean) : 0;
    case DIST_LOGNORMAL:
        return W.mean > 0 ? gsl_ran_lognormal(r, log(W.mean) - W.sigma * W.sigma / 2, W.sigma)
                          : 0;
    case DIST_EMPIRICAL: return W.samples[gsl_rng_uniform_int(r, W.nsamples)];
    case DIST_FIXED: break;
    }
    return W.mean;
}

double wake_timer(double ns) { return ns + W.slack; }
