/* `gilsim validate`: runs a grid natively and simulated (with this machine's calibration),
 * compares them point by point and metric by metric, draws sim-vs-native scatters and fails
 * when the median throughput error is over a threshold (docs/validation.md). */
#ifndef GILSIM_VALIDATE_VALIDATE_H
#define GILSIM_VALIDATE_VALIDATE_H

/* argv[0] is "validate". Returns the exit status (status.h): 0 within the threshold, 1 over
 * it (or a run failed), 2 bad input. */
int validate_main(int argc, char **argv);

#endif
