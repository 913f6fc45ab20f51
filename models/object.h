/* Interpreter mutable objects (counter, list, dict) and their real C operation handlers.
 * Invariant: an object's state changes only through obj_apply, which runs unlocked, so the
 * caller must guarantee at most one thread touches an object at a time; `owner` is the only
 * field meant to be read concurrently. */
#ifndef GILSIM_MODELS_OBJECT_H
#define GILSIM_MODELS_OBJECT_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "splitmix.h"

enum obj_kind { OBJ_COUNTER, OBJ_LIST, OBJ_DICT, OBJ_KIND_COUNT };
enum obj_opcode { OBJ_READ, OBJ_MUTATE, OBJ_OPCODE_COUNT };

/* Dict keys are the op argument reduced (non-negatively) modulo this, bounding a dict's size. */
#define OBJ_DICT_KEY_SPACE 64

/* A list keeps its last OBJ_LIST_WINDOW appended values (what reads see) and, for its state,
 * how many values were appended and a digest of them all, so its memory stays bounded however
 * many ops a run has. */
#define OBJ_LIST_WINDOW 64

struct obj_list {
    int64_t *items;             /* the last min(len, OBJ_LIST_WINDOW) values, a ring: value i
                                   (0-based, in append order) at i % OBJ_LIST_WINDOW; NULL until
                                   the first append */
    size_t len;                 /* values appended (items has room for obj_list_cap(len)) */
    uint64_t sum;               /* wrapping sum of a 64-bit hash of every value appended: the
                                   multiset's digest (order-independent) */
};

/* Room in a list's items after `len` appends: none before the first, then OBJ_LIST_MIN_CAP
 * values, doubled
 * as appends need it, up to OBJ_LIST_WINDOW (a function of len, so the object does not keep
 * it). */
#define OBJ_LIST_MIN_CAP 8
static inline size_t obj_list_cap(size_t len)
{
    if (len >= OBJ_LIST_WINDOW)
        return OBJ_LIST_WINDOW; /* most lists, once warm */
    size_t cap = OBJ_LIST_MIN_CAP;
    while (cap < len && cap < OBJ_LIST_WINDOW)
        cap *= 2;
    return len ? cap : 0;
}

/* Open-addressing int64 -> int64 map: linear probing, power-of-two cap, grown at 3/4 load. A
 * key and its value share a slot, so a look-up touches one line of memory. */
struct obj_dict_slot {
    uint64_t tag;  /* key + 1; 0: the slot is empty (keys are >= 0, see obj_dict_key) */
    int64_t value;
};
struct obj_dict {
    struct obj_dict_slot *slots; /* cap slots, NULL until the first insert */
    size_t count, cap;
};

struct object {
    _Atomic uint64_t owner;     /* owner thread id (opaque to this module: the owner's thread slot) */
    enum obj_kind kind;
    _Atomic uint64_t reads;     /* instrumentation: reads executed on this object (not part of its
                                   state); atomic: readers of one object may run at once */
    uint64_t hint;            /* scheme-private word (e.g. delegate's migration counter) */
    /* For the exactly-once check (oracle.h): what the ops issued to this object add up to,
     * recorded by their issuers (atomic: foreign issuers may record at once): the wrapping sum
     * of obj_mutation_term() over the mutations issued, plus OBJ_READ_WEIGHT per read. */
    _Atomic uint64_t due;
    union {
        int64_t counter;
        struct obj_list list;
        struct obj_dict dict;
    } u;
};
/* One cache line per object (where its memory is aligned: interp.c, obj_heap.c), so that an
 * access touches one line of it. */
_Static_assert(sizeof(struct object) == 64, "an object fills one cache line");

/* What a read issued adds to an object's `due` (odd, so a read lost or doubled always changes
 * it), and what each read applied counts beside its state's digest. */
#define OBJ_READ_WEIGHT 0xbf58476d1ce4e5b9ULL

/* "counter", "list", "dict"; "?" for an out-of-range kind. */
const char *obj_kind_name(enum obj_kind k);

/* Makes *o an empty object of `kind` owned by `owner` (allocates nothing). Overwrites *o
 * without freeing: destroy a previously initialised object first. */
void obj_init(struct object *o, enum obj_kind kind, uint64_t owner);

/* Frees heap state and leaves an empty object of the same kind; safe on a zeroed object and
 * safe to call twice. */
void obj_destroy(struct object *o);

/* The handlers, by kind and op (object.c), and what obj_apply does with an out-of-range kind
 * or op (a message, then abort). */
extern int64_t (*const obj_handlers[OBJ_KIND_COUNT][OBJ_OPCODE_COUNT])(struct object *o,
                                                                        int64_t arg);
_Noreturn void obj_bad_apply(const struct object *o, enum obj_opcode op);

/* Runs the handler for (o->kind, op) on arg and returns its result (see object.c for the
 * per-kind semantics). Counter and dict arithmetic wraps modulo 2^64. Aborts with a message
 * on allocation failure or an out-of-range kind/op. Inline: the eval loop calls it for every
 * access. */
static inline int64_t obj_apply(struct object *o, enum obj_opcode op, int64_t arg)
{
    if (__builtin_expect((unsigned)o->kind >= OBJ_KIND_COUNT || (unsigned)op >= OBJ_OPCODE_COUNT,
                         0))
        obj_bad_apply(o, op);
    if (op == OBJ_READ)
        atomic_fetch_add_explicit(&o->reads, 1, memory_order_relaxed); /* a count, nothing ordered */
    return obj_handlers[o->kind][op](o, arg);
}

/* 1 if a and b have the same kind and the same state, regardless of the order in which the
 * mutations were applied (lists compare as multisets, dicts as key->value sets); else 0.
 * `owner` and `reads` are not state. */
int obj_state_equal(const struct object *a, const struct object *b);

/* Order-independent 64-bit digest of kind + state, for logs: equal states give equal digests. */
uint64_t obj_digest(const struct object *o);

/* A linear digest of the object's state: the wrapping sum of obj_mutation_term() over the
 * mutations applied to it since obj_init (counter: its value; list: sum of hashes + len x K;
 * dict: sum over keys of an odd per-key weight x value). A mutation lost, doubled or applied
 * with another argument changes it (a single error always: the weights are odd). */
uint64_t obj_value_digest(const struct object *o);
/* The dict key of an argument: arg reduced non-negatively modulo OBJ_DICT_KEY_SPACE. */
static inline int64_t obj_dict_key(int64_t arg)
{
    int64_t r = arg % OBJ_DICT_KEY_SPACE;
    return r < 0 ? r + OBJ_DICT_KEY_SPACE : r;
}
/* A list's digest counts each value appended as its hash plus this (so the length is in it). */
#define OBJ_LIST_TERM_BIAS 0x9e3779b97f4a7c15ULL
/* A dict key's odd weight in the linear digest. */
static inline uint64_t obj_dict_weight(int64_t key) { return mix64((uint64_t)key + 1) | 1; }
/* What one OBJ_MUTATE of arg adds to obj_value_digest() of an object of this kind. */
static inline uint64_t obj_mutation_term(enum obj_kind kind, int64_t arg)
{
    switch (kind) {
    case OBJ_COUNTER: return (uint64_t)arg;
    case OBJ_LIST: return mix64((uint64_t)arg) + OBJ_LIST_TERM_BIAS;
    case OBJ_DICT: return obj_dict_weight(obj_dict_key(arg)) * (uint64_t)arg;
    default: return 0;
    }
}
/* The first byte of o's state that obj_apply(o, op, arg) reads beyond o itself (to
 * prefetch it), or NULL if none. The caller may touch o. */
static inline const void *obj_state_at(const struct object *o, enum obj_opcode op, int64_t arg)
{
    switch (o->kind) {
    case OBJ_LIST: {
        const struct obj_list *l = &o->u.list;
        /* An append writes the next place; a read names one of the last values, mostly of
         * lists short enough to fit a line. */
        if (!l->items)
            return NULL;
        return &l->items[op == OBJ_MUTATE ? l->len % OBJ_LIST_WINDOW : 0];
    }
    case OBJ_DICT: {
        const struct obj_dict *d = &o->u.dict;
        if (!d->cap)
            return NULL;
        return &d->slots[mix64((uint64_t)obj_dict_key(arg)) & (d->cap - 1)];
    }
    default: return NULL;
    }
}

/* Records an op issued to o (for the check): a read adds OBJ_READ_WEIGHT, a mutation its
 * term. */
static inline void obj_issue(struct object *o, enum obj_opcode op, int64_t arg)
{
    uint64_t add = op == OBJ_READ ? OBJ_READ_WEIGHT : obj_mutation_term(o->kind, arg);
    atomic_fetch_add_explicit(&o->due, add, memory_order_relaxed);
}

/* What the ops applied to o add up to, in the terms of its `due`: its state's digest plus
 * OBJ_READ_WEIGHT per read. */
static inline uint64_t obj_applied(const struct object *o)
{
    return obj_value_digest(o) +
           atomic_load_explicit(&o->reads, memory_order_relaxed) * OBJ_READ_WEIGHT;
}

#endif
