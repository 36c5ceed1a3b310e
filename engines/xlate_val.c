/*
 * xlate_val.c - value conversion of the translation layer: one archive value into the
 * logical type of a target column (xl_col), then, for SQLite targets, into a storage class.
 * Every refusal names table, column, row and value (spec/TYPES.md, "Cross-engine matrix").
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "xlate_int.h"

static int bad(dbe_xlate *x, const xl_col *c, uint64_t row, const dbf_value *in, dbf_error *err,
               const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 6, 7)))
#endif
    ;

static int bad(dbe_xlate *x, const xl_col *c, uint64_t row, const dbf_value *in, dbf_error *err,
               const char *fmt, ...)
{
    char pv[256], why[1024];
    xl_value_preview(pv, sizeof pv, in);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    return dbf_error_set(err, DBC_EDATA, "table \"%s\" column \"%s\" row %" PRIu64
                         ": value %s %s", x->src_table, c->name, row, pv, why);
}

/* A --lossy rule: the value becomes NULL, or the row is refused (why: printf-style). */
static int lossy_null(dbe_xlate *x, const xl_col *c, uint64_t row, const dbf_value *in,
                      dbf_value *out, bool *lossy, dbf_error *err, const char *why, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 8, 9)))
#endif
    ;

static int lossy_null(dbe_xlate *x, const xl_col *c, uint64_t row, const dbf_value *in,
                      dbf_value *out, bool *lossy, dbf_error *err, const char *why, ...)
{
    if (x->opts.lossy) {
        out->kind = DBF_V_NULL;
        *lossy = true;
        return 0;
    }
    char text[512];
    va_list ap;
    va_start(ap, why);
    vsnprintf(text, sizeof text, why, ap);
    va_end(ap);
    return bad(x, c, row, in, err, "%s (--lossy: NULL)", text);
}

static int put_bytes(dbe_xlate *x, dbf_value *out, dbf_vkind kind, const char *p, size_t n,
                     dbf_error *err)
{
    char *m = dbf_arena_alloc(&x->arena, n ? n : 1);
    if (!m)
        return dbc_oom(err);
    if (n)
        memcpy(m, p, n);
    out->kind = kind;
    out->u.s.ptr = m;
    out->u.s.len = n;
    return 0;
}

static int put_sb(dbe_xlate *x, dbf_value *out, dbf_vkind kind, xl_sbuf *b, dbf_error *err)
{
    if (b->oom) {
        xl_sb_free(b);
        return dbc_oom(err);
    }
    int rc = put_bytes(x, out, kind, b->p ? b->p : "", b->len, err);
    xl_sb_free(b);
    return rc;
}

/* ------------------------------------------------------------ array -> JSON */

static int json_elem(dbe_xlate *x, const xl_col *c, const dbf_value *in, const dbf_value *e,
                     uint64_t row, xl_sbuf *b, bool *lossy, dbf_error *err)
{
    switch (e->kind) {
    case DBF_V_NULL:
        xl_sb_puts(b, "null");
        return 0;
    case DBF_V_F32:
    case DBF_V_F64: {
        double v = e->kind == DBF_V_F32 ? (double)e->u.f32 : e->u.f64;
        if (!isfinite(v)) {
            if (!x->opts.lossy)
                return bad(x, c, row, in, err, "holds %s, which JSON cannot represent "
                           "(--lossy: null)", isnan(v) ? "NaN" : "an infinity");
            *lossy = true;
            xl_sb_puts(b, "null");
            return 0;
        }
    }
        /* fall through */
    case DBF_V_BOOL:
    case DBF_V_INT:
    case DBF_V_UINT:
        dbc_value_text(b, e, DBF_T_ANY);
        return 0;
    case DBF_V_STR:
        if (c->selem == DBF_T_JSON) {
            if (!xl_json_valid(e->u.s.ptr, e->u.s.len))
                return bad(x, c, row, in, err, "holds an element that is not valid JSON");
            xl_sb_putn(b, e->u.s.ptr, e->u.s.len);
            return 0;
        }
        if (c->selem == DBF_T_DECIMAL || c->selem == DBF_T_INT) {
            xl_dec dd;
            if (xl_dec_parse(&dd, e->u.s.ptr, e->u.s.len) && !dd.special) {
                xl_dec_free(&dd);
                xl_sb_putn(b, e->u.s.ptr, e->u.s.len);
                return 0;
            }
            xl_dec_free(&dd);
        }
        if (!xl_utf8_valid(e->u.s.ptr, e->u.s.len))
            return bad(x, c, row, in, err, "holds an element that is not valid UTF-8");
        xl_json_str(b, e->u.s.ptr, e->u.s.len);
        return 0;
    case DBF_V_BIN:
        if (c->selem == DBF_T_UUID && e->u.s.len == 16) {
            char u[37];
            dbc_uuid_text(u, (const uint8_t *)e->u.s.ptr);
            xl_sb_printf(b, "\"%s\"", u);
            return 0;
        }
        /* bytes: PostgreSQL's hex text form */
        xl_sb_puts(b, "\"\\\\x");
        dbc_buf_hex(b, e->u.s.ptr, e->u.s.len);
        xl_sb_putc(b, '"');
        return 0;
    case DBF_V_INTERVAL: {
        xl_sb_putc(b, '"');
        dbc_interval_iso(b, e->u.iv.months, e->u.iv.days, e->u.iv.micros);
        xl_sb_putc(b, '"');
        return 0;
    }
    case DBF_V_ARRAY:
        return bad(x, c, row, in, err, "holds a nested array value");
    }
    return bad(x, c, row, in, err, "holds an element of unknown kind");
}

static int json_dim(dbe_xlate *x, const xl_col *c, const dbf_value *in, int dim, size_t *pos,
                    uint64_t row, xl_sbuf *b, bool *lossy, dbf_error *err)
{
    xl_sb_putc(b, '[');
    for (int32_t i = 0; i < in->u.arr.dims[dim]; i++) {
        if (i)
            xl_sb_putc(b, ',');
        int rc;
        if (dim + 1 < in->u.arr.ndims) {
            rc = json_dim(x, c, in, dim + 1, pos, row, b, lossy, err);
        } else {
            if (*pos >= in->u.arr.nelems)
                return bad(x, c, row, in, err, "has fewer elements than its dimensions");
            rc = json_elem(x, c, in, &in->u.arr.elems[(*pos)++], row, b, lossy, err);
        }
        if (rc)
            return rc;
    }
    xl_sb_putc(b, ']');
    return 0;
}

static int array_json(dbe_xlate *x, const xl_col *c, const dbf_value *in, uint64_t row,
                      xl_sbuf *b, bool *lossy, dbf_error *err)
{
    if (in->u.arr.ndims < 0 || in->u.arr.ndims > DBF_MAX_DIMS)
        return bad(x, c, row, in, err, "has an invalid number of dimensions");
    if (in->u.arr.ndims == 0) {
        xl_sb_puts(b, "[]");
        return 0;
    }
    for (int k = 0; k < in->u.arr.ndims; k++) {
        if (in->u.arr.lbounds[k] != 1) {
            if (!x->opts.lossy)
                return bad(x, c, row, in, err, "has lower bound %" PRId32 " in dimension %d, "
                           "which JSON cannot carry (--lossy: dropped)", in->u.arr.lbounds[k],
                           k + 1);
            *lossy = true;
        }
    }
    size_t pos = 0;
    return json_dim(x, c, in, 0, &pos, row, b, lossy, err);
}

/* ----------------------------------------------------------- conversions */

static int64_t stated_epoch(dbe_xlate *x, const xl_col *c);
static int epoch_of_text(dbe_xlate *x, const xl_col *c, const dbf_value *in, uint64_t row,
                         int64_t unit, int64_t *out, bool *lossy, dbf_error *err);

static int to_int(dbe_xlate *x, const xl_col *c, const dbf_value *in, dbf_value *out,
                  uint64_t row, bool *lossy, dbf_error *err)
{
    bool neg = false;
    uint64_t mag = 0; /* magnitude */
    int64_t unit = in->kind == DBF_V_STR ? stated_epoch(x, c) : 0;
    if (unit) { /* a timestamp into an integer column the application reads as epoch time */
        int64_t v = 0;
        int rc = epoch_of_text(x, c, in, row, unit, &v, lossy, err);
        if (rc)
            return rc;
        out->kind = DBF_V_INT;
        out->u.i = v;
        return 0;
    }
    switch (in->kind) {
    case DBF_V_INT:
        neg = in->u.i < 0;
        mag = neg ? (uint64_t)0 - (uint64_t)in->u.i : (uint64_t)in->u.i;
        break;
    case DBF_V_UINT:
        mag = in->u.u;
        break;
    case DBF_V_BOOL:
        mag = in->u.b ? 1 : 0;
        break;
    case DBF_V_F32:
    case DBF_V_F64: {
        double v = in->kind == DBF_V_F32 ? (double)in->u.f32 : in->u.f64;
        if (!isfinite(v) || v >= 18446744073709551616.0 || v < -9223372036854775808.0)
            return bad(x, c, row, in, err, "is not an integer");
        neg = v < 0;
        if (neg ? (double)(int64_t)v != v : (double)(uint64_t)v != v)
            return bad(x, c, row, in, err, "is not an integer");
        mag = neg ? (uint64_t)0 - (uint64_t)(int64_t)v : (uint64_t)v;
        break;
    }
    case DBF_V_STR: {
        xl_dt t;
        if (xl_dt_parse(&t, in->u.s.ptr, in->u.s.len) && t.has_date)
            return bad(x, c, row, in, err, "is a timestamp in an integer column: if the "
                       "application reads it as epoch time, state the unit, --epoch-unit "
                       "TABLE.COLUMN=s|ms|us");
        return bad(x, c, row, in, err, "is text in an integer column (%s integer)",
                   dbe_title(x->dialect));
    }
    default:
        return bad(x, c, row, in, err, "cannot be stored as an integer");
    }
    unsigned bits = c->lbits ? c->lbits : 64;
    uint64_t maxpos, maxneg;
    if (c->lunsigned) {
        maxpos = bits >= 64 ? UINT64_MAX : (((uint64_t)1 << bits) - 1);
        maxneg = 0;
    } else {
        maxpos = bits >= 64 ? (uint64_t)INT64_MAX : (((uint64_t)1 << (bits - 1)) - 1);
        maxneg = bits >= 64 ? (uint64_t)INT64_MAX + 1u : ((uint64_t)1 << (bits - 1));
    }
    if ((neg && mag > maxneg) || (!neg && mag > maxpos))
        return bad(x, c, row, in, err, "is out of range for a %s%u-bit integer",
                   c->lunsigned ? "unsigned " : "", bits);
    if (neg) {
        out->kind = DBF_V_INT;
        out->u.i = mag == (uint64_t)INT64_MAX + 1u ? INT64_MIN : -(int64_t)mag;
    } else if (mag > (uint64_t)INT64_MAX) {
        out->kind = DBF_V_UINT;
        out->u.u = mag;
    } else {
        out->kind = DBF_V_INT;
        out->u.i = (int64_t)mag;
    }
    return 0;
}

static int to_float(dbe_xlate *x, const xl_col *c, const dbf_value *in, dbf_value *out,
                    uint64_t row, bool *lossy, dbf_error *err)
{
    double v;
    switch (in->kind) {
    case DBF_V_F32:
        v = in->u.f32;
        break;
    case DBF_V_F64:
        v = in->u.f64;
        break;
    case DBF_V_INT:
    case DBF_V_UINT: {
        bool exact; /* the range test first: casting 2^63 (2^64) back is undefined */
        if (in->kind == DBF_V_INT) {
            v = (double)in->u.i;
            exact = v < 9223372036854775808.0 && (int64_t)v == in->u.i;
        } else {
            v = (double)in->u.u;
            exact = v < 18446744073709551616.0 && (uint64_t)v == in->u.u;
        }
        if (!exact) {
            if (!x->opts.lossy)
                return bad(x, c, row, in, err, "has no exact floating-point value (--lossy: "
                           "nearest)");
            *lossy = true;
        }
        break;
    }
    case DBF_V_STR:
        return bad(x, c, row, in, err, "is text in a floating-point column");
    default:
        return bad(x, c, row, in, err, "cannot be stored as a floating-point number");
    }
    if (x->dl->float_finite && !isfinite(v))
        return lossy_null(x, c, row, in, out, lossy, err,
                          "is NaN or infinite, which %s FLOAT/DOUBLE cannot hold",
                          dbe_title(x->dialect));
    bool unsigned_zero = false; /* MariaDB stores -0.0 as 0, from a number or a string */
    if (x->dl->float_no_negzero && v == 0.0 && signbit(v)) {
        if (!x->opts.lossy)
            return bad(x, c, row, in, err, "is -0.0, which %s FLOAT/DOUBLE stores as 0 "
                       "(--lossy: 0)", dbe_title(x->dialect));
        *lossy = true;
        v = 0.0;
        unsigned_zero = true;
    }
    if (c->ltype == DBF_T_FLOAT32) {
        if (in->kind == DBF_V_F32 && !unsigned_zero) {
            *out = *in;
            return 0;
        }
        float f = (float)v;
        if (!isnan(v) && (double)f != v) {
            if (!x->opts.lossy)
                return bad(x, c, row, in, err, "does not fit a 32-bit float exactly "
                           "(--lossy: rounded)");
            *lossy = true;
        }
        out->kind = DBF_V_F32;
        out->u.f32 = f;
        return 0;
    }
    out->kind = DBF_V_F64;
    out->u.f64 = v;
    return 0;
}

static int to_decimal(dbe_xlate *x, const xl_col *c, const dbf_value *in, dbf_value *out,
                      uint64_t row, bool *lossy, dbf_error *err)
{
    xl_dec d;
    char num[64];
    bool ok;
    switch (in->kind) {
    case DBF_V_INT:
        ok = xl_dec_parse(&d, num, dbc_int_text(num, in->u.i));
        break;
    case DBF_V_UINT:
        ok = xl_dec_parse(&d, num, dbc_uint_text(num, in->u.u));
        break;
    case DBF_V_F32:
        ok = xl_dec_parse(&d, num, dbc_float_shortest(num, in->u.f32, true));
        break;
    case DBF_V_F64:
        ok = xl_dec_from_double(&d, in->u.f64);
        break;
    case DBF_V_STR:
        ok = xl_dec_parse(&d, in->u.s.ptr, in->u.s.len);
        if (!ok)
            return bad(x, c, row, in, err, "is not a number");
        break;
    default:
        return bad(x, c, row, in, err, "cannot be stored as a decimal");
    }
    if (!ok)
        return dbc_oom(err);
    int rc = 0;
    if (d.special && x->dl->decimal_finite) {
        rc = lossy_null(x, c, row, in, out, lossy, err,
                        "is NaN or infinite, which %s DECIMAL cannot hold",
                        dbe_title(x->dialect));
        goto done;
    }
    if (d.special && c->lprecision >= 0 && x->dl->decimal_inf_bare && d.special != 1) {
        rc = lossy_null(x, c, row, in, out, lossy, err,
                        "is infinite, which a constrained %s numeric cannot hold",
                        dbe_title(x->dialect));
        goto done;
    }
    xl_sbuf b = {0};
    bool rounded = false;
    int r = xl_dec_format(&b, &d, c->lprecision, c->lscale, x->opts.lossy, &rounded);
    if (r == -1) {
        xl_sb_free(&b);
        rc = dbc_oom(err);
    } else if (r == 1) {
        xl_sb_free(&b);
        rc = bad(x, c, row, in, err, "has too many integer digits for decimal(%d,%d)",
                 (int)c->lprecision, (int)c->lscale);
    } else if (r == 2) {
        xl_sb_free(&b);
        rc = bad(x, c, row, in, err, "has more than %d fraction digits (--lossy: rounded)",
                 (int)c->lscale);
    } else {
        if (rounded)
            *lossy = true;
        rc = put_sb(x, out, DBF_V_STR, &b, err);
    }
done:
    xl_dec_free(&d);
    return rc;
}

/* Text checks: NUL, UTF-8, charset, length, labels. */
static int text_checks(dbe_xlate *x, const xl_col *c, const dbf_value *in, const char *p,
                       size_t n, uint64_t row, dbf_error *err)
{
    if (c->l_nonul && memchr(p, '\0', n))
        return bad(x, c, row, in, err, "contains a NUL byte, which %s text cannot hold",
                   dbe_title(x->dialect));
    if (c->l_utf8 && !xl_utf8_valid(p, n))
        return bad(x, c, row, in, err, "is not valid UTF-8, which %s text cannot hold",
                   dbe_title(x->dialect));
    if (c->llength >= 0 && c->ltype == DBF_T_TEXT && xl_utf8_chars(p, n) > (size_t)c->llength)
        return bad(x, c, row, in, err, "is longer than %d characters", (int)c->llength);
    if (c->l_charset || c->l_bytes_max) {
        static const char *const names[] = {"", "ascii", "latin1", "utf8mb3"};
        uint32_t cp = 0;
        size_t bytes = n;
        if (c->l_charset && !xl_mysql_charset_fits(p, n, c->l_charset, &cp, &bytes))
            return bad(x, c, row, in, err, "holds the character U+%04X, which the column's "
                       "charset %s cannot store (MySQL would store '?')", (unsigned)cp,
                       names[c->l_charset]);
        if (c->l_bytes_max && (int64_t)bytes > c->l_bytes_max)
            return bad(x, c, row, in, err, "takes %zu bytes, more than the %" PRId64 " the "
                       "column's type stores", bytes, c->l_bytes_max);
    }
    if (c->l_labels) {
        for (size_t i = 0; i < c->nlabels; i++)
            if (strlen(c->labels[i]) == n && memcmp(c->labels[i], p, n) == 0)
                return 0;
        return bad(x, c, row, in, err, "is not one of the enum labels");
    }
    return 0;
}

static int to_text(dbe_xlate *x, const xl_col *c, const dbf_value *in, dbf_value *out,
                   uint64_t row, bool *lossy, dbf_error *err)
{
    xl_sbuf b = {0};
    switch (in->kind) {
    case DBF_V_STR:
        if (c->l_uuid_keep) {
            uint8_t u[16];
            if (!xl_uuid_parse(in->u.s.ptr, in->u.s.len, u))
                return bad(x, c, row, in, err, "is not a UUID");
        }
        {
            int rc = text_checks(x, c, in, in->u.s.ptr, in->u.s.len, row, err);
            if (rc)
                return rc;
        }
        *out = *in;
        return 0;
    case DBF_V_INT:
    case DBF_V_UINT:
    case DBF_V_F32:
    case DBF_V_F64:
    case DBF_V_BOOL:
    case DBF_V_INTERVAL:
        dbc_value_text(&b, in, DBF_T_ANY);
        break;
    case DBF_V_BIN: /* a UUID's bytes as its text; other bytes have none */
        if (!dbc_value_text(&b, in, c->l_uuid_keep ? DBF_T_UUID : c->stype))
            return bad(x, c, row, in, err, "is a blob in a text column");
        break;
    case DBF_V_ARRAY: {
        int rc = array_json(x, c, in, row, &b, lossy, err);
        if (rc) {
            xl_sb_free(&b);
            return rc;
        }
        break;
    }
    default:
        return bad(x, c, row, in, err, "cannot be stored as text");
    }
    if (b.oom) {
        xl_sb_free(&b);
        return dbc_oom(err);
    }
    int rc = text_checks(x, c, in, b.p ? b.p : "", b.len, row, err);
    if (rc) {
        xl_sb_free(&b);
        return rc;
    }
    return put_sb(x, out, DBF_V_STR, &b, err);
}

static bool year_outside(const dbe_xlate *x, const xl_dt *t)
{
    return x->dl->year_max && (t->year < x->dl->year_min || t->year > x->dl->year_max);
}

/* Date range checks shared by date and timestamp. */
static int date_target_checks(dbe_xlate *x, const xl_col *c, const dbf_value *in,
                              const xl_dt *t, dbf_value *out, uint64_t row, bool *lossy,
                              bool *done, dbf_error *err)
{
    *done = false;
    if (t->special) { /* SQLite stores the words as text */
        if (!x->dl->dates_infinity && !x->dl->storage_classes) {
            *done = true;
            return lossy_null(x, c, row, in, out, lossy, err,
                              "is infinite, which %s dates cannot hold", dbe_title(x->dialect));
        }
        return 0;
    }
    if (t->zero) {
        if (!x->dl->dates_zero) {
            *done = true;
            return lossy_null(x, c, row, in, out, lossy, err,
                              "is a zero date, which %s cannot hold", dbe_title(x->dialect));
        }
        /* MySQL keeps zero dates as stored (the sink's sql_mode allows them); SQLite: text */
        *done = true;
        *out = *in;
        return 0;
    }
    if (!xl_dt_valid_date(t))
        return bad(x, c, row, in, err, "is not a valid calendar date");
    if (year_outside(x, t)) {
        *done = true;
        return lossy_null(x, c, row, in, out, lossy, err,
                          "has a year outside %d..%d, which %s cannot hold", (int)x->dl->year_min,
                          (int)x->dl->year_max, dbe_title(x->dialect));
    }
    return 0;
}

static int to_date(dbe_xlate *x, const xl_col *c, const dbf_value *in, dbf_value *out,
                   uint64_t row, bool *lossy, dbf_error *err)
{
    if (in->kind != DBF_V_STR)
        return bad(x, c, row, in, err, "is not date text (numbers are refused: no epoch or "
                   "Julian day is assumed)");
    xl_dt t;
    if (!xl_dt_parse(&t, in->u.s.ptr, in->u.s.len) || (!t.has_date && !t.special))
        return bad(x, c, row, in, err, "is not a date");
    if (t.has_time && (t.hour || t.min || t.sec || t.usec || t.zone))
        return bad(x, c, row, in, err, "has a time of day, which a date column cannot hold");
    bool done;
    int rc = date_target_checks(x, c, in, &t, out, row, lossy, &done, err);
    if (rc || done)
        return rc;
    xl_sbuf b = {0};
    xl_dt_fmt_date(&b, &t);
    return put_sb(x, out, DBF_V_STR, &b, err);
}

/* Epoch integers into a timestamp column (ORMs keep SQLite timestamps so: drizzle's
 * integer seconds and milliseconds). The unit is --epoch-unit's (TABLE.COLUMN=UNIT before a
 * bare UNIT for all), else the column's first non-zero value decides it from its magnitude:
 * real dates do not overlap (seconds < 1e11 <= milliseconds < 1e14 <= microseconds < 1e17),
 * and a later value of another magnitude is refused, so the load rolls back rather than
 * mixing units. */
static int64_t epoch_unit_of(const char *u)
{
    return strcmp(u, "s") == 0 ? 1 : strcmp(u, "ms") == 0 ? 1000 : 1000000;
}

static const char *epoch_name(int64_t u)
{
    return u == 1 ? "seconds" : u == 1000 ? "milliseconds" : "microseconds";
}

static const char *epoch_short(int64_t u)
{
    return u == 1 ? "s" : u == 1000 ? "ms" : "us";
}

static int64_t epoch_guess(int64_t v)
{
    uint64_t a = v < 0 ? (uint64_t)(-(v + 1)) + 1 : (uint64_t)v;
    return a < UINT64_C(100000000000)      ? 1
           : a < UINT64_C(100000000000000) ? 1000
           : a < UINT64_C(100000000000000000) ? 1000000
                                               : 0;
}

/* The instant of epoch integer in, into t (UTC), as the parse of its text would give it. */
/* The unit --epoch-unit states for column c (TABLE.COLUMN=UNIT, else a plain UNIT), once. */
static int64_t stated_epoch(dbe_xlate *x, const xl_col *c)
{
    xl_col *m = &x->cols[c - x->cols];
    if (!m->epoch && !m->epoch_looked) {
        const char *dflt = NULL;
        size_t tl = strlen(x->src_table), cl = strlen(c->name);
        for (size_t i = 0; i < x->opts.nepoch_units && !m->epoch; i++) {
            const char *e = x->opts.epoch_units[i], *eq = strrchr(e, '=');
            if (!eq)
                dflt = e;
            else if ((size_t)(eq - e) == tl + 1 + cl && strncmp(e, x->src_table, tl) == 0 &&
                     e[tl] == '.' && strncmp(e + tl + 1, c->name, cl) == 0)
                m->epoch = epoch_unit_of(eq + 1);
        }
        if (!m->epoch && dflt)
            m->epoch = epoch_unit_of(dflt);
        m->epoch_given = m->epoch != 0;
        m->epoch_looked = true;
    }
    return m->epoch_given ? m->epoch : 0;
}

/* A timestamp (or date) text into an integer column the application reads as epoch time,
 * in the unit --epoch-unit states for it: seconds, milliseconds or microseconds since
 * 1970-01-01 UTC. Fraction digits the unit cannot hold are refused (--lossy: truncated). */
static int epoch_of_text(dbe_xlate *x, const xl_col *c, const dbf_value *in, uint64_t row,
                         int64_t unit, int64_t *out, bool *lossy, dbf_error *err)
{
    xl_dt t;
    if (!xl_dt_parse(&t, in->u.s.ptr, in->u.s.len) || t.special || t.zero || !t.has_date ||
        !xl_dt_valid_date(&t))
        return bad(x, c, row, in, err, "is not a timestamp to count as epoch %s",
                   epoch_name(unit));
    xl_dt_to_utc(&t); /* no offset: the wall clock is taken as UTC */
    long long secs = xl_dt_epoch(&t);
    long long sub = (long long)t.usec / (1000000 / unit);
    if ((long long)t.usec % (1000000 / unit) != 0 || t.frac_lost) {
        if (!x->opts.lossy)
            return bad(x, c, row, in, err, "has more fraction digits than epoch %s keep "
                       "(--lossy: truncated)", epoch_name(unit));
        *lossy = true;
    }
    if (secs > INT64_MAX / unit - 1 || secs < INT64_MIN / unit + 1)
        return bad(x, c, row, in, err, "is outside the epoch %s an integer holds",
                   epoch_name(unit));
    *out = secs * unit + sub;
    return 0;
}

static int epoch_dt(dbe_xlate *x, const xl_col *c, const dbf_value *in, uint64_t row, xl_dt *t,
                    dbf_error *err)
{
    xl_col *m = &x->cols[c - x->cols];
    int64_t v = in->u.i, unit;
    stated_epoch(x, c);
    unit = m->epoch;
    if (!m->epoch_given && v != 0) {
        int64_t g = epoch_guess(v);
        if (!g)
            return bad(x, c, row, in, err, "is too large for epoch microseconds");
        if (!unit) {
            m->epoch = unit = g;
            m->epoch_first = v;
            m->epoch_row = row;
        } else if (g != unit) {
            return bad(x, c, row, in, err, "reads as epoch %s but row %" PRIu64 " (%" PRId64
                       ") as %s: state the unit, --epoch-unit TABLE.COLUMN=s|ms|us",
                       epoch_short(g), m->epoch_row, m->epoch_first, epoch_short(unit));
        }
    }
    if (!unit)
        unit = 1; /* 0 is the epoch itself in any unit */
    if (v != 0) {
        m->epoch_min = m->epoch_n && m->epoch_min < v ? m->epoch_min : v;
        m->epoch_max = m->epoch_n && m->epoch_max > v ? m->epoch_max : v;
        m->epoch_n++;
    }
    int64_t secs = v / unit, rem = v % unit;
    if (rem < 0) {
        rem += unit;
        secs--;
    }
    time_t tt = (time_t)secs;
    struct tm tm;
    if (!gmtime_r(&tt, &tm) || tm.tm_year + 1900 < 1 || tm.tm_year + 1900 > 9999)
        return bad(x, c, row, in, err, "as epoch %s is outside the years 1..9999",
                   epoch_name(unit));
    memset(t, 0, sizeof *t);
    t->has_date = t->has_time = true;
    t->year = tm.tm_year + 1900;
    t->mon = tm.tm_mon + 1;
    t->day = tm.tm_mday;
    t->hour = tm.tm_hour;
    t->min = tm.tm_min;
    t->sec = tm.tm_sec;
    t->usec = (long)(rem * (1000000 / unit));
    t->frac_digits = 6;
    t->zone = 1; /* UTC */
    return 0;
}

/* A parsed timestamp t of the archive's value in (text, or an epoch integer) into out. */
static int ts_convert(dbe_xlate *x, const xl_col *c, const dbf_value *in, xl_dt t,
                      dbf_value *out, uint64_t row, bool tz, bool *lossy, dbf_error *err)
{
    if (t.frac_lost) {
        if (!x->opts.lossy)
            return bad(x, c, row, in, err, "has digits below a microsecond (--lossy: "
                       "truncated)");
        *lossy = true;
    }
    /* A column of fewer fraction digits (MySQL datetime/timestamp(0..5) truncates them
     * without a note, PostgreSQL timestamp(p) rounds) would change the value: refused. */
    if (c->lprecision >= 0 && c->lprecision < 6 && !t.special) {
        static const long unit_us[6] = {1000000, 100000, 10000, 1000, 100, 10};
        long q = unit_us[c->lprecision]; /* microseconds of the column's last digit */
        if (t.usec % q) {
            if (!x->opts.lossy)
                return bad(x, c, row, in, err, "has more fraction digits than the column's "
                           "%d (--lossy: truncated)", (int)c->lprecision);
            t.usec -= t.usec % q;
            *lossy = true;
        }
    }
    bool done;
    int rc = date_target_checks(x, c, in, &t, out, row, lossy, &done, err);
    if (rc || done)
        return rc;
    bool instant = t.zone != 0;
    xl_dt_to_utc(&t);
    if (instant && !tz && x->opts.time_zone && !t.special) /* a wall-clock column */
        xl_dt_to_zone(&t, x->opts.time_zone);
    if (!t.special && year_outside(x, &t))
        return lossy_null(x, c, row, in, out, lossy, err,
                          "has a year outside %d..%d in UTC, which %s cannot hold",
                          (int)x->dl->year_min, (int)x->dl->year_max, dbe_title(x->dialect));
    xl_sbuf b = {0};
    xl_dt_fmt_timestamp(&b, &t, tz);
    return put_sb(x, out, DBF_V_STR, &b, err);
}

static int to_timestamp(dbe_xlate *x, const xl_col *c, const dbf_value *in, dbf_value *out,
                        uint64_t row, bool tz, bool *lossy, dbf_error *err)
{
    xl_dt t;
    if (in->kind == DBF_V_INT) {
        int rc = epoch_dt(x, c, in, row, &t, err);
        return rc ? rc : ts_convert(x, c, in, t, out, row, tz, lossy, err);
    }
    if (in->kind != DBF_V_STR)
        return bad(x, c, row, in, err, "is not timestamp text or epoch integer");
    if (!xl_dt_parse(&t, in->u.s.ptr, in->u.s.len) || (!t.has_date && !t.special))
        return bad(x, c, row, in, err, "is not a timestamp");
    return ts_convert(x, c, in, t, out, row, tz, lossy, err);
}

static int to_time(dbe_xlate *x, const xl_col *c, const dbf_value *in, dbf_value *out,
                   uint64_t row, dbf_error *err)
{
    int64_t us;
    if (in->kind != DBF_V_STR)
        return bad(x, c, row, in, err, "is not time text");
    if (!xl_time_parse(in->u.s.ptr, in->u.s.len, &us, NULL))
        return bad(x, c, row, in, err, "is not a time");
    if (c->l_time_of_day && (us < 0 || us > 86400000000LL))
        return bad(x, c, row, in, err, "is outside 00:00:00..24:00:00 (PostgreSQL time)");
    int64_t lim = x->dl->time_max_us;
    xl_sbuf b = {0};
    if (lim && (us > lim || us < -lim)) {
        xl_time_fmt(&b, lim - lim % 1000000); /* the range as MySQL documents it */
        int rc = bad(x, c, row, in, err, "is outside -%s..%s (%s TIME)", b.p ? b.p : "?",
                     b.p ? b.p : "?", dbe_title(x->dialect));
        xl_sb_free(&b);
        return rc;
    }
    xl_time_fmt(&b, us);
    return put_sb(x, out, DBF_V_STR, &b, err);
}

static int to_interval(dbe_xlate *x, const xl_col *c, const dbf_value *in, dbf_value *out,
                       uint64_t row, dbf_error *err)
{
    if (in->kind == DBF_V_INTERVAL) {
        *out = *in;
        return 0;
    }
    int64_t us;
    if (in->kind == DBF_V_STR && xl_time_parse(in->u.s.ptr, in->u.s.len, &us, NULL)) {
        out->kind = DBF_V_INTERVAL;
        out->u.iv.months = 0;
        out->u.iv.days = 0;
        out->u.iv.micros = us;
        return 0;
    }
    return bad(x, c, row, in, err, "is not an interval");
}

static int to_uuid(dbe_xlate *x, const xl_col *c, const dbf_value *in, dbf_value *out,
                   uint64_t row, dbf_error *err)
{
    uint8_t u[16];
    if (in->kind == DBF_V_BIN && in->u.s.len == 16) {
        *out = *in;
        return 0;
    }
    if (in->kind == DBF_V_STR && xl_uuid_parse(in->u.s.ptr, in->u.s.len, u))
        return put_bytes(x, out, DBF_V_BIN, (const char *)u, 16, err);
    return bad(x, c, row, in, err, "is not a UUID");
}

static int to_json(dbe_xlate *x, const xl_col *c, const dbf_value *in, dbf_value *out,
                   uint64_t row, bool *lossy, dbf_error *err)
{
    xl_sbuf b = {0};
    switch (in->kind) {
    case DBF_V_STR:
        if (!xl_json_valid(in->u.s.ptr, in->u.s.len))
            return bad(x, c, row, in, err, "is not valid JSON");
        *out = *in;
        return 0;
    case DBF_V_F64:
        if (!isfinite(in->u.f64))
            return lossy_null(x, c, row, in, out, lossy, err, "is not a finite number (JSON)");
        /* fall through */
    case DBF_V_INT:
    case DBF_V_UINT:
    case DBF_V_BOOL:
        dbc_value_text(&b, in, DBF_T_ANY);
        break;
    case DBF_V_ARRAY: {
        int rc = array_json(x, c, in, row, &b, lossy, err);
        if (rc) {
            xl_sb_free(&b);
            return rc;
        }
        break;
    }
    default:
        return bad(x, c, row, in, err, "cannot be stored as JSON");
    }
    return put_sb(x, out, DBF_V_STR, &b, err);
}

static int to_bytes(dbe_xlate *x, const xl_col *c, const dbf_value *in, dbf_value *out,
                    uint64_t row, bool *lossy, dbf_error *err)
{
    if (in->kind != DBF_V_BIN && in->kind != DBF_V_STR)
        return bad(x, c, row, in, err, "is not binary data");
    if (c->llength >= 0 && in->u.s.len > (size_t)c->llength)
        return bad(x, c, row, in, err, "is longer than %d bytes", (int)c->llength);
    if (c->l_bytes_max && (int64_t)in->u.s.len > c->l_bytes_max)
        return bad(x, c, row, in, err, "takes %zu bytes, more than the %" PRId64 " the column's "
                   "type stores", in->u.s.len, c->l_bytes_max);
    if (c->l_fixed_bin && in->u.s.len < (size_t)c->llength) {
        /* BINARY(n) pads with zero bytes: the row would not read back as sent */
        if (!x->opts.lossy)
            return bad(x, c, row, in, err, "is %zu bytes: binary(%d) pads it with zero bytes "
                       "(--lossy: padded here, so --verify compares the padded value)",
                       in->u.s.len, (int)c->llength);
        char *m = dbf_arena_alloc(&x->arena, (size_t)c->llength);
        if (!m)
            return dbc_oom(err);
        memset(m, 0, (size_t)c->llength);
        if (in->u.s.len)
            memcpy(m, in->u.s.ptr, in->u.s.len);
        out->kind = DBF_V_BIN;
        out->u.s.ptr = m;
        out->u.s.len = (size_t)c->llength;
        *lossy = true;
        return 0;
    }
    *out = *in;
    out->kind = DBF_V_BIN;
    return 0;
}

static int to_bool(dbe_xlate *x, const xl_col *c, const dbf_value *in, dbf_value *out,
                   uint64_t row, dbf_error *err)
{
    out->kind = DBF_V_BOOL;
    switch (in->kind) {
    case DBF_V_BOOL:
        *out = *in;
        return 0;
    case DBF_V_INT:
        if (in->u.i == 0 || in->u.i == 1) {
            out->u.b = in->u.i == 1;
            return 0;
        }
        break;
    case DBF_V_UINT:
        break;
    case DBF_V_F64:
        if (in->u.f64 == 0.0 || in->u.f64 == 1.0) {
            out->u.b = in->u.f64 == 1.0;
            return 0;
        }
        break;
    case DBF_V_STR: {
        static const char *const t[] = {"1", "t", "true"};
        static const char *const f[] = {"0", "f", "false"};
        for (int k = 0; k < 3; k++) {
            size_t n = strlen(t[k]), m = strlen(f[k]);
            if (in->u.s.len == n && strncasecmp(in->u.s.ptr, t[k], n) == 0) {
                out->u.b = true;
                return 0;
            }
            if (in->u.s.len == m && strncasecmp(in->u.s.ptr, f[k], m) == 0) {
                out->u.b = false;
                return 0;
            }
        }
        break;
    }
    default:
        break;
    }
    return bad(x, c, row, in, err, "is not a boolean (0/1, true/false, t/f)");
}

/* SQLite target: logical value -> storage class. */
static int to_storage(dbe_xlate *x, const xl_col *c, const dbf_value *in, dbf_value *v,
                      uint64_t row, bool *lossy, dbf_error *err)
{
    switch (v->kind) {
    case DBF_V_BOOL:
        v->kind = DBF_V_INT;
        v->u.i = v->u.b ? 1 : 0;
        return 0;
    case DBF_V_UINT:
        if (v->u.u > (uint64_t)INT64_MAX)
            return bad(x, c, row, in, err, "is above 9223372036854775807, which a SQLite "
                       "integer cannot hold");
        v->kind = DBF_V_INT;
        v->u.i = (int64_t)v->u.u;
        return 0;
    case DBF_V_F32:
        v->kind = DBF_V_F64;
        v->u.f64 = v->u.f32;
        /* fall through */
    case DBF_V_F64:
        if (isnan(v->u.f64))
            return lossy_null(x, c, row, in, v, lossy, err,
                              "is NaN, which SQLite stores as NULL");
        if (v->u.f64 == 0.0 && signbit(v->u.f64)) {
            if (!x->opts.lossy)
                return bad(x, c, row, in, err, "is -0.0, which SQLite stores as 0.0 "
                           "(--lossy: 0.0)");
            *lossy = true;
            v->u.f64 = 0.0;
        }
        return 0;
    case DBF_V_INTERVAL: {
        xl_sbuf b = {0};
        dbc_interval_iso(&b, v->u.iv.months, v->u.iv.days, v->u.iv.micros);
        return put_sb(x, v, DBF_V_STR, &b, err);
    }
    case DBF_V_ARRAY:
        return bad(x, c, row, in, err, "is an array, which SQLite cannot hold");
    default:
        return 0;
    }
}

int xl_convert(dbe_xlate *x, const xl_col *c, const dbf_value *in, dbf_value *out,
               uint64_t row, bool *lossy, dbf_error *err)
{
    int rc;
    memset(out, 0, sizeof *out);
    if (in->kind == DBF_V_NULL) {
        out->kind = DBF_V_NULL;
        return 0;
    }
    switch (c->ltype) {
    case DBF_T_BOOL:
        rc = to_bool(x, c, in, out, row, err);
        break;
    case DBF_T_INT:
    case DBF_T_YEAR:
        rc = to_int(x, c, in, out, row, lossy, err);
        break;
    case DBF_T_FLOAT32:
    case DBF_T_FLOAT64:
        rc = to_float(x, c, in, out, row, lossy, err);
        break;
    case DBF_T_DECIMAL:
        rc = to_decimal(x, c, in, out, row, lossy, err);
        break;
    case DBF_T_TEXT:
    case DBF_T_ENUM:
    case DBF_T_SET:
        rc = to_text(x, c, in, out, row, lossy, err);
        break;
    case DBF_T_BYTES:
    case DBF_T_BIT:
        rc = to_bytes(x, c, in, out, row, lossy, err);
        break;
    case DBF_T_DATE:
        rc = to_date(x, c, in, out, row, lossy, err);
        break;
    case DBF_T_TIME:
        rc = to_time(x, c, in, out, row, err);
        break;
    case DBF_T_TIMESTAMP:
        rc = to_timestamp(x, c, in, out, row, false, lossy, err);
        break;
    case DBF_T_TIMESTAMPTZ:
        rc = to_timestamp(x, c, in, out, row, true, lossy, err);
        break;
    case DBF_T_INTERVAL:
        rc = to_interval(x, c, in, out, row, err);
        break;
    case DBF_T_UUID:
        rc = to_uuid(x, c, in, out, row, err);
        break;
    case DBF_T_JSON:
        rc = to_json(x, c, in, out, row, lossy, err);
        break;
    case DBF_T_NATIVE: /* bit string text from a MySQL BIT value (an integer, big-endian) */
        if (!c->l_bitstring) {
            rc = to_text(x, c, in, out, row, lossy, err);
            break;
        }
        if (in->kind != DBF_V_BIN)
            return bad(x, c, row, in, err, "is not a bit value");
        {
            size_t nb = (size_t)(c->llength > 0 ? c->llength : 1);
            if (nb > in->u.s.len * 8)
                return bad(x, c, row, in, err, "has fewer bits than bit(%zu)", nb);
            xl_sbuf b = {0};
            if (!dbc_bits_text(&b, in->u.s.ptr, in->u.s.len, nb))
                return bad(x, c, row, in, err, "has bits beyond bit(%zu)", nb);
            rc = put_sb(x, out, DBF_V_STR, &b, err);
        }
        break;
    case DBF_T_TIMETZ:
        if (in->kind != DBF_V_STR)
            return bad(x, c, row, in, err, "is not a time with time zone");
        *out = *in;
        rc = 0;
        break;
    case DBF_T_ARRAY:
        if (in->kind != DBF_V_ARRAY)
            return bad(x, c, row, in, err, "is not an array");
        *out = *in;
        rc = 0;
        break;
    default:
        return bad(x, c, row, in, err, "cannot be converted to %s",
                   dbf_type_name(c->ltype));
    }
    if (rc == 0 && c->any_out && out->kind != DBF_V_NULL)
        rc = to_storage(x, c, in, out, row, lossy, err);
    return rc;
}
