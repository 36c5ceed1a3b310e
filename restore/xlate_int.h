/*
 * xlate_int.h - internals shared by xlate.c, xlate_val.c and xlate_util.c (not an API).
 */
#ifndef DBR_XLATE_INT_H
#define DBR_XLATE_INT_H

#include <stdarg.h>

#include "dbc_buf.h"
#include "xlate.h"

/* ------------------------------------------------------------ string buffer */

/* The project's string buffer under the names the translation code uses. */
typedef dbc_buf xl_sbuf;
#define xl_sb_putn dbc_buf_add
#define xl_sb_puts dbc_buf_puts
#define xl_sb_putc dbc_buf_putc
#define xl_sb_printf dbc_buf_printf
#define xl_sb_take dbc_buf_take
#define xl_sb_free dbc_buf_free

/* -------------------------------------------------------------------- arena */

typedef struct xl_block {
    struct xl_block *next;
    size_t cap, used;
    char *mem;
} xl_block;

typedef struct xl_arena {
    xl_block *head; /* current block; older ones follow */
} xl_arena;

void *xl_arena_alloc(xl_arena *a, size_t n);
/** Forget everything, keep the current block for reuse. */
void xl_arena_reset(xl_arena *a);
void xl_arena_free(xl_arena *a);

/* ---------------------------------------------------------------- utilities */

/** Decode one UTF-8 character (strict: no overlongs, no surrogates).
 *  @return bytes used (1-4), or 0 when invalid. */
size_t xl_utf8_dec(const unsigned char *s, size_t n, uint32_t *cp);
/** @return true when s[0..n) is valid UTF-8. */
bool xl_utf8_valid(const char *s, size_t n);
/** @return number of UTF-8 characters (invalid bytes count one each). */
size_t xl_utf8_chars(const char *s, size_t n);

/** Shortest text that reads back as the same double ("%.{1..17}g"). buf >= 40. */
void xl_fmt_double(char *buf, size_t cap, double v);
/** Same for float (1..9 digits). */
void xl_fmt_float(char *buf, size_t cap, float v);

/* Decimal numbers as parsed text. */
typedef struct xl_dec {
    bool neg;
    int special;    /* 0 finite, 1 NaN, 2 +Infinity, 3 -Infinity */
    char *digits;   /* all significant digits, no leading zeros (empty for zero); malloc'd */
    long long exp;  /* value = digits * 10^exp */
} xl_dec;

/** Parse decimal text: [+-]digits[.digits][e[+-]digits], NaN, [+-]Inf[inity]. @return ok. */
bool xl_dec_parse(xl_dec *d, const char *s, size_t n);
/** Decimal from a double (shortest round trip). @return false on allocation failure. */
bool xl_dec_from_double(xl_dec *d, double v);
void xl_dec_free(xl_dec *d);
/**
 * Format as plain decimal text with `scale` fraction digits (-1: as many as needed, none when
 * the value is an integer); fits precision p (-1: any). Extra fraction digits are refused
 * unless they are zero or `round` is set (half away from zero).
 * @return 0, 1 (too many integer digits for p), 2 (would need rounding), -1 (no memory).
 */
int xl_dec_format(xl_sbuf *out, const xl_dec *d, int32_t precision, int32_t scale, bool round,
                  bool *rounded);

/* Date/time text parsed. */
typedef struct xl_dt {
    int special;        /* 0 value, 1 infinity, 2 -infinity */
    bool zero;          /* MySQL zero date or zero part (month or day 0) */
    bool has_date, has_time;
    long long year;     /* astronomical */
    int mon, day, hour, min, sec;
    long usec;          /* microseconds */
    int frac_digits;    /* digits given (may exceed 6: extra ones dropped, see frac_lost) */
    bool frac_lost;     /* nonzero digits beyond microseconds */
    int zone;           /* 0 none, 1 offset given (zone_sec) */
    long zone_sec;      /* seconds east of UTC */
} xl_dt;

/** Parse "Y-MM-DD", "Y-MM-DD[ T]HH:MM[:SS[.f]][Z|+-HH[:MM]]", "HH:MM[:SS[.f]]",
 *  "infinity", "-infinity". @return true when well formed (zero dates included). */
bool xl_dt_parse(xl_dt *t, const char *s, size_t n);
/** @return true when the date part is a valid calendar date. */
bool xl_dt_valid_date(const xl_dt *t);
/** Shift by -zone_sec so the value is UTC; clears the zone. */
void xl_dt_to_utc(xl_dt *t);
/** Seconds since 1970-01-01 00:00:00 of the date and time of t (zone ignored). */
long long xl_dt_epoch(const xl_dt *t);
/** A UTC value t (no zone) as the wall clock of zone ("+HH:MM", "-HH:MM", or any other
 *  string: the process's local zone, which restore/main.c sets from it). */
void xl_dt_to_zone(xl_dt *t, const char *zone);
/** Canonical forms (spec/FORMAT.md). */
void xl_dt_fmt_date(xl_sbuf *b, const xl_dt *t);
void xl_dt_fmt_timestamp(xl_sbuf *b, const xl_dt *t, bool z);
/** Parse "[-]H+:MM:SS[.f]" durations. @return true when well formed. */
bool xl_time_parse(const char *s, size_t n, int64_t *micros, int *frac_digits);
void xl_time_fmt(xl_sbuf *b, int64_t micros);
/** ISO 8601 duration "P1Y2M3DT4H5M6.5S" ("PT0S" for zero). */
void xl_interval_fmt(xl_sbuf *b, int32_t months, int32_t days, int64_t micros);

/** Validate JSON text (RFC 8259, depth <= 512). @return true when valid. */
bool xl_json_valid(const char *s, size_t n);
/** Append s as a JSON string literal (s must be valid UTF-8). */
void xl_json_str(xl_sbuf *b, const char *s, size_t n);
/** Append the canonical form of JSON text s (xlate_util.c: sorted keys, last duplicate wins,
 *  no whitespace, shortest numbers) for digests. @return 0, or -1 (not JSON: nothing added). */
int xl_json_canon(xl_sbuf *out, const char *s, size_t n);

/** Parse a UUID "8-4-4-4-12" or 32 hex digits, any case. @return true when ok. */
bool xl_uuid_parse(const char *s, size_t n, uint8_t out[16]);
void xl_uuid_fmt(char out[37], const uint8_t in[16]);

/** A short printable preview of a value for messages ("'abc...'", "12", "x'00ff'"). */
void xl_value_preview(char *buf, size_t cap, const dbf_value *v);

/* ------------------------------------------------------------ translation */

/* One target column and how its values are made. */
/* Charsets of a MySQL column whose characters are a subset of Unicode's (l_charset). */
enum { XL_CS_ANY = 0, XL_CS_ASCII, XL_CS_LATIN1, XL_CS_UTF8MB3 };

typedef struct xl_col {
    size_t src;            /* index of the source value in an archive row */
    const char *name;      /* source column name (owned copy) */
    /* source */
    dbf_type stype;        /* source portable type; DBF_T_ANY for SQLite */
    dbf_type sinfer;       /* SQLite source: type inferred from the declared type */
    dbf_type selem;        /* source array element type */
    bool sunsigned;
    /* logical target: values are converted to this type first */
    dbf_type ltype;
    unsigned lbits;
    bool lunsigned;
    int32_t llength, lprecision, lscale;
    bool l_time_of_day;    /* DBF_T_TIME: 00:00:00..24:00:00 only (PostgreSQL time) */
    bool l_utc_strip;      /* DBF_T_TIMESTAMP from an instant: UTC wall clock (MySQL) */
    bool l_uuid_keep;      /* text uuid: keep valid source text unchanged */
    bool l_bitstring;      /* DBF_T_NATIVE: '0101' text from a bit value (else text as is) */
    bool l_utf8;           /* text must be valid UTF-8 (PostgreSQL, MySQL) */
    bool l_nonul;          /* text must not contain NUL (PostgreSQL) */
    int l_charset;         /* MySQL column charset that cannot hold every character: XL_CS_* */
    int64_t l_bytes_max;   /* MySQL TINYTEXT/TEXT/MEDIUMTEXT/BLOB...: bytes stored, at most */
    bool l_fixed_bin;      /* MySQL BINARY(n): shorter values are padded with zero bytes */
    bool l_labels;         /* value must be one of labels */
    const char *const *labels;
    size_t nlabels;
    bool any_out;          /* SQLite target: emit as a storage class (int/real/text/blob) */
    bool same;             /* value passes unchanged (fast path) */
    int64_t epoch;         /* integers into a timestamp: units per second (1, 1000, 1000000)
                              once known, 0 before; epoch_given: from --epoch-unit */
    bool epoch_given;
    int64_t epoch_first;   /* the value the unit was inferred from, and its row */
    uint64_t epoch_row;
    bool epoch_looked;     /* --epoch-unit looked up for this column */
    int64_t epoch_min, epoch_max; /* the evidence: non-zero values converted so far */
    uint64_t epoch_n;
} xl_col;

struct dbr_xlate {
    dbe_id dialect;
    dbr_xlate_opts opts;
    char *src_engine;       /* header engine */
    const char *src_table;  /* archive table name, for messages */
    dbf_table tt;           /* target table */
    bool canon_json;        /* data-only: JSON digested in canonical form (the existing
                               column may be jsonb, which rewrites the text) */
    dbf_column *tcols;      /* tt.columns */
    xl_col *cols;           /* one per target column */
    size_t ncols;
    size_t nsrc;            /* source column count */
    char **owned;           /* every string the handle owns */
    size_t nowned, capowned;
    char **sq_cons;         /* SQLite target: constraint clauses added by a rebuild */
    size_t nsq_cons;
    char **notes;           /* plan lines */
    size_t nnotes, capnotes;
    dbf_value *out;         /* converted row */
    xl_arena arena;         /* converted row's bytes */
    uint64_t lossy_rows;
    uint64_t changed_rows;  /* rows where a converted value differs from the archive's */
    bool dropped;           /* a source column is not carried (rowid) */
    const char *next_id;    /* archive's next auto-increment value (text), NULL unknown */
};

/**
 * Convert one value for column c.
 * @return 0, DBC_EDATA (err names table/column/row/value), DBF_ENOMEM.
 *         *lossy set when a --lossy rule changed the value.
 */
int xl_convert(dbr_xlate *x, const xl_col *c, const dbf_value *in, dbf_value *out,
               uint64_t row, bool *lossy, dbf_error *err);

#endif /* DBR_XLATE_INT_H */
