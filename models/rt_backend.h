/* The backend table behind rt.h: one struct of function pointers per backend (sim/rt_simgrid.c,
 * validate/rt_pthread.c), selected once per run by its driver, the way redis picks an event-loop
 * backend. Only backends and run drivers include this; schemes and the interpreter see rt.h. */
#ifndef GILSIM_MODELS_RT_BACKEND_H
#define GILSIM_MODELS_RT_BACKEND_H

#include "rt.h"

/* One entry per rt.h function, same contract. */
struct rt_backend {
    const char *name;
    double (*now)(void);
    struct rt_thread *(*spawn)(const char *name, void (*fn)(void *), void *arg);
    void (*join)(struct rt_thread *t);
    struct rt_thread *(*self)(void);
    void (*execute)(double ns);
    void (*charge)(double ns); /* NULL: execute */
    void (*settle)(void);      /* NULL: nothing pending, ever */
    double (*work)(double ns);
    void (*interrupt)(struct rt_thread *t);
    /* Optional: without them rt_work_until is rt_work and rt_flag_set_for is rt_interrupt. */
    double (*work_until)(double ns, int (*ready)(void *), void *arg);
    void (*flag_set_for)(struct rt_thread *t);
    int (*interrupted)(void);
    void (*clear_interrupt)(void);
    void (*sleep)(double ns);
    void (*woken)(void);
    struct rt_mutex *(*mutex_new)(void);
    void (*mutex_free)(struct rt_mutex *m);
    void (*mutex_lock)(struct rt_mutex *m);
    void (*mutex_unlock)(struct rt_mutex *m);
    struct rt_cond *(*cond_new)(void);
    void (*cond_free)(struct rt_cond *c);
    void (*cond_wait)(struct rt_cond *c, struct rt_mutex *m);
    int (*cond_timedwait)(struct rt_cond *c, struct rt_mutex *m, double ns);
    void (*cond_signal)(struct rt_cond *c);
    void (*cond_broadcast)(struct rt_cond *c);
    /* Optional: NULL gives the native meaning written in rt.h. */
    int (*cond_wait_in)(struct rt_cond *c, struct rt_mutex *m, double ns, int (*ready)(void *),
                        void *arg);
    int (*cond_has_waiter)(struct rt_cond *c);
    int (*cond_wake)(struct rt_cond *c, struct rt_mutex *m, int (*still)(void *), void *arg);
};

/* Sends every rt.h call to b from now on. Called before the run's first rt.h call. */
void rt_use(const struct rt_backend *b);
/* The backend in use, or NULL before rt_use. */
const struct rt_backend *rt_backend_in_use(void);

#endif
