/*
 * xlate_util.c - helpers of the translation layer: UTF-8, numbers, dates, JSON, UUIDs. No
 * engine knowledge here.
 */
#include <ctype.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "xlate_int.h"

/* -------------------------------------------------------------------- UTF-8 */

size_t xl_utf8_dec(const unsigned char *s, size_t n, uint32_t *cp)
{
    if (n == 0)
        return 0;
    unsigned c = s[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    size_t len;
    uint32_t v, min;
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
        v = c & 0x1F;
        min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        v = c & 0x0F;
        min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        v = c & 0x07;
        min = 0x10000;
    } else {
        return 0;
    }
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        v = (v << 6) | (s[i] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    *cp = v;
    return len;
}

bool xl_utf8_valid(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        if (p[i] < 0x80) {
            i++;
            continue;
        }
        uint32_t cp;
        size_t k = xl_utf8_dec(p + i, n - i, &cp);
        if (!k)
            return false;
        i += k;
    }
    return true;
}

size_t xl_utf8_chars(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, count = 0;
    while (i < n) {
        uint32_t cp;
        size_t k = p[i] < 0x80 ? 1 : xl_utf8_dec(p + i, n - i, &cp);
        i += k ? k : 1;
        count++;
    }
    return count;
}

/* ------------------------------------------------------------------ numbers */

static bool ieq(const char *s, size_t n, const char *lit)
{
    size_t m = strlen(lit);
    if (n != m)
        return false;
    for (size_t i = 0; i < n; i++)
        if (tolower((unsigned char)s[i]) != tolower((unsigned char)lit[i]))
            return false;
    return true;
}

bool xl_dec_parse(xl_dec *d, const char *s, size_t n)
{
    memset(d, 0, sizeof *d);
    size_t i = 0;
    if (n && (s[0] == '+' || s[0] == '-')) {
        d->neg = s[0] == '-';
        i = 1;
    }
    if (ieq(s + i, n - i, "nan")) {
        if (i)
            return false;
        d->special = 1;
        return true;
    }
    if (ieq(s + i, n - i, "inf") || ieq(s + i, n - i, "infinity")) {
        d->special = d->neg ? 3 : 2;
        return true;
    }
    size_t nd = 0;
    char *digits = malloc(n + 1);
    if (!digits)
        return false;
    long long exp = 0;
    bool any = false, dot = false;
    for (; i < n; i++) {
        char c = s[i];
        if (c >= '0' && c <= '9') {
            any = true;
            if (nd == 0 && c == '0') {
                if (dot)
                    exp--;
                continue;
            }
            digits[nd++] = c;
            if (dot)
                exp--;
        } else if (c == '.' && !dot) {
            dot = true;
        } else {
            break;
        }
    }
    if (!any)
        goto bad;
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        bool eneg = false;
        if (i < n && (s[i] == '+' || s[i] == '-'))
            eneg = s[i++] == '-';
        long long ev = 0;
        bool edig = false;
        for (; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
            edig = true;
            ev = ev * 10 + (s[i] - '0');
            if (ev > 100000)
                goto bad;
        }
        if (!edig)
            goto bad;
        exp += eneg ? -ev : ev;
    }
    if (i != n || exp > 100000 || exp < -100000)
        goto bad;
    digits[nd] = '\0';
    if (nd == 0)
        d->neg = false; /* -0 is 0 */
    d->digits = digits;
    d->exp = exp;
    return true;
bad:
    free(digits);
    return false;
}

bool xl_dec_from_double(xl_dec *d, double v)
{
    char buf[64];
    dbc_float_shortest(buf, v, false);
    if (isnan(v) || isinf(v)) {
        memset(d, 0, sizeof *d);
        d->special = isnan(v) ? 1 : (v < 0 ? 3 : 2);
        return true;
    }
    return xl_dec_parse(d, buf, strlen(buf));
}

void xl_dec_free(xl_dec *d)
{
    free(d->digits);
    d->digits = NULL;
}

int xl_dec_format(xl_sbuf *out, const xl_dec *d, int32_t precision, int32_t scale, bool round,
                  bool *rounded)
{
    if (d->special) {
        xl_sb_puts(out, d->special == 1 ? "NaN" : d->special == 2 ? "Infinity" : "-Infinity");
        return out->oom ? -1 : 0;
    }
    if (precision >= 0 && scale < 0)
        scale = 0;
    const char *D = d->digits ? d->digits : "";
    size_t len = strlen(D);
    long long e = d->exp;
    /* integer digits and fraction digits as text */
    xl_sbuf ip = {0}, fp = {0};
    int rc = 0;
    if (len == 0) {
        xl_sb_puts(&ip, "0");
        e = 0;
    } else if (e >= 0) {
        xl_sb_puts(&ip, D);
        for (long long k = 0; k < e; k++)
            xl_sb_putc(&ip, '0');
    } else {
        size_t k = (size_t)-e;
        if (len > k) {
            xl_sb_putn(&ip, D, len - k);
            xl_sb_putn(&fp, D + len - k, k);
        } else {
            xl_sb_puts(&ip, "0");
            for (size_t z = 0; z < k - len; z++)
                xl_sb_putc(&fp, '0');
            xl_sb_putn(&fp, D, len);
        }
    }
    if (ip.oom || fp.oom) {
        rc = -1;
        goto done;
    }
    size_t want = scale >= 0 ? (size_t)scale : fp.len;
    if (fp.len > want) {
        bool nonzero = false;
        for (size_t k = want; k < fp.len; k++)
            nonzero |= fp.p[k] != '0';
        bool up = fp.p[want] >= '5';
        fp.len = want;
        fp.p[want] = '\0';
        if (nonzero) {
            if (!round) {
                rc = 2;
                goto done;
            }
            if (rounded)
                *rounded = true;
            if (up) {
                /* add one unit in the last kept place, carrying into the integer part */
                size_t k = fp.len;
                bool carry = true;
                while (carry && k > 0) {
                    k--;
                    if (fp.p[k] == '9') {
                        fp.p[k] = '0';
                    } else {
                        fp.p[k]++;
                        carry = false;
                    }
                }
                k = ip.len;
                while (carry && k > 0) {
                    k--;
                    if (ip.p[k] == '9') {
                        ip.p[k] = '0';
                    } else {
                        ip.p[k]++;
                        carry = false;
                    }
                }
                if (carry) {
                    xl_sbuf t = {0};
                    xl_sb_putc(&t, '1');
                    xl_sb_putn(&t, ip.p, ip.len);
                    xl_sb_free(&ip);
                    ip = t;
                }
            }
        }
    }
    while (fp.len < want)
        xl_sb_putc(&fp, '0');
    if (ip.oom || fp.oom) {
        rc = -1;
        goto done;
    }
    /* strip leading zeros of the integer part */
    size_t lead = 0;
    while (lead + 1 < ip.len && ip.p[lead] == '0')
        lead++;
    const char *ipd = ip.p + lead;
    size_t ipn = ip.len - lead;
    size_t intdigits = (ipn == 1 && ipd[0] == '0') ? 0 : ipn;
    if (precision >= 0 && (long long)intdigits > (long long)precision - scale) {
        rc = 1;
        goto done;
    }
    bool iszero = intdigits == 0;
    for (size_t k = 0; k < fp.len; k++)
        iszero &= fp.p[k] == '0';
    if (d->neg && !iszero)
        xl_sb_putc(out, '-');
    xl_sb_putn(out, ipd, ipn);
    if (fp.len) {
        xl_sb_putc(out, '.');
        xl_sb_putn(out, fp.p, fp.len);
    }
    if (out->oom)
        rc = -1;
done:
    xl_sb_free(&ip);
    xl_sb_free(&fp);
    return rc;
}

/* -------------------------------------------------------------------- dates */

static long long days_from_civil(long long y, int m, int d)
{
    y -= m <= 2;
    long long era = (y >= 0 ? y : y - 399) / 400;
    long long yoe = y - era * 400;
    long long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(long long z, long long *y, int *m, int *d)
{
    z += 719468;
    long long era = (z >= 0 ? z : z - 146096) / 146097;
    long long doe = z - era * 146097;
    long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long long mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

static int days_in_month(long long y, int m)
{
    static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2) {
        bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        return leap ? 29 : 28;
    }
    return dm[m - 1];
}

/* Read exactly k digits (k > 0) or, with k == 0, at least one. */
static bool rd_num(const char *s, size_t n, size_t *i, size_t k, long long *out)
{
    size_t st = *i;
    long long v = 0;
    while (*i < n && s[*i] >= '0' && s[*i] <= '9' && (k == 0 || *i - st < k)) {
        if (v > 100000000000LL)
            return false;
        v = v * 10 + (s[*i] - '0');
        (*i)++;
    }
    if (*i == st || (k && *i - st != k))
        return false;
    *out = v;
    return true;
}

static bool parse_clock(xl_dt *t, const char *s, size_t n, size_t *i)
{
    long long h, mi, se = 0;
    if (!rd_num(s, n, i, 2, &h) || *i >= n || s[*i] != ':')
        return false;
    (*i)++;
    if (!rd_num(s, n, i, 2, &mi))
        return false;
    if (*i < n && s[*i] == ':') {
        (*i)++;
        if (!rd_num(s, n, i, 2, &se))
            return false;
        if (*i < n && s[*i] == '.') {
            (*i)++;
            size_t st = *i;
            long us = 0;
            while (*i < n && s[*i] >= '0' && s[*i] <= '9') {
                size_t k = *i - st;
                if (k < 6)
                    us = us * 10 + (s[*i] - '0');
                else if (s[*i] != '0')
                    t->frac_lost = true;
                (*i)++;
            }
            size_t nd = *i - st;
            if (nd == 0)
                return false;
            for (size_t k = nd; k < 6; k++)
                us *= 10;
            t->usec = us;
            t->frac_digits = (int)nd;
        }
    }
    if (h > 24 || mi > 59 || se > 59 || (h == 24 && (mi || se || t->usec)))
        return false;
    t->hour = (int)h;
    t->min = (int)mi;
    t->sec = (int)se;
    t->has_time = true;
    return true;
}

bool xl_dt_parse(xl_dt *t, const char *s, size_t n)
{
    memset(t, 0, sizeof *t);
    if (ieq(s, n, "infinity") || ieq(s, n, "+infinity")) {
        t->special = 1;
        return true;
    }
    if (ieq(s, n, "-infinity")) {
        t->special = 2;
        return true;
    }
    size_t i = 0;
    /* time only? HH:MM... */
    if (n >= 5 && s[2] == ':') {
        if (!parse_clock(t, s, n, &i))
            return false;
        return i == n;
    }
    bool neg = false;
    if (i < n && s[i] == '-') {
        neg = true;
        i++;
    }
    size_t st = i;
    long long y, mo, d;
    if (!rd_num(s, n, &i, 0, &y) || i - st < 4 || i >= n || s[i] != '-')
        return false;
    i++;
    if (!rd_num(s, n, &i, 2, &mo) || i >= n || s[i] != '-')
        return false;
    i++;
    if (!rd_num(s, n, &i, 2, &d))
        return false;
    t->year = neg ? -y : y;
    t->mon = (int)mo;
    t->day = (int)d;
    t->has_date = true;
    if (mo == 0 || d == 0)
        t->zero = true;
    if (mo > 12 || d > 31)
        return false;
    if (i < n && (s[i] == ' ' || s[i] == 'T' || s[i] == 't')) {
        i++;
        if (!parse_clock(t, s, n, &i))
            return false;
        if (t->hour == 24)
            return false;
        if (i < n) {
            if (s[i] == 'Z' || s[i] == 'z') {
                t->zone = 1;
                t->zone_sec = 0;
                i++;
            } else if (s[i] == '+' || s[i] == '-') {
                long sign = s[i] == '-' ? -1 : 1;
                i++;
                long long zh, zm = 0, zs = 0;
                if (!rd_num(s, n, &i, 2, &zh))
                    return false;
                if (i < n && s[i] == ':') {
                    i++;
                    if (!rd_num(s, n, &i, 2, &zm))
                        return false;
                    if (i < n && s[i] == ':') {
                        i++;
                        if (!rd_num(s, n, &i, 2, &zs))
                            return false;
                    }
                } else if (i + 2 <= n && s[i] >= '0' && s[i] <= '9') {
                    if (!rd_num(s, n, &i, 2, &zm))
                        return false;
                }
                if (zh > 15 || zm > 59 || zs > 59)
                    return false;
                t->zone = 1;
                t->zone_sec = sign * (long)(zh * 3600 + zm * 60 + zs);
            }
        }
    }
    return i == n;
}

bool xl_dt_valid_date(const xl_dt *t)
{
    if (t->special || !t->has_date)
        return t->special != 0;
    if (t->zero || t->mon < 1 || t->mon > 12 || t->day < 1)
        return false;
    return t->day <= days_in_month(t->year, t->mon);
}

long long xl_dt_epoch(const xl_dt *t)
{
    return days_from_civil(t->year, t->mon, t->day) * 86400 + t->hour * 3600LL + t->min * 60LL +
           t->sec;
}

void xl_dt_to_zone(xl_dt *t, const char *zone)
{
    long long secs = xl_dt_epoch(t), off = 0;
    if ((zone[0] == '+' || zone[0] == '-') && strlen(zone) == 6 && zone[3] == ':') {
        off = ((zone[1] - '0') * 10 + (zone[2] - '0')) * 3600LL +
              ((zone[4] - '0') * 10 + (zone[5] - '0')) * 60LL;
        off = zone[0] == '-' ? -off : off;
    } else {
        time_t tt = (time_t)secs;
        struct tm tm;
        if (localtime_r(&tt, &tm))
            off = tm.tm_gmtoff;
    }
    t->zone = 1;
    t->zone_sec = -off; /* to_utc subtracts zone_sec: adds the zone's offset */
    xl_dt_to_utc(t);
}

void xl_dt_to_utc(xl_dt *t)
{
    if (!t->zone || t->special)
        return;
    long long days = days_from_civil(t->year, t->mon, t->day);
    long long secs = days * 86400 + t->hour * 3600LL + t->min * 60LL + t->sec - t->zone_sec;
    long long dd = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
    long long rem = secs - dd * 86400;
    civil_from_days(dd, &t->year, &t->mon, &t->day);
    t->hour = (int)(rem / 3600);
    t->min = (int)(rem / 60 % 60);
    t->sec = (int)(rem % 60);
    t->zone = 0;
    t->zone_sec = 0;
}

/* n as at least `width` decimal digits (zero-padded), n >= 0. Dates and times are written by
 * hand: printf was a third of the CPU of a SQLite -> PostgreSQL restore (callgrind). */
static void put_digits(xl_sbuf *b, unsigned long long n, int width)
{
    char d[24];
    int k = 0;
    do {
        d[k++] = (char)('0' + n % 10);
        n /= 10;
    } while (n && k < (int)sizeof d);
    while (k < width && k < (int)sizeof d)
        d[k++] = '0';
    char out[24];
    for (int i = 0; i < k; i++)
        out[i] = d[k - 1 - i];
    xl_sb_putn(b, out, (size_t)k);
}

void xl_dt_fmt_date(xl_sbuf *b, const xl_dt *t)
{
    if (t->special) {
        xl_sb_puts(b, t->special == 1 ? "infinity" : "-infinity");
        return;
    }
    if (t->year < 0)
        xl_sb_putc(b, '-');
    put_digits(b, t->year < 0 ? 0ULL - (unsigned long long)t->year : (unsigned long long)t->year,
               4);
    xl_sb_putc(b, '-');
    put_digits(b, (unsigned)t->mon, 2);
    xl_sb_putc(b, '-');
    put_digits(b, (unsigned)t->day, 2);
}

void xl_dt_fmt_timestamp(xl_sbuf *b, const xl_dt *t, bool z)
{
    xl_dt_fmt_date(b, t);
    if (t->special)
        return;
    xl_sb_putc(b, ' ');
    put_digits(b, (unsigned)t->hour, 2);
    xl_sb_putc(b, ':');
    put_digits(b, (unsigned)t->min, 2);
    xl_sb_putc(b, ':');
    put_digits(b, (unsigned)t->sec, 2);
    dbc_frac_text(b, t->usec);
    if (z)
        xl_sb_putc(b, 'Z');
}

bool xl_time_parse(const char *s, size_t n, int64_t *micros, int *frac_digits)
{
    size_t i = 0;
    bool neg = false;
    if (i < n && s[i] == '-') {
        neg = true;
        i++;
    }
    long long h, mi, se = 0;
    size_t st = i;
    if (!rd_num(s, n, &i, 0, &h) || i - st < 2 || i >= n || s[i] != ':')
        return false;
    i++;
    if (!rd_num(s, n, &i, 2, &mi))
        return false;
    long us = 0;
    int nd = 0;
    if (i < n && s[i] == ':') {
        i++;
        if (!rd_num(s, n, &i, 2, &se))
            return false;
        if (i < n && s[i] == '.') {
            i++;
            size_t fs = i;
            while (i < n && s[i] >= '0' && s[i] <= '9') {
                if (i - fs < 6)
                    us = us * 10 + (s[i] - '0');
                i++;
            }
            nd = (int)(i - fs);
            if (nd == 0)
                return false;
            for (int k = nd; k < 6; k++)
                us *= 10;
        }
    }
    if (i != n || mi > 59 || se > 59 || h > 2562047788LL)
        return false;
    int64_t v = ((int64_t)h * 3600 + mi * 60 + se) * 1000000 + us;
    *micros = neg ? -v : v;
    if (frac_digits)
        *frac_digits = nd;
    return true;
}

void xl_time_fmt(xl_sbuf *b, int64_t micros)
{
    uint64_t v = micros < 0 ? (uint64_t)0 - (uint64_t)micros : (uint64_t)micros;
    uint64_t s = v / 1000000;
    xl_sb_printf(b, "%s%02" PRIu64 ":%02" PRIu64 ":%02" PRIu64, micros < 0 ? "-" : "", s / 3600,
                 s / 60 % 60, s % 60);
    dbc_frac_text(b, (long)(v % 1000000));
}

/* --------------------------------------------------------------------- JSON */

typedef struct jp {
    const char *s;
    size_t n, i;
    int depth;
} jp;

static void j_ws(jp *p)
{
    while (p->i < p->n && (p->s[p->i] == ' ' || p->s[p->i] == '\t' || p->s[p->i] == '\n' ||
                           p->s[p->i] == '\r'))
        p->i++;
}

/* Whitespace, then c: consumed (true), or not there (false). */
static bool j_eat(jp *p, char c)
{
    j_ws(p);
    if (p->i >= p->n || p->s[p->i] != c)
        return false;
    p->i++;
    return true;
}

static bool j_lit(jp *p, const char *lit)
{
    size_t m = strlen(lit);
    if (p->n - p->i < m || memcmp(p->s + p->i, lit, m) != 0)
        return false;
    p->i += m;
    return true;
}

static bool j_string(jp *p)
{
    if (p->i >= p->n || p->s[p->i] != '"')
        return false;
    p->i++;
    while (p->i < p->n) {
        unsigned char c = (unsigned char)p->s[p->i];
        if (c == '"') {
            p->i++;
            return true;
        }
        if (c < 0x20)
            return false;
        if (c == '\\') {
            p->i++;
            if (p->i >= p->n)
                return false;
            char e = p->s[p->i++];
            if (e == 'u') {
                for (int k = 0; k < 4; k++, p->i++)
                    if (p->i >= p->n || !isxdigit((unsigned char)p->s[p->i]))
                        return false;
            } else if (!strchr("\"\\/bfnrt", e) || e == '\0') {
                return false;
            }
            continue;
        }
        if (c < 0x80) {
            p->i++;
            continue;
        }
        uint32_t cp;
        size_t k = xl_utf8_dec((const unsigned char *)p->s + p->i, p->n - p->i, &cp);
        if (!k)
            return false;
        p->i += k;
    }
    return false;
}

static bool j_number(jp *p)
{
    size_t st = p->i;
    if (p->i < p->n && p->s[p->i] == '-')
        p->i++;
    if (p->i >= p->n)
        return false;
    if (p->s[p->i] == '0') {
        p->i++;
    } else if (p->s[p->i] >= '1' && p->s[p->i] <= '9') {
        while (p->i < p->n && isdigit((unsigned char)p->s[p->i]))
            p->i++;
    } else {
        return false;
    }
    if (p->i < p->n && p->s[p->i] == '.') {
        p->i++;
        size_t f = p->i;
        while (p->i < p->n && isdigit((unsigned char)p->s[p->i]))
            p->i++;
        if (p->i == f)
            return false;
    }
    if (p->i < p->n && (p->s[p->i] == 'e' || p->s[p->i] == 'E')) {
        p->i++;
        if (p->i < p->n && (p->s[p->i] == '+' || p->s[p->i] == '-'))
            p->i++;
        size_t f = p->i;
        while (p->i < p->n && isdigit((unsigned char)p->s[p->i]))
            p->i++;
        if (p->i == f)
            return false;
    }
    return p->i > st;
}

static bool j_value(jp *p)
{
    j_ws(p);
    if (p->i >= p->n)
        return false;
    char c = p->s[p->i];
    if (c == '{' || c == '[') {
        if (++p->depth > 512)
            return false;
        char close = c == '{' ? '}' : ']';
        p->i++;
        if (j_eat(p, close)) {
            p->depth--;
            return true;
        }
        for (;;) {
            if (c == '{') {
                j_ws(p);
                if (!j_string(p) || !j_eat(p, ':'))
                    return false;
            }
            if (!j_value(p))
                return false;
            if (j_eat(p, close)) {
                p->depth--;
                return true;
            }
            if (!j_eat(p, ','))
                return false;
        }
    }
    if (c == '"')
        return j_string(p);
    if (c == 't')
        return j_lit(p, "true");
    if (c == 'f')
        return j_lit(p, "false");
    if (c == 'n')
        return j_lit(p, "null");
    return j_number(p);
}

bool xl_json_valid(const char *s, size_t n)
{
    jp p = {s, n, 0, 0};
    if (!j_value(&p))
        return false;
    j_ws(&p);
    return p.i == n;
}

void xl_json_str(xl_sbuf *b, const char *s, size_t n)
{
    xl_sb_putc(b, '"');
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        const char *esc = NULL;
        char ubuf[8];
        if (c == '"')
            esc = "\\\"";
        else if (c == '\\')
            esc = "\\\\";
        else if (c == '\n')
            esc = "\\n";
        else if (c == '\r')
            esc = "\\r";
        else if (c == '\t')
            esc = "\\t";
        else if (c < 0x20) {
            snprintf(ubuf, sizeof ubuf, "\\u%04x", c);
            esc = ubuf;
        }
        if (esc) {
            xl_sb_putn(b, s + run, i - run);
            xl_sb_puts(b, esc);
            run = i + 1;
        }
    }
    xl_sb_putn(b, s + run, n - run);
    xl_sb_putc(b, '"');
}

/*
 * Canonical JSON text for --verify digests of data-only loads. Engines that store JSON parsed
 * (PostgreSQL jsonb, MySQL 8 JSON) give back other text than they were sent: keys reordered
 * and deduplicated (the last one wins), whitespace dropped, escapes and numbers rewritten.
 * Both sides of the digest go through this, so equal documents digest alike: keys sorted
 * bytewise with the last of duplicates kept, no whitespace, strings with xl_json_str's
 * escapes, numbers as the shortest text of their double value.
 */
#define CANON_MAX_DEPTH 512

static int hex4(const char *s, unsigned *out)
{
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        int h = dbc_hexval(s[i]);
        if (h < 0)
            return -1;
        v = v << 4 | (unsigned)h;
    }
    *out = v;
    return 0;
}

static void put_utf8(xl_sbuf *b, unsigned cp)
{
    char u[4];
    size_t n;
    if (cp < 0x80) {
        u[0] = (char)cp, n = 1;
    } else if (cp < 0x800) {
        u[0] = (char)(0xC0 | (cp >> 6)), u[1] = (char)(0x80 | (cp & 0x3F)), n = 2;
    } else if (cp < 0x10000) {
        u[0] = (char)(0xE0 | (cp >> 12)), u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[2] = (char)(0x80 | (cp & 0x3F)), n = 3;
    } else {
        u[0] = (char)(0xF0 | (cp >> 18)), u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        u[2] = (char)(0x80 | ((cp >> 6) & 0x3F)), u[3] = (char)(0x80 | (cp & 0x3F)), n = 4;
    }
    xl_sb_putn(b, u, n);
}

/* A string at p->i (the opening quote): its decoded bytes into raw. */
static int string_raw(jp *p, xl_sbuf *raw)
{
    p->i++;
    while (p->i < p->n) {
        char c = p->s[p->i++];
        if (c == '"')
            return 0;
        if (c != '\\') {
            xl_sb_putc(raw, c);
            continue;
        }
        if (p->i >= p->n)
            return -1;
        c = p->s[p->i++];
        switch (c) {
        case '"': case '\\': case '/': xl_sb_putc(raw, c); break;
        case 'b': xl_sb_putc(raw, '\b'); break;
        case 'f': xl_sb_putc(raw, '\f'); break;
        case 'n': xl_sb_putc(raw, '\n'); break;
        case 'r': xl_sb_putc(raw, '\r'); break;
        case 't': xl_sb_putc(raw, '\t'); break;
        case 'u': {
            unsigned cp, lo;
            if (p->n - p->i < 4 || hex4(p->s + p->i, &cp))
                return -1;
            p->i += 4;
            if (cp >= 0xD800 && cp < 0xDC00 && p->n - p->i >= 6 && p->s[p->i] == '\\' &&
                p->s[p->i + 1] == 'u' && !hex4(p->s + p->i + 2, &lo) && lo >= 0xDC00 &&
                lo < 0xE000) {
                p->i += 6;
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            }
            put_utf8(raw, cp);
            break;
        }
        default:
            return -1;
        }
    }
    return -1;
}

typedef struct member {
    char *key;
    size_t klen;
    char *val;
    size_t order;
} member;

static int cmp_member(const void *a, const void *b)
{
    const member *x = a, *y = b;
    size_t n = x->klen < y->klen ? x->klen : y->klen;
    int c = memcmp(x->key, y->key, n);
    if (c)
        return c;
    if (x->klen != y->klen)
        return x->klen < y->klen ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order;
}

static int canon_value(jp *p, xl_sbuf *out);

static int canon_object(jp *p, xl_sbuf *out)
{
    dbc_vec mv = {0}; /* member */
    member *m = NULL;
    size_t n = 0;
    int rc = -1;
    p->i++;
    if (j_eat(p, '}')) {
        xl_sb_puts(out, "{}");
        return 0;
    }
    for (;;) {
        xl_sbuf k = {0}, v = {0};
        j_ws(p);
        if (p->i >= p->n || p->s[p->i] != '"' || string_raw(p, &k))
            goto fail_kv;
        if (!j_eat(p, ':') || canon_value(p, &v) || k.oom || v.oom)
            goto fail_kv;
        member *e = dbc_vec_push(&mv, sizeof *e);
        if (!e)
            goto fail_kv;
        *e = (member){k.p ? k.p : strdup(""), k.len, v.p, n};
        m = mv.p;
        n = mv.n;
        if (j_eat(p, '}'))
            break;
        if (j_eat(p, ','))
            continue;
        goto done;
    fail_kv:
        xl_sb_free(&k);
        xl_sb_free(&v);
        goto done;
    }
    qsort(m, n, sizeof *m, cmp_member);
    xl_sb_putc(out, '{');
    bool first = true;
    for (size_t i = 0; i < n; i++) {
        if (i + 1 < n && m[i].klen == m[i + 1].klen && memcmp(m[i].key, m[i + 1].key,
                                                                m[i].klen) == 0)
            continue; /* a later duplicate wins */
        if (!first)
            xl_sb_putc(out, ',');
        first = false;
        xl_json_str(out, m[i].key ? m[i].key : "", m[i].klen);
        xl_sb_putc(out, ':');
        xl_sb_puts(out, m[i].val ? m[i].val : "");
    }
    xl_sb_putc(out, '}');
    rc = 0;
done:
    for (size_t i = 0; i < n; i++) {
        free(m[i].key);
        free(m[i].val);
    }
    dbc_vec_free(&mv);
    return rc;
}

static int canon_value(jp *p, xl_sbuf *out)
{
    j_ws(p);
    if (p->i >= p->n || ++p->depth > CANON_MAX_DEPTH)
        return -1;
    int rc = 0;
    char c = p->s[p->i];
    if (c == '{') {
        rc = canon_object(p, out);
    } else if (c == '[') {
        p->i++;
        xl_sb_putc(out, '[');
        if (!j_eat(p, ']'))
            for (;;) {
                if ((rc = canon_value(p, out)) || j_eat(p, ']'))
                    break;
                if (!j_eat(p, ',')) {
                    rc = -1;
                    break;
                }
                xl_sb_putc(out, ',');
            }
        xl_sb_putc(out, ']');
    } else if (c == '"') {
        xl_sbuf raw = {0};
        rc = string_raw(p, &raw);
        if (!rc)
            xl_json_str(out, raw.p ? raw.p : "", raw.len);
        xl_sb_free(&raw);
    } else if (c == 't' || c == 'f' || c == 'n') {
        const char *lit = c == 't' ? "true" : c == 'f' ? "false" : "null";
        if (!j_lit(p, lit))
            return -1;
        xl_sb_puts(out, lit);
    } else {
        char buf[64], *end;
        size_t l = 0;
        while (p->i + l < p->n && l < sizeof buf - 1 && strchr("+-0123456789.eE", p->s[p->i + l]))
            l++;
        memcpy(buf, p->s + p->i, l);
        buf[l] = '\0';
        double d = strtod(buf, &end);
        if (l == 0 || end != buf + l || !isfinite(d))
            return -1;
        p->i += l;
        if (d == 0)
            d = 0; /* -0 and 0 alike */
        if (d > -1e15 && d < 1e15 && d == (double)(int64_t)d) {
            snprintf(buf, sizeof buf, "%.0f", d);
        } else {
            for (int prec = 1; prec <= 17; prec++) { /* shortest text that reads back alike */
                snprintf(buf, sizeof buf, "%.*g", prec, d);
                if (strtod(buf, NULL) == d)
                    break;
            }
        }
        xl_sb_puts(out, buf);
    }
    p->depth--;
    return rc;
}

int xl_json_canon(xl_sbuf *out, const char *s, size_t n)
{
    jp p = {s, n, 0, 0};
    size_t start = out->len;
    int rc = canon_value(&p, out);
    j_ws(&p);
    if (rc || p.i != n || out->oom) {
        out->len = start;
        if (out->p)
            out->p[start] = '\0';
        return -1;
    }
    return 0;
}

/* --------------------------------------------------------------------- UUID */

bool xl_uuid_parse(const char *s, size_t n, uint8_t out[16])
{
    bool dashed = n == 36;
    if (n != 36 && n != 32)
        return false;
    size_t k = 0;
    for (size_t i = 0; i < n;) {
        if (dashed && (i == 8 || i == 13 || i == 18 || i == 23)) {
            if (s[i] != '-')
                return false;
            i++;
            continue;
        }
        int hi = dbc_hexval(s[i]), lo = i + 1 < n ? dbc_hexval(s[i + 1]) : -1;
        if (hi < 0 || lo < 0 || k >= 16)
            return false;
        out[k++] = (uint8_t)(hi << 4 | lo);
        i += 2;
    }
    return k == 16;
}

/* ------------------------------------------------------------------ preview */

void xl_value_preview(char *buf, size_t cap, const dbf_value *v)
{
    xl_sbuf b = {0};
    switch (v->kind) {
    case DBF_V_NULL:
        xl_sb_puts(&b, "NULL");
        break;
    case DBF_V_BOOL:
    case DBF_V_INT:
    case DBF_V_UINT:
    case DBF_V_F32:
    case DBF_V_F64:
        dbc_value_text(&b, v, DBF_T_ANY);
        break;
    case DBF_V_STR: {
        xl_sb_putc(&b, '\'');
        size_t lim = v->u.s.len < 40 ? v->u.s.len : 40;
        for (size_t i = 0; i < lim; i++) {
            unsigned char c = (unsigned char)v->u.s.ptr[i];
            if (c < 0x20 || c == 0x7f || c == '\\')
                xl_sb_printf(&b, "\\x%02x", c);
            else
                xl_sb_putc(&b, (char)c);
        }
        xl_sb_putc(&b, '\'');
        if (v->u.s.len > lim)
            xl_sb_printf(&b, "... (%zu bytes)", v->u.s.len);
        break;
    }
    case DBF_V_BIN: {
        xl_sb_puts(&b, "x'");
        size_t lim = v->u.s.len < 16 ? v->u.s.len : 16;
        for (size_t i = 0; i < lim; i++)
            xl_sb_printf(&b, "%02x", (unsigned char)v->u.s.ptr[i]);
        xl_sb_putc(&b, '\'');
        if (v->u.s.len > lim)
            xl_sb_printf(&b, "... (%zu bytes)", v->u.s.len);
        break;
    }
    case DBF_V_INTERVAL:
        dbc_interval_iso(&b, v->u.iv.months, v->u.iv.days, v->u.iv.micros);
        break;
    case DBF_V_ARRAY:
        xl_sb_printf(&b, "array of %zu elements", v->u.arr.nelems);
        break;
    }
    snprintf(buf, cap, "%s", b.p ? b.p : "?");
    xl_sb_free(&b);
}
