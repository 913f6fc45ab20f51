/* First-order model of SCHEMES.md 5(c) (see analytic.h). Every term names the cost-model
 * parameter the simulator charges for it, so the two stay comparable. */
#include "analytic.h"

#include <math.h>
#include <string.h>

/* The model needs the generator's parameters: a replayed trace has its own mix. */
static int delegates(const struct params *p)
{
    return strncmp(p->scheme, "delegate", 8) == 0 && !p->trace[0];
}

/* Only the ownership schemes pay the owner check and the drain-point poll (delegate.c
 * dlg_thread_start); the model is for them. */
double analytic_opcode_ns(const struct params *p)
{
    double access = p->access * (p->check_ns + p->handler_ns);
    double alloc = p->alloc * p->alloc_ns;
    double compute = (1 - p->io) * p->op_ns; /* I/O opcodes use no core */
    return compute + access + alloc + p->poll_ns / (double)p->N;
}

double analytic_latency_ns(const struct params *p)
{
    if (!delegates(p))
        return NAN;
    double c = analytic_opcode_ns(p);
    int notify = param_on(p->notify);
    double push = p->push_ns + (notify ? p->cas_ns : 0);
    double spacing = notify ? (double)p->breaker : (double)p->N;
    double gap = spacing * c; /* the push lands uniformly within a gap between check points */
    double residual = gap / 2;
    double service = p->pop_ns + p->handler_ns;
    /* t_wake runs from the owner's signal until the requester runs (DESIGN.md 9), so the
     * signal's own cost is the owner's, not the requester's. A waiter still awake when the
     * answer comes (spinning, or on its way into sleep: sleep_ns) sees the store after a
     * cache-line hand-off; the answer comes residual + service after it started waiting. */
    double awake = strcmp(p->wait, "spin") == 0         ? INFINITY
                   : strcmp(p->wait, "spin-block") == 0 ? p->spin_ns + p->sleep_ns
                                                        : p->sleep_ns;
    double in_time = gap > 0 ? (awake - service) / gap : (awake >= service);
    in_time = in_time < 0 ? 0 : in_time > 1 ? 1 : in_time;
    double wake = in_time * p->handoff_ns + (1 - in_time) * p->wake_ns;
    return push + residual + service + wake;
}

double analytic_breakeven_sharing(const struct params *p)
{
    double latency = analytic_latency_ns(p);
    if (isnan(latency) || p->access <= 0)
        return NAN;
    double c = analytic_opcode_ns(p);
    double k = (double)(p->threads < p->cores ? p->threads : p->cores);
    double eps = p->check_ns / p->op_ns;
    double s_op = p->handler_ns, t_signal = p->signal_ns;
    double f = c * (k - 1 - eps) / (latency + s_op + t_signal);
    if (f <= 0)
        return 0;
    return f / p->access;
}
