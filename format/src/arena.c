/*
 * arena.c - the arena (dbf.h): bump allocation in blocks, freed at once.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dbf.h"

#define DBF_ARENA_BLOCK ((size_t)64 * 1024)

struct dbf_arena_blk {
    dbf_arena_blk *next; /* older block */
    size_t used, cap;    /* bytes of data */
    max_align_t data[];  /* cap bytes */
};

void *dbf_arena_alloc(dbf_arena *a, size_t n)
{
    const size_t al = _Alignof(max_align_t);
    if (n > SIZE_MAX - sizeof(dbf_arena_blk) - al)
        return NULL;
    n = n == 0 ? al : (n + al - 1) / al * al;
    dbf_arena_blk *h = a->head;
    if (h != NULL && h->cap - h->used >= n) {
        void *p = (char *)h->data + h->used;
        h->used += n;
        return p;
    }
    size_t cap = n > DBF_ARENA_BLOCK ? n : DBF_ARENA_BLOCK;
    dbf_arena_blk *b = malloc(sizeof(*b) + cap);
    if (b == NULL)
        return NULL;
    b->used = n;
    b->cap = cap;
    if (h != NULL && n > DBF_ARENA_BLOCK) {
        /* an oversized block goes behind the current one, whose free space stays usable */
        b->next = h->next;
        h->next = b;
    } else {
        b->next = h;
        a->head = b;
    }
    return b->data;
}

void *dbf_arena_calloc(dbf_arena *a, size_t n, size_t size)
{
    if (size != 0 && n > SIZE_MAX / size)
        return NULL;
    void *p = dbf_arena_alloc(a, n * size);
    if (p != NULL)
        memset(p, 0, n * size);
    return p;
}

void *dbf_arena_memdup(dbf_arena *a, const void *p, size_t n)
{
    void *d = dbf_arena_alloc(a, n);
    if (d != NULL && n > 0)
        memcpy(d, p, n);
    return d;
}

char *dbf_arena_strndup(dbf_arena *a, const char *s, size_t n)
{
    char *p = dbf_arena_alloc(a, n + 1);
    if (p == NULL)
        return NULL;
    if (n > 0)
        memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *dbf_arena_strdup(dbf_arena *a, const char *s)
{
    return s == NULL ? NULL : dbf_arena_strndup(a, s, strlen(s));
}

void dbf_arena_reset(dbf_arena *a)
{
    dbf_arena_blk *keep = a->head;
    if (keep == NULL)
        return;
    while (keep->next != NULL)
        keep = keep->next;
    dbf_arena_blk *b = a->head;
    while (b != keep) {
        dbf_arena_blk *next = b->next;
        free(b);
        b = next;
    }
    a->head = keep;
    keep->used = 0;
    if (keep->cap > DBF_ARENA_BLOCK) { /* an oversized oldest block is not kept */
        free(keep);
        a->head = NULL;
    }
}

void dbf_arena_free(dbf_arena *a)
{
    dbf_arena_reset(a);
    free(a->head);
    a->head = NULL;
}
