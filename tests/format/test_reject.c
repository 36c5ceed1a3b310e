/*
 * test_reject.c - archives built by hand (msgpack-c + zstd) that break one rule of
 * spec/FORMAT.md each; the reader must refuse each with the right code and a message that
 * says what is wrong.
 */
#include <msgpack.h>
#include <zstd.h>

#include "tutil.h"

static msgpack_sbuffer sb;
static msgpack_packer pk;

static void k(const char *s)
{
    msgpack_pack_str_with_body(&pk, s, strlen(s));
}

static void msg_start(int kind, size_t nkeys)
{
    msgpack_pack_array(&pk, 2);
    msgpack_pack_int(&pk, kind);
    msgpack_pack_map(&pk, nkeys);
}

static void header(void)
{
    msg_start(1, 1);
    k("format");
    msgpack_pack_array(&pk, 2);
    msgpack_pack_int(&pk, 1);
    msgpack_pack_int(&pk, 0);
}

static void table(int id)
{
    msg_start(2, 3);
    k("id");
    msgpack_pack_int(&pk, id);
    k("name");
    k("t");
    k("columns");
    msgpack_pack_array(&pk, 1);
    msgpack_pack_map(&pk, 2);
    k("name");
    k("a");
    k("type");
    k("int");
}

static void tmsg(int kind, int id)
{
    msg_start(kind, 1);
    k("t");
    msgpack_pack_int(&pk, id);
}

/* HEADER, table 1 and its DATA_BEGIN: what most data-level cases start with */
static void begin_data(void)
{
    header();
    table(1);
    tmsg(4, 1);
}

/* a ROWS message up to its array of nrows rows; the caller packs the rows */
static void rows_begin(int id, int seq, int nrows)
{
    msg_start(5, 3);
    k("t");
    msgpack_pack_int(&pk, id);
    k("s");
    msgpack_pack_int(&pk, seq);
    k("r");
    msgpack_pack_array(&pk, (size_t)nrows);
}

static void rows(int id, int seq, int nrows)
{
    rows_begin(id, seq, nrows);
    for (int i = 0; i < nrows; i++) {
        msgpack_pack_array(&pk, 1);
        msgpack_pack_int(&pk, i);
    }
}

/* a VALUE_PART of table id, column col, announcing n bytes and holding the one byte "x" */
static void value_part(int id, int col, uint64_t n)
{
    msg_start(6, 4);
    k("t");
    msgpack_pack_int(&pk, id);
    k("c");
    msgpack_pack_int(&pk, col);
    k("n");
    msgpack_pack_uint64(&pk, n);
    k("d");
    msgpack_pack_bin_with_body(&pk, "x", 1);
}

/* preamble + one frame holding sb, compressed with the given flags */
static void archive(t_buf *out, int checksum, int content_size, size_t pad)
{
    static const unsigned char pre[12] = {0x89, 'D', 'B', 'D', '\r', '\n', 0x1a, '\n', 1, 0, 0, 0};
    out->len = 0;
    t_buf_write(out, pre, 12);
    ZSTD_CCtx *c = ZSTD_createCCtx();
    ZSTD_CCtx_setParameter(c, ZSTD_c_checksumFlag, checksum);
    ZSTD_CCtx_setParameter(c, ZSTD_c_contentSizeFlag, content_size);
    size_t n = sb.size + pad;
    char *src = calloc(1, n);
    memcpy(src, sb.data, sb.size);
    size_t cap = ZSTD_compressBound(n);
    void *z = malloc(cap);
    size_t zn;
    if (content_size) {
        zn = ZSTD_compress2(c, z, cap, src, n);
    } else { /* streaming without a pledged size leaves the content size out */
        ZSTD_inBuffer in = {src, n, 0};
        ZSTD_outBuffer o = {z, cap, 0};
        ZSTD_compressStream2(c, &o, &in, ZSTD_e_end);
        zn = o.pos;
    }
    REQUIRE(!ZSTD_isError(zn));
    t_buf_write(out, z, zn);
    free(z);
    free(src);
    ZSTD_freeCCtx(c);
}

static void reset(void)
{
    sb.size = 0;
}

static void expect(const char *label, t_buf *a, int code, const char *needle)
{
    dbf_error e = {0, ""};
    int rc = t_read_all(a->p, a->len, 0, NULL, &e);
    if (rc != code || strstr(e.msg, needle) == NULL) {
        fprintf(stderr, "%s: got %s \"%s\", want %s with \"%s\"\n", label, dbf_strerror(rc),
                e.msg, dbf_strerror(code), needle);
        t_failures++;
    }
}

int main(void)
{
    t_buf a = {0};
    msgpack_sbuffer_init(&sb);
    msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);

    reset();
    table(1);
    archive(&a, 1, 1, 0);
    expect("first message not HEADER", &a, DBF_ECORRUPT, "first message must be HEADER");

    reset();
    header();
    header();
    archive(&a, 1, 1, 0);
    expect("two HEADERs", &a, DBF_ECORRUPT, "second HEADER");

    reset();
    msg_start(1, 0);
    archive(&a, 1, 1, 0);
    expect("HEADER without format", &a, DBF_ECORRUPT, "no format version");

    reset();
    header();
    table(1);
    table(1);
    archive(&a, 1, 1, 0);
    expect("table id twice", &a, DBF_ECORRUPT, "defined twice");

    /* keys are strings, in a body and in the maps inside it (a column) */
    reset();
    header();
    msg_start(2, 3);
    k("id");
    msgpack_pack_int(&pk, 1);
    msgpack_pack_int(&pk, 7); /* a key that is a number */
    msgpack_pack_int(&pk, 1);
    k("columns");
    msgpack_pack_array(&pk, 0);
    archive(&a, 1, 1, 0);
    expect("body key not a string", &a, DBF_ECORRUPT, "a map key is not a string");

    reset();
    header();
    msg_start(2, 3);
    k("id");
    msgpack_pack_int(&pk, 1);
    k("name");
    k("t");
    k("columns");
    msgpack_pack_array(&pk, 1);
    msgpack_pack_map(&pk, 2);
    k("name");
    k("c");
    msgpack_pack_true(&pk); /* a key that is a bool, in a column */
    k("int");
    archive(&a, 1, 1, 0);
    expect("column key not a string", &a, DBF_ECORRUPT, "a map key is not a string");

    /* optional keys are checked too: a TABLE comment that is a number, a column's
     * `unsigned` that is nil, an OBJECT's `unique` that is a string */
    reset();
    header();
    msg_start(2, 4);
    k("id");
    msgpack_pack_int(&pk, 1);
    k("name");
    k("t");
    k("comment");
    msgpack_pack_int(&pk, 5);
    k("columns");
    msgpack_pack_array(&pk, 0);
    archive(&a, 1, 1, 0);
    expect("optional key of the wrong type", &a, DBF_ECORRUPT, "key \"comment\" is not a string");

    reset();
    header();
    msg_start(2, 3);
    k("id");
    msgpack_pack_int(&pk, 1);
    k("name");
    k("t");
    k("columns");
    msgpack_pack_array(&pk, 1);
    msgpack_pack_map(&pk, 3);
    k("name");
    k("a");
    k("type");
    k("int");
    k("unsigned");
    msgpack_pack_nil(&pk);
    archive(&a, 1, 1, 0);
    expect("optional bool that is nil", &a, DBF_ECORRUPT, "key \"unsigned\" is not a bool");

    reset();
    header();
    msg_start(3, 3);
    k("kind");
    k("index");
    k("section");
    k("post");
    k("unique");
    k("yes");
    archive(&a, 1, 1, 0);
    expect("OBJECT unique not a bool", &a, DBF_ECORRUPT, "key \"unique\" is not a bool");

    /* ABORT: its message is required; with one, the end of input is its truncation */
    reset();
    header();
    msg_start(10, 0);
    archive(&a, 1, 1, 0);
    expect("ABORT without message", &a, DBF_ECORRUPT, "ABORT needs a str message");
    reset();
    header();
    msg_start(10, 1);
    k("message");
    k("source went away");
    archive(&a, 1, 1, 0);
    expect("ABORT", &a, DBF_ETRUNCATED, "failed: source went away");

    reset();
    begin_data();
    table(2);
    archive(&a, 1, 1, 0);
    expect("TABLE after data", &a, DBF_ECORRUPT, "after the first data message");
    reset();
    header();
    msg_start(3, 2);
    k("kind");
    k("index");
    k("section");
    k("post");
    table(1);
    archive(&a, 1, 1, 0);
    expect("TABLE after a post OBJECT", &a, DBF_ECORRUPT, "or post OBJECT");

    reset();
    header();
    tmsg(4, 1);
    archive(&a, 1, 1, 0);
    expect("data of an undefined table", &a, DBF_ECORRUPT, "was not defined");

    reset();
    header();
    table(1);
    rows(1, 0, 1);
    archive(&a, 1, 1, 0);
    expect("ROWS before DATA_BEGIN", &a, DBF_ECORRUPT, "ROWS outside its data");

    reset();
    begin_data();
    rows(1, 1, 1);
    archive(&a, 1, 1, 0);
    expect("ROWS sequence gap", &a, DBF_ECORRUPT, "sequence 1, expected 0");

    reset();
    begin_data();
    rows(1, 0, 2);
    msg_start(7, 3);
    k("t");
    msgpack_pack_int(&pk, 1);
    k("n");
    msgpack_pack_int(&pk, 3);
    k("d");
    msgpack_pack_bin_with_body(&pk, "0123456789abcdef", 16);
    archive(&a, 1, 1, 0);
    expect("DATA_END row count", &a, DBF_ECORRUPT, "says 3 rows, 2 were read");

    reset();
    begin_data();
    rows_begin(1, 0, 1);
    msgpack_pack_array(&pk, 2); /* two values for one column */
    msgpack_pack_int(&pk, 1);
    msgpack_pack_int(&pk, 2);
    archive(&a, 1, 1, 0);
    expect("row width", &a, DBF_ECORRUPT, "not an array of 1 values");

    reset();
    begin_data();
    rows_begin(1, 0, 1);
    msgpack_pack_array(&pk, 1);
    k("text in an int column");
    archive(&a, 1, 1, 0);
    expect("value of the wrong type", &a, DBF_ECORRUPT, "int takes int or uint");

    reset();
    begin_data();
    value_part(1, 0, (2ull << 30));
    archive(&a, 1, 1, 0);
    expect("value over 1 GiB", &a, DBF_ECORRUPT, "over the format limit");

    reset();
    begin_data();
    value_part(1, 0, 1);
    tmsg(7, 1);
    archive(&a, 1, 1, 0);
    expect("VALUE_PART without its row", &a, DBF_ECORRUPT, "DATA_END needs");

    reset();
    header();
    msgpack_pack_array(&pk, 3); /* not [kind, body] */
    msgpack_pack_int(&pk, 1);
    msgpack_pack_int(&pk, 2);
    msgpack_pack_int(&pk, 3);
    archive(&a, 1, 1, 0);
    expect("message shape", &a, DBF_ECORRUPT, "not [kind, body]");

    reset();
    header();
    msgpack_pack_array(&pk, 2);
    msgpack_pack_int(&pk, 2);
    msgpack_pack_int(&pk, 2); /* TABLE with a non-map body */
    archive(&a, 1, 1, 0);
    expect("body not a map", &a, DBF_ECORRUPT, "body is not a map");

    reset();
    header();
    msgpack_sbuffer_write(&sb, "\xdd\x7f\xff\xff\xff", 5); /* array of 2^31-1 announced */
    archive(&a, 1, 1, 0);
    expect("huge announced array", &a, DBF_ECORRUPT, "message incomplete");

    reset();
    header();
    msgpack_pack_array(&pk, 2);
    archive(&a, 1, 1, 0);
    expect("message cut at the chunk end", &a, DBF_ECORRUPT, "message incomplete");

    reset();
    header();
    archive(&a, 0, 1, 0);
    expect("frame without checksum", &a, DBF_ECORRUPT, "frame header not allowed");

    reset();
    header();
    archive(&a, 1, 0, 0);
    expect("frame without content size", &a, DBF_ECORRUPT, "frame header not allowed");

    reset();
    header();
    archive(&a, 1, 1, (4u << 20)); /* content over 4 MiB (zero padding) */
    expect("chunk over 4 MiB", &a, DBF_ECORRUPT, "frame header not allowed");

    reset();
    header();
    archive(&a, 1, 1, 0);
    static const unsigned char skippable[] = {0x50, 0x2a, 0x4d, 0x18, 1, 0, 0, 0, 0};
    t_buf_write(&a, skippable, sizeof(skippable));
    expect("skippable frame", &a, DBF_ECORRUPT, "frame header not allowed");

    reset();
    header();
    archive(&a, 1, 1, 0);
    t_buf_write(&a, "garbage!garbage!garbage!", 24);
    expect("not a frame", &a, DBF_ECORRUPT, "not a zstd frame");

    reset();
    begin_data();
    msg_start(8, 4);
    k("tables");
    msgpack_pack_int(&pk, 0);
    k("rows");
    msgpack_pack_int(&pk, 0);
    k("chunks");
    msgpack_pack_int(&pk, 0);
    k("xxh64");
    msgpack_pack_int(&pk, 0);
    archive(&a, 1, 1, 0);
    expect("trailer not alone", &a, DBF_ECORRUPT, "TRAILER must be alone");

    /* a valid archive missing its index and footer: truncated, naming the table */
    reset();
    begin_data();
    rows(1, 0, 0);
    archive(&a, 1, 1, 0);
    expect("no trailer", &a, DBF_ETRUNCATED, "before its trailer");

    msgpack_sbuffer_destroy(&sb);
    free(a.p);
    return t_done("test_reject");
}
