/* Wait-free multi-producer single-consumer intrusive FIFO queue (after Dmitry Vyukov's
 * node-based MPSC queue). Users embed struct mpsc_node in their own objects.
 * Invariant: the nodes reachable from q->tail through ->next form a singly linked list in
 * push order whose last node is q->head (once every producer finished its link store), and
 * the embedded stub node is in that list at most once.
 *
 * Who may call what concurrently:
 *
 *   function     | callers                    | may run concurrently with
 *   -------------+----------------------------+--------------------------------------------
 *   mpsc_init    | one thread, before any use | nothing
 *   mpsc_push    | any thread                 | mpsc_push (any number), mpsc_pop, mpsc_empty
 *   mpsc_pop     | the single consumer only   | mpsc_push; never another mpsc_pop/mpsc_empty
 *   mpsc_empty   | the single consumer only   | mpsc_push; never another mpsc_pop/mpsc_empty
 *
 * "The single consumer" may change from thread to thread only if the hand-over itself
 * synchronizes (mutex, join, release/acquire flag, ...).
 *
 * Transient NULL: mpsc_push is two steps, (1) an atomic exchange that makes the node the
 * new head and (2) a store that links the previous head to it. A producer preempted between
 * (1) and (2) leaves the list temporarily cut in two: nodes pushed at or after that point are
 * not reachable by the consumer yet. mpsc_pop then returns NULL even though nodes were pushed
 * (and mpsc_empty may return 0 while mpsc_pop returns NULL). This is not loss: once the producer
 * performs step (2), all those nodes become poppable in FIFO order. A consumer that must
 * receive a known number of nodes should therefore retry (spin / sched_yield) on NULL. After
 * all producers have returned from mpsc_push (and that is synchronized with the consumer,
 * e.g. by pthread_join), NULL from mpsc_pop means the queue really is empty.
 *
 * A node must not be pushed again (or freed) until mpsc_pop has returned it; the push of a
 * node returned by mpsc_pop on another thread must be ordered after that return by the
 * caller's own synchronization (the queue writes n->next on push).
 *
 * Alignment: struct mpsc_queue is 64-byte aligned so that the producer side (head) and the
 * consumer side (tail, stub) sit on separate cache lines. Static and automatic objects get
 * this for free; heap copies must come from aligned_alloc(64, ...) or similar.
 */
#ifndef GILSIM_MODELS_MPSC_H
#define GILSIM_MODELS_MPSC_H

#include <stdatomic.h>
#include <stddef.h>

#define MPSC_CACHE_LINE 64

struct mpsc_node {
    _Atomic(struct mpsc_node *) next;
};

struct mpsc_queue {
    /* Producer side: the most recently pushed node; every push exchanges it. */
    _Alignas(MPSC_CACHE_LINE) _Atomic(struct mpsc_node *) head;
    /* Consumer side: the oldest node not yet popped (possibly the stub). Consumer-only,
     * hence a plain pointer. */
    _Alignas(MPSC_CACHE_LINE) struct mpsc_node *tail;
    /* Placeholder node that keeps the list non-empty; re-pushed by the consumer when it is
     * about to take the last real node. Its ->next is written by a producer only when the
     * stub is the head, i.e. rarely. */
    struct mpsc_node stub;
};

/* Recover the enclosing object from a pointer to its embedded struct mpsc_node. */
#define mpsc_entry(ptr, type, member) ((type *)((char *)(ptr) - offsetof(type, member)))

/* Initialize an empty queue. Not thread-safe; call before the queue is shared. */
void mpsc_init(struct mpsc_queue *q);

/* Append n. Wait-free (one atomic exchange plus one store), any thread, concurrently. */
void mpsc_push(struct mpsc_queue *q, struct mpsc_node *n);

/* Consumer only. Remove and return the oldest node in FIFO order (FIFO is the order of the
 * producers' exchanges, so per producer it is that producer's push order). Returns NULL
 * when the queue is empty, and also transiently when a producer is between its exchange and
 * its link store (see "Transient NULL" above); retry later in that case. */
struct mpsc_node *mpsc_pop(struct mpsc_queue *q);

/* Consumer only. Returns 1 if no pushed-but-unpopped node is visible to the consumer, else 0.
 * A 0 does not guarantee that the next mpsc_pop succeeds (transient NULL, see above). */
int mpsc_empty(struct mpsc_queue *q);

#endif
