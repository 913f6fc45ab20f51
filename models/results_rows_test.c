/* Tests of results files read back: the point key of a row is exactly the cells results.c
 * writes before the metrics, a trailing partial line is not a row, keys order numerically
 * cell by cell, a cell is a number only if all of it is one, and appended rows are whole, even
 * when the write is cut short by a file size limit. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "results.h"
#include "stats.h"
#include "results_rows.h"
#include "testlib.h"

static char err[2048];
static char dir[] = "/tmp/rows_test.XXXXXX";

static const char *path_of(const char *name)
{
    static char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return path;
}

static void key_is_the_row_prefix(void)
{
    char *h = rows_current_header();
    CHECK(h && strncmp(h, "schema,", 7) == 0);
    size_t cols = 1; /* schema, then the parameters that are columns (not mem_limit) */
    for (size_t i = 0; i < param_count; i++)
        cols += (size_t)param_is_column(&param_table[i]);
    CHECK(cols < 1 + param_count);
    CHECK_EQ_INT(rows_keycols(h), cols);
    struct params p;
    params_defaults(&p);
    struct metrics m;
    memset(&m, 0, sizeof m);
    char *row = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&row, &len);
    results_write_row(f, &p, &m);
    fclose(f);
    char *key = rows_key(&p);
    CHECK(key && row);
    CHECK_EQ_INT(rows_prefix(row, cols), strlen(key));
    CHECK(strncmp(row, key, strlen(key)) == 0);
    CHECK_EQ_INT(rows_keycols("x,scheme"), 0);
    free(h);
    free(row);
    free(key);
}

static void partial_last_line_is_not_a_row(void)
{
    const char *path = path_of("p.csv");
    FILE *f = fopen(path, "w");
    fputs("schema,N,sharing,makespan\n1,10,0.5,3\n1,20,0.5,4\n1,30,0.", f);
    fclose(f);
    struct rows r;
    CHECK(rows_load(path, &r, err, sizeof err) == 0);
    CHECK_EQ_INT(r.n, 2);
    CHECK_EQ_INT(r.ncols, 4);
    CHECK_EQ_INT(r.keycols, 3);
    CHECK_EQ_INT(r.good, strlen("schema,N,sharing,makespan\n1,10,0.5,3\n1,20,0.5,4\n"));
    CHECK(strcmp(r.data + r.good, "1,30,0.") == 0);
    CHECK(r.n == 2 && strcmp(r.line[1], "1,20,0.5,4") == 0);
    char **cells = rows_cells(&r);
    CHECK(cells && strcmp(cells[2], "sharing") == 0 && strcmp(cells[1 * 4 + 1], "10") == 0);
    CHECK(cells && strcmp(cells[2 * 4 + 3], "4") == 0);
    free(cells);
    rows_free(&r);
}

static void a_cell_is_a_number_whole_or_not_at_all(void)
{
    CHECK(rows_num("0.05") == 0.05 && rows_num("-1") == -1 && rows_num("1e3") == 1000);
    CHECK(isinf(rows_num("inf")));
    CHECK(isnan(rows_num("")) && isnan(rows_num("10x")) && isnan(rows_num("delegate")));
    CHECK(isnan(rows_num("nan")) && isnan(rows_num("1 ")));
}

static void rows_must_have_the_header_columns(void)
{
    const char *path = path_of("c.csv");
    FILE *f = fopen(path, "w");
    fputs("schema,N,makespan\n1,10,3\n1,20\n", f);
    fclose(f);
    struct rows r;
    CHECK(rows_load(path, &r, err, sizeof err) == -1);
    char want[512];
    snprintf(want, sizeof want, "%s:3: 2 columns (allowed: 3, as the header)", path);
    CHECK(strcmp(err, want) == 0);
    f = fopen(path, "w");
    fputs("a,b\n", f);
    fclose(f);
    CHECK(rows_load(path, &r, err, sizeof err) == -1);
    CHECK(strstr(err, ":1: not a gilsim CSV") != NULL);
}

static int cmp(const char *a, const char *b) { return rows_cmp(a, strlen(a), b, strlen(b)); }

static void keys_order_numerically(void)
{
    CHECK(cmp("1,ideal,9", "1,ideal,10") < 0);
    CHECK(cmp("1,ideal,10", "1,ideal,9") > 0);
    CHECK(cmp("1,delegate,100", "1,ideal,1") < 0);
    CHECK(cmp("1,0.05", "1,0.1") < 0);
    CHECK(cmp("1,a,2", "1,a,2") == 0);
    CHECK(cmp("1,1e3", "1,1000") != 0); /* equal only as the same text */
    CHECK(cmp("1,a", "1,a,2") < 0);
    struct rows_ref ref[] = { { "1,b,10", 6, 0 }, { "1,a,9", 5, 1 }, { "1,b,10", 6, 2 },
                              { "1,b,9", 5, 3 } };
    rows_sort(ref, 4);
    CHECK(ref[0].i == 1 && ref[1].i == 3 && ref[2].i == 0 && ref[3].i == 2);
    CHECK(rows_find(ref, 4, "1,b,9", 5));
    CHECK(!rows_find(ref, 4, "1,b,8", 5));
}

static void header_diff_names_the_column(void)
{
    char buf[256];
    rows_header_diff("schema,a,b", "schema,a,b", buf, sizeof buf);
    CHECK(strcmp(buf, "") == 0);
    rows_header_diff("schema,a,b", "schema,x,b", buf, sizeof buf);
    CHECK(strcmp(buf, "column 2 is 'a' here and 'x' there") == 0);
    rows_header_diff("schema,a,b", "schema,a", buf, sizeof buf);
    CHECK(strcmp(buf, "3 columns here and 2 there") == 0);
}

static void append_and_write_whole(void)
{
    const char *path = path_of("a.csv");
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0644);
    CHECK(fd >= 0);
    CHECK(rows_append(fd, "schema,N,makespan") == 0);
    CHECK(rows_append(fd, "1,10,3") == 0);
    close(fd);
    struct rows r;
    CHECK(rows_load(path, &r, err, sizeof err) == 0);
    CHECK(r.n == 1 && strcmp(r.line[0], "1,10,3") == 0 && r.good == r.size);
    const char *lines[] = { "1,20,4", "1,30,5" };
    struct out_file o;
    CHECK(out_file_open(&o, path, err, sizeof err) == 0);
    CHECK(rows_write(&o, r.header, lines, 2, err, sizeof err) == 0);
    out_file_close(&o);
    rows_free(&r);
    CHECK(rows_load(path, &r, err, sizeof err) == 0);
    CHECK(r.n == 2 && strcmp(r.line[1], "1,30,5") == 0);
    rows_free(&r);
}

/* A row that crosses RLIMIT_FSIZE is written in part (then EFBIG): rows_append cuts the
 * fragment off and reports EFBIG, so the file ends with the last whole row. */
static void short_append_is_cut_back(void)
{
    const char *path = path_of("limit.csv");
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0644);
    CHECK(fd >= 0);
    CHECK(rows_append(fd, "schema,N,makespan") == 0);
    struct rlimit old, lim = { 30, 30 };
    CHECK(getrlimit(RLIMIT_FSIZE, &old) == 0);
    lim.rlim_max = old.rlim_max;
    signal(SIGXFSZ, SIG_IGN);
    CHECK(setrlimit(RLIMIT_FSIZE, &lim) == 0);
    CHECK(rows_append(fd, "1,10,3") == 0); /* 25 bytes: fits */
    errno = 0;
    CHECK(rows_append(fd, "1,20,123456789") == -1); /* 5 of its 15 bytes fit */
    CHECK_EQ_INT(errno, EFBIG);
    setrlimit(RLIMIT_FSIZE, &old);
    signal(SIGXFSZ, SIG_DFL);
    struct stat st;
    CHECK(fstat(fd, &st) == 0);
    CHECK_EQ_INT(st.st_size, 25);
    close(fd);
}

int main(int argc, char **argv)
{
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    static const struct test_case cases[] = {
        { "key_is_the_row_prefix", key_is_the_row_prefix },
        { "partial_last_line_is_not_a_row", partial_last_line_is_not_a_row },
        { "a_cell_is_a_number_whole_or_not_at_all", a_cell_is_a_number_whole_or_not_at_all },
        { "rows_must_have_the_header_columns", rows_must_have_the_header_columns },
        { "keys_order_numerically", keys_order_numerically },
        { "header_diff_names_the_column", header_diff_names_the_column },
        { "append_and_write_whole", append_and_write_whole },
        { "short_append_is_cut_back", short_append_is_cut_back },
        { NULL, NULL },
    };
    int rc = test_main(cases, argc, argv);
    const char *files[] = { "p.csv", "c.csv", "a.csv" };
    for (size_t i = 0; i < 3; i++)
        unlink(path_of(files[i]));
    rmdir(dir);
    return rc;
}
