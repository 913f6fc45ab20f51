/* CPU time used by other processes over an interval (see other_load.h). /proc/stat's first line
 * counts, in USER_HZ ticks summed over CPUs: user nice system idle iowait irq softirq steal guest
 * guest_nice; guest time is already inside user (proc(5)). */
#define _GNU_SOURCE
#include "other_load.h"

#include <math.h>
#include <stdio.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

static int proc_stat(double *busy_s, double *steal_s)
{
    FILE *f = fopen("/proc/stat", "r");
    if (!f)
        return -1;
    unsigned long long v[8] = {0};
    int n = fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2], &v[3],
                   &v[4], &v[5], &v[6], &v[7]);
    fclose(f);
    if (n < 7)
        return -1;
    double hz = (double)sysconf(_SC_CLK_TCK);
    *busy_s = (double)(v[0] + v[1] + v[2] + v[5] + v[6]) / hz; /* user nice system irq softirq */
    *steal_s = n >= 8 ? (double)v[7] / hz : 0;
    return 0;
}

static double tv_s(struct timeval t) { return (double)t.tv_sec + 1e-6 * (double)t.tv_usec; }

static double self_s(void)
{
    struct rusage s, c;
    getrusage(RUSAGE_SELF, &s);
    getrusage(RUSAGE_CHILDREN, &c);
    return tv_s(s.ru_utime) + tv_s(s.ru_stime) + tv_s(c.ru_utime) + tv_s(c.ru_stime);
}

static double wall_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

void other_load_start(struct other_load *l)
{
    l->ok = proc_stat(&l->busy_s, &l->steal_s) == 0;
    l->self_s = self_s();
    l->wall_s = wall_s();
}

struct other_load_share other_load_end(const struct other_load *l)
{
    struct other_load_share r = {NAN, NAN, wall_s() - l->wall_s};
    double busy, steal;
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    if (!l->ok || proc_stat(&busy, &steal) != 0 || cpus < 1 || r.wall_s <= 0)
        return r;
    double total = r.wall_s * (double)cpus;
    double others = (busy - l->busy_s) - (self_s() - l->self_s);
    r.others = fmin(1, fmax(0, others / total)); /* tick rounding can make it slightly negative */
    r.steal = fmin(1, fmax(0, (steal - l->steal_s) / total));
    return r;
}
