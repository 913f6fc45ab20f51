/* `gilsim merge A.csv B.csv ... -o OUT.csv`: one results CSV from several with the same header,
 * each point once (the first met), in a fixed order. */
#ifndef GILSIM_SIM_MERGE_H
#define GILSIM_SIM_MERGE_H

/* argv[0] is "merge". Returns the exit status (status.h). */
int merge_main(int argc, char **argv);

#endif
