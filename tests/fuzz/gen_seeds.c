/*
 * gen_seeds.c - writes the seed corpus of fuzz_reader (tests/fuzz/corpus/) from the unit
 * tests' sample archives: `gen_seeds DIR`.
 */
#include <zstd.h>

#include "sample.h"

/* the "chunks" mode of fuzz_reader: 0x01, then each frame's content, separated by C1 C1 */
static void save_chunks(const char *dir, const char *name, const t_buf *b)
{
    t_buf out = {0};
    t_buf_write(&out, "\x01", 1);
    size_t pos = 12;
    int first = 1;
    static unsigned char content[4u << 20];
    while (pos + 16 < b->len) {
        size_t fz = ZSTD_findFrameCompressedSize(b->p + pos, b->len - pos);
        REQUIRE(!ZSTD_isError(fz));
        size_t n = ZSTD_decompress(content, sizeof(content), b->p + pos, fz);
        REQUIRE(!ZSTD_isError(n));
        if (!first)
            t_buf_write(&out, "\xc1\xc1", 2);
        t_buf_write(&out, content, n);
        first = 0;
        pos += fz;
    }
    char path[4096];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    REQUIRE(f != NULL && fwrite(out.p, 1, out.len, f) == out.len && fclose(f) == 0);
    free(out.p);
}

static void save(const char *dir, const char *name, const t_buf *b, size_t len)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    REQUIRE(f != NULL && fwrite(b->p, 1, len, f) == len && fclose(f) == 0);
}

int main(int argc, char **argv)
{
    dbf_error e = {0, ""};
    REQUIRE(argc == 2);
    t_buf ex = {0}, sm = {0};
    REQUIRE_OK(sample_example(&ex, &e), &e);
    REQUIRE_OK(sample_small(&sm, 0, &e), &e);
    t_buf raw = {0};
    t_buf_write(&raw, "\x00", 1); /* mode byte: raw archive */
    t_buf_write(&raw, ex.p, ex.len);
    save(argv[1], "example.dbd", &raw, raw.len);
    raw.len = 1;
    t_buf_write(&raw, sm.p, sm.len);
    save(argv[1], "small.dbd", &raw, raw.len);
    save(argv[1], "small-cut.dbd", &raw, raw.len / 2);
    save(argv[1], "preamble.dbd", &raw, 13);
    save_chunks(argv[1], "example.chunks", &ex);
    save_chunks(argv[1], "small.chunks", &sm);
    free(raw.p);
    free(ex.p);
    free(sm.p);
    return 0;
}
