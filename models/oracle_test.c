/* Tests of the exactly-once check: a run whose objects saw every op exactly once passes, in any
 * thread order; one op lost, doubled or a read skipped fails with the object named, and so does
 * a lost update (two handlers overlapping on one counter); a thread that stopped early fails. */
#include <string.h>

#include "interp.h"
#include "oracle.h"
#include "scheme.h"
#include "testlib.h"

static struct params base(void)
{
    struct params p;
    params_defaults(&p);
    p.threads = 3;
    p.ops = 3000;
    p.sharing = 0.3;
    p.callback = 0.2;
    scheme_resolve_params(&p);
    return p;
}

/* Takes every thread's stream as the eval loop does (each op recorded as issued) and applies
 * it, threads in the order given, skipping op number `skip` of thread 0 and applying op number
 * `twice` of thread 0 twice (-1: none). */
static struct run *replay(const struct params *p, const int *order, long skip, long twice)
{
    char err[256];
    struct run *r = run_create(p, err, sizeof err);
    CHECK(r != NULL);
    for (int k = 0; k < 3; k++) {
        struct ithread *t = &r->threads[order[k]];
        struct op op;
        long i = 0;
        for (wl_stream_next(&t->stream, &op); op.code != OP_EXIT; wl_stream_next(&t->stream, &op), i++) {
            oracle_issue(t, &op);
            t->opcount += op_span(&op);
            if (order[k] == 0 && i == skip)
                continue;
            interp_apply(t, &op);
            if (order[k] == 0 && i == twice)
                interp_apply(t, &op);
        }
        oracle_issue(t, &op);
    }
    return r;
}

/* The index of thread 0's first op of the given code. */
static long first_of(const struct params *p, enum op_code code)
{
    struct wl_stream s;
    wl_stream_init(&s, p, 0, NULL);
    struct op op;
    long i = 0;
    for (wl_stream_next(&s, &op); op.code != OP_EXIT && op.code != code; wl_stream_next(&s, &op))
        i++;
    wl_stream_free(&s);
    return op.code == code ? i : -1;
}

static void exact_replay_passes_in_any_order(void)
{
    struct params p = base();
    char msg[256];
    int orders[2][3] = { { 0, 1, 2 }, { 2, 0, 1 } };
    for (int k = 0; k < 2; k++) {
        struct run *r = replay(&p, orders[k], -1, -1);
        CHECK(oracle_check(r, msg, sizeof msg) == 1);
        run_destroy(r);
    }
}

static void lost_or_doubled_ops_fail(void)
{
    struct params p = base();
    int order[3] = { 1, 0, 2 };
    char msg[256];
    long mutate = first_of(&p, OP_MUTATE), read = first_of(&p, OP_READ);
    CHECK(mutate >= 0 && read >= 0);

    struct run *r = replay(&p, order, mutate, -1);
    CHECK(oracle_check(r, msg, sizeof msg) == 0);
    CHECK(strstr(msg, "object (") != NULL);
    run_destroy(r);

    r = replay(&p, order, -1, mutate);
    CHECK(oracle_check(r, msg, sizeof msg) == 0);
    run_destroy(r);

    r = replay(&p, order, read, -1);
    CHECK(oracle_check(r, msg, sizeof msg) == 0);
    CHECK(strstr(msg, "reads ran") != NULL);
    run_destroy(r);
}

static void lost_update_and_early_stop_fail(void)
{
    struct params p = base();
    int order[3] = { 0, 1, 2 };
    char msg[256];
    struct run *r = replay(&p, order, -1, -1);
    /* A lost update: a counter's value misses one add that both counts say ran. */
    r->threads[0].objs[0].u.counter -= 1;
    CHECK(oracle_check(r, msg, sizeof msg) == 0);
    CHECK(strstr(msg, "object (0,0) counter: digest") != NULL);
    r->threads[0].objs[0].u.counter += 1;
    CHECK(oracle_check(r, msg, sizeof msg) == 1);
    /* An opcode taken but not completed. */
    r->threads[1].opcount--;
    CHECK(oracle_check(r, msg, sizeof msg) == 0);
    CHECK(strstr(msg, "thread 1 completed") != NULL);
    r->threads[1].opcount++;
    r->threads[2].took_exit = 0;
    CHECK(oracle_check(r, msg, sizeof msg) == 0);
    CHECK(strstr(msg, "not to the end") != NULL);
    run_destroy(r);
}

static const struct test_case cases[] = {
    { "exact_replay_passes_in_any_order", exact_replay_passes_in_any_order },
    { "lost_or_doubled_ops_fail", lost_or_doubled_ops_fail },
    { "lost_update_and_early_stop_fail", lost_update_and_early_stop_fail },
    { NULL, NULL },
};

int main(int argc, char **argv)
{
    schemes_register();
    return test_main(cases, argc, argv);
}
