/* How quiet the machine was while validate ran its native runs: the CPU time that other
 * processes used (the CPUs' busy time in /proc/stat less this process's own, itself and its
 * waited-for children) and the time the hypervisor gave to other guests (steal), each as a
 * share of all online CPUs' time over the same wall interval. The load average lags by a
 * minute and counts validate's own simulated runs; this does neither. */
#ifndef GILSIM_VALIDATE_OTHER_LOAD_H
#define GILSIM_VALIDATE_OTHER_LOAD_H

struct other_load {
    double busy_s, steal_s, self_s, wall_s; /* at the start */
    int ok;                                  /* /proc/stat was readable */
};

struct other_load_share {
    double others, steal; /* shares of the CPUs' time, 0..1; NaN when unknown */
    double wall_s;        /* length of the interval */
};

void other_load_start(struct other_load *l);
struct other_load_share other_load_end(const struct other_load *l);

#endif
