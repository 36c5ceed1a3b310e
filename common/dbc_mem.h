/*
 * dbc_mem.h - the two allocators every module shares: an arena (many small allocations freed
 * at once: schema strings, a row's scratch) and a growable vector (an array that doubles).
 */
#ifndef DBC_MEM_H
#define DBC_MEM_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Arena: zero-initialise (dbc_arena a = {0}) and allocate; blocks of 64 KiB, larger
 * allocations get a block of their own. Pointers stay valid until reset or free. */
typedef struct dbc_arena_blk dbc_arena_blk;
typedef struct dbc_arena {
    dbc_arena_blk *head; /* newest block first */
} dbc_arena;

/** @return n bytes aligned for any type, not zeroed, or NULL when out of memory. */
void *dbc_arena_alloc(dbc_arena *a, size_t n);
/** @return n zeroed elements of size bytes, or NULL when out of memory or n * size overflows. */
void *dbc_arena_calloc(dbc_arena *a, size_t n, size_t size);
/** @return a copy of the n bytes at p, or NULL when out of memory. */
void *dbc_arena_memdup(dbc_arena *a, const void *p, size_t n);
/** @return a NUL-terminated copy of s[0..n), or NULL when out of memory. */
char *dbc_arena_strndup(dbc_arena *a, const char *s, size_t n);
/** @return a copy of s, or NULL when s is NULL or out of memory (check s first). */
char *dbc_arena_strdup(dbc_arena *a, const char *s);
/** Forget every allocation; keep the oldest block (if of ordinary size) for reuse. */
void dbc_arena_reset(dbc_arena *a);
/** Free every block; a is empty again. */
void dbc_arena_free(dbc_arena *a);

/* Vector: cap elements of one size at p, n of them in use. Zero-initialise (dbc_vec v = {0});
 * every call on v passes the same element size. p may be read and written directly (assign
 * it to a typed pointer); it moves when the vector grows. */
typedef struct dbc_vec {
    void *p;    /* the elements, NULL until the first growth */
    size_t n;   /* elements in use */
    size_t cap; /* elements allocated */
} dbc_vec;

/** Make room for more elements after n: cap doubles (from 16) until it holds them.
 *  @return 0, or -1 when out of memory (v unchanged). */
int dbc_vec_reserve(dbc_vec *v, size_t more, size_t size);
/** Append one zeroed element.
 *  @return the element (valid until v grows again), or NULL when out of memory (v unchanged). */
void *dbc_vec_push(dbc_vec *v, size_t size);
/** Append pointer p to a vector of pointers (every call on v passes sizeof(void *)).
 *  @return 0, or -1 when out of memory (v unchanged). */
int dbc_vec_push_ptr(dbc_vec *v, const void *p);
/** Free the elements (not what they point to); v is empty again. */
void dbc_vec_free(dbc_vec *v);

#ifdef __cplusplus
}
#endif

#endif /* DBC_MEM_H */
