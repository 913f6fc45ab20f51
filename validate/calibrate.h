/* `gilsim calibrate`: measures this machine's inputs to the cost model with real threads and
 * writes them as a calibration file (calibration.h) that run, sweep and validate read. */
#ifndef GILSIM_VALIDATE_CALIBRATE_H
#define GILSIM_VALIDATE_CALIBRATE_H

/* argv[0] is "calibrate". Returns the exit status (status.h). */
int calibrate_main(int argc, char **argv);

#endif
