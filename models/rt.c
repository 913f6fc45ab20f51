/* rt.h's functions: each forwards to the backend the run's driver selected with rt_use()
 * (see rt_backend.h). Nothing here knows which backend that is. */
#include "rt_backend.h"

static const struct rt_backend *be;

void rt_use(const struct rt_backend *b) { be = b; }
const struct rt_backend *rt_backend_in_use(void) { return be; }

double rt_now(void) { return be->now(); }
struct rt_thread *rt_spawn(const char *name, void (*fn)(void *), void *arg)
{
    return be->spawn(name, fn, arg);
}
void rt_join(struct rt_thread *t) { be->join(t); }
struct rt_thread *rt_self(void) { return be->self(); }
void rt_execute(double ns) { be->execute(ns); }
void rt_charge(double ns) { (be->charge ? be->charge : be->execute)(ns); }
void rt_settle(void)
{
    if (be->settle)
        be->settle();
}
double rt_work(double ns) { return be->work(ns); }
double rt_work_until(double ns, int (*ready)(void *), void *arg)
{
    return be->work_until ? be->work_until(ns, ready, arg) : be->work(ns);
}
void rt_flag_set_for(struct rt_thread *t)
{
    if (be->flag_set_for)
        be->flag_set_for(t);
    else
        be->interrupt(t);
}
void rt_interrupt(struct rt_thread *t) { be->interrupt(t); }
int rt_interrupted(void) { return be->interrupted(); }
void rt_clear_interrupt(void) { be->clear_interrupt(); }
void rt_sleep(double ns) { be->sleep(ns); }
void rt_woken(void) { be->woken(); }
struct rt_mutex *rt_mutex_new(void) { return be->mutex_new(); }
void rt_mutex_free(struct rt_mutex *m) { be->mutex_free(m); }
void rt_mutex_lock(struct rt_mutex *m) { be->mutex_lock(m); }
void rt_mutex_unlock(struct rt_mutex *m) { be->mutex_unlock(m); }
struct rt_cond *rt_cond_new(void) { return be->cond_new(); }
void rt_cond_free(struct rt_cond *c) { be->cond_free(c); }
void rt_cond_wait(struct rt_cond *c, struct rt_mutex *m) { be->cond_wait(c, m); }
int rt_cond_timedwait(struct rt_cond *c, struct rt_mutex *m, double ns)
{
    return be->cond_timedwait(c, m, ns);
}
void rt_cond_signal(struct rt_cond *c) { be->cond_signal(c); }
void rt_cond_broadcast(struct rt_cond *c) { be->cond_broadcast(c); }

int rt_cond_wait_in(struct rt_cond *c, struct rt_mutex *m, double ns, int (*ready)(void *),
                    void *arg)
{
    if (be->cond_wait_in)
        return be->cond_wait_in(c, m, ns, ready, arg);
    if (ns > 0) {
        be->mutex_unlock(m);
        be->execute(ns);
        be->mutex_lock(m);
        if (ready(arg))
            return 0;
    }
    be->cond_wait(c, m);
    return 1;
}
int rt_cond_has_waiter(struct rt_cond *c) { return be->cond_has_waiter ? be->cond_has_waiter(c) : 0; }
int rt_cond_wake(struct rt_cond *c, struct rt_mutex *m, int (*still)(void *), void *arg)
{
    if (be->cond_wake)
        return be->cond_wake(c, m, still, arg);
    be->mutex_lock(m);
    int go = !still || still(arg);
    if (go)
        be->cond_signal(c);
    be->mutex_unlock(m);
    return go;
}
