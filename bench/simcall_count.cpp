// An LD_PRELOAD library counting every simcall SimGrid 3.32 makes, independently of gilsim's own
// counters: all of them go through simcall_run_answered or simcall_run_blocking (libsimgrid
// calls both through its PLT). Prints the counts at exit. Used by bench/simcalls.sh.
#include <dlfcn.h>

#include <cstdio>
#include <cstdlib>
#include <functional>

namespace simgrid::kernel::actor {
class SimcallObserver;
}
using Observer = simgrid::kernel::actor::SimcallObserver;
using Run = void (*)(std::function<void()> const &, Observer *);

static unsigned long long answered, blocking;

static void report()
{
    std::fprintf(stderr, "simcalls: %llu answered, %llu blocking\n", answered, blocking);
}

static Run next(const char *name)
{
    static bool registered = std::atexit(report) == 0;
    (void)registered;
    return reinterpret_cast<Run>(dlsym(RTLD_NEXT, name));
}

void simcall_run_answered(std::function<void()> const &code, Observer *observer)
{
    static Run real = next("_Z20simcall_run_answeredRKSt8functionIFvvEEPN7simgrid6kernel5actor15"
                           "SimcallObserverE");
    answered++;
    real(code, observer);
}

void simcall_run_blocking(std::function<void()> const &code, Observer *observer)
{
    static Run real = next("_Z20simcall_run_blockingRKSt8functionIFvvEEPN7simgrid6kernel5actor15"
                           "SimcallObserverE");
    blocking++;
    real(code, observer);
}
