/* Wait-free MPSC intrusive queue (Vyukov's node-based algorithm); see mpsc.h for the API,
 * the concurrency table and the transient-NULL rule.
 * Invariant: q->tail reaches q->head by ->next links except across at most one pending link
 * per in-flight push; the stub is in the list at most once, and a node's ->next is NULL from
 * its push until its successor's producer links it. */
#include "mpsc.h"

void mpsc_init(struct mpsc_queue *q)
{
    /* Relaxed: the queue is not shared yet; whoever shares it must synchronize that hand-over. */
    atomic_store_explicit(&q->stub.next, NULL, memory_order_relaxed);
    atomic_store_explicit(&q->head, &q->stub, memory_order_relaxed);
    q->tail = &q->stub;
}

void mpsc_push(struct mpsc_queue *q, struct mpsc_node *n)
{
    /* Relaxed: published to the next producer by the exchange below (release) and to the
     * consumer by our link store (release). */
    atomic_store_explicit(&n->next, NULL, memory_order_relaxed);

    /* Step 1: make n the newest node. acq_rel pairs with the next/previous producer's exchange:
     * release makes our n->next = NULL visible before the next producer stores n->next = its
     * node (so our NULL can never overwrite its link); acquire makes the previous producer's
     * prev->next = NULL visible before our link store below. */
    struct mpsc_node *prev = atomic_exchange_explicit(&q->head, n, memory_order_acq_rel);

    /* Between here and the next line the list is cut: the consumer cannot reach n (nor
     * anything pushed after it) and mpsc_pop returns NULL at prev. Wait-free nonetheless. */

    /* Step 2: link n behind prev. Release pairs with the consumer's acquire load of prev->next
     * in mpsc_pop: the caller's writes to n's enclosing object and n->next = NULL become
     * visible before the consumer can see n. */
    atomic_store_explicit(&prev->next, n, memory_order_release);
}

struct mpsc_node *mpsc_pop(struct mpsc_queue *q)
{
    struct mpsc_node *tail = q->tail;
    /* Acquire pairs with the release link store in mpsc_push: next's contents (payload and
     * next->next = NULL) are visible before we dereference or return next. */
    struct mpsc_node *next = atomic_load_explicit(&tail->next, memory_order_acquire);

    if (tail == &q->stub) {
        if (next == NULL)
            return NULL; /* empty, or the first producer has not linked stub->next yet */
        /* Step past the stub: it leaves the list (its stale ->next is reset when re-pushed). */
        q->tail = next;
        tail = next;
        /* Acquire: same pairing as above, for the node after the first real one. */
        next = atomic_load_explicit(&tail->next, memory_order_acquire);
    }

    if (next != NULL) {
        /* tail has a linked successor, so it can be handed out and next becomes the oldest. */
        q->tail = next;
        return tail;
    }

    /* tail is the last linked node. Relaxed is enough: head is only compared, never
     * dereferenced, and we reached tail through a link that was stored after tail's own
     * exchange, so by coherence this load sees tail's exchange or a later one. */
    struct mpsc_node *head = atomic_load_explicit(&q->head, memory_order_relaxed);
    if (tail != head)
        return NULL; /* transient: a producer exchanged head but has not linked tail->next yet */

    /* tail is the only node left. Handing it out would leave the list without a node, so
     * first push the stub behind it (the stub is not in the list here: tail != stub). */
    mpsc_push(q, &q->stub);

    /* Acquire: same pairing as above; either our stub push or a racing producer linked it. */
    next = atomic_load_explicit(&tail->next, memory_order_acquire);
    if (next != NULL) {
        q->tail = next;
        return tail;
    }
    /* A producer exchanged between our head load and the stub push and has not linked
     * tail->next yet; its node (then the stub) will follow tail. Transient NULL. */
    return NULL;
}

int mpsc_empty(struct mpsc_queue *q)
{
    struct mpsc_node *tail = q->tail;
    if (tail != &q->stub)
        return 0; /* tail is a real node that has not been popped */
    /* Relaxed: only tested against NULL, never dereferenced here. */
    return atomic_load_explicit(&tail->next, memory_order_relaxed) == NULL;
}
