/* splitmix64 (Steele, Lea and Flood, "Fast splittable pseudorandom number generators", 2014;
 * the constants of Vigna's splitmix64.c): the one 64-bit mixer every seed derivation, hash and
 * small generator of gilsim uses. */
#ifndef GILSIM_WORKLOADS_SPLITMIX_H
#define GILSIM_WORKLOADS_SPLITMIX_H

#include <stdint.h>

/* The golden-ratio increment of the splitmix64 sequence. */
#define SPLITMIX64_GAMMA 0x9e3779b97f4a7c15ULL

/* The finaliser: a well-mixed bijective hash of a 64-bit value. */
static inline uint64_t mix64(uint64_t x)
{
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

/* One splitmix64 step from state x: the value after x (x + gamma, mixed). */
static inline uint64_t splitmix64(uint64_t x) { return mix64(x + SPLITMIX64_GAMMA); }

#endif
