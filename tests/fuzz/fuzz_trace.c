/* libFuzzer target: the trace reader (workloads/trace.c) on arbitrary bytes, against a small
 * parameter set. It must never crash, leak or read out of bounds. */
#define _GNU_SOURCE
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "trace.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int fd = memfd_create("fuzz.trace", 0);
    if (fd < 0 || write(fd, data, size) != (ssize_t)size) {
        if (fd >= 0)
            close(fd);
        return 0;
    }
    char path[64], err[1024];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
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
