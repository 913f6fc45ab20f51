/* libFuzzer target: the INI spec-file parser (workloads/spec.c) on arbitrary bytes. It must
 * never crash, leak or read out of bounds: bad input is an error message, nothing else. */
#include "fuzz_file.h"
#include "scheme.h"
#include "spec.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    schemes_register();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[64], err[1024];
    int fd = fuzz_file(data, size, path, sizeof path);
    if (fd < 0)
        return 0;
    struct spec s;
    spec_init(&s);
    size_t n = 0;
    if (spec_load(&s, path, err, sizeof err) == 0 && spec_count(&s, 2, &n, err, sizeof err) == 0)
        for (size_t i = 0; i < n && i < 64; i++) {
            struct params p;
            size_t fam, rep;
            spec_point(&s, 2, i, &p, &fam, &rep, err, sizeof err);
        }
    spec_free(&s);
    close(fd);
    return 0;
}
