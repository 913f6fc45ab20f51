/* A directory that one gilsim command writes several files into (report's DIR, validate's DIR),
 * guarded by a manifest: a file in DIR listing the files that command wrote there. Invariant:
 * gilsim replaces or removes only regular files its manifest names, never the command's input;
 * a name the command needs that is taken by anything else stops it (-2) before anything in DIR
 * changes. Finished files are made in a private DIR/.gilsim-WHAT.XXXXXX and renamed in. */
#ifndef GILSIM_PLOTS_OUT_DIR_H
#define GILSIM_PLOTS_OUT_DIR_H

#include <stddef.h>

struct out_dir {
    const char *dir;      /* the directory */
    const char *manifest; /* its manifest's name in dir, e.g. ".gilsim-manifest" */
    const char *who;      /* the command, for the manifest's comment: "gilsim report" */
    const char *input;    /* a file never replaced (the input CSV); NULL if none */
    /* Without a manifest, a dir/index.html holding this string (a report older than
     * manifests) counts the names being checked as gilsim's; NULL: no such case. */
    const char *legacy;
};

/* "dir/file", malloc'd. */
char *out_dir_join(const char *dir, const char *file);
/* 0 if d->dir is an existing directory, 1 if it does not exist yet; else -1 with err set. */
int out_dir_exists(const struct out_dir *d, char *err, size_t errlen);
/* 0 if each of names[0..n) is free in d->dir or a regular file its manifest names (and not
 * the input); -2 with "-o: 'DIR/NAME' exists and WHY (not replacing it; ...)" in err if not;
 * -1 with err set if the manifest cannot be read. */
int out_dir_check(const struct out_dir *d, const char *const *names, size_t n, char *err,
                  size_t errlen);
/* Adds names[0..n) to the manifest (after out_dir_check): files the command is about to
 * write in place. 0, or -1 with err set. */
int out_dir_claim(const struct out_dir *d, const char *const *names, size_t n, char *err,
                  size_t errlen);
/* Creates d->dir (and the missing directories above it) and a private
 * "dir/.gilsim-WHAT.XXXXXX" to make files in; returns the latter, malloc'd. NULL if it
 * cannot, with err set unless out of memory. */
char *out_dir_begin(const struct out_dir *d, const char *what, char *err, size_t errlen);
/* Moves the files of the finished tmp into d->dir (index.html last, if there is one) and
 * removes the files the manifest names that tmp does not hold, except keep[0..nkeep) (files
 * written in place). -2 with err set and dir as it was if a new name is taken (out_dir_check);
 * -1 with err set if it cannot write (dir as it was, unless a rename fails midway). */
int out_dir_commit(const struct out_dir *d, const char *tmp, const char *const *keep,
                   size_t nkeep, char *err, size_t errlen);
/* Removes the tree at tmp. */
void out_dir_remove(const char *tmp);

#endif
