/* libFuzzer target: the trace reader (workloads/trace.c) on arbitrary bytes, against a small
 * parameter set. It must never crash, leak or read out of bounds. */
#include "fuzz_file.h"
#include "trace.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[64], err[1024];
    int fd = fuzz_file(data, size, path, sizeof path);
    if (fd < 0)
        return 0;
    struct params p;
    params_defaults(&p);
    p.threads = 2;
    p.objects = 4;
    struct wl_trace tr;
    if (wl_trace_load(path, &p, &tr, err, sizeof err) == 0) {
        wl_trace_max_ops(&tr);
        wl_trace_free(&tr);
    }
    close(fd);
    return 0;
}
