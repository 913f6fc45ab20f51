/* The sequential oracle: replays every thread's op stream, one thread after another, on fresh
 * objects and compares the final state of every object with the run's. Since the handlers'
 * final states do not depend on order, equality means every op ran exactly once. */
#ifndef GILSIM_MODELS_ORACLE_H
#define GILSIM_MODELS_ORACLE_H

#include <stddef.h>

struct run;

/* 1 if the run's objects match the oracle's; else 0 with the first difference in msg. */
int oracle_check(struct run *r, char *msg, size_t len);

#endif
