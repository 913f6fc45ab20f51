/* gilsim calibrate's measurement of what an object access costs when it picks among many
 * objects (its cache misses): native runs over working sets of 16 to 65536 objects per thread,
 * the cost per access above the 16-object run's at each size the simulator interpolates
 * between (miss_1k_ns .. miss_64k_ns, workloads/params.c). */
#ifndef GILSIM_VALIDATE_CALIB_CACHE_H
#define GILSIM_VALIDATE_CALIB_CACHE_H

/* One repetition: out[0..3] = the excess ns per access over 1024, 4096, 16384 and 65536
 * objects per thread, out[4] = the cost per access over 16 objects. */
void calib_cache_misses(double *out);

#endif
