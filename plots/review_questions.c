/* The questions of gilsim review (see review_int.h), each from the rows of its family: the
 * numbers the verdict's sentence needs (verdict.c) and the figure behind it. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plot_table.h"
#include "plot_xy.h"
#include "report_int.h"
#include "repstats.h"
#include "review_int.h"
#include "verdict.h"

#define MAXV 64 /* values of one swept parameter a question reads */

/* The distinct values of col in s (pointers into the table); count. */
static size_t values(struct review *v, const struct sel *s, const char *col, const char **out)
{
    const char **vals;
    int c = tab_find(&v->r.t, col);
    size_t n = c >= 0 ? sel_values(&v->r.t, s, c, &vals) : 0;
    if (n > MAXV)
        n = MAXV;
    for (size_t i = 0; i < n; i++)
        out[i] = vals[i];
    if (c >= 0)
        free(vals);
    return n;
}

/* A copy of s kept to col = value. */
static int subset(struct review *v, const struct sel *s, struct sel *out, const char *col,
                  const char *value)
{
    if (sel_dup(s, out) != 0)
        return -1;
    review_keep(v, out, col, value);
    return 0;
}

static int missing(struct review *v, const char *q, const char *fam)
{
    char text[256];
    snprintf(text, sizeof text, "Not asked: the scenario has no [%s] family.", fam);
    review_answer(v, q, text, (size_t)-1);
    return 0;
}

/* ---- deadlock ---- */

static int q_deadlock(struct review *v)
{
    struct sel fam, s;
    if (review_family(v, "deadlock", 0, &fam) != 0)
        return -1;
    if (fam.n == 0) {
        sel_free(&fam);
        return missing(v, "Deadlock", "deadlock");
    }
    size_t failed;
    sel_drop_failed_only(&v->r.t, &fam, &failed);
    struct vd_share naive[MAXV * 4], fixed[MAXV];
    struct vd_deadlock d = { naive, 0, { 0 }, "", fixed, 0 };
    char example[1024] = "";
    const char *schemes[MAXV], *sh[MAXV], *th[MAXV];
    size_t ns = values(v, &fam, "scheme", schemes);
    int kind = tab_find(&v->r.t, "deadlock_kind"), dl = tab_find(&v->r.t, "deadlock");
    int cyc = tab_find(&v->r.t, "deadlock_cycle");
    for (size_t i = 0; i < ns; i++) {
        if (subset(v, &fam, &s, "scheme", schemes[i]) != 0)
            return -1;
        if (strcmp(schemes[i], v->in->naive) == 0) {
            size_t nsh = values(v, &s, "sharing", sh), nth = values(v, &s, "threads", th);
            for (size_t a = 0; a < nth; a++)
                for (size_t b = 0; b < nsh && d.nnaive < sizeof naive / sizeof naive[0]; b++) {
                    struct vd_share *e = &naive[d.nnaive];
                    *e = (struct vd_share){ schemes[i], atof(sh[b]), atol(th[a]), 0, 0 };
                    for (size_t k = 0; k < s.n; k++) {
                        size_t r = s.row[k];
                        if (cell_cmp(tab_at(&v->r.t, r, (size_t)tab_find(&v->r.t, "sharing")), sh[b]) ||
                            cell_cmp(tab_at(&v->r.t, r, (size_t)tab_find(&v->r.t, "threads")), th[a]))
                            continue;
                        e->n++;
                        e->k += strcmp(tab_at(&v->r.t, r, (size_t)dl), "0") != 0;
                    }
                    d.nnaive += e->n > 0;
                }
            static const char *const kinds[] = { "mutual", "chain", "exited", "blocked" };
            for (size_t k = 0; kind >= 0 && k < s.n; k++) {
                const char *kc = tab_at(&v->r.t, s.row[k], (size_t)kind);
                for (int j = 0; j < 4; j++)
                    if (strcmp(kc, kinds[j]) == 0) {
                        d.kind[j]++;
                        if (!example[0]) {
                            char cmd[900];
                            review_command(v, s.row[k], cmd, sizeof cmd);
                            snprintf(example, sizeof example, "a %s deadlock of %s threads "
                                     "(`%s` prints its wait-for cycle)", kinds[j],
                                     cyc >= 0 ? tab_at(&v->r.t, s.row[k], (size_t)cyc) : "?",
                                     cmd);
                        }
                    }
            }
        } else if (d.nfixed < MAXV) {
            struct vd_share *e = &fixed[d.nfixed++];
            *e = (struct vd_share){ schemes[i], NAN, 0, 0, s.n };
            for (size_t k = 0; k < s.n; k++)
                e->k += strcmp(tab_at(&v->r.t, s.row[k], (size_t)dl), "0") != 0;
        }
        sel_free(&s);
    }
    d.example = example;
    char sentence[4096];
    verdict_deadlock(&d, sentence, sizeof sentence);
    struct rfig *rf = report_add_fig(&v->r, "Deadlock: share of runs that deadlocked");
    size_t fig = (size_t)(rf - v->r.fig);
    struct xy_plot p;
    xy_init(&p);
    p.binomial = 1;
    snprintf(p.title, sizeof p.title, "Share of runs that deadlocked vs sharing");
    int rc = 0;
    if (review_xy(v, rf, &p, &fam, "sharing", "deadlock", "scheme", "threads",
                  "") == 0)
        rc = review_draw(v, rf, "deadlock.png", &p, &fam, "Each point: the share of a point's runs "
                         "(seeds) that deadlocked, with its 95% Wilson interval; one panel per "
                         "thread count. A run deadlocks when some thread never finishes; "
                         "deadlock_kind says which wait-for structure it is.");
    xy_free(&p);
    review_answer(v, "Deadlock", sentence, fig);
    sel_free(&fam);
    return rc;
}

/* ---- N ---- */

static int q_n(struct review *v)
{
    struct sel fam, s, w;
    if (review_family(v, "n", 0, &fam) != 0)
        return -1;
    if (fam.n == 0) {
        sel_free(&fam);
        return missing(v, "N", "n");
    }
    sel_drop_failed(&v->r.t, &fam, &(size_t){ 0 }, &(size_t){ 0 });
    review_keep(v, &fam, "scheme", v->in->proposal);
    const char *waits[MAXV], *ns[MAXV];
    size_t nw = values(v, &fam, "wait", waits);
    struct vd_n_point pts[MAXV][MAXV];
    struct vd_n_series ser[MAXV];
    for (size_t i = 0; i < nw; i++) {
        if (subset(v, &fam, &w, "wait", waits[i]) != 0)
            return -1;
        size_t nn = values(v, &w, "N", ns);
        ser[i] = (struct vd_n_series){ waits[i], pts[i], 0 };
        for (size_t j = 0; j < nn; j++) {
            if (subset(v, &w, &s, "N", ns[j]) != 0)
                return -1;
            struct repstats t = review_stat(v, &s, "throughput"), a = review_stat(v, &s, "lat_p50"),
                            b = review_stat(v, &s, "lat_p99");
            pts[i][ser[i].n++] = (struct vd_n_point){ atof(ns[j]), review_mean(&t),
                                                      review_mean(&a), review_mean(&b) };
            sel_free(&s);
        }
        sel_free(&w);
    }
    char sentence[4096];
    verdict_n(ser, nw, sentence, sizeof sentence);
    int rc = 0;
    struct rfig *rf = report_add_fig(&v->r, "N: throughput against the drain interval");
    size_t fig = (size_t)(rf - v->r.fig);
    struct xy_plot p;
    xy_init(&p);
    p.logx = 1;
    snprintf(p.title, sizeof p.title, "%s: throughput vs N", v->in->proposal);
    if (review_xy(v, rf, &p, &fam, "N", "throughput", "wait", NULL, "") == 0)
        rc = review_draw(v, rf, "n_throughput.png", &p, &fam, "Mean throughput over seeds with 95% "
                         "CI bars, one line per wait (block: sleep on a condvar; spin).");
    xy_free(&p);
    review_answer(v, "N", sentence, fig);
    struct rfig *rl = report_add_fig(&v->r, "N: delegated-op latency p50 and p99");
    xy_init(&p);
    p.logx = p.logy = 1;
    snprintf(p.title, sizeof p.title, "%s: delegated-op latency vs N", v->in->proposal);
    struct sel copy;
    int ok = rc == 0 && sel_dup(&fam, &copy) == 0;
    if (ok && review_xy(v, rl, &p, &fam, "N", "lat_p50", "wait", NULL,
                        " p50") == 0 &&
        review_xy(v, rl, &p, &copy, "N", "lat_p99", "wait", NULL, " p99") == 0) {
        snprintf(p.yname, sizeof p.yname, "delegated-op latency");
        for (size_t i = 0; i < p.ns; i++)
            p.s[i].dash = strstr(p.s[i].label, " p99") != NULL;
        rc = review_draw(v, rl, "n_latency.png", &p, &fam, "Per run the median (p50, solid) and 99th "
                         "percentile (p99, dashed) of the delegated ops' latency, averaged over "
                         "seeds with 95% CI bars.");
    }
    if (ok)
        sel_free(&copy);
    xy_free(&p);
    sel_free(&fam);
    return rc;
}

/* ---- cores: speedup and break-even ---- */

/* The swept sharing closest to 0.05 (the reference point of the speedup). */
static const char *reference_sharing(struct review *v, const struct sel *s)
{
    const char *sh[MAXV];
    size_t n = values(v, s, "sharing", sh), best = 0;
    for (size_t i = 1; i < n; i++)
        if (fabs(atof(sh[i]) - 0.05) < fabs(atof(sh[best]) - 0.05))
            best = i;
    return n ? sh[best] : NULL;
}

static int q_speedup(struct review *v, const struct sel *fam)
{
    const char *ref = reference_sharing(v, fam);
    const char *schemes[MAXV], *cores[MAXV];
    struct sel at, s, c;
    if (!ref || subset(v, fam, &at, "sharing", ref) != 0)
        return -1;
    size_t ns = values(v, &at, "scheme", schemes), nc = values(v, &at, "cores", cores);
    struct vd_speedup sp[MAXV];
    size_t n = 0;
    for (size_t i = 0; nc >= 2 && i < ns; i++) {
        if (subset(v, &at, &s, "scheme", schemes[i]) != 0)
            return -1;
        struct repstats lo = { 0 }, hi = { 0 };
        if (subset(v, &s, &c, "cores", cores[0]) == 0) {
            lo = review_stat(v, &c, "throughput");
            sel_free(&c);
        }
        if (subset(v, &s, &c, "cores", cores[nc - 1]) == 0) {
            hi = review_stat(v, &c, "throughput");
            sel_free(&c);
        }
        if (lo.n && hi.n) {
            struct repstats q = report_ratio(&hi, &lo);
            sp[n++] = (struct vd_speedup){ schemes[i], atof(cores[nc - 1]), atof(cores[0]),
                                           review_mean(&q) };
        }
        sel_free(&s);
    }
    char sentence[4096];
    verdict_speedup(sp, n, atof(ref), sentence, sizeof sentence);
    struct rfig *rf = report_add_fig(&v->r, "Cores: speedup against cores");
    size_t fig = (size_t)(rf - v->r.fig);
    struct xy_plot p;
    xy_init(&p);
    snprintf(p.title, sizeof p.title, "Speedup vs cores at sharing %s", ref);
    int rc = 0;
    if (review_xy(v, rf, &p, &at, "cores", "throughput", "scheme", NULL, "") == 0) {
        report_to_speedup(&p);
        snprintf(p.yname, sizeof p.yname, "speedup over the fewest cores");
        p.yunit_col[0] = '\0';
        rc = review_draw(v, rf, "speedup.png", &p, &at, "Each scheme's mean throughput at a core "
                         "count over its own at the fewest cores (that point is exactly 1); "
                         "bars: 95% CI of the ratio to first order. ideal is the upper bound.");
    }
    xy_free(&p);
    review_answer(v, "Cores", sentence, fig);
    sel_free(&at);
    return rc;
}

void review_breakeven_at(struct review *v, const struct sel *fam, const char *baseline,
                         const char *cores, struct vd_breakeven *b)
{
    struct sel c, a, z, pa, pz;
    const char *sh[MAXV];
    double x[MAXV], q[MAXV], qlo[MAXV], qhi[MAXV];
    size_t n = 0, seen = 0, above = 0;
    *b = (struct vd_breakeven){ atof(cores), NAN, NAN, NAN, -1, NAN, NAN, NAN };
    if (subset(v, fam, &c, "cores", cores) != 0)
        return;
    size_t nsh = values(v, &c, "sharing", sh);
    if (subset(v, &c, &a, "scheme", v->in->proposal) != 0 ||
        subset(v, &c, &z, "scheme", baseline) != 0) {
        sel_free(&c);
        return;
    }
    struct repstats model = review_stat(v, &a, "sharing_breakeven_model");
    b->model = model.mean;
    for (size_t i = 0; i < nsh; i++) {
        if (subset(v, &a, &pa, "sharing", sh[i]) != 0)
            break;
        if (subset(v, &z, &pz, "sharing", sh[i]) != 0) {
            sel_free(&pa);
            break;
        }
        struct repstats ta = review_stat(v, &pa, "throughput"), tz = review_stat(v, &pz, "throughput");
        if (ta.n && tz.n) {
            struct repstats r = report_ratio(&ta, &tz);
            double ci = isfinite(r.ci95) ? r.ci95 : 0;
            x[n] = atof(sh[i]);
            q[n] = r.mean;
            qlo[n] = r.mean - ci;
            qhi[n] = r.mean + ci;
            seen++;
            above += r.mean >= 1;
            n++;
        }
        sel_free(&pa);
        sel_free(&pz);
    }
    if (n) {
        b->smin = x[0];
        b->smax = x[n - 1];
    }
    const char *why;
    b->sim = report_crossing(x, q, n, &why);
    b->lo = report_crossing(x, qlo, n, &why);
    b->hi = report_crossing(x, qhi, n, &why);
    b->above = seen < 2 ? -1 : above == seen ? 1 : above == 0 ? 0 : -1;
    if (!isfinite(b->sim) && seen >= 2 && above != seen && above != 0)
        b->above = q[0] < 1 ? 0 : 1; /* rises through 1 instead of falling: slower first */
    sel_free(&a);
    sel_free(&z);
    sel_free(&c);
}

static int q_breakeven(struct review *v, const struct sel *fam)
{
    const char *cores[MAXV], *bl = v->in->baselines;
    size_t nc = values(v, fam, "cores", cores);
    struct rfig *rf = report_add_fig(&v->r, "Break-even sharing against each baseline");
    size_t fig = (size_t)(rf - v->r.fig);
    struct xy_plot p;
    xy_init(&p);
    snprintf(p.title, sizeof p.title, "Break-even sharing of %s vs cores", v->in->proposal);
    snprintf(p.xname, sizeof p.xname, "cores");
    snprintf(p.xunit_col, sizeof p.xunit_col, "cores");
    snprintf(p.yname, sizeof p.yname, "break-even sharing");
    char *csv = NULL;
    size_t csvlen = 0;
    FILE *f = open_memstream(&csv, &csvlen);
    if (!f)
        return -1;
    fputs("baseline,cores,breakeven,lo95,hi95,side,model,model_off_2x\n", f);
    int k = 0;
    for (const char *b = bl; *b; b += strcspn(b, ",") + (b[strcspn(b, ",")] ? 1 : 0), k++) {
        char base[64];
        snprintf(base, sizeof base, "%.*s", (int)strcspn(b, ","), b);
        struct vd_breakeven be[MAXV];
        for (size_t i = 0; i < nc; i++) {
            review_breakeven_at(v, fam, base, cores[i], &be[i]);
            fprintf(f, "%s,%s,%.6g,%.6g,%.6g,%s,%.6g,%d\n", base, cores[i], be[i].sim, be[i].lo,
                    be[i].hi, isfinite(be[i].sim) ? "crosses" : be[i].above == 1 ? "above" :
                    be[i].above == 0 ? "below" : "too few points", be[i].model,
                    verdict_disagrees(be[i].sim, be[i].model));
        }
        char sentence[4096], q[96];
        verdict_breakeven(v->in->proposal, base, be, nc, sentence, sizeof sentence);
        snprintf(q, sizeof q, "Break-even vs %s", base);
        review_answer(v, q, sentence, fig);
        struct xy_series *sim = xy_add_series(&p, 0, ""), *mod;
        if (!sim)
            break;
        snprintf(sim->label, sizeof sim->label, "against %s (simulated)", base);
        sim->color = xy_scheme_color(base);
        sim->point = 7;
        for (size_t i = 0; i < nc; i++)
            if (isfinite(be[i].sim)) {
                struct repstats y = { 5, be[i].sim, NAN, NAN };
                xy_add_point(sim, be[i].cores, &y);
                sim->pt[sim->n - 1].wilson = 1; /* an asymmetric interval: [lo, hi] */
                sim->pt[sim->n - 1].lo = isfinite(be[i].lo) ? be[i].lo : be[i].sim;
                sim->pt[sim->n - 1].hi = isfinite(be[i].hi) ? be[i].hi : be[i].sim;
            }
        if (k == 0 && (mod = xy_add_series(&p, 0, "first-order model (against a GIL on one core)"))) {
            mod->dash = 1;
            mod->errors = 0;
            for (size_t i = 0; i < nc; i++)
                if (isfinite(be[i].model)) {
                    struct repstats y = { 1, be[i].model, NAN, NAN };
                    xy_add_point(mod, be[i].cores, &y);
                }
        }
    }
    int rc = fclose(f) == 0 ? review_write_file(v, "breakeven.csv", csv, csvlen) : -1;
    free(csv);
    size_t kept = 0; /* series without points are not drawn */
    for (size_t i = 0; i < p.ns; i++) {
        if (p.s[i].n)
            p.s[kept++] = p.s[i];
        else
            free(p.s[i].pt);
    }
    p.ns = kept;
    if (rc == 0 && p.ns && (p.facet[0] = strdup("")))
        p.nfacets = 1;
    snprintf(p.bars, sizeof p.bars, "bars: where the 95%% band of the speedup crosses 1");
    char how[1024];
    snprintf(how, sizeof how, "Simulated: the sharing at which %s's mean throughput over the "
             "baseline's (same cores and sharing) falls through 1, linearly interpolated "
             "between swept sharings; its bar spans where the lower and upper edges of the "
             "ratio's 95%% CI cross 1 (none drawn where it does not cross in the sweep: the "
             "sentence says which side). Dashed: the mean sharing_breakeven_model (first "
             "order, against a GIL on one core). Numbers: breakeven.csv.", v->in->proposal);
    if (rc == 0 && p.ns && p.nfacets)
        rc = review_draw(v, rf, "breakeven.png", &p, fam, how);
    else if (rc == 0)
        report_skip(rf, "no core count where a break-even lies within the swept sharing "
                    "(breakeven.csv says which side)");
    xy_free(&p);
    return rc;
}

static int q_cores(struct review *v)
{
    struct sel fam;
    if (review_family(v, "cores", 1, &fam) != 0)
        return -1;
    if (fam.n == 0) {
        sel_free(&fam);
        missing(v, "Cores", "cores");
        return missing(v, "Break-even", "cores");
    }
    sel_drop_failed(&v->r.t, &fam, &(size_t){ 0 }, &(size_t){ 0 });
    int rc = q_speedup(v, &fam);
    if (rc == 0)
        rc = q_breakeven(v, &fam);
    sel_free(&fam);
    return rc;
}

/* ---- I/O ---- */

static int q_io(struct review *v)
{
    struct sel fam, s, t;
    if (review_family(v, "io", 0, &fam) != 0)
        return -1;
    if (fam.n == 0) {
        sel_free(&fam);
        return missing(v, "Owner in I/O", "io");
    }
    sel_drop_failed(&v->r.t, &fam, &(size_t){ 0 }, &(size_t){ 0 });
    const char *schemes[MAXV], *io[MAXV];
    size_t ns = values(v, &fam, "scheme", schemes), nio = values(v, &fam, "io", io);
    struct vd_io pts[2][MAXV];
    const char *name[2] = { ns > 0 ? schemes[0] : "", ns > 1 ? schemes[1] : "" };
    for (size_t i = 0; i < 2 && i < ns; i++) {
        for (size_t j = 0; j < nio; j++) {
            pts[i][j] = (struct vd_io){ name[i], atof(io[j]), { NAN, NAN } };
            if (subset(v, &fam, &s, "scheme", name[i]) != 0)
                return -1;
            if (subset(v, &s, &t, "io", io[j]) == 0) {
                struct repstats st = review_stat(v, &t, "lat_p99");
                pts[i][j].p99 = review_mean(&st);
                sel_free(&t);
            }
            sel_free(&s);
        }
    }
    char sentence[4096];
    if (ns == 2)
        verdict_io(name[0], name[1], pts[0], pts[1], nio, sentence, sizeof sentence);
    else
        snprintf(sentence, sizeof sentence, "The [io] family needs two schemes (V1 and V2) to "
                 "compare; it has %zu.", ns);
    struct rfig *rf = report_add_fig(&v->r, "Owner in I/O: delegated-op latency tail");
    size_t fig = (size_t)(rf - v->r.fig);
    struct xy_plot p;
    xy_init(&p);
    snprintf(p.title, sizeof p.title, "p99 delegated-op latency vs I/O share");
    int rc = 0;
    if (review_xy(v, rf, &p, &fam, "io", "lat_p99", "scheme", NULL, "") == 0) {
        p.logy = report_spread(&p, 'y') >= 100;
        rc = review_draw(v, rf, "io.png", &p, &fam, "Per run the 99th percentile of the delegated "
                         "ops' latency, averaged over seeds with 95% CI bars, against the share "
                         "of ops the I/O threads spend blocked in I/O; every foreign access "
                         "goes to the objects of thread 0, which does I/O.");
    }
    xy_free(&p);
    review_answer(v, "Owner in I/O", sentence, fig);
    sel_free(&fam);
    return rc;
}

/* ---- thread exit ---- */

static int q_exit(struct review *v)
{
    struct sel fam, s;
    if (review_family(v, "exit", 0, &fam) != 0)
        return -1;
    if (fam.n == 0) {
        sel_free(&fam);
        return missing(v, "Thread exit", "exit");
    }
    size_t failed;
    sel_drop_failed_only(&v->r.t, &fam, &failed);
    const char *schemes[MAXV];
    size_t ns = values(v, &fam, "scheme", schemes);
    struct vd_exit e[MAXV];
    int dl = tab_find(&v->r.t, "deadlock"), kind = tab_find(&v->r.t, "deadlock_kind");
    for (size_t i = 0; i < ns; i++) {
        if (subset(v, &fam, &s, "scheme", schemes[i]) != 0)
            return -1;
        e[i] = (struct vd_exit){ schemes[i], { NAN, NAN }, 0, 0, s.n };
        for (size_t k = 0; k < s.n; k++)
            if (strcmp(tab_at(&v->r.t, s.row[k], (size_t)dl), "0") != 0) {
                e[i].dead++;
                e[i].exited += kind >= 0 &&
                               strcmp(tab_at(&v->r.t, s.row[k], (size_t)kind), "exited") == 0;
            }
        size_t d, f;
        sel_drop_failed(&v->r.t, &s, &d, &f);
        struct repstats st = review_stat(v, &s, "takeovers");
        e[i].takeovers = review_mean(&st);
        sel_free(&s);
    }
    char sentence[4096];
    verdict_exit(e, ns, sentence, sizeof sentence);
    struct rfig *rf = report_add_fig(&v->r, "Thread exit: objects taken over");
    size_t fig = (size_t)(rf - v->r.fig);
    struct xy_plot p;
    xy_init(&p);
    snprintf(p.title, sizeof p.title, "Objects taken over from the exited owner vs sharing");
    size_t d, f;
    sel_drop_failed(&v->r.t, &fam, &d, &f);
    int rc = 0;
    if (review_xy(v, rf, &p, &fam, "sharing", "takeovers", "scheme", NULL, "") == 0) {
        if (d)
            snprintf(p.notes, sizeof p.notes, "left out: %zu deadlocked run(s)", d);
        rc = review_draw(v, rf, "exit.png", &p, &fam, "Per run the objects a requester took over "
                         "from the owner after it exited (hand-off at exit), averaged over "
                         "seeds with 95% CI bars; runs that deadlocked have no point (the "
                         "verdict counts them).");
    }
    xy_free(&p);
    review_answer(v, "Thread exit", sentence, fig);
    sel_free(&fam);
    return rc;
}

int review_questions(struct review *v)
{
    static int (*const q[])(struct review *) = { q_deadlock, q_n, q_cores, q_io, q_exit,
                                                 review_tornado };
    for (size_t i = 0; i < sizeof q / sizeof q[0]; i++)
        if (q[i](v) != 0) {
            if (!v->r.err[0])
                snprintf(v->r.err, sizeof v->r.err, "out of memory");
            return -1;
        }
    return 0;
}
