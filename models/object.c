/* Real C handlers for gilsim's mutable objects, dispatched through a [kind][op] table.
 * Invariant: a list holds its last min(len, OBJ_LIST_WINDOW) values (<= cap) and the digest of
 * all it was given; a dict has a power-of-two
 * cap (or 0), count*4 <= cap*3, and every key reachable by linear probing from its hash slot. */
#include "object.h"

#include "obj_heap.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DICT_MIN_CAP 8

typedef int64_t (*obj_handler)(struct object *o, int64_t arg);

/* Wrapping signed addition (no undefined overflow). */
static int64_t wrap_add(int64_t a, int64_t b)
{
    return (int64_t)((uint64_t)a + (uint64_t)b);
}

/* a mod m in [0, m), for m > 0 and m <= INT64_MAX. */
static size_t nonneg_mod(int64_t a, size_t m)
{
    int64_t r = a % (int64_t)m;
    return (size_t)(r < 0 ? r + (int64_t)m : r);
}

/* ---- counter ---- */

static int64_t counter_read(struct object *o, int64_t arg)
{
    (void)arg;
    return o->u.counter;
}

static int64_t counter_mutate(struct object *o, int64_t arg)
{
    o->u.counter = wrap_add(o->u.counter, arg);
    return o->u.counter;
}

/* ---- list ---- */

/* Item j (0-based, oldest first) of the values the list still holds. */
static int64_t list_read(struct object *o, int64_t arg)
{
    const struct obj_list *l = &o->u.list;
    size_t k = l->len < OBJ_LIST_WINDOW ? l->len : OBJ_LIST_WINDOW;
    if (!k)
        return 0;
    return l->items[(l->len - k + nonneg_mod(arg, k)) % OBJ_LIST_WINDOW];
}

static int64_t list_mutate(struct object *o, int64_t arg)
{
    struct obj_list *l = &o->u.list;
    size_t room = obj_list_cap(l->len);
    if (l->len == room && room < OBJ_LIST_WINDOW) {
        size_t cap = room ? room * 2 : OBJ_LIST_MIN_CAP;
        cap = cap < OBJ_LIST_WINDOW ? cap : OBJ_LIST_WINDOW;
        int64_t *items = obj_heap_alloc(cap * sizeof *items, 0);
        if (l->len)
            memcpy(items, l->items, l->len * sizeof *items);
        obj_heap_free(l->items, room * sizeof *items);
        l->items = items;
    }
    l->items[l->len % OBJ_LIST_WINDOW] = arg;
    l->sum += mix64((uint64_t)arg);
    l->len++;
    return (int64_t)l->len;
}

/* Same number of values appended and the same digest of them: equal as multisets (up to a
 * 64-bit hash collision). */
static int list_equal(const struct obj_list *a, const struct obj_list *b)
{
    return a->len == b->len && a->sum == b->sum;
}

/* ---- dict ---- */

/* Slot holding `key`, or the empty slot where it would be inserted. Requires cap > 0 and at
 * least one empty slot (guaranteed by the 3/4 load bound). */
static size_t dict_probe(const struct obj_dict *d, int64_t key)
{
    size_t mask = d->cap - 1;
    size_t i = (size_t)mix64((uint64_t)key) & mask;
    uint64_t tag = (uint64_t)key + 1;
    while (d->slots[i].tag && d->slots[i].tag != tag)
        i = (i + 1) & mask;
    return i;
}

/* Pointer to key's value, or NULL if absent. */
static const int64_t *dict_find(const struct obj_dict *d, int64_t key)
{
    if (d->cap == 0)
        return NULL;
    size_t i = dict_probe(d, key);
    return d->slots[i].tag ? &d->slots[i].value : NULL;
}

static void dict_grow(struct obj_dict *d)
{
    struct obj_dict old = *d;
    d->cap = old.cap ? old.cap * 2 : DICT_MIN_CAP;
    d->slots = obj_heap_alloc(d->cap * sizeof *d->slots, 1); /* zeroed: every slot empty */
    for (size_t i = 0; i < old.cap; i++) {
        if (!old.slots[i].tag)
            continue;
        d->slots[dict_probe(d, (int64_t)(old.slots[i].tag - 1))] = old.slots[i];
    }
    obj_heap_free(old.slots, old.cap * sizeof *old.slots);
}

/* Pointer to key's value, inserting key -> 0 first if absent (growing first if that insert
 * would exceed 3/4 load). */
static int64_t *dict_slot(struct obj_dict *d, int64_t key)
{
    size_t i = d->cap ? dict_probe(d, key) : 0;
    if (d->cap == 0 || !d->slots[i].tag) {
        if ((d->count + 1) * 4 > d->cap * 3) {
            dict_grow(d);
            i = dict_probe(d, key);
        }
        d->slots[i].tag = (uint64_t)key + 1;
        d->slots[i].value = 0;
        d->count++;
    }
    return &d->slots[i].value;
}

static int64_t dict_read(struct object *o, int64_t arg)
{
    const int64_t *v = dict_find(&o->u.dict, obj_dict_key(arg));
    return v ? *v : 0;
}

static int64_t dict_mutate(struct object *o, int64_t arg)
{
    int64_t *v = dict_slot(&o->u.dict, obj_dict_key(arg));
    *v = wrap_add(*v, arg);
    return *v;
}

/* Same key set (a key present with value 0 differs from an absent key) and same values. */
static int dict_equal(const struct obj_dict *a, const struct obj_dict *b)
{
    if (a->count != b->count)
        return 0;
    for (size_t i = 0; i < a->cap; i++) {
        if (!a->slots[i].tag)
            continue;
        const int64_t *v = dict_find(b, (int64_t)(a->slots[i].tag - 1));
        if (!v || *v != a->slots[i].value)
            return 0;
    }
    return 1;
}

/* ---- dispatch and generic operations ---- */

const obj_handler obj_handlers[OBJ_KIND_COUNT][OBJ_OPCODE_COUNT] = {
    [OBJ_COUNTER] = {[OBJ_READ] = counter_read, [OBJ_MUTATE] = counter_mutate},
    [OBJ_LIST] = {[OBJ_READ] = list_read, [OBJ_MUTATE] = list_mutate},
    [OBJ_DICT] = {[OBJ_READ] = dict_read, [OBJ_MUTATE] = dict_mutate},
};

const char *obj_kind_name(enum obj_kind k)
{
    static const char *const names[OBJ_KIND_COUNT] = {
        [OBJ_COUNTER] = "counter", [OBJ_LIST] = "list", [OBJ_DICT] = "dict"};
    return (unsigned)k < OBJ_KIND_COUNT ? names[k] : "?";
}

void obj_init(struct object *o, enum obj_kind kind, uint64_t owner)
{
    memset(&o->u, 0, sizeof o->u);
    atomic_init(&o->owner, owner);
    o->kind = kind;
    o->reads = 0;
    o->hint = 0;
    atomic_init(&o->due, 0);
}

void obj_destroy(struct object *o)
{
    switch (o->kind) {
    case OBJ_LIST:
        obj_heap_free(o->u.list.items, obj_list_cap(o->u.list.len) * sizeof *o->u.list.items);
        break;
    case OBJ_DICT:
        obj_heap_free(o->u.dict.slots, o->u.dict.cap * sizeof *o->u.dict.slots);
        break;
    default:
        break;
    }
    memset(&o->u, 0, sizeof o->u);
}

void obj_bad_apply(const struct object *o, enum obj_opcode op)
{
    fprintf(stderr, "gilsim: object: bad kind %d or opcode %d\n", (int)o->kind, (int)op);
    abort();
}

int obj_state_equal(const struct object *a, const struct object *b)
{
    if (a->kind != b->kind)
        return 0;
    switch (a->kind) {
    case OBJ_COUNTER:
        return a->u.counter == b->u.counter;
    case OBJ_LIST:
        return list_equal(&a->u.list, &b->u.list);
    case OBJ_DICT:
        return dict_equal(&a->u.dict, &b->u.dict);
    default:
        return 0;
    }
}

/* Commutative (wrapping sum of per-element hashes), so it ignores order and slot layout. */
uint64_t obj_digest(const struct object *o)
{
    uint64_t h = mix64((uint64_t)o->kind + 1);
    switch (o->kind) {
    case OBJ_COUNTER:
        h ^= mix64((uint64_t)o->u.counter);
        break;
    case OBJ_LIST:
        h ^= mix64(o->u.list.len);
        h += o->u.list.sum;
        break;
    case OBJ_DICT:
        h ^= mix64(o->u.dict.count);
        for (size_t i = 0; i < o->u.dict.cap; i++)
            if (o->u.dict.slots[i].tag)
                h += mix64(mix64(o->u.dict.slots[i].tag - 1) ^
                               (uint64_t)o->u.dict.slots[i].value);
        break;
    default:
        break;
    }
    return h;
}

uint64_t obj_value_digest(const struct object *o)
{
    uint64_t h = 0;
    switch (o->kind) {
    case OBJ_COUNTER: h = (uint64_t)o->u.counter; break;
    case OBJ_LIST: h = o->u.list.sum + o->u.list.len * OBJ_LIST_TERM_BIAS; break;
    case OBJ_DICT:
        for (size_t i = 0; i < o->u.dict.cap; i++)
            if (o->u.dict.slots[i].tag)
                h += obj_dict_weight((int64_t)(o->u.dict.slots[i].tag - 1)) *
                     (uint64_t)o->u.dict.slots[i].value;
        break;
    default: break;
    }
    return h;
}
