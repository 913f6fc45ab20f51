/* Object accesses over working sets of growing size (see calib_cache.h). The objects are laid
 * out as a run lays out its allocations (chunks of INTERP_OBJ_CHUNK from obj_heap, kinds in
 * turn, each mutated a few times first, so lists and dicts own heap storage), and each access
 * is a real handler call (models/object.c) on an object drawn uniformly, reads and mutations in
 * turn: what a run's own accesses do once its allocations outnumber its initial objects. The
 * indexes are drawn before the timing; the cost at 16 objects (all cached) is the hot cost the
 * simulator charges as handler_ns, and each larger set's excess over it is what misses add. */
#define _GNU_SOURCE
#include "calib_cache.h"

#include <stdint.h>
#include <stdlib.h>

#include "interp.h"
#include "obj_heap.h"
#include "object.h"
#include "splitmix.h"
#include "team.h"

/* Working sets, in objects: a run at the default shares allocates 10^4 per 10^6 opcodes. */
static const size_t sizes[] = { 16, 256, 1024, 4096, 16384, 65536 };
#define NSIZES (sizeof sizes / sizeof sizes[0])
#define ACCESSES 100000
#define WARM_MUTATIONS 4

static volatile int64_t sink;

void calib_cache_fit(const double *w, const double *extra, size_t n, double *miss,
                     double *cache)
{
    double lo = w[0], hi = w[0];
    for (size_t i = 1; i < n; i++) {
        lo = w[i] < lo ? w[i] : lo;
        hi = w[i] > hi ? w[i] : hi;
    }
    double best = -1;
    *miss = 0;
    *cache = hi;
    for (double c = lo; c <= hi; c *= 1.02) {
        double sxy = 0, sxx = 0;
        for (size_t i = 0; i < n; i++) {
            double x = w[i] > c ? 1 - c / w[i] : 0;
            sxy += x * extra[i];
            sxx += x * x;
        }
        double m = sxx > 0 ? sxy / sxx : 0;
        if (m < 0)
            m = 0;
        double sse = 0;
        for (size_t i = 0; i < n; i++) {
            double r = extra[i] - m * (w[i] > c ? 1 - c / w[i] : 0);
            sse += r * r;
        }
        if (best < 0 || sse < best) {
            best = sse;
            *miss = m;
            *cache = c;
        }
    }
}

/* ns per access over n objects. */
static double accesses_over(size_t n, const uint32_t *pick)
{
    size_t chunks = (n + INTERP_OBJ_CHUNK - 1) / INTERP_OBJ_CHUNK;
    struct object **chunk = malloc(chunks * sizeof *chunk);
    if (!chunk)
        abort();
    for (size_t c = 0; c < chunks; c++)
        chunk[c] = obj_heap_alloc(INTERP_OBJ_CHUNK * sizeof **chunk, 1);
    for (size_t i = 0; i < n; i++) {
        struct object *o = &chunk[i / INTERP_OBJ_CHUNK][i % INTERP_OBJ_CHUNK];
        obj_init(o, (enum obj_kind)(i % OBJ_KIND_COUNT), 1);
        for (int k = 0; k < WARM_MUTATIONS; k++)
            sink += obj_apply(o, OBJ_MUTATE, (int64_t)(i + (size_t)k));
    }
    double t0 = team_now_ns();
    for (long i = 0; i < ACCESSES; i++) {
        size_t k = pick[i] % n;
        sink += obj_apply(&chunk[k / INTERP_OBJ_CHUNK][k % INTERP_OBJ_CHUNK],
                          (i & 1) ? OBJ_MUTATE : OBJ_READ, i);
    }
    double ns = (team_now_ns() - t0) / ACCESSES;
    for (size_t i = 0; i < n; i++)
        obj_destroy(&chunk[i / INTERP_OBJ_CHUNK][i % INTERP_OBJ_CHUNK]);
    for (size_t c = 0; c < chunks; c++)
        obj_heap_free(chunk[c], INTERP_OBJ_CHUNK * sizeof **chunk);
    free(chunk);
    return ns;
}

void calib_cache_misses(double *out)
{
    static uint64_t seed = 1;
    uint32_t *pick = malloc(ACCESSES * sizeof *pick);
    if (!pick)
        abort();
    uint64_t x = seed++ * SPLITMIX64_GAMMA;
    for (long i = 0; i < ACCESSES; i++)
        pick[i] = (uint32_t)(splitmix64(x += SPLITMIX64_GAMMA) >> 32);
    double w[NSIZES], extra[NSIZES], hot = 0;
    for (size_t i = 0; i < NSIZES; i++) {
        double ns = accesses_over(sizes[i], pick);
        if (i == 0)
            hot = ns;
        w[i] = (double)sizes[i];
        extra[i] = ns > hot ? ns - hot : 0;
    }
    free(pick);
    calib_cache_fit(w, extra, NSIZES, &out[0], &out[1]);
    out[2] = extra[NSIZES - 1];
}
