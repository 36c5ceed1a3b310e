/*
 * test_digest.c - the table digest is what spec/FORMAT.md says, computed here independently
 * (msgpack-c packing + XXH3-128 in the test), order-independent, and what DATA_END carries.
 */
#include <msgpack.h>
#include <xxhash.h>

#include "tutil.h"

/* independent expected digest: sum of XXH3-128 over the canonical packing of each row */
static void expect_add(uint64_t *lo, uint64_t *hi, void (*packrow)(msgpack_packer *, int), int i)
{
    msgpack_sbuffer sb;
    msgpack_sbuffer_init(&sb);
    msgpack_packer pk;
    msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
    packrow(&pk, i);
    XXH128_hash_t h = XXH3_128bits(sb.data, sb.size);
    *lo += h.low64;
    *hi += h.high64;
    msgpack_sbuffer_destroy(&sb);
}

static char big[2u << 20];

/* the rows of the test table, packed by hand the canonical way */
static void pack_row(msgpack_packer *pk, int i)
{
    msgpack_pack_array(pk, 5);
    msgpack_pack_int64(pk, i == 0 ? INT64_MIN : i);     /* int */
    if (i == 1)
        msgpack_pack_nil(pk);
    else
        msgpack_pack_str_with_body(pk, "hello", 5);   /* text */
    msgpack_pack_double(pk, -0.0);                      /* float64 */
    msgpack_pack_array(pk, 3);                          /* interval */
    msgpack_pack_int64(pk, 1);
    msgpack_pack_int64(pk, -2);
    msgpack_pack_int64(pk, 3);
    if (i == 2)                                         /* bytes: large values inline */
        msgpack_pack_bin_with_body(pk, big, sizeof(big));
    else
        msgpack_pack_bin_with_body(pk, "\x01", 1);
}

static void row_values(dbf_value v[5], int i)
{
    v[0] = (dbf_value){.kind = DBF_V_INT, .u.i = i == 0 ? INT64_MIN : i};
    v[1] = i == 1 ? (dbf_value){.kind = DBF_V_NULL}
                  : (dbf_value){.kind = DBF_V_STR, .u.s = {"hello", 5}};
    v[2] = (dbf_value){.kind = DBF_V_F64, .u.f64 = -0.0};
    v[3] = (dbf_value){.kind = DBF_V_INTERVAL, .u.iv = {1, -2, 3}};
    v[4] = i == 2 ? (dbf_value){.kind = DBF_V_BIN, .u.s = {big, sizeof(big)}}
                  : (dbf_value){.kind = DBF_V_BIN, .u.s = {"\x01", 1}};
}

static const dbf_column cols[] = {
    {.name = "a", .type = DBF_T_INT, .length = -1, .precision = -1, .scale = -1},
    {.name = "b", .type = DBF_T_TEXT, .length = -1, .precision = -1, .scale = -1},
    {.name = "c", .type = DBF_T_FLOAT64, .length = -1, .precision = -1, .scale = -1},
    {.name = "d", .type = DBF_T_INTERVAL, .length = -1, .precision = -1, .scale = -1},
    {.name = "e", .type = DBF_T_BYTES, .length = -1, .precision = -1, .scale = -1},
};
static const dbf_table table = {.id = 7, .name = "d", .columns = cols, .ncolumns = 5,
                                .row_estimate = -1};

/* write rows in the given order; return the DATA_END digest read back */
static void archive_digest(const int *order, int n, uint8_t out[16])
{
    dbf_error e = {0, ""};
    t_buf b = {0};
    dbf_writer_opts wo = DBF_WRITER_OPTS_INIT;
    wo.write = t_buf_write;
    wo.ctx = &b;
    dbf_writer *w = NULL;
    dbf_header h = {.producer = "test_digest"};
    REQUIRE_OK(dbf_writer_create(&w, &wo, &e), &e);
    REQUIRE_OK(dbf_writer_header(w, &h, &e), &e);
    REQUIRE_OK(dbf_writer_table(w, &table, &e), &e);
    REQUIRE_OK(dbf_writer_data_begin(w, 7, &e), &e);
    for (int k = 0; k < n; k++) {
        dbf_value v[5];
        row_values(v, order[k]);
        REQUIRE_OK(dbf_writer_row(w, 7, v, 5, &e), &e);
    }
    REQUIRE_OK(dbf_writer_data_end(w, 7, &e), &e);
    REQUIRE_OK(dbf_writer_finish(w, &e), &e);
    dbf_writer_free(w);
    t_src src = {b.p, b.len, 0, 0};
    dbf_reader_opts ro = DBF_READER_OPTS_INIT;
    ro.read = t_src_read;
    ro.ctx = &src;
    dbf_reader *r = NULL;
    REQUIRE_OK(dbf_reader_create(&r, &ro, &e), &e);
    int got = 0;
    for (;;) {
        dbf_msg m;
        REQUIRE_OK(dbf_reader_next(r, &m, &e), &e);
        if (m.kind == DBF_MSG_END)
            break;
        if (m.kind == DBF_MSG_DATA_END) {
            CHECK(m.end->rows == (uint64_t)n);
            memcpy(out, m.end->digest, 16);
            got = 1;
        }
    }
    CHECK(got);
    dbf_reader_free(r);
    free(b.p);
}

int main(void)
{
    dbf_error e = {0, ""};
    for (size_t i = 0; i < sizeof(big); i++)
        big[i] = (char)(i * 31 + (i >> 9));
    uint64_t lo = 0, hi = 0;
    for (int i = 0; i < 4; i++)
        expect_add(&lo, &hi, pack_row, i);
    uint8_t want[16];
    for (int i = 0; i < 8; i++) {
        want[i] = (uint8_t)(lo >> (8 * i));
        want[8 + i] = (uint8_t)(hi >> (8 * i));
    }
    /* the API */
    dbf_digest d;
    dbf_digest_init(&d);
    for (int i = 0; i < 4; i++) {
        dbf_value v[5];
        row_values(v, i);
        REQUIRE_OK(dbf_digest_add_row(&d, &table, v, 5, &e), &e);
    }
    uint8_t got[16];
    dbf_digest_final(&d, got);
    CHECK(d.rows == 4);
    CHECK(memcmp(got, want, 16) == 0);
    /* the archive, in two row orders */
    static const int o1[] = {0, 1, 2, 3}, o2[] = {3, 2, 0, 1};
    uint8_t a1[16], a2[16];
    archive_digest(o1, 4, a1);
    archive_digest(o2, 4, a2);
    CHECK(memcmp(a1, want, 16) == 0);
    CHECK(memcmp(a2, want, 16) == 0);
    /* a different row gives a different digest; an empty table gives zeros */
    static const int o3[] = {0, 1, 2};
    uint8_t a3[16], zero[16] = {0};
    archive_digest(o3, 3, a3);
    CHECK(memcmp(a3, want, 16) != 0);
    archive_digest(o3, 0, a3);
    CHECK(memcmp(a3, zero, 16) == 0);
    /* a value that does not fit its column is refused */
    dbf_value bad[5];
    row_values(bad, 3);
    bad[2] = (dbf_value){.kind = DBF_V_F32, .u.f32 = 1.0f};
    CHECK_RC(dbf_digest_add_row(&d, &table, bad, 5, &e), DBF_EINVAL);
    CHECK_RC(dbf_digest_add_row(&d, &table, bad, 4, &e), DBF_EINVAL);
    return t_done("test_digest");
}
