/* Points, seeds and runs of a results file being read (see point_index.h): three open-addressing
 * hash tables, rehashed at half full. */
#define _POSIX_C_SOURCE 200809L
#include "point_index.h"

#include "results_rows.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A point's seeds met: the first 64 in w0, the next in more[0..nmore) (grown by doubling). */
struct pi_seen {
    unsigned long long w0, *more;
    size_t nmore;
};

struct pi_run {
    size_t point, seed; /* + 1: 0 marks an empty entry */
};

/* A key's hash, 8 bytes at a time (keys are the ~100 parameter cells of a row). */
static uint64_t hash(const char *s, size_t n)
{
    uint64_t h = 14695981039346656037ULL ^ n, w;
    for (; n >= 8; s += 8, n -= 8) {
        memcpy(&w, s, 8);
        h = (h ^ w) * 0x9E3779B97F4A7C15ULL;
        h ^= h >> 29;
    }
    w = 0;
    memcpy(&w, s, n);
    h = (h ^ w) * 0x9E3779B97F4A7C15ULL;
    return h ^ (h >> 32);
}

static size_t run_hash(size_t p, size_t s)
{
    uint64_t h = ((uint64_t)p * 0x9E3779B97F4A7C15ULL) ^ ((uint64_t)s * 0xC2B2AE3D27D4EB4FULL);
    return (size_t)(h ^ (h >> 31));
}

/* The text table keys[0..n) (lengths len, or strlen if len is NULL) indexed in *slot of *hcap
 * entries, grown to hold one more; -1 if out of memory. */
static int grow(size_t **slot, size_t *hcap, char *const *keys, const size_t *len, size_t n)
{
    if (2 * (n + 1) <= *hcap)
        return 0;
    size_t cap = *hcap ? 2 * *hcap : 1024;
    size_t *s = calloc(cap, sizeof *s);
    if (!s)
        return -1;
    for (size_t i = 0; i < n; i++) {
        size_t h = (size_t)hash(keys[i], len ? len[i] : strlen(keys[i])) & (cap - 1);
        while (s[h])
            h = (h + 1) & (cap - 1);
        s[h] = i + 1;
    }
    free(*slot);
    *slot = s;
    *hcap = cap;
    return 0;
}

int pidx_key(char **key, size_t *cap, size_t *len, const char *const *cells, size_t keycols,
             int seedcol)
{
    size_t need = 1;
    for (size_t c = 0; c < keycols; c++)
        need += strlen(cells[c]) + 1;
    if (need > *cap) {
        char *k = realloc(*key, need);
        if (!k)
            return -1;
        *key = k;
        *cap = need;
    }
    *len = 0;
    for (size_t c = 0; c < keycols; c++)
        if ((int)c != seedcol) {
            size_t n = strlen(cells[c]);
            if (*len)
                (*key)[(*len)++] = ',';
            memcpy(*key + *len, cells[c], n);
            *len += n;
        }
    return 0;
}

long pidx_point(struct point_index *x, const char *key, size_t len, int *added)
{
    *added = 0;
    if (grow(&x->slot, &x->hcap, x->key, x->len, x->n) != 0)
        return -1;
    size_t h = (size_t)hash(key, len) & (x->hcap - 1);
    for (; x->slot[h]; h = (h + 1) & (x->hcap - 1)) {
        size_t i = x->slot[h] - 1;
        if (x->len[i] == len && memcmp(x->key[i], key, len) == 0)
            return (long)i;
    }
    if (x->n == x->cap) {
        size_t cap = x->cap ? 2 * x->cap : 256;
        char **k = realloc(x->key, cap * sizeof *k);
        if (k)
            x->key = k;
        size_t *l = k ? realloc(x->len, cap * sizeof *l) : NULL;
        if (l)
            x->len = l;
        struct pi_seen *m = l ? realloc(x->seen, cap * sizeof *m) : NULL;
        if (!m)
            return -1;
        memset(m + x->cap, 0, (cap - x->cap) * sizeof *m);
        x->seen = m;
        x->cap = cap;
    }
    char *copy = malloc(len + 1);
    if (!copy)
        return -1;
    memcpy(copy, key, len);
    copy[len] = '\0';
    x->key[x->n] = copy;
    x->len[x->n] = len;
    x->slot[h] = ++x->n;
    *added = 1;
    return (long)(x->n - 1);
}

long pidx_seed(struct point_index *x, const char *s, size_t len)
{
    if (grow(&x->seedslot, &x->shcap, x->seed, NULL, x->nseed) != 0)
        return -1;
    size_t h = (size_t)hash(s, len) & (x->shcap - 1);
    for (; x->seedslot[h]; h = (h + 1) & (x->shcap - 1)) {
        const char *t = x->seed[x->seedslot[h] - 1];
        if (strncmp(t, s, len) == 0 && t[len] == '\0')
            return (long)(x->seedslot[h] - 1);
    }
    if (x->nseed == x->seedcap) {
        size_t cap = x->seedcap ? 2 * x->seedcap : 64;
        char **k = realloc(x->seed, cap * sizeof *k);
        if (!k)
            return -1;
        x->seed = k;
        x->seedcap = cap;
    }
    char *copy = malloc(len + 1);
    if (!copy)
        return -1;
    memcpy(copy, s, len);
    copy[len] = '\0';
    x->seed[x->nseed] = copy;
    x->seedslot[h] = ++x->nseed;
    return (long)(x->nseed - 1);
}

int pidx_run(struct point_index *x, size_t p, size_t s)
{
    if (s < PI_BITS) { /* the common case: a sweep's seeds, few and the same at every point */
        struct pi_seen *m = &x->seen[p];
        unsigned long long bit = 1ULL << (s % 64), *w = &m->w0;
        if (s >= 64) {
            size_t k = s / 64 - 1, n = m->nmore ? m->nmore : 1;
            while (n <= k)
                n *= 2;
            if (n > m->nmore) {
                unsigned long long *more = realloc(m->more, n * sizeof *more);
                if (!more)
                    return -1;
                memset(more + m->nmore, 0, (n - m->nmore) * sizeof *more);
                m->more = more;
                m->nmore = n;
            }
            w = &m->more[k];
        }
        int met = (*w & bit) != 0;
        *w |= bit;
        return met;
    }
    if (2 * (x->nrun + 1) > x->rcap) {
        size_t cap = x->rcap ? 2 * x->rcap : 4096;
        struct pi_run *r = calloc(cap, sizeof *r);
        if (!r)
            return -1;
        for (size_t i = 0; i < x->rcap; i++)
            if (x->run[i].point) {
                size_t h = run_hash(x->run[i].point, x->run[i].seed) & (cap - 1);
                while (r[h].point)
                    h = (h + 1) & (cap - 1);
                r[h] = x->run[i];
            }
        free(x->run);
        x->run = r;
        x->rcap = cap;
    }
    size_t h = run_hash(p + 1, s + 1) & (x->rcap - 1);
    for (; x->run[h].point; h = (h + 1) & (x->rcap - 1))
        if (x->run[h].point == p + 1 && x->run[h].seed == s + 1)
            return 1;
    x->run[h] = (struct pi_run){ p + 1, s + 1 };
    x->nrun++;
    return 0;
}

/* The search for the first copy of a run: the point's key and the seed's text. */
struct first {
    const char *key, *seed;
    size_t len, keycols, seedcol, line;
};

static int first_of(void *ctx, char *line, size_t lineno, char *err, size_t errlen)
{
    struct first *f = ctx;
    (void)err;
    (void)errlen;
    if (lineno == 1)
        return 0;
    const char *k = f->key, *end = f->key + f->len, *seed = NULL;
    size_t seedlen = 0;
    for (size_t col = 0; col < f->keycols; col++) {
        size_t n = strcspn(line, ",");
        if (col == f->seedcol) {
            seed = line;
            seedlen = n;
        } else {
            if (k > f->key && (k >= end || *k++ != ','))
                return 0;
            if ((size_t)(end - k) < n || memcmp(k, line, n) != 0)
                return 0;
            k += n;
        }
        line += n + (line[n] == ',');
    }
    if (k != end || !seed || strlen(f->seed) != seedlen || memcmp(seed, f->seed, seedlen) != 0)
        return 0;
    f->line = lineno;
    return 1; /* found: stop reading */
}

void pidx_dup_error(const struct point_index *x, const char *path, size_t keycols,
                    size_t seedcol, size_t p, size_t s, size_t line, char *err, size_t errlen)
{
    struct first f = { x->key[p], x->seed[s], x->len[p], keycols, seedcol, 0 };
    char ignored[64];
    rows_stream(path, first_of, &f, ignored, sizeof ignored);
    char first[48] = "an earlier line";
    if (f.line && f.line < line)
        snprintf(first, sizeof first, "line %zu", f.line);
    snprintf(err, errlen, "%s:%zu: the run of %s again (the same parameters and seed "
             "%.40s%s): it would count twice (allowed: each run once; gilsim merge %s -o OUT "
             "keeps the first copy)", path, line, first, x->seed[s],
             strlen(x->seed[s]) > 40 ? "..." : "", path);
}

void pidx_free(struct point_index *x)
{
    for (size_t i = 0; i < x->n; i++)
        free(x->key[i]);
    for (size_t i = 0; i < x->nseed; i++)
        free(x->seed[i]);
    free(x->key);
    free(x->len);
    for (size_t i = 0; x->seen && i < x->n; i++)
        free(x->seen[i].more);
    free(x->seen);
    free(x->slot);
    free(x->seed);
    free(x->seedslot);
    free(x->run);
    memset(x, 0, sizeof *x);
}
