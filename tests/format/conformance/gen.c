/*
 * gen.c - the conformance corpus of spec/FORMAT.md: hand-built archives, each with the verdict
 * the spec's text requires (accept, corrupt, truncated, version) and the rule it covers.
 *
 *   conformance_gen DIR     writes DIR/NAME.dbd for every case and DIR/MANIFEST, one line per
 *                           case: "NAME VERDICT RULE..."
 *
 * Built with msgpack-c, zstd and xxhash directly, never with libdbf, so that the corpus does
 * not depend on the code it tests. Frames are laid out by hand (raw blocks, RFC 8878), except
 * where a case asks for zstd's own compression. The expected verdicts come from the spec's
 * text; run.sh compares them with `dbrestore --check`.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <msgpack.h>
#define ZSTD_STATIC_LINKING_ONLY
#include <zstd.h>
#define XXH_STATIC_LINKING_ONLY
#include <xxhash.h>

#define MAXCH 16
#define MAXT 8

typedef struct buf {
    unsigned char *p;
    size_t len, cap;
} buf;

static void put(buf *b, const void *p, size_t n)
{
    if (b->len + n > b->cap) {
        size_t c = b->cap ? b->cap * 2 : 4096;
        while (c < b->len + n)
            c *= 2;
        b->p = realloc(b->p, c);
        if (b->p == NULL)
            abort();
        b->cap = c;
    }
    if (n)
        memcpy(b->p + b->len, p, n);
    b->len += n;
}

static void put_le(buf *b, uint64_t v, int n)
{
    for (int i = 0; i < n; i++) {
        unsigned char c = (unsigned char)(v >> (8 * i));
        put(b, &c, 1);
    }
}

/* ------------------------------------------------------------ the archive */

typedef struct chunk {
    msgpack_sbuffer sb;
    bool touched[MAXT + 1]; /* a data message of table t */
    bool data, post;
} chunk;

/* how to break the assembled archive (all zero: a valid archive) */
typedef struct knobs {
    int major, minor, flags;    /* preamble (minor also goes in the HEADER unless hdr_minor) */
    int frame_mode[MAXCH + 2];  /* per frame index (0.. chunks, trailer, index): FM_* */
    bool compress;              /* zstd's own compression instead of raw blocks */
    bool no_trailer;            /* stop after the chunks (ABORT streams, cut archives) */
    int64_t tr_tables, tr_rows, tr_chunks; /* added to the true trailer values */
    bool tr_bad_xxh, tr_extra_msg;
    bool ix_bad_xxh, ix_drop_table, ix_extra_table, ix_two_msgs, ix_bad_range;
    int64_t ix_data, ix_post, ix_trailer;
    int64_t ft_off;          /* added to the footer's offset */
    bool ft_bad_magic;
    size_t cut;              /* keep only this many bytes (0: all) */
    size_t cut_end;          /* drop this many bytes at the end */
    const char *append;      /* bytes after the footer */
} knobs;

enum {
    FM_OK,
    FM_NO_CHECKSUM,
    FM_NO_FCS,
    FM_DICT,
    FM_RESERVED_BIT,
    FM_UNUSED_BIT,
    FM_BIG_WINDOW,
    FM_BAD_CHECKSUM,
    FM_BLOCK_TYPE3,
    FM_BLOCK_OVER_MAX,
    FM_SHORT_CONTENT,
    FM_LONG_CONTENT,
    FM_SKIPPABLE_BEFORE,
};

static chunk ch[MAXCH];
static int nch;
static msgpack_packer pk;   /* packs into the current chunk */
static msgpack_sbuffer rowb; /* the current row, canonical (digest) */
static msgpack_packer rp;
static knobs K;
/* per table */
static int tab_order[MAXT], ntab;
static bool ended[MAXT + 1];
static uint64_t trows[MAXT + 1], lo[MAXT + 1], hi[MAXT + 1];
static int ndata_end;
static uint64_t rows_total;

static void reset(void)
{
    for (int i = 0; i < nch; i++)
        msgpack_sbuffer_destroy(&ch[i].sb);
    memset(ch, 0, sizeof(ch));
    nch = 0;
    memset(&K, 0, sizeof(K));
    K.major = 1;
    K.minor = 2;
    ntab = 0;
    memset(ended, 0, sizeof(ended));
    memset(trows, 0, sizeof(trows));
    memset(lo, 0, sizeof(lo));
    memset(hi, 0, sizeof(hi));
    ndata_end = 0;
    rows_total = 0;
}

static void new_chunk(void)
{
    msgpack_sbuffer_init(&ch[nch].sb);
    msgpack_packer_init(&pk, &ch[nch].sb, msgpack_sbuffer_write);
    nch++;
}

static chunk *cur(void)
{
    return &ch[nch - 1];
}

static void s(msgpack_packer *p, const char *str)
{
    msgpack_pack_str_with_body(p, str, strlen(str));
}

static void k(const char *str)
{
    s(&pk, str);
}

static void msg(int kind, size_t nkeys)
{
    msgpack_pack_array(&pk, 2);
    msgpack_pack_int(&pk, kind);
    msgpack_pack_map(&pk, nkeys);
}

static void header_v(int minor)
{
    msg(1, 2);
    k("format");
    msgpack_pack_array(&pk, 2);
    msgpack_pack_int(&pk, 1);
    msgpack_pack_int(&pk, minor);
    k("producer");
    k("conformance_gen");
}

static void header(void)
{
    header_v(K.minor);
}

/* TABLE id with columns given as "name:type" strings */
static void table(int id, int ncols, ...)
{
    msg(2, 3);
    k("id");
    msgpack_pack_int(&pk, id);
    k("name");
    char nm[16];
    snprintf(nm, sizeof nm, "t%d", id);
    k(nm);
    k("columns");
    msgpack_pack_array(&pk, (size_t)ncols);
    va_list ap;
    va_start(ap, ncols);
    for (int i = 0; i < ncols; i++) {
        const char *spec = va_arg(ap, const char *);
        const char *colon = strchr(spec, ':');
        msgpack_pack_map(&pk, 2);
        k("name");
        msgpack_pack_str_with_body(&pk, spec, (size_t)(colon - spec));
        k("type");
        k(colon + 1);
    }
    va_end(ap);
    if (ntab < MAXT)
        tab_order[ntab++] = id;
}

/* TABLE 1 "t" with one column "a" of type `type` whose map has nkeys keys: the caller packs
 * the nkeys - 2 after name and type */
static void column_table(size_t nkeys, const char *type)
{
    msg(2, 3);
    k("id");
    msgpack_pack_int(&pk, 1);
    k("name");
    k("t");
    k("columns");
    msgpack_pack_array(&pk, 1);
    msgpack_pack_map(&pk, nkeys);
    k("name");
    k("a");
    k("type");
    k(type);
    if (ntab < MAXT)
        tab_order[ntab++] = 1;
}

static void tmsg(int kind, int id)
{
    msg(kind, 1);
    k("t");
    msgpack_pack_int(&pk, id);
    cur()->touched[id] = true;
    cur()->data = true;
}

static void data_begin(int id)
{
    tmsg(4, id);
}

static void rows_begin(int id, int seq, int n)
{
    msg(5, 3);
    k("t");
    msgpack_pack_int(&pk, id);
    k("s");
    msgpack_pack_int(&pk, seq);
    k("r");
    msgpack_pack_array(&pk, (size_t)n);
    cur()->touched[id] = true;
    cur()->data = true;
}

/* start a row of n values: pack them with rp (canonical forms, as msgpack-c packs) */
static void row(int n)
{
    rowb.size = 0;
    msgpack_pack_array(&rp, (size_t)n);
}

/* the row packed with rp: counted, digested, and (wire) appended to the current ROWS */
static void row_end_as(int id, bool wire)
{
    XXH128_hash_t h = XXH3_128bits(rowb.data, rowb.size);
    lo[id] += h.low64;
    hi[id] += h.high64;
    trows[id]++;
    if (wire)
        msgpack_sbuffer_write(&ch[nch - 1].sb, rowb.data, rowb.size);
}

static void row_end(int id)
{
    row_end_as(id, true);
}

/* DATA_END with the true count and digest, changed by dn / dflip */
static void data_end_x(int id, int64_t dn, int dflip, size_t dlen)
{
    msg(7, 3);
    k("t");
    msgpack_pack_int(&pk, id);
    k("n");
    msgpack_pack_uint64(&pk, trows[id] + (uint64_t)dn);
    k("d");
    unsigned char d[17] = {0};
    for (int i = 0; i < 8; i++) {
        d[i] = (unsigned char)(lo[id] >> (8 * i));
        d[8 + i] = (unsigned char)(hi[id] >> (8 * i));
    }
    d[0] ^= (unsigned char)dflip;
    msgpack_pack_bin_with_body(&pk, d, dlen);
    cur()->touched[id] = true;
    cur()->data = true;
    ended[id] = true;
    ndata_end++;
    rows_total += trows[id];
}

static void data_end(int id)
{
    data_end_x(id, 0, 0, 16);
}

/* one table t1 (a:int, b:text) with its rows (1,'x'), (2, nil) */
static void simple_data(void)
{
    table(1, 2, "a:int", "b:text");
    data_begin(1);
    rows_begin(1, 0, 2);
    row(2);
    msgpack_pack_int(&rp, 1);
    s(&rp, "x");
    row_end(1);
    row(2);
    msgpack_pack_int(&rp, 2);
    msgpack_pack_nil(&rp);
    row_end(1);
    data_end(1);
}

static void object(const char *kind, const char *section)
{
    msg(3, 3);
    k("kind");
    k(kind);
    k("section");
    k(section);
    k("name");
    k("o");
    if (strcmp(section, "post") == 0)
        cur()->post = true;
}

/* a one-value table (column type `type`) whose single row is packed by the caller with rp */
static void one_value_begin(const char *type)
{
    char c[64];
    snprintf(c, sizeof c, "v:%s", type);
    table(1, 1, c);
    data_begin(1);
    rows_begin(1, 0, 1);
    row(1);
}

static void one_value_end(void)
{
    row_end(1);
    data_end(1);
}

/* ------------------------------------------------------------- frames */

static void frame(buf *out, const unsigned char *c, size_t n, int mode)
{
    if (mode == FM_SKIPPABLE_BEFORE) {
        put_le(out, 0x184D2A50, 4);
        put_le(out, 4, 4);
        put_le(out, 0, 4);
    }
    if (K.compress && mode == FM_OK) {
        ZSTD_CCtx *z = ZSTD_createCCtx();
        ZSTD_CCtx_setParameter(z, ZSTD_c_checksumFlag, 1);
        ZSTD_CCtx_setParameter(z, ZSTD_c_contentSizeFlag, 1);
        size_t cap = ZSTD_compressBound(n);
        unsigned char *zb = malloc(cap);
        size_t zn = ZSTD_compress2(z, zb, cap, c, n);
        if (ZSTD_isError(zn))
            abort();
        put(out, zb, zn);
        free(zb);
        ZSTD_freeCCtx(z);
        return;
    }
    size_t fcs = n;
    if (mode == FM_SHORT_CONTENT)
        fcs = n + 1; /* the blocks give one byte less than declared */
    if (mode == FM_LONG_CONTENT)
        fcs = n - 1; /* blocks of at most fcs bytes give one byte more than declared */
    put_le(out, 0xFD2FB528, 4);
    /* descriptor: FCS field of 4 bytes (flag 2), Single_Segment, checksum; or variants */
    unsigned fhd = 0x80 | 0x20 | 0x04;
    if (mode == FM_NO_FCS)
        fhd = 0x04; /* no FCS field, not single segment: a window descriptor */
    if (mode == FM_BIG_WINDOW)
        fhd = 0x80 | 0x04; /* FCS field and a window descriptor */
    if (mode == FM_NO_CHECKSUM)
        fhd &= ~0x04u;
    if (mode == FM_DICT)
        fhd |= 0x01;
    if (mode == FM_RESERVED_BIT)
        fhd |= 0x08;
    if (mode == FM_UNUSED_BIT)
        fhd |= 0x10;
    put_le(out, fhd, 1);
    if (!(fhd & 0x20)) /* Window_Log 10 + exponent: 13 is 8 MiB (allowed), 14 is 16 MiB */
        put_le(out, (uint64_t)(mode == FM_BIG_WINDOW ? 14 : 13) << 3, 1);
    if (fhd & 0x03)
        put_le(out, 7, 1); /* Dictionary_ID */
    if (fhd & 0xc0)
        put_le(out, fcs, 4);
    size_t bms = fcs < (128u << 10) ? fcs : (128u << 10);
    if (!(fhd & 0x20))
        bms = 128u << 10;
    size_t pos = 0;
    do {
        size_t b = n - pos < bms ? n - pos : bms;
        if (bms == 0)
            b = 0;
        bool last = pos + b == n;
        uint32_t type = 0, size = (uint32_t)b;
        if (mode == FM_BLOCK_TYPE3)
            type = 3;
        if (mode == FM_BLOCK_OVER_MAX)
            size = (uint32_t)bms + 1;
        uint32_t bh = (last ? 1u : 0u) | type << 1 | size << 3;
        put_le(out, bh, 3);
        put(out, c + pos, b);
        pos += b;
    } while (pos < n);
    uint64_t x = XXH64(c, n, 0);
    if (mode == FM_BAD_CHECKSUM)
        x ^= 1;
    if (fhd & 0x04)
        put_le(out, x & 0xffffffffu, 4);
}

/* ------------------------------------------------------------- assembly */

static buf assemble(void)
{
    buf out = {0};
    unsigned char pre[12] = {0x89, 'D', 'B', 'D', '\r', '\n', 0x1a, '\n'};
    pre[8] = (unsigned char)K.major;
    pre[9] = (unsigned char)K.minor;
    pre[10] = (unsigned char)(K.flags & 0xff);
    pre[11] = (unsigned char)(K.flags >> 8);
    put(&out, pre, 12);
    uint64_t off[MAXCH + 1];
    XXH64_state_t *cx = XXH64_createState();
    XXH64_reset(cx, 0);
    for (int i = 0; i < nch; i++) {
        off[i] = out.len;
        frame(&out, (unsigned char *)ch[i].sb.data, ch[i].sb.size, K.frame_mode[i]);
        XXH64_update(cx, ch[i].sb.data, ch[i].sb.size);
    }
    uint64_t cxx = XXH64_digest(cx);
    XXH64_freeState(cx);
    if (K.no_trailer)
        goto cut;
    uint64_t tr_off = out.len;
    off[nch] = tr_off;
    msgpack_sbuffer t;
    msgpack_sbuffer_init(&t);
    msgpack_packer_init(&pk, &t, msgpack_sbuffer_write);
    msg(8, 4);
    k("tables");
    msgpack_pack_uint64(&pk, (uint64_t)((int64_t)ndata_end + K.tr_tables));
    k("rows");
    msgpack_pack_uint64(&pk, (uint64_t)((int64_t)rows_total + K.tr_rows));
    k("chunks");
    msgpack_pack_uint64(&pk, (uint64_t)((int64_t)nch + K.tr_chunks));
    k("xxh64");
    msgpack_pack_uint64(&pk, cxx ^ (K.tr_bad_xxh ? 1 : 0));
    if (K.tr_extra_msg)
        msg(500, 0);
    frame(&out, (unsigned char *)t.data, t.size, K.frame_mode[nch]);
    msgpack_sbuffer_destroy(&t);
    /* INDEX */
    uint64_t ix_off = out.len;
    uint64_t data_off = tr_off, post_off = tr_off;
    for (int i = nch - 1; i >= 0; i--) {
        if (ch[i].data)
            data_off = off[i];
        if (ch[i].post)
            post_off = off[i];
    }
    msgpack_sbuffer ix;
    msgpack_sbuffer_init(&ix);
    msgpack_packer_init(&pk, &ix, msgpack_sbuffer_write);
    msg(9, 5);
    k("tables");
    int listed = 0;
    for (int j = 0; j < ntab; j++)
        listed += ended[tab_order[j]];
    if (K.ix_drop_table)
        listed--;
    if (K.ix_extra_table)
        listed++;
    msgpack_pack_array(&pk, (size_t)listed);
    int done = 0;
    for (int j = 0; j < ntab && done < listed; j++) {
        int id = tab_order[j];
        if (!ended[id])
            continue;
        done++;
        msgpack_pack_map(&pk, 2);
        k("t");
        msgpack_pack_int(&pk, id);
        k("c");
        uint64_t r[2 * MAXCH];
        int nr = 0;
        for (int i = 0; i < nch; i++) {
            if (!ch[i].touched[id])
                continue;
            if (nr > 0 && r[nr - 1] == off[i])
                r[nr - 1] = off[i + 1];
            else {
                r[nr++] = off[i];
                r[nr++] = off[i + 1];
            }
        }
        if (K.ix_bad_range)
            r[nr - 1]++;
        msgpack_pack_array(&pk, (size_t)nr);
        for (int i = 0; i < nr; i++)
            msgpack_pack_uint64(&pk, r[i]);
    }
    if (K.ix_extra_table && done < listed) {
        msgpack_pack_map(&pk, 2);
        k("t");
        msgpack_pack_int(&pk, 7);
        k("c");
        msgpack_pack_array(&pk, 0);
    }
    k("data");
    msgpack_pack_uint64(&pk, (uint64_t)((int64_t)data_off + K.ix_data));
    k("post");
    msgpack_pack_uint64(&pk, (uint64_t)((int64_t)post_off + K.ix_post));
    k("trailer");
    msgpack_pack_uint64(&pk, (uint64_t)((int64_t)tr_off + K.ix_trailer));
    k("xxh64");
    msgpack_pack_uint64(&pk, XXH64(out.p, out.len, 0) ^ (K.ix_bad_xxh ? 1 : 0));
    if (K.ix_two_msgs)
        msg(500, 0);
    frame(&out, (unsigned char *)ix.data, ix.size, K.frame_mode[nch + 1]);
    msgpack_sbuffer_destroy(&ix);
    put(&out, K.ft_bad_magic ? "DBDINDEx" : "DBDINDEX", 8);
    put_le(&out, (uint64_t)((int64_t)ix_off + K.ft_off), 8);
    if (K.append)
        put(&out, K.append, strlen(K.append));
cut:
    if (K.cut)
        out.len = K.cut < out.len ? K.cut : out.len;
    if (K.cut_end)
        out.len -= K.cut_end;
    return out;
}

/* ------------------------------------------------------------- cases */

static const char *dir;
static FILE *manifest;
static int ncases;

/* write the case assembled from the chunks and knobs, then reset */
static void emit(const char *name, const char *verdict, const char *rule)
{
    buf a = assemble();
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.dbd", dir, name);
    FILE *f = fopen(path, "wb");
    if (f == NULL || fwrite(a.p, 1, a.len, f) != a.len || fclose(f) != 0) {
        perror(path);
        exit(1);
    }
    fprintf(manifest, "%s %s %s\n", name, verdict, rule);
    free(a.p);
    ncases++;
    reset();
}

/* a valid archive of simple_data in one chunk */
static void valid(void)
{
    new_chunk();
    header();
    simple_data();
}

static void cases_layout(void)
{
    valid();
    emit("ok_simple", "accept", "1 byte layout: preamble, chunks, trailer chunk, index, footer");
    valid();
    K.compress = true;
    emit("ok_compressed", "accept", "1 frames: zstd compressed blocks");
    new_chunk();
    header();
    emit("ok_no_tables", "accept", "1 layout with no table");
    new_chunk();
    header();
    table(1, 1, "a:int");
    emit("ok_schema_only", "accept", "3.6 a table without DATA_BEGIN has no INDEX entry");
    new_chunk();
    header();
    table(1, 1, "a:int");
    data_begin(1);
    data_end(1);
    emit("ok_empty_table", "accept", "3.6 a table of 0 rows is listed in the INDEX");
    valid();
    new_chunk();
    emit("ok_empty_chunk", "accept", "1 an empty chunk content is allowed");
    K.minor = 9;
    valid();
    emit("ok_later_minor", "accept", "1 any minor of major 1 is accepted");

    /* preamble */
    valid();
    K.major = 2;
    emit("preamble_major", "version", "1 a major other than 1: DBF_EVERSION");
    valid();
    K.flags = 1;
    emit("preamble_flags", "corrupt", "1 flags MUST be zero");
    valid();
    K.flags = 0x100;
    emit("preamble_flags_high", "corrupt", "1 flags MUST be zero");
    new_chunk();
    header_v(1);
    K.minor = 2;
    emit("preamble_minor_differs", "corrupt", "3.1 HEADER format MUST equal the preamble");
    valid();
    K.cut = 7;
    emit("preamble_cut", "truncated", "6 input ends inside the preamble, magic so far");
    valid();
    K.cut = 10;
    emit("preamble_cut_after_major", "truncated", "6 input ends inside the preamble");
    valid();
    K.major = 3;
    K.cut = 9;
    emit("preamble_cut_bad_major", "version", "6 the major byte present and not 1");
    valid();
    K.cut = 5;
    emit("preamble_cut_short", "truncated", "6 input ends inside the magic");
}

static void cases_frames(void)
{
    static const struct {
        int mode;
        const char *name, *verdict, *rule;
    } fm[] = {
        {FM_NO_CHECKSUM, "frame_no_checksum", "corrupt", "1 Content_Checksum_Flag MUST be set"},
        {FM_NO_FCS, "frame_no_content_size", "corrupt", "1 Frame_Content_Size MUST be present"},
        {FM_DICT, "frame_dictionary", "corrupt", "1 no dictionary"},
        {FM_RESERVED_BIT, "frame_reserved_bit", "corrupt", "1 descriptor bit 3 zero"},
        {FM_UNUSED_BIT, "frame_unused_bit", "corrupt", "1 descriptor bit 4 zero"},
        {FM_BIG_WINDOW, "frame_window_16MiB", "corrupt", "1 window at most 8 MiB"},
        {FM_BAD_CHECKSUM, "frame_bad_checksum", "corrupt", "1 content checksum mismatch"},
        {FM_BLOCK_TYPE3, "frame_block_type_3", "corrupt", "1 Block_Type 3 is corrupt"},
        {FM_BLOCK_OVER_MAX, "frame_block_over_max", "corrupt",
         "1 Block_Size over Block_Maximum_Size is corrupt"},
        {FM_SHORT_CONTENT, "frame_content_short", "corrupt",
         "1 content short of Frame_Content_Size"},
        {FM_LONG_CONTENT, "frame_content_long", "corrupt",
         "1 content past Frame_Content_Size"},
        {FM_SKIPPABLE_BEFORE, "frame_skippable", "corrupt", "1 skippable frames are corrupt"},
    };
    for (size_t i = 0; i < sizeof(fm) / sizeof(fm[0]); i++) {
        valid();
        K.frame_mode[0] = fm[i].mode;
        emit(fm[i].name, fm[i].verdict, fm[i].rule);
    }
    valid();
    K.frame_mode[1] = FM_BAD_CHECKSUM;
    emit("frame_trailer_bad_checksum", "corrupt", "1 the trailer chunk's checksum");
    valid();
    K.frame_mode[2] = FM_BAD_CHECKSUM;
    emit("frame_index_bad_checksum", "corrupt", "1 the index frame's checksum");
    /* content over 4 MiB */
    new_chunk();
    header();
    msg(500, 1);
    k("pad");
    static char pad[(4u << 20) + 16];
    msgpack_pack_bin_with_body(&pk, pad, sizeof pad);
    K.compress = true;
    emit("frame_content_over_4MiB", "corrupt", "1 Frame_Content_Size at most 4 MiB");
    /* a block whose size stays within the maximum but reaches past the input's end */
    new_chunk();
    header();
    msg(500, 1);
    k("pad");
    static char pad2[300000];
    msgpack_pack_bin_with_body(&pk, pad2, sizeof pad2);
    K.no_trailer = true;
    K.cut_end = 1000;
    emit("frame_block_past_end", "truncated", "6 input ends inside a block's content");
    valid();
    K.no_trailer = true;
    K.cut_end = 2;
    emit("frame_cut_in_checksum", "truncated", "6 input ends inside the content checksum");
    valid();
    K.cut = 15;
    emit("frame_cut_in_header", "truncated", "6 input ends inside a frame header");
    valid();
    K.cut = 14;
    K.frame_mode[0] = FM_SKIPPABLE_BEFORE;
    emit("frame_cut_not_magic", "corrupt", "6 a cut frame header not starting with the magic");
    valid();
    K.no_trailer = true;
    emit("cut_between_chunks", "truncated", "6 input ends after a chunk: more must follow");
    valid();
    K.cut_end = 16 + 20;
    emit("cut_in_index_frame", "truncated", "6 input ends inside the index frame");
    valid();
    K.cut_end = 3;
    emit("cut_in_footer", "truncated", "6 input ends inside the footer, bytes right so far");
    valid();
    K.cut_end = 16;
    emit("cut_before_footer", "truncated", "6 input ends after the index frame");
    valid();
    K.cut_end = 3;
    K.ft_bad_magic = true;
    emit("cut_footer_wrong_byte", "corrupt", "6 a short footer with a wrong byte is corrupt");
    valid();
    K.ft_bad_magic = true;
    emit("footer_bad_magic", "corrupt", "1 footer magic DBDINDEX");
    valid();
    K.ft_off = 1;
    emit("footer_bad_offset", "corrupt", "3.6 footer index-offset is the index frame's");
    valid();
    K.append = "x";
    emit("footer_trailing_bytes", "corrupt", "1 bytes after the footer are corrupt");
    new_chunk();
    header();
    new_chunk();
    msgpack_sbuffer_write(&cur()->sb, "\x92\x05", 2); /* a message cut at its chunk's end */
    emit("chunk_message_spans_chunks", "corrupt", "1 a message never spans two chunks");
}

static void cases_messages(void)
{
    valid();
    msgpack_pack_array(&pk, 3);
    msgpack_pack_int(&pk, 500);
    msgpack_pack_nil(&pk);
    msgpack_pack_nil(&pk);
    emit("msg_not_pair", "corrupt", "2 a message is [kind, body]");
    valid();
    msgpack_pack_array(&pk, 2);
    msgpack_pack_int(&pk, 0);
    msgpack_pack_map(&pk, 0);
    emit("msg_kind_zero", "corrupt", "2 kind is a positive integer");
    valid();
    msgpack_pack_array(&pk, 2);
    msgpack_pack_int(&pk, 3);
    msgpack_pack_array(&pk, 0);
    emit("msg_body_not_map", "corrupt", "2 a body of kinds 1 to 10 is a map");
    valid();
    msg(3, 3);
    k("kind");
    k("view");
    k("section");
    k("post");
    msgpack_pack_int(&pk, 5);
    k("x");
    cur()->post = true;
    emit("msg_key_not_str", "corrupt", "2 map keys are str");
    valid();
    msgpack_pack_array(&pk, 2);
    msgpack_pack_int(&pk, 500);
    msgpack_pack_array(&pk, 1);
    msgpack_pack_int(&pk, 1);
    msgpack_pack_array(&pk, 2);
    msgpack_pack_int(&pk, 1000);
    msgpack_pack_map(&pk, 1);
    msgpack_pack_int(&pk, 1);
    msgpack_pack_int(&pk, 2);
    emit("ok_unknown_kinds", "accept", "2 a message of unknown kind is skipped, any body");
    valid();
    msgpack_sbuffer_write(&cur()->sb, "\xc1", 1);
    emit("msg_malformed", "corrupt", "1 content is whole MessagePack messages");
    valid();
    msgpack_sbuffer_write(&cur()->sb, "\x92\x0a\xdd\x7f\xff\xff\xff", 7);
    emit("msg_count_over_bytes", "corrupt", "6 counts checked against the bytes left");

    /* order */
    new_chunk();
    table(1, 1, "a:int");
    header();
    emit("order_header_not_first", "corrupt", "2 HEADER is the first message");
    valid();
    header();
    emit("order_two_headers", "corrupt", "2 HEADER appears once");
    new_chunk();
    header();
    table(1, 1, "a:int");
    table(1, 1, "a:int");
    emit("order_table_twice", "corrupt", "2 a TABLE id is defined once");
    valid();
    table(2, 1, "a:int");
    emit("order_table_after_data", "corrupt", "2 no TABLE after the first data message");
    new_chunk();
    header();
    object("index", "post");
    table(1, 1, "a:int");
    emit("order_table_after_post", "corrupt", "2 no TABLE after the first post OBJECT");
    new_chunk();
    header();
    object("index", "post");
    object("sequence", "pre");
    emit("ok_pre_after_post", "accept", "2 objects are applied by section, not position");
    new_chunk();
    header();
    data_begin(1);
    emit("order_undefined_table", "corrupt", "2 data names a defined TABLE");
    new_chunk();
    header();
    table(1, 1, "a:int");
    data_begin(1);
    data_end(1);
    data_begin(1);
    data_end(1);
    emit("order_two_data_begin", "corrupt", "2 at most one DATA_BEGIN per table");
    new_chunk();
    header();
    table(1, 1, "a:int");
    rows_begin(1, 0, 0);
    emit("order_rows_before_begin", "corrupt", "2 ROWS only between DATA_BEGIN and DATA_END");
    valid();
    rows_begin(1, 1, 0);
    emit("order_rows_after_end", "corrupt", "2 ROWS only between DATA_BEGIN and DATA_END");
    new_chunk();
    header();
    table(1, 1, "a:int");
    data_begin(1);
    rows_begin(1, 1, 0);
    data_end(1);
    emit("order_rows_seq_gap", "corrupt", "2 ROWS s is 0, 1, 2, ... without gaps");
    new_chunk();
    header();
    table(1, 1, "a:int");
    data_begin(1);
    rows_begin(1, 0, 0);
    rows_begin(1, 0, 0);
    data_end(1);
    emit("order_rows_seq_repeat", "corrupt", "2 ROWS s is 0, 1, 2, ... without gaps");
    new_chunk();
    header();
    table(1, 1, "a:int");
    data_begin(1);
    ndata_end = 0;
    emit("order_data_not_ended", "corrupt", "2 every table's data ended before the TRAILER");
    /* interleaved data, in several chunks */
    new_chunk();
    header();
    table(1, 1, "a:int");
    table(2, 1, "b:text");
    data_begin(1);
    data_begin(2);
    rows_begin(2, 0, 1);
    row(1);
    s(&rp, "two");
    row_end(2);
    new_chunk();
    rows_begin(1, 0, 1);
    row(1);
    msgpack_pack_int(&rp, -5);
    row_end(1);
    data_end(2);
    new_chunk();
    object("index", "post");
    new_chunk();
    data_end(1);
    emit("ok_interleaved", "accept", "2 data of several tables MAY be interleaved");
}

static void cases_keys(void)
{
    new_chunk();
    msg(1, 0);
    emit("key_header_no_format", "corrupt", "3 required key missing: HEADER format");
    new_chunk();
    msg(1, 1);
    k("format");
    msgpack_pack_array(&pk, 2);
    msgpack_pack_int(&pk, 1);
    msgpack_pack_int(&pk, 256 + 2);
    emit("key_format_range", "corrupt", "3 HEADER format minor 0..255");
    new_chunk();
    header();
    msg(2, 2);
    k("id");
    msgpack_pack_int(&pk, 1);
    k("columns");
    msgpack_pack_array(&pk, 0);
    emit("key_table_no_name", "corrupt", "3 required key missing: TABLE name");
    new_chunk();
    header();
    msg(2, 3);
    k("id");
    msgpack_pack_int(&pk, 1);
    k("name");
    msgpack_pack_nil(&pk);
    k("columns");
    msgpack_pack_array(&pk, 0);
    emit("key_table_name_nil", "corrupt", "3 a required str that is nil is missing");
    new_chunk();
    header();
    msg(2, 3);
    k("id");
    msgpack_pack_int(&pk, 0);
    k("name");
    k("t");
    k("columns");
    msgpack_pack_array(&pk, 0);
    emit("key_table_id_zero", "corrupt", "3 TABLE id 1..2^32-1");
    new_chunk();
    header();
    msg(2, 3);
    k("id");
    msgpack_pack_int(&pk, 1);
    k("name");
    k("t");
    k("columns");
    msgpack_pack_array(&pk, 1);
    msgpack_pack_map(&pk, 1);
    k("name");
    k("a");
    emit("key_column_no_type", "corrupt", "3 required key missing: column type");
    /* optional keys of the wrong type */
    static const struct {
        const char *key;
        int kind; /* 0 int, 1 str, 2 nil, 3 bool */
        const char *name;
    } opt[] = {
        {"comment", 0, "key_optional_str_is_int"},
        {"unsigned", 2, "key_optional_bool_is_nil"},
        {"length", 1, "key_optional_int_is_str"},
        {"flags", 3, "key_optional_uint_is_bool"},
        {"labels", 1, "key_optional_array_is_str"},
        {"attrs", 0, "key_optional_map_is_int"},
    };
    for (size_t i = 0; i < sizeof(opt) / sizeof(opt[0]); i++) {
        new_chunk();
        header();
        column_table(3, "int");
        k(opt[i].key);
        if (opt[i].kind == 0)
            msgpack_pack_int(&pk, 3);
        else if (opt[i].kind == 1)
            k("x");
        else if (opt[i].kind == 2)
            msgpack_pack_nil(&pk);
        else
            msgpack_pack_true(&pk);
        emit(opt[i].name, "corrupt", "3 an optional key of the wrong type is corrupt");
    }
    new_chunk();
    header();
    msg(2, 4);
    k("id");
    msgpack_pack_int(&pk, 1);
    k("name");
    k("t");
    k("row_estimate");
    msgpack_pack_double(&pk, 1.0);
    k("columns");
    msgpack_pack_array(&pk, 0);
    emit("key_row_estimate_float", "corrupt", "3 row_estimate is an int");
    new_chunk();
    header();
    msg(2, 5);
    k("id");
    msgpack_pack_int(&pk, 1);
    k("name");
    k("t");
    k("comment");
    msgpack_pack_nil(&pk);
    k("x_private");
    msgpack_pack_array(&pk, 0);
    tab_order[ntab++] = 1;
    k("columns");
    msgpack_pack_array(&pk, 1);
    msgpack_pack_map(&pk, 3);
    k("name");
    k("a");
    k("type");
    k("geography");
    k("attrs");
    msgpack_pack_map(&pk, 1);
    k("x.y");
    msgpack_pack_nil(&pk);
    data_begin(1);
    rows_begin(1, 0, 1);
    row(1);
    msgpack_pack_double(&rp, 2.5);
    row_end(1);
    data_end(1);
    emit("ok_nil_unknown_keys_unknown_type", "accept",
         "3 nil str is absent; unknown keys ignored; 3.2 unknown type passes scalars");
    new_chunk();
    header();
    msg(2, 4);
    k("id");
    msgpack_pack_int(&pk, 9);
    k("name");
    k("t");
    k("columns");
    msgpack_pack_array(&pk, 0);
    k("id");
    msgpack_pack_int(&pk, 1);
    tab_order[ntab++] = 1;
    data_begin(1);
    data_end(1);
    emit("ok_key_twice_last_counts", "accept", "3 a key twice: the last one counts");
    new_chunk();
    header();
    msg(3, 1);
    k("kind");
    k("view");
    emit("key_object_no_section", "corrupt", "3.3 section is required");
    new_chunk();
    header();
    object("view", "middle");
    emit("key_object_bad_section", "corrupt", "3 OBJECT section is pre or post");
    new_chunk();
    header();
    object("hologram", "pre");
    emit("ok_object_unknown_kind", "accept", "3.3 an OBJECT of unknown kind is skipped");
    valid();
    new_chunk();
    msg(10, 0);
    K.no_trailer = true;
    emit("key_abort_no_message", "corrupt", "3.7 ABORT message is required");
    valid();
    new_chunk();
    msg(10, 1);
    k("message");
    k("source lost");
    K.no_trailer = true;
    emit("abort_then_end", "truncated", "3.7 an archive with ABORT is never complete");
    new_chunk();
    header();
    table(1, 1, "a:int");
    data_begin(1);
    msg(5, 2);
    k("t");
    msgpack_pack_int(&pk, 1);
    k("s");
    msgpack_pack_int(&pk, 0);
    emit("key_rows_no_r", "corrupt", "3.4 ROWS r is required");
}

static void cases_values(void)
{
    /* every portable type, valid values */
    new_chunk();
    header();
    table(1, 14, "a:any", "b:bool", "c:float32", "d:float64", "e:decimal", "f:bytes",
          "g:date", "h:time", "i:timetz", "j:timestamp", "k:timestamptz", "l:interval",
          "m:uuid", "n:year");
    data_begin(1);
    rows_begin(1, 0, 1);
    row(14);
    msgpack_pack_uint64(&rp, UINT64_MAX);
    msgpack_pack_true(&rp);
    msgpack_pack_float(&rp, 1.5f);
    msgpack_pack_double(&rp, -0.0);
    s(&rp, "-12.50");
    msgpack_pack_bin_with_body(&rp, "\0\1", 2);
    s(&rp, "-0044-03-15");
    s(&rp, "-838:59:59.5");
    s(&rp, "24:00:00+05:30:15");
    s(&rp, "0000-00-00 00:00:00");
    s(&rp, "10000-01-01 23:59:59.000001Z");
    msgpack_pack_array(&rp, 3);
    msgpack_pack_int(&rp, -1);
    msgpack_pack_int(&rp, 2);
    msgpack_pack_int64(&rp, INT64_MIN);
    msgpack_pack_bin_with_body(&rp, "0123456789abcdef", 16);
    msgpack_pack_int(&rp, 2155);
    row_end(1);
    data_end(1);
    emit("ok_value_types", "accept", "4 values of each portable type");
    static const struct {
        const char *type, *text, *name, *verdict, *rule;
    } tx[] = {
        {"decimal", "1e5", "value_decimal_exponent", "corrupt", "4 decimal text"},
        {"date", "2020-1-1", "value_date_short", "corrupt", "4 date text"},
        {"date", "2020-02-31", "ok_value_date_invalid_mysql", "accept", "4 date: no calendar"},
        {"time", "25:61:00", "value_time_minutes", "corrupt", "4 time text: MM 00..59"},
        {"time", "12:00:00.500", "value_time_trailing_zero", "corrupt", "4 [.f] trailing 0"},
        {"time", "839:00:00", "value_time_over_838", "corrupt", "4 time hours at most 838"},
        {"timetz", "12:00:00+16", "value_timetz_offset", "corrupt", "4 timetz offset 00..15"},
        {"timestamp", "2020-01-01T00:00:00", "value_timestamp_T", "corrupt",
         "4 timestamp text"},
        {"timestamptz", "2020-01-01 00:00:00", "value_timestamptz_no_Z", "corrupt",
         "4 timestamptz text ends with Z"},
        {"timestamptz", "infinity", "ok_value_timestamptz_infinity", "accept",
         "4 timestamptz infinity"},
    };
    for (size_t i = 0; i < sizeof(tx) / sizeof(tx[0]); i++) {
        new_chunk();
        header();
        one_value_begin(tx[i].type);
        s(&rp, tx[i].text);
        one_value_end();
        emit(tx[i].name, tx[i].verdict, tx[i].rule);
    }
    /* enum with labels */
    for (int v = 0; v < 3; v++) {
        new_chunk();
        header();
        msg(2, 3);
        k("id");
        msgpack_pack_int(&pk, 1);
        k("name");
        k("t");
        k("columns");
        msgpack_pack_array(&pk, 1);
        msgpack_pack_map(&pk, 3);
        k("name");
        k("e");
        k("type");
        k(v == 2 ? "set" : "enum");
        k("labels");
        msgpack_pack_array(&pk, 2);
        k("sad");
        k("happy");
        tab_order[ntab++] = 1;
        data_begin(1);
        rows_begin(1, 0, 1);
        row(1);
        s(&rp, v == 0 ? "happy" : v == 1 ? "angry" : "happy,sad");
        row_end(1);
        data_end(1);
        emit(v == 0 ? "ok_value_enum" : v == 1 ? "value_enum_not_label" : "value_set_order",
             v == 0 ? "accept" : "corrupt", "4 enum and set values are labels");
    }
    static const struct {
        const char *type, *name, *rule;
        int what;
    } bad[] = {
        {"int", "value_int_is_str", "4 int takes int", 0},
        {"uuid", "value_uuid_15_bytes", "4 uuid is bin of exactly 16 bytes", 1},
        {"interval", "value_interval_two", "4 interval is [months, days, microseconds]", 2},
        {"interval", "value_interval_months_range", "7 interval months int32", 3},
        {"bool", "value_bool_is_int", "4 bool takes bool", 4},
        {"float64", "value_float64_is_float32", "4 float64 is float 64", 5},
        {"any", "value_any_is_bool", "4 any takes int, float 64, str, bin", 6},
        {"year", "value_year_range", "4 year 0..2155", 7},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        new_chunk();
        header();
        one_value_begin(bad[i].type);
        switch (bad[i].what) {
        case 0:
            s(&rp, "1");
            break;
        case 1:
            msgpack_pack_bin_with_body(&rp, "0123456789abcde", 15);
            break;
        case 2:
            msgpack_pack_array(&rp, 2);
            msgpack_pack_int(&rp, 1);
            msgpack_pack_int(&rp, 1);
            break;
        case 3:
            msgpack_pack_array(&rp, 3);
            msgpack_pack_int64(&rp, (int64_t)1 << 31);
            msgpack_pack_int(&rp, 0);
            msgpack_pack_int(&rp, 0);
            break;
        case 4:
            msgpack_pack_int(&rp, 1);
            break;
        case 5:
            msgpack_pack_float(&rp, 1.0f);
            break;
        case 6:
            msgpack_pack_false(&rp);
            break;
        case 7:
            msgpack_pack_int(&rp, 2156);
            break;
        }
        one_value_end();
        emit(bad[i].name, "corrupt", bad[i].rule);
    }
    /* int within bits */
    for (int v = 0; v < 2; v++) {
        new_chunk();
        header();
        column_table(4, "int");
        k("bits");
        msgpack_pack_int(&pk, 8);
        k("unsigned");
        msgpack_pack_true(&pk);
        data_begin(1);
        rows_begin(1, 0, 1);
        row(1);
        msgpack_pack_int(&rp, v == 0 ? 255 : 256);
        row_end(1);
        data_end(1);
        emit(v == 0 ? "ok_value_uint8_255" : "value_uint8_256", v == 0 ? "accept" : "corrupt",
             "4 int within bits and unsigned");
    }
    /* arrays */
    for (int v = 0; v < 2; v++) {
        new_chunk();
        header();
        column_table(3, "array");
        k("elem_type");
        k("int");
        data_begin(1);
        rows_begin(1, 0, 1);
        row(1);
        msgpack_pack_array(&rp, 3);
        msgpack_pack_array(&rp, 1);
        msgpack_pack_int(&rp, 2);
        msgpack_pack_array(&rp, 1);
        msgpack_pack_int(&rp, 1);
        msgpack_pack_array(&rp, (size_t)(v == 0 ? 2 : 3));
        msgpack_pack_int(&rp, 7);
        msgpack_pack_nil(&rp);
        if (v == 1)
            msgpack_pack_int(&rp, 8);
        row_end(1);
        data_end(1);
        emit(v == 0 ? "ok_value_array" : "value_array_count", v == 0 ? "accept" : "corrupt",
             "4 array elements are product(dims)");
    }
    /* a row of the wrong width */
    new_chunk();
    header();
    one_value_begin("int");
    msgpack_pack_int(&rp, 1);
    msgpack_pack_int(&rp, 2);
    rowb.data[0] = (char)0x92;
    one_value_end();
    emit("value_row_width", "corrupt", "3.4 a row has exactly one value per column");
    /* DATA_END */
    new_chunk();
    header();
    table(1, 1, "a:int");
    data_begin(1);
    data_end_x(1, 1, 0, 16);
    emit("data_end_count", "corrupt", "5 DATA_END n is the number of rows");
    for (int v = 0; v < 2; v++) {
        new_chunk();
        header();
        table(1, 1, "a:int");
        data_begin(1);
        rows_begin(1, 0, 1);
        row(1);
        msgpack_pack_int(&rp, 1);
        row_end(1);
        data_end_x(1, 0, v == 0 ? 1 : 0, v == 0 ? 16 : 15);
        emit(v == 0 ? "data_end_digest" : "data_end_digest_15_bytes", "corrupt",
             "5 DATA_END d is the table digest, 16 bytes");
    }
}

static void piece(int id, int col, uint64_t n, const char *d, size_t dl)
{
    msg(6, 4);
    k("t");
    msgpack_pack_int(&pk, id);
    k("c");
    msgpack_pack_int(&pk, col);
    k("n");
    msgpack_pack_uint64(&pk, n);
    k("d");
    msgpack_pack_bin_with_body(&pk, d, dl);
    cur()->touched[id] = true;
    cur()->data = true;
}

/* the pieced value "hello" in column 1 of table 1 (a:int, b:text); variants break a rule */
static void pieces_case(int v)
{
    new_chunk();
    header();
    table(1, 2, "a:int", "b:text");
    data_begin(1);
    if (v != 1) {
        piece(1, 1, 5, "hel", 3);
        if (v == 5)
            new_chunk();
        piece(1, 1, 5, "lo", v == 2 ? 1 : 2);
    }
    if (v == 4) {
        piece(1, 1, 5, "", 0);
    }
    rows_begin(1, 0, v == 3 ? 2 : 1);
    row(2);
    msgpack_pack_int(&rp, 1);
    s(&rp, "hello");
    row_end_as(1, false); /* the digest sees the value inline */
    msgpack_pack_array(&pk, 2);
    msgpack_pack_int(&pk, 1);
    msgpack_pack_ext_with_body(&pk, "\0", 1, 1);
    if (v == 3) {
        row(2);
        msgpack_pack_int(&rp, 2);
        msgpack_pack_nil(&rp);
        row_end(1);
    }
    data_end(1);
}

static void cases_pieces(void)
{
    pieces_case(0);
    emit("ok_pieces", "accept", "4 a str sent as VALUE_PART pieces, then its placeholder");
    pieces_case(5);
    emit("ok_pieces_two_chunks", "accept", "4 pieces of one value in two chunks");
    pieces_case(1);
    emit("pieces_placeholder_alone", "corrupt", "4 every placeholder has its pieces");
    pieces_case(2);
    emit("pieces_short", "corrupt", "4 the pieces make n bytes in all");
    pieces_case(3);
    emit("pieces_rows_two", "corrupt", "4 a ROWS with a placeholder holds exactly one row");
    pieces_case(4);
    emit("pieces_empty_piece", "corrupt", "3.4 VALUE_PART d is non-empty");
    new_chunk();
    header();
    table(1, 2, "a:int", "b:text");
    data_begin(1);
    piece(1, 1, 5, "hello", 5);
    data_end(1);
    emit("pieces_without_placeholder", "corrupt", "4 every pieced value has a placeholder");
    new_chunk();
    header();
    table(1, 2, "a:int", "b:text");
    data_begin(1);
    piece(1, 1, (1ull << 30) + 1, "x", 1);
    emit("pieces_over_1GiB", "corrupt", "7 one value at most 1 GiB");
}

static void cases_trailer_index(void)
{
    static const struct {
        const char *name, *rule;
        int which;
    } t[] = {
        {"trailer_tables", "3.5 TRAILER tables counts DATA_END", 0},
        {"trailer_rows", "3.5 TRAILER rows", 1},
        {"trailer_chunks", "3.5 TRAILER chunks", 2},
        {"trailer_xxh64", "3.5 TRAILER xxh64 of the chunk contents", 3},
        {"trailer_not_alone", "1 the trailer chunk holds only the TRAILER", 4},
        {"index_xxh64", "3.6 INDEX xxh64 of the bytes before the index", 5},
        {"index_missing_table", "3.6 INDEX lists every table with data", 6},
        {"index_extra_table", "3.6 INDEX lists only tables with data", 7},
        {"index_range", "3.6 INDEX chunk ranges", 8},
        {"index_data", "3.6 INDEX data offset", 9},
        {"index_post", "3.6 INDEX post offset", 10},
        {"index_trailer", "3.6 INDEX trailer offset", 11},
        {"index_two_messages", "1 the index frame holds exactly one INDEX", 12},
    };
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        valid();
        switch (t[i].which) {
        case 0: K.tr_tables = 1; break;
        case 1: K.tr_rows = 1; break;
        case 2: K.tr_chunks = 1; break;
        case 3: K.tr_bad_xxh = true; break;
        case 4: K.tr_extra_msg = true; break;
        case 5: K.ix_bad_xxh = true; break;
        case 6: K.ix_drop_table = true; break;
        case 7: K.ix_extra_table = true; break;
        case 8: K.ix_bad_range = true; break;
        case 9: K.ix_data = 1; break;
        case 10: K.ix_post = -1; break;
        case 11: K.ix_trailer = 1; break;
        case 12: K.ix_two_msgs = true; break;
        }
        emit(t[i].name, "corrupt", t[i].rule);
    }
    new_chunk();
    header();
    new_chunk();
    msg(8, 3);
    k("tables");
    msgpack_pack_int(&pk, 0);
    k("rows");
    msgpack_pack_int(&pk, 0);
    k("chunks");
    msgpack_pack_int(&pk, 0);
    K.no_trailer = true;
    emit("trailer_missing_key", "corrupt", "3.5 TRAILER xxh64 is required");
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: conformance_gen DIR\n");
        return 2;
    }
    dir = argv[1];
    char path[4096];
    snprintf(path, sizeof path, "%s/MANIFEST", dir);
    manifest = fopen(path, "w");
    if (manifest == NULL) {
        perror(path);
        return 1;
    }
    msgpack_sbuffer_init(&rowb);
    msgpack_packer_init(&rp, &rowb, msgpack_sbuffer_write);
    reset();
    cases_layout();
    cases_frames();
    cases_messages();
    cases_keys();
    cases_values();
    cases_pieces();
    cases_trailer_index();
    msgpack_sbuffer_destroy(&rowb);
    if (fclose(manifest) != 0)
        return 1;
    printf("%d cases\n", ncases);
    return 0;
}
