/* First-order model of docs/schemes.md, delegate (see analytic.h). Every term names the cost-model
 * parameter the simulator charges for it, so the two stay comparable. */
#include "analytic.h"

#include <math.h>
#include <string.h>

#include "scheme.h"

/* The model needs the generator's parameters: a replayed trace has its own mix. */
static int delegates(const struct params *p)
{
    return scheme_analytic(p) && !p->trace[0];
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

double analytic_spin_rest_ns(const struct params *p)
{
    double parts = p->push_ns + 2 * p->handoff_ns + p->pop_ns + p->cas_ns;
    return p->spin_rtt_ns > parts ? p->spin_rtt_ns - parts : 0;
}

/* Mass and mean of A uniform on [a, b] (a point if b == a) within [lo, hi). */
static void uniform_part(double a, double b, double lo, double hi, double *mass, double *mean)
{
    if (b <= a) {
        *mass = a >= lo && a < hi;
        *mean = a;
        return;
    }
    double l = lo > a ? lo : a, h = hi < b ? hi : b;
    *mass = h > l ? (h - l) / (b - a) : 0;
    *mean = h > l ? (l + h) / 2 : 0;
}

double analytic_latency_ns(const struct params *p)
{
    if (!delegates(p))
        return NAN;
    double c = analytic_opcode_ns(p);
    struct analytic_knobs k;
    scheme_of(p)->analytic(p, &k);
    double push = p->push_ns + (k.push_flags ? p->cas_ns : 0);
    double gap = k.spacing * c; /* the push lands uniformly within a gap between check points */
    /* The owner leaves its batch (batch_exit_ns), its drain sees the pushed lines
     * (handoff_ns), pops and runs the handler on lines from the requester's core
     * (serve_miss_ns), then takes the waiter's mutex, a line the waiter wrote (cas_ns), and sets
     * the flag: the answer comes A after the push, A uniform on [service, service + gap]. */
    double service = p->batch_exit_ns + p->handoff_ns + p->pop_ns + p->serve_miss_ns +
                     p->handler_ns + p->cas_ns;
    /* t_wake runs from the owner's signal until the requester runs (docs/schemes.md, default costs), so the
     * signal's own cost is the owner's, not the requester's. The waiter spins for `spin`
     * (an answer then costs a cache-line hand-off), then publishes that it blocks and takes
     * sleep_ns to get to sleep: an answer meanwhile ends the wait at the end of that way in
     * (then the hand-off); a later one costs wake_ns after it. */
    double spin = k.spin_ns;
    double in_way = isinf(spin) ? spin : spin + p->sleep_ns;
    double m1, a1, m2, a2, m3, a3;
    uniform_part(service, service + gap, -INFINITY, spin, &m1, &a1);
    uniform_part(service, service + gap, spin, in_way, &m2, &a2);
    uniform_part(service, service + gap, in_way, INFINITY, &m3, &a3);
    (void)a2;
    double lat = push;
    if (m1 > 0) /* seen while spinning: the interrupt noticed, and the round trip's rest */
        lat += m1 * (a1 + p->handoff_ns + p->notice_ns + analytic_spin_rest_ns(p));
    if (m2 > 0)
        lat += m2 * (in_way + p->handoff_ns);
    if (m3 > 0)
        lat += m3 * (a3 + p->wake_ns);
    return lat;
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
