/* Timelines (`gilsim run --timeline=FILE`: CSV thread,state,start,end, times in simulated
 * seconds) drawn as a Gantt chart (plots/templates/gantt.gp: one row per thread, one colour per state)
 * and/or written as Chrome trace-event JSON: one complete event ("ph":"X") per interval, ts and
 * dur in microseconds, pid 0, tid = thread, name = state, plus one thread_name metadata event
 * ("ph":"M") per thread; Perfetto and chrome://tracing open it. */
#ifndef GILSIM_PLOTS_PLOT_TIMELINE_H
#define GILSIM_PLOTS_PLOT_TIMELINE_H

#include <stddef.h>

/* Reads the timeline at path and writes the Gantt chart to gantt and/or the trace to chrome
 * (either may be NULL). Returns the exit status (status.h): 2 with "PATH:LINE: ..." if the
 * file is not a timeline (nothing written), 1 if writing or gnuplot failed. */
int timeline_plot(const char *path, const char *gantt, const char *chrome, char *err,
                  size_t errlen);

#endif
