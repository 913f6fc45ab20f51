// The one C++ line gilsim needs: taking a reference on a SimGrid execution. SimGrid 3.32's C
// API has no sg_exec_ref(), and both sg_exec_cancel() and sg_exec_wait() drop one reference
// (s4u_Exec.cpp), so cancelling an execution its owner waits on frees it twice. The canceller
// takes an extra reference first (see rt_interrupt in rt_simgrid.c).
#include <simgrid/s4u/Exec.hpp>

#include "rt_simgrid.h"

extern "C" void rt_sim_exec_ref(sg_exec_t exec)
{
    exec->add_ref();
}
