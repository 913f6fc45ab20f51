// What one timed wait costs SimGrid 3.32 by itself, the floor under every charge gilsim makes
// (not a test): `actors` actors on one host, each making `waits` waits of 100-1099 ns drawn
// from its own LCG, three ways, one per run (SimGrid's engine runs once per process):
//   sem    sg_sem_acquire_timeout on the actor's own semaphore, nobody releasing it (a timed
//          charge of rt_work: a CPU sleep action plus an acquisition created and cancelled);
//   sleep  sg_actor_sleep_for (rt_execute's charge: the same CPU sleep action alone);
//   timer  a kernel timer (simgrid/kernel/Timer.hpp) that resumes the suspended actor: no
//          CPU action, no sharing solve. What gilsim's backend does for every wait
//          (rt_sim_suspend in sim/sg_shim.cpp). A timer fires once the clock has reached its
//          date, where an action ends within SimGrid's precision (surf/precision, 1 ns here,
//          1e-15 s in gilsim) of it: the final clocks below differ in their last digits.
// Prints CPU ns per wait (clock(): this process only) and the final simulated clock.
// Usage: timed_wait_floor sem|sleep|timer ACTORS WAITS
#include <simgrid/actor.h>
#include <simgrid/kernel/Timer.hpp>
#include <simgrid/s4u/Actor.hpp>
#include <simgrid/s4u/Engine.hpp>
#include <simgrid/s4u/Host.hpp>
#include <simgrid/s4u/NetZone.hpp>
#include <simgrid/semaphore.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>

int main(int argc, char **argv)
{
    if (argc != 4 || (strcmp(argv[1], "sem") && strcmp(argv[1], "sleep") && strcmp(argv[1], "timer"))) {
        fprintf(stderr, "usage: timed_wait_floor sem|sleep|timer ACTORS WAITS\n");
        return 2;
    }
    const std::string how = argv[1];
    const int actors = atoi(argv[2]);
    const long waits = atol(argv[3]);
    if (actors < 1 || waits < 1) {
        fprintf(stderr, "timed_wait_floor: ACTORS and WAITS must be positive\n");
        return 2;
    }
    int sg_argc = 2;
    char prog[] = "timed_wait_floor", quiet[] = "--log=root.thres:critical";
    char *sg_argv[] = { prog, quiet, nullptr };
    simgrid::s4u::Engine e(&sg_argc, sg_argv);
    auto *zone = simgrid::s4u::create_full_zone("floor");
    auto *host = zone->create_host("cpu", 1e9)->set_core_count(actors)->seal();
    zone->seal();
    for (int i = 0; i < actors; i++)
        simgrid::s4u::Actor::create("a" + std::to_string(i), host, [how, waits, i] {
            sg_sem_t sem = sg_sem_init(0);
            simgrid::s4u::Actor *me = simgrid::s4u::Actor::self();
            unsigned x = (unsigned)i * 2654435761u + 1;
            for (long k = 0; k < waits; k++) {
                x = x * 1103515245u + 12345;
                double s = (100 + (x >> 16) % 1000) * 1e-9;
                if (how == "sem") {
                    sg_sem_acquire_timeout(sem, s);
                } else if (how == "sleep") {
                    sg_actor_sleep_for(s);
                } else {
                    simgrid::kernel::timer::Timer::set(simgrid::s4u::Engine::get_clock() + s,
                                                       [me] { me->resume(); });
                    me->suspend();
                }
            }
            sg_sem_destroy(sem);
        });
    clock_t c0 = clock();
    e.run();
    double ns = (double)(clock() - c0) * 1e9 / CLOCKS_PER_SEC / ((double)actors * (double)waits);
    printf("%s %d %ld %.0f %.9g\n", how.c_str(), actors, waits, ns, simgrid_get_clock());
    return 0;
}
