/* pg_util.c - helpers of the PostgreSQL adapters (see pg_util.h). */
#include "pg_util.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dbc.h"

size_t pg_msg_len(const char *m)
{
    size_t n = strlen(m);
    while (n > 0 && (m[n - 1] == '\n' || m[n - 1] == ' '))
        n--;
    return n;
}

/* Server notices and warnings go through the program's log, not straight to stderr. */
static void notice_to_log(void *arg, const char *message)
{
    (void)arg;
    dbc_warn("PostgreSQL: %.*s", (int)pg_msg_len(message), message);
}

PGconn *pg_connect(const char *conninfo, const char *app_name)
{
    const char *keys[4], *vals[4];
    int k = 0;
    if (!getenv("PGCONNECT_TIMEOUT")) {
        keys[k] = "connect_timeout";
        vals[k++] = "10";
    }
    keys[k] = "fallback_application_name";
    vals[k++] = app_name;
    keys[k] = "dbname";
    vals[k++] = conninfo;
    keys[k] = NULL;
    vals[k] = NULL;
    PGconn *conn = PQconnectdbParams(keys, vals, 1);
    if (conn && PQstatus(conn) == CONNECTION_OK)
        PQsetNoticeProcessor(conn, notice_to_log, NULL);
    return conn;
}

int pg_session(PGconn *c, bool keep_search_path, dbf_error *err)
{
    static const char *const setup[] = {
        "SET client_encoding = 'UTF8'",
        "SET DateStyle = 'ISO, YMD'",
        "SET IntervalStyle = 'postgres'",
        "SET TimeZone = 'UTC'",
        "SET extra_float_digits = 3",
        "SET bytea_output = 'hex'",
        "SET standard_conforming_strings = on",
        "SET search_path = ''",
        "SET check_function_bodies = false",
        "SET xmloption = content",
        "SET client_min_messages = warning",
        "SET row_security = off",
        "SET statement_timeout = 0",
        "SET lock_timeout = 0",
        "SET idle_in_transaction_session_timeout = 0",
    };
    for (size_t i = 0; i < sizeof setup / sizeof setup[0]; i++) {
        if (keep_search_path && strncmp(setup[i], "SET search_path", 15) == 0)
            continue;
        PGresult *r = PQexec(c, setup[i]);
        if (PQresultStatus(r) != PGRES_COMMAND_OK) {
            const char *m = PQerrorMessage(c);
            dbf_error_set(err, DBC_EBACKEND, "PostgreSQL: %s: %.*s", setup[i], (int)pg_msg_len(m),
                          m);
            PQclear(r);
            return DBC_EBACKEND;
        }
        PQclear(r);
    }
    return 0;
}

int pg_type_rows(pg_type_row **out, size_t *out_n, const PGresult *r)
{
    int n = PQntuples(r);
    pg_type_row *v = calloc((size_t)n + 1, sizeof(*v));
    *out = v;
    *out_n = 0;
    if (!v)
        return -1;
    for (int i = 0; i < n; i++) {
        pg_type_row *t = &v[i];
        t->oid = (uint32_t)strtoul(PQgetvalue(r, i, 0), NULL, 10);
        t->typtype = PQgetvalue(r, i, 1)[0];
        t->category = PQgetvalue(r, i, 2)[0];
        t->elem = (uint32_t)strtoul(PQgetvalue(r, i, 3), NULL, 10);
        t->typlen = atoi(PQgetvalue(r, i, 4));
        t->basetype = (uint32_t)strtoul(PQgetvalue(r, i, 5), NULL, 10);
        t->typmod = atoi(PQgetvalue(r, i, 6));
    }
    *out_n = (size_t)n;
    return 0;
}

const pg_type_row *pg_type_find(const pg_type_row *v, size_t n, uint32_t oid)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (v[mid].oid == oid)
            return &v[mid];
        if (v[mid].oid < oid)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* ------------------------------------------------------------ date and time */

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
