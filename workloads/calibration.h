/* Calibration files: what `gilsim calibrate` writes, read back as defaults by `gilsim run`,
 * `gilsim sweep` and `gilsim validate` (--calibration=FILE). A calibration file is a spec file
 * (spec.h) with one [global] section of single values; a flag or a spec file's own value wins. */
#ifndef GILSIM_WORKLOADS_CALIBRATION_H
#define GILSIM_WORKLOADS_CALIBRATION_H

#include <stddef.h>

#include "params.h"
#include "spec.h"

/* What gilsim calibrate's files start with, and their last line: CALIB_END " N settings". */
#define CALIB_FIRST "# gilsim calibrate:"
#define CALIB_END "# gilsim calibrate: end of the file,"

/* Reads a calibration file into c (which must be spec_init'ed). -1 with a one-line message
 * (FILE:LINE: ... where it has one) if it cannot be read, is not a spec file, has a named
 * section or a key with more than one value, or starts as gilsim calibrate's files do and
 * lacks their end line or the number of settings it gives (a file cut short). A relative
 * wake_samples is a file in the calibration file's folder (if there is none of that name
 * there but one in the current directory, as older gilsims wrote it: that one). */
int calib_load(const char *path, struct spec *c, char *err, size_t errlen);
/* Sets every parameter the calibration c sets in p (values that passed param_set already). */
void calib_apply(const struct spec *c, struct params *p);
/* Gives every family of s the calibration's value for each parameter the family leaves
 * unset (so a spec's own values and --PARAM=LIST win). -1 with a message if out of memory. */
int calib_fill_spec(struct spec *s, const struct spec *c, char *err, size_t errlen);

/* Finds --calibration=FILE among argv[1..argc-1] (the last one wins), loads it and applies it
 * to p. Returns 0 (also when there is none; *path is then NULL), or -1 with a message. */
int calib_from_args(int argc, char **argv, struct params *p, const char **path, char *err,
                    size_t errlen);

#endif
