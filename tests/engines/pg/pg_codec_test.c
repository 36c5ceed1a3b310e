/*
 * pg_codec_test.c - property test of the PostgreSQL binary codecs without a server:
 * portable text -> binary -> portable text (engines/pg/pg_copy.c, both directions) must give
 * the input back, for random numerics, dates, timestamps, times and times with zone, and
 * a few fixed binary values (PostgreSQL's documented send formats) must decode as expected.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pg_copy.h"

static int failures;

static void check_text(pgb_kind k, const char *in)
{
    dbf_value v;
    memset(&v, 0, sizeof v);
    v.kind = DBF_V_STR;
    v.u.s.ptr = in;
    v.u.s.len = strlen(in);
    unsigned char bin[512];
    char out[1024];
    long n = pgb_encode(k, &v, bin);
    if (n < 0) {
        printf("FAIL encode kind %d: %s\n", (int)k, in);
        failures++;
        return;
    }
    size_t m = 0;
    switch (k) {
    case PGB_NUMERIC:
        m = pg_fmt_numeric(out, bin, (size_t)n);
        break;
    case PGB_DATE:
        m = pg_fmt_date(out, pg_get32(bin));
        break;
    case PGB_TS:
        m = pg_fmt_timestamp(out, pg_get64(bin), in[strlen(in) - 1] == 'Z');
        break;
    case PGB_TIME:
        m = pg_fmt_time(out, pg_get64(bin));
        break;
    case PGB_TIMETZ:
        m = pg_fmt_timetz(out, pg_get64(bin), pg_get32(bin + 8));
        break;
    default:
        break;
    }
    out[m] = '\0';
    if (strcmp(out, in) != 0) {
        printf("FAIL round trip kind %d: %s -> %s\n", (int)k, in, out);
        failures++;
    }
}

static unsigned long long rng = 88172645463325252ULL;
static unsigned rnd(unsigned n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (unsigned)(rng % n);
}

int main(void)
{
    char buf[400];
    /* numerics: random integer and fraction digit strings, as numeric_out prints them */
    static const char *const fixed_num[] = {"0", "0.0", "0.00000000000000000001", "-0.0001",
                                            "NaN", "Infinity", "-Infinity", "1", "-1", "10000",
                                            "9999.9999", "100000000.00000001", "-12.50"};
    for (size_t i = 0; i < sizeof fixed_num / sizeof fixed_num[0]; i++)
        check_text(PGB_NUMERIC, fixed_num[i]);
    for (int i = 0; i < 200000; i++) {
        size_t o = 0;
        if (rnd(2))
            buf[o++] = '-';
        unsigned il = rnd(40), fl = rnd(3) ? rnd(30) : 0;
        if (il == 0) {
            buf[o++] = '0';
        } else {
            buf[o++] = (char)('1' + rnd(9));
            for (unsigned k = 1; k < il; k++)
                buf[o++] = (char)('0' + (rnd(4) ? rnd(10) : 0));
        }
        if (fl) {
            buf[o++] = '.';
            for (unsigned k = 0; k < fl; k++)
                buf[o++] = (char)('0' + (rnd(4) ? rnd(10) : 0));
        }
        buf[o] = '\0';
        if (strcmp(buf, "-0") == 0 || (buf[0] == '-' && strspn(buf + 1, "0.") == strlen(buf + 1)))
            continue; /* numeric has no negative zero */
        check_text(PGB_NUMERIC, buf);
    }
    /* dates: every day over several eras, and the ends of the range */
    static const char *const fixed_date[] = {"-4713-11-24", "-0043-03-15", "0000-01-01",
                                             "0000-12-31", "0001-01-01", "1999-12-31",
                                             "2000-01-01", "2000-02-29", "5874897-12-31",
                                             "infinity", "-infinity"};
    for (size_t i = 0; i < sizeof fixed_date / sizeof fixed_date[0]; i++)
        check_text(PGB_DATE, fixed_date[i]);
    for (int32_t d = -2451545; d < 2451545 * 2; d += 1 + (int32_t)rnd(3)) {
        pg_fmt_date(buf, d);
        check_text(PGB_DATE, buf);
    }
    /* timestamps with random microseconds, with and without Z */
    for (int i = 0; i < 200000; i++) {
        int64_t us = ((int64_t)rnd(4000000) - 3000000) * INT64_C(86400000000) / 10 +
                     (int64_t)rnd(86400) * 1000000 + (rnd(2) ? (int64_t)rnd(1000000) : 0);
        pg_fmt_timestamp(buf, us, rnd(2));
        check_text(PGB_TS, buf);
    }
    check_text(PGB_TS, "294276-12-31 23:59:59.999999");
    check_text(PGB_TS, "-4713-11-24 00:00:00Z");
    check_text(PGB_TS, "infinity");
    check_text(PGB_TS, "-infinity");
    /* times and times with zone */
    check_text(PGB_TIME, "24:00:00");
    check_text(PGB_TIME, "00:00:00.000001");
    for (int i = 0; i < 100000; i++) {
        pg_fmt_timetz(buf, (int64_t)rnd(86400) * 1000000 + (rnd(2) ? rnd(1000000) : 0),
                      (int32_t)rnd(57600 * 2) - 57600);
        check_text(PGB_TIMETZ, buf);
    }
    /* fixed binary inputs: numeric 1234.5678 (ndigits 2, weight 0, pos, dscale 4) */
    {
        const unsigned char num[] = {0, 2, 0, 0, 0, 0, 0, 4, 0x04, 0xD2, 0x16, 0x2E};
        char out[64];
        size_t n = pg_fmt_numeric(out, num, sizeof num);
        out[n] = '\0';
        if (strcmp(out, "1234.5678") != 0) {
            printf("FAIL numeric fixed: %s\n", out);
            failures++;
        }
        /* timestamp 0 = 2000-01-01 00:00:00; date -1 = 1999-12-31 */
        pg_fmt_timestamp(out, 0, true);
        if (strcmp(out, "2000-01-01 00:00:00Z") != 0) {
            printf("FAIL timestamp 0: %s\n", out);
            failures++;
        }
        pg_fmt_date(out, -1);
        if (strcmp(out, "1999-12-31") != 0) {
            printf("FAIL date -1: %s\n", out);
            failures++;
        }
    }
    printf("%s (%d failures)\n", failures ? "FAILED" : "ok", failures);
    return failures ? 1 : 0;
}
