/* The output directory of gilsim report (see report_int.h), an out_dir.h directory: the
 * figures are drawn into a private DIR/.gilsim-report.XXXXXX, then moved into DIR one by one.
 * DIR's manifest (.gilsim-manifest) names the files gilsim report wrote there; gilsim
 * replaces or removes only those, never the input CSV; a file of the new report whose name is
 * taken by anything else stops the report before anything in DIR changes. */
#include <stdlib.h>

#include "out_dir.h"
#include "report_int.h"

static struct out_dir report_dir(const char *dir, const char *input)
{
    return (struct out_dir){ dir, ".gilsim-manifest", "gilsim report", input, MARKER };
}

char *report_join(const char *dir, const char *file) { return out_dir_join(dir, file); }

int report_dir_check(const char *dir, char *err, size_t errlen)
{
    struct out_dir d = report_dir(dir, NULL);
    return out_dir_exists(&d, err, errlen);
}

char *report_dir_begin(const char *dir, char *err, size_t errlen)
{
    struct out_dir d = report_dir(dir, NULL);
    return out_dir_begin(&d, "report", err, errlen);
}

int report_dir_commit(const char *tmp, const char *dir, const char *input, char *err,
                      size_t errlen)
{
    struct out_dir d = report_dir(dir, input);
    return out_dir_commit(&d, tmp, NULL, 0, err, errlen);
}

void report_dir_remove(const char *dir) { out_dir_remove(dir); }
