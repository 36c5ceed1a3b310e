/*
 * dbc_buf.c - the out-of-line parts of the growable string (dbc_buf.h).
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "dbc_buf.h"
#include "dbc_mem.h"

bool dbc_buf_grow(dbc_buf *b, size_t more)
{
    dbc_vec v = {b->p, b->len, b->cap};
    if (b->oom || more == SIZE_MAX || dbc_vec_reserve(&v, more + 1, 1) != 0) {
        b->oom = true;
        return false;
    }
    b->p = v.p;
    b->cap = v.cap;
    return true;
}

void dbc_buf_printf(dbc_buf *b, const char *fmt, ...)
{
    if (b->oom)
        return;
    size_t room = b->cap - b->len; /* 0 while p is NULL */
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    /* usually it fits: format in place */
    int n = vsnprintf(room > 0 ? b->p + b->len : NULL, room, fmt, ap);
    va_end(ap);
    if (n < 0) {
        if (room > 0)
            b->p[b->len] = '\0';
        b->oom = true;
    } else if ((size_t)n < room) {
        b->len += (size_t)n;
    } else {
        if (room > 0)
            b->p[b->len] = '\0'; /* drop the truncated part */
        if (dbc_buf_grow(b, (size_t)n)) {
            vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap2);
            b->len += (size_t)n;
        }
    }
    va_end(ap2);
}

void dbc_buf_reset(dbc_buf *b)
{
    b->len = 0;
    if (b->p != NULL)
        b->p[0] = '\0';
    b->oom = false;
}

char *dbc_buf_take(dbc_buf *b)
{
    if (b->p == NULL)
        dbc_buf_add(b, "", 0);
    char *p = b->oom ? NULL : b->p;
    if (p != NULL)
        b->p = NULL;
    dbc_buf_free(b);
    return p;
}

void dbc_buf_free(dbc_buf *b)
{
    free(b->p);
    b->p = NULL;
    b->len = b->cap = 0;
    b->oom = false;
}

void dbc_buf_ident(dbc_buf *b, const char *name, char q)
{
    size_t n = strlen(name);
    if (!dbc_buf_reserve(b, 2 * n + 2))
        return;
    char *p = b->p + b->len;
    *p++ = q;
    for (size_t i = 0; i < n; i++) {
        if (name[i] == q)
            *p++ = q;
        *p++ = name[i];
    }
    *p++ = q;
    *p = '\0';
    b->len = (size_t)(p - b->p);
}

char *dbc_quote_ident(const char *name, char q)
{
    dbc_buf b = {0};
    dbc_buf_ident(&b, name, q);
    return dbc_buf_take(&b);
}

void dbc_buf_hex(dbc_buf *b, const void *p, size_t n)
{
    static const char hx[] = "0123456789abcdef";
    const unsigned char *s = p;
    if (!dbc_buf_reserve(b, n > SIZE_MAX / 2 ? SIZE_MAX : 2 * n))
        return;
    char *o = b->p + b->len;
    for (size_t i = 0; i < n; i++) {
        *o++ = hx[s[i] >> 4];
        *o++ = hx[s[i] & 15];
    }
    *o = '\0';
    b->len += 2 * n;
}

int dbc_hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

