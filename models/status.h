/* gilsim's exit statuses (README "Exit status"), shared by the commands that start runs or read
 * their results. Invariant: a run that ends 0, 3 or 4 has written its row. */
#ifndef GILSIM_MODELS_STATUS_H
#define GILSIM_MODELS_STATUS_H

enum gs_status { GS_OK = 0, GS_FAILED = 1, GS_USAGE = 2, GS_DEADLOCK = 3, GS_CHECK = 4 };

#endif
