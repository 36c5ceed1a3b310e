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

#include <msgpack.h>

static void k_str(msgpack_packer *pk, const char *s)
{
    msgpack_pack_str_with_body(pk, s, strlen(s));
}

/* chunk mode: VALUE_PART pieces, a placeholder, unknown kinds and keys, an array column */
static void save_parts(const char *dir)
{
    msgpack_sbuffer sb;
    msgpack_sbuffer_init(&sb);
    msgpack_packer pk;
    msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
    msgpack_sbuffer_write(&sb, "\x01", 1);
    msgpack_pack_array(&pk, 2); /* HEADER */
    msgpack_pack_int(&pk, 1);
    msgpack_pack_map(&pk, 2);
    k_str(&pk, "format");
    msgpack_pack_array(&pk, 2);
    msgpack_pack_int(&pk, 1);
    msgpack_pack_int(&pk, 0);
    k_str(&pk, "x_unknown");
    msgpack_pack_nil(&pk);
    msgpack_pack_array(&pk, 2); /* unknown kind */
    msgpack_pack_int(&pk, 77);
    msgpack_pack_array(&pk, 0);
    msgpack_pack_array(&pk, 2); /* TABLE: int, bytes, text[], interval */
    msgpack_pack_int(&pk, 2);
    msgpack_pack_map(&pk, 3);
    k_str(&pk, "id");
    msgpack_pack_int(&pk, 1);
    k_str(&pk, "name");
    k_str(&pk, "p");
    k_str(&pk, "columns");
    msgpack_pack_array(&pk, 4);
    const char *types[] = {"int", "bytes", "array", "interval"};
    for (int i = 0; i < 4; i++) {
        msgpack_pack_map(&pk, i == 2 ? 3 : 2);
        k_str(&pk, "name");
        k_str(&pk, types[i]);
        k_str(&pk, "type");
        k_str(&pk, types[i]);
        if (i == 2) {
            k_str(&pk, "elem_type");
            k_str(&pk, "text");
        }
    }
    msgpack_pack_array(&pk, 2); /* DATA_BEGIN */
    msgpack_pack_int(&pk, 4);
    msgpack_pack_map(&pk, 1);
    k_str(&pk, "t");
    msgpack_pack_int(&pk, 1);
    for (int i = 0; i < 2; i++) { /* two pieces of a 5-byte value of column 1 */
        msgpack_pack_array(&pk, 2);
        msgpack_pack_int(&pk, 6);
        msgpack_pack_map(&pk, 4);
        k_str(&pk, "t");
        msgpack_pack_int(&pk, 1);
        k_str(&pk, "c");
        msgpack_pack_int(&pk, 1);
        k_str(&pk, "n");
        msgpack_pack_int(&pk, 5);
        k_str(&pk, "d");
        msgpack_pack_bin_with_body(&pk, i == 0 ? "ab" : "cde", i == 0 ? 2 : 3);
    }
    msgpack_pack_array(&pk, 2); /* ROWS with the placeholder */
    msgpack_pack_int(&pk, 5);
    msgpack_pack_map(&pk, 3);
    k_str(&pk, "t");
    msgpack_pack_int(&pk, 1);
    k_str(&pk, "s");
    msgpack_pack_int(&pk, 0);
    k_str(&pk, "r");
    msgpack_pack_array(&pk, 1);
    msgpack_pack_array(&pk, 4);
    msgpack_pack_int(&pk, -7);
    msgpack_pack_ext_with_body(&pk, "\x01", 1, 1);
    msgpack_pack_array(&pk, 3);
    msgpack_pack_array(&pk, 1);
    msgpack_pack_int(&pk, 2);
    msgpack_pack_array(&pk, 1);
    msgpack_pack_int(&pk, 1);
    msgpack_pack_array(&pk, 2);
    k_str(&pk, "x");
    msgpack_pack_nil(&pk);
    msgpack_pack_array(&pk, 3);
    msgpack_pack_int(&pk, 1);
    msgpack_pack_int(&pk, 2);
    msgpack_pack_int(&pk, 3);
    msgpack_pack_array(&pk, 2); /* DATA_END with a digest that does not match */
    msgpack_pack_int(&pk, 7);
    msgpack_pack_map(&pk, 3);
    k_str(&pk, "t");
    msgpack_pack_int(&pk, 1);
    k_str(&pk, "n");
    msgpack_pack_int(&pk, 1);
    k_str(&pk, "d");
    msgpack_pack_bin_with_body(&pk, "0123456789abcdef", 16);
    char path[4096];
    snprintf(path, sizeof(path), "%s/parts.chunks", dir);
    FILE *f = fopen(path, "wb");
    REQUIRE(f != NULL && fwrite(sb.data, 1, sb.size, f) == sb.size && fclose(f) == 0);
    msgpack_sbuffer_destroy(&sb);
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
    save_parts(argv[1]);
    free(raw.p);
    free(ex.p);
    free(sm.p);
    return 0;
}
