/* Writing an output whole or not at all (docs/files.md). A regular file (or a new name) is
 * written to a temporary made by mkstemp beside it, then renamed over it (or linked to a new
 * name), so the name never holds a partial file. A character device or FIFO the user named is
 * written through; "-" is standard output. A symbolic link, directory or other special file is
 * refused, never replaced. The file being replaced is locked (fcntl write lock) from
 * out_file_open to out_file_close: the lock a sweep holds on its results file, so no writer
 * replaces a file another gilsim is appending to. */
#ifndef GILSIM_WORKLOADS_ATOMIC_FILE_H
#define GILSIM_WORKLOADS_ATOMIC_FILE_H

#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

enum out_kind {
    OUT_STDOUT, /* "-" or no name: standard output */
    OUT_STREAM, /* a character device or FIFO: written through, in place */
    OUT_FILE,   /* a regular file or a new name: temporary + rename */
};

struct out_file {
    const char *path;
    enum out_kind kind;
    int lock;      /* the regular file being replaced, open and locked; -1 if none */
    int existed;   /* a regular file was there (its dev, ino and mode below) */
    dev_t dev;
    ino_t ino;
    mode_t mode;
};

/* Checks what is at path and, for a regular file, takes its lock. 0; -2 with err set if
 * path is a directory, symbolic link or another file gilsim may not replace (bad input); -1
 * with err set if the lock is held by another gilsim or the file cannot be opened. */
int out_file_open(struct out_file *o, const char *path, char *err, size_t errlen);
/* Writes the output: fill(f, arg) returns 0 or -1. For standard output nothing is flushed
 * (stdout_finish does that, once). 0, or -1 with "PATH: cannot write: REASON" in err and
 * nothing changed at path (for a regular file). */
int out_file_write(struct out_file *o, int (*fill)(FILE *f, void *arg), void *arg, char *err,
                   size_t errlen);
/* Puts tmp, a finished file on the same file system, in place of o (OUT_FILE): renamed over
 * the file out_file_open found (if it is still that file), or linked to the new name (if
 * nothing appeared there meanwhile). 0, or -1 with errno set (EEXIST: not ours to replace). */
int out_file_commit(struct out_file *o, const char *tmp);
/* Releases the lock. */
void out_file_close(struct out_file *o);

/* out_file_open + out_file_close, and for a regular file, that its directory takes a new file
 * (W_OK): what a command checks of its outputs before it measures or runs anything. The same
 * returns as out_file_open (a directory that takes no file: -2); *kind gets the kind. */
int out_file_check(const char *path, enum out_kind *kind, char *err, size_t errlen);

/* out_file_open + out_file_write + out_file_close. With path NULL, to standard output. */
int atomic_file_write(const char *path, int (*fill)(FILE *f, void *arg), void *arg, char *err,
                      size_t errlen);
/* The same with len bytes at data as the content. */
int atomic_file_write_buf(const char *path, const void *data, size_t len, char *err,
                          size_t errlen);

/* Removes the tree at dir (a private temporary folder: mkdtemp's, whose every file is
 * gilsim's), without following symbolic links. */
void tmp_tree_remove(const char *dir);

/* Takes the results-file lock on fd (open for writing, else for reading) without waiting;
 * -1 with err set if another process holds it. */
int results_lock(int fd, const char *path, char *err, size_t errlen);

/* 1 if a and b name the same file: the same inode when both exist, else the same path once
 * the directory part is resolved (realpath); "-" is standard output. */
int out_file_same(const char *a, const char *b);

/* Flushes standard output; after a failed write (a full disk, a closed pipe), prints one
 * line "gilsim: standard output: REASON" and returns 1 if rc was 0, else rc. Every command's
 * status goes through it (main.c). */
int stdout_finish(int rc);

#endif
