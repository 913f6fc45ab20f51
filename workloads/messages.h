/* Messages on standard error show what they quote safely: every control character (bytes
 * below 0x20 but newline and tab, and 0x7f) of a file name, cell or line gilsim echoes is
 * written as \xHH, so an input holding ESC ]0;... or ESC [2J cannot retitle or clear the
 * terminal of whoever reads the message. One filter on stderr does it for every message. */
#ifndef GILSIM_WORKLOADS_MESSAGES_H
#define GILSIM_WORKLOADS_MESSAGES_H

#include <stdio.h>

/* Replaces stderr by an unbuffered stream that escapes control characters and writes to file
 * descriptor 2. Called once, first thing in main. */
void messages_escape_stderr(void);
/* The standard error stream as it was, for gilsim's own terminal control (the sweep's
 * progress line redrawn with \r and ESC [K on a terminal); NULL before the call above. */
FILE *messages_raw_stderr(void);

/* Sends standard error (file descriptor 2, which both streams above write) to /dev/null, as
 * freopen would (freopen cannot reopen the filtering stream): 0, or -1. */
int messages_silence(void);
/* path as messages show it: whole up to 200 bytes; a longer one as its first and last 80
 * bytes around "...(N bytes)...", so that the reason after it still fits the message. The
 * buffer is this thread's, overwritten by the next call. */
const char *msg_path(const char *path);

#endif
