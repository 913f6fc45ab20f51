// The few C++ lines gilsim needs, where SimGrid 3.32's C API falls short (see docs/design.md):
//  - taking and dropping a reference on an execution: the C API has no sg_exec_ref(), and both
//    sg_exec_cancel() and sg_exec_wait() drop one reference (s4u_Exec.cpp), so cancelling an
//    execution its owner waits on would free it twice;
//  - whether an execution is still running: one that ended at this very instant, while its
//    waiter has not run yet, must not be touched (sg_exec_get_remaining then dereferences the
//    freed model action); its finish time is set as soon as it ends;
//  - blocking a thread until a deadline or until another thread wakes it, with a kernel timer
//    instead of a timed activity (below).
#include <simgrid/s4u/Exec.hpp>

#include "rt_simgrid.h"

extern "C" void rt_sim_exec_ref(sg_exec_t exec)
{
    exec->add_ref();
}

extern "C" void rt_sim_exec_unref(sg_exec_t exec)
{
    exec->unref();
}

extern "C" int rt_sim_exec_running(sg_exec_t exec)
{
    return exec->get_finish_time() < 0;
}

// Blocking a thread without a SimGrid activity: the caller suspends itself, and a kernel timer
// (simgrid/kernel/Timer.hpp, an installed header) resumes it at its deadline unless another
// actor resumes it first. A timer costs no CPU action, no sharing solve and no semaphore
// acquisition; it fires once the clock has reached its date.
#include <simgrid/kernel/Timer.hpp>
#include <simgrid/s4u/Actor.hpp>
#include <simgrid/s4u/Engine.hpp>
#include <simgrid/simix.hpp>

using simgrid::kernel::timer::Timer;

// Arms *slot: a timer at `date` (s) that clears *slot and resumes `actor`.
static void arm(sg_actor_t actor, void **slot, double date)
{
    *slot = Timer::set(date, [actor, slot] {
        *slot = nullptr;
        actor->resume();
    });
}

extern "C" void rt_sim_suspend(double s, void **slot)
{
    simgrid::s4u::Actor *me = simgrid::s4u::Actor::self();
    if (s >= 0)
        arm(me, slot, simgrid::s4u::Engine::get_clock() + s);
    me->suspend();
}

extern "C" void rt_sim_resume(sg_actor_t actor, void **slot)
{
    auto *timer = static_cast<Timer *>(*slot);
    *slot = nullptr;
    simgrid::kernel::actor::simcall_answered([timer, actor] {
        if (timer)
            timer->remove();
        actor->resume();
    });
}

extern "C" void rt_sim_rearm(sg_actor_t actor, void **slot, double date)
{
    static_cast<Timer *>(*slot)->remove();
    arm(actor, slot, date);
}
