/*
 * fuzz_check.c - libFuzzer target for `dbrestore --check -i FILE`: the input is written to a
 * temporary file and read end to end by dbr_run (restore/restore.c) with check = true, quiet.
 * Any return code is fine; a crash, a sanitizer report or a leak is not. Its corpus is
 * corpus-check/. Two kinds of input:
 * - starting with the archive magic (89 'DBD' 0D 0A 1A 0A): a raw archive, written as is;
 * - anything else: the first byte is skipped and the rest is the *uncompressed* content of
 *   chunks separated by C1 C1, as in fuzz_reader's odd mode (its *.chunks seeds work here);
 *   the harness adds the preamble and compresses each chunk into a valid zstd frame, so that
 *   mutations reach the restore pump instead of failing a zstd checksum.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dbr.h"
#include "fuzz_chunks.h"

#define MAGIC "\x89" "DBD\r\n\x1a\n"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char tmp_path[64];
static int tmp_fd = -1;

static void remove_tmp(void)
{
    if (tmp_fd >= 0) {
        close(tmp_fd);
        unlink(tmp_path);
        tmp_fd = -1;
    }
}

/* One temporary file per process, rewritten for each input. */
static int write_input(const uint8_t *data, size_t size)
{
    if (tmp_fd < 0) {
        const char *dir = getenv("TMPDIR");
        snprintf(tmp_path, sizeof(tmp_path), "%s/fuzz_check.XXXXXX",
                 dir != NULL && strlen(dir) < 40 ? dir : "/tmp");
        tmp_fd = mkstemp(tmp_path);
        if (tmp_fd < 0)
            return -1;
        atexit(remove_tmp);
    }
    if (ftruncate(tmp_fd, 0) != 0)
        return -1;
    size_t off = 0;
    while (off < size) {
        ssize_t n = pwrite(tmp_fd, data + off, size - off, (off_t)off);
        if (n <= 0)
            return -1;
        off += (size_t)n;
    }
    return 0;
}

static int check(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size >= 8 && memcmp(data, MAGIC, 8) == 0)
        return check(data, size);
    size_t len = 0;
    uint8_t *archive = fuzz_wrap_chunks(data + (size > 0), size - (size > 0), &len);
    if (archive != NULL)
        check(archive, len);
    free(archive);
    return 0;
}

static int check(const uint8_t *data, size_t size)
{
    if (write_input(data, size) != 0) {
        perror("fuzz_check: temporary file");
        abort();
    }
    dbc_verbosity = getenv("FUZZ_VERBOSE") != NULL ? 1 : 0;
    dbe_restore_opts o;
    memset(&o, 0, sizeof(o));
    o.input = tmp_path;
    o.check = true;
    o.verbosity = dbc_verbosity;
    o.progress = -1;
    dbf_error err;
    memset(&err, 0, sizeof(err));
    int rc = dbr_run(&o, &err);
    if (getenv("FUZZ_VERBOSE") != NULL)
        fprintf(stderr, "%s: %s\n", dbc_strerror(rc), rc != 0 ? err.msg : "");
    return 0;
}
