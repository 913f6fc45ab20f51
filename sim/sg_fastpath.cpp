// The SimGrid backend's schedule-exact fast path: answered simcalls done without a yield when the
// caller is alone in its sub-round (free mutex lock, unlock or signal nobody waits for, execution
// set-ups), interrupts without SimGrid's cancellation exception, waits without an extra sleep
// action. Off with --cfg=gilsim/fast-sync:no (docs/performance.md 2, "Third round").
#include <simgrid/Exception.hpp>
#include <simgrid/exec.h>
#include <simgrid/host.h>
#include <simgrid/s4u/Actor.hpp>
#include <simgrid/s4u/Exec.hpp>
#include <simgrid/s4u/Engine.hpp>
#include <simgrid/simix.hpp>
#include <simgrid/version.h>
#include <xbt/config.hpp>

#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "rt_simgrid.h"

// The two members of SimGrid's (uninstalled) kernel context class used here, both exported by
// libsimgrid: the running context, and setting it (nullptr: "in the kernel", as maestro).
namespace simgrid::kernel::context {
class Context {
public:
    static Context *self();
    static void set_current(Context *c);
};
} // namespace simgrid::kernel::context

namespace {

// Offsets in Debian 12's libsimgrid.so.3.32 (read off EngineImpl::run_all_actors,
// MutexImpl::try_lock/unlock and ConditionVariableImpl::signal):
//  EngineImpl::actors_to_run_ (std::vector<ActorImpl*>): the actors of the running sub-round;
//  MutexImpl::owner_, and the ongoing_acquisitions_ deque's start and finish cursors;
//  ConditionVariableImpl::sleeping_'s size.
constexpr std::size_t ENGINE_TO_RUN = 0x158;
constexpr std::size_t MUTEX_OWNER = 0x10, MUTEX_ACQ_START = 0x28, MUTEX_ACQ_FINISH = 0x48;
constexpr std::size_t COND_SLEEPERS = 0x10;
//  ActivityImpl::model_action_ (read off ActivityImpl::cancel and ActivityImpl::get_remaining):
//  the kernel action of an execution; checked on each use (the action names its activity).
constexpr std::size_t ACTIVITY_ACTION = 0x88;

simgrid::config::Flag<bool> fast_sync{
    "gilsim/fast-sync",
    "gilsim: skip the simcalls of free mutex locks, unlocks and signals nobody waits for, and "
    "of execution set-ups, when no other actor runs in the sub-round (the schedule is unchanged)",
    true};

enum { UNCHECKED, ON, OFF } state = UNCHECKED;
// Whether interrupts end executions as finished (rt_sim_fast_stop) and waits are waits for any
// (rt_sim_exec_wait): both or neither, decided on the first execution started (the action
// layout check must pass), since a cancelled execution must be waited for by sg_exec_wait.
decltype(state) stop_state = UNCHECKED;
unsigned long long saved, stopped;

template <class T> T field(const void *obj, std::size_t off)
{
    T v;
    std::memcpy(&v, static_cast<const char *>(obj) + off, sizeof v);
    return v;
}

template <class T> void set_field(void *obj, std::size_t off, T v)
{
    std::memcpy(static_cast<char *>(obj) + off, &v, sizeof v);
}

// The running sub-round's actors.
void *const *to_run(std::size_t *n)
{
    static const void *engine; // one engine per process
    if (!engine)
        engine = simgrid::s4u::Engine::get_instance()->get_impl();
    auto *begin = field<void *const *>(engine, ENGINE_TO_RUN);
    auto *end = field<void *const *>(engine, ENGINE_TO_RUN + sizeof(void *));
    *n = static_cast<std::size_t>(end - begin);
    return begin;
}

// On the first use: the fast path is on if asked for, the library is the 3.32 whose layout is
// known, contexts are not parallel, and the running actor is found in the sub-round it runs in.
bool usable(void *self)
{
    if (state == UNCHECKED) {
        int major = 0, minor = 0, patch = 0;
        sg_version_get(&major, &minor, &patch);
        std::size_t n = 0;
        void *const *run = to_run(&n);
        bool found = false;
        if (n <= simgrid::s4u::Engine::get_instance()->get_actor_count() + 1)
            for (std::size_t i = 0; i < n; i++)
                found = found || run[i] == self;
        state = fast_sync && SIMGRID_VERSION_MAJOR == 3 && SIMGRID_VERSION_MINOR == 32 &&
                        major == 3 && minor == 32 &&
                        simgrid::config::get_value<int>("contexts/nthreads") <= 1 && found
                    ? ON
                    : OFF;
    }
    return state == ON;
}

// The calling actor's kernel object if it runs alone in its sub-round, else NULL.
void *alone()
{
    const simgrid::s4u::Actor *actor = simgrid::s4u::Actor::self();
    void *self = actor ? actor->get_impl() : nullptr;
    if (!self || !usable(self))
        return nullptr;
    std::size_t n;
    void *const *run = to_run(&n);
    return n == 1 && run[0] == self ? self : nullptr;
}

void *impl_of(const void *handle) { return field<void *>(handle, 0); } // s4u's pimpl_

} // namespace

extern "C" int rt_sim_fast_lock(sg_mutex_t m)
{
    void *self = alone();
    void *mi = self ? impl_of(m) : nullptr;
    if (!mi || field<void *>(mi, MUTEX_OWNER) != nullptr)
        return 0;
    set_field<void *>(mi, MUTEX_OWNER, self); // MutexImpl::try_lock
    saved++;
    return 1;
}

extern "C" int rt_sim_fast_unlock(sg_mutex_t m)
{
    void *self = alone();
    void *mi = self ? impl_of(m) : nullptr;
    if (!mi || field<void *>(mi, MUTEX_OWNER) != self ||
        field<void *>(mi, MUTEX_ACQ_START) != field<void *>(mi, MUTEX_ACQ_FINISH))
        return 0;
    set_field<void *>(mi, MUTEX_OWNER, nullptr); // MutexImpl::unlock with nobody waiting
    saved++;
    return 1;
}

extern "C" int rt_sim_fast_notify(sg_cond_t c)
{
    void *self = alone();
    if (!self || field<std::size_t>(impl_of(c), COND_SLEEPERS) != 0)
        return 0;
    saved++; // nobody sleeps on it: a signal or broadcast does nothing
    return 1;
}

// Runs f, a piece of s4u whose simcall SimGrid answers at once and only to the caller: in the
// kernel when the caller is alone (s4u's simcall_answered runs the code directly when no actor
// is current, exactly what the maestro would run when answering the simcall), else as a
// simcall, counted in *simcalls.
template <class F> void in_kernel(F f)
{
    using simgrid::kernel::context::Context;
    struct restore { // even if f throws
        Context *me = Context::self();
        ~restore() { Context::set_current(me); }
    } r;
    Context::set_current(nullptr);
    f();
}

template <class F> void answered(F f, int *simcalls)
{
    if (!alone()) {
        f();
        ++*simcalls;
        return;
    }
    in_kernel(f);
    saved++;
}

// The kernel action of e, or nullptr if the layout check fails: the action at the known offset
// must name e's kernel activity as its own.
static simgrid::kernel::resource::Action *action_of(sg_exec_t e)
{
    void *impl = e->get_impl();
    auto *a = field<simgrid::kernel::resource::Action *>(impl, ACTIVITY_ACTION);
    return a && a->get_activity() == impl ? a : nullptr;
}

// On the first execution started (e): the stop and the wait for any are on if the fast path is
// and e's kernel action passes the layout check.
static sg_exec_t decide_stop(sg_exec_t e)
{
    if (stop_state == UNCHECKED && state != UNCHECKED)
        stop_state = state == ON && action_of(e) ? ON : OFF;
    return e;
}

extern "C" sg_exec_t rt_sim_exec_start(double flops, int as_execute, int *simcalls)
{
    // sg_actor_exec_init (this_actor::exec_init plus the C handle's reference), then (as
    // sg_actor_execute does) its priority, then sg_exec_start.
    simgrid::s4u::ExecPtr e = simgrid::s4u::Exec::init();
    simgrid::s4u::Host *host = sg_host_self();
    if (alone()) { // then no step yields, so the caller stays alone through all of them
        in_kernel([&] {
            e->set_flops_amount(flops);
            e->set_host(host);
            if (as_execute)
                e->set_priority(1.0);
            e->add_ref();
            e->start();
        });
        saved += as_execute ? 4 : 3;
        return decide_stop(e.get());
    }
    answered([&] { e->set_flops_amount(flops); }, simcalls);
    answered([&] { e->set_host(host); }, simcalls);
    if (as_execute)
        answered([&] { e->set_priority(1.0); }, simcalls);
    e->add_ref();
    answered([&] { e->start(); }, simcalls);
    return decide_stop(e.get());
}

// sg_exec_get_remaining(e), then (unless nothing is left) what sg_exec_cancel(e) does to the
// kernel, with one difference: the action is marked finished rather than failed. Both simcalls
// stay where they were (the first through the fast path), and the one that ends the action does
// so in the maestro at the point the cancel did; the action then enters the model's finished
// actions instead of the failed ones, both of which the engine hands to ExecImpl::post in the
// same pass, failed first. No other action of a run fails (no host fails, and condition
// variables drop their timeout actions without failing them), so the waiters are woken in the
// same order at the same instant; only their sg_exec_wait returns normally, without the
// CancelException (a backtrace, then C++ unwinding: ~90,000 instructions) SimGrid 3.32 throws
// into a cancelled execution's waiter.
extern "C" int rt_sim_fast_stop(sg_exec_t e, double done_below, double *left, int *simcalls)
{
    using simgrid::kernel::resource::Action;
    const simgrid::s4u::Actor *actor = simgrid::s4u::Actor::self();
    void *self = actor ? actor->get_impl() : nullptr;
    if (!self || !usable(self) || stop_state != ON)
        return 0;
    Action *a = action_of(e);
    if (!a) { // the layout passed its check on the first execution: cannot happen
        std::fprintf(stderr, "gilsim: SimGrid's execution layout check failed during the run\n");
        std::abort();
    }
    answered([&] { *left = e->get_remaining(); }, simcalls);
    if (*left <= done_below)
        return 1;
    ++*simcalls;
    simgrid::kernel::actor::simcall_answered([a] { a->finish(Action::State::FINISHED); });
    stopped++;
    return 1;
}

extern "C" unsigned long long rt_sim_fast_stopped(void) { return stopped; }

// sg_exec_wait(e) as a wait for any of {e}: the same blocking simcall, answered by
// ExecImpl::finish at the same point, but without the SynchroImpl and its CPU sleep action that
// ActivityImpl::wait_for creates for every wait (to be told of host failures; no host fails here).
extern "C" sg_error_t rt_sim_exec_wait(sg_exec_t e)
{
    if (state != ON || stop_state != ON)
        return sg_exec_wait(e);
    try {
        sg_exec_wait_any(&e, 1); // drops the caller's reference, as sg_exec_wait does
    } catch (const simgrid::CancelException &) {
        return SG_ERROR_CANCELED;
    }
    return SG_OK;
}

extern "C" unsigned long long rt_sim_fast_saved(void) { return saved; }
