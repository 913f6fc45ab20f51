/* Unit tests for models/object.c: each handler against independently computed expectations,
 * and obj_state_equal/obj_digest being order-independent yet sensitive to a mutation lost or
 * applied twice, for every kind; and the object memory they live in (obj_heap.c). */
#include "obj_heap.h"
#include "object.h"
#include "testlib.h"

#include <stdlib.h>
#include <string.h>

#define NARGS 500

/* Deterministic non-zero test arguments in [-500, 500], so every mutation changes the state. */
static void make_args(int64_t *args, size_t n, uint32_t seed)
{
    for (size_t i = 0; i < n; i++) {
        seed = seed * 1103515245u + 12345u;
        int64_t a = (int64_t)((seed >> 8) % 1001) - 500;
        args[i] = a ? a : 7;
    }
}

/* Fisher-Yates shuffle of args with a fixed seed. */
static void shuffle(int64_t *args, size_t n, uint32_t seed)
{
    for (size_t i = n; i > 1; i--) {
        seed = seed * 1103515245u + 12345u;
        size_t j = (seed >> 8) % i;
        int64_t t = args[i - 1];
        args[i - 1] = args[j];
        args[j] = t;
    }
}

/* Fresh object of `kind` with args applied as mutations, in order; a read after every
 * `read_every`-th mutation (0: none) to show reads do not affect state. */
static void build(struct object *o, enum obj_kind kind, const int64_t *args, size_t n,
                  size_t read_every)
{
    obj_init(o, kind, 1);
    for (size_t i = 0; i < n; i++) {
        obj_apply(o, OBJ_MUTATE, args[i]);
        if (read_every && i % read_every == 0)
            obj_apply(o, OBJ_READ, args[i]);
    }
}

static void test_kind_names(void)
{
    CHECK(strcmp(obj_kind_name(OBJ_COUNTER), "counter") == 0);
    CHECK(strcmp(obj_kind_name(OBJ_LIST), "list") == 0);
    CHECK(strcmp(obj_kind_name(OBJ_DICT), "dict") == 0);
    CHECK(strcmp(obj_kind_name(OBJ_KIND_COUNT), "?") == 0);
}

static void test_init_owner(void)
{
    struct object o;
    obj_init(&o, OBJ_DICT, 0x1234000000000005ULL);
    CHECK(atomic_load(&o.owner) == 0x1234000000000005ULL);
    CHECK(o.kind == OBJ_DICT);
    CHECK_EQ_INT(o.reads, 0);
    CHECK_EQ_INT(o.u.dict.count, 0);
    obj_destroy(&o);
}

static void test_counter(void)
{
    struct object o;
    obj_init(&o, OBJ_COUNTER, 1);
    CHECK_EQ_INT(obj_apply(&o, OBJ_READ, 99), 0);
    for (int64_t i = 1; i <= 100; i++)
        CHECK_EQ_INT(obj_apply(&o, OBJ_MUTATE, i), i * (i + 1) / 2);
    CHECK_EQ_INT(obj_apply(&o, OBJ_READ, -3), 5050);
    CHECK_EQ_INT(obj_apply(&o, OBJ_MUTATE, -6000), -950);
    CHECK_EQ_INT(o.u.counter, -950);
    obj_destroy(&o);
}

static void test_counter_wraps(void)
{
    struct object o;
    obj_init(&o, OBJ_COUNTER, 1);
    obj_apply(&o, OBJ_MUTATE, INT64_MAX);
    CHECK(obj_apply(&o, OBJ_MUTATE, 1) == INT64_MIN);
    CHECK(obj_apply(&o, OBJ_MUTATE, -1) == INT64_MAX);
    obj_destroy(&o);
}

static void test_list(void)
{
    struct object o;
    obj_init(&o, OBJ_LIST, 1);
    CHECK_EQ_INT(obj_apply(&o, OBJ_READ, 5), 0);
    CHECK_EQ_INT(obj_apply(&o, OBJ_READ, -5), 0);
    for (int64_t i = 0; i < 10; i++)
        CHECK_EQ_INT(obj_apply(&o, OBJ_MUTATE, 3 * i - 500), i + 1);
    CHECK_EQ_INT(obj_apply(&o, OBJ_READ, 3), -491);     /* short: every value, in order */
    CHECK_EQ_INT(obj_apply(&o, OBJ_READ, 13), -491);    /* 13 mod 10 = 3 */
    for (int64_t i = 10; i < 1000; i++)
        CHECK_EQ_INT(obj_apply(&o, OBJ_MUTATE, 3 * i - 500), i + 1);
    CHECK_EQ_INT(o.u.list.len, 1000);
    CHECK(obj_list_cap(o.u.list.len) == OBJ_LIST_WINDOW); /* memory stays bounded */
    /* Reads see the last 64 values (936..999: 2308, 2311, ..., 2497), oldest first. */
    CHECK_EQ_INT(obj_apply(&o, OBJ_READ, 0), 2308);
    CHECK_EQ_INT(obj_apply(&o, OBJ_READ, 1), 2311);
    CHECK_EQ_INT(obj_apply(&o, OBJ_READ, 63), 2497);
    CHECK_EQ_INT(obj_apply(&o, OBJ_READ, 64), 2308);      /* 64 mod 64 = 0 */
    CHECK_EQ_INT(obj_apply(&o, OBJ_READ, -1), 2497);      /* index 63 */
    CHECK_EQ_INT(obj_apply(&o, OBJ_READ, -65), 2497);     /* index 63 */
    CHECK_EQ_INT(obj_apply(&o, OBJ_READ, INT64_MIN), 2308); /* -2^63 mod 64 = 0 */
    CHECK_EQ_INT(obj_apply(&o, OBJ_READ, INT64_MAX), 2497); /* 2^63-1 mod 64 = 63 */
    obj_destroy(&o);
}

static void test_dict_collisions(void)
{
    struct object o;
    obj_init(&o, OBJ_DICT, 1);
    CHECK_EQ_INT(obj_apply(&o, OBJ_READ, 5), 0);
    /* 5, 69 and -59 all map to key 5. */
    CHECK_EQ_INT(obj_apply(&o, OBJ_MUTATE, 5), 5);
    CHECK_EQ_INT(obj_apply(&o, OBJ_MUTATE, 69), 74);
    CHECK_EQ_INT(obj_apply(&o, OBJ_MUTATE, -59), 15);
    CHECK_EQ_INT(o.u.dict.count, 1);
    CHECK_EQ_INT(obj_apply(&o, OBJ_READ, 5), 15);
    CHECK_EQ_INT(obj_apply(&o, OBJ_READ, 69), 15);
    CHECK_EQ_INT(obj_apply(&o, OBJ_READ, -59), 15);
    CHECK_EQ_INT(obj_apply(&o, OBJ_READ, 6), 0);
    /* -1 -> key 63; INT64_MIN -> key 0. */
    CHECK_EQ_INT(obj_apply(&o, OBJ_MUTATE, -1), -1);
    CHECK_EQ_INT(obj_apply(&o, OBJ_READ, 63), -1);
    CHECK(obj_apply(&o, OBJ_MUTATE, INT64_MIN) == INT64_MIN);
    CHECK(obj_apply(&o, OBJ_READ, 0) == INT64_MIN);
    CHECK_EQ_INT(o.u.dict.count, 3);
    obj_destroy(&o);
}

/* All 64 keys inserted through several resizes stay retrievable with the right values. */
static void test_dict_all_keys(void)
{
    int64_t expected[OBJ_DICT_KEY_SPACE] = {0};
    struct object o;
    obj_init(&o, OBJ_DICT, 1);
    uint32_t seed = 42;
    int invariant = 1;
    for (int i = 0; i < 20000; i++) {
        seed = seed * 1103515245u + 12345u;
        int64_t a = ((int64_t)(seed >> 4) - (1 << 27)) * 4099; /* mixed signs, |a| < 2^40 */
        expected[((a % 64) + 64) % 64] += a;
        obj_apply(&o, OBJ_MUTATE, a);
        invariant &= (o.u.dict.cap & (o.u.dict.cap - 1)) == 0;
        invariant &= o.u.dict.count * 4 <= o.u.dict.cap * 3;
    }
    CHECK(invariant); /* power-of-two cap and load <= 3/4 after every mutation */
    CHECK_EQ_INT(o.u.dict.count, 64);
    CHECK_EQ_INT(o.u.dict.cap, 128); /* 8 doubled 4 times: smallest power of two with 64 <= 3/4 cap */
    for (int64_t k = 0; k < 64; k++) {
        CHECK_EQ_INT(obj_apply(&o, OBJ_READ, k), expected[k]);
        CHECK_EQ_INT(obj_apply(&o, OBJ_READ, k - 64 * 1000003), expected[k]);
    }
    obj_destroy(&o);
}

static void test_reads_counted(void)
{
    for (enum obj_kind k = 0; k < OBJ_KIND_COUNT; k++) {
        struct object o;
        obj_init(&o, k, 1);
        obj_apply(&o, OBJ_READ, 3); /* on an empty object */
        obj_apply(&o, OBJ_MUTATE, 3);
        obj_apply(&o, OBJ_MUTATE, 4);
        for (int i = 0; i < 9; i++)
            obj_apply(&o, OBJ_READ, i);
        CHECK_EQ_INT(o.reads, 10);
        obj_destroy(&o);
    }
}

static void test_order_independent(void)
{
    int64_t fwd[NARGS], rev[NARGS], shuf[NARGS];
    make_args(fwd, NARGS, 1);
    for (size_t i = 0; i < NARGS; i++)
        rev[i] = fwd[NARGS - 1 - i];
    memcpy(shuf, fwd, sizeof fwd);
    shuffle(shuf, NARGS, 2);
    for (enum obj_kind k = 0; k < OBJ_KIND_COUNT; k++) {
        struct object a, b, c;
        build(&a, k, fwd, NARGS, 0);
        build(&b, k, rev, NARGS, 3);
        build(&c, k, shuf, NARGS, 1);
        CHECK(obj_state_equal(&a, &b));
        CHECK(obj_state_equal(&b, &a));
        CHECK(obj_state_equal(&a, &c));
        CHECK(obj_digest(&a) == obj_digest(&b));
        CHECK(obj_digest(&a) == obj_digest(&c));
        obj_destroy(&a);
        obj_destroy(&b);
        obj_destroy(&c);
    }
}

/* a = all args; b = args shuffled with args[j] dropped, or with args[j] applied twice. */
static void check_sensitive(enum obj_kind k, const int64_t *args, size_t j, int doubled)
{
    int64_t other[NARGS + 1];
    size_t n = 0;
    for (size_t i = 0; i < NARGS; i++)
        if (i != j || doubled)
            other[n++] = args[i];
    if (doubled)
        other[n++] = args[j];
    shuffle(other, n, 3);
    struct object a, b;
    build(&a, k, args, NARGS, 0);
    build(&b, k, other, n, 0);
    if (obj_state_equal(&a, &b) || obj_state_equal(&b, &a) || obj_digest(&a) == obj_digest(&b))
        fprintf(stderr, "  kind %s, op %zu %s not detected\n", obj_kind_name(k), j,
                doubled ? "doubled" : "dropped");
    CHECK(!obj_state_equal(&a, &b));
    CHECK(!obj_state_equal(&b, &a));
    CHECK(obj_digest(&a) != obj_digest(&b));
    obj_destroy(&a);
    obj_destroy(&b);
}

static void test_lost_or_doubled_detected(void)
{
    int64_t args[NARGS];
    make_args(args, NARGS, 4);
    const size_t js[] = {0, 1, NARGS / 2, NARGS - 1};
    for (enum obj_kind k = 0; k < OBJ_KIND_COUNT; k++)
        for (size_t t = 0; t < sizeof js / sizeof js[0]; t++) {
            check_sensitive(k, args, js[t], 0);
            check_sensitive(k, args, js[t], 1);
        }
}

static void test_list_same_length_different_items(void)
{
    int64_t args[NARGS], other[NARGS];
    make_args(args, NARGS, 5);
    memcpy(other, args, sizeof args);
    other[NARGS / 3] += 1;
    struct object a, b;
    build(&a, OBJ_LIST, args, NARGS, 0);
    build(&b, OBJ_LIST, other, NARGS, 0);
    CHECK(!obj_state_equal(&a, &b));
    CHECK(obj_digest(&a) != obj_digest(&b));
    obj_destroy(&a);
    obj_destroy(&b);
}

/* A key present with value 0 is state, distinct from an absent key. */
static void test_dict_zero_value_key_is_state(void)
{
    struct object a, b;
    obj_init(&a, OBJ_DICT, 1);
    obj_init(&b, OBJ_DICT, 1);
    obj_apply(&a, OBJ_MUTATE, 64);
    obj_apply(&a, OBJ_MUTATE, -64);
    CHECK_EQ_INT(obj_apply(&a, OBJ_READ, 0), 0);
    CHECK(!obj_state_equal(&a, &b));
    CHECK(!obj_state_equal(&b, &a));
    CHECK(obj_digest(&a) != obj_digest(&b));
    obj_destroy(&a);
    obj_destroy(&b);
}

static void test_kinds_differ(void)
{
    struct object objs[OBJ_KIND_COUNT];
    for (enum obj_kind k = 0; k < OBJ_KIND_COUNT; k++)
        obj_init(&objs[k], k, 1);
    for (int i = 0; i < OBJ_KIND_COUNT; i++)
        for (int j = 0; j < OBJ_KIND_COUNT; j++) {
            CHECK(obj_state_equal(&objs[i], &objs[j]) == (i == j));
            CHECK((obj_digest(&objs[i]) == obj_digest(&objs[j])) == (i == j));
        }
}

static void test_equal_ignores_owner_and_reads(void)
{
    struct object a, b;
    obj_init(&a, OBJ_LIST, 1);
    obj_init(&b, OBJ_LIST, 2);
    obj_apply(&a, OBJ_MUTATE, 10);
    obj_apply(&b, OBJ_MUTATE, 10);
    obj_apply(&b, OBJ_READ, 0);
    CHECK(obj_state_equal(&a, &b));
    CHECK(obj_digest(&a) == obj_digest(&b));
    obj_destroy(&a);
    obj_destroy(&b);
}

static void test_destroy(void)
{
    struct object z;
    memset(&z, 0, sizeof z);
    obj_destroy(&z);
    CHECK_EQ_INT(z.u.counter, 0);

    for (enum obj_kind k = 0; k < OBJ_KIND_COUNT; k++) {
        struct object o;
        obj_init(&o, k, 1);
        obj_destroy(&o); /* nothing allocated yet */
        for (int64_t i = 1; i <= 100; i++)
            obj_apply(&o, OBJ_MUTATE, i);
        obj_destroy(&o);
        obj_destroy(&o); /* twice is safe */
        struct object empty;
        obj_init(&empty, k, 1);
        CHECK(obj_state_equal(&o, &empty)); /* destroyed leaves an empty object */
        obj_apply(&o, OBJ_MUTATE, 5);       /* and it is usable again */
        CHECK_EQ_INT(obj_apply(&o, OBJ_READ, 5), 5);
        obj_destroy(&o);
    }
}

/* The linear digest is the sum of the terms of the mutations applied, whatever their order,
 * and one mutation lost, doubled or given another argument changes it (the exactly-once check
 * compares it with what was issued, oracle.h). */
static void test_value_digest_adds_up(void)
{
    static const int64_t args[] = { 1, 65, 129, 7, 1000000, 64, -3, 7 };
    size_t n = sizeof args / sizeof args[0];
    for (enum obj_kind k = 0; k < OBJ_KIND_COUNT; k++) {
        struct object a, b;
        obj_init(&a, k, 1);
        obj_init(&b, k, 1);
        CHECK(obj_value_digest(&a) == 0);
        uint64_t sum = 0;
        for (size_t i = 0; i < n; i++) {
            obj_apply(&a, OBJ_MUTATE, args[i]);
            obj_apply(&b, OBJ_MUTATE, args[n - 1 - i]);
            obj_apply(&b, OBJ_READ, args[i]); /* reads are no state */
            sum += obj_mutation_term(k, args[i]);
        }
        CHECK(obj_value_digest(&a) == sum);
        CHECK(obj_value_digest(&b) == sum);
        obj_apply(&a, OBJ_MUTATE, args[0]); /* doubled */
        CHECK(obj_value_digest(&a) != sum);
        obj_destroy(&b);
        obj_init(&b, k, 1);
        for (size_t i = 1; i < n; i++) /* the first lost */
            obj_apply(&b, OBJ_MUTATE, args[i]);
        CHECK(obj_value_digest(&b) != sum);
        obj_apply(&b, OBJ_MUTATE, args[0] + 64); /* another argument, the same dict key */
        CHECK(obj_value_digest(&b) != sum);
        obj_destroy(&a);
        obj_destroy(&b);
    }
}

/* Object memory: blocks of a size never overlap, a zeroed block reads as zeros even when it
 * is a freed one given again, and sizes beyond the classes work too. */
static void test_heap_blocks(void)
{
    enum { NB = 600 };
    static unsigned char *b[NB];
    size_t sizes[] = { 1, 16, 17, 144, 2048, 22528, 40000 };
    for (size_t z = 0; z < sizeof sizes / sizeof *sizes; z++) {
        size_t size = sizes[z];
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < NB; i++) {
                b[i] = obj_heap_alloc(size, 1);
                int zero = 1;
                for (size_t k = 0; k < size; k++)
                    zero &= b[i][k] == 0;
                CHECK(zero);
                memset(b[i], i % 251 + 1, size);
            }
            int intact = 1;
            for (int i = 0; i < NB; i++)
                for (size_t k = 0; k < size; k++)
                    intact &= b[i][k] == i % 251 + 1;
            CHECK(intact); /* no block was written through another */
            /* Round 0 leaves the blocks dirty in the free lists; round 1 gets them again. */
            for (int i = 0; i < NB; i++)
                obj_heap_free(b[i], size);
        }
    }
    obj_heap_free(NULL, 16); /* nothing */
}

int main(int argc, char **argv)
{
    static const struct test_case cases[] = {
        {"kind_names", test_kind_names},
        {"init_owner", test_init_owner},
        {"counter", test_counter},
        {"counter_wraps", test_counter_wraps},
        {"list", test_list},
        {"dict_collisions", test_dict_collisions},
        {"dict_all_keys", test_dict_all_keys},
        {"reads_counted", test_reads_counted},
        {"order_independent", test_order_independent},
        {"lost_or_doubled_detected", test_lost_or_doubled_detected},
        {"list_same_length_different_items", test_list_same_length_different_items},
        {"dict_zero_value_key_is_state", test_dict_zero_value_key_is_state},
        {"kinds_differ", test_kinds_differ},
        {"equal_ignores_owner_and_reads", test_equal_ignores_owner_and_reads},
        {"destroy", test_destroy},
        {"value_digest_adds_up", test_value_digest_adds_up},
        {"heap_blocks", test_heap_blocks},
        {NULL, NULL},
    };
    return test_main(cases, argc, argv);
}
