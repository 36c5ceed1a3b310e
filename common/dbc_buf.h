/*
 * dbc_buf.h - a growable NUL-terminated byte string, shared by dbdump and dbrestore, and
 * the text forms every engine writes the same way (identifiers, hex); values: dbc_text.h.
 *
 * Zero-initialise (dbc_buf b = {0}) and append. An allocation failure sets `oom` and
 * drops everything appended after it; check `oom` once at the end. The appends that run
 * in the row loops (reserve, add, putc) are inline here; the rest is in dbc_buf.c.
 */
#ifndef DBC_BUF_H
#define DBC_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct dbc_buf {
    char *p;    /* NUL-terminated when non-NULL */
    size_t len; /* bytes before the NUL */
    size_t cap; /* bytes allocated (> len when p is non-NULL, else 0) */
    bool oom;   /* an allocation failed: everything after is dropped */
} dbc_buf;

/** The slow path of dbc_buf_reserve: grow p to hold more bytes and the NUL.
 *  @return false when oom (set now or before). */
bool dbc_buf_grow(dbc_buf *b, size_t more);

/** Make room for `more` bytes after len (and the NUL); b->p + b->len may then be
 *  written directly (keep the NUL after the new len).
 *  @return false when oom: nothing may be written. */
static inline bool dbc_buf_reserve(dbc_buf *b, size_t more)
{
    if (!b->oom && more < b->cap - b->len)
        return true;
    return dbc_buf_grow(b, more);
}

/** Append n bytes of s (which may hold NULs). */
static inline void dbc_buf_add(dbc_buf *b, const char *s, size_t n)
{
    if (!dbc_buf_reserve(b, n))
        return;
    if (n > 0)
        memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

static inline void dbc_buf_puts(dbc_buf *b, const char *s)
{
    dbc_buf_add(b, s, strlen(s));
}

static inline void dbc_buf_putc(dbc_buf *b, char c)
{
    if (!dbc_buf_reserve(b, 1))
        return;
    b->p[b->len++] = c;
    b->p[b->len] = '\0';
}

void dbc_buf_printf(dbc_buf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/** Append name as a quoted identifier: quote character q around it, each q inside doubled
 *  ('"' for SQLite and PostgreSQL, '`' for MySQL). */
void dbc_buf_ident(dbc_buf *b, const char *name, char q);
/** @return name quoted as by dbc_buf_ident, malloc'd (the caller frees it), NULL when out
 *  of memory. */
char *dbc_quote_ident(const char *name, char q);

/** Append the n bytes at p as lowercase hex, two digits a byte. */
void dbc_buf_hex(dbc_buf *b, const void *p, size_t n);
/** @return the value of hex digit c (either case), or -1 when c is not one. */
int dbc_hexval(int c);


/** Empty b, keeping its allocation, and clear oom. */
void dbc_buf_reset(dbc_buf *b);

/** @return the text (the caller frees it; "" when nothing was appended), or NULL when an
 *  allocation failed. b is left empty, as after dbc_buf_free. */
char *dbc_buf_take(dbc_buf *b);

/** Free the text and empty b (oom cleared). */
void dbc_buf_free(dbc_buf *b);

#ifdef __cplusplus
}
#endif

#endif /* DBC_BUF_H */
