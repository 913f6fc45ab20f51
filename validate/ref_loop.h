/* The machine's speed beside a native run: a short reference loop (a dependent multiply-add, as
 * the native backend's busy work) on the CPUs a run uses, with as many of them busy as the run
 * keeps busy, timed before and after each native run of gilsim validate. A run whose two
 * references differ by more than a bound ran on a machine whose speed moved under it. */
#ifndef GILSIM_VALIDATE_REF_LOOP_H
#define GILSIM_VALIDATE_REF_LOOP_H

/* Runs the loop on `busy` threads pinned round-robin to the first CPUs this process may use (the
 * native backend's placement), each for about `ms` milliseconds' worth of iterations, and
 * returns the mean ns per iteration over the threads; NaN if a thread cannot be started. */
double ref_loop_ns(int busy, double ms);

#endif
