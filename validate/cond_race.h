/* Which waiter a pthread_cond_signal wakes on this machine (glibc + Linux futexes): the
 * experiments behind gilsim's wake_order=glibc and cv_steal (docs/design.md, "Wake order"),
 * run by bench/cond_order and by gilsim calibrate (cv_steal).
 *  - cond_order_longest: three threads begin timed waits 1 ms apart, one signal: how often the
 *    longest waiter takes it (glibc's G1 and the kernel's FIFO futex queue: always).
 *  - cond_race_steal: CPython's request race (take_gil/drop_gil): an old waiter sleeps; a
 *    second waiter's timed wait times out, it sets a request flag under the mutex and waits
 *    again; a holder spinning on the flag locks the mutex, hands over a token and signals. The
 *    share of rounds in which the requester, still entering its new wait, takes the token.
 * Not thread-safe: one experiment at a time per process. */
#ifndef GILSIM_VALIDATE_COND_RACE_H
#define GILSIM_VALIDATE_COND_RACE_H

/* Rounds in which the longest of three sleeping waiters took the signal, of `rounds`. */
int cond_order_longest(int rounds);
/* Share of `rounds` rounds in which the requester took the signal from the older waiter. */
double cond_race_steal(int rounds);

#endif
