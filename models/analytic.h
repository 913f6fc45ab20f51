/* First-order predictions of docs/schemes.md, delegate for the delegate schemes, computed from a run's
 * parameters with the same cost model the simulator charges. They are written beside the
 * simulated metrics (columns lat_model, sharing_breakeven_model) so that a plot can show where
 * the simulation departs from the back-of-envelope model. */
#ifndef GILSIM_MODELS_ANALYTIC_H
#define GILSIM_MODELS_ANALYTIC_H

#include "params.h"

/* What the model needs of a scheme's own knobs (scheme_ops.analytic fills it in). */
struct analytic_knobs {
    double spacing; /* opcodes between an owner's looks at its queue (its check points) */
    int push_flags; /* 1 if a push also flags the owner (cas_ns more) */
    double spin_ns; /* how long a waiter spins before it blocks: 0 at once, INFINITY never */
};

/* Mean CPU time of one opcode of a thread running its own code, c (ns). */
double analytic_opcode_ns(const struct params *p);
/* What a spinning waiter's answer costs it beyond the parts of its round trip charged where
 * they happen (push_ns, the owner's handoff_ns, pop_ns, cas_ns, the waiter's handoff_ns): the
 * measured round trip spin_rtt_ns less those parts, 0 if they exceed it (ns). The lines they do
 * not name (the queue's stub and tail, both interrupt flags, the waiter's `waiting` word and
 * answer flag) cross between the cores on the round trip too. models/schemes/delegate.c charges
 * it, lat_model counts it. */
double analytic_spin_rest_ns(const struct params *p);
/* E[L]: mean latency of a delegated op with a lightly loaded owner running its own code (ns):
 * push + mean residual to the owner's next check point (spacing c / 2: N c / 2, or breaker c / 2
 * with delegate's notify)
 * + service (the pushed lines' hand-off, pop, handler, the CAS on the waiter's mutex) + wake:
 * the spin hand-off when the answer comes while the waiter spins; the end of its way into sleep
 * (sleep_ns after it published that it blocks) and the hand-off when the answer comes within
 * it; else wake_ns after the answer. The residual is uniform over the gap between check
 * points. NaN for schemes that do not delegate. */
double analytic_latency_ns(const struct params *p);
/* Break-even sharing against a GIL: the sharing ratio below which the delegate scheme on
 * k = min(threads, cores) cores beats one core under a GIL,
 *   f* = c (k - 1 - eps) / (E[L] + s_op + t_signal),  sharing* = f* / access.
 * NaN for schemes that do not delegate or when access is 0. */
double analytic_breakeven_sharing(const struct params *p);

#endif
