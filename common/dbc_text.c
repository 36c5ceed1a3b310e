/*
 * dbc_text.c - the text of portable values (see dbc_text.h).
 */
#include "dbc_text.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

size_t dbc_int_text(char out[DBC_NUM_TEXT], int64_t v)
{
    return (size_t)snprintf(out, DBC_NUM_TEXT, "%" PRId64, v);
}

size_t dbc_uint_text(char out[DBC_NUM_TEXT], uint64_t v)
{
    return (size_t)snprintf(out, DBC_NUM_TEXT, "%" PRIu64, v);
}

static size_t special_float(char out[DBC_NUM_TEXT], double v)
{
    return (size_t)snprintf(out, DBC_NUM_TEXT, "%s",
                            isnan(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity");
}

size_t dbc_float_text(char out[DBC_NUM_TEXT], double v, bool f32)
{
    if (isfinite(v))
        return (size_t)snprintf(out, DBC_NUM_TEXT, f32 ? "%.9g" : "%.17g", v);
    return special_float(out, v);
}

/* Significant digits of a %g text without its trailing zeros ("100000" -> 1, "0.0125" -> 3). */
static int sig_digits(const char *s)
{
    int n = 0, last = 0;
    for (; *s && *s != 'e' && *s != 'E'; s++) {
        if (*s < '0' || *s > '9' || (n == 0 && *s == '0'))
            continue;
        n++;
        if (*s != '0')
            last = n;
    }
    return last;
}

static bool reads_back(const char *s, double v, bool f32)
{
    return f32 ? strtof(s, NULL) == (float)v : strtod(s, NULL) == v;
}

/*
 * The first precision p whose "%.*g" reads back as v. Any decimal of at most dig significant
 * digits (15 for double, 6 for float) survives a round trip through the binary type, so when
 * "%.<dig>g" reads back, the shortest text has exactly as many digits as it has without
 * trailing zeros: one more snprintf gives what trying p = 1, 2, ... would (17 snprintf +
 * strtod pairs a value). Subnormal values hold fewer digits and keep the plain search.
 */
size_t dbc_float_shortest(char out[DBC_NUM_TEXT], double v, bool f32)
{
    if (!isfinite(v))
        return special_float(out, v);
    int dig = f32 ? 6 : 15, maxp = f32 ? 9 : 17;
    bool normal = f32 ? isnormal((float)v) || v == 0 : isnormal(v) || v == 0;
    int p0 = normal ? dig : 1;
    int n = snprintf(out, DBC_NUM_TEXT, "%.*g", p0, v);
    if (p0 == dig && reads_back(out, v, f32)) {
        int k = sig_digits(out);
        if (k < dig)
            n = snprintf(out, DBC_NUM_TEXT, "%.*g", k > 0 ? k : 1, v);
        return (size_t)n;
    }
    for (int p = p0 == dig ? dig + 1 : 1; p <= maxp; p++) {
        n = snprintf(out, DBC_NUM_TEXT, "%.*g", p, v);
        if (reads_back(out, v, f32))
            break;
    }
    return (size_t)n;
}

void dbc_uuid_text(char out[37], const uint8_t in[16])
{
    static const char hx[] = "0123456789abcdef";
    size_t o = 0;
    for (int i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            out[o++] = '-';
        out[o++] = hx[in[i] >> 4];
        out[o++] = hx[in[i] & 15];
    }
    out[o] = '\0';
}

void dbc_frac_text(dbc_buf *b, long usec)
{
    if (usec <= 0)
        return;
    char f[7];
    for (int i = 5; i >= 0; i--, usec /= 10)
        f[i] = (char)('0' + usec % 10);
    size_t k = 6;
    while (k > 0 && f[k - 1] == '0')
        k--;
    dbc_buf_putc(b, '.');
    dbc_buf_add(b, f, k);
}

static uint64_t magnitude(int64_t v)
{
    return v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
}

void dbc_interval_iso(dbc_buf *b, int32_t months, int32_t days, int64_t micros)
{
    dbc_buf_putc(b, 'P');
    if (months == 0 && days == 0 && micros == 0) {
        dbc_buf_puts(b, "T0S");
        return;
    }
    if (months / 12)
        dbc_buf_printf(b, "%" PRId32 "Y", months / 12);
    if (months % 12)
        dbc_buf_printf(b, "%" PRId32 "M", months % 12);
    if (days)
        dbc_buf_printf(b, "%" PRId32 "D", days);
    if (micros) {
        uint64_t v = magnitude(micros);
        uint64_t s = v / 1000000, us = v % 1000000;
        const char *sg = micros < 0 ? "-" : "";
        dbc_buf_putc(b, 'T');
        if (s / 3600)
            dbc_buf_printf(b, "%s%" PRIu64 "H", sg, s / 3600);
        if (s / 60 % 60)
            dbc_buf_printf(b, "%s%" PRIu64 "M", sg, s / 60 % 60);
        if (s % 60 || us) {
            dbc_buf_printf(b, "%s%" PRIu64, sg, s % 60);
            dbc_frac_text(b, (long)us);
            dbc_buf_putc(b, 'S');
        }
    }
}

void dbc_interval_units(dbc_buf *b, int32_t months, int32_t days, int64_t micros)
{
    uint64_t a = magnitude(micros);
    /* hours and seconds as separate units: "-H:MM:SS" cannot express INT64_MIN us */
    const char *sg = micros < 0 ? "-" : "";
    dbc_buf_printf(b, "%" PRId32 " mons %" PRId32 " days %s%" PRIu64 " hours %s%" PRIu64 ".%06u secs",
                   months, days, sg, a / UINT64_C(3600000000), sg,
                   a % UINT64_C(3600000000) / 1000000, (unsigned)(a % 1000000));
}

bool dbc_bits_text(dbc_buf *b, const void *p, size_t n, size_t nbits)
{
    const unsigned char *by = p;
    if (nbits > n * 8)
        return false;
    for (size_t k = nbits; k < n * 8; k++)
        if ((by[n - 1 - k / 8] >> (k % 8)) & 1)
            return false;
    if (!dbc_buf_reserve(b, nbits))
        return true; /* oom: the caller checks b->oom */
    for (size_t i = 0; i < nbits; i++) {
        size_t k = nbits - 1 - i; /* bit number, 0 = least significant */
        b->p[b->len + i] = (char)('0' + ((by[n - 1 - k / 8] >> (k % 8)) & 1));
    }
    b->len += nbits;
    b->p[b->len] = '\0';
    return true;
}

bool dbc_value_text(dbc_buf *b, const dbf_value *v, dbf_type t)
{
    char tmp[DBC_NUM_TEXT + 8];
    switch (v->kind) {
    case DBF_V_BOOL:
        dbc_buf_puts(b, v->u.b ? "true" : "false");
        return true;
    case DBF_V_INT:
        dbc_buf_add(b, tmp, dbc_int_text(tmp, v->u.i));
        return true;
    case DBF_V_UINT:
        dbc_buf_add(b, tmp, dbc_uint_text(tmp, v->u.u));
        return true;
    case DBF_V_F32:
        dbc_buf_add(b, tmp, dbc_float_shortest(tmp, (double)v->u.f32, true));
        return true;
    case DBF_V_F64:
        dbc_buf_add(b, tmp, dbc_float_shortest(tmp, v->u.f64, false));
        return true;
    case DBF_V_STR:
        dbc_buf_add(b, v->u.s.ptr, v->u.s.len);
        return true;
    case DBF_V_BIN:
        if (t != DBF_T_UUID || v->u.s.len != 16)
            return false;
        dbc_uuid_text(tmp, (const uint8_t *)v->u.s.ptr);
        dbc_buf_add(b, tmp, 36);
        return true;
    case DBF_V_INTERVAL:
        dbc_interval_iso(b, v->u.iv.months, v->u.iv.days, v->u.iv.micros);
        return true;
    case DBF_V_NULL:
    case DBF_V_ARRAY:
        break;
    }
    return false;
}
