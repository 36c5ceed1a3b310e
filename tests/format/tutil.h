/*
 * tutil.h - tiny test helpers for the format unit tests: checks, memory sinks and sources.
 */
#ifndef TUTIL_H
#define TUTIL_H

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dbf.h"

static int t_failures;

#define CHECK(cond)                                                                        \
    do {                                                                                   \
        if (!(cond)) {                                                                     \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);       \
            t_failures++;                                                                  \
        }                                                                                  \
    } while (0)

#define CHECK_RC(expr, want)                                                               \
    do {                                                                                   \
        dbf_error e_ = {0, ""};                                                            \
        int rc_ = (expr);                                                                  \
        (void)e_;                                                                          \
        if (rc_ != (want)) {                                                               \
            fprintf(stderr, "%s:%d: %s returned %s, want %s\n", __FILE__, __LINE__, #expr, \
                    dbf_strerror(rc_), dbf_strerror(want));                                \
            t_failures++;                                                                  \
        }                                                                                  \
    } while (0)

/* fail hard: the rest of the test cannot run */
#define REQUIRE(cond)                                                                      \
    do {                                                                                   \
        if (!(cond)) {                                                                     \
            fprintf(stderr, "%s:%d: REQUIRE failed: %s\n", __FILE__, __LINE__, #cond);     \
            exit(1);                                                                       \
        }                                                                                  \
    } while (0)

#define REQUIRE_OK(expr, errp)                                                             \
    do {                                                                                   \
        int rc_ = (expr);                                                                  \
        if (rc_ != 0) {                                                                    \
            fprintf(stderr, "%s:%d: %s failed: %s: %s\n", __FILE__, __LINE__, #expr,       \
                    dbf_strerror(rc_), (errp)->msg);                                       \
            exit(1);                                                                       \
        }                                                                                  \
    } while (0)

static inline int t_done(const char *name)
{
    if (t_failures > 0) {
        fprintf(stderr, "%s: %d check(s) failed\n", name, t_failures);
        return 1;
    }
    printf("%s: ok\n", name);
    return 0;
}

/* ------------------------------------------------------------- memory sink */

typedef struct t_buf {
    unsigned char *p;
    size_t len, cap;
} t_buf;

static inline int t_buf_write(void *ctx, const void *buf, size_t len)
{
    t_buf *b = ctx;
    if (b->len + len > b->cap) {
        size_t ncap = b->cap ? b->cap : 4096;
        while (ncap < b->len + len)
            ncap *= 2;
        unsigned char *np = realloc(b->p, ncap);
        if (np == NULL)
            return DBF_ENOMEM;
        b->p = np;
        b->cap = ncap;
    }
    memcpy(b->p + b->len, buf, len);
    b->len += len;
    return 0;
}

/* ----------------------------------------------------------- memory source */

typedef struct t_src {
    const unsigned char *p;
    size_t len, pos;
    size_t max_read; /* 0 = as much as asked */
} t_src;

static inline int t_src_read(void *ctx, void *buf, size_t cap, size_t *out_len)
{
    t_src *s = ctx;
    size_t n = s->len - s->pos;
    if (n > cap)
        n = cap;
    if (s->max_read > 0 && n > s->max_read)
        n = s->max_read;
    if (n > 0)
        memcpy(buf, s->p + s->pos, n);
    s->pos += n;
    *out_len = n;
    return 0;
}

/*
 * Read a whole archive; returns the first non-zero code (0 when it reached DBF_MSG_END).
 * *rows gets the number of rows seen. err gets the error.
 */
/* A reader over src (rewound); exits on failure. */
static inline dbf_reader *t_reader(t_src *src)
{
    dbf_error e = {0, ""};
    dbf_reader_opts ro = DBF_READER_OPTS_INIT;
    ro.read = t_src_read;
    ro.ctx = src;
    dbf_reader *r = NULL;
    REQUIRE_OK(dbf_reader_create(&r, &ro, &e), &e);
    return r;
}

/* The whole file DIR/NAME into buf (at most cap bytes, not empty); exits on failure. */
static inline size_t t_file(const char *dir, const char *name, unsigned char *buf, size_t cap)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s%s", dir, name);
    FILE *f = fopen(path, "rb");
    REQUIRE(f != NULL);
    size_t len = fread(buf, 1, cap, f);
    fclose(f);
    REQUIRE(len > 0 && len < cap);
    return len;
}

static inline int t_read_all(const unsigned char *p, size_t len, size_t max_read, uint64_t *rows,
                      dbf_error *err)
{
    t_src src = {p, len, 0, max_read};
    dbf_reader_opts ro = DBF_READER_OPTS_INIT;
    ro.read = t_src_read;
    ro.ctx = &src;
    dbf_reader *r = NULL;
    uint64_t n = 0;
    int rc = dbf_reader_create(&r, &ro, err);
    while (rc == 0) {
        dbf_msg m;
        rc = dbf_reader_next(r, &m, err);
        if (rc == 0 && m.kind == DBF_MSG_ROW)
            n++;
        if (rc == 0 && m.kind == DBF_MSG_END)
            break;
    }
    dbf_reader_free(r);
    if (rows != NULL)
        *rows = n;
    return rc;
}

#endif /* TUTIL_H */
