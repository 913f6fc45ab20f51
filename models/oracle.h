/* The exactly-once check. Every op a thread takes from its stream is recorded as issued, at the
 * one place the eval loop takes it (oracle_issue, called by fetch): a read adds an odd weight
 * to its object's `due`, a mutation its term of the object's linear digest (object.h). At the
 * end every object's state and reads must add up to what was issued to it, and every thread must have taken its whole stream
 * and completed every opcode of it. Since handlers commute, that is the sequential oracle's
 * final state; the check costs per access, never a second pass over the streams. */
#ifndef GILSIM_MODELS_ORACLE_H
#define GILSIM_MODELS_ORACLE_H

#include <stddef.h>

#include "interp.h"

/* Records op, just taken from t's stream, as issued (run once per op of a stream). Returns
 * the object of an access (the eval loop keeps it), else NULL. */
static inline struct object *oracle_issue(struct ithread *t, const struct op *op)
{
    switch (op->code) {
    case OP_COMPUTE:
        t->due_ops += op_span(op);
        return NULL;
    case OP_READ:
    case OP_MUTATE: {
        t->due_ops++;
        if (op->callback)
            obj_issue(interp_object(t->run, op->issuer, op->cb_index), OBJ_READ, 0);
        struct object *obj = interp_object(t->run, op->thread, op->index);
        obj_issue(obj, op->code == OP_READ ? OBJ_READ : OBJ_MUTATE, op->arg);
        return obj;
    }
    case OP_ALLOC:
        t->due_ops++;
        t->due_allocs++;
        return NULL;
    case OP_EXIT:
        t->took_exit = 1;
        return NULL;
    default:
        t->due_ops++; /* OP_IO */
        return NULL;
    }
}

/* 1 if every op of every stream ran exactly once; else 0 with the first difference in msg. */
int oracle_check(struct run *r, char *msg, size_t len);

#endif
