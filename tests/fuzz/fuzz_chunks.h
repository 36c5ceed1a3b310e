/*
 * fuzz_chunks.h - shared by the fuzz targets (fuzz_reader.c, fuzz_check.c): turns an input
 * of uncompressed chunks separated by the two bytes C1 C1 (never valid MessagePack) into an
 * archive, so that mutations reach message decoding instead of failing a zstd checksum.
 */
#ifndef FUZZ_CHUNKS_H
#define FUZZ_CHUNKS_H

#include <stddef.h>
#include <stdint.h>

/*
 * The archive preamble (magic, version 1.0) followed by one zstd frame (level 1, with a
 * checksum) per C1 C1-separated chunk of data[0..size).
 * @return a malloc'd buffer of *out_len bytes (the caller frees it), or NULL when out of
 * memory; a later allocation or compression failure stops early and returns what was built.
 */
uint8_t *fuzz_wrap_chunks(const uint8_t *data, size_t size, size_t *out_len);

#endif
