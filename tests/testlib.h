/* Minimal unit-test harness: a NULL-terminated case table run by test_main().
 * A failed CHECK prints the expression with file:line and marks the case failed;
 * the process exits non-zero if any case failed, so ctest sees it. */
#ifndef GILSIM_TESTS_TESTLIB_H
#define GILSIM_TESTS_TESTLIB_H

#include <stdio.h>
#include <string.h>

struct test_case {
    const char *name;
    void (*fn)(void);
};

static int test_failed_;

#define CHECK(e)                                                                   \
    do {                                                                           \
        if (!(e)) {                                                                \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #e);  \
            test_failed_ = 1;                                                      \
        }                                                                          \
    } while (0)

#define CHECK_EQ_INT(a, b)                                                         \
    do {                                                                           \
        long long a_ = (long long)(a), b_ = (long long)(b);                        \
        if (a_ != b_) {                                                            \
            fprintf(stderr, "%s:%d: CHECK failed: %s == %s (%lld != %lld)\n",      \
                    __FILE__, __LINE__, #a, #b, a_, b_);                           \
            test_failed_ = 1;                                                      \
        }                                                                          \
    } while (0)

/* Runs every case (or only those named on the command line); prints one line per case and a
 * closing "N passed, N failed" line. */
static inline int test_main(const struct test_case *cases, int argc, char **argv)
{
    int passed = 0, failed = 0;
    for (const struct test_case *c = cases; c->name; c++) {
        int selected = argc < 2;
        for (int i = 1; i < argc; i++)
            selected |= strcmp(argv[i], c->name) == 0;
        if (!selected)
            continue;
        test_failed_ = 0;
        c->fn();
        printf("%s: %s\n", test_failed_ ? "FAIL" : "ok", c->name);
        if (test_failed_)
            failed++;
        else
            passed++;
    }
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}

/* Scheme names as the registry would hand them to the parameter table (which knows no
 * scheme), for tests of workloads/ that link no scheme. */
static inline const char *test_scheme_names(size_t i)
{
    static const char *const names[] = { "ideal", "delegate-naive", "delegate", NULL };
    return i < sizeof names / sizeof names[0] ? names[i] : NULL;
}

#endif
