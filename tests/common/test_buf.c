/*
 * test_buf.c - dbc_buf (common/dbc_buf.h): appends, growth across many sizes, printf in
 * place and after growing, take and reset, and the oom latch (realloc failed on demand);
 * the hex text and hex digits; dbc_vec and dbf_arena (common/dbc_mem.h).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dbc_buf.h"
#include "dbc_mem.h"

static int failures;

#define CHECK(cond)                                                                            \
    do {                                                                                       \
        if (!(cond)) {                                                                         \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);           \
            failures++;                                                                        \
        }                                                                                      \
    } while (0)

/* Linked with -Wl,--wrap=realloc: fail_realloc makes the next reallocs fail. */
static int fail_realloc;
void *__real_realloc(void *p, size_t n);
void *__wrap_realloc(void *p, size_t n);
void *__wrap_realloc(void *p, size_t n)
{
    if (fail_realloc)
        return NULL;
    return __real_realloc(p, n);
}

static void test_appends(void)
{
    dbc_buf b = {0};
    dbc_buf_puts(&b, "abc");
    dbc_buf_putc(&b, '-');
    dbc_buf_add(&b, "x\0y", 3);
    CHECK(!b.oom && b.len == 7 && memcmp(b.p, "abc-x\0y", 8) == 0);
    dbc_buf_add(&b, "ignored", 0);
    CHECK(b.len == 7 && b.p[7] == '\0');

    /* growth: 10,000 one-byte and 1,000 variable appends, contents checked whole */
    dbc_buf g = {0};
    char want[60000];
    size_t n = 0;
    for (int i = 0; i < 10000; i++) {
        dbc_buf_putc(&g, (char)('a' + i % 26));
        want[n++] = (char)('a' + i % 26);
    }
    for (int i = 0; i < 1000; i++) {
        char piece[64];
        int k = snprintf(piece, sizeof piece, "%d:", i * 7919);
        dbc_buf_add(&g, piece, (size_t)k);
        memcpy(want + n, piece, (size_t)k);
        n += (size_t)k;
    }
    CHECK(!g.oom && g.len == n && memcmp(g.p, want, n) == 0 && g.p[n] == '\0');
    CHECK(g.cap > g.len);

    /* reserve then write directly */
    dbc_buf_reset(&b);
    CHECK(b.len == 0 && strcmp(b.p, "") == 0);
    CHECK(dbc_buf_reserve(&b, 1000));
    CHECK(b.cap >= 1001);
    memset(b.p, 'z', 1000);
    b.len = 1000;
    b.p[b.len] = '\0';
    CHECK(strlen(b.p) == 1000);
    dbc_buf_free(&b);
    dbc_buf_free(&g);
    CHECK(b.p == NULL && b.len == 0 && b.cap == 0 && !b.oom);
}

static void test_printf(void)
{
    dbc_buf b = {0};
    dbc_buf_printf(&b, "%d-%s", 42, "x"); /* from nothing */
    CHECK(!b.oom && strcmp(b.p, "42-x") == 0 && b.len == 4);
    dbc_buf_printf(&b, "%c", 'y'); /* in place */
    CHECK(strcmp(b.p, "42-xy") == 0 && b.len == 5);
    char big[5000];
    memset(big, 'q', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    dbc_buf_printf(&b, "[%s]", big); /* does not fit: grows and formats again */
    CHECK(!b.oom && b.len == 5 + 2 + 4999);
    CHECK(memcmp(b.p, "42-xy[qqq", 9) == 0 && b.p[b.len - 1] == ']' && b.p[b.len] == '\0');
    dbc_buf_free(&b);
}

static void test_take(void)
{
    dbc_buf b = {0};
    char *s = dbc_buf_take(&b); /* nothing appended: "" */
    CHECK(s != NULL && strcmp(s, "") == 0);
    free(s);
    dbc_buf_puts(&b, "hello");
    s = dbc_buf_take(&b);
    CHECK(s != NULL && strcmp(s, "hello") == 0);
    CHECK(b.p == NULL && b.len == 0 && b.cap == 0 && !b.oom);
    free(s);
}

static void test_oom(void)
{
    dbc_buf b = {0};
    dbc_buf_puts(&b, "keep");
    size_t cap = b.cap;
    fail_realloc = 1;
    char big[1000];
    memset(big, 'x', sizeof big);
    dbc_buf_add(&b, big, sizeof big); /* needs to grow: fails */
    CHECK(b.oom && b.len == 4 && strcmp(b.p, "keep") == 0);
    fail_realloc = 0;
    /* everything after the failure is dropped, even what would fit */
    dbc_buf_putc(&b, '!');
    dbc_buf_puts(&b, "more");
    dbc_buf_printf(&b, "%d", 7);
    CHECK(!dbc_buf_reserve(&b, 1));
    CHECK(b.oom && b.len == 4 && b.cap == cap && strcmp(b.p, "keep") == 0);
    CHECK(dbc_buf_take(&b) == NULL);
    CHECK(b.p == NULL && !b.oom);

    /* printf that must grow, failing */
    dbc_buf_puts(&b, "ab");
    fail_realloc = 1;
    dbc_buf_printf(&b, "%0500d", 1);
    fail_realloc = 0;
    CHECK(b.oom && b.len == 2 && strcmp(b.p, "ab") == 0);
    /* a request too large to allocate latches oom without allocating */
    dbc_buf_reset(&b);
    CHECK(!b.oom && b.len == 0);
    CHECK(!dbc_buf_reserve(&b, (size_t)-1) && b.oom);
    dbc_buf_free(&b);
}

static void test_hex(void)
{
    dbc_buf b = {0};
    dbc_buf_hex(&b, "", 0);
    CHECK(!b.oom && b.p && b.len == 0 && b.p[0] == '\0');
    dbc_buf_puts(&b, "X'");
    dbc_buf_hex(&b, "\x00\xff\x27\xa5\x10", 5);
    dbc_buf_putc(&b, '\'');
    CHECK(b.len == 13 && strcmp(b.p, "X'00ff27a510'") == 0);
    dbc_buf_hex(&b, "x", SIZE_MAX / 2 + 1); /* too large: oom, nothing read */
    CHECK(b.oom && strcmp(b.p, "X'00ff27a510'") == 0);
    dbc_buf_free(&b);
    const char *digits = "0123456789abcdefABCDEF";
    for (int i = 0; i < 22; i++)
        CHECK(dbc_hexval(digits[i]) == (i < 16 ? i : i - 6));
    CHECK(dbc_hexval('g') == -1 && dbc_hexval('/') == -1 && dbc_hexval(':') == -1);
    CHECK(dbc_hexval('@') == -1 && dbc_hexval('G') == -1 && dbc_hexval('`') == -1);
    CHECK(dbc_hexval(0) == -1 && dbc_hexval(0xe0) == -1 && dbc_hexval(-32) == -1);
}

static void test_vec(void)
{
    dbc_vec v = {0};
    for (int i = 0; i < 1000; i++) {
        int *e = dbc_vec_push(&v, sizeof *e);
        CHECK(e != NULL && *e == 0); /* zeroed */
        if (e)
            *e = i * 3;
    }
    const int *p = v.p;
    int ok = v.n == 1000 && v.cap >= 1000 && v.cap < 2000;
    for (int i = 0; ok && i < 1000; i++)
        ok = p[i] == i * 3;
    CHECK(ok);
    CHECK(dbc_vec_reserve(&v, 24, sizeof(int)) == 0 && v.cap == 1024); /* fits: no growth */
    CHECK(dbc_vec_reserve(&v, 25, sizeof(int)) == 0 && v.cap == 2048);
    /* out of memory: nothing changes */
    dbc_vec w = {0};
    CHECK(dbc_vec_push(&w, 8) != NULL && w.cap == 16);
    w.n = w.cap;
    fail_realloc = 1;
    CHECK(dbc_vec_push(&w, 8) == NULL && w.n == 16 && w.cap == 16 && w.p != NULL);
    fail_realloc = 0;
    CHECK(dbc_vec_reserve(&w, SIZE_MAX / 4, 8) == -1 && w.cap == 16);
    /* a vector of pointers */
    dbc_vec pv = {0};
    CHECK(dbc_vec_push_ptr(&pv, "a") == 0 && dbc_vec_push_ptr(&pv, NULL) == 0 && pv.n == 2);
    CHECK(strcmp(((const char **)pv.p)[0], "a") == 0 && ((const char **)pv.p)[1] == NULL);
    pv.n = pv.cap;
    fail_realloc = 1;
    CHECK(dbc_vec_push_ptr(&pv, "b") == -1 && pv.n == 16);
    fail_realloc = 0;
    dbc_vec_free(&pv);
    dbc_vec_free(&v);
    dbc_vec_free(&w);
    CHECK(v.p == NULL && v.n == 0 && v.cap == 0);
}

static void test_arena(void)
{
    dbf_arena a = {0};
    char *first = dbf_arena_strdup(&a, "first");
    CHECK(first != NULL && strcmp(first, "first") == 0);
    CHECK(dbf_arena_strdup(&a, NULL) == NULL);
    char *part = dbf_arena_strndup(&a, "abcdef", 3);
    CHECK(part != NULL && strcmp(part, "abc") == 0);
    /* every allocation aligned for any type, and apart from the others */
    char *prev = NULL;
    int ok = 1;
    for (size_t i = 0; i < 5000 && ok; i++) {
        char *p = dbf_arena_alloc(&a, i % 37);
        ok = p != NULL && (uintptr_t)p % _Alignof(max_align_t) == 0 && p != prev;
        if (ok)
            memset(p, 'x', i % 37);
        prev = p;
    }
    CHECK(ok);
    /* a large one gets its own block: the current block keeps serving small ones */
    char *big = dbf_arena_alloc(&a, 200000);
    CHECK(big != NULL);
    if (big)
        memset(big, 'b', 200000);
    int *z = dbf_arena_calloc(&a, 100, sizeof *z);
    ok = z != NULL;
    for (size_t i = 0; ok && i < 100; i++)
        ok = z[i] == 0;
    CHECK(ok);
    CHECK(dbf_arena_calloc(&a, SIZE_MAX / 2, 4) == NULL);
    CHECK(dbf_arena_alloc(&a, SIZE_MAX - 8) == NULL);
    const double d[3] = {1.5, 2.5, 3.5};
    double *dd = dbf_arena_memdup(&a, d, sizeof d);
    CHECK(dd != NULL && dd[0] == 1.5 && dd[2] == 3.5);
    CHECK(strcmp(first, "first") == 0 && strcmp(part, "abc") == 0);
    /* reset: the arena is usable again, keeping one block */
    dbf_arena_reset(&a);
    CHECK(a.head != NULL);
    char *again = dbf_arena_strdup(&a, "again");
    CHECK(again != NULL && strcmp(again, "again") == 0);
    dbf_arena_free(&a);
    CHECK(a.head == NULL);
    dbf_arena_reset(&a); /* empty: nothing to do */
    CHECK(dbf_arena_alloc(&a, 300000) != NULL); /* an oversized first block is not kept */
    dbf_arena_reset(&a);
    CHECK(a.head == NULL);
    dbf_arena_free(&a);
}

int main(void)
{
    test_appends();
    test_printf();
    test_take();
    test_oom();
    test_hex();
    test_vec();
    test_arena();
    if (failures) {
        fprintf(stderr, "test_buf: %d check(s) failed\n", failures);
        return 1;
    }
    printf("test_buf: all checks passed\n");
    return 0;
}
