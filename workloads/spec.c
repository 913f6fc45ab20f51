/* Sweep specifications (see spec.h): lists, exact decimal ranges, ${VAR} expansion, INI spec
 * files, and their expansion into points in one fixed order. Invariant: a value enters a list
 * only through param_set and is stored as param_format writes it; ranges step in integers
 * scaled by 10^decimals, so 0:0.5:0.05 is exactly 0, 0.05, ..., 0.5. */
#define _POSIX_C_SOURCE 200809L
#include "spec.h"

#include "classes.h"
#include "text_file.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    char *e = s + strlen(s);
    while (e > s && isspace((unsigned char)e[-1]))
        *--e = '\0';
    return s;
}

void spec_list_free(struct spec_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    memset(l, 0, sizeof *l);
}

static int list_copy(struct spec_list *dst, const struct spec_list *src)
{
    memset(dst, 0, sizeof *dst);
    if (src->n == 0)
        return 0;
    dst->v = calloc(src->n, sizeof *dst->v);
    if (!dst->v)
        return -1;
    for (dst->n = 0; dst->n < src->n; dst->n++)
        if (!(dst->v[dst->n] = strdup(src->v[dst->n]))) {
            spec_list_free(dst);
            return -1;
        }
    dst->line = src->line;
    return 0;
}

/* Appends one value after param_set has accepted it, as its canonical text. */
static int list_add(struct spec_list *l, const struct param *d, const char *value, char *err,
                    size_t errlen)
{
    struct params p;
    memset(&p, 0, sizeof p); /* param_set and param_format touch only d's field */
    if (param_set(&p, d->name, value, err, errlen) != 0)
        return -1;
    if (l->n >= SPEC_MAX_VALUES) {
        snprintf(err, errlen, "%s: more than %d values (allowed: at most %d per parameter)",
                 d->name, SPEC_MAX_VALUES, SPEC_MAX_VALUES);
        return -1;
    }
    if (l->n == 0 || (l->n & (l->n - 1)) == 0) { /* capacity: the next power of two */
        char **v = realloc(l->v, (l->n ? 2 * l->n : 1) * sizeof *v);
        if (!v)
            goto nomem;
        l->v = v;
    }
    char buf[PARAM_CELL_LEN];
    param_format(&p, d, buf, sizeof buf);
    if (!(l->v[l->n] = strdup(buf)))
        goto nomem;
    l->n++;
    return 0;
nomem:
    snprintf(err, errlen, "%s: out of memory", d->name);
    return -1;
}

/* Digits after the decimal point of a plain decimal number once its exponent is applied
 * ("0.05": 2, "5e-3": 3, "1.5e2": 0); -1 if `t` is not [+-]digits[.digits][e[+-]digits]. */
static int decimals(const char *t)
{
    const char *c = t + (*t == '+' || *t == '-');
    int digits = 0, frac = 0;
    for (; isdigit((unsigned char)*c); c++)
        digits++;
    if (*c == '.')
        for (c++; isdigit((unsigned char)*c); c++, frac++)
            digits++;
    if (digits == 0)
        return -1;
    long e = 0;
    if (*c == 'e' || *c == 'E') {
        c++;
        const char *num = c + (*c == '+' || *c == '-');
        if (!isdigit((unsigned char)*num))
            return -1;
        char *end;
        errno = 0;
        e = strtol(c, &end, 10);
        if (errno || e > 99 || e < -99)
            return -1;
        c = end;
    }
    if (*c)
        return -1;
    long d = frac - e;
    return d < 0 ? 0 : d > 99 ? 99 : (int)d;
}

/* Expands start:stop:step (inclusive) in integers scaled by 10^decimals. */
static int expand_range(struct spec_list *l, const struct param *d, const char *item, char *err,
                        size_t errlen)
{
    char buf[256], *part[3];
    size_t nparts = 0;
    snprintf(buf, sizeof buf, "%s", item);
    for (char *c = buf, *start = buf;; c++)
        if (*c == ':' || *c == '\0') {
            int last = *c == '\0';
            *c = '\0';
            if (nparts < 3)
                part[nparts] = trim(start);
            nparts++;
            start = c + 1;
            if (last)
                break;
        }
    if (nparts != 3 || strlen(item) >= sizeof buf) {
        snprintf(err, errlen, "%s: '%s' is not a range (allowed: start:stop:step, e.g. 0:0.5:0.05)",
                 d->name, item);
        return -1;
    }
    struct params p;
    memset(&p, 0, sizeof p);
    for (int i = 0; i < 2; i++) /* start and stop must be allowed values themselves */
        if (param_set(&p, d->name, part[i], err, errlen) != 0)
            return -1;
    int dec = 0;
    for (int i = 0; i < 3; i++) {
        int di = decimals(part[i]);
        if (di < 0) {
            snprintf(err, errlen, "%s: range '%s': '%s' is not a decimal number", d->name, item,
                     part[i]);
            return -1;
        }
        dec = di > dec ? di : dec;
    }
    if (dec > 15) {
        snprintf(err, errlen, "%s: range '%s': more than 15 decimal places (allowed: up to 15)",
                 d->name, item);
        return -1;
    }
    double scale = pow(10, dec);
    int64_t x[3];
    for (int i = 0; i < 3; i++) {
        double v = strtod(part[i], NULL) * scale;
        if (!(fabs(v) < 9007199254740992.0)) {
            snprintf(err, errlen, "%s: range '%s': too many digits for exact steps (allowed: "
                     "|value| x 10^decimals < 2^53)", d->name, item);
            return -1;
        }
        x[i] = llround(v);
    }
    if (x[2] <= 0) {
        snprintf(err, errlen, "%s: range '%s': step %s (allowed: a step > 0)", d->name, item,
                 part[2]);
        return -1;
    }
    if (x[1] < x[0]) {
        snprintf(err, errlen, "%s: range '%s': stop below start (allowed: start <= stop)",
                 d->name, item);
        return -1;
    }
    int64_t count = (x[1] - x[0]) / x[2] + 1;
    if (count > SPEC_MAX_VALUES) {
        snprintf(err, errlen, "%s: range '%s' has %lld values (allowed: at most %d)", d->name,
                 item, (long long)count, SPEC_MAX_VALUES);
        return -1;
    }
    uint64_t p10 = (uint64_t)llround(scale);
    for (int64_t k = 0; k < count; k++) {
        int64_t n = x[0] + k * x[2];
        uint64_t m = n < 0 ? -(uint64_t)n : (uint64_t)n;
        char val[64];
        if (dec)
            snprintf(val, sizeof val, "%s%llu.%0*llu", n < 0 ? "-" : "",
                     (unsigned long long)(m / p10), dec, (unsigned long long)(m % p10));
        else
            snprintf(val, sizeof val, "%lld", (long long)n);
        if (list_add(l, d, val, err, errlen) != 0)
            return -1;
    }
    return 0;
}

int spec_expand(const char *name, const char *text, struct spec_list *out, char *err,
                size_t errlen)
{
    memset(out, 0, sizeof *out);
    const struct param *d = param_find(name);
    if (!d) {
        struct params p;
        param_set(&p, name, text, err, errlen); /* its message: unknown, did you mean ... */
        return -1;
    }
    char *copy = strdup(text);
    if (!copy) {
        snprintf(err, errlen, "%s: out of memory", name);
        return -1;
    }
    int rc = 0;
    for (char *c = copy, *start = copy; rc == 0; c++)
        if (*c == ',' || *c == '\0') {
            int last = *c == '\0';
            *c = '\0';
            char *item = trim(start);
            int numeric = d->type == PARAM_INT || d->type == PARAM_REAL;
            rc = numeric && strchr(item, ':')
                     ? expand_range(out, d, item, err, errlen)
                     : list_add(out, d, item, err, errlen);
            start = c + 1;
            if (last)
                break;
        }
    free(copy);
    if (rc != 0)
        spec_list_free(out);
    return rc;
}

/* Replaces each ${VAR} of `text` by the environment variable's value; NULL with a message if
 * one is unset or malformed. The result is malloc'd. */
static char *expand_env(const char *key, const char *text, char *err, size_t errlen)
{
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    if (!f) {
        snprintf(err, errlen, "%s: out of memory", key);
        return NULL;
    }
    for (const char *c = text; *c; c++) {
        if (c[0] != '$' || c[1] != '{') {
            fputc(*c, f);
            continue;
        }
        const char *name = c + 2, *end = strchr(name, '}');
        size_t n = end ? (size_t)(end - name) : 0;
        int valid = n > 0 && (isalpha((unsigned char)name[0]) || name[0] == '_');
        for (size_t i = 0; valid && i < n; i++)
            valid = isalnum((unsigned char)name[i]) || name[i] == '_';
        if (!valid) {
            snprintf(err, errlen, "%s: '%s': bad variable reference (allowed: ${NAME}, NAME of "
                     "letters, digits and '_')", key, text);
            goto fail;
        }
        char var[256];
        snprintf(var, sizeof var, "%.*s", (int)n, name);
        const char *value = getenv(var);
        if (!value) {
            snprintf(err, errlen, "%s: ${%s} is not set (allowed: a set environment variable)",
                     key, var);
            goto fail;
        }
        fputs(value, f);
        c = end;
    }
    if (fclose(f) != 0) {
        snprintf(err, errlen, "%s: out of memory", key);
        free(out);
        return NULL;
    }
    return out;
fail:
    fclose(f);
    free(out);
    return NULL;
}

static void family_free(struct spec_family *f)
{
    if (f->list)
        for (size_t i = 0; i < param_count; i++)
            spec_list_free(&f->list[i]);
    free(f->list);
    free(f->name);
}

void spec_init(struct spec *s) { memset(s, 0, sizeof *s); }

void spec_free(struct spec *s)
{
    for (size_t i = 0; i < s->nfam; i++)
        family_free(&s->fam[i]);
    free(s->fam);
    free(s->file);
    spec_init(s);
}

/* Appends an empty family; NULL if out of memory. */
static struct spec_family *add_family(struct spec *s, const char *name, int line)
{
    struct spec_family *fam = realloc(s->fam, (s->nfam + 1) * sizeof *fam);
    if (!fam)
        return NULL;
    s->fam = fam;
    struct spec_family *f = &fam[s->nfam];
    f->name = strdup(name);
    f->line = line;
    f->list = calloc(param_count, sizeof *f->list);
    if (!f->name || !f->list) {
        family_free(f);
        return NULL;
    }
    s->nfam++;
    return f;
}

/* Cuts a comment: '#' or ';' at the start of the line or after white space. */
static void cut_comment(char *line)
{
    for (char *c = line; *c; c++)
        if ((*c == '#' || *c == ';') && (c == line || isspace((unsigned char)c[-1]))) {
            *c = '\0';
            return;
        }
}

static int valid_section_name(const char *n)
{
    if (!*n)
        return 0;
    for (; *n; n++)
        if (!isalnum((unsigned char)*n) && !strchr("_-.", *n))
            return 0;
    return 1;
}

/* A [threads.NAME] section of a spec file: one thread class, each key a list (docs/classes.md).
 * The sections become [global]'s `classes` list: one canonical text per combination. */
struct class_section {
    char name[CLASS_NAME_LEN];
    int line;
    struct spec_list count;
    struct spec_list *list; /* param_count entries; only per-class parameters are set */
};

static void class_sections_free(struct class_section *c, size_t n)
{
    for (size_t i = 0; c && i < n; i++) {
        spec_list_free(&c[i].count);
        for (size_t k = 0; c[i].list && k < param_count; k++)
            spec_list_free(&c[i].list[k]);
        free(c[i].list);
    }
    free(c);
}

/* Expands a class's count list: whole numbers 0..30000, comma-separated. */
static int expand_count(const char *text, struct spec_list *l, char *err, size_t errlen)
{
    char *copy = strdup(text);
    int rc = copy ? 0 : -1;
    if (!copy)
        snprintf(err, errlen, "count: out of memory");
    for (char *c = copy, *start = copy; rc == 0; c++)
        if (*c == ',' || *c == '\0') {
            int last = *c == '\0';
            *c = '\0';
            char *item = trim(start);
            int64_t v;
            char **grown = realloc(l->v, (l->n + 1) * sizeof *grown);
            if (classes_parse_count(item, &v) != 0 || !grown) {
                if (grown)
                    l->v = grown;
                snprintf(err, errlen, "count: '%s' (allowed: whole numbers 0..%d, "
                         "comma-separated)", item, CLASS_COUNT_MAX);
                rc = -1;
                break;
            }
            l->v = grown;
            if (!(l->v[l->n] = malloc(24))) {
                snprintf(err, errlen, "count: out of memory");
                rc = -1;
                break;
            }
            snprintf(l->v[l->n++], 24, "%lld", (long long)v);
            start = c + 1;
            if (last)
                break;
        }
    free(copy);
    if (rc != 0)
        spec_list_free(l);
    return rc;
}

/* One KEY = VALUE line of a [threads.NAME] section. */
static int class_key(struct class_section *c, const char *key, const char *value, int lineno,
                     char *msg, size_t len)
{
    struct spec_list *l;
    const struct param *d = NULL;
    if (strcmp(key, "count") == 0) {
        l = &c->count;
    } else {
        d = param_find(key);
        if (!d || !d->per_class) {
            char list[512];
            classes_per_class_list(list, sizeof list);
            snprintf(msg, len, "%s: %s (allowed in [threads.%s]: count and the per-class "
                     "parameters:%s)", key, d ? "one value for the whole run" : "unknown",
                     c->name, list);
            return -1;
        }
        l = &c->list[d - param_table];
    }
    if (l->n) {
        snprintf(msg, len, "%s: set twice in [threads.%s] (first at line %d; allowed: once per "
                 "section)", key, c->name, l->line);
        return -1;
    }
    char *text = expand_env(key, value, msg, len);
    if (!text)
        return -1;
    int rc = d ? spec_expand(key, text, l, msg, len) : expand_count(text, l, msg, len);
    free(text);
    l->line = lineno;
    return rc;
}

/* Every combination of the class sections' lists, as classes texts added to `out` (the last
 * list varying fastest). */
static int class_combinations(struct class_section *c, size_t n, struct spec_list *out,
                              char *msg, size_t len)
{
    /* The lists in text order: per class its count, then its settings in table order. */
    const struct spec_list *dim[CLASSES_MAX * 64];
    size_t ndim = 0, total = 1;
    for (size_t i = 0; i < n; i++) {
        if (!c[i].count.n) {
            snprintf(msg, len, "[threads.%s] (line %d): no count (allowed: count = N, N in "
                     "0..%d)", c[i].name, c[i].line, CLASS_COUNT_MAX);
            return -1;
        }
        dim[ndim++] = &c[i].count;
        for (size_t k = 0; k < param_count; k++)
            if (c[i].list[k].n)
                dim[ndim++] = &c[i].list[k];
    }
    for (size_t d = 0; d < ndim; d++)
        if ((total *= dim[d]->n) > SPEC_MAX_VALUES) {
            snprintf(msg, len, "[threads.*]: more than %d combinations (allowed: at most %d)",
                     SPEC_MAX_VALUES, SPEC_MAX_VALUES);
            return -1;
        }
    const struct param *classes = param_find("classes");
    for (size_t combo = 0; combo < total; combo++) {
        size_t pick[CLASSES_MAX * 64];
        for (size_t d = ndim, k = combo; d-- > 0; k /= dim[d]->n)
            pick[d] = k % dim[d]->n;
        char *text = NULL;
        size_t tlen = 0;
        FILE *f = open_memstream(&text, &tlen);
        if (!f) {
            snprintf(msg, len, "classes: out of memory");
            return -1;
        }
        size_t d = 0;
        for (size_t i = 0; i < n; i++) {
            fprintf(f, "%s(count=%s", c[i].name, dim[d]->v[pick[d]]);
            d++;
            for (size_t k = 0; k < param_count; k++)
                if (c[i].list[k].n) {
                    fprintf(f, " %s=%s", param_table[k].name, dim[d]->v[pick[d]]);
                    d++;
                }
            fputs(") ", f);
        }
        int rc = fclose(f) == 0 ? list_add(out, classes, text, msg, len) : -1;
        if (rc != 0 && !text)
            snprintf(msg, len, "classes: out of memory");
        free(text);
        if (rc != 0)
            return -1;
    }
    return 0;
}

int spec_load(struct spec *s, const char *path, char *err, size_t errlen)
{
    char msg[1024];
    FILE *f = text_open(path, NULL, err, errlen);
    if (!f)
        return -1;
    struct spec_family global = { 0 };
    struct spec_family *cur = NULL;
    struct class_section *cls = calloc(CLASSES_MAX, sizeof *cls), *curcls = NULL;
    size_t ncls = 0;
    char *line = NULL;
    size_t cap = 0;
    int lineno = 0, rc = -1;
    global.list = calloc(param_count, sizeof *global.list);
    if (!global.list || !cls || !(s->file = strdup(path))) {
        snprintf(msg, sizeof msg, "out of memory");
        goto fail;
    }
    ssize_t got;
    while ((got = text_line(f, path, (unsigned long)lineno + 1, TEXT_LINE_MAX, &line, &cap,
                            err, errlen)) >= 0) {
        lineno++;
        if (lineno == 1 && strncmp(line, "\xef\xbb\xbf", 3) == 0)
            memmove(line, line + 3, strlen(line + 3) + 1); /* a UTF-8 byte-order mark */
        cut_comment(line);
        char *t = trim(line);
        if (!*t)
            continue;
        if (*t == '[') {
            size_t n = strlen(t);
            char *name = t + 1;
            if (t[n - 1] != ']') {
                snprintf(msg, sizeof msg, "'%s' is not a section header (allowed: [global] or "
                         "[NAME])", t);
                goto fail;
            }
            t[n - 1] = '\0';
            name = trim(name);
            if (!valid_section_name(name)) {
                snprintf(msg, sizeof msg, "[%s]: bad section name (allowed: letters, digits, "
                         "'_', '-', '.')", name);
                goto fail;
            }
            curcls = NULL;
            if (strncmp(name, "threads.", 8) == 0) {
                const char *cname = name + 8;
                size_t cl = strlen(cname), ok = cl > 0 && cl < CLASS_NAME_LEN;
                for (size_t i = 0; ok && i < cl; i++)
                    ok = isalnum((unsigned char)cname[i]) || cname[i] == '_' || cname[i] == '-';
                for (size_t i = 0; ok && i < ncls; i++)
                    if (strcmp(cls[i].name, cname) == 0) {
                        snprintf(msg, sizeof msg, "[%s]: section already at line %d (allowed: "
                                 "one section per class)", name, cls[i].line);
                        goto fail;
                    }
                if (!ok || ncls == CLASSES_MAX) {
                    snprintf(msg, sizeof msg, "[%s]: %s (allowed: up to %d [threads.CLASS] "
                             "sections, CLASS of 1..%d letters, digits, '_', '-')", name,
                             ok ? "too many classes" : "bad class name", CLASSES_MAX,
                             CLASS_NAME_LEN - 1);
                    goto fail;
                }
                curcls = &cls[ncls];
                snprintf(curcls->name, sizeof curcls->name, "%s", cname);
                curcls->line = lineno;
                if (!(curcls->list = calloc(param_count, sizeof *curcls->list))) {
                    snprintf(msg, sizeof msg, "out of memory");
                    goto fail;
                }
                ncls++;
                cur = NULL;
                continue;
            }
            if (strcmp(name, "global") == 0) {
                if (global.line || s->nfam) {
                    snprintf(msg, sizeof msg, "[global]: %s (allowed: one [global], before the "
                             "named sections)", global.line ? "second [global]" : "after [NAME]");
                    goto fail;
                }
                global.line = lineno;
                cur = &global;
                continue;
            }
            for (size_t i = 0; i < s->nfam; i++)
                if (strcmp(s->fam[i].name, name) == 0) {
                    snprintf(msg, sizeof msg, "[%s]: section already at line %d (allowed: one "
                             "section per name)", name, s->fam[i].line);
                    goto fail;
                }
            if (!(cur = add_family(s, name, lineno))) {
                snprintf(msg, sizeof msg, "out of memory");
                goto fail;
            }
            continue;
        }
        char *eq = strchr(t, '=');
        if (!eq) {
            snprintf(msg, sizeof msg, "'%s' is not KEY = VALUE, [SECTION] or a comment", t);
            goto fail;
        }
        *eq = '\0';
        char *key = trim(t), *value = trim(eq + 1);
        if (curcls) {
            if (class_key(curcls, key, value, lineno, msg, sizeof msg) != 0)
                goto fail;
            continue;
        }
        const struct param *d = param_find(key);
        struct spec_list tmp;
        if (!d) {
            spec_expand(key, value, &tmp, msg, sizeof msg); /* the unknown-name message */
            goto fail;
        }
        if (!cur) {
            snprintf(msg, sizeof msg, "%s: outside a section (allowed: KEY = VALUE lines after "
                     "[global] or [NAME])", key);
            goto fail;
        }
        struct spec_list *l = &cur->list[d - param_table];
        if (l->n) {
            snprintf(msg, sizeof msg, "%s: set twice in [%s] (first at line %d; allowed: once "
                     "per section)", key, cur == &global ? "global" : cur->name, l->line);
            goto fail;
        }
        char *text = expand_env(key, value, msg, sizeof msg);
        if (!text)
            goto fail;
        int erc = spec_expand(key, text, l, msg, sizeof msg);
        free(text);
        if (erc != 0)
            goto fail;
        l->line = lineno;
    }
    if (got == -2)
        goto out; /* err says where */
    if (ncls) { /* the class sections give [global]'s classes, and so the thread count */
        const struct spec_list *threads = &global.list[param_find("threads") - param_table];
        for (size_t i = 0; i < s->nfam && !threads->n; i++)
            threads = &s->fam[i].list[param_find("threads") - param_table];
        struct spec_list *classes = &global.list[param_find("classes") - param_table];
        if (threads->n || classes->n) {
            lineno = threads->n ? threads->line : classes->line;
            snprintf(msg, sizeof msg, "%s: set beside [threads.*] sections (allowed: the "
                     "sections' counts give the threads and the classes)",
                     threads->n ? "threads" : "classes");
            goto fail;
        }
        lineno = cls[0].line;
        if (class_combinations(cls, ncls, classes, msg, sizeof msg) != 0)
            goto fail;
        classes->line = cls[0].line;
        if (!global.line && !s->nfam)
            global.line = cls[0].line;
    }
    if (!global.line && !s->nfam) {
        snprintf(err, errlen, "%s: no sections (allowed: [global] and [NAME] sections of "
                 "KEY = VALUE lines)", path);
        goto out;
    }
    if (!s->nfam) { /* only [global]: it is the one family */
        struct spec_family *g = add_family(s, "global", global.line);
        if (!g) {
            snprintf(err, errlen, "%s: out of memory", path);
            goto out;
        }
        struct spec_list *lists = g->list;
        g->list = global.list;
        global.list = lists;
    } else { /* every named section inherits what it does not set from [global] */
        for (size_t i = 0; i < s->nfam; i++)
            for (size_t k = 0; k < param_count; k++)
                if (!s->fam[i].list[k].n &&
                    list_copy(&s->fam[i].list[k], &global.list[k]) != 0) {
                    snprintf(err, errlen, "%s: out of memory", path);
                    goto out;
                }
    }
    rc = 0;
    goto out;
fail:
    snprintf(err, errlen, "%s:%d: %s", path, lineno, msg);
out:
    global.name = NULL;
    family_free(&global);
    class_sections_free(cls, ncls);
    free(line);
    fclose(f);
    return rc;
}

int spec_set_all(struct spec *s, const char *name, const char *text, char *err, size_t errlen)
{
    struct spec_list l;
    if (spec_expand(name, text, &l, err, errlen) != 0)
        return -1;
    if (!s->nfam && !add_family(s, "", 0))
        goto nomem;
    size_t k = (size_t)(param_find(name) - param_table);
    for (size_t i = 0; i < s->nfam; i++) {
        spec_list_free(&s->fam[i].list[k]);
        if (list_copy(&s->fam[i].list[k], &l) != 0)
            goto nomem;
    }
    spec_list_free(&l);
    return 0;
nomem:
    spec_list_free(&l);
    snprintf(err, errlen, "%s: out of memory", name);
    return -1;
}

/* Points of one family for one rep: the product of its list lengths (capped past the limit). */
static size_t family_points(const struct spec_family *f)
{
    size_t n = 1;
    for (size_t k = 0; k < param_count; k++)
        if (f->list[k].n) {
            if (n > SPEC_MAX_POINTS / f->list[k].n)
                return (size_t)SPEC_MAX_POINTS + 1;
            n *= f->list[k].n;
        }
    return n;
}

int spec_count(const struct spec *s, size_t reps, size_t *count, char *err, size_t errlen)
{
    size_t total = 0;
    for (size_t i = 0; i < s->nfam; i++) {
        size_t n = family_points(&s->fam[i]);
        if (n > SPEC_MAX_POINTS || (reps && n > (SPEC_MAX_POINTS - total) / reps)) {
            snprintf(err, errlen, "%s%sthe sweep has more than %d points (allowed: at most %d)",
                     s->file ? s->file : "", s->file ? ": " : "", SPEC_MAX_POINTS,
                     SPEC_MAX_POINTS);
            return -1;
        }
        total += n * reps;
    }
    *count = total;
    return 0;
}

int spec_point(const struct spec *s, size_t reps, size_t i, struct params *p, size_t *fam,
               size_t *rep, char *err, size_t errlen)
{
    size_t f = 0, n = 0;
    for (; f < s->nfam; f++, i -= n * reps)
        if (i < (n = family_points(&s->fam[f])) * reps)
            break;
    if (f == s->nfam) {
        fprintf(stderr, "gilsim: internal error: spec_point past the last point\n");
        abort();
    }
    const struct spec_family *F = &s->fam[f];
    *fam = f;
    *rep = i / n;
    size_t k = i % n, radix = n;
    char msg[1024];
    params_defaults(p);
    for (size_t j = 0; j < param_count; j++) { /* mixed radix, the first parameter slowest */
        const struct spec_list *l = &F->list[j];
        if (!l->n)
            continue;
        radix /= l->n;
        if (param_set(p, param_table[j].name, l->v[k / radix], msg, sizeof msg) != 0) {
            fprintf(stderr, "gilsim: internal error: stored value rejected: %s\n", msg);
            abort();
        }
        k %= radix;
    }
    int rc = 0;
    if (*rep > 0) {
        char seed[32];
        snprintf(seed, sizeof seed, "%lld", (long long)p->seed + (long long)*rep);
        rc = param_set(p, "seed", seed, msg, sizeof msg);
        if (rc != 0)
            snprintf(msg + strlen(msg), sizeof msg - strlen(msg), " (seed + rep %zu)", *rep);
    }
    if (rc == 0)
        rc = params_check_given(p, F->list[param_find("threads") - param_table].n > 0, msg,
                                sizeof msg);
    if (rc == 0)
        return 0;
    if (s->file)
        snprintf(err, errlen, "%s:%d: [%s]: %s", s->file, F->line, F->name, msg);
    else
        snprintf(err, errlen, "%s", msg);
    return -1;
}
