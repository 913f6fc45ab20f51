/* Thread classes (see classes.h): the parser of the classes text, its canonical form, and each
 * class's parameters. Invariant: a class may set only `count` and the parameter table's
 * per-class rows, each value passes param_set, so a class's parameters are as valid as a run's. */
#define _POSIX_C_SOURCE 200809L /* open_memstream */
#include "classes.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CLASS_VALUE_LEN 64

/* One class as written: its name, count and settings (in table order once sorted). */
struct class_def {
    char name[CLASS_NAME_LEN];
    int64_t count;
    size_t nset;
    const struct param *key[64];
    char value[64][CLASS_VALUE_LEN];
};

void classes_per_class_list(char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < param_count && used < len; i++)
        if (param_table[i].per_class)
            used += (size_t)snprintf(buf + used, len - used, " %s", param_table[i].name);
}

int classes_parse_count(const char *text, int64_t *count)
{
    char *end;
    long long v = strtoll(text, &end, 10);
    if (!text[0] || isspace((unsigned char)text[0]) || *end || v < 0 || v > CLASS_COUNT_MAX)
        return -1;
    *count = v;
    return 0;
}

static int name_char(char c) { return isalnum((unsigned char)c) || c == '_' || c == '-'; }

/* Parses one "KEY=VALUE" of class c (key and value already cut out). */
static int parse_setting(struct class_def *c, const char *key, const char *value, char *err,
                         size_t errlen)
{
    if (strcmp(key, "count") == 0) {
        if (c->count >= 0) {
            snprintf(err, errlen, "classes: %s: count set twice (allowed: once per class)",
                     c->name);
            return -1;
        }
        if (classes_parse_count(value, &c->count) != 0) {
            snprintf(err, errlen, "classes: %s: count '%s' (allowed: a whole number 0..%d)",
                     c->name, value, CLASS_COUNT_MAX);
            return -1;
        }
        return 0;
    }
    const struct param *d = param_find(key);
    if (!d || !d->per_class) {
        char list[512];
        classes_per_class_list(list, sizeof list);
        snprintf(err, errlen, "classes: %s: '%s' %s (allowed: count and the per-class "
                 "parameters:%s)", c->name, key,
                 d ? "is one value for the whole run" : "is not a parameter", list);
        return -1;
    }
    for (size_t i = 0; i < c->nset; i++)
        if (c->key[i] == d) {
            snprintf(err, errlen, "classes: %s: %s set twice (allowed: once per class)",
                     c->name, key);
            return -1;
        }
    struct params scratch;
    memset(&scratch, 0, sizeof scratch); /* param_set and param_format touch only d's field */
    char msg[512];
    if (param_set(&scratch, key, value, msg, sizeof msg) != 0) {
        snprintf(err, errlen, "classes: %s: %s", c->name, msg);
        return -1;
    }
    if (c->nset == sizeof c->key / sizeof c->key[0]) {
        snprintf(err, errlen, "classes: %s: too many settings", c->name);
        return -1;
    }
    c->key[c->nset] = d;
    param_format(&scratch, d, c->value[c->nset], CLASS_VALUE_LEN);
    c->nset++;
    return 0;
}

/* Parses the whole text into defs; returns the number of classes or -1. */
static int parse(const char *text, struct class_def *defs, char *err, size_t errlen)
{
    size_t n = 0;
    const char *c = text;
    for (;;) {
        while (isspace((unsigned char)*c))
            c++;
        if (!*c)
            break;
        if (n == CLASSES_MAX) {
            snprintf(err, errlen, "classes: more than %d classes (allowed: 1..%d)", CLASSES_MAX,
                     CLASSES_MAX);
            return -1;
        }
        struct class_def *d = &defs[n];
        memset(d, 0, sizeof *d);
        d->count = -1;
        size_t len = 0;
        while (name_char(c[len]))
            len++;
        if (len == 0 || len >= CLASS_NAME_LEN || c[len] != '(') {
            int shown = (int)strcspn(c, " \t\r\n(");
            snprintf(err, errlen, "classes: '%.*s': expected NAME(count=N KEY=VALUE ...) (NAME: "
                     "1..%d letters, digits, '_', '-')", shown > 40 ? 40 : shown, c,
                     CLASS_NAME_LEN - 1);
            return -1;
        }
        memcpy(d->name, c, len);
        d->name[len] = '\0';
        for (size_t k = 0; k < n; k++)
            if (strcmp(defs[k].name, d->name) == 0) {
                snprintf(err, errlen, "classes: %s: two classes of that name (allowed: one)",
                         d->name);
                return -1;
            }
        c += len + 1;
        for (;;) {
            while (isspace((unsigned char)*c))
                c++;
            if (*c == ')') {
                c++;
                break;
            }
            size_t w = strcspn(c, " \t\r\n()");
            char item[256];
            if (!*c || w == 0 || w >= sizeof item) {
                snprintf(err, errlen, "classes: %s: %s (allowed: KEY=VALUE settings separated "
                         "by spaces, then ')')", d->name, *c ? "bad setting" : "missing ')'");
                return -1;
            }
            memcpy(item, c, w);
            item[w] = '\0';
            c += w;
            char *eq = strchr(item, '=');
            if (!eq) {
                snprintf(err, errlen, "classes: %s: '%s' is not KEY=VALUE", d->name, item);
                return -1;
            }
            *eq = '\0';
            if (parse_setting(d, item, eq + 1, err, errlen) != 0)
                return -1;
        }
        if (d->count < 0) {
            snprintf(err, errlen, "classes: %s: no count (allowed: count=N, N in 0..%d)", d->name,
                     CLASS_COUNT_MAX);
            return -1;
        }
        n++;
    }
    return (int)n;
}

int classes_canonical(const char *text, char *out, size_t outlen, int64_t *threads, char *err,
                      size_t errlen)
{
    struct class_def *defs = malloc(CLASSES_MAX * sizeof *defs);
    char *canon = NULL;
    size_t len = 0;
    FILE *f = defs ? open_memstream(&canon, &len) : NULL;
    if (!f) {
        free(defs);
        snprintf(err, errlen, "classes: out of memory");
        return -1;
    }
    int n = parse(text, defs, err, errlen);
    int64_t total = 0;
    for (int i = 0; i < n; i++) {
        total += defs[i].count;
        fprintf(f, "%s%s(count=%lld", i ? " " : "", defs[i].name, (long long)defs[i].count);
        for (size_t k = 0; k < param_count; k++) /* table order */
            for (size_t s = 0; s < defs[i].nset; s++)
                if (defs[i].key[s] == &param_table[k])
                    fprintf(f, " %s=%s", param_table[k].name, defs[i].value[s]);
        fputc(')', f);
    }
    free(defs);
    int rc = fclose(f) == 0 && canon ? 0 : -1;
    if (rc != 0 && n >= 0)
        snprintf(err, errlen, "classes: out of memory");
    else if (n < 0)
        rc = -1;
    else if (len >= outlen) {
        snprintf(err, errlen, "classes: %zu characters in canonical form (allowed: up to %zu)",
                 len, outlen - 1);
        rc = -1;
    } else if (n > 0 && (total < 1 || total > CLASS_COUNT_MAX)) {
        snprintf(err, errlen, "classes: %lld threads in all (allowed: counts summing to 1..%d)",
                 (long long)total, CLASS_COUNT_MAX);
        rc = -1;
    }
    if (rc == 0) {
        memcpy(out, canon, len + 1);
        *threads = total;
    }
    free(canon);
    return rc;
}

int classes_build(const struct params *base, struct class_set *cs, char *err, size_t errlen)
{
    cs->n = 0;
    if (!base->classes[0])
        return 0;
    struct class_def *defs = malloc(CLASSES_MAX * sizeof *defs);
    if (!defs) {
        snprintf(err, errlen, "classes: out of memory");
        return -1;
    }
    int n = parse(base->classes, defs, err, errlen);
    int rc = n < 0 ? -1 : 0;
    for (int i = 0; i < n && rc == 0; i++) {
        struct params *p = &cs->p[i];
        *p = *base;
        p->classes[0] = '\0';
        snprintf(cs->name[i], CLASS_NAME_LEN, "%s", defs[i].name);
        cs->count[i] = defs[i].count;
        char msg[512];
        for (size_t s = 0; s < defs[i].nset && rc == 0; s++)
            rc = param_set(p, defs[i].key[s]->name, defs[i].value[s], msg, sizeof msg);
        if (rc == 0)
            rc = params_check(p, msg, sizeof msg);
        if (rc != 0)
            snprintf(err, errlen, "classes: %s: %s", defs[i].name, msg);
    }
    free(defs);
    cs->n = rc == 0 ? (size_t)n : 0;
    return rc;
}

size_t classes_of_thread(const struct class_set *cs, uint32_t thread)
{
    int64_t first = 0;
    for (size_t i = 0; i < cs->n; i++) {
        first += cs->count[i];
        if (thread < first)
            return i;
    }
    return cs->n - 1;
}

const struct params *classes_thread_params(const struct class_set *cs, const struct params *base,
                                           uint32_t thread)
{
    return cs->n ? &cs->p[classes_of_thread(cs, thread)] : base;
}

int64_t classes_max_ops(const struct class_set *cs, const struct params *base)
{
    if (!cs->n)
        return base->ops;
    int64_t m = 0;
    for (size_t i = 0; i < cs->n; i++)
        if (cs->count[i] > 0 && cs->p[i].ops > m)
            m = cs->p[i].ops;
    return m;
}
