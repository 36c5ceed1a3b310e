/*
 * test_oom.c - every allocation of the library fails in turn (malloc, calloc and realloc are
 * wrapped at link time, -Wl,--wrap): writing and reading a sample archive must then end in
 * DBF_ENOMEM (or succeed), never crash, never leak (run it under ASan), never report another
 * error. Allocations made inside zstd and msgpack-c are not counted.
 */
#include "sample.h"

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t m);
void *__real_realloc(void *p, size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t m);
void *__wrap_realloc(void *p, size_t n);

static int active;
static long countdown;
static int hit;

static int should_fail(void)
{
    if (!active)
        return 0;
    if (countdown-- == 0) {
        hit = 1;
        return 1;
    }
    return 0;
}

void *__wrap_malloc(size_t n)
{
    return should_fail() ? NULL : __real_malloc(n);
}

void *__wrap_calloc(size_t n, size_t m)
{
    return should_fail() ? NULL : __real_calloc(n, m);
}

void *__wrap_realloc(void *p, size_t n)
{
    return should_fail() ? NULL : __real_realloc(p, n);
}

int main(void)
{
    int runs = 0, bad = 0;
    for (long n = 0;; n++) {
        dbf_error e = {0, ""};
        t_buf b = {0};
        countdown = n;
        hit = 0;
        active = 1;
        int rc = sample_small(&b, 2 << 20, &e);
        if (rc == 0)
            rc = t_read_all(b.p, b.len, 0, NULL, &e);
        active = 0;
        free(b.p);
        runs++;
        if (rc != 0 && rc != DBF_ENOMEM) {
            if (bad < 10)
                fprintf(stderr, "allocation %ld failing: %s (%s)\n", n, dbf_strerror(rc), e.msg);
            bad++;
        }
        if (!hit) {
            CHECK(rc == 0);
            break;
        }
        if (rc == 0 && hit) {
            /* a failed allocation the library recovered from is fine only if the result is
             * complete: t_read_all returned 0 after DBF_MSG_END */
        }
    }
    CHECK(bad == 0);
    printf("%d runs, one per allocation\n", runs);
    return t_done("test_oom");
}
