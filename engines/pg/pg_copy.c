/*
 * pg_copy.c - PostgreSQL's binary COPY fields, both directions (see pg_copy.h): decoded into
 * the portable text forms by the source, encoded from portable values by the sink.
 */
#include "pg_copy.h"

#include <inttypes.h>
#include <math.h>
#include <stdbool.h>
#include <string.h>

#include "dbc_text.h"

const char pg_copy_signature[19] = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', '\377', '\r', '\n', '\0',
                                    0, 0, 0, 0, 0, 0, 0, 0};

/* --------------------------------------------------- decoding: date and time */

#define POSTGRES_EPOCH_JDATE 2451545 /* date2j(2000, 1, 1) */
#define USECS_PER_DAY INT64_C(86400000000)

/* Julian day -> astronomical year (0 = 1 BC), month, day: PostgreSQL's j2date(). */
void pg_j2date(int jd, int *year, int *month, int *day)
{
    unsigned int julian = (unsigned int)jd;
    unsigned int quad, extra;
    int y;

    julian += 32044;
    quad = julian / 146097;
    extra = (julian - quad * 146097) * 4 + 3;
    julian += 60 + quad * 3 + extra / 146097;
    quad = julian / 1461;
    julian -= quad * 1461;
    y = (int)(julian * 4 / 1461);
    julian = ((y != 0) ? ((julian + 305) % 365) : ((julian + 306) % 366)) + 123;
    y += (int)(quad * 4);
    *year = y - 4800;
    quad = julian * 2141 / 65536;
    *day = (int)(julian - 7834 * quad / 256);
    *month = (int)((quad + 10) % 12 + 1);
}

/*
 * Hand-written digit writers: the value formatters run for every date/time/numeric field of
 * every row, and snprintf's format parsing cost more than the rest of the decoding. The output
 * is exactly what the printf formats of the comments would give
 * (tests/engines/pg/pg_fmt_test.c checks it against them).
 */

/* v in decimal, zero-padded to at least minw digits ("%0*llu"). @return past the end. */
static char *put_uint(char *p, uint64_t v, int minw)
{
    char tmp[24];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n < minw)
        tmp[n++] = '0';
    while (n)
        *p++ = tmp[--n];
    return p;
}

/* 0 <= v <= 99 as two digits ("%02d"). */
static char *put2(char *p, int v)
{
    p[0] = (char)('0' + v / 10);
    p[1] = (char)('0' + v % 10);
    return p + 2;
}

static size_t put_str(char *out, const char *s)
{
    size_t n = strlen(s);
    memcpy(out, s, n + 1);
    return n;
}

/* "%04d-%02d-%02d", or "-%04d-%02d-%02d" of -year before year 0. */
static size_t fmt_ymd(char *out, int jd)
{
    int y, m, d;
    char *p = out;
    pg_j2date(jd, &y, &m, &d);
    if (y < 0) {
        *p++ = '-';
        p = put_uint(p, (uint64_t) - (int64_t)y, 4);
    } else {
        p = put_uint(p, (uint64_t)y, 4);
    }
    *p++ = '-';
    p = put2(p, m);
    *p++ = '-';
    p = put2(p, d);
    *p = '\0';
    return (size_t)(p - out);
}

/* "HH:MM:SS[.f]" from microseconds (0 <= us, hours may exceed 23): "%02lld:%02d:%02d", then
 * "%06d" of the fraction without its trailing zeros. */
static size_t fmt_hms(char *out, int64_t us)
{
    int64_t secs = us / 1000000;
    int frac = (int)(us % 1000000);
    char *p = put_uint(out, (uint64_t)(secs / 3600), 2);
    *p++ = ':';
    p = put2(p, (int)(secs / 60 % 60));
    *p++ = ':';
    p = put2(p, (int)(secs % 60));
    if (frac) {
        int k = 6;
        while (frac % 10 == 0) {
            frac /= 10;
            k--;
        }
        *p++ = '.';
        p = put_uint(p, (uint64_t)frac, k);
    }
    *p = '\0';
    return (size_t)(p - out);
}

size_t pg_fmt_date(char *out, int32_t days)
{
    if (days == INT32_MAX)
        return put_str(out, "infinity");
    if (days == INT32_MIN)
        return put_str(out, "-infinity");
    return fmt_ymd(out, (int)((int64_t)days + POSTGRES_EPOCH_JDATE));
}

size_t pg_fmt_timestamp(char *out, int64_t us, bool tz)
{
    if (us == INT64_MAX)
        return put_str(out, "infinity");
    if (us == INT64_MIN)
        return put_str(out, "-infinity");
    int64_t days = us / USECS_PER_DAY;
    int64_t rem = us % USECS_PER_DAY;
    if (rem < 0) {
        rem += USECS_PER_DAY;
        days--;
    }
    size_t n = fmt_ymd(out, (int)(days + POSTGRES_EPOCH_JDATE));
    out[n++] = ' ';
    n += fmt_hms(out + n, rem);
    if (tz)
        out[n++] = 'Z';
    out[n] = '\0';
    return n;
}

size_t pg_fmt_time(char *out, int64_t us)
{
    if (us < 0)
        us = 0;
    return fmt_hms(out, us);
}

size_t pg_fmt_timetz(char *out, int64_t us, int32_t zone_west)
{
    size_t n = pg_fmt_time(out, us);
    int32_t off = -zone_west;
    char sign = off < 0 ? '-' : '+';
    if (off < 0)
        off = -off;
    int hh = off / 3600, mm = off / 60 % 60, ss = off % 60;
    char *p = out + n;
    *p++ = sign;
    p = put_uint(p, (uint64_t)hh, 2);
    if (mm || ss) {
        *p++ = ':';
        p = put2(p, mm);
    }
    if (ss) {
        *p++ = ':';
        p = put2(p, ss);
    }
    *p = '\0';
    return (size_t)(p - out);
}

/* --------------------------------------------------------------- numeric */

#define NUMERIC_POS 0x0000
#define NUMERIC_NEG 0x4000
#define NUMERIC_NAN 0xC000
#define NUMERIC_PINF 0xD000
#define NUMERIC_NINF 0xF000

size_t pg_numeric_text_max(const unsigned char *data, size_t len)
{
    if (len < 8)
        return 0;
    int ndigits = pg_get16(data);
    int weight = pg_get16(data + 2);
    int dscale = (uint16_t)pg_get16(data + 6);
    if (ndigits < 0 || len != 8 + (size_t)ndigits * 2)
        return 0;
    size_t w = weight < 0 ? 1 : (size_t)weight + 1;
    return 16 + w * 4 + (size_t)dscale + 4;
}

size_t pg_fmt_numeric(char *out, const unsigned char *data, size_t len)
{
    if (pg_numeric_text_max(data, len) == 0)
        return 0;
    int ndigits = pg_get16(data);
    int weight = pg_get16(data + 2);
    unsigned sign = (uint16_t)pg_get16(data + 4);
    int dscale = (uint16_t)pg_get16(data + 6);
    const unsigned char *dg = data + 8;
    char *cp = out;

    if (sign == NUMERIC_NAN)
        return put_str(out, "NaN");
    if (sign == NUMERIC_PINF)
        return put_str(out, "Infinity");
    if (sign == NUMERIC_NINF)
        return put_str(out, "-Infinity");
    if (sign != NUMERIC_POS && sign != NUMERIC_NEG)
        return 0;
    for (int i = 0; i < ndigits; i++) {
        int v = pg_get16(dg + 2 * i);
        if (v < 0 || v > 9999)
            return 0;
    }
    if (sign == NUMERIC_NEG)
        *cp++ = '-';
    int d;
    if (weight < 0) {
        d = weight + 1;
        *cp++ = '0';
    } else {
        for (d = 0; d <= weight; d++) {
            int dig = d < ndigits ? pg_get16(dg + 2 * d) : 0;
            cp = put_uint(cp, (uint64_t)dig, d == 0 ? 1 : 4);
        }
    }
    if (dscale > 0) {
        *cp++ = '.';
        char *endcp = cp + dscale;
        for (int i = 0; i < dscale; d++, i += 4) {
            int dig = (d >= 0 && d < ndigits) ? pg_get16(dg + 2 * d) : 0;
            cp = put_uint(cp, (uint64_t)dig, 4);
        }
        cp = endcp;
    }
    *cp = '\0';
    return (size_t)(cp - out);
}

/* ---------------------------------------------------------------- encoding */

pgb_kind pgb_kind_of(uint32_t oid, char typtype)
{
    if (typtype == 'e')
        return PGB_TEXT;
    switch (oid) {
    case 16: return PGB_BOOL;
    case 21: return PGB_INT2;
    case 23: return PGB_INT4;
    case 20: return PGB_INT8;
    case 700: return PGB_F4;
    case 701: return PGB_F8;
    case 1700: return PGB_NUMERIC;
    case 25:
    case 1043:
    case 1042:
    case 19:
    case 114: return PGB_TEXT;
    case 3802: return PGB_JSONB;
    case 17: return PGB_BYTEA;
    case 1082: return PGB_DATE;
    case 1083: return PGB_TIME;
    case 1266: return PGB_TIMETZ;
    case 1114:
    case 1184: return PGB_TS;
    case 1186: return PGB_INTERVAL;
    case 2950: return PGB_UUID;
    default: return PGB_NONE;
    }
}

size_t pgb_max_size(pgb_kind k, const dbf_value *v)
{
    switch (k) {
    case PGB_TEXT:
    case PGB_BYTEA:
        return v->u.s.len;
    case PGB_JSONB:
        return v->u.s.len + 1;
    case PGB_NUMERIC:
        return 8 + 2 * (v->u.s.len / 4 + 4);
    default:
        return 16;
    }
}

static void put16(unsigned char *p, uint16_t v)
{
    p[0] = (unsigned char)(v >> 8);
    p[1] = (unsigned char)v;
}

static void put64(unsigned char *p, uint64_t v)
{
    pgb_put32(p, (uint32_t)(v >> 32));
    pgb_put32(p + 4, (uint32_t)v);
}

/* PostgreSQL's date2j(): astronomical year (0 = 1 BC) -> Julian day. */
static int date2j(int year, int month, int day)
{
    int julian, century;
    if (month > 2) {
        month += 1;
        year += 4800;
    } else {
        month += 13;
        year += 4799;
    }
    century = year / 100;
    julian = year * 365 - 32167;
    julian += year / 4 - century + century / 4;
    julian += 7834 * month / 256 + day;
    return julian;
}

static bool digits(const char *s, size_t n, size_t *pos, int max_digits, long *out)
{
    size_t i = *pos;
    long v = 0;
    int nd = 0;
    while (i < n && s[i] >= '0' && s[i] <= '9' && nd < max_digits) {
        v = v * 10 + (s[i] - '0');
        i++;
        nd++;
    }
    if (nd == 0)
        return false;
    *pos = i;
    *out = v;
    return true;
}

/* "[-]Y-MM-DD" -> Julian day. */
static bool parse_date(const char *s, size_t n, size_t *pos, int *jd)
{
    size_t i = *pos;
    bool neg = i < n && s[i] == '-';
    long y, m, d;
    if (neg)
        i++;
    if (!digits(s, n, &i, 7, &y) || i >= n || s[i++] != '-' || !digits(s, n, &i, 2, &m) ||
        i >= n || s[i++] != '-' || !digits(s, n, &i, 2, &d))
        return false;
    if (m < 1 || m > 12 || d < 1 || d > 31)
        return false;
    *jd = date2j((int)(neg ? -y : y), (int)m, (int)d);
    *pos = i;
    return true;
}

/* "HH:MM:SS[.ffffff]" -> microseconds. */
static bool parse_time(const char *s, size_t n, size_t *pos, int64_t *us)
{
    size_t i = *pos;
    long h, m, sec, frac = 0;
    if (!digits(s, n, &i, 9, &h) || i >= n || s[i++] != ':' || !digits(s, n, &i, 2, &m) ||
        i >= n || s[i++] != ':' || !digits(s, n, &i, 2, &sec))
        return false;
    if (i < n && s[i] == '.') {
        i++;
        int nd = 0;
        while (i < n && s[i] >= '0' && s[i] <= '9') {
            if (nd < 6) {
                frac = frac * 10 + (s[i] - '0');
                nd++;
            } else if (s[i] != '0') {
                return false; /* more precision than PostgreSQL keeps */
            }
            i++;
        }
        if (nd == 0)
            return false;
        while (nd++ < 6)
            frac *= 10;
    }
    *us = ((int64_t)h * 3600 + m * 60 + sec) * 1000000 + frac;
    *pos = i;
    return true;
}

static long enc_numeric(const char *s, size_t n, unsigned char *out)
{
    uint16_t sign = 0x0000;
    if (n == 3 && memcmp(s, "NaN", 3) == 0)
        sign = 0xC000;
    else if (n == 8 && memcmp(s, "Infinity", 8) == 0)
        sign = 0xD000;
    else if (n == 9 && memcmp(s, "-Infinity", 9) == 0)
        sign = 0xF000;
    if (sign) {
        memset(out, 0, 8);
        put16(out + 4, sign);
        return 8;
    }
    size_t i = 0;
    if (i < n && (s[i] == '-' || s[i] == '+')) {
        if (s[i] == '-')
            sign = 0x4000;
        i++;
    }
    size_t ib = i;
    while (i < n && s[i] >= '0' && s[i] <= '9')
        i++;
    size_t ie = i, fb = i, fe = i;
    if (i < n && s[i] == '.') {
        fb = ++i;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
        fe = i;
    }
    if (i != n || (ie == ib && fe == fb) || fe - fb > 0x3FFF)
        return -1;
    while (ib < ie && s[ib] == '0')
        ib++;
    size_t ilen = ie - ib, flen = fe - fb;
    size_t padl = (4 - ilen % 4) % 4;
    size_t total = padl + ilen + flen;
    size_t ngroups = (total + 3) / 4;
    int weight = (int)((padl + ilen) / 4) - 1;
    unsigned char *dg = out + 8;
    size_t nd = 0;
    /* Walk the virtual digit string (padl zeros, int digits, frac digits, right padding). */
    for (size_t gi = 0; gi < ngroups; gi++) {
        int v = 0;
        for (size_t k = 0; k < 4; k++) {
            size_t pos = gi * 4 + k;
            int d = 0;
            if (pos >= padl && pos < padl + ilen)
                d = s[ib + pos - padl] - '0';
            else if (pos >= padl + ilen && pos < total)
                d = s[fb + pos - padl - ilen] - '0';
            v = v * 10 + d;
        }
        put16(dg + 2 * nd, (uint16_t)v);
        nd++;
    }
    /* Strip leading and trailing zero groups. */
    size_t lead = 0;
    while (lead < nd && dg[2 * lead] == 0 && dg[2 * lead + 1] == 0)
        lead++;
    if (lead == nd) {
        nd = 0;
        weight = 0;
        sign = 0x0000;
    } else {
        if (lead) {
            memmove(dg, dg + 2 * lead, 2 * (nd - lead));
            nd -= lead;
            weight -= (int)lead;
        }
        while (nd > 0 && dg[2 * (nd - 1)] == 0 && dg[2 * (nd - 1) + 1] == 0)
            nd--;
    }
    put16(out, (uint16_t)nd);
    put16(out + 2, (uint16_t)(int16_t)weight);
    put16(out + 4, sign);
    put16(out + 6, (uint16_t)flen);
    return (long)(8 + 2 * nd);
}

/* "+HH[:MM[:SS]]" or "-HH..." -> seconds west of UTC, as a timetz stores its zone. */
static bool parse_zone(const char *s, size_t n, size_t *pos, int32_t *west)
{
    long f[3] = {0, 0, 0}; /* hours, minutes, seconds */
    if (*pos >= n || (s[*pos] != '+' && s[*pos] != '-'))
        return false;
    bool neg = s[(*pos)++] == '-';
    for (int i = 0; i < 3 && (i == 0 || (*pos < n && s[*pos] == ':')); i++) {
        *pos += i > 0;
        if (!digits(s, n, pos, 2, &f[i]))
            return false;
    }
    int32_t off = (int32_t)(f[0] * 3600 + f[1] * 60 + f[2]);
    *west = neg ? off : -off;
    return true;
}

/* "infinity" -> 1, "-infinity" -> -1, anything else 0. */
static int infinity(const char *s, size_t n)
{
    if (n == 8 && memcmp(s, "infinity", 8) == 0)
        return 1;
    return n == 9 && memcmp(s, "-infinity", 9) == 0 ? -1 : 0;
}

/* The text of a date, timestamp (either may be [-]infinity), time or timetz. */
static long enc_datetime(pgb_kind k, const char *s, size_t n, unsigned char *out)
{
    size_t pos = 0;
    int64_t tm;
    int jd, inf = infinity(s, n);
    int32_t west;
    switch (k) {
    case PGB_DATE:
        if (inf)
            pgb_put32(out, (uint32_t)(inf > 0 ? INT32_MAX : INT32_MIN));
        else if (parse_date(s, n, &pos, &jd) && pos == n)
            pgb_put32(out, (uint32_t)(int32_t)(jd - POSTGRES_EPOCH_JDATE));
        else
            return -1;
        return 4;
    case PGB_TS:
        if (inf) {
            put64(out, (uint64_t)(inf > 0 ? INT64_MAX : INT64_MIN));
            return 8;
        }
        if (!parse_date(s, n, &pos, &jd) || pos >= n || s[pos++] != ' ' ||
            !parse_time(s, n, &pos, &tm))
            return -1;
        if (pos < n && s[pos] == 'Z')
            pos++;
        if (pos != n)
            return -1;
        put64(out, (uint64_t)(((int64_t)jd - POSTGRES_EPOCH_JDATE) * USECS_PER_DAY + tm));
        return 8;
    case PGB_TIME:
        if (!parse_time(s, n, &pos, &tm) || pos != n)
            return -1;
        put64(out, (uint64_t)tm);
        return 8;
    default: /* PGB_TIMETZ */
        if (!parse_time(s, n, &pos, &tm) || !parse_zone(s, n, &pos, &west) || pos != n)
            return -1;
        put64(out, (uint64_t)tm);
        pgb_put32(out + 8, (uint32_t)west);
        return 12;
    }
}

/* An integer into int2, int4 or int8. */
static long enc_int(pgb_kind k, const dbf_value *v, unsigned char *out)
{
    int64_t x;
    if (v->kind == DBF_V_INT)
        x = v->u.i;
    else if (v->kind == DBF_V_UINT && v->u.u <= INT64_MAX)
        x = (int64_t)v->u.u;
    else
        return -1;
    if (k == PGB_INT2) {
        if (x < INT16_MIN || x > INT16_MAX)
            return -1;
        put16(out, (uint16_t)(int16_t)x);
        return 2;
    }
    if (k == PGB_INT4) {
        if (x < INT32_MIN || x > INT32_MAX)
            return -1;
        pgb_put32(out, (uint32_t)(int32_t)x);
        return 4;
    }
    put64(out, (uint64_t)x);
    return 8;
}

long pgb_encode(pgb_kind k, const dbf_value *v, unsigned char *out)
{
    const char *s = v->u.s.ptr;
    size_t n = v->u.s.len;
    switch (k) {
    case PGB_NONE:
        return -1;
    case PGB_BOOL:
        if (v->kind != DBF_V_BOOL)
            return -1;
        out[0] = v->u.b ? 1 : 0;
        return 1;
    case PGB_INT2:
    case PGB_INT4:
    case PGB_INT8:
        return enc_int(k, v, out);
    case PGB_F4: {
        float f;
        if (v->kind == DBF_V_F32)
            f = v->u.f32;
        else if (v->kind == DBF_V_F64 && (isnan(v->u.f64) || (double)(float)v->u.f64 == v->u.f64))
            f = (float)v->u.f64;
        else
            return -1;
        uint32_t b;
        memcpy(&b, &f, 4);
        pgb_put32(out, b);
        return 4;
    }
    case PGB_F8: {
        double d;
        if (v->kind == DBF_V_F64)
            d = v->u.f64;
        else if (v->kind == DBF_V_F32)
            d = (double)v->u.f32;
        else
            return -1;
        uint64_t b;
        memcpy(&b, &d, 8);
        put64(out, b);
        return 8;
    }
    case PGB_NUMERIC:
        return v->kind == DBF_V_STR ? enc_numeric(s, n, out) : -1;
    case PGB_TEXT:
    case PGB_JSONB:
    case PGB_BYTEA: {
        size_t ver = k == PGB_JSONB; /* jsonb: a version byte, then the text */
        if (v->kind != (k == PGB_BYTEA ? DBF_V_BIN : DBF_V_STR))
            return -1;
        if (ver)
            out[0] = 1;
        if (n)
            memcpy(out + ver, s, n);
        return (long)(n + ver);
    }
    case PGB_UUID:
        if (v->kind != DBF_V_BIN || n != 16)
            return -1;
        memcpy(out, s, 16);
        return 16;
    case PGB_INTERVAL:
        if (v->kind != DBF_V_INTERVAL)
            return -1;
        put64(out, (uint64_t)v->u.iv.micros);
        pgb_put32(out + 8, (uint32_t)v->u.iv.days);
        pgb_put32(out + 12, (uint32_t)v->u.iv.months);
        return 16;
    case PGB_DATE:
    case PGB_TS:
    case PGB_TIME:
    case PGB_TIMETZ:
        return v->kind == DBF_V_STR ? enc_datetime(k, s, n, out) : -1;
    }
    return -1;
}

/* ------------------------------------------------------ encoding: COPY text */

/* Append bytes to COPY text with its escapes. */
void pg_copy_escape(dbc_buf *b, const char *s, size_t n)
{
    if (!dbc_buf_reserve(b, n + n / 8 + 16))
        return;
    size_t start = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        const char *rep;
        switch (c) {
        case '\\': rep = "\\\\"; break;
        case '\n': rep = "\\n"; break;
        case '\r': rep = "\\r"; break;
        case '\t': rep = "\\t"; break;
        default: continue;
        }
        dbc_buf_add(b, s + start, i - start);
        dbc_buf_add(b, rep, 2);
        start = i + 1;
    }
    dbc_buf_add(b, s + start, n - start);
}

/* Astronomical year text ("-0043-03-15 ...", "0000-...") -> PostgreSQL input ("0044-... BC"). */
static void put_datetime(dbc_buf *b, const char *s, size_t n, bool tz)
{
    bool z = tz && n > 0 && s[n - 1] == 'Z';
    if (z)
        n--;
    if (n == 0 || (s[0] != '-' && (s[0] < '0' || s[0] > '9')) ||
        (s[0] == '-' && (n < 2 || s[1] < '0' || s[1] > '9'))) {
        dbc_buf_add(b, s, n); /* infinity, -infinity */
        if (z)
            dbc_buf_puts(b, "+00");
        return;
    }
    bool neg = s[0] == '-';
    size_t i = neg ? 1 : 0;
    long long y = 0;
    while (i < n && s[i] >= '0' && s[i] <= '9' && y < 100000000)
        y = y * 10 + (s[i++] - '0');
    if (neg)
        y = -y;
    bool bc = y <= 0;
    if (bc)
        dbc_buf_printf(b, "%04lld", 1 - y);
    else
        dbc_buf_printf(b, "%04lld", y);
    dbc_buf_add(b, s + i, n - i);
    if (z)
        dbc_buf_puts(b, "+00");
    if (bc)
        dbc_buf_puts(b, " BC");
}

static int put_scalar(dbc_buf *b, dbf_type type, const dbf_value *v)
{
    char tmp[64];
    switch (v->kind) {
    case DBF_V_NULL:
        return -1;
    case DBF_V_BOOL:
        dbc_buf_puts(b, v->u.b ? "t" : "f");
        return 0;
    case DBF_V_INT:
        dbc_buf_add(b, tmp, dbc_int_text(tmp, v->u.i));
        return 0;
    case DBF_V_UINT:
        dbc_buf_add(b, tmp, dbc_uint_text(tmp, v->u.u));
        return 0;
    case DBF_V_F32:
        dbc_buf_add(b, tmp, dbc_float_text(tmp, (double)v->u.f32, true));
        return 0;
    case DBF_V_F64:
        dbc_buf_add(b, tmp, dbc_float_text(tmp, v->u.f64, false));
        return 0;
    case DBF_V_INTERVAL:
        dbc_interval_units(b, v->u.iv.months, v->u.iv.days, v->u.iv.micros);
        return 0;
    case DBF_V_BIN:
        if (type == DBF_T_UUID && v->u.s.len == 16) {
            dbc_uuid_text(tmp, (const uint8_t *)v->u.s.ptr);
            dbc_buf_add(b, tmp, 36);
            return 0;
        }
        if (type == DBF_T_BYTES || type == DBF_T_ANY) {
            dbc_buf_add(b, "\\x", 2);
            dbc_buf_hex(b, v->u.s.ptr, v->u.s.len);
            return 0;
        }
        return -2;
    case DBF_V_STR:
        if (type == DBF_T_DATE || type == DBF_T_TIMESTAMP)
            put_datetime(b, v->u.s.ptr, v->u.s.len, false);
        else if (type == DBF_T_TIMESTAMPTZ)
            put_datetime(b, v->u.s.ptr, v->u.s.len, true);
        else
            dbc_buf_add(b, v->u.s.ptr, v->u.s.len);
        return 0;
    case DBF_V_ARRAY:
        return -2;
    }
    return -2;
}

/* Array literal of a [dims, lbounds, elements] value into b (not COPY-escaped). */
static int put_array(dbc_buf *b, dbc_buf *tmp, dbf_type elem, const dbf_value *v)
{
    int nd = v->u.arr.ndims;
    if (nd < 0 || nd > DBF_MAX_DIMS)
        return -2;
    if (nd == 0 || v->u.arr.nelems == 0) {
        dbc_buf_puts(b, "{}");
        return 0;
    }
    bool lb = false;
    for (int d = 0; d < nd; d++)
        lb |= v->u.arr.lbounds[d] != 1;
    if (lb) {
        for (int d = 0; d < nd; d++)
            dbc_buf_printf(b, "[%" PRId32 ":%" PRId64 "]", v->u.arr.lbounds[d],
                      (int64_t)v->u.arr.lbounds[d] + v->u.arr.dims[d] - 1);
        dbc_buf_putc(b, '=');
    }
    size_t idx[DBF_MAX_DIMS] = {0};
    size_t n = v->u.arr.nelems;
    for (int d = 0; d < nd; d++)
        dbc_buf_putc(b, '{');
    for (size_t e = 0; e < n; e++) {
        const dbf_value *ev = &v->u.arr.elems[e];
        if (ev->kind == DBF_V_NULL) {
            dbc_buf_puts(b, "NULL");
        } else {
            tmp->len = 0;
            int rc = put_scalar(tmp, elem, ev);
            if (rc)
                return rc;
            dbc_buf_putc(b, '"');
            for (size_t i = 0; i < tmp->len; i++) {
                char c = tmp->p[i];
                if (c == '"' || c == '\\')
                    dbc_buf_putc(b, '\\');
                dbc_buf_putc(b, c);
            }
            dbc_buf_putc(b, '"');
        }
        /* advance the index; close and reopen braces */
        int d = nd - 1;
        idx[d]++;
        int closed = 0;
        while (d >= 0 && idx[d] == (size_t)v->u.arr.dims[d]) {
            dbc_buf_putc(b, '}');
            closed++;
            idx[d] = 0;
            if (d > 0)
                idx[d - 1]++;
            d--;
        }
        if (e + 1 < n) {
            dbc_buf_putc(b, ',');
            for (int c = 0; c < closed; c++)
                dbc_buf_putc(b, '{');
        }
    }
    return 0;
}

/* int2vector and oidvector (pg_index, pg_proc columns) read their text as "1 2", not as an
 * array literal, although they travel as arrays with lower bound 0. */
static bool is_vector(const dbf_column *c)
{
    return c->native_type && (strcmp(c->native_type, "int2vector") == 0 ||
                              strcmp(c->native_type, "oidvector") == 0);
}

static int put_vector(dbc_buf *b, const dbf_value *v)
{
    if (v->u.arr.ndims > 1)
        return -2;
    for (size_t e = 0; e < v->u.arr.nelems; e++) {
        if (e)
            dbc_buf_putc(b, ' ');
        if (!dbc_value_text(b, &v->u.arr.elems[e], DBF_T_INT))
            return -2;
    }
    return 0;
}

int pg_copy_text_value(dbc_buf *out, dbc_buf *arr, dbc_buf *tmp, const dbf_column *c,
                       const dbf_value *v)
{
    int rc = 0;
    if (v->kind == DBF_V_NULL) {
        dbc_buf_puts(out, "\\N");
    } else if (v->kind == DBF_V_STR && c->type != DBF_T_DATE && c->type != DBF_T_TIMESTAMP &&
               c->type != DBF_T_TIMESTAMPTZ) {
        pg_copy_escape(out, v->u.s.ptr, v->u.s.len);
    } else if (v->kind == DBF_V_BIN && c->type != DBF_T_UUID) {
        /* bytea hex: "\\x...": no other character needs escaping */
        dbc_buf_putc(out, '\\');
        rc = put_scalar(out, DBF_T_BYTES, v);
    } else if (v->kind == DBF_V_ARRAY) {
        arr->len = 0;
        rc = is_vector(c) ? put_vector(arr, v) : put_array(arr, tmp, c->elem_type, v);
        if (!rc)
            pg_copy_escape(out, arr->p ? arr->p : "", arr->len);
    } else {
        tmp->len = 0;
        rc = put_scalar(tmp, c->type, v);
        if (!rc)
            pg_copy_escape(out, tmp->p ? tmp->p : "", tmp->len);
    }
    return rc;
}

int pg_copy_text_row(dbc_buf *out, dbc_buf *arr, dbc_buf *tmp, const dbf_table *t,
                     const dbf_value *vals, size_t n, size_t *bad)
{
    bool first = true;
    for (size_t i = 0; i < n && i < t->ncolumns; i++) {
        const dbf_column *c = &t->columns[i];
        if (c->flags & DBF_COL_GENERATED)
            continue;
        if (!first)
            dbc_buf_putc(out, '\t');
        first = false;
        if (pg_copy_text_value(out, arr, tmp, c, &vals[i]) != 0) {
            *bad = i;
            return 1;
        }
    }
    dbc_buf_putc(out, '\n');
    return 0;
}
