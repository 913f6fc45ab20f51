/* What every gilsim fuzz target needs: the fuzzer's bytes as a file a parser can open by path
 * (an in-memory file, /proc/self/fd/N). */
#ifndef GILSIM_TESTS_FUZZ_FILE_H
#define GILSIM_TESTS_FUZZ_FILE_H

#define _GNU_SOURCE
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* Writes data to a new in-memory file and its path to path; returns its fd (close it after),
 * or -1. */
static inline int fuzz_file(const uint8_t *data, size_t size, char *path, size_t len)
{
    int fd = memfd_create("gilsim-fuzz", 0);
    if (fd < 0)
        return -1;
    if (write(fd, data, size) != (ssize_t)size) {
        close(fd);
        return -1;
    }
    snprintf(path, len, "/proc/self/fd/%d", fd);
    return fd;
}

#endif
