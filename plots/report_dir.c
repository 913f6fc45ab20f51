/* The output directory of gilsim report (see report_int.h): the figures are drawn into
 * DIR.tmp.PID, which then takes the place of DIR, so DIR is either the previous report or the
 * complete new one; a DIR that holds something else than a report is never replaced. */
#define _XOPEN_SOURCE 700 /* nftw */
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "report_int.h"

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
        return 0;
    if (!S_ISDIR(st.st_mode)) {
        snprintf(err, errlen, "-o: '%s' exists and is not a directory", dir);
        return -1;
    }
    char *index = report_join(dir, "index.html"), line[512];
    FILE *f = index ? fopen(index, "r") : NULL;
    int ours = 0;
    while (f && !ours && fgets(line, sizeof line, f))
        ours = strstr(line, MARKER) != NULL;
    if (f)
        fclose(f);
    free(index);
    if (ours || rmdir(dir) == 0 || errno == ENOENT)
        return 0;
    snprintf(err, errlen, "-o: '%s' exists and is not a gilsim report (not replacing it)", dir);
    return -1;
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
    size_t len = strlen(dir) + 32;
    char *tmp = malloc(len);
    if (!tmp)
        return NULL;
    snprintf(tmp, len, "%s.tmp.%ld", dir, (long)getpid());
    if (make_parents(tmp) != 0 || mkdir(tmp, 0755) != 0) {
        snprintf(err, errlen, "-o: cannot create '%s': %s", tmp, strerror(errno));
        free(tmp);
        return NULL;
    }
    return tmp;
}

int report_dir_commit(const char *tmp, const char *dir, char *err, size_t errlen)
{
    size_t len = strlen(dir) + 32;
    char *old = malloc(len);
    if (!old) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    snprintf(old, len, "%s.old.%ld", dir, (long)getpid());
    int had = rename(dir, old) == 0, rc = 0;
    if (rename(tmp, dir) != 0) {
        snprintf(err, errlen, "-o: cannot create '%s': %s", dir, strerror(errno));
        if (had)
            rename(old, dir);
        rc = -1;
    } else if (had) {
        report_dir_remove(old);
    }
    free(old);
    return rc;
}
