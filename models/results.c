/* CSV output of runs (see results.h). Real numbers print with %.10g, so identical runs give
 * byte-identical rows. */
#include "results.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "deadlock.h"
#include "stats.h"

/* M_RUN: a real that only a run that finished has (empty cell if it deadlocked); M_LAT: a
 * delegated-op latency (empty if the run deadlocked or no delegated op waited); M_KIND: the
 * deadlock's kind by name (deadlock.h). */
enum metric_type { M_REAL, M_COUNT, M_FLAG, M_CHECK, M_RUN, M_LAT, M_KIND };

struct metric_col {
    const char *name;
    enum metric_type type;
    size_t offset; /* offsetof(struct metrics, field) */
    const char *unit;
    const char *help;
};

#define COL(n, t, f, u, h) { n, t, offsetof(struct metrics, f), u, h }

static const struct metric_col metric_table[] = {
    COL("makespan", M_REAL, makespan_s, "s", "time until the last thread finished (or until the "
        "deadlock): simulated, or wall-clock with backend=native"),
    COL("throughput", M_RUN, throughput, "ops/s", "opcodes completed per second of makespan; "
        "empty if the run deadlocked"),
    COL("ops_done", M_COUNT, ops, "", "opcodes completed, all threads"),
    COL("delegations", M_COUNT, delegations, "", "accesses handed to the owner's queue"),
    COL("served", M_COUNT, served, "", "delegated ops executed by owners"),
    COL("drains", M_COUNT, drains, "", "drain passes that executed at least one op"),
    COL("takeovers", M_COUNT, takeovers, "", "objects taken over from an exited owner"),
    COL("migrations", M_COUNT, migrations, "", "objects whose ownership moved to a requester "
        "(delegate V4)"),
    COL("borrows", M_COUNT, borrows, "", "ops a requester ran itself on a detached owner's "
        "object (delegate V2)"),
    COL("lat_mean", M_LAT, lat_mean_s, "s", "delegated-op latency, from the first push (or wait "
        "for a closing or lent owner) to the requester running again, over accesses that "
        "waited: mean; empty if no access waited (a scheme that does not delegate) or the "
        "run deadlocked"),
    COL("lat_p50", M_LAT, lat_p50_s, "s", "delegated-op latency: median (empty as lat_mean)"),
    COL("lat_p99", M_LAT, lat_p99_s, "s", "delegated-op latency: 99th percentile (empty as "
        "lat_mean)"),
    COL("lat_max", M_LAT, lat_max_s, "s", "delegated-op latency: maximum (empty as lat_mean)"),
    COL("lat_model", M_REAL, lat_model_s, "s", "first-order prediction of lat_mean, docs/schemes.md, "
        "delegate: push + N c / 2 (breaker c / 2 with notify) + service + wake (hand-off if the "
        "answer comes while the waiter spins, the end of its sleep_ns way into sleep if it "
        "comes then); nan for schemes that do not delegate"),
    COL("sharing_breakeven_model", M_REAL, sharing_breakeven, "", "first-order break-even "
        "sharing against a GIL on one core, docs/schemes.md, delegate (f* per access); nan if not "
        "delegating"),
    COL("atomicity_breaks", M_COUNT, atomicity_breaks, "", "delegated ops a thread served while "
        "waiting (V1) on an object its own unfinished op is in the middle of (that op's object, "
        "or the own object its callback reads; the callback itself excepted): each breaks that "
        "op's atomicity (docs/schemes.md, delegate)"),
    COL("queue_max", M_COUNT, queue_max, "", "deepest delegation queue seen at a push"),
    COL("wait_share", M_REAL, wait_share, "", "share of thread time spent waiting on delegated "
        "ops: sum of waits / (threads x makespan)"),
    COL("lock_wait_share", M_REAL, lock_wait_share, "", "share of thread time spent waiting for "
        "a GIL or an object lock: sum of waits / (threads x makespan)"),
    COL("ios", M_COUNT, ios, "", "blocking I/O ops completed, all threads"),
    COL("io_wait_mean", M_REAL, io_wait_mean_s, "s", "mean time from an I/O's end until its "
        "thread ran again (re-took the GIL): the I/O convoy's cost per I/O; 0 without I/O"),
    COL("io_rate", M_REAL, io_rate, "1/s", "I/O ops per second of an I/O-doing thread while "
        "it ran: its I/Os / its lifetime, pooled over the threads doing I/O that ended; 0 "
        "without I/O"),
    COL("switches", M_COUNT, switches, "", "GIL hand-overs: a thread took the GIL another thread "
        "held last"),
    COL("futile_wakeups", M_COUNT, futile_wakeups, "", "lock waiters woken only to find the "
        "lock taken again (gil-ticks' barging)"),
    COL("handoffs", M_COUNT, handoffs, "", "locks handed directly to a waiter at unlock "
        "(free-threading's fairness after fair_ns, gil-pypy's yield)"),
    COL("parks", M_COUNT, parks, "", "times a thread blocked (parked) waiting for a lock"),
    COL("rc_merges", M_COUNT, rc_merges, "", "free-threading, biased refcounting: objects an "
        "owner merged from its queue (another thread dropped a reference it did not hold)"),
    COL("deadlock", M_FLAG, deadlock, "", "1 if threads were left blocked forever"),
    COL("deadlock_kind", M_KIND, deadlock_kind, "", "what the deadlock is (the first wait-for "
        "structure from the lowest blocked thread): mutual (two threads wait on each other), "
        "chain (a cycle of three or more), exited (a path ending at an exited owner nobody "
        "drains), blocked (a thread blocked without waiting on an owner); empty without "
        "deadlock"),
    COL("deadlock_cycle", M_COUNT, deadlock_cycle, "", "threads in that cycle, or on that path "
        "including the exited owner; 0 without deadlock"),
    COL("check", M_CHECK, check_ok, "", "ok if the final state of every object equals the "
        "sequential oracle's (every op ran exactly once), else FAIL"),
};
static const size_t metric_count = sizeof metric_table / sizeof metric_table[0];

/* The CSV name of a deadlock's kind ("" for none). */
static const char *deadlock_kind_name(int kind)
{
    static const char *const name[] = { "", "mutual", "chain", "exited", "blocked" };
    return kind >= 0 && kind <= DK_BLOCKED ? name[kind] : "";
}

void results_write_header(FILE *f)
{
    fprintf(f, "schema");
    for (size_t i = 0; i < param_count; i++)
        if (param_is_column(&param_table[i]))
            fprintf(f, ",%s", param_table[i].name);
    for (size_t i = 0; i < metric_count; i++)
        fprintf(f, ",%s", metric_table[i].name);
    fputc('\n', f);
}

void results_write_row(FILE *f, const struct params *p, const struct metrics *m)
{
    char buf[PARAM_CELL_LEN];
    fprintf(f, "%d", RESULTS_SCHEMA);
    for (size_t i = 0; i < param_count; i++) {
        if (!param_is_column(&param_table[i]))
            continue;
        param_format(p, &param_table[i], buf, sizeof buf);
        fprintf(f, ",%s", buf);
    }
    for (size_t i = 0; i < metric_count; i++) {
        const struct metric_col *c = &metric_table[i];
        const void *v = (const char *)m + c->offset;
        switch (c->type) {
        case M_REAL: fprintf(f, ",%.10g", *(const double *)v); break;
        case M_COUNT: fprintf(f, ",%llu", (unsigned long long)*(const uint64_t *)v); break;
        case M_FLAG: fprintf(f, ",%d", *(const int *)v); break;
        case M_CHECK: fprintf(f, ",%s", *(const int *)v ? "ok" : "FAIL"); break;
        case M_KIND: fprintf(f, ",%s", deadlock_kind_name(*(const int *)v)); break;
        case M_RUN:
        case M_LAT:
            if (m->deadlock || (c->type == M_LAT && m->lat_samples == 0))
                fputc(',', f);
            else
                fprintf(f, ",%.10g", *(const double *)v);
            break;
        }
    }
    fputc('\n', f);
}

const char *results_metric_unit(const char *name)
{
    for (size_t i = 0; i < metric_count; i++)
        if (strcmp(metric_table[i].name, name) == 0)
            return metric_table[i].unit;
    return NULL;
}

int results_metric_is_number(const char *name)
{
    for (size_t i = 0; i < metric_count; i++)
        if (strcmp(metric_table[i].name, name) == 0)
            return metric_table[i].type != M_CHECK && metric_table[i].type != M_KIND;
    return -1;
}

void results_print_markdown(FILE *f)
{
    fprintf(f, "| column | unit | meaning |\n|---|---|---|\n");
    fprintf(f, "| `schema` | | version of this column layout (%d) |\n", RESULTS_SCHEMA);
    fprintf(f, "| *parameters* | | one column per parameter, in docs/parameters.md order |\n");
    for (size_t i = 0; i < metric_count; i++)
        fprintf(f, "| `%s` | %s | %s |\n", metric_table[i].name, metric_table[i].unit,
                metric_table[i].help);
}
