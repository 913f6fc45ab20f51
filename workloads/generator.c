/* Synthetic op-stream generator (see generator.h). Each op consumes random numbers in a fixed
 * order that depends only on its own draws, so a stream depends only on its own seed. The Zipf
 * table of foreign accesses is read-only and shared by every stream of a run. */
#include "generator.h"

#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static uint64_t splitmix64(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

unsigned long wl_stream_seed(int64_t seed, uint32_t thread)
{
    return (unsigned long)splitmix64(splitmix64((uint64_t)seed) ^ (uint64_t)thread);
}

/* The Zipf table over all threads' initial objects: rank k is object (k % threads,
 * k / threads), weight 1 / (k + 1)^zipf. Built once per (threads, objects, zipf). */
static struct {
    gsl_ran_discrete_t *table;
    int64_t threads, objects;
    double zipf;
    int users;
} zipf_cache;

static const gsl_ran_discrete_t *zipf_table(const struct params *p)
{
    if (zipf_cache.table && zipf_cache.threads == p->threads &&
        zipf_cache.objects == p->objects && zipf_cache.zipf == p->zipf) {
        zipf_cache.users++;
        return zipf_cache.table;
    }
    if (zipf_cache.table && zipf_cache.users > 0)
        return NULL; /* one run at a time per process */
    if (zipf_cache.table)
        gsl_ran_discrete_free(zipf_cache.table);
    size_t n = (size_t)(p->threads * p->objects);
    double *w = malloc(n * sizeof *w);
    if (!w)
        return NULL;
    for (size_t k = 0; k < n; k++)
        w[k] = pow((double)(k + 1), -p->zipf);
    zipf_cache.table = gsl_ran_discrete_preproc(n, w);
    free(w);
    zipf_cache.threads = p->threads;
    zipf_cache.objects = p->objects;
    zipf_cache.zipf = p->zipf;
    zipf_cache.users = zipf_cache.table ? 1 : 0;
    return zipf_cache.table;
}

static void zipf_release(void)
{
    if (--zipf_cache.users == 0) {
        gsl_ran_discrete_free(zipf_cache.table);
        memset(&zipf_cache, 0, sizeof zipf_cache);
    }
}

enum wl_dist { DIST_FIXED, DIST_EXPONENTIAL, DIST_LOGNORMAL };

static int dist_of(const char *name)
{
    return strcmp(name, "exponential") == 0 ? DIST_EXPONENTIAL
           : strcmp(name, "lognormal") == 0 ? DIST_LOGNORMAL
                                            : DIST_FIXED;
}

int wl_stream_init(struct wl_stream *s, const struct params *p, uint32_t thread,
                   const struct wl_trace *trace)
{
    memset(s, 0, sizeof *s);
    s->trace = trace;
    s->rng = gsl_rng_alloc(gsl_rng_mt19937);
    if (!s->rng)
        return -1;
    gsl_rng_set(s->rng, wl_stream_seed(p->seed, thread));
    s->p = p;
    s->thread = thread;
    s->op_dist = dist_of(p->op_dist);
    s->io_dist = dist_of(p->io_dist);
    if (!trace && p->zipf > 0 && p->threads > 1 && p->home < 0 && !(s->zipf = zipf_table(p))) {
        wl_stream_free(s);
        return -1;
    }
    return 0;
}

void wl_stream_free(struct wl_stream *s)
{
    if (s->zipf)
        zipf_release();
    s->zipf = NULL;
    gsl_rng_free(s->rng);
    s->rng = NULL;
}

/* A draw with the given mean from a distribution (fixed, exponential, lognormal). */
static double draw(gsl_rng *rng, int dist, double mean, double sigma)
{
    if (mean <= 0 || dist == DIST_FIXED)
        return mean;
    if (dist == DIST_EXPONENTIAL)
        return gsl_ran_exponential(rng, mean);
    /* lognormal with E[X] = mean: mu = ln(mean) - sigma^2 / 2 */
    return gsl_ran_lognormal(rng, log(mean) - sigma * sigma / 2, sigma);
}

/* Picks the object of a foreign access: among the home thread's objects if there is one, else
 * over other threads' initial objects, uniformly or by Zipf rank. */
static void pick_foreign(struct wl_stream *s, struct op *op)
{
    const struct params *p = s->p;
    if (p->home >= 0) {
        op->thread = (uint32_t)p->home;
        op->index = (uint32_t)gsl_rng_uniform_int(s->rng, (unsigned long)p->objects);
        return;
    }
    if (s->zipf) {
        size_t k;
        do
            k = gsl_ran_discrete(s->rng, s->zipf);
        while (k % (size_t)p->threads == s->thread);
        op->thread = (uint32_t)(k % (size_t)p->threads);
        op->index = (uint32_t)(k / (size_t)p->threads);
        return;
    }
    uint32_t other = (uint32_t)gsl_rng_uniform_int(s->rng, (unsigned long)p->threads - 1);
    op->thread = other >= s->thread ? other + 1 : other;
    op->index = (uint32_t)gsl_rng_uniform_int(s->rng, (unsigned long)p->objects);
}

/* The stream's next op with its cost drawn around op_ns (kind_cost then applies per-kind means). */
static void next_op(struct wl_stream *s, struct op *op)
{
    const struct params *p = s->p;
    memset(op, 0, sizeof *op);
    op->thread = s->thread;
    op->issuer = s->thread;
    if (s->trace) {
        if ((size_t)s->emitted < s->trace->nops[s->thread])
            *op = s->trace->ops[s->thread][s->emitted++];
        else
            op->code = OP_EXIT;
        return;
    }
    if (s->emitted >= p->ops) {
        op->code = OP_EXIT;
        return;
    }
    s->emitted++;
    op->cost_ns = draw(s->rng, s->op_dist, p->op_ns, p->sigma);
    double u = gsl_rng_uniform(s->rng);
    if (u < p->alloc) {
        op->code = OP_ALLOC;
        op->index = (uint32_t)(p->objects + s->allocated++);
        return;
    }
    double io = p->io_threads < 0 || s->thread < p->io_threads ? p->io : 0;
    if (u < p->alloc + io) {
        op->code = OP_IO;
        op->cost_ns = draw(s->rng, s->io_dist, p->io_ns, p->sigma);
        return;
    }
    if (u >= p->alloc + io + p->access) {
        op->code = OP_COMPUTE;
        return;
    }
    /* The home thread's own accesses are all to its own objects. */
    int foreign = gsl_rng_uniform(s->rng) < p->sharing && p->threads > 1 && p->home != s->thread;
    if (foreign) {
        pick_foreign(s, op);
        if (p->callback > 0 && gsl_rng_uniform(s->rng) < p->callback) {
            op->callback = 1;
            op->cb_index = (uint32_t)gsl_rng_uniform_int(s->rng, (unsigned long)p->objects);
        }
    } else {
        op->index = (uint32_t)gsl_rng_uniform_int(s->rng,
                                                  (unsigned long)(p->objects + s->allocated));
    }
    op->code = gsl_rng_uniform(s->rng) < p->write ? OP_MUTATE : OP_READ;
    op->arg = (int64_t)gsl_rng_uniform_int(s->rng, 1000000) + 1;
}

/* A bytecode's cost by kind: where the table gives the kind its own mean (op_ns_KIND >= 0),
 * the op_ns draw is scaled to that mean, so the random streams stay as they were. */
static void kind_cost(const struct params *p, struct op *op)
{
    double mean = op->code == OP_COMPUTE ? p->op_ns_compute
                  : op->code == OP_READ   ? p->op_ns_read
                  : op->code == OP_MUTATE ? p->op_ns_mutate
                  : op->code == OP_ALLOC  ? p->op_ns_alloc
                                          : -1;
    if (mean >= 0)
        op->cost_ns = p->op_ns > 0 ? op->cost_ns / p->op_ns * mean : mean;
}

void wl_stream_next(struct wl_stream *s, struct op *op)
{
    next_op(s, op);
    if (!s->trace)
        kind_cost(s->p, op);
}
