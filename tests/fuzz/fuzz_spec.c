/* libFuzzer target: the INI spec-file parser (workloads/spec.c) on arbitrary bytes. It must
 * never crash, leak or read out of bounds: bad input is an error message, nothing else. */
#define _GNU_SOURCE
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "spec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int fd = memfd_create("spec.ini", 0);
    if (fd < 0 || write(fd, data, size) != (ssize_t)size) {
        if (fd >= 0)
            close(fd);
        return 0;
    }
    char path[64], err[1024];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    struct spec s;
    spec_init(&s);
    if (spec_load(&s, path, err, sizeof err) == 0) {
        size_t n = 0;
        if (spec_count(&s, 2, &n, err, sizeof err) == 0)
            for (size_t i = 0; i < n && i < 64; i++) {
                struct params p;
                size_t fam, rep;
                spec_point(&s, 2, i, &p, &fam, &rep, err, sizeof err);
            }
    }
    spec_free(&s);
    close(fd);
    return 0;
}
