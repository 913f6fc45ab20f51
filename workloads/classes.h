/* Thread classes: groups of threads with their own copy of the workload parameters (ops,
 * op_ns, io, ... : the table's per-class rows), written as one canonical text, e.g.
 * "cpu(count=3 ops=50000) io(count=1 io=0.5 io_ns=100000)" (docs/classes.md). Threads are
 * numbered class by class in the order written; a class's threads run its parameters. */
#ifndef GILSIM_WORKLOADS_CLASSES_H
#define GILSIM_WORKLOADS_CLASSES_H

#include <stddef.h>
#include <stdint.h>

#include "params.h"

#define CLASSES_MAX 16
#define CLASS_NAME_LEN 32
#define CLASS_COUNT_MAX 30000

/* The classes of a run, each with its full parameters (the run's, with its settings). */
struct class_set {
    size_t n;                   /* 0: no classes, every thread runs the run's parameters */
    char name[CLASSES_MAX][CLASS_NAME_LEN];
    int64_t count[CLASSES_MAX]; /* threads of each class, in thread order */
    struct params p[CLASSES_MAX];
};

/* Checks `text` and writes its canonical form into out (classes in the order given, each
 * "NAME(count=N KEY=VALUE ...)" with its keys in table order and the table's value text, one
 * space between classes) and the total thread count into *threads. Empty text: empty out and
 * *threads 0. On error returns -1 with a one-line message saying what is allowed. */
int classes_canonical(const char *text, char *out, size_t outlen, int64_t *threads, char *err,
                      size_t errlen);
/* Fills cs from base->classes (which must be canonical): each class's parameters are base's
 * with its settings applied and classes cleared. -1 with a message if a class's parameters
 * break a constraint (params_check), the message naming the class. */
int classes_build(const struct params *base, struct class_set *cs, char *err, size_t errlen);
/* Index of the class thread `thread` belongs to (cs->n > 0). */
size_t classes_of_thread(const struct class_set *cs, uint32_t thread);
/* The parameters thread `thread` runs: its class's, or base's when there are no classes. */
const struct params *classes_thread_params(const struct class_set *cs, const struct params *base,
                                           uint32_t thread);
/* The per-class parameters' names, each after a space (for "allowed: ..." messages). */
void classes_per_class_list(char *buf, size_t len);
/* Reads a class's count: 0 if `text` is a whole number 0..CLASS_COUNT_MAX (into *count). */
int classes_parse_count(const char *text, int64_t *count);
/* The most ops any thread runs (base->ops without classes). */
int64_t classes_max_ops(const struct class_set *cs, const struct params *base);

#endif
