/* pg_bin.c - portable values -> PostgreSQL binary COPY fields (see pg_bin.h). */
#include "pg_bin.h"

#include <math.h>
#include <stdbool.h>
#include <string.h>

#define POSTGRES_EPOCH_JDATE 2451545
#define USECS_PER_DAY INT64_C(86400000000)

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

long pgb_encode(pgb_kind k, const dbf_value *v, unsigned char *out)
{
    const char *s = v->u.s.ptr;
    size_t n = v->u.s.len;
    size_t pos = 0;
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
    case PGB_INT8: {
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
        if (v->kind != DBF_V_STR)
            return -1;
        return enc_numeric(s, n, out);
    case PGB_TEXT:
        if (v->kind != DBF_V_STR)
            return -1;
        if (n)
            memcpy(out, s, n);
        return (long)n;
    case PGB_JSONB:
        if (v->kind != DBF_V_STR)
            return -1;
        out[0] = 1;
        if (n)
            memcpy(out + 1, s, n);
        return (long)n + 1;
    case PGB_BYTEA:
        if (v->kind != DBF_V_BIN)
            return -1;
        if (n)
            memcpy(out, s, n);
        return (long)n;
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
    case PGB_DATE: {
        if (v->kind != DBF_V_STR)
            return -1;
        int32_t days;
        int jd;
        if (n == 8 && memcmp(s, "infinity", 8) == 0)
            days = INT32_MAX;
        else if (n == 9 && memcmp(s, "-infinity", 9) == 0)
            days = INT32_MIN;
        else if (parse_date(s, n, &pos, &jd) && pos == n)
            days = jd - POSTGRES_EPOCH_JDATE;
        else
            return -1;
        pgb_put32(out, (uint32_t)days);
        return 4;
    }
    case PGB_TS: {
        if (v->kind != DBF_V_STR)
            return -1;
        int64_t ts, tm;
        int jd;
        if (n == 8 && memcmp(s, "infinity", 8) == 0)
            ts = INT64_MAX;
        else if (n == 9 && memcmp(s, "-infinity", 9) == 0)
            ts = INT64_MIN;
        else {
            if (!parse_date(s, n, &pos, &jd) || pos >= n || s[pos++] != ' ' ||
                !parse_time(s, n, &pos, &tm))
                return -1;
            if (pos < n && s[pos] == 'Z')
                pos++;
            if (pos != n)
                return -1;
            ts = ((int64_t)jd - POSTGRES_EPOCH_JDATE) * USECS_PER_DAY + tm;
        }
        put64(out, (uint64_t)ts);
        return 8;
    }
    case PGB_TIME: {
        int64_t tm;
        if (v->kind != DBF_V_STR || !parse_time(s, n, &pos, &tm) || pos != n)
            return -1;
        put64(out, (uint64_t)tm);
        return 8;
    }
    case PGB_TIMETZ: {
        int64_t tm;
        long hh, mm = 0, ss = 0;
        if (v->kind != DBF_V_STR || !parse_time(s, n, &pos, &tm) || pos >= n ||
            (s[pos] != '+' && s[pos] != '-'))
            return -1;
        bool neg = s[pos++] == '-';
        if (!digits(s, n, &pos, 2, &hh))
            return -1;
        if (pos < n && s[pos] == ':') {
            pos++;
            if (!digits(s, n, &pos, 2, &mm))
                return -1;
            if (pos < n && s[pos] == ':') {
                pos++;
                if (!digits(s, n, &pos, 2, &ss))
                    return -1;
            }
        }
        if (pos != n)
            return -1;
        int32_t off = (int32_t)(hh * 3600 + mm * 60 + ss);
        put64(out, (uint64_t)tm);
        pgb_put32(out + 8, (uint32_t)(neg ? off : -off)); /* stored as seconds west */
        return 12;
    }
    }
    return -1;
}
