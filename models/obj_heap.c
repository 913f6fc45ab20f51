/* Object memory (see obj_heap.h): per-thread bump allocation from 2 MiB-aligned regions marked
 * MADV_HUGEPAGE, with one free list per 16-byte size class up to OBJ_HEAP_MAX; larger blocks,
 * and every block in sanitizer builds (so that ASan still sees each one), come from malloc.
 * Regions are never unmapped: freed blocks are reused by the next run of the same process. */
#define _DEFAULT_SOURCE
#include "obj_heap.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define REGION (2u << 20)
#define GRAIN 16u
#define OBJ_HEAP_MAX (32u << 10) /* a chunk of allocated objects (interp.h) fits */
#define CLASSES (OBJ_HEAP_MAX / GRAIN)

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define USE_MALLOC 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define USE_MALLOC 1
#endif
#endif
#ifndef USE_MALLOC
#define USE_MALLOC 0
#endif

/* A freed block holds the next free block of its class. */
struct free_block {
    struct free_block *next;
};

static _Thread_local struct {
    char *next, *end; /* the current region's unused rest */
    struct free_block *free[CLASSES];
} heap;

static _Noreturn void out_of_memory(size_t size)
{
    fprintf(stderr, "gilsim: out of memory allocating %zu bytes for objects\n", size);
    abort();
}

/* Maps a fresh region, aligned to its size so that it can be one huge page. */
static void new_region(size_t size)
{
    char *m = mmap(NULL, 2 * REGION, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED)
        out_of_memory(size);
    char *r = (char *)(((uintptr_t)m + REGION - 1) & ~(uintptr_t)(REGION - 1));
    if (r > m)
        munmap(m, (size_t)(r - m));
    munmap(r + REGION, (size_t)(m + REGION - r));
    madvise(r, REGION, MADV_HUGEPAGE); /* a hint: without huge pages all still works */
    heap.next = r;
    heap.end = r + REGION;
}

void *obj_heap_alloc(size_t size, int zero)
{
    if (USE_MALLOC || size == 0 || size > OBJ_HEAP_MAX) {
        void *p = zero ? calloc(1, size ? size : 1) : malloc(size ? size : 1);
        if (!p)
            out_of_memory(size);
        return p;
    }
    size_t c = (size - 1) / GRAIN, bytes = (c + 1) * GRAIN;
    struct free_block *b = heap.free[c];
    if (b) {
        heap.free[c] = b->next;
        if (zero)
            memset(b, 0, bytes);
        return b;
    }
    /* A block of whole lines starts on a line (a chunk of objects: one line each). */
    size_t skip = bytes % 64 ? 0 : (size_t)(-(uintptr_t)heap.next % 64);
    if ((size_t)(heap.end - heap.next) < skip + bytes) {
        new_region(size); /* the old region's rest (< OBJ_HEAP_MAX) is left unused */
        skip = 0;
    }
    heap.next += skip;
    void *p = heap.next;
    heap.next += bytes; /* a fresh region reads as zeros */
    return p;
}

void obj_heap_free(void *p, size_t size)
{
    if (!p)
        return;
    if (USE_MALLOC || size == 0 || size > OBJ_HEAP_MAX) {
        free(p);
        return;
    }
    size_t c = (size - 1) / GRAIN;
    struct free_block *b = p;
    b->next = heap.free[c];
    heap.free[c] = b;
}
