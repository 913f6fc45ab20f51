/* The points of a results file read a row at a time (gilsim summarize, gilsim report): a
 * row's point key (its key cells but seed, joined by commas) numbered in the order first met,
 * and the runs met so far, each (point, seed) once: a second copy of a run (a sweep resumed by
 * hand, two files concatenated) is named FILE:LINE with the line of the first, never counted
 * twice. Memory: the distinct points and seeds, and a bit a point for each of the first
 * PI_BITS distinct seed texts (a sweep's seeds 1..k: about k bits a point, 24 bytes at least); a run
 * of a later seed takes an entry of its own.
 * Invariant: point numbers are 0.. in order of first appearance; seed texts are compared as
 * text, as the readers group cells. */
#ifndef GILSIM_PLOTS_POINT_INDEX_H
#define GILSIM_PLOTS_POINT_INDEX_H

#include <stddef.h>

#define PI_BITS 4096

struct point_index {
    char **key;        /* per point: its key, NUL-terminated */
    size_t *len;       /* per point: bytes of its key */
    struct pi_seen *seen; /* per point: bit s set once a run with seed s < PI_BITS was met */
    size_t n, cap;     /* points */
    size_t *slot;      /* open addressing: point + 1, 0 empty; hcap entries */
    size_t hcap;
    char **seed;       /* per distinct seed text */
    size_t nseed, seedcap;
    size_t *seedslot;  /* seed + 1, 0 empty; shcap entries */
    size_t shcap;
    struct pi_run *run; /* (point, seed) of the runs with seeds from 64 on; rcap entries */
    size_t nrun, rcap;
};

/* A row's point key: its cells[0..keycols) but column seedcol (-1: none), joined by commas,
 * into *key (grown: *cap bytes), *len bytes. -1 if out of memory. */
int pidx_key(char **key, size_t *cap, size_t *len, const char *const *cells, size_t keycols,
             int seedcol);
/* The number of the point with key key[0..len), added if new (then *added = 1, else 0). -1 if
 * out of memory. */
long pidx_point(struct point_index *x, const char *key, size_t len, int *added);
/* The number of seed text s[0..len), added if new; -1 if out of memory. */
long pidx_seed(struct point_index *x, const char *s, size_t len);
/* Records the run of point p with seed number s: 0 if it is the first, 1 if it was met
 * before, -1 if out of memory. */
int pidx_run(struct point_index *x, size_t p, size_t s);
/* For a run met twice: "PATH:LINE: the run of line FIRST again ..." in err, FIRST being the
 * first line of path whose key (its first keycols cells but column seedcol, the key the reader
 * gave) is point p's and whose seed cell is seed s (the file is read again up to it). */
void pidx_dup_error(const struct point_index *x, const char *path, size_t keycols,
                    size_t seedcol, size_t p, size_t s, size_t line, char *err, size_t errlen);
void pidx_free(struct point_index *x);

#endif
