/* Writing a file whole or not at all: the content goes to PATH.tmp.PID, which is renamed over
 * PATH only once it is complete, so PATH never holds a partial file (a killed or failed write
 * leaves PATH as it was). Used for every output gilsim writes in one go. */
#ifndef GILSIM_MODELS_ATOMIC_FILE_H
#define GILSIM_MODELS_ATOMIC_FILE_H

#include <stddef.h>
#include <stdio.h>

/* Calls fill(f, arg) on the temporary file, then renames it to path. fill returns 0 or -1.
 * With path NULL, fill writes to standard output. Returns 0, or -1 with
 * "PATH: cannot write: REASON" in err. */
int atomic_file_write(const char *path, int (*fill)(FILE *f, void *arg), void *arg, char *err,
                      size_t errlen);

#endif
