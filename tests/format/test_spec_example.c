/*
 * test_spec_example.c - the worked example in spec/FORMAT.md is what the writer produces:
 * the hex of the whole archive and of each chunk's uncompressed content, between the markers
 * <!-- example-archive --> / <!-- example-chunks --> and <!-- end -->.
 * `test_spec_example --print` prints both blocks for pasting into the spec.
 *
 * Then every single-bit flip of the example gets the verdict of section 6's rule, computed
 * here from the bytes alone (frames walked as section 1 says, block by block with zstd's
 * low-level API, not the reader's code): not an archive / corrupt, truncated or version.
 */
#include <ctype.h>
#define ZSTD_STATIC_LINKING_ONLY
#include <zstd.h>

#include "sample.h"

static void hexdump(t_buf *out, const unsigned char *p, size_t n)
{
    char line[128];
    for (size_t i = 0; i < n; i += 16) {
        int k = snprintf(line, sizeof(line), "%04zx:", i);
        for (size_t j = i; j < i + 16 && j < n; j++)
            k += snprintf(line + k, sizeof(line) - (size_t)k, " %02x", p[j]);
        line[k++] = '\n';
        t_buf_write(out, line, (size_t)k);
    }
}

/* chunk contents, each introduced by "chunk N at byte O (C bytes compressed):" */
static void chunks_dump(t_buf *out, const t_buf *a)
{
    size_t pos = 12;
    int no = 1;
    static unsigned char content[1 << 16];
    while (pos + 16 < a->len) {
        size_t fz = ZSTD_findFrameCompressedSize(a->p + pos, a->len - pos);
        REQUIRE(!ZSTD_isError(fz));
        size_t n = ZSTD_decompress(content, sizeof(content), a->p + pos, fz);
        REQUIRE(!ZSTD_isError(n));
        char line[128];
        int k = snprintf(line, sizeof(line), "frame %d at byte %zu (%zu bytes), content:\n", no,
                         pos, fz);
        t_buf_write(out, line, (size_t)k);
        hexdump(out, content, n);
        pos += fz;
        no++;
    }
}

/* the hex digits of a marked block (offset prefixes and labels skipped) */
static size_t block_bytes(const char *doc, const char *marker, unsigned char *out, size_t cap)
{
    const char *s = strstr(doc, marker);
    if (s == NULL)
        return 0;
    const char *e = strstr(s, "<!-- end -->");
    if (e == NULL)
        return 0;
    size_t n = 0;
    for (const char *p = s + strlen(marker); p < e;) {
        const char *eol = memchr(p, '\n', (size_t)(e - p));
        if (eol == NULL)
            eol = e;
        const char *colon = memchr(p, ':', (size_t)(eol - p));
        if (colon != NULL && colon - p == 4 && isxdigit((unsigned char)p[0])) {
            for (const char *q = colon + 1; q + 2 <= eol; q++) {
                if (isxdigit((unsigned char)q[0]) && isxdigit((unsigned char)q[1])) {
                    unsigned v;
                    sscanf(q, "%2x", &v);
                    if (n < cap)
                        out[n] = (unsigned char)v;
                    n++;
                    q += 2;
                }
            }
        }
        p = eol + 1;
    }
    return n;
}

enum { V_OK, V_CORRUPT, V_TRUNC, V_VERSION };

/*
 * The verdict of spec/FORMAT.md section 6 for `a` (n bytes), an archive that differs from the
 * valid archive `orig` (n bytes, 3 frames) in some bytes: the input is taken in order and the
 * first thing that fails decides. Message-level checks are not redone here: a frame whose
 * content decodes with a good checksum has the original content (a changed content would need
 * an XXH64 collision), so any remaining difference is caught by a checksum: corrupt.
 */
static int rule_verdict(const unsigned char *a, size_t n, const unsigned char *orig)
{
    static const unsigned char magic[8] = {0x89, 'D', 'B', 'D', '\r', '\n', 0x1a, '\n'};
    if (memcmp(a, magic, n < 8 ? n : 8) != 0)
        return V_CORRUPT;
    if (n > 8 && a[8] != 1)
        return V_VERSION;
    if ((n > 10 && a[10] != 0) || (n > 11 && a[11] != 0))
        return V_CORRUPT;
    if (n < 12)
        return V_TRUNC;
    int minor_differs = a[9] != orig[9]; /* the HEADER's copy, read in frame 1 */
    size_t pos = 12;
    ZSTD_DCtx *d = ZSTD_createDCtx();
    REQUIRE(d != NULL);
    static unsigned char out[DBF_MAX_CHUNK];
    int verdict = V_OK;
    for (int frame = 0; frame < 3 && verdict == V_OK; frame++) {
        size_t start = pos, bms = 0;
        REQUIRE(!ZSTD_isError(ZSTD_decompressBegin(d)));
        for (;;) {
            size_t need = ZSTD_nextSrcSizeToDecompress(d);
            if (need == 0)
                break; /* the checksum was read and matched */
            ZSTD_nextInputType_e ty = ZSTD_nextInputType(d);
            if (ty == ZSTDnit_frameHeader && pos == start) { /* the magic, cut short or not */
                static const unsigned char zm[4] = {0x28, 0xb5, 0x2f, 0xfd};
                if (memcmp(a + pos, zm, n - pos < 4 ? n - pos : 4) != 0) {
                    verdict = V_CORRUPT;
                    break;
                }
            }
            if (ty == ZSTDnit_blockHeader && n - pos >= 3) { /* section 1: type, size */
                uint32_t bh = a[pos] | (uint32_t)a[pos + 1] << 8 | (uint32_t)a[pos + 2] << 16;
                if (((bh >> 1) & 3) == 3 || (bh >> 3) > bms) {
                    verdict = V_CORRUPT;
                    break;
                }
            }
            if (n - pos < need) {
                verdict = V_TRUNC;
                break;
            }
            size_t r = ZSTD_decompressContinue(d, out, sizeof(out), a + pos, need);
            pos += need;
            if (ZSTD_isError(r)) {
                verdict = V_CORRUPT;
                break;
            }
            if (ty == ZSTDnit_frameHeader && ZSTD_nextInputType(d) == ZSTDnit_blockHeader) {
                ZSTD_frameHeader fh; /* the header is whole: section 1's rules */
                if (ZSTD_getFrameHeader(&fh, a + start, pos - start) != 0 ||
                    fh.frameType != ZSTD_frame ||
                    fh.frameContentSize == ZSTD_CONTENTSIZE_UNKNOWN ||
                    fh.frameContentSize > DBF_MAX_CHUNK || !fh.checksumFlag || fh.dictID != 0 ||
                    fh.windowSize > (1u << 23) || (a[start + 4] & 0x18) != 0) {
                    verdict = V_CORRUPT;
                    break;
                }
                bms = fh.windowSize < (128u << 10) ? (size_t)fh.windowSize : (128u << 10);
            }
        }
        if (frame == 0 && verdict != V_CORRUPT && minor_differs)
            verdict = V_CORRUPT; /* frame 1 decoded: its HEADER's format differs */
    }
    ZSTD_freeDCtx(d);
    if (verdict != V_OK)
        return verdict;
    /* the footer: 16 known bytes */
    if (n - pos < 16)
        return memcmp(a + pos, orig + pos, n - pos) == 0 ? V_TRUNC : V_CORRUPT;
    return memcmp(a, orig, n) == 0 ? V_OK : V_CORRUPT;
}

static int verdict_of(int rc)
{
    switch (rc) {
    case 0:
        return V_OK;
    case DBF_ECORRUPT:
        return V_CORRUPT;
    case DBF_ETRUNCATED:
        return V_TRUNC;
    case DBF_EVERSION:
        return V_VERSION;
    default:
        return -1;
    }
}

/* every single-bit flip and every cut of the example: the reader's verdict is the rule's */
static void flips(const t_buf *a)
{
    static const char *const vname[] = {"accepted", "corrupt", "truncated", "version"};
    unsigned char *c = malloc(a->len);
    REQUIRE(c != NULL);
    int count[4] = {0}, bad = 0;
    dbf_error e = {0, ""};
    for (size_t off = 0; off < a->len; off++) {
        for (int bit = 0; bit < 8; bit++) {
            memcpy(c, a->p, a->len);
            c[off] ^= (unsigned char)(1u << bit);
            int want = rule_verdict(c, a->len, a->p);
            int got = verdict_of(t_read_all(c, a->len, 0, NULL, &e));
            count[want]++;
            if (got != want && bad++ < 10)
                fprintf(stderr, "flip of bit %d at byte %zu: rule says %s, reader %s (%s)\n",
                        bit, off, vname[want], got < 0 ? "other" : vname[got], e.msg);
        }
    }
    /* the example's Block_Sizes cannot grow past the input within Block_Maximum_Size */
    CHECK(count[V_OK] == 0 && count[V_VERSION] == 8 && count[V_TRUNC] == 0 &&
          count[V_CORRUPT] == (int)a->len * 8 - 8);
    printf("%zu flips: %d corrupt, %d truncated, %d version\n", a->len * 8, count[V_CORRUPT],
           count[V_TRUNC], count[V_VERSION]);
    /* cut at every length, and cut after a flip: the rule's verdict */
    for (size_t len = 0; len < a->len; len++) {
        int want = rule_verdict(a->p, len, a->p);
        int got = verdict_of(t_read_all(a->p, len, 0, NULL, &e));
        CHECK(want == V_TRUNC || len == 0);
        if (got != want && bad++ < 10)
            fprintf(stderr, "cut at %zu: rule says %s, reader %s (%s)\n", len, vname[want],
                    got < 0 ? "other" : vname[got], e.msg);
        for (size_t off = 0; off < len; off += 7) {
            memcpy(c, a->p, len);
            c[off] ^= 0x10;
            want = rule_verdict(c, len, a->p);
            got = verdict_of(t_read_all(c, len, 0, NULL, &e));
            if (got != want && bad++ < 10)
                fprintf(stderr, "cut at %zu, flip at %zu: rule says %s, reader %s (%s)\n", len,
                        off, vname[want], got < 0 ? "other" : vname[got], e.msg);
        }
    }
    CHECK(bad == 0);
    free(c);
}

int main(int argc, char **argv)
{
    dbf_error e = {0, ""};
    t_buf a = {0}, hx = {0}, ch = {0};
    REQUIRE_OK(sample_example(&a, &e), &e);
    hexdump(&hx, a.p, a.len);
    chunks_dump(&ch, &a);
    if (argc == 2 && strcmp(argv[1], "--print") == 0) {
        printf("<!-- example-archive -->\n```\n%.*s```\n<!-- end -->\n\n", (int)hx.len,
               (const char *)hx.p);
        printf("<!-- example-chunks -->\n```\n%.*s```\n<!-- end -->\n", (int)ch.len,
               (const char *)ch.p);
        return 0;
    }
    REQUIRE(argc >= 3);
    FILE *f = fopen(argv[2], "rb");
    REQUIRE(f != NULL);
    static char doc[1 << 20];
    size_t dl = fread(doc, 1, sizeof(doc) - 1, f);
    fclose(f);
    doc[dl] = '\0';
    static unsigned char got[1 << 16], want[1 << 16];
    size_t n = block_bytes(doc, "<!-- example-archive -->", got, sizeof(got));
    CHECK(n == a.len && memcmp(got, a.p, a.len) == 0);
    if (n != a.len)
        fprintf(stderr, "spec archive example has %zu bytes, writer gives %zu\n", n, a.len);
    /* chunk contents: the concatenated content of all frames */
    t_buf chz = {0};
    t_buf_write(&chz, ch.p, ch.len);
    t_buf_write(&chz, "<!-- end -->", 13); /* with its NUL */
    size_t wn = block_bytes((const char *)chz.p, "", want, sizeof(want));
    n = block_bytes(doc, "<!-- example-chunks -->", got, sizeof(got));
    CHECK(n == wn && memcmp(got, want, wn) == 0);
    /* and the example reads back */
    uint64_t rows = 0;
    REQUIRE_OK(t_read_all(a.p, a.len, 0, &rows, &e), &e);
    CHECK(rows == 2);
    flips(&a);
    free(a.p);
    free(hx.p);
    free(ch.p);
    free(chz.p);
    return t_done("test_spec_example");
}
