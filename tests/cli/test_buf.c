/*
 * test_buf.c - dbc_buf (common/dbc_buf.h): appends, growth across many sizes, printf in
 * place and after growing, take and reset, and the oom latch (realloc failed on demand).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dbc_buf.h"

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

int main(void)
{
    test_appends();
    test_printf();
    test_take();
    test_oom();
    if (failures) {
        fprintf(stderr, "test_buf: %d check(s) failed\n", failures);
        return 1;
    }
    printf("test_buf: all checks passed\n");
    return 0;
}
