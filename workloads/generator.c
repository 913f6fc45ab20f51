/* Synthetic op-stream generator (see generator.h). Each draw consumes a fixed number of random
 * numbers per op kind, so a stream depends only on its own seed. */
#include "generator.h"

#include <stdlib.h>

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

int wl_stream_init(struct wl_stream *s, const struct params *p, uint32_t thread)
{
    s->rng = gsl_rng_alloc(gsl_rng_mt19937);
    if (!s->rng)
        return -1;
    gsl_rng_set(s->rng, wl_stream_seed(p->seed, thread));
    s->p = p;
    s->thread = thread;
    s->emitted = 0;
    s->allocated = 0;
    return 0;
}

void wl_stream_free(struct wl_stream *s)
{
    gsl_rng_free(s->rng);
    s->rng = NULL;
}

void wl_stream_next(struct wl_stream *s, struct op *op)
{
    const struct params *p = s->p;
    op->thread = s->thread;
    op->index = 0;
    op->arg = 0;
    op->cost_ns = p->op_ns;
    if (s->emitted >= p->ops) {
        op->code = OP_EXIT;
        op->cost_ns = 0;
        return;
    }
    s->emitted++;
    double u = gsl_rng_uniform(s->rng);
    if (u < p->alloc) {
        op->code = OP_ALLOC;
        op->index = (uint32_t)(p->objects + s->allocated++);
        return;
    }
    if (u >= p->alloc + p->access) {
        op->code = OP_COMPUTE;
        return;
    }
    int foreign = gsl_rng_uniform(s->rng) < p->sharing && p->threads > 1;
    if (foreign) {
        uint32_t other = (uint32_t)gsl_rng_uniform_int(s->rng, (unsigned long)p->threads - 1);
        op->thread = other >= s->thread ? other + 1 : other;
        op->index = (uint32_t)gsl_rng_uniform_int(s->rng, (unsigned long)p->objects);
    } else {
        op->index = (uint32_t)gsl_rng_uniform_int(s->rng,
                                                  (unsigned long)(p->objects + s->allocated));
    }
    op->code = gsl_rng_uniform(s->rng) < p->write ? OP_MUTATE : OP_READ;
    op->arg = (int64_t)gsl_rng_uniform_int(s->rng, 1000000) + 1;
}
