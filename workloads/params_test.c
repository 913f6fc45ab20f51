/* Tests of the parameter table: defaults, parsing, range and type errors, suggestions. */
#include <string.h>

#include "params.h"
#include "testlib.h"

static char err[512];

static void defaults_are_valid(void)
{
    struct params p;
    params_defaults(&p);
    CHECK(strcmp(param_choice_name(&p, param_find("scheme")), "delegate") == 0);
    CHECK_EQ_INT(p.scheme, 2); /* its index among test_scheme_names */
    CHECK_EQ_INT(p.wake_order, WAKE_ORDER_GLIBC);
    CHECK_EQ_INT(p.backend, 0); /* the simulator: the only backend this program has */
    CHECK_EQ_INT(p.threads, 4);
    CHECK_EQ_INT(p.N, 100);
    CHECK(p.sharing == 0.05);
    CHECK(params_check(&p, err, sizeof err) == 0);
    /* Every row's default parses: params_defaults would abort otherwise; and every row is
     * reachable by name. */
    for (size_t i = 0; i < param_count; i++)
        CHECK(param_find(param_table[i].name) == &param_table[i]);
}

static void sets_values(void)
{
    struct params p;
    params_defaults(&p);
    CHECK(param_set(&p, "threads", "16", err, sizeof err) == 0);
    CHECK_EQ_INT(p.threads, 16);
    CHECK(param_set(&p, "sharing", "0.25", err, sizeof err) == 0);
    CHECK(p.sharing == 0.25);
    CHECK(param_set(&p, "ops", "1e6", err, sizeof err) == 0);
    CHECK_EQ_INT(p.ops, 1000000);
    CHECK(param_set(&p, "scheme", "ideal", err, sizeof err) == 0);
    CHECK_EQ_INT(p.scheme, 0);
    CHECK(param_set(&p, "wake_order", "fifo", err, sizeof err) == 0);
    CHECK_EQ_INT(p.wake_order, WAKE_ORDER_FIFO);
    CHECK(param_set(&p, "wake_dist", "empirical", err, sizeof err) == 0);
    CHECK_EQ_INT(p.wake_dist, DIST_EMPIRICAL);
    CHECK(param_set(&p, "backend", "native", err, sizeof err) != 0); /* not handed over */
    CHECK(strstr(err, "choices: sim") != NULL);
    CHECK(param_set(&p, "N", "1", err, sizeof err) == 0); /* bounds are inclusive */
    CHECK(param_set(&p, "sharing", "1", err, sizeof err) == 0);
}

static void rejects_bad_values(void)
{
    struct params p;
    params_defaults(&p);
    CHECK(param_set(&p, "N", "0", err, sizeof err) == -1);
    CHECK(strcmp(err, "N: 0 out of range (allowed: 1..1000000000 opcodes)") == 0);
    CHECK(param_set(&p, "threads", "4x", err, sizeof err) == -1);
    CHECK(strstr(err, "threads: '4x' is not a whole number") == err);
    CHECK(param_set(&p, "threads", "3.5", err, sizeof err) == -1);
    CHECK(param_set(&p, "sharing", "nan", err, sizeof err) == -1);
    CHECK(param_set(&p, "sharing", "-0.1", err, sizeof err) == -1);
    CHECK(param_set(&p, "seed", "", err, sizeof err) == -1);
    CHECK_EQ_INT(p.N, 100); /* a rejected value leaves the old one */
    CHECK(p.sharing == 0.05);
}

static void suggests_nearest_name(void)
{
    struct params p;
    params_defaults(&p);
    CHECK(param_set(&p, "thread", "2", err, sizeof err) == -1);
    CHECK(strstr(err, "did you mean 'threads'?") != NULL);
    CHECK(param_set(&p, "scheme", "delegate-naiv", err, sizeof err) == -1);
    CHECK(strstr(err, "did you mean 'delegate-naive'?") != NULL);
    CHECK(param_set(&p, "completely-unrelated", "2", err, sizeof err) == -1);
    CHECK(strstr(err, "did you mean") == NULL);
    CHECK(param_suggest("N") == NULL || strcmp(param_suggest("N"), "N") == 0);
}

static void checks_combinations(void)
{
    struct params p;
    params_defaults(&p);
    CHECK(param_set(&p, "threads", "1", err, sizeof err) == 0);
    CHECK(params_check(&p, err, sizeof err) == -1); /* default sharing 0.05 needs 2 threads */
    CHECK(param_set(&p, "trace", "one.trace", err, sizeof err) == 0);
    CHECK(params_check(&p, err, sizeof err) == 0); /* a trace does not use sharing */
    CHECK(param_set(&p, "trace", "", err, sizeof err) == 0);
    CHECK(param_set(&p, "sharing", "0", err, sizeof err) == 0);
    CHECK(params_check(&p, err, sizeof err) == 0);
    CHECK(param_set(&p, "access", "0.995", err, sizeof err) == 0);
    CHECK(params_check(&p, err, sizeof err) == -1); /* access + alloc > 1 */
}

static void formats_cells(void)
{
    struct params p;
    params_defaults(&p);
    char buf[64];
    param_format(&p, param_find("sharing"), buf, sizeof buf);
    CHECK(strcmp(buf, "0.05") == 0);
    param_format(&p, param_find("threads"), buf, sizeof buf);
    CHECK(strcmp(buf, "4") == 0);
    param_format(&p, param_find("scheme"), buf, sizeof buf);
    CHECK(strcmp(buf, "delegate") == 0);
}

/* A scheme's own rows: placed at the end of the "scheme" group, or right after the row they
 * name (and the rows placed there before), given own[] slots in order, with defaults, parsing,
 * CSV cells and presets' "auto" like any row. */
PARAM_CHOICES(color_at, "red", "green")
static void adds_own_rows(void)
{
    static const struct param rows[] = {
        PARAM_OWN_INT("t_knob", 0, 9, "3", "", "a test knob"),
        PARAM_OWN_CHOICE("t_color", "green", "a test choice", color_at),
    };
    static const struct param first[] = {
        PARAM_OWN_KNOB("t_auto", "a knob a preset fixes", param_knob_at, "on"),
    };
    static const struct param second[] = {
        PARAM_OWN_KNOB_INT("t_count", 5, "", "a count a preset fixes", "2"),
    };
    size_t before = param_count, trace = (size_t)(param_find("trace") - param_table);
    size_t base = params_add_rows(rows, 2, NULL);
    CHECK_EQ_INT(param_count, before + 2);
    CHECK(param_find("t_knob") == &param_table[trace]);  /* where "trace" was: after the */
    CHECK(param_find("t_color") == &param_table[trace + 1]); /* scheme group */
    CHECK(strcmp(param_table[trace + 2].name, "trace") == 0);
    /* Right after "scheme" (the table's first row), the second after the first. */
    size_t at_first = params_add_rows(first, 1, "scheme");
    size_t at_second = params_add_rows(second, 1, "scheme");
    CHECK_EQ_INT(at_first, base + 2);
    CHECK_EQ_INT(at_second, base + 3);
    CHECK(strcmp(param_table[0].name, "scheme") == 0);
    CHECK(strcmp(param_table[1].name, "t_auto") == 0);
    CHECK(strcmp(param_table[2].name, "t_count") == 0);
    CHECK(strcmp(param_table[trace + 2].name, "t_knob") == 0);
    CHECK(strcmp(param_table[trace + 4].name, "trace") == 0);
    struct params p;
    params_defaults(&p);
    CHECK_EQ_INT(p.own[base].i, 3);
    CHECK_EQ_INT(p.own[base + 1].c, 1);
    CHECK_EQ_INT(p.own[at_first].c, KNOB_AUTO);
    CHECK_EQ_INT(p.own[at_second].i, -1);
    CHECK(param_set(&p, "t_color", "red", err, sizeof err) == 0);
    CHECK_EQ_INT(p.own[base + 1].c, 0);
    CHECK(param_set(&p, "t_knob", "10", err, sizeof err) != 0);
    CHECK(param_set(&p, "t_count", "6", err, sizeof err) != 0);
    char buf[64];
    param_format(&p, param_find("t_color"), buf, sizeof buf);
    CHECK(strcmp(buf, "red") == 0);
    params_resolve(&p); /* what a preset left "auto" (-1) becomes its row's unset value */
    CHECK_EQ_INT(p.own[at_first].c, KNOB_ON);
    CHECK_EQ_INT(p.own[at_second].i, 2);
    param_format(&p, param_find("t_auto"), buf, sizeof buf);
    CHECK(strcmp(buf, "on") == 0);
    CHECK(param_find("threads")->offset == offsetof(struct params, threads)); /* core rows stay */
}

static const struct test_case cases[] = {
    { "defaults_are_valid", defaults_are_valid },
    { "sets_values", sets_values },
    { "rejects_bad_values", rejects_bad_values },
    { "suggests_nearest_name", suggests_nearest_name },
    { "checks_combinations", checks_combinations },
    { "formats_cells", formats_cells },
    { "adds_own_rows", adds_own_rows }, /* last: it adds rows to the table */
    { NULL, NULL },
};

int main(int argc, char **argv)
{
    params_set_scheme_names(test_scheme_names);
    return test_main(cases, argc, argv);
}
