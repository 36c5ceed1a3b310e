/*
 * test_unknown.c - an archive built here by hand (msgpack-c + zstd + xxhash, following
 * spec/FORMAT.md, not libdbf's writer) with a future minor version, unknown message kinds,
 * unknown map keys everywhere, an unknown object kind and an unknown column type. The reader
 * must skip what it does not know and deliver the rest exactly.
 */
#include <msgpack.h>
#include <xxhash.h>
#include <zstd.h>

#include "tutil.h"

static msgpack_sbuffer sb; /* chunk content being built */
static msgpack_packer pk;

static void key(const char *k)
{
    msgpack_pack_str_with_body(&pk, k, strlen(k));
}

static void str(const char *s)
{
    msgpack_pack_str_with_body(&pk, s, strlen(s));
}

static void frame(t_buf *out, const void *p, size_t n)
{
    ZSTD_CCtx *c = ZSTD_createCCtx();
    ZSTD_CCtx_setParameter(c, ZSTD_c_checksumFlag, 1);
    ZSTD_CCtx_setParameter(c, ZSTD_c_contentSizeFlag, 1);
    size_t cap = ZSTD_compressBound(n);
    void *z = malloc(cap);
    size_t zn = ZSTD_compress2(c, z, cap, p, n);
    REQUIRE(!ZSTD_isError(zn));
    t_buf_write(out, z, zn);
    free(z);
    ZSTD_freeCCtx(c);
}

/* canonical row packing for the digest, done independently */
static void digest_row(uint64_t *lo, uint64_t *hi, int64_t a, const char *b, int64_t c)
{
    msgpack_sbuffer s;
    msgpack_sbuffer_init(&s);
    msgpack_packer p;
    msgpack_packer_init(&p, &s, msgpack_sbuffer_write);
    msgpack_pack_array(&p, 3);
    msgpack_pack_int64(&p, a);
    if (b)
        msgpack_pack_str_with_body(&p, b, strlen(b));
    else
        msgpack_pack_nil(&p);
    msgpack_pack_int64(&p, c);
    XXH128_hash_t h = XXH3_128bits(s.data, s.size);
    *lo += h.low64;
    *hi += h.high64;
    msgpack_sbuffer_destroy(&s);
}

int main(void)
{
    dbf_error e = {0, ""};
    t_buf out = {0};
    static const unsigned char pre[12] = {0x89, 'D', 'B', 'D', '\r', '\n', 0x1a, '\n', 1, 7, 0, 0};
    t_buf_write(&out, pre, 12);

    msgpack_sbuffer_init(&sb);
    msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
    /* HEADER with an unknown key */
    msgpack_pack_array(&pk, 2);
    msgpack_pack_int(&pk, 1);
    msgpack_pack_map(&pk, 3);
    key("format");
    msgpack_pack_array(&pk, 2);
    msgpack_pack_int(&pk, 1);
    msgpack_pack_int(&pk, 7);
    key("x_future");
    msgpack_pack_map(&pk, 1);
    key("a");
    msgpack_pack_array(&pk, 0);
    key("producer");
    str("hand");
    /* unknown kinds: a map body and a non-map body */
    msgpack_pack_array(&pk, 2);
    msgpack_pack_int(&pk, 42);
    msgpack_pack_map(&pk, 1);
    key("whatever");
    msgpack_pack_array(&pk, 3);
    msgpack_pack_int(&pk, 1);
    msgpack_pack_int(&pk, 2);
    msgpack_pack_nil(&pk);
    msgpack_pack_array(&pk, 2);
    msgpack_pack_int(&pk, 1000);
    str("not a map");
    /* TABLE with unknown keys at table and column level and an unknown column type */
    msgpack_pack_array(&pk, 2);
    msgpack_pack_int(&pk, 2);
    msgpack_pack_map(&pk, 4);
    key("id");
    msgpack_pack_int(&pk, 5);
    key("x_tab");
    msgpack_pack_double(&pk, 1.5);
    key("name");
    str("t");
    key("columns");
    msgpack_pack_array(&pk, 3);
    msgpack_pack_map(&pk, 3);
    key("name");
    str("a");
    key("x_col");
    msgpack_pack_true(&pk);
    key("type");
    str("int");
    msgpack_pack_map(&pk, 2);
    key("name");
    str("b");
    key("type");
    str("text");
    msgpack_pack_map(&pk, 2);
    key("name");
    str("c");
    key("type");
    str("hyperloglog");
    /* OBJECT of an unknown kind (skipped), then a known one with an unknown key */
    msgpack_pack_array(&pk, 2);
    msgpack_pack_int(&pk, 3);
    msgpack_pack_map(&pk, 3);
    key("kind");
    str("policy");
    key("section");
    str("pre");
    key("name");
    str("p");
    msgpack_pack_array(&pk, 2);
    msgpack_pack_int(&pk, 3);
    msgpack_pack_map(&pk, 4);
    key("kind");
    str("view");
    key("section");
    str("pre");
    key("name");
    str("v");
    key("x");
    msgpack_pack_int(&pk, 1);
    /* DATA_BEGIN, ROWS, DATA_END with unknown keys */
    msgpack_pack_array(&pk, 2);
    msgpack_pack_int(&pk, 4);
    msgpack_pack_map(&pk, 2);
    key("x");
    msgpack_pack_int(&pk, 0);
    key("t");
    msgpack_pack_int(&pk, 5);
    msgpack_pack_array(&pk, 2);
    msgpack_pack_int(&pk, 5);
    msgpack_pack_map(&pk, 4);
    key("t");
    msgpack_pack_int(&pk, 5);
    key("s");
    msgpack_pack_int(&pk, 0);
    key("x");
    str("y");
    key("r");
    msgpack_pack_array(&pk, 2);
    msgpack_pack_array(&pk, 3);
    msgpack_pack_int(&pk, 1);
    str("x");
    msgpack_pack_int(&pk, 99);
    msgpack_pack_array(&pk, 3);
    msgpack_pack_int(&pk, 2);
    msgpack_pack_nil(&pk);
    msgpack_pack_int(&pk, -1);
    uint64_t lo = 0, hi = 0;
    digest_row(&lo, &hi, 1, "x", 99);
    digest_row(&lo, &hi, 2, NULL, -1);
    unsigned char dg[16];
    for (int i = 0; i < 8; i++) {
        dg[i] = (unsigned char)(lo >> (8 * i));
        dg[8 + i] = (unsigned char)(hi >> (8 * i));
    }
    msgpack_pack_array(&pk, 2);
    msgpack_pack_int(&pk, 7);
    msgpack_pack_map(&pk, 4);
    key("t");
    msgpack_pack_int(&pk, 5);
    key("n");
    msgpack_pack_int(&pk, 2);
    key("x");
    msgpack_pack_nil(&pk);
    key("d");
    msgpack_pack_bin_with_body(&pk, dg, 16);
    uint64_t chunk1 = out.len;
    uint64_t content_xx = XXH64(sb.data, sb.size, 0);
    frame(&out, sb.data, sb.size);
    uint64_t trailer_off = out.len;

    /* TRAILER alone in its chunk */
    sb.size = 0;
    msgpack_pack_array(&pk, 2);
    msgpack_pack_int(&pk, 8);
    msgpack_pack_map(&pk, 5);
    key("tables");
    msgpack_pack_int(&pk, 1);
    key("x");
    msgpack_pack_int(&pk, 1);
    key("rows");
    msgpack_pack_int(&pk, 2);
    key("chunks");
    msgpack_pack_int(&pk, 1);
    key("xxh64");
    msgpack_pack_uint64(&pk, content_xx);
    frame(&out, sb.data, sb.size);
    uint64_t index_off = out.len;

    /* INDEX and footer */
    sb.size = 0;
    msgpack_pack_array(&pk, 2);
    msgpack_pack_int(&pk, 9);
    msgpack_pack_map(&pk, 6);
    key("tables");
    msgpack_pack_array(&pk, 1);
    msgpack_pack_map(&pk, 3);
    key("t");
    msgpack_pack_int(&pk, 5);
    key("x");
    msgpack_pack_int(&pk, 5);
    key("c");
    msgpack_pack_array(&pk, 2);
    msgpack_pack_uint64(&pk, chunk1);
    msgpack_pack_uint64(&pk, trailer_off);
    key("data");
    msgpack_pack_uint64(&pk, chunk1);
    key("post");
    msgpack_pack_uint64(&pk, trailer_off);
    key("trailer");
    msgpack_pack_uint64(&pk, trailer_off);
    key("xxh64");
    msgpack_pack_uint64(&pk, XXH64(out.p, out.len, 0));
    key("x_more");
    msgpack_pack_int(&pk, 3);
    frame(&out, sb.data, sb.size);
    unsigned char foot[16] = {'D', 'B', 'D', 'I', 'N', 'D', 'E', 'X'};
    for (int i = 0; i < 8; i++)
        foot[8 + i] = (unsigned char)(index_off >> (8 * i));
    t_buf_write(&out, foot, 16);
    msgpack_sbuffer_destroy(&sb);

    /* read it */
    t_src src = {out.p, out.len, 0, 0};
    dbf_reader_opts ro = DBF_READER_OPTS_INIT;
    ro.read = t_src_read;
    ro.ctx = &src;
    dbf_reader *r = NULL;
    REQUIRE_OK(dbf_reader_create(&r, &ro, &e), &e);
    static const dbf_msg_kind want[] = {DBF_MSG_HEADER, DBF_MSG_TABLE, DBF_MSG_OBJECT,
                                        DBF_MSG_DATA_BEGIN, DBF_MSG_ROW, DBF_MSG_ROW,
                                        DBF_MSG_DATA_END, DBF_MSG_TRAILER, DBF_MSG_END};
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
        dbf_msg m;
        REQUIRE_OK(dbf_reader_next(r, &m, &e), &e);
        if (m.kind != want[i]) {
            fprintf(stderr, "message %zu: kind %d, want %d\n", i, m.kind, want[i]);
            t_failures++;
            break;
        }
        switch (m.kind) {
        case DBF_MSG_HEADER:
            CHECK(m.header->version_major == 1 && m.header->version_minor == 7);
            CHECK(m.header->producer != NULL && strcmp(m.header->producer, "hand") == 0);
            CHECK(m.header->engine == NULL);
            break;
        case DBF_MSG_TABLE:
            CHECK(m.table->id == 5 && strcmp(m.table->name, "t") == 0);
            CHECK(m.table->ncolumns == 3);
            CHECK(m.table->columns[0].type == DBF_T_INT && m.table->columns[0].bits == 64);
            CHECK(m.table->columns[1].type == DBF_T_TEXT);
            CHECK(m.table->columns[2].type == DBF_T_NATIVE);
            CHECK(strcmp(m.table->columns[2].type_name, "hyperloglog") == 0);
            CHECK(m.table->columns[0].length == -1 && m.table->row_estimate == -1);
            break;
        case DBF_MSG_OBJECT:
            CHECK(m.object->kind == DBF_OBJ_VIEW && strcmp(m.object->name, "v") == 0);
            CHECK(m.object->section == DBF_SEC_PRE);
            break;
        case DBF_MSG_ROW:
            CHECK(m.nvalues == 3);
            CHECK(m.values[0].kind == DBF_V_INT && m.values[0].u.i == (int64_t)m.row_number);
            if (m.row_number == 1) {
                CHECK(m.values[1].kind == DBF_V_STR && m.values[1].u.s.len == 1 &&
                      m.values[1].u.s.ptr[0] == 'x');
                CHECK(m.values[2].kind == DBF_V_INT && m.values[2].u.i == 99);
            } else {
                CHECK(m.values[1].kind == DBF_V_NULL);
                CHECK(m.values[2].kind == DBF_V_INT && m.values[2].u.i == -1);
            }
            break;
        case DBF_MSG_DATA_END:
            CHECK(m.end->rows == 2 && memcmp(m.end->digest, dg, 16) == 0);
            break;
        case DBF_MSG_TRAILER:
            CHECK(m.trailer->rows == 2 && m.trailer->chunks == 1 &&
                  m.trailer->checksum == content_xx);
            break;
        default:
            break;
        }
    }
    CHECK(dbf_reader_table(r, 5) != NULL && dbf_reader_table(r, 6) == NULL);
    CHECK(strcmp(dbf_reader_header(r)->producer, "hand") == 0);
    dbf_reader_free(r);
    free(out.p);
    return t_done("test_unknown");
}
