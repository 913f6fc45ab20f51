/* `gilsim review [SPEC] -o DIR`: the verdict of a design review of the proposal, from a
 * review scenario run as a sweep (docs/review.md). */
#ifndef GILSIM_SIM_REVIEW_CMD_H
#define GILSIM_SIM_REVIEW_CMD_H

/* argv[0] is "review". Returns the exit status (status.h). */
int review_main(int argc, char **argv);

#endif
