/* The OS scheduler of the SimGrid backend (see os_sched.h). Cores are one-core hosts, so an
 * event touches one core's sharing system whatever the number of threads. Queues are singly
 * linked: woken threads first (in wake order), then preempted ones (in preemption order).
 * Invariant: no core is idle while any run queue is non-empty (a thread queues only when no core
 * is idle, and a core going idle pulls a queued thread first); a core's `curr` is the one task
 * in state OS_RUNNING with that core, and only it executes on the core's host. */
#include "os_sched.h"

#include <simgrid/actor.h>
#include <simgrid/engine.h>
#include <simgrid/host.h>
#include <simgrid/semaphore.h>
#include <stdio.h>
#include <stdlib.h>

struct core {
    sg_host_t host;
    struct os_task *curr;              /* running thread, NULL when idle */
    struct os_task *head, *tail;       /* run queue */
    struct os_task *woken_tail;        /* last woken thread in the queue, NULL if none */
    double slice_end;                  /* ns: when curr's slice ends */
    int idle_pos;                      /* index in idle[], -1 if busy */
};

static struct core *cores;
static int ncores;
static int *idle; /* idle core numbers, a stack */
static int nidle;
static double slice;
static uint64_t queued;

static double now_ns(void) { return simgrid_get_clock() * 1e9; }

int os_sched_init(int n, double slice_ns)
{
    os_sched_fini();
    cores = calloc((size_t)n, sizeof *cores);
    idle = calloc((size_t)n, sizeof *idle);
    if (!cores || !idle) {
        os_sched_fini();
        return -1;
    }
    ncores = n;
    slice = slice_ns;
    for (int c = 0; c < n; c++) {
        char name[32];
        snprintf(name, sizeof name, "c%d", c);
        cores[c].host = sg_host_by_name(name);
        if (!cores[c].host) {
            os_sched_fini();
            return -1;
        }
        /* pushed from the last core so that the first thread to ask takes core 0 */
        cores[c].idle_pos = n - 1 - c;
        idle[n - 1 - c] = c;
    }
    nidle = n;
    return 0;
}

void os_sched_fini(void)
{
    free(cores);
    free(idle);
    cores = NULL;
    idle = NULL;
    ncores = nidle = 0;
    queued = 0;
}

int os_sched_on(void) { return cores != NULL; }

uint64_t os_queued_total(void) { return queued; }

sg_host_t os_task_init(struct os_task *t, uint64_t index)
{
    t->state = OS_BLOCKED;
    t->core = (int)(index % (uint64_t)ncores);
    t->preempted = 0;
    t->next = NULL;
    t->granted = sg_sem_init(0);
    t->on = cores[t->core].host;
    return t->on;
}

void os_task_fini(struct os_task *t)
{
    if (t->granted)
        sg_sem_destroy(t->granted);
    t->granted = NULL;
}

static void idle_remove(int c)
{
    int at = cores[c].idle_pos, last = idle[--nidle];
    idle[at] = last;
    cores[last].idle_pos = at;
    cores[c].idle_pos = -1;
}

static void idle_push(int c)
{
    cores[c].idle_pos = nidle;
    idle[nidle++] = c;
}

static void enqueue(struct core *k, struct os_task *t)
{
    t->state = OS_QUEUED;
    queued++;
    if (t->preempted || !k->woken_tail) {
        /* preempted: at the back; the first woken thread: at the front */
        struct os_task *after = t->preempted ? k->tail : NULL;
        t->next = after ? NULL : k->head;
        if (after)
            after->next = t;
        else
            k->head = t;
        if (!t->next)
            k->tail = t;
    } else {
        t->next = k->woken_tail->next;
        k->woken_tail->next = t;
        if (!t->next)
            k->tail = t;
    }
    if (!t->preempted)
        k->woken_tail = t;
}

static struct os_task *dequeue(struct core *k)
{
    struct os_task *t = k->head;
    if (!t)
        return NULL;
    k->head = t->next;
    if (!k->head)
        k->tail = NULL;
    if (k->woken_tail == t)
        k->woken_tail = NULL;
    t->next = NULL;
    queued--;
    return t;
}

/* Core c starts running t (a new slice); t's actor moves there when it next runs. */
static void take(int c, struct os_task *t)
{
    struct core *k = &cores[c];
    k->curr = t;
    k->slice_end = now_ns() + slice;
    t->state = OS_RUNNING;
    t->core = c;
    t->preempted = 0;
}

/* The caller, just given its core, moves its actor to the core's host. */
static void move_there(struct os_task *t)
{
    sg_host_t h = cores[t->core].host;
    if (t->on != h) {
        sg_actor_set_host(sg_actor_self(), h);
        t->on = h;
    }
}

/* Core c has no running thread: the next of its queue, else one pulled from another core's
 * queue, else it goes idle. */
static void core_next(int c)
{
    struct core *k = &cores[c];
    k->curr = NULL;
    struct os_task *t = dequeue(k);
    for (int i = 1; !t && queued && i < ncores; i++)
        t = dequeue(&cores[(c + i) % ncores]);
    if (!t) {
        idle_push(c);
        return;
    }
    take(c, t);
    sg_sem_release(t->granted);
}

void os_run(struct os_task *t)
{
    if (t->state == OS_RUNNING)
        return;
    int c = t->core;
    if (cores[c].idle_pos < 0)
        c = nidle ? idle[nidle - 1] : -1;
    if (c >= 0) {
        idle_remove(c);
        take(c, t);
    } else {
        enqueue(&cores[t->core], t);
        sg_sem_acquire(t->granted);
    }
    move_there(t);
}

double os_slice_left(const struct os_task *t) { return cores[t->core].slice_end - now_ns(); }

void os_slice_end(struct os_task *t)
{
    struct core *k = &cores[t->core];
    if (!k->head) {
        k->slice_end = now_ns() + slice;
        return;
    }
    t->preempted = 1;
    enqueue(k, t);
    struct os_task *next = dequeue(k);
    take(t->core, next);
    sg_sem_release(next->granted);
    sg_sem_acquire(t->granted);
    move_there(t);
}

void os_block(struct os_task *t)
{
    if (t->state != OS_RUNNING)
        return;
    t->state = OS_BLOCKED;
    core_next(t->core);
}
