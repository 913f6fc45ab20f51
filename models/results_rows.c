/* Results files read back and written whole (see results_rows.h). gilsim CSVs have no quoted cells
 * (no value contains a comma), so a row is split at every comma. Invariant: only lines ended
 * by a newline count as rows. */
#define _POSIX_C_SOURCE 200809L
#include "results_rows.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomic_file.h"
#include "results.h"
#include "text_file.h"

void rows_free(struct rows *r)
{
    free(r->data);
    free(r->line);
    memset(r, 0, sizeof *r);
}

static size_t count_cells(const char *line)
{
    size_t n = 1;
    for (; *line; line++)
        n += *line == ',';
    return n;
}

size_t rows_prefix(const char *line, size_t cols)
{
    const char *c = line;
    if (cols == 0)
        return 0;
    for (size_t i = 0; *c; c++)
        if (*c == ',' && ++i == cols)
            break;
    return (size_t)(c - line);
}

size_t rows_keycols(const char *header)
{
    size_t len = rows_prefix(header, 1);
    if (len != 6 || strncmp(header, "schema", 6) != 0)
        return 0;
    size_t cols = 1;
    for (const char *c = header + len; *c == ',';) {
        char name[128];
        size_t n = rows_prefix(c + 1, 1);
        snprintf(name, sizeof name, "%.*s", (int)n, c + 1);
        if (!param_find(name))
            break;
        cols++;
        c += 1 + n;
    }
    return cols;
}

int rows_header_shape(const char *header, const char *path, size_t *ncols, size_t *keycols,
                      char *err, size_t errlen)
{
    *ncols = count_cells(header);
    *keycols = rows_keycols(header);
    if (*keycols)
        return 0;
    snprintf(err, errlen, "%s:1: not a gilsim CSV (the header must start with 'schema,'%s)", path,
             strncmp(header, "\xef\xbb\xbf", 3) == 0 ? "; it starts with a UTF-8 byte-order "
             "mark: save the file without it" : "");
    return -1;
}

int rows_line_shape(const char *line, size_t lineno, size_t ncols, const char *path, char *err,
                    size_t errlen)
{
    size_t cells = count_cells(line);
    if (cells == ncols)
        return 0;
    snprintf(err, errlen, "%s:%zu: %zu columns (allowed: %zu, as the header)", path, lineno,
             cells, ncols);
    return -1;
}

int rows_stream(const char *path, rows_line_fn *fn, void *ctx, char *err, size_t errlen)
{
    int fd = text_open_fd(path, NULL, err, errlen);
    if (fd < 0)
        return -1;
    size_t cap = ROWS_LINE_MAX, have = 0, lineno = 0;
    char *buf = malloc(cap + 1);
    int rc = buf ? 0 : -1, eof = 0;
    if (!buf)
        snprintf(err, errlen, "%s: out of memory", path);
    while (rc == 0 && !eof) {
        ssize_t got = read(fd, buf + have, cap - have);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            snprintf(err, errlen, "%s: cannot read: %s", path, strerror(errno));
            rc = -1;
            break;
        }
        eof = got == 0;
        if (memchr(buf + have, '\0', (size_t)got)) {
            snprintf(err, errlen, "%s: not a gilsim CSV (it holds NUL bytes)", path);
            rc = -1;
            break;
        }
        have += (size_t)got;
        char *c = buf, *nl, *stop = buf + have;
        while (rc == 0 && (nl = memchr(c, '\n', (size_t)(stop - c)))) {
            *nl = '\0';
            if (nl > c && nl[-1] == '\r')
                nl[-1] = '\0';
            rc = fn(ctx, c, ++lineno, err, errlen);
            c = nl + 1;
        }
        have = (size_t)(stop - c);
        memmove(buf, c, have);
        if (rc == 0 && !eof && have == cap) {
            snprintf(err, errlen, "%s:%zu: a line longer than %zu bytes (allowed: shorter "
                     "lines)", path, lineno + 1, cap);
            rc = -1;
        }
    }
    free(buf);
    close(fd);
    return rc;
}

int rows_read_fd(int fd, const char *path, struct rows *r, char *err, size_t errlen)
{
    memset(r, 0, sizeof *r);
    size_t cap = 0;
    for (;;) {
        if (cap - r->size < 65536) {
            cap = cap ? 2 * cap : 65536;
            char *d = realloc(r->data, cap + 1);
            if (!d)
                goto nomem;
            r->data = d;
        }
        ssize_t got = read(fd, r->data + r->size, cap - r->size);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            snprintf(err, errlen, "%s: cannot read: %s", path, strerror(errno));
            goto fail;
        }
        if (got == 0)
            break;
        r->size += (size_t)got;
    }
    r->data[r->size] = '\0';
    if (memchr(r->data, '\0', r->size)) {
        snprintf(err, errlen, "%s: not a gilsim CSV (it holds NUL bytes)", path);
        goto fail;
    }
    for (r->good = r->size; r->good > 0 && r->data[r->good - 1] != '\n';)
        r->good--;
    size_t lines = 0; /* a trailing partial line is not read */
    for (size_t i = 0; i < r->good; i++)
        lines += r->data[i] == '\n';
    if (lines == 0)
        return 0;
    r->line = malloc(lines * sizeof *r->line);
    if (!r->line)
        goto nomem;
    size_t lineno = 0;
    char *end = r->data + r->good;
    for (char *c = r->data, *nl; c < end && (nl = memchr(c, '\n', (size_t)(end - c)));
         c = nl + 1) {
        *nl = '\0';
        if (nl > c && nl[-1] == '\r')
            nl[-1] = '\0';
        lineno++;
        if (!r->header) {
            r->header = c;
            if (rows_header_shape(c, path, &r->ncols, &r->keycols, err, errlen) != 0)
                goto fail;
            continue;
        }
        if (rows_line_shape(c, lineno, r->ncols, path, err, errlen) != 0)
            goto fail;
        r->line[r->n++] = c;
    }
    return 0;
nomem:
    snprintf(err, errlen, "%s: out of memory", path);
fail:
    rows_free(r);
    return -1;
}

int rows_load(const char *path, struct rows *r, char *err, size_t errlen)
{
    int fd = text_open_fd(path, NULL, err, errlen);
    if (fd < 0)
        return -1;
    int rc = rows_read_fd(fd, path, r, err, errlen);
    close(fd);
    return rc;
}

char **rows_cells(struct rows *r)
{
    char **cells = r->header ? malloc((r->n + 1) * r->ncols * sizeof *cells) : NULL;
    for (size_t i = 0; cells && i <= r->n; i++) {
        char *c = i == 0 ? r->header : r->line[i - 1];
        for (size_t k = 0; k < r->ncols; k++) { /* rows_read_fd checked the count of cells */
            cells[i * r->ncols + k] = c;
            c += strcspn(c, ",");
            if (*c)
                *c++ = '\0';
        }
    }
    return cells;
}

double rows_num(const char *cell)
{
    char *end;
    double v = strtod(cell, &end);
    return *cell && *end == '\0' ? v : NAN;
}

char *rows_current_header(void)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return NULL;
    results_write_header(f);
    if (fclose(f) != 0) {
        free(buf);
        return NULL;
    }
    if (len && buf[len - 1] == '\n')
        buf[len - 1] = '\0';
    return buf;
}

int rows_check_line(const char *line, size_t lineno, const char *path, char *err,
                    size_t errlen)
{
    char schema[16], cell[PARAM_PATH_LEN + 64], perr[1024];
    snprintf(schema, sizeof schema, "%d", RESULTS_SCHEMA);
    static struct params p; /* a scratch point: only whether each cell is accepted counts */
    static int ready;
    if (!ready) {
        params_defaults(&p);
        ready = 1;
    }
    const char *c = line;
    size_t len = rows_prefix(c, 1);
    if (len != strlen(schema) || strncmp(c, schema, len) != 0) {
        snprintf(err, errlen, "%s:%zu: schema '%.*s' (allowed: %s)", path, lineno,
                 (int)(len < 32 ? len : 32), c, schema);
        return -1;
    }
    /* Every parameter cell must be a value gilsim run accepts. */
    for (size_t k = 0; k < param_count; k++) {
        if (!param_is_column(&param_table[k]))
            continue;
        c += len + 1;
        len = rows_prefix(c, 1);
        size_t n = len < sizeof cell - 1 ? len : sizeof cell - 1;
        memcpy(cell, c, n);
        cell[n] = '\0';
        if (param_set_at(&p, &param_table[k], cell, perr, sizeof perr) != 0) {
            snprintf(err, errlen, "%s:%zu: %s", path, lineno, perr);
            return -1;
        }
    }
    return 0;
}

int rows_check_header(const char *header, const char *path, char *err, size_t errlen)
{
    char *mine = rows_current_header();
    if (!mine) {
        snprintf(err, errlen, "%s: out of memory", path);
        return -1;
    }
    int rc = 0;
    if (!header || strcmp(header, mine) != 0) {
        char diff[512] = "it is empty";
        if (header && strncmp(header, "\xef\xbb\xbf", 3) == 0) /* invisible in a message */
            snprintf(diff, sizeof diff, "it starts with a UTF-8 byte-order mark (an editor's; "
                     "save the file without it)");
        else if (header)
            rows_header_diff(header, mine, diff, sizeof diff);
        snprintf(err, errlen, "%s:1: not this gilsim's header: %s (allowed: the header of "
                 "gilsim run, schema %d)", path, diff, RESULTS_SCHEMA);
        rc = -1;
    }
    free(mine);
    return rc;
}

int rows_check(const struct rows *r, const char *path, char *err, size_t errlen)
{
    if (rows_check_header(r->header, path, err, errlen) != 0)
        return -1;
    for (size_t i = 0; i < r->n; i++)
        if (rows_check_line(r->line[i], i + 2, path, err, errlen) != 0)
            return -1;
    return 0;
}

void rows_header_diff(const char *mine, const char *theirs, char *buf, size_t len)
{
    size_t nmine = count_cells(mine), ntheirs = count_cells(theirs);
    buf[0] = '\0';
    for (size_t col = 1;; col++) {
        size_t a = rows_prefix(mine, 1), b = rows_prefix(theirs, 1);
        if (a != b || strncmp(mine, theirs, a) != 0) {
            snprintf(buf, len, "column %zu is '%.*s' here and '%.*s' there", col, (int)a, mine,
                     (int)b, theirs);
            return;
        }
        if (!mine[a] || !theirs[b]) {
            if (nmine != ntheirs)
                snprintf(buf, len, "%zu columns here and %zu there", nmine, ntheirs);
            return;
        }
        mine += a + 1;
        theirs += b + 1;
    }
}

char *rows_key(const struct params *p)
{
    char *buf = NULL, cell[PARAM_CELL_LEN];
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return NULL;
    fprintf(f, "%d", RESULTS_SCHEMA);
    for (size_t i = 0; i < param_count; i++) {
        if (!param_is_column(&param_table[i]))
            continue;
        param_format(p, &param_table[i], cell, sizeof cell);
        fprintf(f, ",%s", cell);
    }
    if (fclose(f) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

/* The number a cell of len bytes holds, if all of it is one. */
static int cell_number(const char *cell, size_t len, double *v)
{
    char buf[128];
    if (len >= sizeof buf)
        return 0;
    memcpy(buf, cell, len);
    buf[len] = '\0';
    *v = rows_num(buf);
    return !isnan(*v);
}

int rows_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
    const char *ae = a + alen, *be = b + blen;
    /* Cells before the first differing byte are equal: start at the cell holding it. */
    size_t same = 0, n = alen < blen ? alen : blen;
    while (same < n && a[same] == b[same])
        same++;
    while (same > 0 && a[same - 1] != ',')
        same--;
    a += same;
    b += same;
    while (a < ae && b < be) {
        const char *ac = memchr(a, ',', (size_t)(ae - a)), *bc = memchr(b, ',', (size_t)(be - b));
        size_t al = ac ? (size_t)(ac - a) : (size_t)(ae - a);
        size_t bl = bc ? (size_t)(bc - b) : (size_t)(be - b);
        double x, y;
        if (al == bl && memcmp(a, b, al) == 0) { /* equal cells: no number to read */
            a += al + 1;
            b += bl + 1;
            continue;
        }
        if (cell_number(a, al, &x) && cell_number(b, bl, &y) && x != y)
            return x < y ? -1 : 1;
        int c = strncmp(a, b, al < bl ? al : bl);
        if (c || al != bl)
            return c ? c : al < bl ? -1 : 1;
        a += al + 1;
        b += bl + 1;
    }
    return (a < ae) - (b < be);
}

static int ref_cmp(const void *a, const void *b)
{
    const struct rows_ref *x = a, *y = b;
    int c = rows_cmp(x->key, x->len, y->key, y->len);
    return c ? c : (x->i > y->i) - (x->i < y->i);
}

void rows_sort(struct rows_ref *ref, size_t n)
{
    if (n > 1)
        qsort(ref, n, sizeof *ref, ref_cmp);
}

int rows_find(const struct rows_ref *ref, size_t n, const char *key, size_t len)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = rows_cmp(ref[mid].key, ref[mid].len, key, len);
        if (c == 0)
            return 1;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

int rows_append(int fd, const char *line)
{
    size_t len = strlen(line), done = 0;
    struct stat st;
    char *buf = malloc(len + 1);
    if (!buf || fstat(fd, &st) != 0) {
        free(buf);
        return -1;
    }
    memcpy(buf, line, len);
    buf[len] = '\n';
    while (done < len + 1) {
        ssize_t put = write(fd, buf + done, len + 1 - done);
        if (put < 0 && errno == EINTR)
            continue;
        if (put <= 0) {
            /* A short write continued until it fails says why (EFBIG, ENOSPC); the
             * fragment is cut off so that the next appender starts on a whole row. */
            int e = put < 0 ? errno : ENOSPC;
            if (done > 0 && ftruncate(fd, st.st_size) != 0)
                e = errno;
            free(buf);
            errno = e;
            return -1;
        }
        done += (size_t)put;
    }
    free(buf);
    return 0;
}

struct rows_out {
    const char *header;
    const char *const *line;
    size_t n;
};

static int fill_rows(FILE *f, void *arg)
{
    const struct rows_out *o = arg;
    fprintf(f, "%s\n", o->header);
    for (size_t i = 0; i < o->n; i++)
        fprintf(f, "%s\n", o->line[i]);
    return 0;
}

int rows_write(struct out_file *o, const char *header, const char *const *line, size_t n,
               char *err, size_t errlen)
{
    struct rows_out r = { header, line, n };
    return out_file_write(o, fill_rows, &r, err, errlen);
}

/* One CSV cell, quoted (RFC 4180) when it holds a comma, a quote or a newline. */
void rows_put_cell(FILE *f, const char *s)
{
    if (!strpbrk(s, ",\"\n")) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}
