/*
 * dbc_mem.c - the growable vector (dbc_mem.h).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dbc_mem.h"


int dbc_vec_reserve(dbc_vec *v, size_t more, size_t size)
{
    if (more <= v->cap - v->n)
        return 0;
    size_t max = SIZE_MAX / size;
    if (more > max - v->n)
        return -1;
    size_t need = v->n + more;
    size_t cap = v->cap ? v->cap : 16;
    while (cap < need)
        cap = cap > max / 2 ? need : cap * 2;
    void *p = realloc(v->p, cap * size);
    if (p == NULL)
        return -1;
    v->p = p;
    v->cap = cap;
    return 0;
}

void *dbc_vec_push(dbc_vec *v, size_t size)
{
    if (dbc_vec_reserve(v, 1, size) != 0)
        return NULL;
    char *e = (char *)v->p + v->n++ * size;
    memset(e, 0, size);
    return e;
}

int dbc_vec_push_ptr(dbc_vec *v, const void *p)
{
    const void **e = dbc_vec_push(v, sizeof(*e));
    if (e == NULL)
        return -1;
    *e = p;
    return 0;
}

void dbc_vec_free(dbc_vec *v)
{
    free(v->p);
    v->p = NULL;
    v->n = v->cap = 0;
}
