/* Deadlock report shared by both backends: given threads left unfinished, prints the wait-for
 * graph (thread -> owner it waits on) as cycles and chains, one line each. */
#ifndef GILSIM_MODELS_DEADLOCK_H
#define GILSIM_MODELS_DEADLOCK_H

#include <stdio.h>

struct run;

/* What the first wait-for structure found (from the lowest blocked thread) is: a cycle of two
 * threads (mutual), a longer cycle (chain), a path that ends at an exited owner nobody drains
 * (exited), or a blocked thread waiting on no owner (blocked). */
enum deadlock_kind { DK_NONE, DK_MUTUAL, DK_CHAIN, DK_EXITED, DK_BLOCKED }; /* CSV names: results.c */

/* Returns how many threads did not finish; prints one line per wait-for cycle, per chain that
 * ends at an exited owner, and per blocked thread with no wait-for edge. *kind and *len (if
 * not NULL) get the first one's kind and length: the threads of the cycle, or of the path
 * including the exited owner, or 1 for a lone blocked thread; DK_NONE and 0 if none. */
int deadlock_report(struct run *r, FILE *out, int *kind, unsigned *len);

#endif
