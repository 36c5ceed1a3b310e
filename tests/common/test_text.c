/*
 * test_text.c - the text of portable values (common/dbc_text.h): integers, both float forms
 * (the shortest one against the plain search it shortcuts), UUIDs, fractions, intervals in
 * ISO 8601 and in units, bit strings, and dbc_value_text's choice per kind. Expected texts
 * are written out by hand from the forms PostgreSQL, MySQL and ISO 8601 define.
 */
#include <math.h>
#include <stdint.h>

#include "dbc_text.h"
#include "tutil.h"

#define CHECK_BUF(b, want)                                                                     \
    do {                                                                                       \
        if (!(b)->p || strcmp((b)->p, want) != 0 || (b)->len != strlen(want)) {                \
            fprintf(stderr, "%s:%d: got [%s], want [%s]\n", __FILE__, __LINE__,                \
                    (b)->p ? (b)->p : "(null)", want);                                         \
            t_failures++;                                                                        \
        }                                                                                      \
        dbc_buf_reset(b);                                                                      \
    } while (0)

static void test_ints(void)
{
    char t[DBC_NUM_TEXT];
    CHECK(dbc_int_text(t, INT64_MIN) == 20 && strcmp(t, "-9223372036854775808") == 0);
    CHECK(dbc_int_text(t, 0) == 1 && strcmp(t, "0") == 0);
    CHECK(dbc_uint_text(t, UINT64_MAX) == 20 && strcmp(t, "18446744073709551615") == 0);
}

static void test_float_text(void)
{
    char t[DBC_NUM_TEXT];
    CHECK(dbc_float_text(t, (double)0.1f, true) == 11 && strcmp(t, "0.100000001") == 0);
    CHECK(dbc_float_text(t, (double)0.1f, false) == 19 && strcmp(t, "0.10000000149011612") == 0);
    CHECK(dbc_float_text(t, 0.1, false) == 19 && strcmp(t, "0.10000000000000001") == 0);
    CHECK(dbc_float_text(t, -1e22, false) == 6 && strcmp(t, "-1e+22") == 0);
    CHECK(dbc_float_text(t, -2.2250738585072014e-308, false) == 24);
    CHECK(dbc_float_text(t, NAN, true) == 3 && strcmp(t, "NaN") == 0);
    CHECK(dbc_float_text(t, INFINITY, false) == 8 && strcmp(t, "Infinity") == 0);
    CHECK(dbc_float_text(t, -INFINITY, true) == 9 && strcmp(t, "-Infinity") == 0);
}

static void test_float_shortest_cases(void)
{
    char t[DBC_NUM_TEXT];
    CHECK(dbc_float_shortest(t, 0.1, false) == 3 && strcmp(t, "0.1") == 0);
    CHECK(dbc_float_shortest(t, (double)0.1f, true) == 3 && strcmp(t, "0.1") == 0);
    CHECK(dbc_float_shortest(t, (double)0.1f, false) == 19 && strcmp(t, "0.10000000149011612") == 0);
    CHECK(dbc_float_shortest(t, 1e10, true) == 5 && strcmp(t, "1e+10") == 0);
    /* the first precision that reads back: "%.1g" of 100 is already exact */
    CHECK(dbc_float_shortest(t, 100.0, false) == 5 && strcmp(t, "1e+02") == 0);
    CHECK(dbc_float_shortest(t, 123.0, false) == 3 && strcmp(t, "123") == 0);
    CHECK(dbc_float_shortest(t, -0.0, false) == 2 && strcmp(t, "-0") == 0);
    CHECK(dbc_float_shortest(t, 5e-324, false) == 6 && strcmp(t, "5e-324") == 0);
    CHECK(dbc_float_shortest(t, 1.7976931348623157e308, false) == 23 &&
          strcmp(t, "1.7976931348623157e+308") == 0);
    CHECK(dbc_float_shortest(t, (double)3.4028235e38f, true) == 13 &&
          strcmp(t, "3.4028235e+38") == 0);
    CHECK(dbc_float_shortest(t, NAN, false) == 3 && strcmp(t, "NaN") == 0);
    CHECK(dbc_float_shortest(t, -INFINITY, true) == 9 && strcmp(t, "-Infinity") == 0);
}

/* dbc_float_shortest against the plain search it shortcuts: try "%.*g" with p = 1, 2, ...
 * until the text reads back as the same value. */
static void test_float_shortest_search(void)
{
    uint64_t x = 88172645463325252ULL;
    char got[DBC_NUM_TEXT], want[64];
    int bad = 0;
    for (long i = 0; i < 300000; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        double d;
        memcpy(&d, &x, sizeof d); /* any bit pattern: subnormals, huge, tiny */
        if (i % 3 == 0)
            d = (double)(int64_t)(x % 2000000) / 100.0; /* money-like */
        else if (i % 3 == 1)
            d = (double)(x % 100000) / 1000.0 * ((x >> 20) % 2 ? 1 : -1);
        if (isnan(d) || isinf(d))
            continue;
        dbc_float_shortest(got, d, false);
        for (int p = 1; p <= 17; p++) {
            snprintf(want, sizeof want, "%.*g", p, d);
            if (strtod(want, NULL) == d)
                break;
        }
        if (strcmp(got, want) != 0 && bad++ < 5)
            fprintf(stderr, "double %a: got %s, want %s\n", d, got, want);
        float f = (float)d;
        if (isinf(f))
            continue;
        dbc_float_shortest(got, f, true);
        for (int p = 1; p <= 9; p++) {
            snprintf(want, sizeof want, "%.*g", p, (double)f);
            if (strtof(want, NULL) == f)
                break;
        }
        if (strcmp(got, want) != 0 && bad++ < 5)
            fprintf(stderr, "float %a: got %s, want %s\n", (double)f, got, want);
    }
    CHECK(bad == 0);
}

static void test_uuid_frac(void)
{
    static const uint8_t u[16] = {0xa0, 0xee, 0xbc, 0x99, 0x9c, 0x0b, 0x4e, 0xf8,
                                  0xbb, 0x6d, 0x6b, 0xb9, 0xbd, 0x38, 0x0a, 0x11};
    char t[37];
    dbc_uuid_text(t, u);
    CHECK(strcmp(t, "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11") == 0);
    dbc_buf b = {0};
    dbc_frac_text(&b, 0);
    CHECK(b.len == 0);
    dbc_frac_text(&b, 500000);
    CHECK_BUF(&b, ".5");
    dbc_frac_text(&b, 1);
    CHECK_BUF(&b, ".000001");
    dbc_frac_text(&b, 120300);
    CHECK_BUF(&b, ".1203");
    dbc_buf_free(&b);
}

static void test_intervals(void)
{
    dbc_buf b = {0};
    dbc_interval_iso(&b, 0, 0, 0);
    CHECK_BUF(&b, "PT0S");
    dbc_interval_iso(&b, 14, 3, INT64_C(3723500000));
    CHECK_BUF(&b, "P1Y2M3DT1H2M3.5S");
    dbc_interval_iso(&b, -1, -2, -500000);
    CHECK_BUF(&b, "P-1M-2DT-0.5S");
    dbc_interval_iso(&b, 12, 0, INT64_C(3600000000));
    CHECK_BUF(&b, "P1YT1H");
    dbc_interval_iso(&b, 0, 0, INT64_MIN);
    CHECK_BUF(&b, "PT-2562047788H-54.775808S");
    dbc_interval_units(&b, 14, 3, INT64_C(3723500000));
    CHECK_BUF(&b, "14 mons 3 days 1 hours 123.500000 secs");
    dbc_interval_units(&b, -1, 0, INT64_MIN);
    CHECK_BUF(&b, "-1 mons 0 days -2562047788 hours -54.775808 secs");
    dbc_interval_units(&b, 0, 0, 0);
    CHECK_BUF(&b, "0 mons 0 days 0 hours 0.000000 secs");
    dbc_buf_free(&b);
}

static void test_bits(void)
{
    dbc_buf b = {0};
    CHECK(dbc_bits_text(&b, "\x05", 1, 3));
    CHECK_BUF(&b, "101");
    CHECK(dbc_bits_text(&b, "\x01\x80", 2, 9));
    CHECK_BUF(&b, "110000000");
    CHECK(dbc_bits_text(&b, "\x00\x00", 2, 16));
    CHECK_BUF(&b, "0000000000000000");
    CHECK(!dbc_bits_text(&b, "\x09", 1, 3)); /* bit 3 set beyond bit(3) */
    CHECK(b.len == 0);
    CHECK(!dbc_bits_text(&b, "\x01", 1, 9)); /* fewer bits than asked */
    CHECK(b.len == 0);
    dbc_buf_free(&b);
}

static void test_value_text(void)
{
    dbc_buf b = {0};
    dbf_value v = {.kind = DBF_V_BOOL, .u.b = true};
    CHECK(dbc_value_text(&b, &v, DBF_T_BOOL));
    CHECK_BUF(&b, "true");
    v = (dbf_value){.kind = DBF_V_INT, .u.i = -42};
    CHECK(dbc_value_text(&b, &v, DBF_T_INT));
    CHECK_BUF(&b, "-42");
    v = (dbf_value){.kind = DBF_V_UINT, .u.u = UINT64_MAX};
    CHECK(dbc_value_text(&b, &v, DBF_T_INT));
    CHECK_BUF(&b, "18446744073709551615");
    v = (dbf_value){.kind = DBF_V_F32, .u.f32 = 0.1f};
    CHECK(dbc_value_text(&b, &v, DBF_T_FLOAT32));
    CHECK_BUF(&b, "0.1");
    v = (dbf_value){.kind = DBF_V_F64, .u.f64 = 2.5};
    CHECK(dbc_value_text(&b, &v, DBF_T_ANY));
    CHECK_BUF(&b, "2.5");
    v = (dbf_value){.kind = DBF_V_STR, .u.s = {"a\0b", 3}};
    CHECK(dbc_value_text(&b, &v, DBF_T_TEXT));
    CHECK(b.len == 3 && memcmp(b.p, "a\0b", 3) == 0);
    dbc_buf_reset(&b);
    v = (dbf_value){.kind = DBF_V_BIN, .u.s = {"0123456789abcdef", 16}};
    CHECK(dbc_value_text(&b, &v, DBF_T_UUID));
    CHECK_BUF(&b, "30313233-3435-3637-3839-616263646566");
    CHECK(!dbc_value_text(&b, &v, DBF_T_BYTES) && b.len == 0);
    v.u.s.len = 15;
    CHECK(!dbc_value_text(&b, &v, DBF_T_UUID) && b.len == 0);
    v = (dbf_value){.kind = DBF_V_INTERVAL, .u.iv = {1, 0, 0}};
    CHECK(dbc_value_text(&b, &v, DBF_T_INTERVAL));
    CHECK_BUF(&b, "P1M");
    v = (dbf_value){.kind = DBF_V_NULL};
    CHECK(!dbc_value_text(&b, &v, DBF_T_TEXT) && b.len == 0);
    v = (dbf_value){.kind = DBF_V_ARRAY};
    CHECK(!dbc_value_text(&b, &v, DBF_T_ARRAY) && b.len == 0);
    dbc_buf_free(&b);
}

int main(void)
{
    test_ints();
    test_float_text();
    test_float_shortest_cases();
    test_float_shortest_search();
    test_uuid_frac();
    test_intervals();
    test_bits();
    test_value_text();
    return t_done("test_text");
}
