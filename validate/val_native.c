/* Native runs between references (see val_native.h). Each run is `gilsim sweep` of its one
 * point and seed into a file of its own, so that a set-apart run never reaches the results,
 * which hold exactly the kept runs. */
#define _POSIX_C_SOURCE 200809L
#include "val_native.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ref_loop.h"
#include "results_rows.h"
#include "status.h"
#include "sweep.h"

/* Appends one line to path (its header first if the file is new or empty); -1 on error. */
static int append_line(const char *path, const char *header, const char *line)
{
    int fd = open(path, O_WRONLY | O_APPEND | O_CREAT, 0644);
    if (fd < 0)
        return -1;
    off_t end = lseek(fd, 0, SEEK_END);
    int rc = (end == 0 && header && rows_append(fd, header) != 0) || rows_append(fd, line) != 0;
    close(fd);
    return rc ? -1 : 0;
}

static int log_run(const struct native_ref *nr, double r0, double r1, int try, int kept,
                   const char *row)
{
    char *results_header = rows_current_header();
    size_t hl = results_header ? strlen(results_header) + 64 : 0, ll = strlen(row) + 128;
    char *header = results_header ? malloc(hl) : NULL, *line = malloc(ll);
    int rc = -1;
    if (header && line) {
        snprintf(header, hl, "%s,ref_before_ns,ref_after_ns,drift,try,kept", results_header);
        snprintf(line, ll, "%s,%.6g,%.6g,%.6g,%d,%d", row, r0, r1, r1 / r0 - 1, try, kept);
        rc = append_line(nr->log, header, line);
    }
    free(results_header);
    free(header);
    free(line);
    return rc;
}

int native_ref_run(const struct native_ref *nr, const char *const *args, size_t nargs,
                   long long seed, int busy, double *drift)
{
    const char **lists = calloc(nargs + 1, sizeof *lists);
    char seedarg[64];
    snprintf(seedarg, sizeof seedarg, "--seed=%lld", seed);
    if (!lists) {
        fprintf(stderr, "gilsim: validate: out of memory\n");
        return NR_FAILED;
    }
    for (size_t i = 0; i < nargs; i++)
        lists[i] = args[i];
    lists[nargs] = seedarg;
    int not_started = 0;
    struct sweep_request req = { .lists = lists, .nlists = nargs + 1, .backend = "native",
                                 .jobs = 1, .out = nr->staging, .not_started = &not_started };
    int result = NR_SET_APART;
    *drift = NAN;
    for (int try = 1; try <= nr->tries; try++) {
        unlink(nr->staging); /* gilsim's own file of the previous run */
        double r0 = ref_loop_ns(busy, nr->ref_ms);
        int rc = sweep_run(&req);
        double r1 = ref_loop_ns(busy, nr->ref_ms);
        if (rc >= 128 || not_started) {
            result = rc >= 128 ? rc : NR_NOT_STARTED;
            break;
        }
        struct rows r = { 0 };
        char err[1024];
        if (rows_load(nr->staging, &r, err, sizeof err) != 0 || r.n != 1) {
            rows_free(&r);
            result = NR_FAILED;
            break;
        }
        *drift = r1 / r0 - 1;
        int kept = fabs(*drift) <= nr->max_drift;
        if (log_run(nr, r0, r1, try, kept, r.line[0]) != 0 ||
            (kept && append_line(nr->results, NULL, r.line[0]) != 0)) {
            fprintf(stderr, "gilsim: validate: cannot append a native row: %s\n",
                    strerror(errno));
            rows_free(&r);
            result = NR_FAILED;
            break;
        }
        rows_free(&r);
        if (kept) {
            result = NR_KEPT;
            break;
        }
    }
    unlink(nr->staging);
    free(lists);
    return result;
}
