/* The explicit table of threading schemes: a scheme exists for gilsim when, and only when, it is
 * listed here. Lookup by name, enumeration for `gilsim list` and --help, the names and the
 * schemes' own rows handed to the parameter table, presets applied to a run's parameters, and
 * the one check that rejects a scheme missing a required hook. */
#include <stdio.h>
#include <string.h>

#include "params.h"
#include "scheme.h"

extern const struct scheme_ops scheme_ideal;
extern const struct scheme_ops scheme_delegate_naive;
extern const struct scheme_ops scheme_delegate;
extern const struct scheme_ops scheme_delegate_v2;
extern const struct scheme_ops scheme_delegate_v3;
extern const struct scheme_ops scheme_delegate_v4;
extern const struct scheme_ops scheme_gil_ticks;
extern const struct scheme_ops scheme_gil_interval;
extern const struct scheme_ops scheme_gil_pypy;
extern const struct scheme_ops scheme_free_threading;
/* Schemes built in from outside this folder (cmake -DGILSIM_EXTRA_SCHEMES=FILE.c;...: each file
 * exports scheme_<its file name>; docs/extending.md). The build writes one SCHEME(symbol) line
 * per file into extra_schemes.inc, empty by default. */
#define SCHEME(sym) extern const struct scheme_ops sym;
#include "extra_schemes.inc"
#undef SCHEME

static const struct scheme_ops *const schemes[] = {
    &scheme_ideal,
    &scheme_delegate_naive,
    &scheme_delegate,
    &scheme_delegate_v2,
    &scheme_delegate_v3,
    &scheme_delegate_v4,
    &scheme_gil_ticks,
    &scheme_gil_interval,
    &scheme_gil_pypy,
    &scheme_free_threading,
#define SCHEME(sym) &sym,
#include "extra_schemes.inc"
#undef SCHEME
    NULL,
};

const struct scheme_ops *scheme_at(size_t i)
{
    return i < sizeof schemes / sizeof schemes[0] ? schemes[i] : NULL;
}

const char *scheme_name_at(size_t i)
{
    const struct scheme_ops *s = scheme_at(i);
    return s ? s->name : NULL;
}

const struct scheme_ops *scheme_find(const char *name)
{
    for (size_t i = 0; schemes[i]; i++)
        if (strcmp(schemes[i]->name, name) == 0)
            return schemes[i];
    return NULL;
}

/* Where each scheme's own rows start in struct params' own[] (schemes_register). */
static size_t own_base[sizeof schemes / sizeof schemes[0]];

/* Adds the own rows of the schemes that name their place (anchored) or of those that do not;
 * a family's schemes share one array, added once. */
static void register_rows(int anchored, unsigned char *added)
{
    for (size_t i = 0; schemes[i]; i++) {
        if (!schemes[i]->nparams || !schemes[i]->params_after != !anchored)
            continue;
        size_t j = 0;
        while (schemes[j] && !(added[j] && schemes[j]->params == schemes[i]->params))
            j++;
        own_base[i] = schemes[j] ? own_base[j]
                                 : params_add_rows(schemes[i]->params, schemes[i]->nparams,
                                                   schemes[i]->params_after);
        added[i] = 1;
    }
}

void schemes_register(void)
{
    static int done;
    if (done)
        return;
    done = 1;
    params_set_scheme_names(scheme_name_at);
    unsigned char added[sizeof schemes / sizeof schemes[0]] = { 0 };
    register_rows(1, added);
    register_rows(0, added);
}

const struct scheme_ops *scheme_of(const struct params *p)
{
    return p->scheme >= 0 ? scheme_at((size_t)p->scheme) : NULL;
}

/* Where s's own rows start in own[] (0 for a scheme that is not registered). */
static size_t own_start(const struct scheme_ops *s)
{
    size_t i = 0;
    while (schemes[i] && schemes[i] != s)
        i++;
    return schemes[i] ? own_base[i] : 0;
}

const union param_slot *scheme_own(const struct params *p, const struct scheme_ops *s)
{
    return &p->own[own_start(s)];
}

union param_slot *scheme_own_set(struct params *p, const struct scheme_ops *s)
{
    return &p->own[own_start(s)];
}

const char *scheme_baseline(void)
{
    for (size_t i = 0; schemes[i]; i++)
        if (schemes[i]->baseline)
            return schemes[i]->name;
    return NULL;
}

void scheme_resolve_params(struct params *p)
{
    const struct scheme_ops *s = scheme_of(p);
    if (s && s->preset)
        s->preset(p);
    params_resolve(p);
}

int scheme_native_check(const struct params *p, char *err, size_t errlen)
{
    const struct scheme_ops *s = scheme_of(p);
    return s && s->native_check ? s->native_check(p, err, errlen) : 0;
}

int scheme_analytic(const struct params *p)
{
    const struct scheme_ops *s = scheme_of(p);
    return s && s->analytic;
}

int scheme_validate(const struct scheme_ops *s, char *err, size_t errlen)
{
    const char *missing = !s->is_local ? "is_local" : !s->access ? "access" : NULL;
    if (missing) {
        snprintf(err, errlen, "%s: no %s hook", s->name, missing);
        return -1;
    }
    return 0;
}
