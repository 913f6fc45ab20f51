/* Measures which waiter a pthread_cond_signal wakes on this machine (validate/cond_race.c):
 * the real numbers behind gilsim's wake_order=glibc and cv_steal (docs/design.md, "Wake
 * order"). Not a test: prints two lines.
 * Usage: cond_order [ROUNDS] (default 200 per experiment; run under chrt -r 10 for the figures
 * docs/design.md gives). */
#include <stdio.h>
#include <stdlib.h>

#include "cond_race.h"

int main(int argc, char **argv)
{
    int rounds = argc > 1 ? atoi(argv[1]) : 200;
    if (rounds < 1 || rounds > 100000) {
        fprintf(stderr, "cond_order: ROUNDS must be 1..100000\n");
        return 2;
    }
    printf("sleeping waiters: the longest of 3 took the signal %d of %d times\n",
           cond_order_longest(rounds), rounds);
    double s = cond_race_steal(rounds);
    printf("request race: the requester took the signal from the older waiter %.0f of %d times "
           "(cv_steal %.2f)\n", s * rounds, rounds, s);
    return 0;
}
