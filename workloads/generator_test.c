/* Tests of the synthetic generator: streams are a pure function of (params, seed, thread),
 * have exactly `ops` opcodes, and honour sharing, access and alloc. */
#include <math.h>

#include "generator.h"
#include "testlib.h"

static struct params base(void)
{
    struct params p;
    params_defaults(&p);
    p.threads = 4;
    p.ops = 20000;
    return p;
}

static void same_seed_same_stream(void)
{
    struct params p = base();
    struct wl_stream a, b;
    CHECK(wl_stream_init(&a, &p, 2, NULL) == 0);
    CHECK(wl_stream_init(&b, &p, 2, NULL) == 0);
    int same = 1;
    for (int i = 0; i <= p.ops; i++) {
        struct op x, y;
        wl_stream_next(&a, &x);
        wl_stream_next(&b, &y);
        same &= x.code == y.code && x.thread == y.thread && x.index == y.index && x.arg == y.arg;
    }
    CHECK(same);
    wl_stream_free(&a);
    wl_stream_free(&b);
}

static int streams_differ(const struct params *p, uint32_t ta, const struct params *q, uint32_t tb)
{
    struct wl_stream a, b;
    wl_stream_init(&a, p, ta, NULL);
    wl_stream_init(&b, q, tb, NULL);
    int differ = 0;
    for (int i = 0; i < 200; i++) {
        struct op x, y;
        wl_stream_next(&a, &x);
        wl_stream_next(&b, &y);
        differ |= x.code != y.code || x.arg != y.arg;
    }
    wl_stream_free(&a);
    wl_stream_free(&b);
    return differ;
}

static void threads_and_seeds_differ(void)
{
    struct params p = base(), q = base();
    q.seed = 2;
    CHECK(streams_differ(&p, 0, &p, 1));
    CHECK(streams_differ(&p, 0, &q, 0));
    CHECK(wl_stream_seed(1, 0) != wl_stream_seed(1, 1));
}

/* Counts the ops of thread t's stream by code, and its foreign accesses. */
static void census(const struct params *p, uint32_t t, long count[OP_CODE_COUNT], long *foreign)
{
    struct wl_stream s;
    wl_stream_init(&s, p, t, NULL);
    for (int c = 0; c < OP_CODE_COUNT; c++)
        count[c] = 0;
    *foreign = 0;
    struct op op;
    int64_t allocated = 0;
    for (wl_stream_next(&s, &op); op.code != OP_EXIT; wl_stream_next(&s, &op)) {
        count[op.code] += op_span(&op);
        if (op_is_access(&op) && op.thread != t)
            (*foreign)++;
        if (op.code == OP_ALLOC)
            CHECK_EQ_INT(op.index, p->objects + allocated++);
        if (op_is_access(&op) && op.thread == t)
            CHECK(op.index < p->objects + allocated); /* only objects that exist */
        if (op_is_access(&op) && op.thread != t)
            CHECK(op.index < p->objects && op.thread < p->threads);
    }
    /* OP_EXIT repeats */
    wl_stream_next(&s, &op);
    CHECK(op.code == OP_EXIT);
    wl_stream_free(&s);
}

static void shares_match_parameters(void)
{
    struct params p = base();
    long count[OP_CODE_COUNT], foreign;
    census(&p, 1, count, &foreign);
    long total = count[OP_COMPUTE] + count[OP_READ] + count[OP_MUTATE] + count[OP_ALLOC];
    CHECK_EQ_INT(total, p.ops);
    long access = count[OP_READ] + count[OP_MUTATE];
    /* 20000 draws: 5 standard deviations around the expected shares. */
    CHECK(access > 0.2 * 20000 - 300 && access < 0.2 * 20000 + 300);
    CHECK(count[OP_ALLOC] > 200 - 75 && count[OP_ALLOC] < 200 + 75);
    CHECK(foreign > 0.05 * access - 75 && foreign < 0.05 * access + 75);
    CHECK(count[OP_MUTATE] > access / 2 - 180 && count[OP_MUTATE] < access / 2 + 180);

    p.sharing = 0;
    census(&p, 1, count, &foreign);
    CHECK_EQ_INT(foreign, 0);
    p.sharing = 1;
    p.alloc = 0;
    census(&p, 3, count, &foreign);
    CHECK_EQ_INT(foreign, count[OP_READ] + count[OP_MUTATE]);
    CHECK_EQ_INT(count[OP_ALLOC], 0);
}

/* home: every foreign access goes to the home thread's objects; the home thread's accesses are
 * its own. io_threads: only the first threads do I/O. */
static void home_and_io_threads(void)
{
    struct params p = base();
    p.home = 0;
    p.sharing = 1;
    p.io = 0.1;
    p.io_threads = 1;
    for (uint32_t t = 0; t < 4; t++) {
        struct wl_stream s;
        CHECK(wl_stream_init(&s, &p, t, NULL) == 0);
        long foreign_elsewhere = 0, own = 0, io = 0;
        struct op op;
        for (wl_stream_next(&s, &op); op.code != OP_EXIT; wl_stream_next(&s, &op)) {
            if (op_is_access(&op) && op.thread != t && op.thread != 0)
                foreign_elsewhere++;
            if (op_is_access(&op) && op.thread == t)
                own++;
            io += op.code == OP_IO;
        }
        CHECK_EQ_INT(foreign_elsewhere, 0);
        if (t == 0) {
            CHECK(own > 0); /* home's accesses are its own */
            CHECK(io > 2000 - 300 && io < 2000 + 300);
        } else {
            CHECK_EQ_INT(own, 0); /* sharing 1: every access goes home */
            CHECK_EQ_INT(io, 0);
        }
        wl_stream_free(&s);
    }
}

/* Allocations are recycled (op.h): after more than OP_ALLOC_SLOTS of them, allocation a is
 * index objects + a % OP_ALLOC_SLOTS, and a thread's own accesses name only its initial
 * objects and its last OP_LIVE_ALLOCS allocations, so no index reaches objects + the slots. */
static void allocations_are_recycled(void)
{
    struct params p = base();
    p.threads = 1;
    p.sharing = 0;
    p.alloc = 0.8;
    p.access = 0.2;
    p.ops = (int64_t)OP_ALLOC_SLOTS * 3 / 2;
    struct wl_stream s;
    CHECK(wl_stream_init(&s, &p, 0, NULL) == 0);
    uint64_t allocated = 0, recent = 0, old_live = 0;
    uint32_t top = 0;
    struct op op;
    for (wl_stream_next(&s, &op); op.code != OP_EXIT; wl_stream_next(&s, &op)) {
        if (op.index > top)
            top = op.index;
        if (op.code == OP_ALLOC) {
            CHECK_EQ_INT(op.index, op_alloc_index(p.objects, allocated));
            allocated++;
        } else if (op_is_access(&op) && op.index >= (uint32_t)p.objects) {
            /* The allocation this slot holds now: the latest a < allocated in it. */
            uint64_t slot = op.index - (uint64_t)p.objects;
            uint64_t a = allocated - 1 - (allocated - 1 - slot) % OP_ALLOC_SLOTS;
            CHECK(slot < allocated);
            CHECK(allocated - a <= OP_LIVE_ALLOCS);
            recent += allocated > OP_ALLOC_SLOTS;
            old_live += allocated - a > OP_ALLOC_SLOTS / 2;
        }
    }
    wl_stream_free(&s);
    CHECK(allocated > OP_ALLOC_SLOTS);
    CHECK_EQ_INT(top, (uint64_t)p.objects + OP_ALLOC_SLOTS - 1);
    CHECK(recent > 0);   /* accesses after the slots wrapped were checked */
    CHECK(old_live > 0); /* some named allocations far back, yet live */
}

/* The gap table gives exactly the formula's gaps: at every cut point, on both sides of it, at
 * both ends of every bucket of uniforms, and at uniforms spread over [0, 1), for event shares
 * from rare to frequent. */
static void gap_table_is_the_formula(void)
{
    static const double access[] = { 0.0005, 0.04, 0.2, 0.49, 0.89 };
    uint64_t z = 12345, bad = 0, tried = 0;
    for (size_t i = 0; i < sizeof access / sizeof access[0]; i++) {
        struct params p = base();
        p.access = access[i];
        struct wl_stream s;
        CHECK(wl_stream_init(&s, &p, 0, NULL) == 0);
        double scale = 1 / log1p(-s.event_share);
        const int buckets = 1 << WL_GAP_BUCKET_BITS;
        for (int k = 0; k < 3 * WL_GAP_CUTS + 2 * buckets + 1000; k++) {
            uint64_t m;
            if (k < 3 * WL_GAP_CUTS) {
                m = s.gap_cut[k / 3] + (uint64_t)(k % 3) - 1;
            } else if (k < 3 * WL_GAP_CUTS + 2 * buckets) {
                /* both ends of every bucket of uniforms (the look-up's first gap) */
                int b = (k - 3 * WL_GAP_CUTS) / 2;
                m = ((uint64_t)(b + (k & 1)) << (53 - WL_GAP_BUCKET_BITS)) - (uint64_t)(k & 1);
            } else {
                z = z * 6364136223846793005ULL + 1442695040888963407ULL;
                m = z >> 11;
            }
            if (m >= (uint64_t)1 << 53)
                continue;
            double g = floor(log(1 - (double)m * 0x1.0p-53) * scale);
            tried++;
            bad += wl_gap_from_uniform(&s, m) != (g < 9e18 ? (int64_t)g : INT64_MAX);
        }
        wl_stream_free(&s);
    }
    CHECK(tried > 5000);
    CHECK(bad == 0);
}

static const struct test_case cases[] = {
    { "gap_table_is_the_formula", gap_table_is_the_formula },
    { "allocations_are_recycled", allocations_are_recycled },
    { "home_and_io_threads", home_and_io_threads },
    { "same_seed_same_stream", same_seed_same_stream },
    { "threads_and_seeds_differ", threads_and_seeds_differ },
    { "shares_match_parameters", shares_match_parameters },
    { NULL, NULL },
};

int main(int argc, char **argv) { return test_main(cases, argc, argv); }
