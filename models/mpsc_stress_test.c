/* Multi-threaded stress test for the MPSC intrusive queue (models/mpsc.c), in the Concurrency
 * Kit mould: P producers released together push preallocated (producer, seq) nodes while one
 * consumer pops. Checked invariant: every node arrives exactly once and each producer's
 * sequence numbers arrive in increasing order. Usage: mpsc_stress_test [producers] [pushes_total]
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mpsc.h"

#define MAX_PRODUCERS 256
#define DEADLINE_SECONDS 60.0  /* give up (and report the missing nodes as lost) after this */

struct item {
    struct mpsc_node node;
    unsigned producer;
    unsigned long seq;
};

struct producer {
    pthread_t thread;
    unsigned id;
    unsigned long count; /* nodes this producer pushes */
    struct item *items;  /* its preallocated nodes, items[seq] */
};

static struct mpsc_queue queue; /* static: gets the 64-byte alignment it asks for */
static atomic_uint ready;       /* barrier: producers (and the consumer) check in here */
static unsigned nproducers;

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Spin until every producer and the consumer have checked in, so they all start together.
 * Relaxed: the barrier only aligns start times; data is published by the queue's own
 * release/acquire pairs and by pthread_create. */
static void barrier_wait(void)
{
    atomic_fetch_add_explicit(&ready, 1, memory_order_relaxed);
    while (atomic_load_explicit(&ready, memory_order_relaxed) < nproducers + 1)
        sched_yield(); /* 2-core machines: let the others reach the barrier */
}

static void *producer_main(void *arg)
{
    struct producer *p = arg;
    barrier_wait();
    for (unsigned long s = 0; s < p->count; s++) {
        struct item *it = &p->items[s];
        it->producer = p->id; /* plain writes, published by mpsc_push's release link store */
        it->seq = s;
        mpsc_push(&queue, &it->node);
    }
    return NULL;
}

/* Consumer-side bookkeeping (consumer thread only). */
struct checker {
    unsigned char **seen;  /* seen[p][seq]: 1 once received */
    unsigned long *expect; /* expect[p]: one past the highest seq received from p */
    unsigned long popped, doubled, reordered, invalid;
};

/* Validate one popped node's tag and record it. */
static void record(struct checker *c, const struct producer *prod, const struct item *it)
{
    c->popped++;
    if (it->producer >= nproducers || it->seq >= prod[it->producer].count) {
        c->invalid++; /* corrupted tag: not one of our nodes */
        return;
    }
    unsigned char *s = &c->seen[it->producer][it->seq];
    if (*s)
        c->doubled++;
    else
        *s = 1;
    if (it->seq < c->expect[it->producer])
        c->reordered++; /* older than something already received from this producer */
    else
        c->expect[it->producer] = it->seq + 1;
}

static int parse_ulong(const char *s, unsigned long *out)
{
    char *end;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0' || s[0] == '-')
        return -1;
    *out = v;
    return 0;
}

int main(int argc, char **argv)
{
    unsigned long producers = 4, total = 1000000;
    if (argc > 3 || (argc > 1 && parse_ulong(argv[1], &producers) != 0) ||
        (argc > 2 && parse_ulong(argv[2], &total) != 0) || producers < 1 ||
        producers > MAX_PRODUCERS) {
        fprintf(stderr, "usage: %s [producers 1..%d] [pushes_total]\n", argv[0], MAX_PRODUCERS);
        return 2;
    }
    nproducers = (unsigned)producers;

    /* Split the pushes: the first (total % P) producers take one extra. */
    struct producer *prod = calloc(producers, sizeof *prod);
    unsigned char **seen = calloc(producers, sizeof *seen);  /* seen[p][seq]: receive count */
    unsigned long *expect = calloc(producers, sizeof *expect); /* next seq expected from p */
    if (!prod || !seen || !expect) {
        perror("calloc");
        return 2;
    }
    for (unsigned i = 0; i < nproducers; i++) {
        prod[i].id = i;
        prod[i].count = total / producers + (i < total % producers ? 1 : 0);
        prod[i].items = calloc(prod[i].count ? prod[i].count : 1, sizeof *prod[i].items);
        seen[i] = calloc(prod[i].count ? prod[i].count : 1, 1);
        if (!prod[i].items || !seen[i]) {
            perror("calloc");
            return 2;
        }
    }

    mpsc_init(&queue); /* published to producers by pthread_create */
    for (unsigned i = 0; i < nproducers; i++) {
        int rc = pthread_create(&prod[i].thread, NULL, producer_main, &prod[i]);
        if (rc != 0) {
            fprintf(stderr, "pthread_create: %s\n", strerror(rc));
            return 2;
        }
    }

    struct checker chk = {.seen = seen, .expect = expect};
    int timed_out = 0;
    double start = now_seconds();
    barrier_wait();

    /* Pop until every node has been received. NULL is either "empty for now" or the transient
     * gap of a producer between exchange and link: yield and retry, with a deadline so that a
     * lost node makes the test fail rather than hang. */
    unsigned long idle = 0;
    while (chk.popped < total) {
        struct mpsc_node *n = mpsc_pop(&queue);
        if (n != NULL) {
            record(&chk, prod, mpsc_entry(n, struct item, node));
            continue;
        }
        sched_yield();
        if (++idle % 1024 == 0 && now_seconds() - start > DEADLINE_SECONDS) {
            timed_out = 1;
            break;
        }
    }

    for (unsigned i = 0; i < nproducers; i++)
        pthread_join(prod[i].thread, NULL);

    /* All pushes have completed and are ordered before us by pthread_join, so NULL now really
     * means empty: anything still queued is a surplus (a duplicate or a late node). */
    for (struct mpsc_node *n; (n = mpsc_pop(&queue)) != NULL;)
        record(&chk, prod, mpsc_entry(n, struct item, node));
    double elapsed = now_seconds() - start;

    unsigned long lost = 0;
    for (unsigned i = 0; i < nproducers; i++)
        for (unsigned long s = 0; s < prod[i].count; s++)
            lost += seen[i][s] == 0;

    printf("SUMMARY producers %u pushed %lu popped %lu lost %lu doubled %lu reordered %lu\n",
           nproducers, total, chk.popped, lost, chk.doubled, chk.reordered);
    printf("time %.3f s (%.1f Mpush/s)%s\n", elapsed,
           elapsed > 0 ? (double)total / elapsed / 1e6 : 0.0, timed_out ? " TIMED OUT" : "");
    if (chk.invalid)
        printf("invalid %lu (corrupted tags)\n", chk.invalid);

    int bad = lost || chk.doubled || chk.reordered || chk.invalid || timed_out ||
              chk.popped != total || !mpsc_empty(&queue);
    for (unsigned i = 0; i < nproducers; i++) {
        free(prod[i].items);
        free(seen[i]);
    }
    free(prod);
    free(seen);
    free(expect);
    if (bad)
        fprintf(stderr, "FAIL: MPSC stress test found a discrepancy\n");
    return bad ? 1 : 0;
}
