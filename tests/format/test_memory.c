/*
 * test_memory.c - memory stays bounded: a table of 200 MB (uncompressed) plus an 8 MiB value
 * is written to a file and read back, each in its own child process; the growth of each
 * child's peak RSS (getrusage) must stay under a fixed bound, whatever the table size.
 */
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tutil.h"

#define TARGET_BYTES (200ull << 20)
#define BIG_VALUE (8u << 20)
#define BOUND_KB (32 * 1024) /* 32 MiB: fixed buffers + zstd contexts + one 8 MiB value */

static long maxrss_kb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

static int fd_write(void *ctx, const void *buf, size_t len)
{
    int fd = *(int *)ctx;
    const char *p = buf;
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n <= 0)
            return DBF_EIO;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

static int fd_read(void *ctx, void *buf, size_t cap, size_t *out_len)
{
    ssize_t n = read(*(int *)ctx, buf, cap);
    if (n < 0)
        return DBF_EIO;
    *out_len = (size_t)n;
    return 0;
}

static const dbf_column cols[] = {
    {.name = "id", .type = DBF_T_INT, .length = -1, .precision = -1, .scale = -1},
    {.name = "txt", .type = DBF_T_TEXT, .length = -1, .precision = -1, .scale = -1},
    {.name = "f", .type = DBF_T_FLOAT64, .length = -1, .precision = -1, .scale = -1},
    {.name = "b", .type = DBF_T_BYTES, .length = -1, .precision = -1, .scale = -1},
};
static const dbf_table table = {.id = 1, .name = "big", .columns = cols, .ncolumns = 4,
                                .row_estimate = -1};

static int child_write(const char *path, uint64_t *rows_out)
{
    dbf_error e = {0, ""};
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    REQUIRE(fd >= 0);
    long base = maxrss_kb();
    dbf_writer_opts wo = DBF_WRITER_OPTS_INIT;
    wo.write = fd_write;
    wo.ctx = &fd;
    dbf_writer *w = NULL;
    dbf_header h = {.producer = "test_memory"};
    REQUIRE_OK(dbf_writer_create(&w, &wo, &e), &e);
    REQUIRE_OK(dbf_writer_header(w, &h, &e), &e);
    REQUIRE_OK(dbf_writer_table(w, &table, &e), &e);
    REQUIRE_OK(dbf_writer_data_begin(w, 1, &e), &e);
    char txt[96];
    unsigned char *big = malloc(BIG_VALUE);
    REQUIRE(big != NULL);
    for (size_t i = 0; i < BIG_VALUE; i++)
        big[i] = (unsigned char)(i ^ (i >> 8));
    uint64_t rows = 0, x = 88172645463325252ull;
    while (dbf_writer_bytes_in(w) < TARGET_BYTES) {
        for (size_t i = 0; i < sizeof(txt); i++) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            txt[i] = (char)('a' + (x % 16)); /* 4 bits of entropy per byte */
        }
        dbf_value v[4] = {
            {.kind = DBF_V_INT, .u.i = (int64_t)rows},
            {.kind = DBF_V_STR, .u.s = {txt, sizeof(txt)}},
            {.kind = DBF_V_F64, .u.f64 = (double)rows / 3.0},
            {.kind = DBF_V_BIN, .u.s = {(const char *)big, rows == 1000 ? BIG_VALUE : 16}},
        };
        REQUIRE_OK(dbf_writer_row(w, 1, v, 4, &e), &e);
        rows++;
    }
    REQUIRE_OK(dbf_writer_data_end(w, 1, &e), &e);
    REQUIRE_OK(dbf_writer_finish(w, &e), &e);
    printf("writer: %llu rows, %llu bytes in, %llu bytes out\n", (unsigned long long)rows,
           (unsigned long long)dbf_writer_bytes_in(w),
           (unsigned long long)dbf_writer_bytes_out(w));
    dbf_writer_free(w);
    free(big);
    close(fd);
    long growth = maxrss_kb() - base;
    printf("writer: peak RSS growth %ld KiB (bound %d KiB; includes the caller's 8 MiB value)\n",
           growth, BOUND_KB);
    *rows_out = rows;
    return growth < BOUND_KB ? 0 : 1;
}

static int child_read(const char *path, uint64_t want_rows)
{
    dbf_error e = {0, ""};
    int fd = open(path, O_RDONLY);
    REQUIRE(fd >= 0);
    long base = maxrss_kb();
    dbf_reader_opts ro = DBF_READER_OPTS_INIT;
    ro.read = fd_read;
    ro.ctx = &fd;
    dbf_reader *r = NULL;
    REQUIRE_OK(dbf_reader_create(&r, &ro, &e), &e);
    uint64_t rows = 0, bigs = 0;
    for (;;) {
        dbf_msg m;
        REQUIRE_OK(dbf_reader_next(r, &m, &e), &e);
        if (m.kind == DBF_MSG_END)
            break;
        if (m.kind == DBF_MSG_ROW) {
            if (m.values[0].u.i != (int64_t)rows)
                return 1;
            if (m.values[3].u.s.len == BIG_VALUE)
                bigs++;
            rows++;
        }
    }
    dbf_reader_free(r);
    close(fd);
    long growth = maxrss_kb() - base;
    printf("reader: %llu rows, peak RSS growth %ld KiB (bound %d KiB)\n",
           (unsigned long long)rows, growth, BOUND_KB);
    return rows == want_rows && bigs == 1 && growth < BOUND_KB ? 0 : 1;
}

int main(void)
{
    char path[] = "/tmp/dbf-test-memory-XXXXXX";
    int fd = mkstemp(path);
    REQUIRE(fd >= 0);
    close(fd);
    int pipefd[2];
    REQUIRE(pipe(pipefd) == 0);
    fflush(stdout);
    pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        uint64_t rows = 0;
        int rc = child_write(path, &rows);
        fflush(stdout);
        REQUIRE(write(pipefd[1], &rows, sizeof(rows)) == (ssize_t)sizeof(rows));
        _exit(rc);
    }
    int st = 0;
    waitpid(pid, &st, 0);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    uint64_t rows = 0;
    REQUIRE(read(pipefd[0], &rows, sizeof(rows)) == (ssize_t)sizeof(rows));
    CHECK(rows > 1000000);
    pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        int rc = child_read(path, rows);
        fflush(stdout);
        _exit(rc);
    }
    waitpid(pid, &st, 0);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    unlink(path);
    return t_done("test_memory");
}
