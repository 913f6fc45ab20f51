/* Synthetic op-stream generator (see generator.h). Ops that touch nothing (compute) come in
 * runs: the gap to the next access, allocation or I/O is one geometric draw, and a run of compute
 * opcodes is one op with a span. Every draw comes from the stream's own xoshiro256** generator in
 * a fixed order, so a stream depends only on its own seed. The Zipf table of foreign accesses is
 * read-only and shared by every stream of a run. */
#include "generator.h"

#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>

#include "splitmix.h"

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

/* xoshiro256** (Blackman and Vigna), wrapped as a GSL generator type so the GSL distributions
 * (Zipf table) draw from the same stream; the hot paths call it directly. */
struct xoshiro {
    uint64_t s[4];
};

static inline uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

static inline uint64_t xoshiro_next(struct xoshiro *x)
{
    uint64_t *s = x->s;
    uint64_t r = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return r;
}

/* Uniform in [0, 1) with 53 random bits. */
static inline double xoshiro_unit(struct xoshiro *x)
{
    return (double)(xoshiro_next(x) >> 11) * 0x1.0p-53;
}

/* Uniform in [0, n) for n < 2^32 (multiply-shift on the top 32 bits). */
static inline uint32_t xoshiro_below(struct xoshiro *x, uint64_t n)
{
    return (uint32_t)(((xoshiro_next(x) >> 32) * n) >> 32);
}

/* Halves of one 64-bit draw serve two independent 32-bit draws: a uniform in [0, 1) with 32
 * random bits, and a uniform integer in [0, n) for n < 2^32. */
static inline double half_unit(uint32_t w) { return (double)w * 0x1.0p-32; }
static inline uint32_t half_below(uint32_t w, uint64_t n) { return (uint32_t)((w * n) >> 32); }

static void xoshiro_set(void *state, unsigned long seed)
{
    struct xoshiro *x = state;
    uint64_t z = seed;
    for (int i = 0; i < 4; i++)
        x->s[i] = z = splitmix64(z);
}

static unsigned long xoshiro_get(void *state) { return (unsigned long)(xoshiro_next(state) >> 32); }

static double xoshiro_get_double(void *state) { return xoshiro_unit(state); }

static const gsl_rng_type xoshiro_type = { "xoshiro256**", 0xffffffffUL, 0, sizeof(struct xoshiro),
                                           xoshiro_set, xoshiro_get, xoshiro_get_double };

/* The geometric gap of a 53-bit uniform m (u = m / 2^53), by the formula. */
static int64_t gap_of(const struct wl_stream *s, uint64_t m)
{
    double g = floor(log(1 - (double)m * 0x1.0p-53) * s->gap_scale);
    return g < 9e18 ? (int64_t)g : INT64_MAX;
}

/* Fills s->gap_cut: gap_cut[k] is the least m with gap_of(m) > k (a binary search over m, so
 * that the table gives exactly the formula's gaps), and s->gap_first: for each bucket of
 * uniforms, how many cuts are <= its first one. The last tables built are kept, so the
 * streams of a run, which mostly share event_share, build them once. */
static void build_gap_cuts(struct wl_stream *s)
{
    static struct {
        double share;
        uint64_t cut[WL_GAP_CUTS];
        uint8_t first[1 << WL_GAP_BUCKET_BITS];
        int valid;
    } last;
    if (last.valid && last.share == s->event_share) {
        memcpy(s->gap_cut, last.cut, sizeof s->gap_cut);
        memcpy(s->gap_first, last.first, sizeof s->gap_first);
        return;
    }
    uint64_t lo = 0;
    for (int k = 0; k < WL_GAP_CUTS; k++) {
        uint64_t hi = (uint64_t)1 << 53; /* gap_of(hi) would be infinite */
        while (lo < hi) {
            uint64_t mid = lo + (hi - lo) / 2;
            if (gap_of(s, mid) > k)
                hi = mid;
            else
                lo = mid + 1;
        }
        s->gap_cut[k] = lo;
    }
    for (size_t b = 0; b < sizeof s->gap_first; b++) {
        uint64_t m = (uint64_t)b << (53 - WL_GAP_BUCKET_BITS);
        uint8_t k = 0;
        while (k < WL_GAP_CUTS && s->gap_cut[k] <= m)
            k++;
        s->gap_first[b] = k;
    }
    last.share = s->event_share;
    memcpy(last.cut, s->gap_cut, sizeof s->gap_cut);
    memcpy(last.first, s->gap_first, sizeof s->gap_first);
    last.valid = 1;
}

/* The cost of an access's cache misses when it picks uniformly among `w` objects: the measured
 * costs at 1024, 4096, 16384 and 65536 objects, linear in log2 w between them and from 0 at 16,
 * held beyond the last. */
static float miss_charge(const struct params *p, uint64_t w)
{
    if (w <= 16 || (p->miss_1k_ns <= 0 && p->miss_4k_ns <= 0 && p->miss_16k_ns <= 0 &&
                    p->miss_64k_ns <= 0))
        return 0;
    const double at[] = { 16, 1024, 4096, 16384, 65536 };
    const double ns[] = { 0, p->miss_1k_ns, p->miss_4k_ns, p->miss_16k_ns, p->miss_64k_ns };
    if ((double)w >= at[4])
        return (float)ns[4];
    int k = 0;
    while ((double)w > at[k + 1])
        k++;
    double f = log2((double)w / at[k]) / log2(at[k + 1] / at[k]);
    return (float)(ns[k] + f * (ns[k + 1] - ns[k]));
}

/* The cache-miss charge of an access to the thread's own objects after `allocated`
 * allocations: it picks among its initial objects and its live allocations. */
static float miss_own(const struct params *p, uint64_t allocated)
{
    uint64_t live = allocated < OP_LIVE_ALLOCS ? allocated : OP_LIVE_ALLOCS;
    return miss_charge(p, (uint64_t)p->objects + live);
}

int wl_stream_init(struct wl_stream *s, const struct params *p, uint32_t thread,
                   const struct wl_trace *trace)
{
    memset(s, 0, sizeof *s);
    s->trace = trace;
    s->rng = gsl_rng_alloc(&xoshiro_type);
    if (!s->rng)
        return -1;
    gsl_rng_set(s->rng, wl_stream_seed(p->seed, thread));
    s->p = p;
    s->thread = thread;
    s->gap = -1;
    double io = p->io_threads < 0 || thread < p->io_threads ? p->io : 0;
    s->event_share = p->alloc + io + p->access;
    if (s->event_share > 1)
        s->event_share = 1;
    struct wl_draw *c = &s->draw;
    c->ops = p->ops;
    c->objects = p->objects;
    c->op_dist = p->op_dist;
    c->io_dist = p->io_dist;
    c->op_ns = p->op_ns;
    c->io_ns = p->io_ns;
    c->sigma = p->sigma;
    c->event_share = s->event_share;
    c->alloc = p->alloc;
    c->alloc_io = p->alloc + io;
    c->sharing = p->sharing;
    c->write = p->write;
    c->callback = p->callback;
    c->runs_merge = p->op_dist == DIST_FIXED || p->op_ns <= 0;
    c->kind_means = p->op_ns_compute >= 0 || p->op_ns_read >= 0 || p->op_ns_mutate >= 0 ||
                    p->op_ns_alloc >= 0;
    c->may_share = p->threads > 1 && p->home != thread;
    c->miss_calibrated =
        p->miss_1k_ns > 0 || p->miss_4k_ns > 0 || p->miss_16k_ns > 0 || p->miss_64k_ns > 0;
    c->miss_foreign = miss_charge(p, (uint64_t)p->objects);
    c->gaps = WL_GAPS_ANY;
    c->io_drawn = 1;
    c->plain = c->runs_merge && c->callback <= 0 && !c->miss_calibrated &&
               c->alloc_io == c->alloc && s->event_share > 0;
    s->miss_own = miss_own(p, 0);
    s->gap_scale = s->event_share < 1 && s->event_share > 0 ? 1 / log1p(-s->event_share) : 0;
    if (s->event_share < 1 && s->event_share > 0)
        build_gap_cuts(s);
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

/* Box-Muller: one standard normal variate (the second one is not kept, so each draw is a
 * function of the two uniforms it consumes). */
static double std_normal(struct xoshiro *x)
{
    double u = 1 - xoshiro_unit(x), v = xoshiro_unit(x);
    return sqrt(-2 * log(u)) * cos(6.283185307179586 * v);
}

/* A draw with the given mean from a distribution (fixed, exponential, lognormal). */
static double draw_random(struct xoshiro *x, int dist, double mean, double sigma)
{
    if (dist == DIST_EXPONENTIAL)
        return -mean * log(1 - xoshiro_unit(x));
    /* lognormal with E[X] = mean: mu = ln(mean) - sigma^2 / 2 */
    return exp(log(mean) - sigma * sigma / 2 + sigma * std_normal(x));
}

static inline double draw(struct xoshiro *x, int dist, double mean, double sigma)
{
    if (mean <= 0 || dist == DIST_FIXED)
        return mean;
    /* The draw takes a copy's address, not x's, so that x can stay in registers. */
    struct xoshiro y = *x;
    double r = draw_random(&y, dist, mean, sigma);
    *x = y;
    return r;
}

/* Picks the object of a foreign access: among the home thread's objects if there is one, else
 * over other threads' initial objects, uniformly or by Zipf rank. */
static inline void pick_foreign(const struct wl_stream *s, struct xoshiro *x, uint32_t *thread,
                                uint32_t *index)
{
    const struct params *p = s->p;
    if (p->home >= 0) {
        *thread = (uint32_t)p->home;
        *index = xoshiro_below(x, (uint64_t)p->objects);
        return;
    }
    if (s->zipf) {
        size_t k;
        struct xoshiro *shared = s->rng->state; /* the GSL draw reads the stream's own state */
        *shared = *x;
        do
            k = gsl_ran_discrete(s->rng, s->zipf);
        while (k % (size_t)p->threads == s->thread);
        *x = *shared;
        *thread = (uint32_t)(k % (size_t)p->threads);
        *index = (uint32_t)(k / (size_t)p->threads);
        return;
    }
    uint32_t other = xoshiro_below(x, (uint64_t)p->threads - 1);
    *thread = other >= s->thread ? other + 1 : other;
    *index = xoshiro_below(x, (uint64_t)p->objects);
}

/* The gap of a 53-bit uniform m: the table for gaps below WL_GAP_CUTS, else the formula. The
 * cuts ascend, so the gap below WL_GAP_CUTS is how many of them are <= m: those <= the first
 * uniform of m's bucket (gap_first), then those in the bucket up to m: mostly none, as at
 * most WL_GAP_CUTS of the buckets hold a cut. */
static inline int64_t gap_from_uniform(const struct wl_stream *s, uint64_t m)
{
    const uint64_t *cut = s->gap_cut;
    unsigned k = s->gap_first[m >> (53 - WL_GAP_BUCKET_BITS)];
    while (k < WL_GAP_CUTS && m >= cut[k])
        k++;
    return k < WL_GAP_CUTS ? (int64_t)k : gap_of(s, m);
}

/* Compute opcodes before the next access, allocation or I/O: geometric with success
 * probability event_share (INT64_MAX when nothing but compute can happen), the inverse of its
 * distribution function at one uniform: the table answers gaps below WL_GAP_CUTS (a few
 * comparisons), the formula the rest. */
static inline int64_t draw_gap(const struct wl_stream *s, struct xoshiro *x)
{
    if (s->event_share >= 1)
        return 0;
    if (s->event_share <= 0)
        return INT64_MAX;
    return gap_from_uniform(s, xoshiro_next(x) >> 11);
}

int64_t wl_gap_from_uniform(const struct wl_stream *s, uint64_t m)
{
    return gap_from_uniform(s, m);
}

/* What drawing changes, held in locals while a block is drawn (the compiler keeps them in
 * registers: no store to an op can touch them). */
struct draw_state {
    struct xoshiro x;   /* the generator */
    int64_t gap;        /* s->gap */
    int64_t emitted;    /* s->emitted */
    uint64_t allocated; /* s->allocated */
    float miss_own;     /* s->miss_own */
};

/* The stream's next generated op, drawn from d's generator into *op, every field written
 * once (its cost is drawn around op_ns, kind_cost then applies per-kind means). c holds the
 * parameters it reads, copied into locals by the caller. */
static inline __attribute__((always_inline)) void next_op(const struct wl_stream *s,
                                                          const struct wl_draw *c,
                                                          struct draw_state *d, struct op *op)
{
    struct xoshiro *x = &d->x;
    const uint32_t self = s->thread;
    if (d->gap < 0)
        d->gap = c->gaps == WL_GAPS_DRAWN ? gap_from_uniform(s, xoshiro_next(x) >> 11)
                 : c->gaps == WL_GAPS_NONE ? 0
                                           : draw_gap(s, x);
    if (d->gap > 0) {
        /* A run of compute opcodes: one op when every opcode costs the same, else one by one. */
        int64_t k = 1;
        if (c->runs_merge) {
            k = d->gap < c->ops - d->emitted ? d->gap : c->ops - d->emitted;
            if (k > OP_SPAN_MAX)
                k = OP_SPAN_MAX;
        }
        d->gap -= k;
        d->emitted += k;
        *op = (struct op){ .code = OP_COMPUTE, .thread = self, .span = (uint32_t)k,
                           .cost_ns = draw(x, c->op_dist, c->op_ns, c->sigma), .issuer = self };
        return;
    }
    d->gap = -1;
    d->emitted++;
    double cost = draw(x, c->op_dist, c->op_ns, c->sigma);
    /* Draw 1: the kind of op, and the foreign coin; draw 2: the object and the argument. */
    uint64_t w = xoshiro_next(x);
    double u = half_unit((uint32_t)(w >> 32)) * c->event_share;
    if (u < c->alloc) {
        *op = (struct op){ .code = OP_ALLOC, .thread = self,
                           .index = op_alloc_index(c->objects, d->allocated++), .cost_ns = cost,
                           .issuer = self };
        if (c->miss_calibrated)
            d->miss_own = miss_own(s->p, d->allocated);
        return;
    }
    if (c->io_drawn && u < c->alloc_io) {
        *op = (struct op){ .code = OP_IO, .thread = self,
                           .cost_ns = draw(x, c->io_dist, c->io_ns, c->sigma), .issuer = self };
        return;
    }
    /* The home thread's own accesses are all to its own objects. */
    int foreign = half_unit((uint32_t)w) < c->sharing && c->may_share;
    uint32_t thread = self, index, cb_index = 0;
    int callback = 0;
    float miss;
    if (foreign) {
        pick_foreign(s, x, &thread, &index);
        if (c->callback > 0 && xoshiro_unit(x) < c->callback) {
            callback = 1;
            cb_index = xoshiro_below(x, (uint64_t)c->objects);
        }
    }
    uint64_t v = xoshiro_next(x);
    if (!foreign) {
        /* Its initial objects and its live allocations (op.h), the latest last. */
        uint64_t live = d->allocated < OP_LIVE_ALLOCS ? d->allocated : OP_LIVE_ALLOCS;
        uint64_t k = half_below((uint32_t)(v >> 32), (uint64_t)c->objects + live);
        index = k < (uint64_t)c->objects
                    ? (uint32_t)k
                    : op_alloc_index(c->objects, d->allocated - live + (k - (uint64_t)c->objects));
        miss = d->miss_own;
    } else {
        miss = c->miss_foreign; /* another thread's own objects */
    }
    int64_t arg = (int64_t)half_below((uint32_t)v, 1000000) + 1;
    _Static_assert(OP_MUTATE == OP_READ + 1, "a mutation is a read plus one");
    enum op_code code = OP_READ + (xoshiro_unit(x) < c->write); /* random: no branch */
    *op = (struct op){ .code = code, .thread = thread, .index = index, .arg = arg,
                       .cost_ns = cost, .issuer = self, .cb_index = cb_index,
                       .callback = callback, .miss_ns = miss };
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

/* Draws the stream's ops n, n + 1, ... into its ring, up to `end` or its last opcode; returns
 * where it stopped. */
static inline __attribute__((always_inline)) unsigned fill(struct wl_stream *s,
                                                           const struct wl_draw *c,
                                                           struct draw_state *d, unsigned n,
                                                           unsigned end)
{
    struct draw_state e = *d; /* a local copy that no call takes the address of */
    for (; n != end && e.emitted < c->ops; n++)
        next_op(s, c, &e, &s->block[n % WL_BLOCK]);
    *d = e;
    return n;
}

/* fill() for a plain stream (wl_draw.plain) with the given gaps: the same draws, with what the
 * plain case leaves out known to the compiler, so that it drops those branches. */
static inline __attribute__((always_inline)) unsigned fill_plain(struct wl_stream *s,
                                                                 const struct wl_draw *c,
                                                                 struct draw_state *d,
                                                                 unsigned n, unsigned end,
                                                                 enum wl_gaps gaps)
{
    struct wl_draw k = *c;
    k.op_dist = DIST_FIXED; /* runs_merge: draw() gives op_ns either way */
    k.runs_merge = 1;
    k.callback = 0;
    k.miss_calibrated = 0;
    k.io_drawn = 0; /* alloc_io == alloc: I/O is never drawn */
    k.gaps = gaps;
    return fill(s, &k, d, n, end);
}

void wl_stream_refill(struct wl_stream *s)
{
    const struct params *p = s->p;
    const struct op blank = { .thread = s->thread, .issuer = s->thread };
    unsigned n = s->drawn, end = s->taken + WL_BLOCK;
    if (s->trace) {
        size_t have = s->trace->nops[s->thread];
        for (; n != end && (size_t)s->emitted < have; n++)
            s->block[n % WL_BLOCK] = s->trace->ops[s->thread][s->emitted++];
    } else {
        /* The generator's state and the parameters it reads live in locals while the ring is
         * filled. */
        const struct wl_draw c = s->draw;
        struct xoshiro *state = s->rng->state;
        struct draw_state d = { *state, s->gap, s->emitted, s->allocated, s->miss_own };
        unsigned first = n;
        if (c.plain && s->event_share < 1)
            n = fill_plain(s, &c, &d, n, end, WL_GAPS_DRAWN);
        else if (c.plain)
            n = fill_plain(s, &c, &d, n, end, WL_GAPS_NONE);
        else
            n = fill(s, &c, &d, n, end);
        if (c.kind_means)
            for (unsigned i = first; i != n; i++)
                kind_cost(p, &s->block[i % WL_BLOCK]);
        *state = d.x;
        s->gap = d.gap;
        s->emitted = d.emitted;
        s->allocated = d.allocated;
        s->miss_own = d.miss_own;
    }
    if (n == s->taken) { /* the end: OP_EXIT from now on */
        s->block[n % WL_BLOCK] = blank;
        s->block[n % WL_BLOCK].code = OP_EXIT;
        n++;
    }
    s->drawn = n;
}
