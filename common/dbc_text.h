/*
 * dbc_text.h - the text of portable values: one place where a value of the archive becomes
 * text, for every engine's sink, --to-sql, the conversions of the translation layer and
 * --verify. What is written here is the canonical form; each user keeps only its own
 * escaping (COPY text, LOAD DATA, SQL string literals) and the spellings its engine insists
 * on (a bool as 't', '1' or TRUE).
 *
 * Two float forms: dbc_float_text (one snprintf: the loaders' fast path) and
 * dbc_float_shortest (the shortest text that reads back as the same value: text people
 * read, and text stored in text columns). Both read back exactly.
 */
#ifndef DBC_TEXT_H
#define DBC_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dbc_buf.h"
#include "dbf.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Room for any number's text and its NUL (INT64_MIN: 20 + 1; "%.17g" of a double: 24 + 1). */
#define DBC_NUM_TEXT 32

/** Decimal text of v into out. @return its length. */
size_t dbc_int_text(char out[DBC_NUM_TEXT], int64_t v);
size_t dbc_uint_text(char out[DBC_NUM_TEXT], uint64_t v);

/** Text of v that reads back as the same value: "%.9g" when f32 (v holds a float), else
 *  "%.17g"; NaN and the infinities as "NaN", "Infinity" and "-Infinity" (the words
 *  PostgreSQL reads). @return its length. */
size_t dbc_float_text(char out[DBC_NUM_TEXT], double v, bool f32);

/** As dbc_float_text, but "%.*g" with the first precision that reads back as the same float
 *  (f32) or double: 0.1 is "0.1", not "0.10000000000000001"; 100 is "1e+02".
 *  @return its length. */
size_t dbc_float_shortest(char out[DBC_NUM_TEXT], double v, bool f32);

/** A 16-byte UUID as text: 8-4-4-4-12 lowercase hex digits and the NUL. */
void dbc_uuid_text(char out[37], const uint8_t in[16]);

/** Append ".ffffff" for usec (0..999999) without its trailing zeros; nothing for 0. */
void dbc_frac_text(dbc_buf *b, long usec);

/** Append an interval in ISO 8601 ("P1Y2M3DT4H5M6.5S", "PT0S"): the portable text form.
 *  Each field carries its own sign, so every months/days/microseconds triple is exact. */
void dbc_interval_iso(dbc_buf *b, int32_t months, int32_t days, int64_t micros);

/** Append an interval in units ("14 mons 3 days -4 hours -0.500000 secs"): the verbose form
 *  PostgreSQL reads, which holds every microsecond count (INT64_MIN included). */
void dbc_interval_units(dbc_buf *b, int32_t months, int32_t days, int64_t micros);

/** Append the nbits lowest bits of the big-endian bytes p[0..n) as '0'/'1' text, most
 *  significant first (a BIT(nbits) value's text).
 *  @return false (nothing appended) when nbits > 8n or a bit above nbits is set. */
bool dbc_bits_text(dbc_buf *b, const void *p, size_t n, size_t nbits);

/** Append the canonical text of the scalar v in a column of type t: integers in decimal,
 *  floats shortest, bools "true"/"false", strings as they are, a 16-byte value of a UUID
 *  column as a UUID, intervals in ISO 8601.
 *  @return false (nothing appended) for NULL, arrays and other bytes, which have none. */
bool dbc_value_text(dbc_buf *b, const dbf_value *v, dbf_type t);

#ifdef __cplusplus
}
#endif

#endif /* DBC_TEXT_H */
