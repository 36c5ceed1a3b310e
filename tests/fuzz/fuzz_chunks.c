/*
 * fuzz_chunks.c - fuzz_wrap_chunks (fuzz_chunks.h), shared by the fuzz targets.
 */
#include "fuzz_chunks.h"

#include <stdlib.h>
#include <string.h>

#include <zstd.h>

#define SEP "\xc1\xc1"

uint8_t *fuzz_wrap_chunks(const uint8_t *data, size_t size, size_t *out_len)
{
    size_t cap = 12 + 2 * size + 64 * 1024, len = 12;
    uint8_t *out = malloc(cap);
    if (out == NULL)
        return NULL;
    memcpy(out, "\x89" "DBD\r\n\x1a\n\x01\x00\x00\x00", 12);
    ZSTD_CCtx *c = ZSTD_createCCtx();
    if (c == NULL) {
        free(out);
        return NULL;
    }
    ZSTD_CCtx_setParameter(c, ZSTD_c_compressionLevel, 1);
    ZSTD_CCtx_setParameter(c, ZSTD_c_checksumFlag, 1);
    size_t pos = 0;
    while (pos <= size) {
        size_t end = pos;
        while (end + 1 < size && memcmp(data + end, SEP, 2) != 0)
            end++;
        if (end + 1 >= size)
            end = size;
        size_t n = end - pos;
        size_t need = ZSTD_compressBound(n);
        if (len + need > cap) {
            cap = (len + need) * 2;
            uint8_t *nb = realloc(out, cap);
            if (nb == NULL)
                break;
            out = nb;
        }
        size_t z = ZSTD_compress2(c, out + len, cap - len, data + pos, n);
        if (ZSTD_isError(z))
            break;
        len += z;
        pos = end + 2;
    }
    ZSTD_freeCCtx(c);
    *out_len = len;
    return out;
}
