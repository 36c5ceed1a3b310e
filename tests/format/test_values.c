/*
 * test_values.c - every portable type round trips exactly, edge values included.
 *
 * Each case is a one-column table with one row: the archive holds them all, the reader
 * must give back each value bit for bit (floats compared by bit pattern).
 */
#include <float.h>
#include <math.h>

#include "tutil.h"

#define MAX_CASES 160

typedef struct tcase {
    const char *label;
    dbf_column col;
    dbf_value v;      /* written */
    dbf_value expect; /* read back (same as v unless noted) */
    int has_expect;
} tcase;

static tcase cases[MAX_CASES];
static int ncases;

static dbf_column mkcol(dbf_type t)
{
    dbf_column c = {.name = "v", .type = t, .length = -1, .precision = -1, .scale = -1};
    return c;
}

static tcase *add(const char *label, dbf_column col, dbf_value v)
{
    REQUIRE(ncases < MAX_CASES);
    tcase *c = &cases[ncases++];
    c->label = label;
    c->col = col;
    c->v = v;
    return c;
}

static dbf_value vnull(void) { return (dbf_value){.kind = DBF_V_NULL}; }
static dbf_value vbool(bool b) { return (dbf_value){.kind = DBF_V_BOOL, .u.b = b}; }
static dbf_value vint(int64_t i) { return (dbf_value){.kind = DBF_V_INT, .u.i = i}; }
static dbf_value vuint(uint64_t u) { return (dbf_value){.kind = DBF_V_UINT, .u.u = u}; }
static dbf_value vstrn(const char *s, size_t n)
{
    return (dbf_value){.kind = DBF_V_STR, .u.s = {s, n}};
}
static dbf_value vstr(const char *s) { return vstrn(s, strlen(s)); }
static dbf_value vbin(const void *p, size_t n)
{
    return (dbf_value){.kind = DBF_V_BIN, .u.s = {p, n}};
}
static dbf_value vf32bits(uint32_t bits)
{
    dbf_value v = {.kind = DBF_V_F32};
    memcpy(&v.u.f32, &bits, 4);
    return v;
}
static dbf_value vf64bits(uint64_t bits)
{
    dbf_value v = {.kind = DBF_V_F64};
    memcpy(&v.u.f64, &bits, 8);
    return v;
}
static dbf_value viv(int32_t m, int32_t d, int64_t us)
{
    dbf_value v = {.kind = DBF_V_INTERVAL};
    v.u.iv.months = m;
    v.u.iv.days = d;
    v.u.iv.micros = us;
    return v;
}

static int value_eq(const dbf_value *a, const dbf_value *b)
{
    if (a->kind != b->kind)
        return 0;
    switch (a->kind) {
    case DBF_V_NULL: return 1;
    case DBF_V_BOOL: return a->u.b == b->u.b;
    case DBF_V_INT: return a->u.i == b->u.i;
    case DBF_V_UINT: return a->u.u == b->u.u;
    case DBF_V_F32: return memcmp(&a->u.f32, &b->u.f32, 4) == 0;
    case DBF_V_F64: return memcmp(&a->u.f64, &b->u.f64, 8) == 0;
    case DBF_V_STR:
    case DBF_V_BIN:
        return a->u.s.len == b->u.s.len &&
               (a->u.s.len == 0 || memcmp(a->u.s.ptr, b->u.s.ptr, a->u.s.len) == 0);
    case DBF_V_INTERVAL:
        return a->u.iv.months == b->u.iv.months && a->u.iv.days == b->u.iv.days &&
               a->u.iv.micros == b->u.iv.micros;
    case DBF_V_ARRAY:
        if (a->u.arr.ndims != b->u.arr.ndims || a->u.arr.nelems != b->u.arr.nelems)
            return 0;
        for (int d = 0; d < a->u.arr.ndims; d++)
            if (a->u.arr.dims[d] != b->u.arr.dims[d] ||
                a->u.arr.lbounds[d] != b->u.arr.lbounds[d])
                return 0;
        for (size_t i = 0; i < a->u.arr.nelems; i++)
            if (!value_eq(&a->u.arr.elems[i], &b->u.arr.elems[i]))
                return 0;
        return 1;
    }
    return 0;
}

static unsigned char *big_random;
static unsigned char *mib_plus;
static const size_t BIG = 16u << 20;

static void build_cases(void)
{
    /* any (SQLite dynamic typing): each storage class */
    add("any int min", mkcol(DBF_T_ANY), vint(INT64_MIN));
    add("any int max", mkcol(DBF_T_ANY), vint(INT64_MAX));
    add("any uint max", mkcol(DBF_T_ANY), vuint(UINT64_MAX));
    add("any real", mkcol(DBF_T_ANY), vf64bits(0x400a000000000000ull));
    add("any text", mkcol(DBF_T_ANY), vstr("12 apples"));
    add("any blob", mkcol(DBF_T_ANY), vbin("\x00\x01", 2));
    add("any null", mkcol(DBF_T_ANY), vnull());
    /* bool */
    add("bool true", mkcol(DBF_T_BOOL), vbool(true));
    add("bool false", mkcol(DBF_T_BOOL), vbool(false));
    add("bool null", mkcol(DBF_T_BOOL), vnull());
    /* int */
    add("int64 min", mkcol(DBF_T_INT), vint(INT64_MIN));
    add("int64 max", mkcol(DBF_T_INT), vint(INT64_MAX));
    add("int64 -1", mkcol(DBF_T_INT), vint(-1));
    add("int64 0", mkcol(DBF_T_INT), vint(0));
    dbf_column u64 = mkcol(DBF_T_INT);
    u64.is_unsigned = true;
    add("uint64 max", u64, vuint(UINT64_MAX));
    /* an unsigned value that fits int64 is read back as DBF_V_INT (spec: reader kinds) */
    tcase *c = add("uint64 small", u64, vuint(42));
    c->expect = vint(42);
    c->has_expect = 1;
    add("uint64 2^63", u64, vuint((uint64_t)1 << 63));
    dbf_column i8 = mkcol(DBF_T_INT);
    i8.bits = 8;
    add("int8 min", i8, vint(-128));
    add("int8 max", i8, vint(127));
    dbf_column u24 = mkcol(DBF_T_INT);
    u24.bits = 24;
    u24.is_unsigned = true;
    add("uint24 max", u24, vint(16777215));
    add("year", mkcol(DBF_T_YEAR), vint(2155));
    add("year 0", mkcol(DBF_T_YEAR), vint(0));
    /* float32 */
    add("f32 max", mkcol(DBF_T_FLOAT32), vf32bits(0x7f7fffffu));
    add("f32 -0", mkcol(DBF_T_FLOAT32), vf32bits(0x80000000u));
    add("f32 denormal min", mkcol(DBF_T_FLOAT32), vf32bits(0x00000001u));
    add("f32 +inf", mkcol(DBF_T_FLOAT32), vf32bits(0x7f800000u));
    add("f32 -inf", mkcol(DBF_T_FLOAT32), vf32bits(0xff800000u));
    add("f32 qNaN payload", mkcol(DBF_T_FLOAT32), vf32bits(0x7fc12345u));
    add("f32 -qNaN payload", mkcol(DBF_T_FLOAT32), vf32bits(0xffc00001u));
    /* signaling float32 NaNs are stored quieted (spec 3: readers convert through double) */
    c = add("f32 sNaN", mkcol(DBF_T_FLOAT32), vf32bits(0x7f812345u));
    c->expect = vf32bits(0x7fc12345u);
    c->has_expect = 1;
    /* float64: every bit pattern exact, signaling NaNs included */
    add("f64 NaN payload", mkcol(DBF_T_FLOAT64), vf64bits(0x7ff8000000abcdefull));
    add("f64 sNaN payload", mkcol(DBF_T_FLOAT64), vf64bits(0x7ff0000000000001ull));
    add("f64 -NaN", mkcol(DBF_T_FLOAT64), vf64bits(0xfff8000000000000ull));
    add("f64 +inf", mkcol(DBF_T_FLOAT64), vf64bits(0x7ff0000000000000ull));
    add("f64 -inf", mkcol(DBF_T_FLOAT64), vf64bits(0xfff0000000000000ull));
    add("f64 -0", mkcol(DBF_T_FLOAT64), vf64bits(0x8000000000000000ull));
    add("f64 5e-324", mkcol(DBF_T_FLOAT64), vf64bits(0x0000000000000001ull));
    add("f64 max", mkcol(DBF_T_FLOAT64), vf64bits(0x7fefffffffffffffull));
    add("f64 0.1", mkcol(DBF_T_FLOAT64), vf64bits(0x3fb999999999999aull));
    /* decimal */
    add("decimal 80 digits", mkcol(DBF_T_DECIMAL),
        vstr("-12345678901234567890123456789012345678901234567890.123456789012345678901234567"
             "890"));
    add("decimal trailing zero", mkcol(DBF_T_DECIMAL), vstr("1.50"));
    add("decimal 0", mkcol(DBF_T_DECIMAL), vstr("0"));
    add("decimal NaN", mkcol(DBF_T_DECIMAL), vstr("NaN"));
    add("decimal Infinity", mkcol(DBF_T_DECIMAL), vstr("Infinity"));
    add("decimal -Infinity", mkcol(DBF_T_DECIMAL), vstr("-Infinity"));
    /* text */
    add("text NUL + invalid UTF-8", mkcol(DBF_T_TEXT), vstrn("a\0b\xff\xfe\xc3(", 7));
    add("text empty", mkcol(DBF_T_TEXT), vstrn(NULL, 0));
    add("text ENC secret", mkcol(DBF_T_TEXT), vstr("ENC:v3:key1:00ff10ab"));
    add("text utf8", mkcol(DBF_T_TEXT), vstr("h\xc3\xa9llo \xe2\x82\xac \xf0\x9f\x98\x80"));
    /* bytes */
    add("bytes empty", mkcol(DBF_T_BYTES), vbin(NULL, 0));
    add("bytes 16 MiB random", mkcol(DBF_T_BYTES), vbin(big_random, BIG));
    add("bytes 1 MiB exactly", mkcol(DBF_T_BYTES), vbin(mib_plus, 1u << 20));
    add("bytes 1 MiB + 1", mkcol(DBF_T_BYTES), vbin(mib_plus, (1u << 20) + 1));
    add("text 3 MiB", mkcol(DBF_T_TEXT), vstrn((const char *)big_random, 3u << 20));
    /* temporal */
    add("date", mkcol(DBF_T_DATE), vstr("2024-02-29"));
    add("date negative year", mkcol(DBF_T_DATE), vstr("-4713-11-24"));
    add("date year 0", mkcol(DBF_T_DATE), vstr("0000-01-01"));
    add("date infinity", mkcol(DBF_T_DATE), vstr("infinity"));
    add("date -infinity", mkcol(DBF_T_DATE), vstr("-infinity"));
    add("date mysql zero", mkcol(DBF_T_DATE), vstr("0000-00-00"));
    add("time mysql max", mkcol(DBF_T_TIME), vstr("838:59:59"));
    add("time negative", mkcol(DBF_T_TIME), vstr("-838:59:59"));
    add("time micro", mkcol(DBF_T_TIME), vstr("00:00:00.000001"));
    add("timetz", mkcol(DBF_T_TIMETZ), vstr("23:59:59.999999+14"));
    add("timetz minutes", mkcol(DBF_T_TIMETZ), vstr("00:00:00-12:30"));
    add("timestamp", mkcol(DBF_T_TIMESTAMP), vstr("2024-01-01 00:00:00"));
    add("timestamp zero", mkcol(DBF_T_TIMESTAMP), vstr("0000-00-00 00:00:00"));
    add("timestamp far", mkcol(DBF_T_TIMESTAMP), vstr("294276-12-31 23:59:59.999999"));
    add("timestamptz", mkcol(DBF_T_TIMESTAMPTZ), vstr("1970-01-01 00:00:00Z"));
    add("timestamptz -infinity", mkcol(DBF_T_TIMESTAMPTZ), vstr("-infinity"));
    add("timestamptz BC", mkcol(DBF_T_TIMESTAMPTZ), vstr("-0044-03-15 12:00:00.5Z"));
    /* what the engines write (spec/FORMAT.md section 4's text rules) */
    add("date 5 digits", mkcol(DBF_T_DATE), vstr("10000-01-01"));
    add("date pg max", mkcol(DBF_T_DATE), vstr("5874897-12-31"));
    add("date mysql invalid", mkcol(DBF_T_DATE), vstr("2020-02-31"));
    add("date mysql partial", mkcol(DBF_T_DATE), vstr("2020-00-15"));
    add("time pg 24h", mkcol(DBF_T_TIME), vstr("24:00:00"));
    add("time over 24h", mkcol(DBF_T_TIME), vstr("100:00:00.5"));
    add("time negative small", mkcol(DBF_T_TIME), vstr("-00:00:01.25"));
    add("timetz 24h", mkcol(DBF_T_TIMETZ), vstr("24:00:00+00"));
    add("timetz seconds", mkcol(DBF_T_TIMETZ), vstr("12:00:00+05:30:15"));
    add("timetz -15:59:59", mkcol(DBF_T_TIMETZ), vstr("12:00:00-15:59:59"));
    add("timestamp infinity", mkcol(DBF_T_TIMESTAMP), vstr("infinity"));
    add("timestamp mysql invalid", mkcol(DBF_T_TIMESTAMP), vstr("2020-02-31 23:59:59.000001"));
    add("timestamptz mysql zero", mkcol(DBF_T_TIMESTAMPTZ), vstr("0000-00-00 00:00:00Z"));
    add("year 0", mkcol(DBF_T_YEAR), vint(0));
    add("year 2155", mkcol(DBF_T_YEAR), vint(2155));
    add("year(2) as shown", mkcol(DBF_T_YEAR), vint(69));
    /* interval */
    add("interval extremes", mkcol(DBF_T_INTERVAL), viv(INT32_MIN, INT32_MAX, INT64_MIN));
    add("interval max micros", mkcol(DBF_T_INTERVAL), viv(0, 0, INT64_MAX));
    add("interval mixed", mkcol(DBF_T_INTERVAL), viv(-1, 30, 86400000000LL));
    /* uuid, json, enum, set, bit, native */
    add("uuid", mkcol(DBF_T_UUID),
        vbin("\x12\x3e\x45\x67\xe8\x9b\x12\xd3\xa4\x56\x42\x66\x14\x17\x40\x00", 16));
    add("json", mkcol(DBF_T_JSON), vstr("{\"a\": [1, 2.5e300, null], \"b\": \"\\u0000\"}"));
    dbf_column en = mkcol(DBF_T_ENUM);
    static const char *const labels[] = {"sad", "happy"};
    en.labels = labels;
    en.nlabels = 2;
    add("enum", en, vstr("happy"));
    add("enum empty (MySQL's error value)", en, vstr(""));
    add("set", mkcol(DBF_T_SET), vstr("a,b"));
    dbf_column st = mkcol(DBF_T_SET);
    static const char *const members[] = {"a", "b", "c d"};
    st.labels = members;
    st.nlabels = 3;
    add("set with labels", st, vstr("a,c d"));
    add("set empty", st, vstr(""));
    dbf_column bit = mkcol(DBF_T_BIT);
    bit.length = 9;
    add("bit(9)", bit, vbin("\x01\x4b", 2)); /* b'101001011', right-aligned */
    dbf_column nat = mkcol(DBF_T_NATIVE);
    nat.native_type = "point";
    add("native point", nat, vstr("(1,2)"));
}

/* text that breaks its type's rule: refused (writer DBF_EINVAL; the reader: corrupt) */
static void refused_texts(void)
{
    static const char *const labels[] = {"sad", "happy"};
    static const struct {
        dbf_type t;
        const char *text;
    } bad[] = {
        {DBF_T_DATE, "2020-1-1"},         {DBF_T_DATE, "20-01-01"},
        {DBF_T_DATE, "02020-01-01"},      {DBF_T_DATE, "-0000-01-01"},
        {DBF_T_DATE, "+2020-01-01"},      {DBF_T_DATE, "2020-13-01"},
        {DBF_T_DATE, "2020-01-32"},       {DBF_T_DATE, "2020-01-01 "},
        {DBF_T_DATE, "Infinity"},         {DBF_T_DATE, ""},
        {DBF_T_TIME, "25:61:00"},         {DBF_T_TIME, "12:00:60"},
        {DBF_T_TIME, "1:00:00"},          {DBF_T_TIME, "839:00:00"},
        {DBF_T_TIME, "012:00:00"},        {DBF_T_TIME, "12:00:00.500"},
        {DBF_T_TIME, "12:00:00."},        {DBF_T_TIME, "12:00:00.1234567"},
        {DBF_T_TIME, "12:00"},            {DBF_T_TIMETZ, "12:00:00"},
        {DBF_T_TIMETZ, "25:00:00+00"},    {DBF_T_TIMETZ, "24:00:00.5+00"},
        {DBF_T_TIMETZ, "12:00:00+16"},    {DBF_T_TIMETZ, "12:00:00+5"},
        {DBF_T_TIMETZ, "12:00:00+05:60"}, {DBF_T_TIMETZ, "-01:00:00+00"},
        {DBF_T_TIMESTAMP, "2020-01-01T00:00:00"},
        {DBF_T_TIMESTAMP, "2020-01-01 24:00:00"},
        {DBF_T_TIMESTAMP, "2020-01-01 00:00:00Z"},
        {DBF_T_TIMESTAMP, "2020-01-01"},
        {DBF_T_TIMESTAMPTZ, "2020-01-01 00:00:00"},
        {DBF_T_TIMESTAMPTZ, "2020-01-01 00:00:00+00"},
        {DBF_T_TIMESTAMPTZ, "2020-01-01 00:00:00.000Z"},
        {DBF_T_ENUM, "angry"},            {DBF_T_ENUM, "Sad"},
        {DBF_T_SET, "happy,sad"},         {DBF_T_SET, "sad,sad"},
        {DBF_T_SET, "sad,"},              {DBF_T_SET, "sad,angry"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        dbf_column c = mkcol(bad[i].t);
        if (bad[i].t == DBF_T_ENUM || bad[i].t == DBF_T_SET) {
            c.labels = labels;
            c.nlabels = 2;
        }
        dbf_table t = {.id = 1, .name = "t", .columns = &c, .ncolumns = 1};
        dbf_value v = vstr(bad[i].text);
        dbf_digest d;
        dbf_error e = {0, ""};
        dbf_digest_init(&d);
        int rc = dbf_digest_add_row(&d, &t, &v, 1, &e);
        if (rc != DBF_EINVAL) {
            fprintf(stderr, "%s '%s': %s, want refused\n", dbf_type_name(bad[i].t),
                    bad[i].text, dbf_strerror(rc));
            t_failures++;
        }
    }
    static const int64_t years[] = {-1, 2156, 9999};
    for (size_t i = 0; i < 3; i++) {
        dbf_column c = mkcol(DBF_T_YEAR);
        dbf_table t = {.id = 1, .name = "t", .columns = &c, .ncolumns = 1};
        dbf_value v = vint(years[i]);
        dbf_digest d;
        dbf_error e = {0, ""};
        dbf_digest_init(&d);
        CHECK(dbf_digest_add_row(&d, &t, &v, 1, &e) == DBF_EINVAL);
    }
}

/* arrays need element storage that outlives build_cases */
static dbf_value arr_el[6], arr_txt[2];

static void build_array_cases(void)
{
    dbf_column ai = mkcol(DBF_T_ARRAY);
    ai.elem_type = DBF_T_INT;
    arr_el[0] = vint(1);
    arr_el[1] = vnull();
    arr_el[2] = vint(INT64_MIN);
    arr_el[3] = vint(4);
    arr_el[4] = vnull();
    arr_el[5] = vint(6);
    dbf_value a = {.kind = DBF_V_ARRAY};
    a.u.arr.elems = arr_el;
    a.u.arr.nelems = 6;
    a.u.arr.ndims = 2;
    a.u.arr.dims[0] = 2;
    a.u.arr.dims[1] = 3;
    a.u.arr.lbounds[0] = 0;
    a.u.arr.lbounds[1] = -5;
    add("array int 2x3 with NULLs", ai, a);
    dbf_value e = {.kind = DBF_V_ARRAY};
    add("array empty", ai, e);
    add("array null", ai, vnull());
    dbf_column at = mkcol(DBF_T_ARRAY);
    at.elem_type = DBF_T_TEXT;
    arr_txt[0] = vstrn("x\0y", 3);
    arr_txt[1] = vstr("");
    dbf_value t = {.kind = DBF_V_ARRAY};
    t.u.arr.elems = arr_txt;
    t.u.arr.nelems = 2;
    t.u.arr.ndims = 1;
    t.u.arr.dims[0] = 2;
    t.u.arr.lbounds[0] = 1;
    add("array text", at, t);
    dbf_column aiv = mkcol(DBF_T_ARRAY);
    aiv.elem_type = DBF_T_INTERVAL;
    static dbf_value ivs[1];
    ivs[0] = viv(1, 2, 3);
    dbf_value iv = {.kind = DBF_V_ARRAY};
    iv.u.arr.elems = ivs;
    iv.u.arr.nelems = 1;
    iv.u.arr.ndims = 1;
    iv.u.arr.dims[0] = 1;
    iv.u.arr.lbounds[0] = 1;
    add("array interval", aiv, iv);
}

int main(void)
{
    dbf_error e = {0, ""};
    big_random = malloc(BIG);
    mib_plus = malloc((1u << 20) + 1);
    REQUIRE(big_random != NULL && mib_plus != NULL);
    uint64_t x = 0x9e3779b97f4a7c15ull;
    for (size_t i = 0; i < BIG; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        big_random[i] = (unsigned char)x;
    }
    for (size_t i = 0; i < (1u << 20) + 1; i++)
        mib_plus[i] = (unsigned char)(i % 251);
    build_cases();
    build_array_cases();
    refused_texts();

    t_buf out = {0};
    dbf_writer_opts wo = DBF_WRITER_OPTS_INIT;
    wo.write = t_buf_write;
    wo.ctx = &out;
    dbf_writer *w = NULL;
    REQUIRE_OK(dbf_writer_create(&w, &wo, &e), &e);
    dbf_header h = {.producer = "test_values"};
    REQUIRE_OK(dbf_writer_header(w, &h, &e), &e);
    static char names[MAX_CASES][16];
    for (int i = 0; i < ncases; i++) {
        snprintf(names[i], sizeof(names[i]), "t%d", i);
        dbf_table t = {.id = (uint32_t)(i + 1), .name = names[i], .columns = &cases[i].col,
                       .ncolumns = 1, .row_estimate = -1};
        REQUIRE_OK(dbf_writer_table(w, &t, &e), &e);
    }
    for (int i = 0; i < ncases; i++) {
        REQUIRE_OK(dbf_writer_data_begin(w, (uint32_t)(i + 1), &e), &e);
        int rc = dbf_writer_row(w, (uint32_t)(i + 1), &cases[i].v, 1, &e);
        if (rc != 0) {
            fprintf(stderr, "case %s: write failed: %s\n", cases[i].label, e.msg);
            t_failures++;
        }
        REQUIRE_OK(dbf_writer_data_end(w, (uint32_t)(i + 1), &e), &e);
    }
    REQUIRE_OK(dbf_writer_finish(w, &e), &e);
    dbf_writer_free(w);
    printf("%d cases, archive %zu bytes\n", ncases, out.len);

    /* read back, with small reads to exercise buffer refills */
    for (int pass = 0; pass < 2; pass++) {
        t_src src = {out.p, out.len, 0, pass == 0 ? 0 : 1000};
        dbf_reader_opts ro = DBF_READER_OPTS_INIT;
        ro.read = t_src_read;
        ro.ctx = &src;
        dbf_reader *r = NULL;
        REQUIRE_OK(dbf_reader_create(&r, &ro, &e), &e);
        int seen = 0, ends = 0;
        for (;;) {
            dbf_msg m;
            REQUIRE_OK(dbf_reader_next(r, &m, &e), &e);
            if (m.kind == DBF_MSG_END)
                break;
            if (m.kind == DBF_MSG_TABLE) {
                int i = (int)m.table->id - 1;
                CHECK(m.table->ncolumns == 1);
                CHECK(m.table->columns[0].type == cases[i].col.type);
                CHECK(m.table->columns[0].bits ==
                      (cases[i].col.type == DBF_T_INT
                           ? (cases[i].col.bits ? cases[i].col.bits : 64) : 0));
                CHECK(m.table->columns[0].is_unsigned == cases[i].col.is_unsigned);
                CHECK(m.table->columns[0].elem_type == cases[i].col.elem_type);
                CHECK(m.table->columns[0].length == cases[i].col.length);
            }
            if (m.kind == DBF_MSG_ROW) {
                int i = (int)m.table->id - 1;
                REQUIRE(i >= 0 && i < ncases && m.nvalues == 1);
                const dbf_value *want = cases[i].has_expect ? &cases[i].expect : &cases[i].v;
                if (!value_eq(&m.values[0], want)) {
                    fprintf(stderr, "case %s: value differs after round trip (kind %d)\n",
                            cases[i].label, m.values[0].kind);
                    t_failures++;
                }
                CHECK(m.row_number == 1);
                seen++;
            }
            if (m.kind == DBF_MSG_DATA_END) {
                CHECK(m.end->rows == 1);
                /* the archived digest equals the digest of the original value */
                dbf_digest d;
                uint8_t dd[DBF_DIGEST_SIZE];
                int i = (int)m.table->id - 1;
                dbf_digest_init(&d);
                REQUIRE_OK(dbf_digest_add_row(&d, m.table, &cases[i].v, 1, &e), &e);
                dbf_digest_final(&d, dd);
                CHECK(memcmp(dd, m.end->digest, DBF_DIGEST_SIZE) == 0);
                ends++;
            }
            if (m.kind == DBF_MSG_TRAILER) {
                CHECK(m.trailer->tables == (uint64_t)ncases);
                CHECK(m.trailer->rows == (uint64_t)ncases);
            }
        }
        CHECK(seen == ncases);
        CHECK(ends == ncases);
        CHECK(dbf_reader_bytes_in(r) == out.len);
        dbf_reader_free(r);
    }
    free(out.p);
    free(big_random);
    free(mib_plus);
    return t_done("test_values");
}
