/*
 * test_truncate.c - an archive cut short at every byte offset is reported as truncated
 * (DBF_ETRUNCATED; DBF_ECORRUPT is allowed only inside the 12-byte preamble), never as
 * success and never with a crash. The truncation error names the last complete table.
 */
#include "sample.h"

static int check_cuts(const t_buf *b, size_t from, size_t to, size_t stride, size_t max_read)
{
    int bad = 0;
    for (size_t cut = from; cut < to; cut += stride) {
        dbf_error e = {0, ""};
        int rc = t_read_all(b->p, cut, max_read, NULL, &e);
        int ok = rc == DBF_ETRUNCATED || (cut < 12 && rc == DBF_ECORRUPT);
        if (!ok) {
            if (bad < 10)
                fprintf(stderr, "cut at %zu of %zu: %s (%s)\n", cut, b->len, dbf_strerror(rc),
                        e.msg);
            bad++;
        }
    }
    return bad;
}

int main(void)
{
    dbf_error e = {0, ""};
    t_buf small = {0};
    REQUIRE_OK(sample_small(&small, 0, &e), &e);
    uint64_t rows = 0;
    REQUIRE_OK(t_read_all(small.p, small.len, 0, &rows, &e), &e);
    CHECK(rows == 5);
    /* every offset, whole-buffer reads and 3-byte reads */
    CHECK(check_cuts(&small, 0, small.len, 1, 0) == 0);
    CHECK(check_cuts(&small, 0, small.len, 1, 3) == 0);
    printf("small archive: %zu cut points checked twice\n", small.len);

    /* the message names the last complete table: cut just before the footer */
    int rc = t_read_all(small.p, small.len - 1, 0, NULL, &e);
    CHECK(rc == DBF_ETRUNCATED);
    CHECK(strstr(e.msg, "last complete table: items") != NULL);
    rc = t_read_all(small.p, 100, 0, NULL, &e);
    CHECK(rc == DBF_ETRUNCATED);
    CHECK(strstr(e.msg, "last complete table: none") != NULL);
    rc = t_read_all(small.p, 0, 0, NULL, &e);
    CHECK(rc == DBF_ETRUNCATED);

    /* a bigger archive with several chunks, a large value and its parts: every 397th offset
     * and every offset of the last 600 bytes (trailer, index, footer) */
    t_buf big = {0};
    REQUIRE_OK(sample_small(&big, 3 << 20, &e), &e);
    REQUIRE_OK(t_read_all(big.p, big.len, 0, &rows, &e), &e);
    CHECK(rows == 20005);
    CHECK(check_cuts(&big, 0, big.len, 397, 0) == 0);
    CHECK(check_cuts(&big, big.len - 600, big.len, 1, 0) == 0);
    printf("big archive: %zu bytes checked\n", big.len);
    free(small.p);
    free(big.p);
    return t_done("test_truncate");
}
