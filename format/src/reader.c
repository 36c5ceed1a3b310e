/*
 * reader.c - the streaming archive reader (spec/FORMAT.md).
 *
 * Input comes through a read callback into a fixed buffer; each zstd frame is decompressed
 * into a fixed chunk buffer (DBF_MAX_CHUNK) and its messages are decoded in place. Large
 * values are reassembled from VALUE_PART messages into one buffer each (bounded by
 * opts.max_value). Everything the archive declares is verified: frame checksums, ROWS
 * sequence numbers, per-table row counts and digests, the trailer, the index and the footer.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ZSTD_STATIC_LINKING_ONLY
#include <zstd.h>
#define XXH_STATIC_LINKING_ONLY
#include <xxhash.h>

#include "dbf_internal.h"

#define IN_BUF_SIZE (128u * 1024u)
#define WINDOW_LOG_MAX 23 /* frames hold at most 4 MiB, so their window never needs more */

typedef struct part {
    size_t col;         /* column of the value */
    unsigned char *buf; /* grows with the pieces received, up to total */
    size_t len, cap, total;
} part;

typedef struct rtable {
    dbf_table *t;
    int state;        /* 0 defined, 1 data begun, 2 data ended */
    uint64_t seq;     /* next expected ROWS sequence number */
    dbf_digest dg;
    dbf_runs runs;
    uint64_t touched; /* chunk number that last held a data message of the table */
    part *parts;      /* large values for the next row */
    size_t nparts, parts_cap;
    dbf_table_end *end; /* in the arena: stays valid until dbf_reader_free() */
} rtable;

enum { RS_BODY = 0, RS_TRAILER_RETURNED, RS_END };

struct dbf_reader {
    dbf_read_fn read;
    void *ctx;
    size_t max_value;
    /* input */
    unsigned char *in;
    size_t in_pos, in_len;
    bool eof;
    uint64_t in_total; /* bytes read from the callback */
    /* chunk */
    ZSTD_DCtx *dctx;
    unsigned char *chunk; /* grows to the largest frame content seen, at most DBF_MAX_CHUNK */
    size_t chunk_cap;
    size_t chunk_len, msg_off, msg_start;
    bool have_chunk;
    uint64_t chunk_no; /* 1-based number of the current chunk */
    uint64_t chunk_start;
    uint64_t cur_kind;  /* kind of the message being handled, for error messages */
    XXH64_state_t *xx;
    XXH64_state_t *ax; /* XXH64 of the archive bytes before the index frame */
    bool in_index;
    uint64_t chunks_done;
    /* current message */
    msgpack_unpacked cur;
    bool in_rows;
    const msgpack_object *rows;
    uint32_t nrows, row_i;
    size_t rows_table;
    dbf_value *vals;
    size_t vals_cap;
    dbf_value *elems;
    size_t elems_cap;
    unsigned char **release; /* part buffers freed at the next call */
    size_t nrelease, release_cap;
    size_t pending_bytes;
    /* schema and state */
    dbf_arena arena;
    dbf_header header;
    bool header_seen;
    rtable *tables;
    size_t ntables, tables_cap;
    dbf_idmap ids;
    size_t *touched;
    size_t ntouched;
    bool chunk_has_data, chunk_has_post;
    uint64_t first_data, first_post;
    uint64_t rows_total, tables_done;
    const char *last_done; /* name of the last table whose data ended */
    char *aborted;         /* ABORT: the writer's own message (malloc) */
    dbf_trailer trailer;
    int state;
    int failed; /* latched error code */
    dbf_error failed_err;
};

/* ------------------------------------------------------------------ errors */

static bool str_keys(const msgpack_object *o, bool deep, int depth);

static int fail(dbf_reader *r, dbf_error *err, int code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

static int fail(dbf_reader *r, dbf_error *err, int code, const char *fmt, ...)
{
    char detail[DBF_ERROR_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof(detail), fmt, ap);
    va_end(ap);
    r->failed = code;
    dbf_error_set(&r->failed_err, code, "%s", detail);
    if (err != NULL)
        *err = r->failed_err;
    return code;
}

/* corrupt data inside a chunk: names the chunk, its offset, the message kind and offset */
#define CORRUPT(r, err, ...) corrupt_at(r, err, DBF_ECORRUPT, __VA_ARGS__)

static int corrupt_at(dbf_reader *r, dbf_error *err, int code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

static int corrupt_at(dbf_reader *r, dbf_error *err, int code, const char *fmt, ...)
{
    char detail[160];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof(detail), fmt, ap);
    va_end(ap);
    return fail(r, err, code, "chunk %llu (byte %llu), %s message at chunk byte %zu: %s",
                (unsigned long long)r->chunk_no, (unsigned long long)r->chunk_start,
                dbf_kind_name(r->cur_kind), r->msg_start, detail);
}

static int nomem(dbf_reader *r, dbf_error *err)
{
    return fail(r, err, DBF_ENOMEM, "out of memory");
}

static uint64_t in_offset(const dbf_reader *r)
{
    return r->in_total - (r->in_len - r->in_pos);
}

static int truncated(dbf_reader *r, dbf_error *err, const char *where)
{
    if (r->aborted)
        return fail(r, err, DBF_ETRUNCATED, "the program that wrote the archive failed: %s "
                    "(last complete table: %s)", r->aborted,
                    r->last_done ? r->last_done : "none");
    return fail(r, err, DBF_ETRUNCATED,
                "archive truncated %s at byte %llu (after %llu complete chunks); last complete "
                "table: %s", where, (unsigned long long)r->in_total,
                (unsigned long long)r->chunks_done, r->last_done ? r->last_done : "none");
}

/* ------------------------------------------------------------------- input */

/* Make at least n bytes available at in[in_pos] unless the input ends first. */
static int ensure(dbf_reader *r, size_t n, dbf_error *err)
{
    while (r->in_len - r->in_pos < n && !r->eof) {
        if (r->in_pos > 0) {
            memmove(r->in, r->in + r->in_pos, r->in_len - r->in_pos);
            r->in_len -= r->in_pos;
            r->in_pos = 0;
        }
        size_t got = 0;
        int rc = r->read(r->ctx, r->in + r->in_len, IN_BUF_SIZE - r->in_len, &got);
        if (rc != 0)
            return fail(r, err, rc < 0 ? rc : DBF_EIO, "archive read failed at byte %llu",
                        (unsigned long long)r->in_total);
        if (got > IN_BUF_SIZE - r->in_len)
            return fail(r, err, DBF_EIO, "read callback returned too many bytes");
        if (got == 0)
            r->eof = true;
        r->in_len += got;
        r->in_total += got;
    }
    return 0;
}

static size_t avail(const dbf_reader *r)
{
    return r->in_len - r->in_pos;
}

/* ------------------------------------------------------------------ frames */

/* Read and decompress the next frame into r->chunk. */
static int load_frame(dbf_reader *r, dbf_error *err)
{
    int rc;
    r->chunk_no++;
    r->chunk_start = in_offset(r);
    r->cur_kind = 0;
    r->msg_start = 0;
    if ((rc = ensure(r, ZSTD_FRAMEHEADERSIZE_MAX, err)) < 0)
        return rc;
    if (avail(r) == 0)
        return truncated(r, err, r->in_index ? "after its trailer, before the index"
                                              : "before its trailer");
    ZSTD_frameHeader fh;
    size_t z = ZSTD_getFrameHeader(&fh, r->in + r->in_pos, avail(r));
    if (ZSTD_isError(z))
        return fail(r, err, DBF_ECORRUPT, "chunk %llu at byte %llu: not a zstd frame (%s)",
                    (unsigned long long)r->chunk_no, (unsigned long long)r->chunk_start,
                    ZSTD_getErrorName(z));
    if (z > 0) { /* the header is cut short: truncated only if what is there can begin it */
        static const unsigned char zmagic[4] = {0x28, 0xb5, 0x2f, 0xfd};
        if (memcmp(r->in + r->in_pos, zmagic, avail(r) < 4 ? avail(r) : 4) != 0)
            return fail(r, err, DBF_ECORRUPT, "chunk %llu at byte %llu: not a zstd frame",
                        (unsigned long long)r->chunk_no, (unsigned long long)r->chunk_start);
        return truncated(r, err, "inside a zstd frame header");
    }
    if (fh.frameType != ZSTD_frame || fh.frameContentSize == ZSTD_CONTENTSIZE_UNKNOWN ||
        fh.frameContentSize > DBF_MAX_CHUNK || !fh.checksumFlag || fh.dictID != 0 ||
        fh.windowSize > ((uint64_t)1 << WINDOW_LOG_MAX))
        return fail(r, err, DBF_ECORRUPT,
                    "chunk %llu at byte %llu: frame header not allowed (skippable, no content "
                    "size, content over 4 MiB, no checksum, dictionary or window too large)",
                    (unsigned long long)r->chunk_no, (unsigned long long)r->chunk_start);
    if ((r->in[r->in_pos + 4] & 0x18) != 0) /* unused and reserved descriptor bits */
        return fail(r, err, DBF_ECORRUPT, "chunk %llu at byte %llu: frame descriptor bits 3-4 set",
                    (unsigned long long)r->chunk_no, (unsigned long long)r->chunk_start);
    if (fh.frameContentSize > r->chunk_cap) {
        size_t cap = (size_t)fh.frameContentSize;
        if (cap < (64u << 10))
            cap = 64u << 10;
        unsigned char *nc = realloc(r->chunk, cap);
        if (nc == NULL)
            return nomem(r, err);
        r->chunk = nc;
        r->chunk_cap = cap;
    }
    ZSTD_DCtx_reset(r->dctx, ZSTD_reset_session_only);
    /* exactly the declared size: a frame with more content stalls and is refused below */
    ZSTD_outBuffer out = {r->chunk, (size_t)fh.frameContentSize, 0};
    for (;;) {
        if (avail(r) == 0) {
            if ((rc = ensure(r, 1, err)) < 0)
                return rc;
            if (avail(r) == 0)
                return truncated(r, err, "inside a zstd frame");
        }
        ZSTD_inBuffer zin = {r->in, r->in_len, r->in_pos};
        size_t before_in = zin.pos, before_out = out.pos;
        size_t ret = ZSTD_decompressStream(r->dctx, &out, &zin);
        r->in_pos = zin.pos;
        if (!r->in_index)
            XXH64_update(r->ax, r->in + before_in, zin.pos - before_in);
        if (ZSTD_isError(ret))
            return fail(r, err, DBF_ECORRUPT, "chunk %llu at byte %llu: %s",
                        (unsigned long long)r->chunk_no, (unsigned long long)r->chunk_start,
                        ZSTD_getErrorName(ret));
        if (ret == 0)
            break;
        if (zin.pos == before_in && out.pos == before_out && avail(r) > 0)
            return fail(r, err, DBF_ECORRUPT, "chunk %llu at byte %llu: decompression stalled",
                        (unsigned long long)r->chunk_no, (unsigned long long)r->chunk_start);
    }
    if (out.pos != fh.frameContentSize)
        return fail(r, err, DBF_ECORRUPT, "chunk %llu at byte %llu: content size mismatch",
                    (unsigned long long)r->chunk_no, (unsigned long long)r->chunk_start);
    r->chunk_len = out.pos;
    r->msg_off = 0;
    r->have_chunk = true;
    return 0;
}

/* All messages of a (non-trailer) chunk were handled. */
static int finish_chunk(dbf_reader *r, dbf_error *err)
{
    if (XXH64_update(r->xx, r->chunk, r->chunk_len) != XXH_OK)
        return nomem(r, err);
    uint64_t end = in_offset(r);
    for (size_t i = 0; i < r->ntouched; i++) {
        if (dbf_runs_add(&r->tables[r->touched[i]].runs, r->chunk_start, end) < 0)
            return nomem(r, err);
    }
    if (r->chunk_has_data && r->first_data == UINT64_MAX)
        r->first_data = r->chunk_start;
    if (r->chunk_has_post && r->first_post == UINT64_MAX)
        r->first_post = r->chunk_start;
    r->ntouched = 0;
    r->chunk_has_data = r->chunk_has_post = false;
    r->chunks_done++;
    r->have_chunk = false;
    return 0;
}

static void touch(dbf_reader *r, size_t idx)
{
    r->chunk_has_data = true;
    if (r->tables[idx].touched != r->chunk_no) {
        r->tables[idx].touched = r->chunk_no;
        r->touched[r->ntouched++] = idx;
    }
}

/* Decode the next message of the chunk into r->cur; *kind and *body set. */
static int next_message(dbf_reader *r, uint64_t *kind, const msgpack_object **body,
                        dbf_error *err)
{
    size_t mlen = 0;
    r->msg_start = r->msg_off;
    r->cur_kind = 0;
    int s = dbf_msgpack_scan(r->chunk + r->msg_off, r->chunk_len - r->msg_off, &mlen);
    if (s != 0)
        return CORRUPT(r, err, "%s", s > 0 ? "message incomplete at the end of its chunk"
                                           : "malformed MessagePack");
    size_t off = r->msg_off;
    msgpack_unpack_return ur =
        msgpack_unpack_next(&r->cur, (const char *)r->chunk, r->msg_off + mlen, &off);
    if (ur == MSGPACK_UNPACK_NOMEM_ERROR)
        return nomem(r, err);
    if (ur != MSGPACK_UNPACK_SUCCESS || off != r->msg_off + mlen)
        return CORRUPT(r, err, "malformed MessagePack");
    r->msg_off = off;
    const msgpack_object *m = &r->cur.data;
    if (m->type != MSGPACK_OBJECT_ARRAY || m->via.array.size != 2 ||
        m->via.array.ptr[0].type != MSGPACK_OBJECT_POSITIVE_INTEGER ||
        m->via.array.ptr[0].via.u64 == 0)
        return CORRUPT(r, err, "message is not [kind, body]");
    *kind = m->via.array.ptr[0].via.u64;
    r->cur_kind = *kind;
    *body = &m->via.array.ptr[1];
    if (*kind <= DBF_K_ABORT && (*body)->type != MSGPACK_OBJECT_MAP)
        return CORRUPT(r, err, "body is not a map");
    /* keys are strings: every map of a schema message, the body's own keys of the others
     * (rows hold no maps: walking them would cost a pass over every value) */
    if (*kind <= DBF_K_ABORT &&
        !str_keys(*body, *kind != DBF_K_ROWS && *kind != DBF_K_VALUE_PART, 0))
        return CORRUPT(r, err, "a map key is not a string");
    return 0;
}

/* ----------------------------------------------------------- body helpers */

/* Whether every key of map o (and, deep, of the maps inside it) is a string. */
static bool str_keys(const msgpack_object *o, bool deep, int depth)
{
    if (depth > 16)
        return true; /* deeper than any message this format defines: the parsers refuse it */
    if (o->type == MSGPACK_OBJECT_MAP) {
        for (uint32_t i = 0; i < o->via.map.size; i++) {
            if (o->via.map.ptr[i].key.type != MSGPACK_OBJECT_STR)
                return false;
            if (deep && !str_keys(&o->via.map.ptr[i].val, deep, depth + 1))
                return false;
        }
    } else if (deep && o->type == MSGPACK_OBJECT_ARRAY) {
        for (uint32_t i = 0; i < o->via.array.size; i++)
            if (!str_keys(&o->via.array.ptr[i], deep, depth + 1))
                return false;
    }
    return true;
}

static const msgpack_object *body_get(const msgpack_object *body, const char *key)
{
    const msgpack_object *found = NULL;
    for (uint32_t i = 0; i < body->via.map.size; i++) {
        if (dbf_key_is(&body->via.map.ptr[i].key, key))
            found = &body->via.map.ptr[i].val; /* the last one wins, like most decoders */
    }
    return found;
}

static int body_u64(const msgpack_object *body, const char *key, uint64_t *out)
{
    const msgpack_object *v = body_get(body, key);
    if (v == NULL || v->type != MSGPACK_OBJECT_POSITIVE_INTEGER)
        return -1;
    *out = v->via.u64;
    return 0;
}

static int table_of(dbf_reader *r, const msgpack_object *body, size_t *idx, dbf_error *err)
{
    uint64_t id;
    if (body_u64(body, "t", &id) < 0 || id == 0 || id > UINT32_MAX)
        return CORRUPT(r, err, "key \"t\" missing or not a table id");
    if (!dbf_idmap_get(&r->ids, (uint32_t)id, idx))
        return CORRUPT(r, err, "table id %llu was not defined", (unsigned long long)id);
    return 0;
}

static const char *tname(const dbf_table *t)
{
    return t->name != NULL ? t->name : "?";
}

/* ---------------------------------------------------------------- values */

static int decode_scalar(const msgpack_object *o, dbf_value *v)
{
    memset(v, 0, sizeof(*v));
    switch (o->type) {
    case MSGPACK_OBJECT_NIL:
        v->kind = DBF_V_NULL;
        return 0;
    case MSGPACK_OBJECT_BOOLEAN:
        v->kind = DBF_V_BOOL;
        v->u.b = o->via.boolean;
        return 0;
    case MSGPACK_OBJECT_POSITIVE_INTEGER:
        if (o->via.u64 > (uint64_t)INT64_MAX) {
            v->kind = DBF_V_UINT;
            v->u.u = o->via.u64;
        } else {
            v->kind = DBF_V_INT;
            v->u.i = (int64_t)o->via.u64;
        }
        return 0;
    case MSGPACK_OBJECT_NEGATIVE_INTEGER:
        v->kind = DBF_V_INT;
        v->u.i = o->via.i64;
        return 0;
    case MSGPACK_OBJECT_FLOAT32:
        v->kind = DBF_V_F32;
        v->u.f32 = (float)o->via.f64;
        return 0;
    case MSGPACK_OBJECT_FLOAT64:
        v->kind = DBF_V_F64;
        v->u.f64 = o->via.f64;
        return 0;
    case MSGPACK_OBJECT_STR:
        v->kind = DBF_V_STR;
        v->u.s.ptr = o->via.str.ptr;
        v->u.s.len = o->via.str.size;
        return 0;
    case MSGPACK_OBJECT_BIN:
        v->kind = DBF_V_BIN;
        v->u.s.ptr = o->via.bin.ptr;
        v->u.s.len = o->via.bin.size;
        return 0;
    default:
        return -1;
    }
}

static int get_int_range(const msgpack_object *o, int64_t lo, int64_t hi, int64_t *out)
{
    if (o->type == MSGPACK_OBJECT_POSITIVE_INTEGER && o->via.u64 <= (uint64_t)hi) {
        *out = (int64_t)o->via.u64;
        return 0;
    }
    if (o->type == MSGPACK_OBJECT_NEGATIVE_INTEGER && o->via.i64 >= lo) {
        *out = o->via.i64;
        return 0;
    }
    return -1;
}

static int decode_interval(const msgpack_object *o, dbf_value *v)
{
    int64_t m, d, us;
    if (o->type != MSGPACK_OBJECT_ARRAY || o->via.array.size != 3 ||
        get_int_range(&o->via.array.ptr[0], INT32_MIN, INT32_MAX, &m) < 0 ||
        get_int_range(&o->via.array.ptr[1], INT32_MIN, INT32_MAX, &d) < 0 ||
        get_int_range(&o->via.array.ptr[2], INT64_MIN, INT64_MAX, &us) < 0)
        return -1;
    memset(v, 0, sizeof(*v));
    v->kind = DBF_V_INTERVAL;
    v->u.iv.months = (int32_t)m;
    v->u.iv.days = (int32_t)d;
    v->u.iv.micros = us;
    return 0;
}

static int decode_elem(dbf_type t, const msgpack_object *o, dbf_value *v)
{
    if (o->type == MSGPACK_OBJECT_ARRAY)
        return t == DBF_T_INTERVAL ? decode_interval(o, v) : -1;
    return decode_scalar(o, v);
}

/* elems: where this array's elements go (count checked by the caller) */
static const char *decode_array(const msgpack_object *o, dbf_type elem, dbf_value *v,
                                dbf_value *elems)
{
    if (o->type != MSGPACK_OBJECT_ARRAY || o->via.array.size != 3)
        return "array value is not [dims, lbounds, elements]";
    const msgpack_object *dims = &o->via.array.ptr[0], *lb = &o->via.array.ptr[1],
                         *el = &o->via.array.ptr[2];
    if (dims->type != MSGPACK_OBJECT_ARRAY || lb->type != MSGPACK_OBJECT_ARRAY ||
        el->type != MSGPACK_OBJECT_ARRAY)
        return "array value is not [dims, lbounds, elements]";
    if (dims->via.array.size > DBF_MAX_DIMS || lb->via.array.size != dims->via.array.size)
        return "array dims/lbounds invalid";
    memset(v, 0, sizeof(*v));
    v->kind = DBF_V_ARRAY;
    v->u.arr.ndims = (int)dims->via.array.size;
    uint64_t prod = v->u.arr.ndims == 0 ? 0 : 1;
    for (int d = 0; d < v->u.arr.ndims; d++) {
        int64_t x, y;
        if (get_int_range(&dims->via.array.ptr[d], 0, INT32_MAX, &x) < 0 ||
            get_int_range(&lb->via.array.ptr[d], INT32_MIN, INT32_MAX, &y) < 0)
            return "array dimension or lower bound out of range";
        v->u.arr.dims[d] = (int32_t)x;
        v->u.arr.lbounds[d] = (int32_t)y;
        prod *= (uint64_t)x;
        if (prod > DBF_MAX_CHUNK)
            return "array dimensions too large";
    }
    if (prod != el->via.array.size)
        return "array element count does not match its dimensions";
    for (uint32_t i = 0; i < el->via.array.size; i++) {
        if (decode_elem(elem, &el->via.array.ptr[i], &elems[i]) < 0)
            return "array element of an unexpected MessagePack type";
    }
    v->u.arr.elems = elems;
    v->u.arr.nelems = el->via.array.size;
    return NULL;
}

static int release_later(dbf_reader *r, unsigned char *buf)
{
    if (r->nrelease == r->release_cap) {
        size_t ncap = r->release_cap ? r->release_cap * 2 : 8;
        unsigned char **n = realloc(r->release, ncap * sizeof(*n));
        if (n == NULL)
            return -1;
        r->release = n;
        r->release_cap = ncap;
    }
    r->release[r->nrelease++] = buf;
    return 0;
}

static void release_now(dbf_reader *r)
{
    for (size_t i = 0; i < r->nrelease; i++)
        free(r->release[i]);
    r->nrelease = 0;
}

static int drop_parts(dbf_reader *r, rtable *rt)
{
    int rc = 0;
    for (size_t i = 0; i < rt->nparts; i++) {
        r->pending_bytes -= rt->parts[i].total;
        if (release_later(r, rt->parts[i].buf) < 0) {
            free(rt->parts[i].buf);
            rc = -1;
        }
    }
    rt->nparts = 0;
    return rc;
}

/* Decode row r->row_i of the current ROWS message into r->vals and verify it. */
static int decode_row(dbf_reader *r, dbf_msg *out, dbf_error *err)
{
    rtable *rt = &r->tables[r->rows_table];
    const dbf_table *t = rt->t;
    const msgpack_object *row = &r->rows[r->row_i];
    uint64_t rowno = rt->dg.rows + 1;
    if (row->type != MSGPACK_OBJECT_ARRAY || row->via.array.size != t->ncolumns)
        return CORRUPT(r, err, "table %s, row %llu: not an array of %zu values", tname(t),
                       (unsigned long long)rowno, t->ncolumns);
    size_t n = t->ncolumns, nel = 0;
    for (size_t i = 0; i < n; i++) {
        const msgpack_object *o = &row->via.array.ptr[i];
        if (t->columns[i].type == DBF_T_ARRAY && o->type == MSGPACK_OBJECT_ARRAY &&
            o->via.array.size == 3 && o->via.array.ptr[2].type == MSGPACK_OBJECT_ARRAY)
            nel += o->via.array.ptr[2].via.array.size;
    }
    if (n + 1 > r->vals_cap) {
        dbf_value *nv = realloc(r->vals, (n + 1) * sizeof(*nv));
        if (nv == NULL)
            return nomem(r, err);
        r->vals = nv;
        r->vals_cap = n + 1;
    }
    if (nel > r->elems_cap) {
        dbf_value *ne = realloc(r->elems, nel * sizeof(*ne));
        if (ne == NULL)
            return nomem(r, err);
        r->elems = ne;
        r->elems_cap = nel;
    }
    size_t el_used = 0, placeholders = 0;
    for (size_t i = 0; i < n; i++) {
        const msgpack_object *o = &row->via.array.ptr[i];
        const dbf_column *c = &t->columns[i];
        dbf_value *v = &r->vals[i];
        const char *why = NULL;
        if (o->type == MSGPACK_OBJECT_EXT) {
            if (o->via.ext.type != DBF_EXT_LARGE || o->via.ext.size != 1 ||
                (o->via.ext.ptr[0] != 0 && o->via.ext.ptr[0] != 1)) {
                why = "unknown ext value";
            } else {
                /* parts are in ascending column order: the next one must be this column */
                part *p = placeholders < rt->nparts && rt->parts[placeholders].col == i
                              ? &rt->parts[placeholders] : NULL;
                if (p == NULL || p->len != p->total)
                    why = "large-value placeholder without its complete VALUE_PARTs";
                else {
                    memset(v, 0, sizeof(*v));
                    v->kind = o->via.ext.ptr[0] == 0 ? DBF_V_STR : DBF_V_BIN;
                    v->u.s.ptr = (const char *)p->buf;
                    v->u.s.len = p->len;
                    placeholders++;
                }
            }
        } else if (c->type == DBF_T_ARRAY && o->type == MSGPACK_OBJECT_ARRAY) {
            why = decode_array(o, c->elem_type, v, r->elems != NULL ? r->elems + el_used : NULL);
            if (why == NULL)
                el_used += v->u.arr.nelems;
        } else if (c->type == DBF_T_INTERVAL && o->type == MSGPACK_OBJECT_ARRAY) {
            if (decode_interval(o, v) < 0)
                why = "interval is not [months, days, microseconds]";
        } else if (decode_scalar(o, v) < 0) {
            why = "unexpected MessagePack type";
        }
        if (why != NULL)
            return CORRUPT(r, err, "table %s, column %s, row %llu: %s", tname(t),
                           c->name ? c->name : "?", (unsigned long long)rowno, why);
    }
    if (placeholders != rt->nparts)
        return CORRUPT(r, err, "table %s, row %llu: VALUE_PARTs for columns without placeholder",
                       tname(t), (unsigned long long)rowno);
    if (placeholders > 0 && r->nrows != 1)
        return CORRUPT(r, err, "table %s, row %llu: large values in a ROWS message of %u rows",
                       tname(t), (unsigned long long)rowno, r->nrows);
    dbf_error e2;
    int rc = dbf_digest_add_row(&rt->dg, t, r->vals, n, &e2);
    if (rc == DBF_ENOMEM)
        return nomem(r, err);
    if (rc < 0)
        return CORRUPT(r, err, "%s", e2.msg);
    if (drop_parts(r, rt) < 0)
        return nomem(r, err);
    r->rows_total++;
    out->kind = DBF_MSG_ROW;
    out->table = t;
    out->values = r->vals;
    out->nvalues = n;
    out->row_number = rt->dg.rows;
    return 0;
}

/* ------------------------------------------------------------- messages */

static int on_value_part(dbf_reader *r, const msgpack_object *body, dbf_error *err)
{
    size_t idx;
    int rc = table_of(r, body, &idx, err);
    if (rc < 0)
        return rc;
    rtable *rt = &r->tables[idx];
    uint64_t col, total;
    const msgpack_object *d = body_get(body, "d");
    if (rt->state != 1)
        return CORRUPT(r, err, "table %s: VALUE_PART outside its data", tname(rt->t));
    if (body_u64(body, "c", &col) < 0 || col >= rt->t->ncolumns ||
        body_u64(body, "n", &total) < 0 || d == NULL || d->type != MSGPACK_OBJECT_BIN ||
        d->via.bin.size == 0)
        return CORRUPT(r, err, "table %s: VALUE_PART needs c (column), n (size), d (bytes)",
                       tname(rt->t));
    touch(r, idx);
    part *p = rt->nparts > 0 ? &rt->parts[rt->nparts - 1] : NULL;
    if (p == NULL || p->col != col) {
        if (p != NULL && (p->col > col || p->len != p->total))
            return CORRUPT(r, err, "table %s: VALUE_PART out of column order or incomplete",
                           tname(rt->t));
        if (total > DBF_MAX_VALUE)
            return CORRUPT(r, err, "table %s, column %s: value of %llu bytes over the format "
                           "limit", tname(rt->t), rt->t->columns[col].name,
                           (unsigned long long)total);
        if (total > r->max_value || r->pending_bytes + total > 2 * (uint64_t)r->max_value)
            return corrupt_at(r, err, DBF_EUNSUPPORTED,
                              "table %s, column %s: value of %llu bytes over this reader's "
                              "limit (%zu)", tname(rt->t), rt->t->columns[col].name,
                              (unsigned long long)total, r->max_value);
        if (rt->nparts == rt->parts_cap) {
            size_t ncap = rt->parts_cap ? rt->parts_cap * 2 : 4;
            part *np = realloc(rt->parts, ncap * sizeof(*np));
            if (np == NULL)
                return nomem(r, err);
            rt->parts = np;
            rt->parts_cap = ncap;
        }
        p = &rt->parts[rt->nparts];
        p->buf = NULL; /* allocated as pieces arrive: a declared size alone costs nothing */
        p->cap = 0;
        p->col = (size_t)col;
        p->len = 0;
        p->total = (size_t)total;
        rt->nparts++;
        r->pending_bytes += p->total;
    } else if (total != p->total) {
        return CORRUPT(r, err, "table %s: VALUE_PART size changed within a value", tname(rt->t));
    }
    if (d->via.bin.size > p->total - p->len)
        return CORRUPT(r, err, "table %s: VALUE_PART pieces exceed the value size", tname(rt->t));
    if (p->len + d->via.bin.size > p->cap) {
        size_t cap = p->cap < (1u << 20) ? (2u << 20) : p->cap * 2;
        if (cap > p->total || cap < p->len + d->via.bin.size)
            cap = p->total;
        unsigned char *nb = realloc(p->buf, cap);
        if (nb == NULL)
            return nomem(r, err);
        p->buf = nb;
        p->cap = cap;
    }
    memcpy(p->buf + p->len, d->via.bin.ptr, d->via.bin.size);
    p->len += d->via.bin.size;
    return 0;
}

static int on_rows(dbf_reader *r, const msgpack_object *body, dbf_error *err)
{
    size_t idx;
    int rc = table_of(r, body, &idx, err);
    if (rc < 0)
        return rc;
    rtable *rt = &r->tables[idx];
    uint64_t seq;
    const msgpack_object *rows = body_get(body, "r");
    if (rt->state != 1)
        return CORRUPT(r, err, "table %s: ROWS outside its data", tname(rt->t));
    if (body_u64(body, "s", &seq) < 0 || rows == NULL || rows->type != MSGPACK_OBJECT_ARRAY)
        return CORRUPT(r, err, "table %s: ROWS needs s (sequence) and r (rows)", tname(rt->t));
    if (seq != rt->seq)
        return CORRUPT(r, err, "table %s: ROWS sequence %llu, expected %llu", tname(rt->t),
                       (unsigned long long)seq, (unsigned long long)rt->seq);
    if (rows->via.array.size == 0 && rt->nparts > 0)
        return CORRUPT(r, err, "table %s: VALUE_PARTs not followed by their row", tname(rt->t));
    rt->seq++;
    touch(r, idx);
    r->rows = rows->via.array.ptr;
    r->nrows = rows->via.array.size;
    r->row_i = 0;
    r->rows_table = idx;
    r->in_rows = true;
    return 0;
}

static int on_data_end(dbf_reader *r, const msgpack_object *body, dbf_msg *out,
                       dbf_error *err)
{
    size_t idx;
    int rc = table_of(r, body, &idx, err);
    if (rc < 0)
        return rc;
    rtable *rt = &r->tables[idx];
    uint64_t n;
    const msgpack_object *d = body_get(body, "d");
    if (rt->state != 1)
        return CORRUPT(r, err, "table %s: DATA_END without DATA_BEGIN", tname(rt->t));
    if (body_u64(body, "n", &n) < 0 || d == NULL || d->type != MSGPACK_OBJECT_BIN ||
        d->via.bin.size != DBF_DIGEST_SIZE)
        return CORRUPT(r, err, "table %s: DATA_END needs n (rows) and d (16-byte digest)",
                       tname(rt->t));
    if (rt->nparts > 0)
        return CORRUPT(r, err, "table %s: VALUE_PARTs without their row", tname(rt->t));
    if (n != rt->dg.rows)
        return CORRUPT(r, err, "table %s: DATA_END says %llu rows, %llu were read", tname(rt->t),
                       (unsigned long long)n, (unsigned long long)rt->dg.rows);
    rt->end = dbf_arena_calloc(&r->arena, 1, sizeof(*rt->end));
    if (rt->end == NULL)
        return nomem(r, err);
    rt->end->table_id = rt->t->id;
    rt->end->rows = n;
    dbf_digest_final(&rt->dg, rt->end->digest);
    if (memcmp(rt->end->digest, d->via.bin.ptr, DBF_DIGEST_SIZE) != 0)
        return CORRUPT(r, err, "table %s: content digest mismatch", tname(rt->t));
    touch(r, idx);
    rt->state = 2;
    r->tables_done++;
    r->last_done = rt->t->name;
    out->kind = DBF_MSG_DATA_END;
    out->table = rt->t;
    out->end = rt->end;
    return 0;
}

/* After the trailer: the index frame, the footer, then the end of input. */
static int read_index(dbf_reader *r, uint64_t trailer_off, dbf_error *err)
{
    int rc;
    uint64_t index_off = in_offset(r);
    r->in_index = true;
    if ((rc = load_frame(r, err)) < 0)
        return rc;
    uint64_t kind;
    const msgpack_object *body;
    if (r->chunk_len == 0)
        return CORRUPT(r, err, "empty index frame");
    if ((rc = next_message(r, &kind, &body, err)) < 0)
        return rc;
    if (kind != DBF_K_INDEX || r->msg_off != r->chunk_len)
        return CORRUPT(r, err, "index frame must hold exactly one INDEX message");
    const msgpack_object *tabs = body_get(body, "tables");
    uint64_t data, post, toff, ax;
    if (tabs == NULL || tabs->type != MSGPACK_OBJECT_ARRAY || body_u64(body, "data", &data) < 0 ||
        body_u64(body, "post", &post) < 0 || body_u64(body, "trailer", &toff) < 0 ||
        body_u64(body, "xxh64", &ax) < 0)
        return CORRUPT(r, err, "INDEX needs tables, data, post, trailer, xxh64");
    if (ax != XXH64_digest(r->ax))
        return CORRUPT(r, err, "archive checksum mismatch (bytes before the index)");
    if (toff != trailer_off ||
        data != (r->first_data == UINT64_MAX ? trailer_off : r->first_data) ||
        post != (r->first_post == UINT64_MAX ? trailer_off : r->first_post))
        return CORRUPT(r, err, "INDEX offsets do not match the archive");
    uint32_t k = 0;
    for (size_t i = 0; i < r->ntables; i++) {
        const rtable *rt = &r->tables[i];
        if (rt->state != 2)
            continue;
        if (k >= tabs->via.array.size)
            return CORRUPT(r, err, "INDEX lacks table %s", tname(rt->t));
        const msgpack_object *e = &tabs->via.array.ptr[k++];
        uint64_t id;
        if (e->type != MSGPACK_OBJECT_MAP || body_u64(e, "t", &id) < 0 || id != rt->t->id)
            return CORRUPT(r, err, "INDEX entry %u is not table %s", k - 1, tname(rt->t));
        const msgpack_object *c = body_get(e, "c");
        if (c == NULL || c->type != MSGPACK_OBJECT_ARRAY || c->via.array.size != rt->runs.n)
            return CORRUPT(r, err, "INDEX chunk ranges of table %s do not match", tname(rt->t));
        for (uint32_t j = 0; j < c->via.array.size; j++) {
            if (c->via.array.ptr[j].type != MSGPACK_OBJECT_POSITIVE_INTEGER ||
                c->via.array.ptr[j].via.u64 != rt->runs.v[j])
                return CORRUPT(r, err, "INDEX chunk ranges of table %s do not match",
                               tname(rt->t));
        }
    }
    if (k != tabs->via.array.size)
        return CORRUPT(r, err, "INDEX lists tables without data");
    r->cur_kind = 0;
    if ((rc = ensure(r, DBF_FOOTER_LEN + 1, err)) < 0)
        return rc;
    /* the footer's 16 bytes are known: a short footer is corrupt if a byte present differs */
    unsigned char want[DBF_FOOTER_LEN];
    memcpy(want, DBF_FOOTER_MAGIC, 8);
    for (int i = 0; i < 8; i++)
        want[8 + i] = (unsigned char)(index_off >> (8 * i));
    size_t have = avail(r) < DBF_FOOTER_LEN ? avail(r) : DBF_FOOTER_LEN;
    if (memcmp(r->in + r->in_pos, want, have) != 0)
        return fail(r, err, DBF_ECORRUPT, "footer at byte %llu is invalid",
                    (unsigned long long)in_offset(r));
    if (have < DBF_FOOTER_LEN)
        return truncated(r, err, "in its footer");
    r->in_pos += DBF_FOOTER_LEN;
    if (avail(r) > 0)
        return fail(r, err, DBF_ECORRUPT, "unexpected bytes after the footer at byte %llu",
                    (unsigned long long)in_offset(r));
    return 0;
}

static int on_trailer(dbf_reader *r, const msgpack_object *body, dbf_msg *out, dbf_error *err)
{
    uint64_t tables, rows, chunks, xx;
    if (body_u64(body, "tables", &tables) < 0 || body_u64(body, "rows", &rows) < 0 ||
        body_u64(body, "chunks", &chunks) < 0 || body_u64(body, "xxh64", &xx) < 0)
        return CORRUPT(r, err, "TRAILER needs tables, rows, chunks, xxh64");
    if (r->msg_start != 0 || r->msg_off != r->chunk_len)
        return CORRUPT(r, err, "TRAILER must be alone in the last chunk");
    for (size_t i = 0; i < r->ntables; i++) {
        if (r->tables[i].state == 1)
            return CORRUPT(r, err, "table %s: data not ended before the trailer",
                           tname(r->tables[i].t));
    }
    if (chunks != r->chunks_done)
        return CORRUPT(r, err, "trailer counts %llu chunks, %llu were read",
                       (unsigned long long)chunks, (unsigned long long)r->chunks_done);
    if (xx != XXH64_digest(r->xx))
        return CORRUPT(r, err, "trailer checksum mismatch");
    if (tables != r->tables_done || rows != r->rows_total)
        return CORRUPT(r, err, "trailer totals (%llu tables, %llu rows) do not match the "
                       "archive (%llu, %llu)", (unsigned long long)tables,
                       (unsigned long long)rows, (unsigned long long)r->tables_done,
                       (unsigned long long)r->rows_total);
    r->trailer.tables = tables;
    r->trailer.rows = rows;
    r->trailer.chunks = chunks;
    r->trailer.checksum = xx;
    int rc = read_index(r, r->chunk_start, err);
    if (rc < 0)
        return rc;
    r->have_chunk = false;
    r->state = RS_TRAILER_RETURNED;
    out->kind = DBF_MSG_TRAILER;
    out->trailer = &r->trailer;
    return 0;
}

/* Handle one message. @return 0 with *got set when out holds a message for the caller. */
static int dispatch(dbf_reader *r, uint64_t kind, const msgpack_object *body, dbf_msg *out,
                    bool *got, dbf_error *err)
{
    char why[160] = "";
    int rc;
    size_t idx;
    *got = false;
    if (!r->header_seen && kind != DBF_K_HEADER)
        return CORRUPT(r, err, "the first message must be HEADER");
    switch (kind) {
    case DBF_K_HEADER:
        if (r->header_seen)
            return CORRUPT(r, err, "second HEADER");
        rc = dbf_read_header_body(&r->arena, body, &r->header, why, sizeof(why));
        if (rc == DBF_ENOMEM)
            return nomem(r, err);
        if (rc < 0)
            return CORRUPT(r, err, "%s", why);
        r->header_seen = true;
        out->kind = DBF_MSG_HEADER;
        out->header = &r->header;
        *got = true;
        return 0;
    case DBF_K_TABLE: {
        dbf_table *t = NULL;
        rc = dbf_read_table_body(&r->arena, body, &t, why, sizeof(why));
        if (rc == DBF_ENOMEM)
            return nomem(r, err);
        if (rc < 0)
            return CORRUPT(r, err, "%s", why);
        if (dbf_idmap_get(&r->ids, t->id, &idx))
            return CORRUPT(r, err, "table id %u defined twice", t->id);
        if (r->chunk_has_data || r->first_data != UINT64_MAX || r->chunk_has_post ||
            r->first_post != UINT64_MAX) /* the schema is whole before the data begins */
            return CORRUPT(r, err, "TABLE %s after the first data message or post OBJECT",
                           t->name);
        if (r->ntables == r->tables_cap) {
            size_t ncap = r->tables_cap ? r->tables_cap * 2 : 16;
            rtable *nt = realloc(r->tables, ncap * sizeof(*nt));
            if (nt != NULL)
                r->tables = nt;
            size_t *ntouch = realloc(r->touched, ncap * sizeof(*ntouch));
            if (ntouch != NULL)
                r->touched = ntouch;
            if (nt == NULL || ntouch == NULL)
                return nomem(r, err);
            r->tables_cap = ncap;
        }
        rtable *rt = &r->tables[r->ntables];
        memset(rt, 0, sizeof(*rt));
        rt->t = t;
        dbf_digest_init(&rt->dg);
        if (dbf_idmap_put(&r->ids, t->id, r->ntables) < 0)
            return nomem(r, err);
        r->ntables++;
        out->kind = DBF_MSG_TABLE;
        out->table = t;
        *got = true;
        return 0;
    }
    case DBF_K_OBJECT: {
        dbf_object *o = NULL;
        rc = dbf_read_object_body(&r->arena, body, &o, why, sizeof(why));
        if (rc == DBF_ENOMEM)
            return nomem(r, err);
        if (rc < 0)
            return CORRUPT(r, err, "%s", why);
        if (o->section == DBF_SEC_POST)
            r->chunk_has_post = true;
        if (rc == 1)
            return 0; /* a kind this reader does not know */
        out->kind = DBF_MSG_OBJECT;
        out->object = o;
        *got = true;
        return 0;
    }
    case DBF_K_DATA_BEGIN:
        if ((rc = table_of(r, body, &idx, err)) < 0)
            return rc;
        if (r->tables[idx].state != 0)
            return CORRUPT(r, err, "table %s: second DATA_BEGIN", tname(r->tables[idx].t));
        r->tables[idx].state = 1;
        touch(r, idx);
        out->kind = DBF_MSG_DATA_BEGIN;
        out->table = r->tables[idx].t;
        *got = true;
        return 0;
    case DBF_K_ROWS:
        return on_rows(r, body, err);
    case DBF_K_VALUE_PART:
        return on_value_part(r, body, err);
    case DBF_K_DATA_END:
        if ((rc = on_data_end(r, body, out, err)) < 0)
            return rc;
        *got = true;
        return 0;
    case DBF_K_TRAILER:
        if ((rc = on_trailer(r, body, out, err)) < 0)
            return rc;
        *got = true;
        return 0;
    case DBF_K_INDEX:
        return CORRUPT(r, err, "INDEX before the trailer");
    case DBF_K_ABORT: {
        /* the writer failed: nothing follows; its message is what the end of input means */
        const msgpack_object *m = body_get(body, "message");
        if (m == NULL || m->type != MSGPACK_OBJECT_STR)
            return CORRUPT(r, err, "ABORT needs a str message");
        free(r->aborted);
        r->aborted = strndup(m->via.str.ptr, m->via.str.size);
        return r->aborted ? 0 : nomem(r, err);
    }
    default:
        return 0; /* unknown kind: skipped */
    }
}

/* ------------------------------------------------------------------- API */

int dbf_reader_create(dbf_reader **out, const dbf_reader_opts *opts, dbf_error *err)
{
    int rc = 0;
    dbf_reader *r = NULL;
    *out = NULL;
    if (opts == NULL || opts->version != DBF_READER_OPTS_VERSION || opts->read == NULL)
        return dbf_error_set(err, DBF_EINVAL, "reader options missing, wrong version or no read");
    r = calloc(1, sizeof(*r));
    if (r == NULL)
        return dbf_error_set(err, DBF_ENOMEM, "out of memory");
    r->read = opts->read;
    r->ctx = opts->ctx;
    r->max_value = opts->max_value == 0 || opts->max_value > DBF_MAX_VALUE ? DBF_MAX_VALUE
                                                                          : opts->max_value;
    r->first_data = r->first_post = UINT64_MAX;
    msgpack_unpacked_init(&r->cur);
    r->in = malloc(IN_BUF_SIZE);
    r->dctx = ZSTD_createDCtx();
    r->xx = XXH64_createState();
    r->ax = XXH64_createState();
    if (r->in == NULL || r->dctx == NULL || r->xx == NULL || r->ax == NULL) {
        rc = dbf_error_set(err, DBF_ENOMEM, "out of memory");
        goto done;
    }
    XXH64_reset(r->xx, 0);
    XXH64_reset(r->ax, 0);
    if (ZSTD_isError(ZSTD_DCtx_setParameter(r->dctx, ZSTD_d_windowLogMax, WINDOW_LOG_MAX))) {
        rc = dbf_error_set(err, DBF_ENOMEM, "zstd setup failed");
        goto done;
    }
    if ((rc = ensure(r, DBF_PREAMBLE_LEN, err)) < 0)
        goto done;
    const unsigned char *p = r->in;
    size_t n = avail(r);
    size_t cmp = n < DBF_MAGIC_LEN ? n : DBF_MAGIC_LEN;
    if (memcmp(p, DBF_MAGIC, cmp) != 0) {
        rc = dbf_error_set(err, DBF_ECORRUPT, "not a dbdump archive (bad magic)");
        goto done;
    }
    /* in byte order: the first byte that fails decides (spec/FORMAT.md section 6) */
    if (n > 8 && p[8] != DBF_FORMAT_MAJOR) {
        rc = dbf_error_set(err, DBF_EVERSION, "archive format major version %u, this reader "
                           "reads %u.x", p[8], DBF_FORMAT_MAJOR);
        goto done;
    }
    if ((n > 10 && p[10] != 0) || (n > 11 && p[11] != 0)) {
        rc = dbf_error_set(err, DBF_ECORRUPT, "preamble flags are not zero");
        goto done;
    }
    if (n < DBF_PREAMBLE_LEN) {
        rc = dbf_error_set(err, DBF_ETRUNCATED, "archive truncated in its preamble (%zu bytes)",
                           n);
        goto done;
    }
    r->header.version_major = p[8];
    r->header.version_minor = p[9];
    XXH64_update(r->ax, p, DBF_PREAMBLE_LEN);
    r->in_pos += DBF_PREAMBLE_LEN;
done:
    if (rc < 0) {
        dbf_reader_free(r);
        return rc;
    }
    *out = r;
    return 0;
}

int dbf_reader_next(dbf_reader *r, dbf_msg *out, dbf_error *err)
{
    int rc;
    if (r == NULL || out == NULL)
        return dbf_error_set(err, DBF_EINVAL, "NULL reader or message");
    if (r->failed) {
        if (err != NULL)
            *err = r->failed_err;
        return r->failed;
    }
    release_now(r);
    memset(out, 0, sizeof(*out));
    if (r->state == RS_TRAILER_RETURNED || r->state == RS_END) {
        r->state = RS_END;
        out->kind = DBF_MSG_END;
        return 0;
    }
    for (;;) {
        if (r->in_rows) {
            if (r->row_i < r->nrows) {
                rc = decode_row(r, out, err);
                r->row_i++;
                return rc;
            }
            r->in_rows = false;
        }
        if (!r->have_chunk || r->msg_off == r->chunk_len) {
            if (r->have_chunk && (rc = finish_chunk(r, err)) < 0)
                return rc;
            if ((rc = load_frame(r, err)) < 0)
                return rc;
            continue;
        }
        uint64_t kind;
        const msgpack_object *body;
        bool got = false;
        if ((rc = next_message(r, &kind, &body, err)) < 0)
            return rc;
        if ((rc = dispatch(r, kind, body, out, &got, err)) < 0)
            return rc;
        if (got)
            return 0;
    }
}

const dbf_header *dbf_reader_header(const dbf_reader *r)
{
    return r != NULL && r->header_seen ? &r->header : NULL;
}

const dbf_table *dbf_reader_table(const dbf_reader *r, uint32_t id)
{
    size_t idx;
    if (r == NULL || !dbf_idmap_get(&r->ids, id, &idx))
        return NULL;
    return r->tables[idx].t;
}

uint64_t dbf_reader_bytes_in(const dbf_reader *r)
{
    return r != NULL ? in_offset(r) : 0;
}

bool dbf_reader_writer_failed(const dbf_reader *r)
{
    return r != NULL && r->aborted != NULL;
}

void dbf_reader_free(dbf_reader *r)
{
    if (r == NULL)
        return;
    release_now(r);
    free(r->release);
    free(r->aborted);
    for (size_t i = 0; i < r->ntables; i++) {
        rtable *rt = &r->tables[i];
        for (size_t k = 0; k < rt->nparts; k++)
            free(rt->parts[k].buf);
        free(rt->parts);
        dbf_runs_free(&rt->runs);
    }
    free(r->tables);
    free(r->touched);
    dbf_idmap_free(&r->ids);
    dbf_arena_free(&r->arena);
    msgpack_unpacked_destroy(&r->cur);
    free(r->vals);
    free(r->elems);
    ZSTD_freeDCtx(r->dctx);
    XXH64_freeState(r->xx);
    XXH64_freeState(r->ax);
    free(r->in);
    free(r->chunk);
    free(r);
}
