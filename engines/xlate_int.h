/*
 * xlate_int.h - internals of the translation layer (not an API): xlate.c drives, xlate_obj.c
 * translates objects, xlate_val.c converts values, xlate_util.c parses and prints them, and
 * what one target dialect needs sits in its own file behind dbe_dialect: pg/pg_dialect.c,
 * mysql/my_dialect.c, sqlite/lite_dialect.c (which also reads SQLite archives' CREATE TABLE texts).
 */
#ifndef DBE_XLATE_INT_H
#define DBE_XLATE_INT_H

#include <stdarg.h>

#include "dbc_buf.h"
#include "dbc_mem.h"
#include "dbc_text.h"
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

/* ---------------------------------------------------------------- utilities */

/** Decode one UTF-8 character (strict: no overlongs, no surrogates).
 *  @return bytes used (1-4), or 0 when invalid. */
size_t xl_utf8_dec(const unsigned char *s, size_t n, uint32_t *cp);
/** @return true when s[0..n) is valid UTF-8. */
bool xl_utf8_valid(const char *s, size_t n);
/** @return number of UTF-8 characters (invalid bytes count one each). */
size_t xl_utf8_chars(const char *s, size_t n);

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

/** Validate JSON text (RFC 8259, depth <= 512). @return true when valid. */
bool xl_json_valid(const char *s, size_t n);
/** Append s as a JSON string literal (s must be valid UTF-8). */
void xl_json_str(xl_sbuf *b, const char *s, size_t n);
/** Append the canonical form of JSON text s (xlate_util.c: sorted keys, last duplicate wins,
 *  no whitespace, shortest numbers) for digests. @return 0, or -1 (not JSON: nothing added). */
int xl_json_canon(xl_sbuf *out, const char *s, size_t n);

/** Parse a UUID "8-4-4-4-12" or 32 hex digits, any case. @return true when ok. */
bool xl_uuid_parse(const char *s, size_t n, uint8_t out[16]);

/** A short printable preview of a value for messages ("'abc...'", "12", "x'00ff'"). */
void xl_value_preview(char *buf, size_t cap, const dbf_value *v);

/* ------------------------------------------------------------ translation */

/* One target column and how its values are made. */
/* Charsets of a MySQL column whose characters are a subset of Unicode's (l_charset). */
enum { XL_CS_ANY = 0, XL_CS_ASCII, XL_CS_LATIN1, XL_CS_UTF8MB3 };
/** Whether valid UTF-8 text p fits MySQL charset cs (XL_CS_*), else its first character that
 *  does not (bad_cp); the bytes it takes in cs (mysql/my_dialect.c). */
bool xl_mysql_charset_fits(const char *p, size_t n, int cs, uint32_t *bad_cp, size_t *bytes);

typedef struct xl_col {
    size_t src;            /* index of the source value in an archive row */
    const char *name;      /* source column name (owned copy) */
    /* source */
    dbf_type stype;        /* source portable type; DBF_T_ANY for SQLite */
    dbf_type sinfer;       /* SQLite source: type inferred from the declared type */
    dbf_type selem;        /* source array element type */
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

struct dbe_xlate {
    dbe_id dialect;
    const dbe_dialect *dl; /* what the target dialect needs */
    dbe_xlate_opts opts;
    dbf_arena mem;          /* every string and array the handle owns */
    char *src_engine;       /* header engine */
    const char *src_table;  /* archive table name, for messages */
    dbf_table tt;           /* target table */
    bool canon_json;        /* data-only: JSON digested in canonical form (the existing
                               column may be jsonb, which rewrites the text) */
    dbf_column *tcols;      /* tt.columns */
    xl_col *cols;           /* one per target column */
    size_t ncols;
    size_t nsrc;            /* source column count */
    dbc_vec sq_cons;        /* SQLite target: constraint clauses added by a rebuild (char *) */
    dbc_vec notes;          /* plan lines (char *) */
    dbf_value *out;         /* converted row */
    dbf_arena arena;        /* converted row's bytes */
    uint64_t lossy_rows;
    uint64_t changed_rows;  /* rows where a converted value differs from the archive's */
    bool dropped;           /* a source column is not carried (rowid) */
    const char *next_id;    /* archive's next auto-increment value (text), NULL unknown */
};

/* --------------------------------------------------------------- dialects */

/* Effective source type of an archive column (SQLite columns: inferred, xl_sqlite_infer). */
typedef struct xl_src {
    dbf_type type;
    unsigned bits;
    bool is_unsigned;
    int32_t length, precision, scale;
    bool any;     /* values are dynamic (SQLite storage classes) */
    bool untyped; /* SQLite: no declared type, or one without portable meaning: text */
    bool jsonb;   /* PostgreSQL jsonb */
    bool varbit;  /* PostgreSQL bit varying */
} xl_src;

/* One column on its way through a dialect's map_type. */
typedef struct xl_map {
    dbe_xlate *x;
    const dbf_column *sc; /* archive column */
    const xl_src *s;      /* its effective type */
    bool in_pk;           /* part of the archive table's primary key */
    int32_t fsp;          /* fractional second digits of times and timestamps (0..6) */
    xl_col *c;            /* OUT: logical target type and value checks */
    dbf_column *tc;       /* OUT: the published target column (attrs, charset) */
    xl_sbuf *decl;        /* OUT: the column's type text in the DDL */
    const char *why;      /* OUT: plan note; NULL when values arrive unchanged */
    char whybuf[200], whybuf2[300]; /* room for a formatted why */
} xl_map;

/* A CREATE TABLE being built (xlate.c). */
typedef struct xl_build {
    dbe_xlate *x;
    const dbf_table *t;    /* archive table */
    xl_sbuf sql;           /* the statement so far */
    const char **names;    /* archive names of the columns created */
    const char *rowid_pk;  /* SQLite archive: its INTEGER PRIMARY KEY column (an identity) */
    const char *coll_col, *coll_name; /* first column whose collation is not carried */
    size_t ncoll;          /* columns whose collation is not carried */
    const char *auto_col;  /* MySQL: the fitted name of the AUTO_INCREMENT column, NULL none */
    bool inline_pk;        /* SQLite: the primary key is "INTEGER PRIMARY KEY AUTOINCREMENT" */
    size_t nt;             /* columns created so far */
} xl_build;

/* A row of a dialect's type table: how it stores a portable type when the row says it all. */
typedef struct xl_tmap {
    const char *decl; /* type text ("%d": the fraction digits); NULL: the dialect's map_type */
    dbf_type as;      /* DBF_T_ANY: the source's type; text or bytes: unlimited, converted */
    bool convert;     /* values are converted, not passed as they are */
    const char *why;  /* plan note; NULL: values unchanged */
} xl_tmap;


extern const dbe_dialect xl_pg, xl_mysql, xl_sqlite;
/** @return the dialect of an engine id (PostgreSQL for an unknown id). */
const dbe_dialect *xl_dialect_of(dbe_id d);

/* ------------------------------------------------- shared by the dialects */

/** Append a fitted name quoted for dl. */
void xl_put_quoted(xl_sbuf *b, const dbe_dialect *dl, const char *fitted);
/** Fit (dbe_xlate_quote_ident) and quote into b. @return 0 or what fitting returns. */
int xl_put_ident(xl_sbuf *b, const dbe_dialect *dl, const char *name, dbf_error *err);
/** Append s[0..n) as a string literal of dl. */
void xl_put_literal(xl_sbuf *b, const dbe_dialect *dl, const char *s, size_t n);
/** Append "(name, ...)" fitted and quoted; prefix: dl->key_prefix lengths for the long
 *  text/blob columns of table. */
int xl_put_col_list(xl_sbuf *b, const dbe_dialect *dl, const char *const *cols, size_t n,
                    const dbf_table *table, bool prefix, dbf_error *err);
/** Add a plan line to x (dropped silently when out of memory). */
void xl_note(dbe_xlate *x, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/** @return malloc'd formatted text, NULL when out of memory. */
char *xl_dupf(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;
/** @return true when s is one of the NULL-terminated list. */
bool xl_in_list(const char *s, const char *const *list);
/** @return true when s is a plain decimal number (no NaN or infinity). */
bool xl_is_number(const char *s);
/** The column becomes `decl`, of logical type t (text, bytes) and no length limit, every value
 *  converted, for the reason why. */
void xl_map_as(xl_map *m, const char *decl, dbf_type t, const char *why);
/* Reasons shared by the dialects. */
#define XL_WHY_ENUM "enum as text with a CHECK on its labels"
#define XL_WHY_SET "set as comma-separated text"
#define XL_WHY_ARRAY                                                                          \
    "arrays as JSON text (nested by dimension; lower bounds other than 1 refused, --lossy: "  \
    "dropped)"
#define XL_WHY_INTERVAL "intervals as ISO 8601 duration text (P1Y2M3DT4H5M6.5S)"
#define XL_WHY_UUID "UUIDs as 36-character lowercase text"
#define XL_WHY_BITS "bit strings as big-endian bytes"
#define XL_WHY_NATIVE "engine-specific type kept as its text form"
/** Translate a check expression for dl; NULL when not portable (xlate_obj.c). */
char *xl_check_expr(const char *src, const char *src_engine, const dbe_dialect *dl);
/** @return true when the referential action is one every dialect has (NULL: none). */
bool xl_ref_action_ok(const char *a);
/** Append " FOREIGN KEY (cols) REFERENCES [schema.]parent [(cols)] [ON DELETE|UPDATE ...]".
 *  @return 0 or what fitting a name returns. */
int xl_put_fk(xl_sbuf *b, const dbe_dialect *dl, const char *schema, const dbf_object *o,
              dbf_error *err);

/** The portable type a SQLite declared type stands for (any set: values are dynamic). */
void xl_sqlite_infer(const char *decl, xl_src *o);

/**
 * Convert one value for column c.
 * @return 0, DBC_EDATA (err names table/column/row/value), DBF_ENOMEM.
 *         *lossy set when a --lossy rule changed the value.
 */
int xl_convert(dbe_xlate *x, const xl_col *c, const dbf_value *in, dbf_value *out,
               uint64_t row, bool *lossy, dbf_error *err);

#endif /* DBE_XLATE_INT_H */
