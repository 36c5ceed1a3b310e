/*
 * pg_fmt_test.c - property test without a server: the hand-written date, time and numeric
 * formatters of engines/pg/pg_copy.c must print exactly what the earlier printf-based versions
 * printed (kept below, verbatim, as the reference; both use pg_copy.c's pg_j2date for the
 * calendar), for many random and edge values.
 */
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pg_copy.h"

static int failures;
static unsigned long checks;

/* ------------------------------------------------ reference: the printf versions */

#define POSTGRES_EPOCH_JDATE 2451545
#define USECS_PER_DAY INT64_C(86400000000)

static size_t ref_ymd(char *out, int jd)
{
    int y, m, d;
    pg_j2date(jd, &y, &m, &d); /* the calendar is not under test */
    if (y < 0)
        return (size_t)sprintf(out, "-%04d-%02d-%02d", -y, m, d);
    return (size_t)sprintf(out, "%04d-%02d-%02d", y, m, d);
}

static size_t ref_hms(char *out, int64_t us)
{
    int64_t secs = us / 1000000;
    int frac = (int)(us % 1000000);
    size_t n = (size_t)sprintf(out, "%02lld:%02d:%02d", (long long)(secs / 3600),
                               (int)(secs / 60 % 60), (int)(secs % 60));
    if (frac) {
        char f[8];
        sprintf(f, "%06d", frac);
        int k = 6;
        while (k > 0 && f[k - 1] == '0')
            k--;
        f[k] = '\0';
        n += (size_t)sprintf(out + n, ".%s", f);
    }
    return n;
}

static size_t ref_date(char *out, int32_t days)
{
    if (days == INT32_MAX)
        return (size_t)sprintf(out, "infinity");
    if (days == INT32_MIN)
        return (size_t)sprintf(out, "-infinity");
    return ref_ymd(out, (int)((int64_t)days + POSTGRES_EPOCH_JDATE));
}

static size_t ref_timestamp(char *out, int64_t us, int tz)
{
    if (us == INT64_MAX)
        return (size_t)sprintf(out, "infinity");
    if (us == INT64_MIN)
        return (size_t)sprintf(out, "-infinity");
    int64_t days = us / USECS_PER_DAY;
    int64_t rem = us % USECS_PER_DAY;
    if (rem < 0) {
        rem += USECS_PER_DAY;
        days--;
    }
    size_t n = ref_ymd(out, (int)(days + POSTGRES_EPOCH_JDATE));
    out[n++] = ' ';
    n += ref_hms(out + n, rem);
    if (tz)
        out[n++] = 'Z';
    out[n] = '\0';
    return n;
}

static size_t ref_time(char *out, int64_t us)
{
    if (us < 0)
        us = 0;
    return ref_hms(out, us);
}

static size_t ref_timetz(char *out, int64_t us, int32_t zone_west)
{
    size_t n = ref_time(out, us);
    int32_t off = -zone_west;
    char sign = off < 0 ? '-' : '+';
    if (off < 0)
        off = -off;
    int hh = off / 3600, mm = off / 60 % 60, ss = off % 60;
    n += (size_t)sprintf(out + n, "%c%02d", sign, hh);
    if (mm || ss)
        n += (size_t)sprintf(out + n, ":%02d", mm);
    if (ss)
        n += (size_t)sprintf(out + n, ":%02d", ss);
    return n;
}

static size_t ref_numeric(char *out, const unsigned char *data, size_t len)
{
    if (pg_numeric_text_max(data, len) == 0)
        return 0;
    int ndigits = pg_get16(data);
    int weight = pg_get16(data + 2);
    unsigned sign = (uint16_t)pg_get16(data + 4);
    int dscale = (uint16_t)pg_get16(data + 6);
    const unsigned char *dg = data + 8;
    char *cp = out;

    if (sign == 0xC000)
        return (size_t)sprintf(out, "NaN");
    if (sign == 0xD000)
        return (size_t)sprintf(out, "Infinity");
    if (sign == 0xF000)
        return (size_t)sprintf(out, "-Infinity");
    if (sign != 0 && sign != 0x4000)
        return 0;
    for (int i = 0; i < ndigits; i++) {
        int v = pg_get16(dg + 2 * i);
        if (v < 0 || v > 9999)
            return 0;
    }
    if (sign == 0x4000)
        *cp++ = '-';
    int d;
    if (weight < 0) {
        d = weight + 1;
        *cp++ = '0';
    } else {
        for (d = 0; d <= weight; d++) {
            int dig = d < ndigits ? pg_get16(dg + 2 * d) : 0;
            if (d == 0)
                cp += sprintf(cp, "%d", dig);
            else
                cp += sprintf(cp, "%04d", dig);
        }
    }
    if (dscale > 0) {
        *cp++ = '.';
        char *endcp = cp + dscale;
        for (int i = 0; i < dscale; d++, i += 4) {
            int dig = (d >= 0 && d < ndigits) ? pg_get16(dg + 2 * d) : 0;
            cp += sprintf(cp, "%04d", dig);
        }
        cp = endcp;
    }
    *cp = '\0';
    return (size_t)(cp - out);
}

/* --------------------------------------------------------------------- driver */

static uint64_t rng_state = UINT64_C(0x9E3779B97F4A7C15);

static uint64_t rnd(void)
{
    /* splitmix64: fixed seed, so a failure reproduces */
    uint64_t z = (rng_state += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

static int64_t rnd_range(int64_t lo, int64_t hi) /* inclusive, hi - lo < 2^64 - 1 */
{
    /* the span in unsigned arithmetic: hi - lo may not fit int64_t */
    uint64_t span = (uint64_t)hi - (uint64_t)lo + 1;
    uint64_t off = rnd() % span;
    return (int64_t)((uint64_t)lo + off); /* two's complement wrap, as the platform does */
}

static void same(const char *what, const char *want, size_t wn, const char *got, size_t gn)
{
    checks++;
    if (wn != gn || strcmp(want, got) != 0) {
        if (failures < 20)
            printf("FAIL %s: want \"%s\" (%zu), got \"%s\" (%zu)\n", what, want, wn, got, gn);
        failures++;
    }
}

static void check_date(int32_t days)
{
    char a[64], b[64];
    memset(b, 'x', sizeof b);
    size_t wn = ref_date(a, days), gn = pg_fmt_date(b, days);
    b[sizeof b - 1] = '\0';
    same("date", a, wn, b, gn);
}

static void check_ts(int64_t us)
{
    for (int tz = 0; tz < 2; tz++) {
        char a[96], b[96];
        memset(b, 'x', sizeof b);
        size_t wn = ref_timestamp(a, us, tz), gn = pg_fmt_timestamp(b, us, tz != 0);
        b[sizeof b - 1] = '\0';
        same(tz ? "timestamptz" : "timestamp", a, wn, b, gn);
    }
}

static void check_time(int64_t us, int32_t zone_west)
{
    char a[96], b[96];
    memset(b, 'x', sizeof b);
    size_t wn = ref_time(a, us), gn = pg_fmt_time(b, us);
    b[sizeof b - 1] = '\0';
    same("time", a, wn, b, gn);
    memset(b, 'x', sizeof b);
    wn = ref_timetz(a, us, zone_west);
    gn = pg_fmt_timetz(b, us, zone_west);
    b[sizeof b - 1] = '\0';
    same("timetz", a, wn, b, gn);
}

static void put16(unsigned char *p, int v)
{
    p[0] = (unsigned char)((unsigned)v >> 8);
    p[1] = (unsigned char)v;
}

static void check_numeric(int ndigits, int weight, unsigned sign, int dscale, const int *dg)
{
    unsigned char bin[8 + 2 * 64];
    put16(bin, ndigits);
    put16(bin + 2, weight);
    put16(bin + 4, (int)sign);
    put16(bin + 6, dscale);
    for (int i = 0; i < ndigits; i++)
        put16(bin + 8 + 2 * i, dg[i]);
    size_t len = 8 + 2 * (size_t)ndigits;
    size_t max = pg_numeric_text_max(bin, len);
    char *a = malloc(max + 1), *b = malloc(max + 1);
    if (!a || !b) {
        printf("FAIL out of memory\n");
        failures++;
        free(a);
        free(b);
        return;
    }
    memset(a, 0, max + 1);
    memset(b, 0, max + 1);
    size_t wn = ref_numeric(a, bin, len), gn = pg_fmt_numeric(b, bin, len);
    if (wn == 0 || gn == 0) {
        checks++;
        if (wn != gn) {
            printf("FAIL numeric validity: ref %zu, new %zu\n", wn, gn);
            failures++;
        }
    } else {
        same("numeric", a, wn, b, gn);
    }
    free(a);
    free(b);
}

int main(void)
{
    /* dates: edges, the whole int32 range, and the years people use */
    const int32_t days_edge[] = {INT32_MIN, INT32_MIN + 1, INT32_MAX, INT32_MAX - 1, 0, -1, 1,
                                 -730119, -730120, -2451545, -2451546, -2451544, 2932896,
                                 -2483590, 100000000, -100000000};
    for (size_t i = 0; i < sizeof days_edge / sizeof *days_edge; i++)
        check_date(days_edge[i]);
    for (int i = 0; i < 300000; i++) {
        check_date((int32_t)rnd());
        check_date((int32_t)rnd_range(-2483590, 2932896)); /* 4713 BC .. 10000 AD */
        check_date((int32_t)rnd_range(-36500, 36500));
    }

    /* timestamps: edges, PostgreSQL's range, everyday values, whole int64 range */
    const int64_t ts_edge[] = {INT64_MIN, INT64_MIN + 1, INT64_MAX, INT64_MAX - 1, 0, -1, 1,
                               999999, 1000000, -1000000, 86399999999, 86400000000,
                               -86400000000, INT64_C(-211813488000000000),
                               INT64_C(9223371331200000000) - 1};
    for (size_t i = 0; i < sizeof ts_edge / sizeof *ts_edge; i++)
        check_ts(ts_edge[i]);
    for (int i = 0; i < 300000; i++) {
        check_ts(rnd_range(INT64_C(-211813488000000000), INT64_C(9223371331200000000) - 1));
        int64_t everyday = rnd_range(INT64_C(-3155760000000000), INT64_C(3155760000000000));
        check_ts(everyday);
        check_ts(everyday / 1000000 * 1000000 + (int64_t)(rnd() % 7) * 100000);
        check_ts((int64_t)rnd() / 4096 * 4096 + (int64_t)(rnd() % 4096));
    }

    /* times and times with zone: the day, 24:00:00, large and negative, zones */
    const int64_t t_edge[] = {0, -1, INT64_MIN, 1, 10, 100000, 86400000000, 86399999999,
                              INT64_MAX, 3600000000, 59999999};
    const int32_t z_edge[] = {0, 1, -1, 59, -59, 60, 3600, -3600, 19800, -19800, 57599, -57599,
                              -55800, 20700, INT32_MAX, INT32_MIN + 1};
    for (size_t i = 0; i < sizeof t_edge / sizeof *t_edge; i++)
        for (size_t j = 0; j < sizeof z_edge / sizeof *z_edge; j++)
            check_time(t_edge[i], z_edge[j]);
    for (int i = 0; i < 300000; i++) {
        int64_t us = rnd_range(0, 86400000000);
        int32_t zone = (int32_t)rnd_range(-57599, 57599);
        check_time(us, zone);
        check_time(us / 1000 * 1000, zone / 60 * 60);
        int32_t any = (int32_t)rnd();
        check_time((int64_t)rnd(), any == INT32_MIN ? INT32_MIN + 1 : any); /* -INT32_MIN: UB */
    }

    /* numerics: random digit groups, weights, scales, signs (including invalid ones) */
    const unsigned signs[] = {0x0000, 0x4000, 0xC000, 0xD000, 0xF000, 0x8000, 0x1234};
    int dg[64];
    for (int i = 0; i < 300000; i++) {
        int nd = (int)rnd_range(0, 12);
        for (int k = 0; k < nd; k++) {
            uint64_t r = rnd() % 20;
            dg[k] = r == 0 ? 0 : r == 1 ? 9999 : r == 2 ? (int)rnd_range(10000, 32767)
                                                        : (int)rnd_range(0, 9999);
            if (r == 3)
                dg[k] = -(int)rnd_range(1, 5);
        }
        int weight = (int)rnd_range(-8, 14);
        int dscale = (int)(rnd() % 4 == 0 ? rnd_range(0, 40) : rnd_range(0, 8));
        unsigned sign = rnd() % 10 < 8 ? signs[rnd() % 2] : signs[rnd() % 7];
        check_numeric(nd, weight, sign, dscale, dg);
        if (i % 100 == 0) /* a few long ones */
            check_numeric(0, (int)rnd_range(-100, 200), signs[rnd() % 2],
                          (int)rnd_range(0, 1000), dg);
    }

    if (failures) {
        printf("%d of %lu checks FAILED\n", failures, checks);
        return 1;
    }
    printf("pg_fmt: %lu values formatted exactly as the printf reference\n", checks);
    return 0;
}
