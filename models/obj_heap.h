/* Memory for interpreter objects and their state (object.c's arrays, interp.c's chunks of
 * allocated objects): size classes carved from 2 MiB-aligned regions that the kernel may back
 * with huge pages. A run touches its objects at random among thousands, so with 4 KiB pages
 * almost every access missed the TLB; this changes where objects live, never what they hold. */
#ifndef GILSIM_MODELS_OBJ_HEAP_H
#define GILSIM_MODELS_OBJ_HEAP_H

#include <stddef.h>

/* A block of `size` bytes (zeroed if `zero`); never NULL (aborts when out of memory). Each
 * thread has its own regions and free lists: a block may be freed by another thread than the
 * one that got it. */
void *obj_heap_alloc(size_t size, int zero);
/* Gives back a block obj_heap_alloc returned for the same `size` (NULL: nothing). */
void obj_heap_free(void *p, size_t size);

#endif
