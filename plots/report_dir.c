/* The output directory of gilsim report (see report_int.h): the figures are drawn into a
 * private DIR/.gilsim-report.XXXXXX (mkdtemp), then moved into DIR one by one. DIR's manifest
 * (.gilsim-manifest) names the files gilsim wrote there. Invariant: gilsim replaces or removes
 * only regular files its manifest names, and never the input CSV; anything else in DIR (the
 * input, notes, folders) is left as it is, and a file of the new report whose name is taken
 * by such a file stops the report before anything in DIR changes. */
#define _XOPEN_SOURCE 700 /* nftw */
#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomic_file.h"
#include "report_int.h"

#define MANIFEST ".gilsim-manifest"

char *report_join(const char *dir, const char *file)
{
    size_t len = strlen(dir) + strlen(file) + 2;
    char *path = malloc(len);
    if (path)
        snprintf(path, len, "%s/%s", dir, file);
    return path;
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

void report_dir_remove(const char *dir)
{
    nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

int report_dir_check(const char *dir, char *err, size_t errlen)
{
    struct stat st;
    if (stat(dir, &st) != 0)
        return errno == ENOENT ? 1 : 0;
    if (!S_ISDIR(st.st_mode)) {
        snprintf(err, errlen, "-o: '%s' exists and is not a directory", dir);
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

char *report_dir_begin(const char *dir, char *err, size_t errlen)
{
    char *tmp = report_join(dir, ".gilsim-report.XXXXXX");
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

static int names_add(struct names *s, const char *name)
{
    char **v = realloc(s->v, (s->n + 1) * sizeof *v);
    if (!v)
        return -1;
    s->v = v;
    if (!(s->v[s->n] = strdup(name)))
        return -1;
    s->n++;
    return 0;
}

static int names_has(const struct names *s, const char *name)
{
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->v[i], name) == 0)
            return 1;
    return 0;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The files of the new report (the entries of tmp), sorted; index.html is put last. */
static int list_new(const char *tmp, struct names *s)
{
    DIR *d = opendir(tmp);
    struct dirent *e;
    int rc = d ? 0 : -1;
    while (rc == 0 && d && (e = readdir(d)))
        if (plain_name(e->d_name) && strcmp(e->d_name, "index.html") != 0)
            rc = names_add(s, e->d_name);
    if (d)
        closedir(d);
    if (s->n > 1)
        qsort(s->v, s->n, sizeof *s->v, by_name); /* a manifest that does not depend on readdir */
    return rc == 0 ? names_add(s, "index.html") : -1;
}

/* The manifest of dir: the files an earlier gilsim report wrote there. Without one, a DIR
 * whose index.html is a gilsim report's (written before manifests) counts `same` as its
 * files: the names the new report writes. */
static int read_manifest(const char *dir, const struct names *same, struct names *s)
{
    char *path = report_join(dir, MANIFEST), line[512];
    FILE *f = path ? fopen(path, "r") : NULL;
    int rc = path ? 0 : -1;
    free(path);
    if (!f) {
        char *index = report_join(dir, "index.html");
        FILE *g = index ? fopen(index, "r") : NULL;
        int ours = 0;
        while (g && !ours && fgets(line, sizeof line, g))
            ours = strstr(line, MARKER) != NULL;
        if (g)
            fclose(g);
        free(index);
        for (size_t i = 0; ours && rc == 0 && i < same->n; i++)
            rc = names_add(s, same->v[i]);
        return rc;
    }
    while (rc == 0 && fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = '\0';
        if (plain_name(line) && !names_has(s, line))
            rc = names_add(s, line);
    }
    fclose(f);
    return rc;
}

static int fill_manifest(FILE *f, void *arg)
{
    const struct names *const *lists = arg;
    fputs("# files gilsim report wrote in this directory; it replaces or removes only these\n",
          f);
    for (size_t k = 0; lists[k]; k++)
        for (size_t i = 0; i < lists[k]->n; i++)
            if (k == 0 || !names_has(lists[0], lists[k]->v[i]))
                fprintf(f, "%s\n", lists[k]->v[i]);
    return 0;
}

/* 1 if path is the file st describes. */
static int is_file(const char *path, const struct stat *st)
{
    struct stat now;
    return st && stat(path, &now) == 0 && now.st_dev == st->st_dev && now.st_ino == st->st_ino;
}

int report_dir_commit(const char *tmp, const char *dir, const char *input, char *err,
                      size_t errlen)
{
    struct names fresh = { 0 }, old = { 0 };
    struct stat in_st;
    const struct stat *in = stat(input, &in_st) == 0 ? &in_st : NULL;
    char *mpath = report_join(dir, MANIFEST);
    int rc = -1;
    if (!mpath || list_new(tmp, &fresh) != 0 || read_manifest(dir, &fresh, &old) != 0) {
        snprintf(err, errlen, "-o: cannot read '%s': %s", dir, strerror(errno));
        goto out;
    }
    /* Every name the new report takes must be free or one of ours, before anything moves. */
    for (size_t i = 0; i < fresh.n; i++) {
        char *path = report_join(dir, fresh.v[i]);
        struct stat st;
        const char *why = !path ? "out of memory"
                          : lstat(path, &st) != 0 ? NULL
                          : is_file(path, in) ? "it is the input CSV"
                          : !S_ISREG(st.st_mode) ? "it is not a regular file"
                          : !names_has(&old, fresh.v[i]) ? "gilsim did not write it"
                                                          : NULL;
        free(path);
        if (why) {
            snprintf(err, errlen, "-o: '%s/%s' exists and %s (not replacing it; move it away "
                     "or choose another directory)", dir, fresh.v[i], why);
            rc = -2;
            goto out;
        }
    }
    /* The manifest names old and new files while they mix, then only the new ones. */
    const struct names *both[] = { &fresh, &old, NULL }, *now[] = { &fresh, NULL };
    if (atomic_file_write(mpath, fill_manifest, both, err, errlen) != 0)
        goto out;
    for (size_t i = 0; i < fresh.n; i++) {
        char *from = report_join(tmp, fresh.v[i]), *to = report_join(dir, fresh.v[i]);
        int moved = from && to && rename(from, to) == 0;
        if (!moved)
            snprintf(err, errlen, "-o: cannot write '%s/%s': %s", dir, fresh.v[i],
                     strerror(errno));
        free(from);
        free(to);
        if (!moved)
            goto out;
    }
    for (size_t i = 0; i < old.n; i++) {
        char *path = names_has(&fresh, old.v[i]) ? NULL : report_join(dir, old.v[i]);
        struct stat st;
        if (path && lstat(path, &st) == 0 && S_ISREG(st.st_mode) && !is_file(path, in))
            unlink(path); /* a figure of the previous report that this one does not draw */
        free(path);
    }
    if (atomic_file_write(mpath, fill_manifest, now, err, errlen) != 0)
        goto out;
    rmdir(tmp);
    rc = 0;
out:
    free(mpath);
    names_free(&fresh);
    names_free(&old);
    return rc;
}
