// The few C++ lines gilsim needs, where SimGrid 3.32's C API falls short (see docs/design.md):
//  - taking and dropping a reference on an execution: the C API has no sg_exec_ref(), and both
//    sg_exec_cancel() and sg_exec_wait() drop one reference (s4u_Exec.cpp), so cancelling an
//    execution its owner waits on would free it twice;
//  - whether an execution is still running: one that ended at this very instant, while its
//    waiter has not run yet, must not be touched (sg_exec_get_remaining then dereferences the
//    freed model action); its finish time is set as soon as it ends.
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
