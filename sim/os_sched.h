/* The OS scheduler of the SimGrid backend (os_sched=on; auto turns it on when threads > cores):
 * each core is its own one-core SimGrid host and runs only the thread that holds it; a run queue
 * per core holds the runnable threads waiting for it; a running thread keeps its core for one
 * time slice (slice_ns) and is then preempted if others wait; a thread that blocks leaves its
 * core and is on no run queue; a woken thread takes an idle core (its last one first) or queues
 * on its last core, ahead of preempted threads; a core going idle pulls the head of another
 * core's queue. docs/design.md, "The OS under the threads", says what this takes from Linux. */
#ifndef GILSIM_SIM_OS_SCHED_H
#define GILSIM_SIM_OS_SCHED_H

#include <simgrid/forward.h>
#include <stdint.h>

enum os_state { OS_BLOCKED, OS_QUEUED, OS_RUNNING };

/* A thread as the scheduler sees it (embedded in the backend's thread). */
struct os_task {
    enum os_state state;
    int core;             /* the core it holds, waits for, or last ran on */
    int preempted;        /* queued because its slice ended (behind woken threads) */
    struct os_task *next; /* in its core's run queue */
    sg_sem_t granted;     /* released when it is given a core */
    sg_host_t on;         /* the host its actor is on */
};

/* Sets the scheduler up with `ncores` cores whose hosts are named "c0".."c<ncores-1>", and the
 * time slice; returns -1 if a host is missing or out of memory. */
int os_sched_init(int ncores, double slice_ns);
void os_sched_fini(void);
/* 1 between os_sched_init and os_sched_fini. */
int os_sched_on(void);

/* A new task, index-th of the run: blocked, its last core index % ncores; returns the host its
 * actor starts on. */
sg_host_t os_task_init(struct os_task *t, uint64_t index);
void os_task_fini(struct os_task *t);

/* Returns once t (the caller) holds a core, its actor on that core's host; waits in a run
 * queue when no core is idle. */
void os_run(struct os_task *t);
/* ns left of the running t's time slice. */
double os_slice_left(const struct os_task *t);
/* The running t's slice is over: it goes to the back of its core's queue if anyone waits there
 * (and returns once it has a core again), else it starts a new slice. */
void os_slice_end(struct os_task *t);
/* t (the caller) is about to block: it leaves its core, which goes to the next queued thread. */
void os_block(struct os_task *t);

/* Threads waiting in run queues, over all cores (tests). */
uint64_t os_queued_total(void);

#endif
