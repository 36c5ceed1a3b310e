/*
 * dbc_mem.h - the growable vector (an array that doubles) every module shares; the arena
 * every module shares is format's (dbf_arena, dbf.h), the lowest layer.
 */
#ifndef DBC_MEM_H
#define DBC_MEM_H

#include <stddef.h>

#include "dbf.h" /* the arena: dbf_arena */

#ifdef __cplusplus
extern "C" {
#endif

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
