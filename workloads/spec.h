/* Sweep specifications: value lists (`1, 10, 100`), ranges (`0:0.5:0.05`, inclusive, exact for
 * decimal steps) and INI spec files ([global] + one section per run family), all typed and
 * checked by the parameter table. Invariant: every stored value has passed param_set and is
 * kept as its canonical CSV text (param_format), so a point's cells are exactly its row's. */
#ifndef GILSIM_WORKLOADS_SPEC_H
#define GILSIM_WORKLOADS_SPEC_H

#include <stddef.h>

#include "params.h"

/* Most values one list or range may expand to, and most points of one sweep. */
#define SPEC_MAX_VALUES 100000
#define SPEC_MAX_POINTS 1000000

/* The values of one parameter, in the order given; n == 0: not set (the default applies). */
struct spec_list {
    char **v;
    size_t n;
    int line; /* line of the spec file that set it; 0: command line or not set */
};

/* A run family: one list per parameter of the table (param_table order). */
struct spec_family {
    char *name;             /* section name; "global" when the file has only [global] */
    int line;               /* line of its section header; 0: command line */
    struct spec_list *list; /* param_count entries */
};

struct spec {
    char *file; /* the spec file as named by the user, or NULL */
    struct spec_family *fam;
    size_t nfam;
};

void spec_init(struct spec *s);
void spec_free(struct spec *s);
/* Expands `text` (a list of values; of ranges too for numeric parameters) for parameter
 * `name` into out (which it owns afterwards; free with spec_list_free). On error returns -1
 * with a one-line message naming the parameter, the value and what is allowed. */
int spec_expand(const char *name, const char *text, struct spec_list *out, char *err,
                size_t errlen);
void spec_list_free(struct spec_list *l);
/* Reads an INI spec file into s (which must be empty). Errors start with "FILE:LINE: ". */
int spec_load(struct spec *s, const char *path, char *err, size_t errlen);
/* Sets parameter `name` to the list `text` in every family (a command-line --NAME=LIST; it
 * overrides the file). Creates one family if s has none. */
int spec_set_all(struct spec *s, const char *name, const char *text, char *err, size_t errlen);
/* Number of points: for each family, the product of its list lengths, times reps. -1 with a
 * message if there are more than SPEC_MAX_POINTS. */
int spec_count(const struct spec *s, size_t reps, size_t *count, char *err, size_t errlen);
/* Point i (0 <= i < spec_count), in a fixed order: family by family (file order), then rep by
 * rep, then the lists' cartesian product with the first parameter of the table varying
 * slowest. The point is the defaults overridden by the family's values; rep r adds r to seed.
 * *fam gets the family index and *rep the repetition. -1 with a message (prefixed by the
 * family's FILE:LINE) if the point is invalid (params_check, or seed + r out of range). */
int spec_point(const struct spec *s, size_t reps, size_t i, struct params *p, size_t *fam,
               size_t *rep, char *err, size_t errlen);

#endif
