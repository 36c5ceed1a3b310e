/*
 * fuzz_reader.c - libFuzzer target for the archive reader: any input must end in a clean
 * result (DBF_OK at DBF_MSG_END, or a negative DBF_E* code), never a crash, a leak, an
 * out-of-bounds access or an unbounded allocation.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <stdio.h>
#include <stdlib.h>

#include "dbf.h"
#include "fuzz_chunks.h"

/*
 * Two modes, chosen by the first byte:
 * - even: the input is an archive, read as is;
 * - odd: the rest is the uncompressed content of chunks separated by the two bytes C1 C1
 *   (never valid MessagePack); the harness adds the preamble and compresses each chunk into
 *   a valid frame, so that mutations reach message decoding instead of failing the zstd
 *   checksum.
 * With FUZZ_VERBOSE set in the environment, each input's result is printed to stderr.
 */

typedef struct src {
    const uint8_t *p;
    size_t len, pos, step;
} src;

static int src_read(void *ctx, void *buf, size_t cap, size_t *out_len)
{
    src *s = ctx;
    size_t n = s->len - s->pos;
    if (n > cap)
        n = cap;
    if (n > s->step)
        n = s->step;
    memcpy(buf, s->p + s->pos, n);
    s->pos += n;
    *out_len = n;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run(const uint8_t *data, size_t size)
{
    /* read sizes vary with the input so that buffer refills happen at many places */
    src s = {data, size, 0, size > 0 ? 1 + (size_t)data[size - 1] * 61 : 1};
    dbf_reader_opts ro = DBF_READER_OPTS_INIT;
    ro.read = src_read;
    ro.ctx = &s;
    ro.max_value = 64u << 20;
    dbf_reader *r = NULL;
    dbf_error err;
    int rc = dbf_reader_create(&r, &ro, &err);
    uint64_t sum = 0;
    while (rc == 0) {
        dbf_msg m;
        rc = dbf_reader_next(r, &m, &err);
        if (rc != 0 || m.kind == DBF_MSG_END)
            break;
        if (m.kind == DBF_MSG_ROW) {
            /* touch every value so that sanitizers see bad pointers */
            for (size_t i = 0; i < m.nvalues; i++) {
                const dbf_value *v = &m.values[i];
                if ((v->kind == DBF_V_STR || v->kind == DBF_V_BIN) && v->u.s.len > 0)
                    sum += (uint8_t)v->u.s.ptr[0] + (uint8_t)v->u.s.ptr[v->u.s.len - 1];
                if (v->kind == DBF_V_ARRAY)
                    for (size_t k = 0; k < v->u.arr.nelems; k++)
                        sum += (unsigned)v->u.arr.elems[k].kind;
            }
        }
        if (m.kind == DBF_MSG_TABLE)
            sum += m.table->ncolumns + (m.table->name ? strlen(m.table->name) : 0);
    }
    if (getenv("FUZZ_VERBOSE") != NULL)
        fprintf(stderr, "%s: %s\n", dbf_strerror(rc), rc != 0 ? err.msg : "");
    if (r != NULL && dbf_reader_header(r) != NULL && dbf_reader_header(r)->producer != NULL)
        sum += strlen(dbf_reader_header(r)->producer);
    dbf_reader_free(r);
    return sum == 0xffffffffffffffffull; /* keep sum alive; always 0 in practice */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0 || (data[0] & 1) == 0)
        return run(data + (size > 0), size - (size > 0));
    size_t len = 0;
    uint8_t *archive = fuzz_wrap_chunks(data + 1, size - 1, &len);
    if (archive != NULL)
        run(archive, len);
    free(archive);
    return 0;
}
