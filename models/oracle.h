/* The exactly-once check. Every op a thread takes from its stream is recorded as issued, at the
 * one place the eval loop takes it (oracle_issue, called by fetch): a read counts on its object,
 * a mutation adds its term of the object's linear digest (object.h). At the end every object's
 * state must add up to what was issued to it, and every thread must have taken its whole stream
 * and completed every opcode of it. Since handlers commute, that is the sequential oracle's
 * final state; the check costs per access, never a second pass over the streams. */
#ifndef GILSIM_MODELS_ORACLE_H
#define GILSIM_MODELS_ORACLE_H

#include <stddef.h>

#include "interp.h"

/* Records op, just taken from t's stream, as issued (run once per op of a stream). */
static inline void oracle_issue(struct ithread *t, const struct op *op)
{
    if (op->code == OP_EXIT) {
        t->took_exit = 1;
        return;
    }
    t->due_ops += op_span(op);
    if (op->code == OP_ALLOC) {
        t->due_allocs++;
    } else if (op_is_access(op)) {
        if (op->callback)
            obj_issue(interp_object(t->run, op->issuer, op->cb_index), OBJ_READ, 0);
        obj_issue(interp_object(t->run, op->thread, op->index),
                  op->code == OP_READ ? OBJ_READ : OBJ_MUTATE, op->arg);
    }
}

/* 1 if every op of every stream ran exactly once; else 0 with the first difference in msg. */
int oracle_check(struct run *r, char *msg, size_t len);

#endif
