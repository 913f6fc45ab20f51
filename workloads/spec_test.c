/* Tests of sweep specifications: list and range expansion (exact decimal steps), errors that
 * name the parameter, value and what is allowed, INI files (inheritance, ${VAR}, file:line
 * errors), and the order and content of points. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "spec.h"
#include "testlib.h"

static char err[2048];

/* 1 if list l holds exactly the n values given, in order. */
static int list_is(const struct spec_list *l, size_t n, const char *const *want)
{
    if (l->n != n) {
        fprintf(stderr, "  list has %zu values, want %zu\n", l->n, n);
        return 0;
    }
    for (size_t i = 0; i < n; i++)
        if (strcmp(l->v[i], want[i]) != 0) {
            fprintf(stderr, "  value %zu is '%s', want '%s'\n", i, l->v[i], want[i]);
            return 0;
        }
    return 1;
}

static int expand_is(const char *name, const char *text, size_t n, const char *const *want)
{
    struct spec_list l;
    if (spec_expand(name, text, &l, err, sizeof err) != 0) {
        fprintf(stderr, "  %s = %s: %s\n", name, text, err);
        return 0;
    }
    int ok = list_is(&l, n, want);
    spec_list_free(&l);
    return ok;
}

/* 1 if expanding fails with exactly this message. */
static int expand_fails(const char *name, const char *text, const char *want)
{
    struct spec_list l;
    if (spec_expand(name, text, &l, err, sizeof err) == 0) {
        spec_list_free(&l);
        fprintf(stderr, "  %s = %s: accepted\n", name, text);
        return 0;
    }
    if (strcmp(err, want) != 0)
        fprintf(stderr, "  %s = %s:\n    got  '%s'\n    want '%s'\n", name, text, err, want);
    return strcmp(err, want) == 0;
}

static void lists(void)
{
    CHECK(expand_is("N", "1, 10, 100", 3, (const char *[]){ "1", "10", "100" }));
    CHECK(expand_is("N", "7", 1, (const char *[]){ "7" }));
    CHECK(expand_is("ops", " 1e3 ,2000", 2, (const char *[]){ "1000", "2000" }));
    CHECK(expand_is("scheme", "ideal,delegate", 2, (const char *[]){ "ideal", "delegate" }));
    CHECK(expand_is("sharing", "0.1, 0.1", 2, (const char *[]){ "0.1", "0.1" }));
    if (param_find("trace")) /* a file name is not a range */
        CHECK(expand_is("trace", "t/a:b:c", 1, (const char *[]){ "t/a:b:c" }));
}

static void ranges_are_exact(void)
{
    CHECK(expand_is("sharing", "0:0.5:0.05", 11,
                    (const char *[]){ "0", "0.05", "0.1", "0.15", "0.2", "0.25", "0.3", "0.35",
                                      "0.4", "0.45", "0.5" }));
    /* 0.1 + 0.2 is not 0.3 in floating point; the range must still print 0.3. */
    CHECK(expand_is("sharing", "0.1:0.3:0.1", 3, (const char *[]){ "0.1", "0.2", "0.3" }));
    CHECK(expand_is("N", "1:10:4", 3, (const char *[]){ "1", "5", "9" })); /* stop not hit */
    CHECK(expand_is("N", "5:5:1", 1, (const char *[]){ "5" }));
    CHECK(expand_is("ops", "1e3:3e3:1e3", 3, (const char *[]){ "1000", "2000", "3000" }));
    CHECK(expand_is("sharing", "0:1e-2:5e-3", 3, (const char *[]){ "0", "0.005", "0.01" }));
    CHECK(expand_is("N", "1, 5:10:5", 3, (const char *[]){ "1", "5", "10" }));
    CHECK(expand_is("N", "1 : 3 : 1", 3, (const char *[]){ "1", "2", "3" }));
    struct spec_list l;
    CHECK(spec_expand("sharing", "0:1:0.001", &l, err, sizeof err) == 0);
    CHECK_EQ_INT(l.n, 1001);
    CHECK(l.n == 1001 && strcmp(l.v[1000], "1") == 0 && strcmp(l.v[123], "0.123") == 0);
    spec_list_free(&l);
}

static void bad_values_name_what_is_allowed(void)
{
    CHECK(expand_fails("sharing", "1.5", "sharing: 1.5 out of range (allowed: 0..1)"));
    CHECK(expand_fails("sharing", "0, 0.5, 2", "sharing: 2 out of range (allowed: 0..1)"));
    CHECK(expand_fails("sharing", "0:2:0.5", "sharing: 2 out of range (allowed: 0..1)"));
    CHECK(expand_fails("threads", "1:2:0.5",
                       "threads: '1.5' is not a whole number (allowed: 1..100000)"));
    CHECK(expand_fails("N", "1,,2",
                       "N: '' is not a whole number (allowed: 1..1000000000 opcodes)"));
    CHECK(expand_fails("sharing", "0:0.5",
                       "sharing: '0:0.5' is not a range (allowed: start:stop:step, e.g. "
                       "0:0.5:0.05)"));
    CHECK(expand_fails("sharing", "0:0.5:0.1:2",
                       "sharing: '0:0.5:0.1:2' is not a range (allowed: start:stop:step, e.g. "
                       "0:0.5:0.05)"));
    CHECK(expand_fails("N", "1:10:0", "N: range '1:10:0': step 0 (allowed: a step > 0)"));
    CHECK(expand_fails("N", "10:1:1",
                       "N: range '10:1:1': stop below start (allowed: start <= stop)"));
    CHECK(expand_fails("N", "1:10:x", "N: range '1:10:x': 'x' is not a decimal number"));
    CHECK(expand_fails("N", "1:1000000000:1",
                       "N: range '1:1000000000:1' has 1000000000 values (allowed: at most "
                       "100000)"));
    CHECK(expand_fails("shraing", "0.1",
                       "unknown parameter 'shraing' (did you mean 'sharing'?) (gilsim run "
                       "--help lists them)"));
    struct spec_list l;
    CHECK(spec_expand("scheme", "ideal:delegate", &l, err, sizeof err) == -1);
    CHECK(strncmp(err, "scheme: 'ideal:delegate' unknown", 32) == 0);
}

static char dir[] = "/tmp/spec_test.XXXXXX";

static const char *write_file(const char *name, const char *text)
{
    static char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
    return path;
}

static void ini_families_inherit_global(void)
{
    const char *path = write_file("a.ini", "# a comment\n"
                                           "; another\n"
                                           "[global]\n"
                                           "threads = 2   # trailing comment\n"
                                           "N = 10, 100\n"
                                           "\n"
                                           "[fast]\n"
                                           "scheme = ideal\n"
                                           "[slow]\n"
                                           "scheme = delegate ; why not\n"
                                           "N = 1000\n"
                                           "sharing = 0:0.1:0.05\n");
    struct spec s;
    spec_init(&s);
    CHECK(spec_load(&s, path, err, sizeof err) == 0);
    CHECK_EQ_INT(s.nfam, 2);
    if (s.nfam != 2)
        return;
    const struct spec_list *fast = s.fam[0].list, *slow = s.fam[1].list;
    size_t N = (size_t)(param_find("N") - param_table);
    size_t th = (size_t)(param_find("threads") - param_table);
    size_t sh = (size_t)(param_find("sharing") - param_table);
    CHECK(strcmp(s.fam[0].name, "fast") == 0 && s.fam[0].line == 7);
    CHECK(list_is(&fast[N], 2, (const char *[]){ "10", "100" }));
    CHECK(list_is(&fast[th], 1, (const char *[]){ "2" }));
    CHECK_EQ_INT(fast[sh].n, 0); /* not set: the default */
    CHECK(list_is(&slow[N], 1, (const char *[]){ "1000" }));
    CHECK(list_is(&slow[th], 1, (const char *[]){ "2" }));
    CHECK(list_is(&slow[sh], 3, (const char *[]){ "0", "0.05", "0.1" }));
    size_t count;
    CHECK(spec_count(&s, 2, &count, err, sizeof err) == 0);
    CHECK_EQ_INT(count, (2 + 3) * 2);
    /* A command-line list overrides the file in every family. */
    CHECK(spec_set_all(&s, "threads", "3,4", err, sizeof err) == 0);
    CHECK(list_is(&slow[th], 2, (const char *[]){ "3", "4" }));
    CHECK(spec_count(&s, 1, &count, err, sizeof err) == 0);
    CHECK_EQ_INT(count, 2 * 2 + 2 * 3);
    spec_free(&s);

    /* Only [global]: one family. */
    path = write_file("b.ini", "[global]\nscheme = ideal, delegate\nN = 1:3:1\n");
    spec_init(&s);
    CHECK(spec_load(&s, path, err, sizeof err) == 0);
    CHECK(s.nfam == 1 && strcmp(s.fam[0].name, "global") == 0);
    CHECK(spec_count(&s, 1, &count, err, sizeof err) == 0);
    CHECK_EQ_INT(count, 6);
    spec_free(&s);
}

static void ini_expands_environment(void)
{
    setenv("SPEC_TEST_NS", "10, 20", 1);
    unsetenv("SPEC_TEST_UNSET");
    const char *path = write_file("env.ini", "[global]\nN = ${SPEC_TEST_NS}, 30\n");
    struct spec s;
    spec_init(&s);
    CHECK(spec_load(&s, path, err, sizeof err) == 0);
    if (s.nfam == 1)
        CHECK(list_is(&s.fam[0].list[param_find("N") - param_table], 3,
                      (const char *[]){ "10", "20", "30" }));
    spec_free(&s);
}

/* 1 if loading `text` fails with "FILE:" followed by `want`. */
static int ini_fails(const char *text, const char *want)
{
    const char *path = write_file("bad.ini", text);
    char full[1024];
    snprintf(full, sizeof full, "%s:%s", path, want);
    struct spec s;
    spec_init(&s);
    int rc = spec_load(&s, path, err, sizeof err);
    spec_free(&s);
    if (rc == 0 || strcmp(err, full) != 0)
        fprintf(stderr, "  got  '%s'\n  want '%s'\n", rc ? err : "(accepted)", full);
    return rc != 0 && strcmp(err, full) == 0;
}

static void ini_errors_name_file_and_line(void)
{
    CHECK(ini_fails("[global]\nN = 1\n\n# x\nsharing = 1.5\n",
                    "5: sharing: 1.5 out of range (allowed: 0..1)"));
    CHECK(ini_fails("[global]\nshraing = 0.1\n",
                    "2: unknown parameter 'shraing' (did you mean 'sharing'?) (gilsim run "
                    "--help lists them)"));
    CHECK(ini_fails("N = 1\n",
                    "1: N: outside a section (allowed: KEY = VALUE lines after [global] or "
                    "[NAME])"));
    CHECK(ini_fails("[global]\nN\n", "2: 'N' is not KEY = VALUE, [SECTION] or a comment"));
    CHECK(ini_fails("[global]\nN = 1\nN = 2\n",
                    "3: N: set twice in [global] (first at line 2; allowed: once per section)"));
    CHECK(ini_fails("[a]\n[a]\n",
                    "2: [a]: section already at line 1 (allowed: one section per name)"));
    CHECK(ini_fails("[a]\n[global]\n",
                    "2: [global]: after [NAME] (allowed: one [global], before the named "
                    "sections)"));
    CHECK(ini_fails("[a b]\n",
                    "1: [a b]: bad section name (allowed: letters, digits, '_', '-', '.')"));
    CHECK(ini_fails("[global\n",
                    "1: '[global' is not a section header (allowed: [global] or [NAME])"));
    CHECK(ini_fails("[global]\nN = ${SPEC_TEST_UNSET}\n",
                    "2: N: ${SPEC_TEST_UNSET} is not set (allowed: a set environment "
                    "variable)"));
    CHECK(ini_fails("[global]\nN = ${1X}\n",
                    "2: N: '${1X}': bad variable reference (allowed: ${NAME}, NAME of letters, "
                    "digits and '_')"));
}

static void points_in_table_order_with_reps(void)
{
    const char *path = write_file("p.ini", "[global]\nthreads = 2\nsharing = 0, 0.5\n"
                                           "N = 10, 20\nseed = 7\n");
    struct spec s;
    spec_init(&s);
    CHECK(spec_load(&s, path, err, sizeof err) == 0);
    size_t count, fam, rep;
    CHECK(spec_count(&s, 2, &count, err, sizeof err) == 0);
    CHECK_EQ_INT(count, 8);
    /* N comes before sharing in the table, so it varies slowest; reps outermost. */
    static const struct { int64_t N; double sharing; int64_t seed; } want[] = {
        { 10, 0, 7 }, { 10, 0.5, 7 }, { 20, 0, 7 }, { 20, 0.5, 7 },
        { 10, 0, 8 }, { 10, 0.5, 8 }, { 20, 0, 8 }, { 20, 0.5, 8 },
    };
    for (size_t i = 0; i < count && i < 8; i++) {
        struct params p;
        CHECK(spec_point(&s, 2, i, &p, &fam, &rep, err, sizeof err) == 0);
        CHECK(p.N == want[i].N && p.sharing == want[i].sharing && p.seed == want[i].seed);
        CHECK(p.threads == 2 && fam == 0 && rep == i / 4);
    }
    spec_free(&s);
    /* An invalid point names the family's file:line. */
    path = write_file("q.ini", "[global]\nthreads = 1\n[one]\nsharing = 0.1\n");
    spec_init(&s);
    CHECK(spec_load(&s, path, err, sizeof err) == 0);
    struct params p;
    CHECK(spec_point(&s, 1, 0, &p, &fam, &rep, err, sizeof err) == -1);
    CHECK(strstr(err, "q.ini:3: [one]: sharing: 0.1 needs at least 2 threads") != NULL);
    spec_free(&s);
}

static void too_many_points(void)
{
    struct spec s;
    spec_init(&s);
    CHECK(spec_set_all(&s, "N", "1:1000:1", err, sizeof err) == 0);
    CHECK(spec_set_all(&s, "ops", "1:1000:1", err, sizeof err) == 0);
    CHECK(spec_set_all(&s, "threads", "1:2:1", err, sizeof err) == 0);
    size_t count;
    CHECK(spec_count(&s, 1, &count, err, sizeof err) == -1);
    CHECK(strcmp(err, "the sweep has more than 1000000 points (allowed: at most 1000000)") == 0);
    spec_free(&s);
}

int main(int argc, char **argv)
{
    params_set_scheme_names(test_scheme_names);
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    static const struct test_case cases[] = {
        { "lists", lists },
        { "ranges_are_exact", ranges_are_exact },
        { "bad_values_name_what_is_allowed", bad_values_name_what_is_allowed },
        { "ini_families_inherit_global", ini_families_inherit_global },
        { "ini_expands_environment", ini_expands_environment },
        { "ini_errors_name_file_and_line", ini_errors_name_file_and_line },
        { "points_in_table_order_with_reps", points_in_table_order_with_reps },
        { "too_many_points", too_many_points },
        { NULL, NULL },
    };
    int rc = test_main(cases, argc, argv);
    static const char *const files[] = { "a.ini", "b.ini", "env.ini", "bad.ini", "p.ini",
                                         "q.ini" };
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char path[256];
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        unlink(path);
    }
    rmdir(dir);
    return rc;
}
