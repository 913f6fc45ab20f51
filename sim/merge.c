/* gilsim merge (see merge.h): reads every input whole, checks that their headers are equal,
 * keeps the first row of each point (its parameter cells) in argument then file order, and
 * writes them sorted by point. Invariant: the output file is replaced only once every input
 * has been read and checked, so OUT may also be one of the inputs. */
#define _POSIX_C_SOURCE 200809L
#include "merge.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_args.h"
#include "results_rows.h"
#include "status.h"

static void usage(FILE *f)
{
    fprintf(f, "usage: gilsim merge A.csv B.csv ... -o OUT.csv\n"
               "\n"
               "One results CSV from several with the same header (e.g. the per-point files of\n"
               "gilsim sweep --emit-tasks, or per-host files): every point (its parameter cells)\n"
               "once, the first met in argument order, sorted by point. OUT may be an input.\n");
}

int merge_main(int argc, char **argv)
{
    const char *out = NULL;
    char err[2048];
    int rc = GS_USAGE;
    size_t nin = 0, total = 0;
    struct rows *in = calloc((size_t)argc, sizeof *in);
    const char **name = calloc((size_t)argc, sizeof *name);
    struct rows_ref *ref = NULL;
    const char **line = NULL;
    struct out_file of = { .lock = -1 };
    if (!in || !name) {
        rc = GS_FAILED;
        goto out;
    }
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            usage(stdout);
            rc = GS_OK;
            goto out;
        } else if (strcmp(argv[i], "-o") == 0) {
            if (i + 1 >= argc) {
                fprintf(stderr, "gilsim: merge: -o: missing file name\n");
                goto out;
            }
            if (cli_once(&out, argv[i + 1], "-o", err, sizeof err) != 0) {
                fprintf(stderr, "gilsim: merge: %s\n", err);
                goto out;
            }
            i++;
        } else if (strncmp(argv[i], "--output=", 9) == 0) {
            if (cli_once(&out, argv[i] + 9, "-o", err, sizeof err) != 0) {
                fprintf(stderr, "gilsim: merge: %s\n", err);
                goto out;
            }
        } else if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "gilsim: merge: unexpected argument '%s' (allowed: CSV files and "
                    "-o OUT.csv)\n", argv[i]);
            goto out;
        } else {
            name[nin++] = argv[i];
        }
    }
    if (!out || !*out || nin == 0) {
        fprintf(stderr, "gilsim: merge: %s missing (usage: gilsim merge A.csv B.csv ... "
                "-o OUT.csv)\n", nin ? "-o OUT.csv" : "input files");
        goto out;
    }
    /* OUT is locked before any input is read: a sweep appending to it meanwhile would lose
     * the rows added after the read. */
    int open_rc = out_file_open(&of, out, err, sizeof err);
    if (open_rc != 0) {
        fprintf(stderr, "gilsim: merge: -o: %s\n", err);
        rc = open_rc == -2 ? GS_USAGE : GS_FAILED;
        goto out;
    }
    for (size_t i = 0; i < nin; i++) {
        if (rows_load(name[i], &in[i], err, sizeof err) != 0 ||
            (in[i].header && rows_check(&in[i], name[i], err, sizeof err) != 0)) {
            fprintf(stderr, "gilsim: merge: %s\n", err);
            goto out;
        }
        if (!in[i].header) {
            fprintf(stderr, "gilsim: merge: %s: no header (allowed: gilsim CSV files)\n",
                    name[i]);
            goto out;
        }
        if (strcmp(in[i].header, in[0].header) != 0) {
            char diff[512];
            rows_header_diff(in[0].header, in[i].header, diff, sizeof diff);
            fprintf(stderr, "gilsim: merge: %s: header differs from %s's: %s (allowed: files "
                    "with identical headers)\n", name[i], name[0], diff);
            goto out;
        }
        if (in[i].good < in[i].size)
            fprintf(stderr, "gilsim: merge: %s: ignoring its unfinished last line\n", name[i]);
        total += in[i].n;
    }
    ref = calloc(total ? total : 1, sizeof *ref);
    line = calloc(total ? total : 1, sizeof *line);
    if (!ref || !line) {
        fprintf(stderr, "gilsim: merge: out of memory\n");
        rc = GS_FAILED;
        goto out;
    }
    size_t n = 0;
    for (size_t i = 0; i < nin; i++)
        for (size_t k = 0; k < in[i].n; k++, n++)
            ref[n] = (struct rows_ref){ in[i].line[k], rows_prefix(in[i].line[k], in[0].keycols),
                                        n };
    rows_sort(ref, total); /* by point, then by input order: the first met comes first */
    size_t kept = 0;
    for (size_t i = 0; i < total; i++)
        if (i == 0 || rows_cmp(ref[i - 1].key, ref[i - 1].len, ref[i].key, ref[i].len) != 0)
            line[kept++] = ref[i].key; /* the key is the start of its line */
    if (rows_write(&of, in[0].header, line, kept, err, sizeof err) != 0) {
        fprintf(stderr, "gilsim: merge: %s\n", err);
        rc = GS_FAILED;
        goto out;
    }
    rc = GS_OK;
out:
    out_file_close(&of);
    for (size_t i = 0; in && i < nin; i++)
        rows_free(&in[i]);
    free(in);
    free(name);
    free(ref);
    free(line);
    return rc;
}
