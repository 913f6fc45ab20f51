/* Deadlock report shared by both backends: given threads left unfinished, prints the wait-for
 * graph (thread -> owner it waits on) as cycles and chains, one line each. */
#ifndef GILSIM_MODELS_DEADLOCK_H
#define GILSIM_MODELS_DEADLOCK_H

#include <stdio.h>

struct run;

/* Returns how many threads did not finish; prints one line per wait-for cycle, per chain that
 * ends at an exited owner, and per blocked thread with no wait-for edge. */
int deadlock_report(struct run *r, FILE *out);

#endif
