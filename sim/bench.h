/* `gilsim bench`: the speed benchmark (docs/performance.md). It measures SimGrid's floor on this
 * machine, then fixed points of gilsim (simcalls and delegations per second at the simcall
 * point, the SimPy comparison points, simulated ops per second, CPU time per event against
 * threads), each in a forked child, and prints one Markdown table with the targets. */
#ifndef GILSIM_SIM_BENCH_H
#define GILSIM_SIM_BENCH_H

#ifdef __cplusplus
extern "C" {
#endif

enum bench_floor { BENCH_FLOOR_YIELD, BENCH_FLOOR_EXECUTE, BENCH_FLOOR_TIMER };

/* Wall ns per call of sg_actor_yield() or sg_actor_execute(1000 flops) with `actors` actors
 * each making `calls` calls (sim/bench_floor.cpp). Runs a SimGrid engine: once per process. */
double bench_floor_ns(enum bench_floor kind, int actors, long calls);

/* The run command the benchmark times (gilsim run's, argv from "run" on). */
void bench_set_runner(int (*run)(int argc, char **argv));

/* argv[0] is "bench". Returns the exit status (status.h). */
int bench_main(int argc, char **argv);

#ifdef __cplusplus
}
#endif

#endif
