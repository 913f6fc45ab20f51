/* The op set of the interpreter model: what one opcode of a thread's stream does, and to which
 * object. Objects are named (creator thread, index): index < objects are created at thread start,
 * later indexes by that thread's OP_ALLOC ops, in order. */
#ifndef GILSIM_WORKLOADS_OP_H
#define GILSIM_WORKLOADS_OP_H

#include <stdint.h>

enum op_code {
    OP_COMPUTE, /* pure bytecode work, no mutable object */
    OP_READ,    /* read a mutable object */
    OP_MUTATE,  /* change a mutable object */
    OP_ALLOC,   /* create a new object owned by this thread */
    OP_IO,      /* block in I/O for cost_ns, using no core */
    OP_EXIT,    /* end of the thread's stream */
    OP_CODE_COUNT
};

struct op {
    enum op_code code;
    uint32_t thread; /* creator of the object (OP_READ, OP_MUTATE, OP_ALLOC) */
    uint32_t index;  /* index of the object among its creator's objects */
    uint32_t span;   /* OP_COMPUTE: how many opcodes of cost_ns each it stands for (0 reads as 1) */
    int64_t arg;     /* handler argument */
    double cost_ns;  /* the bytecode's own work, before handler and check costs; OP_IO: its
                        duration */
    uint32_t issuer; /* the thread whose stream holds the op */
    uint32_t cb_index; /* callback: the handler also reads object (issuer, cb_index) */
    int callback;      /* 1 if the handler calls back (like __eq__, extend(iterable)) */
    float miss_ns;     /* OP_READ, OP_MUTATE: the cost of the cache misses of an access among
                          its working set (workloads/generator.c, miss_charge),
                          charged beyond handler_ns (0 where primitives are real) */
};

/* Allocations are recycled, so a run keeps at most OP_ALLOC_SLOTS allocated objects per
 * thread however long it runs: a thread's accesses name its initial objects and its last
 * OP_LIVE_ALLOCS allocations (older ones are garbage, like unreachable Python objects), and
 * allocation number a (0, 1, ...) is object index objects + a % OP_ALLOC_SLOTS, taking the slot
 * of allocation a - OP_ALLOC_SLOTS. The gap between the two bounds exceeds the ops a thread
 * holds batched but not applied (interp.h, 2 x INTERP_BATCH_MAX + 2), so no op reaches an
 * object recycled under it. Below OP_LIVE_ALLOCS allocations per thread, nothing changes:
 * allocation a is index objects + a. */
#define OP_ALLOC_SLOTS (1u << 20)
#define OP_LIVE_ALLOCS (OP_ALLOC_SLOTS - 4096u)

/* The object index of allocation number a of a thread. */
static inline uint32_t op_alloc_index(int64_t objects, uint64_t a)
{
    return (uint32_t)((uint64_t)objects + a % OP_ALLOC_SLOTS);
}

static inline int op_is_access(const struct op *op)
{
    return op->code == OP_READ || op->code == OP_MUTATE;
}

/* The most opcodes one OP_COMPUTE op stands for. */
#define OP_SPAN_MAX 0xffffffffu

/* Opcodes the op stands for: a compute run's span, else 1. */
static inline int64_t op_span(const struct op *op)
{
    int64_t span = (int64_t)op->span + (op->span == 0); /* 0 reads as 1 */
    return op->code == OP_COMPUTE ? span : 1;
}

static inline const char *op_code_name(enum op_code c)
{
    static const char *const names[OP_CODE_COUNT] = { "compute", "read", "mutate", "alloc",
                                                      "io", "exit" };
    return (unsigned)c < OP_CODE_COUNT ? names[c] : "?";
}

#endif
