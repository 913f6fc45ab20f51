/* Reference counting of free-threaded CPython (docs/schemes.md, free-threading: Python/brc.c, Include/refcount.h)
 * as costs for models/schemes/free_threading.c. Each object access takes and drops one reference
 * (the Py_INCREF/Py_DECREF of the object loaded on the stack). Biased: the owner's are plain
 * stores, another thread's are atomic adds on the shared count, whose cache line moves between
 * the cores that write it; a non-owner mutation drops the container's reference to an item the
 * owner holds, which would take the shared count below zero, so it is queued to the owner and
 * merged at the owner's next check point. Invariant: every queued merge runs exactly once. */
#ifndef GILSIM_MODELS_SCHEMES_FT_REFCOUNT_H
#define GILSIM_MODELS_SCHEMES_FT_REFCOUNT_H

#include <stdatomic.h>
#include <stdint.h>

struct run;
struct ithread;

enum ft_rc_mode { FT_RC_BIASED, FT_RC_ATOMIC, FT_RC_NONE };

/* Per owner: merges queued to it, and whether it has exited (then queuers merge themselves). */
struct ft_rc_owner {
    _Atomic uint64_t queued;
    _Atomic int exited;
};

struct ft_rc {
    enum ft_rc_mode mode;
    _Atomic uint32_t *last;  /* per initial object: the thread that last wrote its shared count */
    struct ft_rc_owner *own; /* per thread */
    int64_t objects;
};

/* Sets rc up for r in mode (the ft_refcount parameter); -1 if out of memory. */
int ft_rc_init(struct ft_rc *rc, const struct run *r, enum ft_rc_mode mode);
void ft_rc_fini(struct ft_rc *rc);
/* CPU cost of t taking and dropping one reference to object creator:index (no cost is charged
 * here; the cache line of its shared count is this thread's afterwards). */
double ft_rc_refs(struct ft_rc *rc, struct ithread *t, uint32_t creator, uint64_t index);
/* 1 if ft_rc_refs(t, creator:index) would cost exactly ft_rc_inline_ns(t) now and no other
 * thread can change that before t acts again, given that no other thread can reach the object. */
int ft_rc_private(struct ft_rc *rc, struct ithread *t, uint32_t creator, uint64_t index);
double ft_rc_inline_ns(const struct ft_rc *rc, const struct ithread *t);
/* t, not the owner, mutated an object of `owner`, dropping the reference to the item it
 * replaced: queues the item's merge to the owner (or merges it, if the owner has exited) and
 * charges t for it. */
void ft_rc_drop_owned(struct ft_rc *rc, struct ithread *t, uint32_t owner);
/* The owner t merges what is queued to it (its check point, and at exit). */
void ft_rc_merge(struct ft_rc *rc, struct ithread *t);
/* t exits: later queuers merge themselves, and what is queued now is merged. */
void ft_rc_exit(struct ft_rc *rc, struct ithread *t);

#endif
