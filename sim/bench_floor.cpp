// SimGrid's own cost on this machine, the floor `gilsim bench` compares gilsim against: a tiny
// SimGrid program (C++, to build its one-host platform without a platform file) timing
// sg_actor_yield() (one simcall and two context switches), sg_actor_execute() (a simcall,
// an activity and a sharing solve) and a wait as gilsim's backend makes every wait
// (rt_sim_suspend: the actor suspends itself, a kernel timer resumes it) among `actors` actors
// on one `actors`-core host.
// Runs SimGrid's engine, so call it once per process (gilsim bench forks for it).
#include <simgrid/actor.h>
#include <simgrid/s4u/Actor.hpp>
#include <simgrid/s4u/Engine.hpp>
#include <simgrid/s4u/Host.hpp>
#include <simgrid/s4u/NetZone.hpp>

#include <chrono>
#include <string>

#include "bench.h"
#include "rt_simgrid.h"

extern "C" double bench_floor_ns(enum bench_floor kind, int actors, long calls)
{
    int argc = 2;
    char prog[] = "gilsim-bench", quiet[] = "--log=root.thres:critical";
    char *argv[] = { prog, quiet, nullptr };
    simgrid::s4u::Engine e(&argc, argv);
    auto *zone = simgrid::s4u::create_full_zone("bench");
    simgrid::s4u::Host *host = zone->create_host("cpu", 1e9)->set_core_count(actors)->seal();
    zone->seal();
    for (int i = 0; i < actors; i++)
        simgrid::s4u::Actor::create("a" + std::to_string(i), host, [kind, calls] {
            for (long k = 0; k < calls; k++)
                if (kind == BENCH_FLOOR_YIELD) {
                    sg_actor_yield();
                } else if (kind == BENCH_FLOOR_EXECUTE) {
                    sg_actor_execute(1000);
                } else {
                    void *timer = nullptr;
                    rt_sim_suspend(1e-6, &timer);
                }
        });
    auto t0 = std::chrono::steady_clock::now();
    e.run();
    std::chrono::duration<double, std::nano> ns = std::chrono::steady_clock::now() - t0;
    return ns.count() / ((double)actors * (double)calls);
}
