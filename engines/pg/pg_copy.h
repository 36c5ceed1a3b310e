/*
 * pg_copy.h - PostgreSQL's COPY fields: the binary send formats decoded into the portable text
 * forms (pg_source.c), portable values encoded into binary fields and into COPY text (pg_sink.c,
 * and --to-sql's COPY blocks through the dialect). Pure functions: no libpq; only the COPY text
 * encoders allocate (the dbc_buf they append to).
 */
#ifndef DBE_PG_COPY_H
#define DBE_PG_COPY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dbc_buf.h"
#include "dbf.h"

/* PostgreSQL binary send formats -> portable text forms (spec/FORMAT.md section 3). */

/** Julian day -> astronomical year (0 = 1 BC), month, day: PostgreSQL's j2date(). */
void pg_j2date(int jd, int *year, int *month, int *day);
/** Days since 2000-01-01 -> "Y-MM-DD" (astronomical year), "infinity", "-infinity".
 *  out needs 24 bytes. @return length. */
size_t pg_fmt_date(char *out, int32_t days);
/** Microseconds since 2000-01-01 -> "Y-MM-DD HH:MM:SS[.f]" plus "Z" when tz. out: 48 bytes. */
size_t pg_fmt_timestamp(char *out, int64_t us, bool tz);
/** Microseconds since midnight -> "HH:MM:SS[.f]". out: 32 bytes. */
size_t pg_fmt_time(char *out, int64_t us);
/** time with zone (seconds west of UTC, as PostgreSQL stores it). out: 48 bytes. */
size_t pg_fmt_timetz(char *out, int64_t us, int32_t zone_west);
/**
 * Binary numeric -> text exactly as numeric_out prints it.
 * @return length written, or 0 when the input is malformed. out must hold
 *         pg_numeric_text_max(data, len) bytes.
 */
size_t pg_fmt_numeric(char *out, const unsigned char *data, size_t len);
/** @return an upper bound of the text length of a binary numeric (0 when malformed). */
size_t pg_numeric_text_max(const unsigned char *data, size_t len);

static inline int16_t pg_get16(const unsigned char *p)
{
    return (int16_t)(uint16_t)(((unsigned)p[0] << 8) | p[1]);
}
static inline int32_t pg_get32(const unsigned char *p)
{
    return (int32_t)(((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) |
                     p[3]);
}
static inline int64_t pg_get64(const unsigned char *p)
{
    return (int64_t)(((uint64_t)(uint32_t)pg_get32(p) << 32) | (uint32_t)pg_get32(p + 4));
}

/* Target base types (after resolving domains) with a binary encoder. */
typedef enum pgb_kind {
    PGB_NONE = 0, /* no encoder: the table is loaded in text format */
    PGB_BOOL,
    PGB_INT2,
    PGB_INT4,
    PGB_INT8,
    PGB_F4,
    PGB_F8,
    PGB_NUMERIC,
    PGB_TEXT,  /* text, varchar, bpchar, name, json, enum labels */
    PGB_JSONB,
    PGB_BYTEA,
    PGB_DATE,
    PGB_TIME,
    PGB_TIMETZ,
    PGB_TS, /* timestamp and timestamptz */
    PGB_INTERVAL,
    PGB_UUID
} pgb_kind;

/** @return the encoder for a base type oid (typtype 'e' = enum), PGB_NONE when none. */
pgb_kind pgb_kind_of(uint32_t oid, char typtype);

/** @return an upper bound of the encoded size of v (without the 4-byte length). */
size_t pgb_max_size(pgb_kind k, const dbf_value *v);

/**
 * Encode the non-NULL scalar v for kind k into out (pgb_max_size bytes).
 * @return the encoded length, or -1 when the value does not fit the type.
 */
long pgb_encode(pgb_kind k, const dbf_value *v, unsigned char *out);

/** The head of a binary COPY stream: its 11-byte signature, flags and extension length
 *  (both 0). */
extern const char pg_copy_signature[19];

static inline void pgb_put32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

/* Portable values -> COPY text format (the format pg_dump's data blocks are in). */

/** Append s[0..n) with COPY text's escapes (backslash, newline, carriage return, tab). */
void pg_copy_escape(dbc_buf *b, const char *s, size_t n);
/**
 * Append the COPY text field of v (of column c, in the column's portable type) to out,
 * escaped; NULL is \N. Dates and timestamps in astronomical years become PostgreSQL's
 * "... BC"; arrays are array literals (int2vector and oidvector: "1 2"); bytes are bytea hex.
 * arr and tmp are scratch buffers. @return 0, or -2 when v does not fit the column.
 */
int pg_copy_text_value(dbc_buf *out, dbc_buf *arr, dbc_buf *tmp, const dbf_column *c,
                       const dbf_value *v);
/** Append one row of t as a COPY text line (ending in a newline), generated columns left out.
 *  @return 0, or 1 with *bad the column whose value does not fit. */
int pg_copy_text_row(dbc_buf *out, dbc_buf *arr, dbc_buf *tmp, const dbf_table *t,
                     const dbf_value *vals, size_t n, size_t *bad);

#endif /* DBE_PG_COPY_H */
