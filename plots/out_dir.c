/* A command's output directory and its manifest (see out_dir.h). */
#define _POSIX_C_SOURCE 200809L
#include "out_dir.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomic_file.h"
#include "text_file.h"

char *out_dir_join(const char *dir, const char *file)
{
    size_t len = strlen(dir) + strlen(file) + 2;
    char *path = malloc(len);
    if (path)
        snprintf(path, len, "%s/%s", dir, file);
    return path;
}

void out_dir_remove(const char *tmp) { tmp_tree_remove(tmp); }

int out_dir_exists(const struct out_dir *d, char *err, size_t errlen)
{
    struct stat st;
    if (stat(d->dir, &st) != 0)
        return errno == ENOENT ? 1 : 0;
    if (!S_ISDIR(st.st_mode)) {
        snprintf(err, errlen, "-o: '%s' exists and is not a directory", d->dir);
        return -1;
    }
    return 0;
}

/* Creates the missing directories above path (mkdir -p of its parent). */
static int make_parents(const char *path)
{
    char *buf = strdup(path);
    int rc = buf ? 0 : -1;
    for (char *c = buf ? buf + 1 : NULL; c && *c && rc == 0; c++)
        if (*c == '/') {
            *c = '\0';
            if (mkdir(buf, 0755) != 0 && errno != EEXIST)
                rc = -1;
            *c = '/';
        }
    free(buf);
    return rc;
}

char *out_dir_begin(const struct out_dir *d, const char *what, char *err, size_t errlen)
{
    char name[64];
    snprintf(name, sizeof name, ".gilsim-%s.XXXXXX", what);
    char *tmp = out_dir_join(d->dir, name);
    if (!tmp)
        return NULL;
    if (make_parents(tmp) != 0 || !mkdtemp(tmp)) {
        snprintf(err, errlen, "-o: cannot create '%s': %s", tmp, strerror(errno));
        free(tmp);
        return NULL;
    }
    return tmp;
}

/* A list of file names (directory entries, or manifest lines). */
struct names {
    char **v;
    size_t n;
};

static void names_free(struct names *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->v[i]);
    free(s->v);
    memset(s, 0, sizeof *s);
}

/* A name gilsim may write in DIR: a plain file name, not hidden. */
static int plain_name(const char *name)
{
    return name[0] && name[0] != '.' && !strchr(name, '/');
}

static int names_has(const struct names *s, const char *name)
{
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->v[i], name) == 0)
            return 1;
    return 0;
}

static int names_add(struct names *s, const char *name)
{
    if (names_has(s, name))
        return 0;
    char **v = realloc(s->v, (s->n + 1) * sizeof *v);
    if (!v)
        return -1;
    s->v = v;
    if (!(s->v[s->n] = strdup(name)))
        return -1;
    s->n++;
    return 0;
}

static int names_add_all(struct names *s, const char *const *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (names_add(s, v[i]) != 0)
            return -1;
    return 0;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The files in tmp, sorted (a manifest that does not depend on readdir); index.html last. */
static int list_new(const char *tmp, struct names *s)
{
    DIR *d = opendir(tmp);
    struct dirent *e;
    int rc = d ? 0 : -1, index = 0;
    while (rc == 0 && d && (e = readdir(d)))
        if (strcmp(e->d_name, "index.html") == 0)
            index = 1;
        else if (plain_name(e->d_name))
            rc = names_add(s, e->d_name);
    if (d)
        closedir(d);
    if (s->n > 1)
        qsort(s->v, s->n, sizeof *s->v, by_name);
    return rc == 0 && index ? names_add(s, "index.html") : rc;
}

/* The names the manifest of d lists. Without one, a legacy DIR (see out_dir.h) counts `same`
 * as its files. -2 with err set if it is not a regular file (bad input: a FIFO, a symbolic
 * link), -1 with err set if it cannot be read. */
static int read_manifest(const struct out_dir *d, const struct names *same, struct names *s,
                         char *err, size_t errlen)
{
    char *path = out_dir_join(d->dir, d->manifest), *line = NULL;
    size_t cap = 0;
    unsigned long lineno = 0;
    struct stat st;
    int rc = path ? 0 : -1, there = path && lstat(path, &st) == 0;
    int absent = path && !there && errno == ENOENT;
    if (absent && d->legacy) { /* an index.html of an older gilsim that had no manifest */
        char *index = out_dir_join(d->dir, "index.html");
        FILE *g = index ? text_open(index, NULL, err, errlen) : NULL;
        int ours = 0;
        while (g && !ours && text_line(g, index, ++lineno, TEXT_LINE_MAX, &line, &cap, err,
                                       errlen) >= 0)
            ours = strstr(line, d->legacy) != NULL;
        if (g)
            fclose(g);
        free(index);
        for (size_t i = 0; ours && rc == 0 && i < same->n; i++)
            rc = names_add(s, same->v[i]);
    }
    /* The manifest itself: a regular file, never followed through a symbolic link (a link to
     * another list of names would make gilsim replace the files that list names). */
    FILE *f = there && S_ISREG(st.st_mode) ? text_open(path, NULL, err, errlen) : NULL;
    if (!path)
        snprintf(err, errlen, "out of memory");
    else if (there && !S_ISREG(st.st_mode)) {
        snprintf(err, errlen, "-o: '%s' is not a regular file (gilsim's list of the files it "
                 "wrote there; not reading it: move it away)", path);
        rc = -2;
    } else if (!absent && !f) {
        if (!there)
            snprintf(err, errlen, "-o: cannot read '%s': %s", path, strerror(errno));
        rc = -1;
    }
    ssize_t got = 0;
    lineno = 0;
    while (f && rc == 0 &&
           (got = text_line(f, path, ++lineno, 512, &line, &cap, err, errlen)) >= 0) {
        line[strcspn(line, "\n")] = '\0';
        if (plain_name(line))
            rc = names_add(s, line);
    }
    if (f)
        fclose(f);
    free(line);
    free(path);
    return rc == 0 && got == -2 ? -1 : rc;
}

struct manifest_text {
    const struct out_dir *d;
    const struct names *const *lists; /* NULL-terminated; each name written once */
};

static int fill_manifest(FILE *f, void *arg)
{
    const struct manifest_text *m = arg;
    struct names seen = { 0 };
    int rc = 0;
    fprintf(f, "# files %s wrote in this directory; it replaces or removes only these\n",
            m->d->who);
    for (size_t k = 0; m->lists[k] && rc == 0; k++)
        for (size_t i = 0; i < m->lists[k]->n && rc == 0; i++)
            if (!names_has(&seen, m->lists[k]->v[i])) {
                fprintf(f, "%s\n", m->lists[k]->v[i]);
                rc = names_add(&seen, m->lists[k]->v[i]);
            }
    names_free(&seen);
    return rc == 0 && !ferror(f) ? 0 : -1;
}

static int write_manifest(const struct out_dir *d, const struct names *const *lists, char *err,
                          size_t errlen)
{
    struct manifest_text m = { d, lists };
    char *path = out_dir_join(d->dir, d->manifest);
    int rc = path ? atomic_file_write(path, fill_manifest, &m, err, errlen) : -1;
    if (!path)
        snprintf(err, errlen, "out of memory");
    free(path);
    return rc;
}

/* 1 if path is the file st describes. */
static int is_file(const char *path, const struct stat *st)
{
    struct stat now;
    return st && stat(path, &now) == 0 && now.st_dev == st->st_dev && now.st_ino == st->st_ino;
}

/* -2 with err set if a name of fresh is taken in d->dir by a file not in old. */
static int check_names(const struct out_dir *d, const struct names *fresh,
                       const struct names *old, char *err, size_t errlen)
{
    struct stat in_st;
    const struct stat *in = d->input && stat(d->input, &in_st) == 0 ? &in_st : NULL;
    for (size_t i = 0; i < fresh->n; i++) {
        char *path = out_dir_join(d->dir, fresh->v[i]);
        struct stat st;
        const char *why = !path ? "out of memory"
                          : lstat(path, &st) != 0 ? NULL
                          : is_file(path, in) ? "it is the input CSV"
                          : !S_ISREG(st.st_mode) ? "it is not a regular file"
                          : !names_has(old, fresh->v[i]) ? "gilsim did not write it"
                                                         : NULL;
        free(path);
        if (why) {
            snprintf(err, errlen, "-o: '%s/%s' exists and %s (not replacing it; move it away "
                     "or choose another directory)", d->dir, fresh->v[i], why);
            return -2;
        }
    }
    return 0;
}

int out_dir_check(const struct out_dir *d, const char *const *names, size_t n, char *err,
                  size_t errlen)
{
    struct names want = { 0 }, old = { 0 };
    int rc = names_add_all(&want, names, n) != 0 ? -1 : read_manifest(d, &want, &old, err,
                                                                         errlen);
    if (rc == 0)
        rc = check_names(d, &want, &old, err, errlen);
    names_free(&want);
    names_free(&old);
    return rc;
}

int out_dir_claim(const struct out_dir *d, const char *const *names, size_t n, char *err,
                  size_t errlen)
{
    struct names add = { 0 }, old = { 0 };
    const struct names *both[] = { &old, &add, NULL };
    int rc = names_add_all(&add, names, n) != 0 ? -1 : read_manifest(d, &add, &old, err,
                                                                        errlen);
    if (rc == 0)
        rc = write_manifest(d, both, err, errlen);
    names_free(&add);
    names_free(&old);
    return rc;
}

int out_dir_commit(const struct out_dir *d, const char *tmp, const char *const *keep,
                   size_t nkeep, char *err, size_t errlen)
{
    struct names fresh = { 0 }, old = { 0 }, kept = { 0 };
    struct stat in_st;
    const struct stat *in = d->input && stat(d->input, &in_st) == 0 ? &in_st : NULL;
    int rc = -1;
    if (list_new(tmp, &fresh) != 0) {
        snprintf(err, errlen, "-o: cannot read '%s': %s", tmp, strerror(errno));
        goto out;
    }
    if ((rc = read_manifest(d, &fresh, &old, err, errlen)) != 0)
        goto out;
    rc = -1;
    for (size_t i = 0; i < nkeep; i++)
        if (names_has(&old, keep[i]) && names_add(&kept, keep[i]) != 0)
            goto out;
    /* Every name the new files take must be free or ours, before anything moves. */
    if ((rc = check_names(d, &fresh, &old, err, errlen)) != 0)
        goto out;
    rc = -1;
    /* The manifest names old and new files while they mix, then only the new and kept. */
    const struct names *both[] = { &fresh, &old, NULL }, *now[] = { &fresh, &kept, NULL };
    if (write_manifest(d, both, err, errlen) != 0)
        goto out;
    for (size_t i = 0; i < fresh.n; i++) {
        char *from = out_dir_join(tmp, fresh.v[i]), *to = out_dir_join(d->dir, fresh.v[i]);
        int moved = from && to && rename(from, to) == 0;
        if (!moved)
            snprintf(err, errlen, "-o: cannot write '%s/%s': %s", d->dir, fresh.v[i],
                     strerror(errno));
        free(from);
        free(to);
        if (!moved)
            goto out;
    }
    for (size_t i = 0; i < old.n; i++) {
        char *path = names_has(&fresh, old.v[i]) || names_has(&kept, old.v[i])
                         ? NULL : out_dir_join(d->dir, old.v[i]);
        struct stat st;
        if (path && lstat(path, &st) == 0 && S_ISREG(st.st_mode) && !is_file(path, in))
            unlink(path); /* a file of the previous run that this one does not write */
        free(path);
    }
    if (write_manifest(d, now, err, errlen) != 0)
        goto out;
    rmdir(tmp);
    rc = 0;
out:
    names_free(&fresh);
    names_free(&old);
    names_free(&kept);
    return rc;
}
