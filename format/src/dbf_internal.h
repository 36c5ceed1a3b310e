/*
 * dbf_internal.h - shared internals of libdbf (not installed, not part of the API).
 */
#ifndef DBF_INTERNAL_H
#define DBF_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include <msgpack.h>

#include "dbf.h"

/* ------------------------------------------------------------ wire constants */

#define DBF_MAGIC "\x89" "DBD\r\n\x1a\n"
#define DBF_MAGIC_LEN 8
#define DBF_PREAMBLE_LEN 12
#define DBF_FOOTER_MAGIC "DBDINDEX"
#define DBF_FOOTER_LEN 16

#define DBF_CHUNK_TARGET (1u << 20) /* writers flush a chunk once it reaches this */
#define DBF_ROWS_TARGET (256u << 10) /* writers end a ROWS message once it reaches this */
#define DBF_PART_THRESHOLD (1u << 20) /* str/bin longer than this travel as VALUE_PART */
#define DBF_PART_SIZE (1u << 20)      /* largest VALUE_PART piece */
#define DBF_MAX_ROW_INLINE (3u << 20) /* largest encoded row inside a ROWS message */
#define DBF_MAX_COLUMNS 32767         /* columns per table */
#define DBF_EXT_LARGE 1               /* ext type of the large-value placeholder */

enum {
    DBF_K_HEADER = 1,
    DBF_K_TABLE = 2,
    DBF_K_OBJECT = 3,
    DBF_K_DATA_BEGIN = 4,
    DBF_K_ROWS = 5,
    DBF_K_VALUE_PART = 6,
    DBF_K_DATA_END = 7,
    DBF_K_TRAILER = 8,
    DBF_K_INDEX = 9,
    DBF_K_ABORT = 10 /* format 1.1 */
};

const char *dbf_kind_name(uint64_t kind);

/* ------------------------------------------------------------ id -> index map */

typedef struct dbf_idmap {
    uint32_t *keys; /* 0 = empty slot (table ids are > 0) */
    size_t *vals;
    size_t cap;     /* power of two */
    size_t n;
} dbf_idmap;

int dbf_idmap_put(dbf_idmap *m, uint32_t key, size_t val); /* 0 or DBF_ENOMEM */
int dbf_idmap_get(const dbf_idmap *m, uint32_t key, size_t *out); /* 1 found, 0 not */
void dbf_idmap_free(dbf_idmap *m);

/* ------------------------------------------------------------- chunk runs */

/* Byte ranges [start, end) of consecutive chunks holding a table's data (the index). */
typedef struct dbf_runs {
    uint64_t *v; /* start0, end0, start1, end1, ... */
    size_t n;    /* number of uint64 in v (2 per run) */
    size_t cap;
} dbf_runs;

int dbf_runs_add(dbf_runs *r, uint64_t start, uint64_t end); /* merges adjacent; 0/ENOMEM */
void dbf_runs_free(dbf_runs *r);

/* ------------------------------------------------------------------ values */

/* Check that a value's kind fits a column (spec/FORMAT.md section 4).
 * @return 0 or DBF_EINVAL with a message naming table, column and row. */
int dbf_check_value(const dbf_table *t, size_t col, const dbf_value *v, uint64_t row,
                    dbf_error *err);
/* Pack one value canonically (large values inline). @return 0 or -1 (packer failure). */
int dbf_pack_value(msgpack_packer *pk, const dbf_value *v);
/* Add a row already packed canonically (array of n values). */
void dbf_digest_add_bytes(dbf_digest *d, const void *row, size_t len);
/* Canonical float32 bits: signaling NaNs are quieted. */
float dbf_canon_f32(float f);

/* Bound check of one MessagePack object at buf[0..len): every declared array/map element
 * count must fit in the bytes left, so decoding cannot allocate more than ~len objects.
 * @return 0 and *out_len = object length, 1 when incomplete, -1 when malformed. */
int dbf_msgpack_scan(const unsigned char *buf, size_t len, size_t *out_len);

/* --------------------------------------------------------- packing helpers */

int dbf_pack_cstr(msgpack_packer *pk, const char *s);
int dbf_pack_bytes_str(msgpack_packer *pk, const void *p, size_t len);

/* Schema bodies (maps). @return 0 or -1 on packer failure. */
int dbf_pack_header_body(msgpack_packer *pk, const dbf_header *h);
int dbf_pack_table_body(msgpack_packer *pk, const dbf_table *t);
int dbf_pack_object_body(msgpack_packer *pk, const dbf_object *o);

/* Decode bodies into arena copies. @return 0, DBF_ECORRUPT (msg says which key), DBF_ENOMEM,
 * or 1 for an OBJECT of a kind this reader does not know (to be skipped). */
int dbf_read_header_body(dbf_arena *a, const msgpack_object *body, dbf_header *out,
                         char *why, size_t whylen);
int dbf_read_table_body(dbf_arena *a, const msgpack_object *body, dbf_table **out,
                        char *why, size_t whylen);
int dbf_read_object_body(dbf_arena *a, const msgpack_object *body, dbf_object **out,
                         char *why, size_t whylen);

/* Map lookup helpers over msgpack objects. */
int dbf_key_is(const msgpack_object *k, const char *name);

#endif /* DBF_INTERNAL_H */
