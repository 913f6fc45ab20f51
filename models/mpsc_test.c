/* Single-threaded unit tests for the MPSC intrusive queue (models/mpsc.c): emptiness, FIFO
 * order, node reuse and the internal stub re-push. Invariant checked throughout: every pushed
 * node is popped exactly once, in push order, and an empty queue pops NULL. */
#include <stdatomic.h>
#include <stddef.h>

#include "mpsc.h"
#include "testlib.h"

struct item {
    int value;
    struct mpsc_node node; /* deliberately not first, to exercise mpsc_entry */
};

static int pop_value(struct mpsc_queue *q)
{
    struct mpsc_node *n = mpsc_pop(q);
    if (n == NULL)
        return -1;
    return mpsc_entry(n, struct item, node)->value;
}

static void test_empty_pops_null(void)
{
    static struct mpsc_queue q;
    mpsc_init(&q);
    CHECK(mpsc_empty(&q));
    CHECK(mpsc_pop(&q) == NULL);
    CHECK(mpsc_pop(&q) == NULL);
    CHECK(mpsc_empty(&q));
}

static void test_single_push_pop(void)
{
    static struct mpsc_queue q;
    struct item a = {.value = 42};
    mpsc_init(&q);
    mpsc_push(&q, &a.node);
    CHECK(!mpsc_empty(&q));
    struct mpsc_node *n = mpsc_pop(&q);
    CHECK(n == &a.node);
    CHECK(n != NULL && mpsc_entry(n, struct item, node) == &a);
    CHECK(mpsc_pop(&q) == NULL);
    CHECK(mpsc_empty(&q));
}

#define FIFO_N 1000

static void test_fifo_1000(void)
{
    static struct mpsc_queue q;
    static struct item items[FIFO_N];
    mpsc_init(&q);
    for (int i = 0; i < FIFO_N; i++) {
        items[i].value = i;
        mpsc_push(&q, &items[i].node);
    }
    for (int i = 0; i < FIFO_N; i++)
        CHECK_EQ_INT(pop_value(&q), i);
    CHECK(mpsc_pop(&q) == NULL);
    CHECK(mpsc_empty(&q));
}

static void test_interleaved(void)
{
    static struct mpsc_queue q;
    static struct item items[300];
    int next_push = 0, next_pop = 0;
    mpsc_init(&q);
    /* Rounds of k pushes then j pops, with the backlog growing and shrinking. */
    for (int round = 0; round < 40 && next_push < 300; round++) {
        int k = 1 + round % 7, j = 1 + (round * 3) % 5;
        for (int i = 0; i < k && next_push < 300; i++) {
            items[next_push].value = next_push;
            mpsc_push(&q, &items[next_push].node);
            next_push++;
        }
        for (int i = 0; i < j && next_pop < next_push; i++)
            CHECK_EQ_INT(pop_value(&q), next_pop++);
        CHECK_EQ_INT(mpsc_empty(&q), next_pop == next_push);
    }
    while (next_pop < next_push)
        CHECK_EQ_INT(pop_value(&q), next_pop++);
    CHECK(mpsc_pop(&q) == NULL);
    CHECK(mpsc_empty(&q));
}

static void test_reuse_popped_nodes(void)
{
    static struct mpsc_queue q;
    struct item items[3];
    mpsc_init(&q);
    for (int i = 0; i < 3; i++) {
        items[i].value = i;
        mpsc_push(&q, &items[i].node);
    }
    /* Pop each node and push it straight back with a new value: a ring of 3 nodes. */
    for (int round = 0; round < 100; round++) {
        struct mpsc_node *n = mpsc_pop(&q);
        CHECK(n != NULL);
        if (n == NULL)
            return;
        struct item *it = mpsc_entry(n, struct item, node);
        CHECK_EQ_INT(it->value, round);
        CHECK(it == &items[round % 3]);
        it->value = round + 3;
        mpsc_push(&q, n);
    }
    for (int i = 0; i < 3; i++)
        CHECK_EQ_INT(pop_value(&q), 100 + i);
    CHECK(mpsc_pop(&q) == NULL);
}

/* push 1, pop 1, push 2, pop 2, ...: every pop takes the last node and forces the internal
 * stub re-push; the last element must come out exactly once and nothing may be left over. */
static void test_stub_repush_keeps_last(void)
{
    static struct mpsc_queue q;
    static struct item items[64];
    mpsc_init(&q);
    int value = 0;
    for (int batch = 1; batch <= 10; batch++) {
        int first = value;
        for (int i = 0; i < batch; i++) {
            items[i].value = value++;
            mpsc_push(&q, &items[i].node);
        }
        for (int i = 0; i < batch; i++)
            CHECK_EQ_INT(pop_value(&q), first + i);
        CHECK(mpsc_pop(&q) == NULL); /* last element not duplicated */
        CHECK(mpsc_empty(&q));
    }
    /* Same single node pushed and popped many times (stub re-pushed every time). */
    for (int i = 0; i < 1000; i++) {
        items[0].value = i;
        mpsc_push(&q, &items[0].node);
        CHECK_EQ_INT(pop_value(&q), i);
        CHECK(mpsc_pop(&q) == NULL);
    }
    CHECK(mpsc_empty(&q));
}

/* Emulate a producer stopped between its exchange and its link store (step 1 done, step 2
 * not): pop must return NULL for the cut-off node, then deliver everything once linked. */
static void test_transient_null_while_unlinked(void)
{
    static struct mpsc_queue q;
    struct item a = {.value = 1}, b = {.value = 2}, c = {.value = 3};
    mpsc_init(&q);
    mpsc_push(&q, &a.node);
    /* "Producer" of b: step 1 only. */
    atomic_store_explicit(&b.node.next, NULL, memory_order_relaxed);
    struct mpsc_node *prev = atomic_exchange_explicit(&q.head, &b.node, memory_order_acq_rel);
    CHECK(prev == &a.node);
    mpsc_push(&q, &c.node); /* another producer completes behind the gap */
    CHECK(mpsc_pop(&q) == NULL); /* a is the last linked node but not the head */
    CHECK(!mpsc_empty(&q));
    CHECK(mpsc_pop(&q) == NULL);
    /* Step 2 of b's producer. */
    atomic_store_explicit(&prev->next, &b.node, memory_order_release);
    CHECK_EQ_INT(pop_value(&q), 1);
    CHECK_EQ_INT(pop_value(&q), 2);
    CHECK_EQ_INT(pop_value(&q), 3);
    CHECK(mpsc_pop(&q) == NULL);
    CHECK(mpsc_empty(&q));
}

int main(int argc, char **argv)
{
    static const struct test_case cases[] = {
        {"empty_pops_null", test_empty_pops_null},
        {"single_push_pop", test_single_push_pop},
        {"fifo_1000", test_fifo_1000},
        {"interleaved_push_pop", test_interleaved},
        {"reuse_popped_nodes", test_reuse_popped_nodes},
        {"stub_repush_keeps_last", test_stub_repush_keeps_last},
        {"transient_null_while_unlinked", test_transient_null_while_unlinked},
        {NULL, NULL},
    };
    return test_main(cases, argc, argv);
}
