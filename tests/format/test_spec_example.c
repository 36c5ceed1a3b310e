/*
 * test_spec_example.c - the worked example in spec/FORMAT.md is what the writer produces:
 * the hex of the whole archive and of each chunk's uncompressed content, between the markers
 * <!-- example-archive --> / <!-- example-chunks --> and <!-- end -->.
 * `test_spec_example --print` prints both blocks for pasting into the spec.
 */
#include <ctype.h>
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
    free(a.p);
    free(hx.p);
    free(ch.p);
    free(chz.p);
    return t_done("test_spec_example");
}
