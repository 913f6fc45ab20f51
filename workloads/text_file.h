/* Reading a file the user names (a spec, trace, calibration, wake-up samples, results CSV,
 * timeline, manifest): the rules every reader of gilsim shares. Only a regular file is read: a
 * FIFO, device, directory or socket is refused at once (opened without blocking, never read),
 * so /dev/zero or a FIFO nobody writes cannot hang gilsim or fill its memory. Lines are read
 * whole up to a bound, and a NUL byte is refused: a binary file is named as one. */
#ifndef GILSIM_WORKLOADS_TEXT_FILE_H
#define GILSIM_WORKLOADS_TEXT_FILE_H

#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

/* The longest line a reader takes by default (bytes, newline included). */
#define TEXT_LINE_MAX (1 << 20)

/* Opens path for reading if it is a regular file: its descriptor, or -1 with "WHAT: cannot
 * read 'PATH': REASON" or "WHAT: 'PATH' is a FIFO (allowed: a regular file)" in err; what
 * may be NULL: "PATH: cannot read: REASON", "PATH: is a FIFO (allowed: a regular file)". */
int text_open_fd(const char *path, const char *what, char *err, size_t errlen);
/* The same as a stdio stream. */
FILE *text_open(const char *path, const char *what, char *err, size_t errlen);
/* Reads the next line of f (newline kept, NUL-terminated) into *line, growing it (*cap) as
 * getline does. Its length; -1 at the end of the file; -2 with "PATH:LINENO: ..." in err if
 * the line is longer than max bytes or holds a NUL byte, or reading fails. */
ssize_t text_line(FILE *f, const char *path, unsigned long lineno, size_t max, char **line,
                  size_t *cap, char *err, size_t errlen);

#endif
