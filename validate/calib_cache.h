/* gilsim calibrate's measurement of what an object access costs when its object is not in the
 * core's caches: object handlers over working sets of growing size, fitted to the simulator's
 * charge miss_ns x max(0, 1 - cache_objects / W) per access over W objects. */
#ifndef GILSIM_VALIDATE_CALIB_CACHE_H
#define GILSIM_VALIDATE_CALIB_CACHE_H

#include <stddef.h>

/* The least-squares fit of extra[i] ~ miss x max(0, 1 - cache / w[i]) over n working sets:
 * cache from a geometric grid (ratio 1.02) between w's smallest and largest, miss in closed
 * form for each. */
void calib_cache_fit(const double *w, const double *extra, size_t n, double *miss,
                     double *cache);

/* One repetition: out[0] = miss_ns, out[1] = cache_objects, out[2] = the extra ns per access
 * at the largest working set. */
void calib_cache_misses(double *out);

#endif
