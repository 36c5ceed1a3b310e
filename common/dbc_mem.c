/*
 * dbc_mem.c - the arena and the growable vector (dbc_mem.h).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dbc_mem.h"

#define DBC_ARENA_BLOCK ((size_t)64 * 1024)

struct dbc_arena_blk {
    dbc_arena_blk *next; /* older block */
    size_t used, cap;    /* bytes of data */
    max_align_t data[];  /* cap bytes */
};

void *dbc_arena_alloc(dbc_arena *a, size_t n)
{
    const size_t al = _Alignof(max_align_t);
    if (n > SIZE_MAX - sizeof(dbc_arena_blk) - al)
        return NULL;
    n = n == 0 ? al : (n + al - 1) / al * al;
    dbc_arena_blk *h = a->head;
    if (h != NULL && h->cap - h->used >= n) {
        void *p = (char *)h->data + h->used;
        h->used += n;
        return p;
    }
    size_t cap = n > DBC_ARENA_BLOCK ? n : DBC_ARENA_BLOCK;
    dbc_arena_blk *b = malloc(sizeof(*b) + cap);
    if (b == NULL)
        return NULL;
    b->used = n;
    b->cap = cap;
    if (h != NULL && n > DBC_ARENA_BLOCK) {
        /* an oversized block goes behind the current one, whose free space stays usable */
        b->next = h->next;
        h->next = b;
    } else {
        b->next = h;
        a->head = b;
    }
    return b->data;
}

void *dbc_arena_calloc(dbc_arena *a, size_t n, size_t size)
{
    if (size != 0 && n > SIZE_MAX / size)
        return NULL;
    void *p = dbc_arena_alloc(a, n * size);
    if (p != NULL)
        memset(p, 0, n * size);
    return p;
}

void *dbc_arena_memdup(dbc_arena *a, const void *p, size_t n)
{
    void *d = dbc_arena_alloc(a, n);
    if (d != NULL && n > 0)
        memcpy(d, p, n);
    return d;
}

char *dbc_arena_strndup(dbc_arena *a, const char *s, size_t n)
{
    char *p = dbc_arena_alloc(a, n + 1);
    if (p == NULL)
        return NULL;
    if (n > 0)
        memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *dbc_arena_strdup(dbc_arena *a, const char *s)
{
    return s == NULL ? NULL : dbc_arena_strndup(a, s, strlen(s));
}

void dbc_arena_reset(dbc_arena *a)
{
    dbc_arena_blk *keep = a->head;
    if (keep == NULL)
        return;
    while (keep->next != NULL)
        keep = keep->next;
    dbc_arena_blk *b = a->head;
    while (b != keep) {
        dbc_arena_blk *next = b->next;
        free(b);
        b = next;
    }
    a->head = keep;
    keep->used = 0;
    if (keep->cap > DBC_ARENA_BLOCK) { /* an oversized oldest block is not kept */
        free(keep);
        a->head = NULL;
    }
}

void dbc_arena_free(dbc_arena *a)
{
    dbc_arena_reset(a);
    free(a->head);
    a->head = NULL;
}

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
