/* gilsim's own mutex and condition variable for the SimGrid backend of rt.h: the owner and the
 * waiters live here, and SimGrid is called only to block a thread and to wake it (rt_sim_park,
 * rt_sim_unpark: it suspends itself and is resumed). So an uncontended lock, an unlock nobody
 * waits for and a signal nobody waits for make no simulator call, and no SimGrid internals are
 * read.
 *
 * Semantics (what SimGrid's own mutex and condvar did, and what the models rely on):
 *  - a mutex hands itself to the first waiter (FIFO) at unlock: nobody can take it in between;
 *  - a condvar wakes its waiters in the order they began waiting (the kernel's FIFO among
 *    sleeping futex waiters; the GIL schemes add glibc's groups and steals on top, gil_lock.c,
 *    by giving every waiter its own condvar), and a signalled waiter is queued on the mutex at
 *    the signal, so it takes the mutex before any thread that asks for it later;
 *  - a timed wait that times out leaves the condvar and then takes the mutex like a lock.
 * Locks and waits take no simulated time: every cost is the caller's to charge. The one place
 * a lock finds the mutex held is mutex_lock's slow path; a model of the critical section's own
 * cost (a futex mutex that is held across a charge) would charge there and in unlock, and the
 * waiter queue already keeps a mutex held across simulated time correct. */
#include "sim_sync.h"

#include <stdio.h>
#include <stdlib.h>

#include "rt.h"
#include "rt_simgrid.h"

/* A thread waiting on a mutex or a condvar; lives on the waiter's stack while it waits. */
struct sync_waiter {
    struct rt_thread *t;
    struct sync_waiter *prev, *next;
    struct rt_mutex *relock; /* a condvar waiter: the mutex it takes again */
    int on_cond;             /* still in the condvar's list */
    int granted;             /* the mutex is the waiter's now */
    double signalled_at;     /* a condvar waiter: its signaller's clock (rt_now) at the signal */
    double way_end;          /* sim_cond_wait_way: a signal until then does not wake it (ns) */
    int in_way;              /* signalled before way_end: it takes the mutex itself then */
};

struct sync_list {
    struct sync_waiter *head, *tail;
};

struct rt_mutex {
    struct rt_thread *owner;
    struct sync_list waiters;
};

struct rt_cond {
    struct sync_list waiters;
};

static void list_push(struct sync_list *l, struct sync_waiter *w)
{
    w->next = NULL;
    w->prev = l->tail;
    if (l->tail)
        l->tail->next = w;
    else
        l->head = w;
    l->tail = w;
}

static void list_remove(struct sync_list *l, struct sync_waiter *w)
{
    if (w->prev)
        w->prev->next = w->next;
    else
        l->head = w->next;
    if (w->next)
        w->next->prev = w->prev;
    else
        l->tail = w->prev;
    w->prev = w->next = NULL;
}

static struct sync_waiter *list_pop(struct sync_list *l)
{
    struct sync_waiter *w = l->head;
    if (w)
        list_remove(l, w);
    return w;
}

static void *xcalloc(size_t size)
{
    void *p = calloc(1, size);
    if (!p) {
        fprintf(stderr, "gilsim: out of memory\n");
        abort();
    }
    return p;
}

struct rt_mutex *sim_mutex_new(void) { return xcalloc(sizeof(struct rt_mutex)); }
void sim_mutex_free(struct rt_mutex *m) { free(m); }

/* w (not the caller, or the caller itself) asks for m: takes it if free, else queues. Returns
 * 1 if w holds m now. */
static int take_or_queue(struct rt_mutex *m, struct sync_waiter *w)
{
    if (!m->owner) {
        m->owner = w->t;
        w->granted = 1;
        return 1;
    }
    list_push(&m->waiters, w);
    return 0;
}

/* Blocks the caller until w->granted (it leaves its core while it waits). */
static void wait_granted(struct sync_waiter *w)
{
    while (!w->granted)
        rt_sim_block(-1);
}

void sim_mutex_lock(struct rt_mutex *m)
{
    struct sync_waiter w = { .t = rt_sim_self() };
    if (!take_or_queue(m, &w))
        wait_granted(&w);
}

void sim_mutex_unlock(struct rt_mutex *m)
{
    struct sync_waiter *w = list_pop(&m->waiters);
    m->owner = w ? w->t : NULL;
    if (w) {
        w->granted = 1;
        rt_sim_unpark(w->t);
    }
}

struct rt_cond *sim_cond_new(void) { return xcalloc(sizeof(struct rt_cond)); }
void sim_cond_free(struct rt_cond *c) { free(c); }

/* sim_cond_timedwait; *signalled_at is set to the signaller's clock if signalled. */
static int cond_wait(struct rt_cond *c, struct rt_mutex *m, double ns, double *signalled_at)
{
    struct sync_waiter w = { .t = rt_sim_self(), .relock = m, .on_cond = 1, .way_end = -1 };
    list_push(&c->waiters, &w);
    sim_mutex_unlock(m);
    double deadline = rt_sim_clock_ns() + ns;
    int timed_out = 0, expired = ns == 0;
    while (!w.granted) {
        double left = deadline - rt_sim_clock_ns();
        if (w.on_cond && ns >= 0 && (expired || left <= 0)) {
            /* Timed out before any signal: leave the condvar, then lock as anyone would. */
            list_remove(&c->waiters, &w);
            w.on_cond = 0;
            timed_out = 1;
            if (take_or_queue(m, &w))
                break;
            continue;
        }
        /* Unparked: signalled (or the mutex handed over); else the timeout expired. */
        expired = !rt_sim_block(w.on_cond && ns >= 0 ? left : -1);
    }
    if (!timed_out)
        *signalled_at = w.signalled_at;
    return timed_out;
}

int sim_cond_timedwait(struct rt_cond *c, struct rt_mutex *m, double ns)
{
    double at;
    return cond_wait(c, m, ns, &at);
}

void sim_cond_wait(struct rt_cond *c, struct rt_mutex *m) { (void)sim_cond_timedwait(c, m, -1); }

double sim_cond_wait_signalled(struct rt_cond *c, struct rt_mutex *m)
{
    double at = 0;
    (void)cond_wait(c, m, -1, &at);
    return at;
}

double sim_cond_wait_way(struct rt_cond *c, struct rt_mutex *m, double way_end)
{
    struct sync_waiter w = { .t = rt_sim_self(), .relock = m, .on_cond = 1, .way_end = way_end };
    list_push(&c->waiters, &w);
    sim_mutex_unlock(m);
    double left = way_end - rt_sim_clock_ns();
    if (left > 0 && !w.in_way && !w.granted)
        (void)rt_sim_block(left); /* only a signal after way_end unparks it */
    w.way_end = -1;
    if (!w.in_way || !take_or_queue(m, &w))
        wait_granted(&w);
    return w.signalled_at;
}

int sim_cond_has_waiter(const struct rt_cond *c) { return c->waiters.head != NULL; }
int sim_mutex_is_free(const struct rt_mutex *m) { return !m->owner; }

/* Wakes w, the first waiter of c: it leaves c and asks for its mutex now. */
static void wake(struct rt_cond *c, struct sync_waiter *w)
{
    list_remove(&c->waiters, w);
    w->on_cond = 0;
    w->signalled_at = rt_now();
    if (w->signalled_at <= w->way_end) {
        w->in_way = 1; /* it looks at the end of its way in, taking the mutex then */
        return;
    }
    if (take_or_queue(w->relock, w))
        rt_sim_unpark(w->t);
    /* else it stays parked (a timed wait may time out meanwhile: it then waits untimed) until
     * the mutex is handed to it */
}

void sim_cond_signal(struct rt_cond *c)
{
    if (c->waiters.head)
        wake(c, c->waiters.head);
}

void sim_cond_broadcast(struct rt_cond *c)
{
    while (c->waiters.head)
        wake(c, c->waiters.head);
}
