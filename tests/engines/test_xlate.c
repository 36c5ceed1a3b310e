/*
 * test_xlate.c - unit tests of the cross-engine translation layer (engines/xlate.h).
 *
 * Every expectation below is written by hand from spec/TYPES.md, "Cross-engine matrix":
 * identifiers, the type matrix (every portable type x every target dialect), SQLite
 * declared-type inference, value conversions with their refusals and --lossy rules,
 * defaults, objects, the plan and the verify digest.
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dbc.h"
#include "xlate.h"
#include "xlate_int.h"
#include "xlate_tvals.h"

static int failures, checks;

#define CHECK(cond, ...)                                                                       \
    do {                                                                                       \
        checks++;                                                                              \
        if (!(cond)) {                                                                         \
            failures++;                                                                        \
            fprintf(stderr, "%s:%d: ", __FILE__, __LINE__);                                    \
            fprintf(stderr, __VA_ARGS__);                                                      \
            fputc('\n', stderr);                                                               \
        }                                                                                      \
    } while (0)

#define CHECK_STR(got, want)                                                                   \
    do {                                                                                       \
        const char *g_ = (got), *w_ = (want);                                                  \
        CHECK(g_ && strcmp(g_, w_) == 0, "got  [%s]\n    want [%s]", g_ ? g_ : "(null)", w_);  \
    } while (0)

#define SQ DBE_SQLITE
#define PG DBE_POSTGRESQL
#define MY DBE_MYSQL

static dbf_column icol(unsigned bits, bool uns)
{
    dbf_column c = col("c", DBF_T_INT);
    c.bits = bits;
    c.is_unsigned = uns;
    return c;
}

static dbf_column any_col(const char *decl)
{
    dbf_column c = col("c", DBF_T_ANY);
    c.native_type = decl;
    return c;
}

static dbf_table one_table(const char *name, const dbf_column *cols, size_t n)
{
    dbf_table t;
    memset(&t, 0, sizeof t);
    t.id = 1;
    t.name = name;
    t.columns = cols;
    t.ncolumns = n;
    t.row_estimate = -1;
    return t;
}

/* ------------------------------------------------------------- identifiers */

static void quote_is(dbe_id d, const char *name, const char *want)
{
    char *q = NULL;
    dbf_error e = {0};
    int rc = dbe_xlate_quote_ident(&q, d, name, &e);
    CHECK(rc == 0, "quote %s: rc %d %s", name, rc, e.msg);
    if (rc == 0)
        CHECK_STR(q, want);
    free(q);
}

static void quote_fails(dbe_id d, const char *name, const char *msgpart)
{
    char *q = NULL;
    dbf_error e = {0};
    int rc = dbe_xlate_quote_ident(&q, d, name, &e);
    CHECK(rc == DBF_EUNSUPPORTED, "quote %s should fail, rc %d", name, rc);
    CHECK(strstr(e.msg, msgpart), "message [%s] lacks [%s]", e.msg, msgpart);
    free(q);
}

static void test_identifiers(void)
{
    quote_is(PG, "a\"b", "\"a\"\"b\"");
    quote_is(SQ, "a\"b", "\"a\"\"b\"");
    quote_is(MY, "a\"b", "`a\"b`");
    quote_is(PG, "a`b", "\"a`b\"");
    quote_is(MY, "a`b", "`a``b`");
    quote_is(PG, "x; DROP TABLE t; --", "\"x; DROP TABLE t; --\"");
    quote_is(MY, "x; DROP TABLE t; --", "`x; DROP TABLE t; --`");
    quote_is(SQ, "line\nbreak", "\"line\nbreak\"");
    quote_is(MY, "line\nbreak", "`line\nbreak`");
    quote_is(PG, "gr\xc3\xb6\xc3\x9f" "e", "\"gr\xc3\xb6\xc3\x9f" "e\"");
    quote_is(PG, "select", "\"select\"");
    quote_is(MY, "order", "`order`");
    quote_is(SQ, "Table", "\"Table\"");

    /* PostgreSQL: 63 bytes, cut on a character boundary */
    char longa[80], want[90];
    memset(longa, 'a', 70);
    longa[70] = '\0';
    snprintf(want, sizeof want, "\"%.63s\"", longa);
    quote_is(PG, longa, want);
    quote_is(SQ, longa, "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"");
    char mb[80];
    memset(mb, 'a', 62);
    memcpy(mb + 62, "\xc3\xa9" "b", 4); /* é straddles byte 63 */
    snprintf(want, sizeof want, "\"%.62s\"", mb);
    quote_is(PG, mb, want);

    /* MySQL: 64 characters */
    char e70[200], e64[200];
    for (int i = 0; i < 70; i++)
        memcpy(e70 + 2 * i, "\xc3\xa9", 2);
    e70[140] = '\0';
    e64[0] = '`';
    memcpy(e64 + 1, e70, 128);
    memcpy(e64 + 129, "`", 2);
    quote_is(MY, e70, e64);
    quote_is(MY, longa, "`aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa`");
    quote_fails(MY, "smile\xf0\x9f\x98\x80", "Basic Multilingual Plane");
    quote_fails(MY, "trailing ", "ends with a space");
    quote_fails(PG, "", "empty identifier");
    quote_fails(PG, "bad\xff", "not valid UTF-8");

    /* collisions */
    char l1[80], l2[80];
    memset(l1, 'x', 63);
    memcpy(l1 + 63, "_one", 5);
    memset(l2, 'x', 63);
    memcpy(l2 + 63, "_two", 5);
    const char *names[] = {"id", l1, l2};
    dbf_error e = {0};
    int rc = dbe_xlate_check_names(PG, names, 3, "columns of table \"t\"", &e);
    CHECK(rc == DBF_EUNSUPPORTED, "truncation collision not detected");
    CHECK(strstr(e.msg, "_one") && strstr(e.msg, "_two") && strstr(e.msg, "truncation"),
          "collision message: %s", e.msg);
    CHECK(dbe_xlate_check_names(SQ, names, 3, "columns", &e) == 0, "SQLite has no limit");
    const char *cases[] = {"Name", "name"};
    CHECK(dbe_xlate_check_names(PG, cases, 2, "columns", &e) == 0, "PG is case-sensitive");
    rc = dbe_xlate_check_names(MY, cases, 2, "columns of table \"t\"", &e);
    CHECK(rc == DBF_EUNSUPPORTED && strstr(e.msg, "\"Name\" and \"name\"") &&
              strstr(e.msg, "case-insensitively"),
          "MySQL case collision: %d %s", rc, e.msg);
    CHECK(dbe_xlate_check_names(SQ, cases, 2, "columns", &e) == DBF_EUNSUPPORTED,
          "SQLite case collision");

    /* a table whose columns collide after truncation is refused, naming both */
    dbf_column cc[2] = {col(l1, DBF_T_INT), col(l2, DBF_T_INT)};
    cc[0].bits = cc[1].bits = 32;
    dbf_table t = one_table("t", cc, 2);
    dbf_header h = {.engine = "mysql"};
    dbe_xlate *x = NULL;
    rc = dbe_xlate_table_create(&x, PG, &h, &t, NULL, &e);
    CHECK(rc == DBF_EUNSUPPORTED && x == NULL && strstr(e.msg, l1) && strstr(e.msg, "_two"),
          "table with colliding columns: %d %s", rc, e.msg);
    dbe_xlate_free(x);

    CHECK(dbe_id_named("mariadb") == MY, "mariadb");
    CHECK(dbe_id_named("postgresql") == PG, "postgresql");
    CHECK(dbe_id_named("sqlite") == SQ, "sqlite");
    CHECK(dbe_id_named("oracle") == 0, "oracle");
}

/* ------------------------------------------------------------- type matrix */

typedef struct tcase {
    const char *engine; /* source engine */
    dbf_column c;
    const char *pg, *my, *sq; /* column clause type text per target */
    dbf_type pg_t, my_t;      /* published portable type (SQLite: always any) */
} tcase;

#define CS " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"

static const char *const labels2[] = {"a", "b"};

static void test_type_matrix(void)
{
    dbf_column c_dec = col("c", DBF_T_DECIMAL);
    c_dec.precision = 10;
    c_dec.scale = 2;
    dbf_column c_decu = col("c", DBF_T_DECIMAL);
    dbf_column c_dec70 = col("c", DBF_T_DECIMAL);
    c_dec70.precision = 70;
    c_dec70.scale = 10;
    dbf_column c_vc = col("c", DBF_T_TEXT);
    c_vc.length = 20;
    dbf_column c_time = col("c", DBF_T_TIME);
    c_time.precision = 6;
    dbf_column c_mtime = col("c", DBF_T_TIME);
    c_mtime.precision = 0;
    dbf_column c_ts3 = col("c", DBF_T_TIMESTAMP);
    c_ts3.precision = 3;
    dbf_column c_tstz = col("c", DBF_T_TIMESTAMPTZ);
    c_tstz.precision = 6;
    dbf_column c_jsonb = col("c", DBF_T_JSON);
    c_jsonb.native_type = "jsonb";
    dbf_column c_enum = col("c", DBF_T_ENUM);
    c_enum.labels = labels2;
    c_enum.nlabels = 2;
    dbf_column c_set = col("c", DBF_T_SET);
    c_set.labels = labels2;
    c_set.nlabels = 2;
    dbf_column c_bit5 = col("c", DBF_T_BIT);
    c_bit5.length = 5;
    dbf_column c_bit100 = col("c", DBF_T_BIT);
    c_bit100.length = 100;
    dbf_column c_arr = col("c", DBF_T_ARRAY);
    c_arr.elem_type = DBF_T_INT;
    c_arr.native_type = "integer[]";
    dbf_column c_inet = col("c", DBF_T_NATIVE);
    c_inet.native_type = "inet";

    const tcase cases[] = {
        {"postgresql", col("c", DBF_T_BOOL), "boolean", "tinyint(1)", "BOOLEAN", DBF_T_BOOL,
         DBF_T_INT},
        {"mysql", icol(8, false), "smallint", "tinyint", "INTEGER", DBF_T_INT, DBF_T_INT},
        {"postgresql", icol(16, false), "smallint", "smallint", "INTEGER", DBF_T_INT, DBF_T_INT},
        {"mysql", icol(24, false), "integer", "mediumint", "INTEGER", DBF_T_INT, DBF_T_INT},
        {"postgresql", icol(32, false), "integer", "int", "INTEGER", DBF_T_INT, DBF_T_INT},
        {"postgresql", icol(64, false), "bigint", "bigint", "INTEGER", DBF_T_INT, DBF_T_INT},
        {"mysql", icol(8, true), "smallint", "tinyint unsigned", "INTEGER", DBF_T_INT, DBF_T_INT},
        {"mysql", icol(16, true), "integer", "smallint unsigned", "INTEGER", DBF_T_INT,
         DBF_T_INT},
        {"mysql", icol(24, true), "integer", "mediumint unsigned", "INTEGER", DBF_T_INT,
         DBF_T_INT},
        {"mysql", icol(32, true), "bigint", "int unsigned", "INTEGER", DBF_T_INT, DBF_T_INT},
        {"mysql", icol(64, true), "numeric(20,0)", "bigint unsigned", "INTEGER", DBF_T_DECIMAL,
         DBF_T_INT},
        {"postgresql", col("c", DBF_T_FLOAT32), "real", "float", "REAL", DBF_T_FLOAT32,
         DBF_T_FLOAT32},
        {"postgresql", col("c", DBF_T_FLOAT64), "double precision", "double", "REAL",
         DBF_T_FLOAT64, DBF_T_FLOAT64},
        {"postgresql", c_dec, "numeric(10,2)", "decimal(10,2)", "TEXT", DBF_T_DECIMAL,
         DBF_T_DECIMAL},
        {"postgresql", c_decu, "numeric", "longtext" CS, "TEXT", DBF_T_DECIMAL, DBF_T_TEXT},
        {"postgresql", c_dec70, "numeric(70,10)", "longtext" CS, "TEXT", DBF_T_DECIMAL,
         DBF_T_TEXT},
        {"mysql", col("c", DBF_T_TEXT), "text", "longtext" CS, "TEXT", DBF_T_TEXT, DBF_T_TEXT},
        {"mysql", c_vc, "varchar(20)", "varchar(20)" CS, "VARCHAR(20)", DBF_T_TEXT, DBF_T_TEXT},
        {"mysql", col("c", DBF_T_BYTES), "bytea", "longblob", "BLOB", DBF_T_BYTES, DBF_T_BYTES},
        {"mysql", col("c", DBF_T_DATE), "date", "date", "DATE", DBF_T_DATE, DBF_T_DATE},
        {"postgresql", c_time, "time(6) without time zone", "time(6)", "TIME", DBF_T_TIME,
         DBF_T_TIME},
        {"mysql", c_mtime, "interval", "time(0)", "TIME", DBF_T_INTERVAL, DBF_T_TIME},
        {"postgresql", col("c", DBF_T_TIMETZ), "time(6) with time zone", "varchar(32)" CS,
         "TEXT", DBF_T_TIMETZ, DBF_T_TEXT},
        {"postgresql", c_ts3, "timestamp(3) without time zone", "datetime(3)", "DATETIME",
         DBF_T_TIMESTAMP, DBF_T_TIMESTAMP},
        {"postgresql", c_tstz, "timestamp(6) with time zone", "datetime(6)", "TIMESTAMPTZ",
         DBF_T_TIMESTAMPTZ, DBF_T_TIMESTAMP},
        {"postgresql", col("c", DBF_T_INTERVAL), "interval", "varchar(64)" CS, "TEXT",
         DBF_T_INTERVAL, DBF_T_TEXT},
        {"postgresql", col("c", DBF_T_UUID), "uuid",
         "char(36) CHARACTER SET ascii COLLATE ascii_bin", "UUID", DBF_T_UUID, DBF_T_TEXT},
        {"mysql", col("c", DBF_T_JSON), "json", "json", "TEXT", DBF_T_JSON, DBF_T_JSON},
        {"postgresql", c_jsonb, "jsonb", "json", "TEXT", DBF_T_JSON, DBF_T_JSON},
        {"postgresql", c_enum, "text CHECK (\"c\" IN ('a', 'b'))", "enum('a','b')" CS,
         "TEXT CHECK (\"c\" IN ('a', 'b'))", DBF_T_TEXT, DBF_T_ENUM},
        {"mysql", c_set, "text", "set('a','b')" CS, "TEXT", DBF_T_TEXT, DBF_T_SET},
        {"mysql", c_bit5, "bit(5)", "bit(5)", "BLOB", DBF_T_NATIVE, DBF_T_BIT},
        {"postgresql", c_bit100, "bit(100)", "longblob", "BLOB", DBF_T_NATIVE, DBF_T_BYTES},
        {"mysql", col("c", DBF_T_YEAR), "smallint", "year", "INTEGER", DBF_T_INT, DBF_T_YEAR},
        {"postgresql", c_arr, "integer[]", "longtext" CS, "TEXT", DBF_T_ARRAY, DBF_T_TEXT},
        {"postgresql", c_inet, "text", "longtext" CS, "TEXT", DBF_T_TEXT, DBF_T_TEXT},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const tcase *tc = &cases[i];
        dbf_header h = {.engine = tc->engine};
        dbf_table t = one_table("t", &tc->c, 1);
        for (int d = SQ; d <= MY; d++) {
            dbe_xlate *x = NULL;
            dbf_error e = {0};
            int rc = dbe_xlate_table_create(&x, (dbe_id)d, &h, &t, NULL, &e);
            CHECK(rc == 0, "case %zu dialect %d: rc %d %s", i, d, rc, e.msg);
            if (rc)
                continue;
            const dbf_table *tt = dbe_xlate_target(x);
            const char *want = d == PG ? tc->pg : d == MY ? tc->my : tc->sq;
            char sql[512];
            const char *q = d == MY ? "`" : "\"";
            snprintf(sql, sizeof sql, "CREATE TABLE %st%s (\n  %sc%s %s\n)%s", q, q, q, q, want,
                     d == MY ? " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin"
                             : "");
            CHECK(strcmp(tt->native_sql, sql) == 0, "case %zu (%s) dialect %d:\n got %s\nwant %s",
                  i, dbf_type_name(tc->c.type), d, tt->native_sql, sql);
            dbf_type wt = d == PG ? tc->pg_t : d == MY ? tc->my_t : DBF_T_ANY;
            CHECK(tt->ncolumns == 1 && tt->columns[0].type == wt,
                  "case %zu dialect %d: published type %s, want %s", i, d,
                  dbf_type_name(tt->columns[0].type), dbf_type_name(wt));
            CHECK_STR(tt->engine, d == PG ? "postgresql" : d == MY ? "mysql" : "sqlite");
            dbe_xlate_free(x);
        }
    }
}

/* SQLite declared types: inference into PostgreSQL and MySQL column types. */
static void test_sqlite_inference(void)
{
    static const struct {
        const char *decl, *pg, *my;
    } cases[] = {
        {"INTEGER", "bigint", "bigint"},
        {"INT", "bigint", "bigint"},
        {"TINYINT", "smallint", "tinyint"},
        {"SMALLINT", "smallint", "smallint"},
        {"MEDIUMINT", "integer", "mediumint"},
        {"BIGINT", "bigint", "bigint"},
        {"UNSIGNED BIG INT", "bigint", "bigint"},
        {"VARCHAR(255)", "varchar(255)", "varchar(255)" CS},
        {"NVARCHAR(40)", "varchar(40)", "varchar(40)" CS},
        {"CHARACTER(20)", "varchar(20)", "varchar(20)" CS},
        {"TEXT", "text", "longtext" CS},
        {"CLOB", "text", "longtext" CS},
        {"BLOB", "bytea", "longblob"},
        {"", "text", "longtext" CS},
        {"REAL", "double precision", "double"},
        {"DOUBLE", "double precision", "double"},
        {"DOUBLE PRECISION", "double precision", "double"},
        {"FLOAT", "double precision", "double"},
        {"NUMERIC(10,2)", "numeric(10,2)", "decimal(10,2)"},
        {"DECIMAL(10,5)", "numeric(10,5)", "decimal(10,5)"},
        {"decimal(8)", "numeric(8,0)", "decimal(8,0)"},
        {"NUMERIC", "numeric", "longtext" CS},
        {"BOOLEAN", "boolean", "tinyint(1)"},
        {"bool", "boolean", "tinyint(1)"},
        {"DATETIME", "timestamp(6) without time zone", "datetime(6)"},
        {"TIMESTAMP", "timestamp(6) without time zone", "datetime(6)"},
        {"TIMESTAMPTZ", "timestamp(6) with time zone", "datetime(6)"},
        {"TIMESTAMP WITH TIME ZONE", "timestamp(6) with time zone", "datetime(6)"},
        {"DATE", "date", "date"},
        {"TIME", "time(6) without time zone", "time(6)"},
        {"JSON", "json", "json"},
        {"UUID", "uuid", "char(36) CHARACTER SET ascii COLLATE ascii_bin"},
        {"MONEY", "text", "longtext" CS},
        {"POINT", "bigint", "bigint"}, /* contains "INT": INTEGER affinity (SQLite rule 1) */
    };
    dbf_header h = {.engine = "sqlite"};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        dbf_column c = any_col(cases[i].decl);
        dbf_table t = one_table("t", &c, 1);
        for (int d = PG; d <= MY; d++) {
            dbe_xlate *x = NULL;
            dbf_error e = {0};
            int rc = dbe_xlate_table_create(&x, (dbe_id)d, &h, &t, NULL, &e);
            CHECK(rc == 0, "%s: %s", cases[i].decl, e.msg);
            if (rc)
                continue;
            const char *want = d == PG ? cases[i].pg : cases[i].my;
            CHECK_STR(dbe_xlate_target(x)->columns[0].native_type, want);
            dbe_xlate_free(x);
        }
    }
}

/* ---------------------------------------------------------- value matrix */

/* Render a converted value as "kind:payload" for comparison. */
static void render(char *buf, size_t cap, const dbf_value *v)
{
    char num[64];
    switch (v->kind) {
    case DBF_V_NULL:
        snprintf(buf, cap, "null");
        return;
    case DBF_V_BOOL:
        snprintf(buf, cap, "bool:%d", v->u.b ? 1 : 0);
        return;
    case DBF_V_INT:
        snprintf(buf, cap, "int:%" PRId64, v->u.i);
        return;
    case DBF_V_UINT:
        snprintf(buf, cap, "uint:%" PRIu64, v->u.u);
        return;
    case DBF_V_F32:
        snprintf(num, sizeof num, "%.9g", (double)v->u.f32);
        snprintf(buf, cap, "f32:%s", num);
        return;
    case DBF_V_F64:
        snprintf(num, sizeof num, "%.17g", v->u.f64);
        snprintf(buf, cap, "f64:%s%s", signbit(v->u.f64) && v->u.f64 == 0 ? "" : "", num);
        return;
    case DBF_V_STR: {
        size_t o = (size_t)snprintf(buf, cap, "str:");
        for (size_t i = 0; i < v->u.s.len && o + 5 < cap; i++) {
            unsigned char ch = (unsigned char)v->u.s.ptr[i];
            if (ch == 0)
                o += (size_t)snprintf(buf + o, cap - o, "\\0");
            else
                buf[o++] = (char)ch;
        }
        buf[o] = '\0';
        return;
    }
    case DBF_V_BIN: {
        size_t o = (size_t)snprintf(buf, cap, "bin:");
        for (size_t i = 0; i < v->u.s.len && o + 3 < cap; i++)
            o += (size_t)snprintf(buf + o, cap - o, "%02x", (unsigned char)v->u.s.ptr[i]);
        return;
    }
    case DBF_V_INTERVAL:
        snprintf(buf, cap, "iv:%" PRId32 ",%" PRId32 ",%" PRId64, v->u.iv.months, v->u.iv.days,
                 v->u.iv.micros);
        return;
    case DBF_V_ARRAY:
        snprintf(buf, cap, "array");
        return;
    }
}

/* Convert one value; want is "kind:payload" or "ERR:substring of the message". */
static void conv_is(int line, dbe_id d, const char *engine, dbf_column c, dbf_value in,
                    bool lossy, const char *want)
{
    dbf_header h = {.engine = engine};
    dbf_table t = one_table("t", &c, 1);
    dbe_xlate_opts o = DBE_XLATE_OPTS_INIT;
    o.lossy = lossy;
    dbe_xlate *x = NULL;
    dbf_error e = {0};
    checks++;
    int rc = dbe_xlate_table_create(&x, d, &h, &t, &o, &e);
    if (rc) {
        failures++;
        fprintf(stderr, "line %d: table_create rc %d %s\n", line, rc, e.msg);
        return;
    }
    const dbf_value *out = NULL;
    size_t nout = 0;
    rc = dbe_xlate_row(x, &in, 1, 7, &out, &nout, &e);
    char got[DBF_ERROR_MAX + 8];
    if (rc) {
        snprintf(got, sizeof got, "ERR:%s", e.msg);
        if (strncmp(want, "ERR:", 4) != 0 || !strstr(e.msg, want + 4) || rc != DBC_EDATA ||
            !strstr(e.msg, "table \"t\" column \"c\" row 7: value ")) {
            failures++;
            fprintf(stderr, "line %d: dialect %d: got [%s] rc %d, want [%s]\n", line, d, got, rc,
                    want);
        }
    } else {
        render(got, sizeof got, &out[0]);
        if (strcmp(got, want) != 0) {
            failures++;
            fprintf(stderr, "line %d: dialect %d: got [%s], want [%s]\n", line, d, got, want);
        }
        if (lossy && strncmp(want, "ERR", 3) != 0 && dbe_xlate_lossy_rows(x) > 1) {
            failures++;
            fprintf(stderr, "line %d: lossy rows > 1\n", line);
        }
    }
    dbe_xlate_free(x);
}

#define CONV(d, eng, c, v, want) conv_is(__LINE__, d, eng, c, v, false, want)
#define CONVL(d, eng, c, v, want) conv_is(__LINE__, d, eng, c, v, true, want)

static void test_values_from_sqlite(void)
{
    const char *S = "sqlite";
    dbf_column integer = any_col("INTEGER"), tiny = any_col("TINYINT");
    CONV(PG, S, integer, vi(5), "int:5");
    CONV(PG, S, integer, vi(INT64_MIN), "int:-9223372036854775808");
    CONV(PG, S, integer, vf(3.0), "int:3");
    CONV(PG, S, integer, vf(3.5), "ERR:is not an integer");
    CONV(PG, S, integer, vs("abc"), "ERR:is text in an integer column");
    CONV(MY, S, integer, vs("12x"), "ERR:is text in an integer column");
    CONV(PG, S, tiny, vi(300), "int:300");     /* PostgreSQL smallint */
    CONV(MY, S, tiny, vi(300), "ERR:is out of range for a 8-bit integer");
    CONV(PG, S, tiny, vi(70000), "ERR:is out of range for a 16-bit integer");

    dbf_column boolean = any_col("BOOLEAN");
    CONV(PG, S, boolean, vi(1), "bool:1");
    CONV(PG, S, boolean, vi(0), "bool:0");
    CONV(PG, S, boolean, vs("false"), "bool:0");
    CONV(PG, S, boolean, vs("T"), "bool:1");
    CONV(PG, S, boolean, vi(2), "ERR:is not a boolean");
    CONV(MY, S, boolean, vi(1), "int:1");
    CONV(MY, S, boolean, vs("true"), "ERR:is text in an integer column");

    dbf_column num = any_col("NUMERIC(10,2)");
    CONV(PG, S, num, vf(1.5), "str:1.50");
    CONV(PG, S, num, vi(7), "str:7.00");
    CONV(PG, S, num, vf(0.1), "str:0.10");
    CONV(MY, S, num, vs("-0012.3"), "str:-12.30");
    CONV(PG, S, num, vs("1.005"), "ERR:has more than 2 fraction digits");
    CONVL(PG, S, num, vs("1.005"), "str:1.01");
    CONVL(PG, S, num, vs("-1.005"), "str:-1.01");
    CONVL(PG, S, num, vs("9.995"), "str:10.00");
    CONV(PG, S, num, vs("1.500"), "str:1.50"); /* trailing zeros beyond the scale are exact */
    CONV(PG, S, num, vf(1e20), "ERR:has too many integer digits for decimal(10,2)");
    CONV(PG, S, num, vs("12345678.9"), "str:12345678.90");
    CONV(PG, S, num, vs("123456789"), "ERR:has too many integer digits");
    CONV(PG, S, num, vs("abc"), "ERR:is not a number");
    CONV(PG, S, num, vs("1e2"), "str:100.00");
    CONV(PG, S, num, vbin("\x01", 1), "ERR:cannot be stored as a decimal");
    dbf_column numu = any_col("NUMERIC");
    CONV(PG, S, numu, vf(0.1), "str:0.1");
    CONV(PG, S, numu, vf(1e-7), "str:0.0000001");
    CONV(PG, S, numu, vf(1e20), "str:100000000000000000000");
    CONV(PG, S, numu, vf(-2.5), "str:-2.5");
    CONV(PG, S, numu, vi(-42), "str:-42");
    CONV(PG, S, numu, vs("007.50"), "str:7.50");
    CONV(MY, S, numu, vf(0.1), "str:0.1"); /* MySQL: exact decimal text fallback */

    dbf_column dt = any_col("DATETIME");
    CONV(PG, S, dt, vs("2020-01-02T03:04:05.123Z"), "str:2020-01-02 03:04:05.123");
    CONV(PG, S, dt, vs("2020-01-02 03:04:05+02:00"), "str:2020-01-02 01:04:05");
    CONV(PG, S, dt, vs("2020-01-01 00:30:00+01:00"), "str:2019-12-31 23:30:00");
    CONV(PG, S, dt, vs("2020-01-02"), "str:2020-01-02 00:00:00");
    CONV(MY, S, dt, vs("2020-01-02 03:04"), "str:2020-01-02 03:04:00");
    CONV(PG, S, dt, vs("2020-13-01 00:00:00"), "ERR:is not a timestamp");
    CONV(PG, S, dt, vs("2021-02-29 00:00:00"), "ERR:is not a valid calendar date");
    CONV(PG, S, dt, vs("2024-02-29 00:00:00"), "str:2024-02-29 00:00:00");
    /* epoch integers: the unit from the magnitude (a new handle per case) */
    CONV(PG, S, dt, vi(1700000000), "str:2023-11-14 22:13:20");
    CONV(PG, S, dt, vi(1700000000123), "str:2023-11-14 22:13:20.123");
    CONV(MY, S, dt, vi(1700000000123456), "str:2023-11-14 22:13:20.123456");
    CONV(PG, S, dt, vi(0), "str:1970-01-01 00:00:00");
    CONV(PG, S, dt, vi(-1), "str:1969-12-31 23:59:59");
    CONV(PG, S, dt, vi(INT64_C(100000000000000000)), "ERR:too large for epoch");
    CONV(PG, S, dt, vf(1700000000.5), "ERR:is not timestamp text or epoch integer");
    CONV(PG, S, dt, vs("2020-01-02 03:04:05.1234567"), "ERR:digits below a microsecond");
    CONVL(PG, S, dt, vs("2020-01-02 03:04:05.1234567"), "str:2020-01-02 03:04:05.123456");
    CONV(PG, S, dt, vs("2020-01-02 03:04:05.1234560"), "str:2020-01-02 03:04:05.123456");

    dbf_column tstz = any_col("TIMESTAMPTZ");
    CONV(PG, S, tstz, vs("2020-01-02 03:04:05"), "str:2020-01-02 03:04:05Z");
    CONV(PG, S, tstz, vs("2020-01-01 00:30:00+01:00"), "str:2019-12-31 23:30:00Z");
    CONV(MY, S, tstz, vs("2020-01-01T00:30:00.5-01:30"), "str:2020-01-01 02:00:00.5");

    dbf_column date = any_col("DATE");
    CONV(PG, S, date, vs("2020-01-02"), "str:2020-01-02");
    CONV(PG, S, date, vs("2020-01-02 00:00:00"), "str:2020-01-02");
    CONV(PG, S, date, vs("2020-01-02 10:00:00"), "ERR:has a time of day");
    CONV(PG, S, date, vs("0000-00-00"), "ERR:is a zero date");
    CONVL(PG, S, date, vs("0000-00-00"), "null");
    CONV(PG, S, date, vi(2459000), "ERR:is not date text");

    dbf_column time = any_col("TIME");
    CONV(PG, S, time, vs("12:30"), "str:12:30:00");
    CONV(PG, S, time, vs("24:00:00"), "str:24:00:00");
    CONV(PG, S, time, vs("25:00:00"), "ERR:is outside 00:00:00..24:00:00");
    CONV(MY, S, time, vs("25:00:00.5"), "str:25:00:00.5");
    CONV(MY, S, time, vs("839:00:00"), "ERR:is outside -838:59:59..838:59:59");

    dbf_column blob = any_col("BLOB");
    CONV(PG, S, blob, vbin("\x00\xff", 2), "bin:00ff");
    CONV(PG, S, blob, vs("abc"), "bin:616263");
    CONV(MY, S, blob, vi(1), "ERR:is not binary data");

    dbf_column text = any_col("TEXT");
    CONV(PG, S, text, vi(42), "str:42");
    CONV(PG, S, text, vf(0.1), "str:0.1");
    CONV(PG, S, text, vf(1e300), "str:1e+300");
    CONV(PG, S, text, vbin("\x01", 1), "ERR:is a blob in a text column");
    CONV(PG, S, text, vsn("a\0b", 3), "ERR:contains a NUL byte");
    CONV(MY, S, text, vsn("a\0b", 3), "str:a\\0b"); /* MySQL text holds NUL bytes */
    CONV(PG, S, text, vs("bad\xff"), "ERR:is not valid UTF-8");
    CONV(MY, S, text, vs("bad\xff"), "ERR:is not valid UTF-8");
    CONV(PG, S, text, vs("ENC:v3:key1:00ff"), "str:ENC:v3:key1:00ff");
    dbf_column vc3 = any_col("VARCHAR(3)");
    CONV(PG, S, vc3, vs("\xc3\xa9\xc3\xa9\xc3\xa9"), "str:\xc3\xa9\xc3\xa9\xc3\xa9");
    CONV(PG, S, vc3, vs("abcd"), "ERR:is longer than 3 characters");

    dbf_column json = any_col("JSON");
    CONV(PG, S, json, vs("{\"a\": [1, 2.5e3, null]}"), "str:{\"a\": [1, 2.5e3, null]}");
    CONV(PG, S, json, vs("{a:1}"), "ERR:is not valid JSON");
    CONV(PG, S, json, vs("[1,]"), "ERR:is not valid JSON");
    CONV(PG, S, json, vi(5), "str:5");
    CONV(MY, S, json, vf(0.5), "str:0.5");

    dbf_column uuid = any_col("UUID");
    CONV(PG, S, uuid, vs("A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11"),
         "bin:a0eebc999c0b4ef8bb6d6bb9bd380a11");
    CONV(PG, S, uuid, vs("a0eebc999c0b4ef8bb6d6bb9bd380a11"),
         "bin:a0eebc999c0b4ef8bb6d6bb9bd380a11");
    CONV(PG, S, uuid, vbin(uuid_bytes, 16), "bin:a0eebc999c0b4ef8bb6d6bb9bd380a11");
    CONV(PG, S, uuid, vs("xyz"), "ERR:is not a UUID");
    CONV(MY, S, uuid, vs("A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11"),
         "str:A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11");
    CONV(MY, S, uuid, vs("nope"), "ERR:is not a UUID");

    dbf_column real = any_col("REAL");
    CONV(PG, S, real, vi(3), "f64:3");
    CONV(PG, S, real, vi(9007199254740993LL), "ERR:has no exact floating-point value");
    CONV(PG, S, real, vs("1.5"), "ERR:is text in a floating-point column");

    dbf_column untyped = any_col("");
    CONV(PG, S, untyped, vi(1), "str:1");
    CONV(PG, S, untyped, vs("x"), "str:x");
    CONV(PG, S, untyped, vbin("x", 1), "ERR:is a blob in a text column");
}

static void test_values_typed(void)
{
    const char *P = "postgresql", *M = "mysql";
    /* bool */
    CONV(MY, P, col("c", DBF_T_BOOL), vb(true), "int:1");
    CONV(SQ, P, col("c", DBF_T_BOOL), vb(false), "int:0");
    /* ints */
    CONV(PG, M, icol(64, true), vu(UINT64_MAX), "str:18446744073709551615");
    CONV(PG, M, icol(64, true), vi(5), "str:5");
    CONV(PG, M, icol(32, true), vi(4294967295LL), "int:4294967295");
    CONV(SQ, M, icol(64, true), vu(UINT64_MAX),
         "ERR:is above 9223372036854775807, which a SQLite integer cannot hold");
    CONV(SQ, M, icol(64, true), vi(INT64_MAX), "int:9223372036854775807");
    CONV(MY, P, col("c", DBF_T_YEAR), vi(2021), "int:2021");
    CONV(PG, M, col("c", DBF_T_YEAR), vi(2021), "int:2021");
    /* floats */
    CONV(MY, P, col("c", DBF_T_FLOAT64), vf(NAN), "ERR:MySQL FLOAT/DOUBLE cannot hold");
    CONVL(MY, P, col("c", DBF_T_FLOAT64), vf(NAN), "null");
    CONV(MY, P, col("c", DBF_T_FLOAT64), vf(-INFINITY), "ERR:is NaN or infinite");
    CONV(MY, P, col("c", DBF_T_FLOAT64), vf(1.7976931348623157e308),
         "f64:1.7976931348623157e+308");
    CONV(MY, P, col("c", DBF_T_FLOAT32), vf32(3.40282347e38f), "f32:3.40282347e+38");
    CONV(MY, P, col("c", DBF_T_FLOAT64), vf(-0.0), "ERR:is -0.0, which MySQL FLOAT/DOUBLE");
    CONVL(MY, P, col("c", DBF_T_FLOAT64), vf(-0.0), "f64:0");
    CONV(MY, P, col("c", DBF_T_FLOAT32), vf32(-0.0f), "ERR:is -0.0, which MySQL FLOAT/DOUBLE");
    CONVL(MY, P, col("c", DBF_T_FLOAT32), vf32(-0.0f), "f32:0");
    CONV(MY, P, col("c", DBF_T_FLOAT64), vf(0.0), "f64:0");
    CONV(SQ, P, col("c", DBF_T_FLOAT64), vf(-0.0), "ERR:is -0.0, which SQLite stores as 0.0");
    CONVL(SQ, P, col("c", DBF_T_FLOAT64), vf(-0.0), "f64:0");
    CONV(SQ, P, col("c", DBF_T_FLOAT64), vf(NAN), "ERR:is NaN, which SQLite stores as NULL");
    CONVL(SQ, P, col("c", DBF_T_FLOAT64), vf(NAN), "null");
    CONV(SQ, P, col("c", DBF_T_FLOAT64), vf(INFINITY), "f64:inf");
    CONV(SQ, P, col("c", DBF_T_FLOAT32), vf32(1.5f), "f64:1.5");
    CONV(SQ, P, col("c", DBF_T_FLOAT64), vf(5e-324), "f64:4.9406564584124654e-324");
    /* decimals */
    dbf_column dec = col("c", DBF_T_DECIMAL);
    dec.precision = 10;
    dec.scale = 2;
    CONV(MY, P, dec, vs("NaN"), "ERR:is NaN or infinite, which MySQL DECIMAL cannot hold");
    CONV(SQ, P, dec, vs("1.50"), "str:1.50");
    CONV(SQ, P, col("c", DBF_T_DECIMAL), vs("NaN"), "str:NaN");
    CONV(PG, M, dec, vs("-99999999.99"), "str:-99999999.99");
    /* text */
    CONV(PG, M, col("c", DBF_T_TEXT), vsn("a\0b", 3), "ERR:contains a NUL byte");
    CONV(PG, M, col("c", DBF_T_TEXT), vs("\xe2\x82\xac ok"), "str:\xe2\x82\xac ok");
    CONV(SQ, M, col("c", DBF_T_TEXT), vs("raw\xff"), "str:raw\xff");
    /* dates and timestamps */
    dbf_column tstz = col("c", DBF_T_TIMESTAMPTZ);
    tstz.precision = 6;
    CONV(MY, P, tstz, vs("2020-01-02 03:04:05.5Z"), "str:2020-01-02 03:04:05.5");
    CONV(MY, P, tstz, vs("infinity"), "ERR:is infinite, which MySQL dates cannot hold");
    CONVL(MY, P, tstz, vs("-infinity"), "null");
    CONV(SQ, P, tstz, vs("2020-01-02 03:04:05Z"), "str:2020-01-02 03:04:05Z");
    CONV(MY, P, col("c", DBF_T_TIMESTAMP), vs("-0044-03-15 00:00:00"),
         "ERR:has a year outside 0..9999");
    CONV(MY, P, col("c", DBF_T_DATE), vs("10000-01-01"), "ERR:has a year outside 0..9999");
    CONV(MY, P, col("c", DBF_T_DATE), vs("0001-01-01"), "str:0001-01-01");
    CONV(PG, M, col("c", DBF_T_DATE), vs("0000-00-00"), "ERR:is a zero date");
    CONVL(PG, M, col("c", DBF_T_DATE), vs("0000-00-00"), "null");
    CONV(PG, M, col("c", DBF_T_TIMESTAMP), vs("2020-00-15 00:00:00"), "ERR:is a zero date");
    CONV(SQ, M, col("c", DBF_T_DATE), vs("0000-00-00"), "str:0000-00-00");
    CONV(SQ, P, col("c", DBF_T_DATE), vs("infinity"), "str:infinity");
    CONV(PG, M, col("c", DBF_T_TIMESTAMP), vs("9999-12-31 23:59:59.999999"),
         "str:9999-12-31 23:59:59.999999");
    /* MySQL TIME -> PostgreSQL interval */
    CONV(PG, M, col("c", DBF_T_TIME), vs("-838:59:59"), "iv:0,0,-3020399000000");
    CONV(PG, M, col("c", DBF_T_TIME), vs("100:00:00.25"), "iv:0,0,360000250000");
    CONV(MY, P, col("c", DBF_T_TIME), vs("24:00:00"), "str:24:00:00");
    CONV(SQ, M, col("c", DBF_T_TIME), vs("-01:02:03"), "str:-01:02:03");
    /* intervals */
    CONV(MY, P, col("c", DBF_T_INTERVAL), viv(14, 3, 3723500000LL), "str:P1Y2M3DT1H2M3.5S");
    CONV(SQ, P, col("c", DBF_T_INTERVAL), viv(0, 0, 0), "str:PT0S");
    CONV(SQ, P, col("c", DBF_T_INTERVAL), viv(-1, -2, -500000), "str:P-1M-2DT-0.5S");
    /* uuid */
    CONV(MY, P, col("c", DBF_T_UUID), vbin(uuid_bytes, 16),
         "str:a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
    CONV(SQ, P, col("c", DBF_T_UUID), vbin(uuid_bytes, 16),
         "str:a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
    /* json */
    CONV(MY, P, col("c", DBF_T_JSON), vs("{\"b\":1,  \"a\":2}"), "str:{\"b\":1,  \"a\":2}");
    CONV(SQ, P, col("c", DBF_T_JSON), vs("[]"), "str:[]");
    /* enum / set */
    dbf_column en = col("c", DBF_T_ENUM);
    en.labels = labels2;
    en.nlabels = 2;
    CONV(PG, M, en, vs("b"), "str:b");
    CONV(PG, M, en, vs(""), "ERR:is not one of the enum labels");
    CONV(MY, P, en, vs("zzz"), "ERR:is not one of the enum labels");
    dbf_column st = col("c", DBF_T_SET);
    st.labels = labels2;
    st.nlabels = 2;
    CONV(PG, M, st, vs("a,b"), "str:a,b");
    /* bit */
    dbf_column bit = col("c", DBF_T_BIT);
    bit.length = 5;
    CONV(PG, M, bit, vbin("\x1f", 1), "str:11111");
    CONV(PG, M, bit, vbin("\x05", 1), "str:00101");
    CONV(PG, M, bit, vbin("\x25", 1), "ERR:has bits beyond bit(5)");
    bit.length = 12;
    CONV(PG, M, bit, vbin("\x0a\x01", 2), "str:101000000001");
    CONV(SQ, M, bit, vbin("\x1f", 1), "bin:1f");
    /* bytes stay byte-exact */
    CONV(MY, P, col("c", DBF_T_BYTES), vbin("\x00\x01\xfe\xff", 4), "bin:0001feff");
    CONV(SQ, P, col("c", DBF_T_BYTES), vbin("\x00\x01\xfe\xff", 4), "bin:0001feff");
    /* native */
    dbf_column inet = col("c", DBF_T_NATIVE);
    inet.native_type = "inet";
    CONV(MY, P, inet, vs("192.168.0.1/24"), "str:192.168.0.1/24");
}

static void test_arrays(void)
{
    const char *P = "postgresql";
    dbf_column ai = col("c", DBF_T_ARRAY);
    ai.elem_type = DBF_T_INT;
    ai.native_type = "integer[]";
    dbf_value el[4] = {vi(1), vi(2), vnull(), vi(-4)};
    dbf_value a = vnull();
    a.kind = DBF_V_ARRAY;
    a.u.arr.elems = el;
    a.u.arr.nelems = 3;
    a.u.arr.ndims = 1;
    a.u.arr.dims[0] = 3;
    a.u.arr.lbounds[0] = 1;
    CONV(MY, P, ai, a, "str:[1,2,null]");
    CONV(SQ, P, ai, a, "str:[1,2,null]");
    dbf_value el4[4] = {vi(1), vi(2), vi(3), vi(4)};
    dbf_value a2 = a;
    a2.u.arr.elems = el4;
    a2.u.arr.nelems = 4;
    a2.u.arr.ndims = 2;
    a2.u.arr.dims[0] = 2;
    a2.u.arr.dims[1] = 2;
    a2.u.arr.lbounds[1] = 1;
    CONV(MY, P, ai, a2, "str:[[1,2],[3,4]]");
    dbf_value a0 = a;
    a0.u.arr.lbounds[0] = 0;
    CONV(MY, P, ai, a0, "ERR:has lower bound 0 in dimension 1");
    CONVL(MY, P, ai, a0, "str:[1,2,null]");
    dbf_value empty = vnull();
    empty.kind = DBF_V_ARRAY;
    CONV(MY, P, ai, empty, "str:[]");
    dbf_column at = col("c", DBF_T_ARRAY);
    at.elem_type = DBF_T_TEXT;
    at.native_type = "text[]";
    dbf_value tel[2] = {vs("a\"b\\c"), vs("line\n")};
    dbf_value ta = a;
    ta.u.arr.elems = tel;
    ta.u.arr.nelems = 2;
    ta.u.arr.dims[0] = 2;
    CONV(MY, P, at, ta, "str:[\"a\\\"b\\\\c\",\"line\\n\"]");
    dbf_column af = col("c", DBF_T_ARRAY);
    af.elem_type = DBF_T_FLOAT64;
    af.native_type = "double precision[]";
    dbf_value fel[2] = {vf(0.1), vf(NAN)};
    dbf_value fa = a;
    fa.u.arr.elems = fel;
    fa.u.arr.nelems = 2;
    fa.u.arr.dims[0] = 2;
    CONV(SQ, P, af, fa, "ERR:holds NaN, which JSON cannot represent");
    CONVL(SQ, P, af, fa, "str:[0.1,null]");
}

/* ----------------------------------------------------------------- defaults */

static void default_is(int line, dbe_id d, const char *engine, dbf_column c,
                       const char *want)
{
    dbf_header h = {.engine = engine};
    dbf_table t = one_table("t", &c, 1);
    dbe_xlate *x = NULL;
    dbf_error e = {0};
    checks++;
    if (dbe_xlate_table_create(&x, d, &h, &t, NULL, &e)) {
        failures++;
        fprintf(stderr, "line %d: %s\n", line, e.msg);
        return;
    }
    const char *got = dbe_xlate_target(x)->columns[0].default_expr;
    bool ok = want ? got && strcmp(got, want) == 0 : got == NULL;
    if (!ok) {
        failures++;
        fprintf(stderr, "line %d: dialect %d default [%s], want [%s]\n", line, d,
                got ? got : "(none)", want ? want : "(none)");
    }
    if (!want) { /* a dropped default is reported */
        bool noted = false;
        for (size_t i = 0; i < dbe_xlate_nnotes(x); i++)
            noted |= strstr(dbe_xlate_note(x, i), "dropped") != NULL;
        if (!noted && c.default_expr && strncmp(c.default_expr, "nextval", 7) != 0 &&
            strcmp(c.default_expr, "NULL") != 0) {
            failures++;
            fprintf(stderr, "line %d: dropped default without a note\n", line);
        }
    }
    dbe_xlate_free(x);
}

#define DEF(d, eng, c, want) default_is(__LINE__, d, eng, c, want)

static dbf_column with_default(dbf_column c, const char *expr)
{
    c.default_expr = expr;
    return c;
}

static void test_defaults(void)
{
    const char *P = "postgresql", *S = "sqlite", *M = "mysql";
    dbf_column tstz = col("c", DBF_T_TIMESTAMPTZ);
    tstz.precision = 6;
    DEF(PG, P, with_default(tstz, "now()"), "CURRENT_TIMESTAMP");
    DEF(MY, P, with_default(tstz, "now()"), "CURRENT_TIMESTAMP(6)");
    DEF(SQ, P, with_default(tstz, "CURRENT_TIMESTAMP"), "CURRENT_TIMESTAMP");
    DEF(PG, S, with_default(any_col("DATETIME"), "CURRENT_TIMESTAMP"), "LOCALTIMESTAMP");
    DEF(PG, S, with_default(any_col("DATETIME"), "(datetime('now'))"), "LOCALTIMESTAMP");
    DEF(MY, S, with_default(any_col("DATETIME"), "(datetime('now'))"), "CURRENT_TIMESTAMP(6)");
    DEF(MY, S, with_default(any_col("DATE"), "CURRENT_DATE"), "(CURRENT_DATE)");
    DEF(PG, S, with_default(any_col("BOOLEAN"), "0"), "false");
    DEF(PG, S, with_default(any_col("BOOLEAN"), "TRUE"), "true");
    DEF(MY, P, with_default(col("c", DBF_T_BOOL), "true"), "1");
    DEF(SQ, P, with_default(col("c", DBF_T_BOOL), "false"), "0");
    DEF(PG, M, with_default(col("c", DBF_T_BOOL), "'1'"), "true");
    DEF(PG, S, with_default(any_col("TEXT"), "'active'"), "'active'");
    DEF(MY, P, with_default(col("c", DBF_T_TEXT), "'it''s'::text"), "('it''s')");
    DEF(MY, P, with_default(col("c", DBF_T_TEXT), "'a\\b'::text"), "('a\\\\b')");
    DEF(PG, M, with_default(col("c", DBF_T_TEXT), "'a\\\\b'"), "'a\\b'");
    DEF(PG, S, with_default(any_col("INTEGER"), "-1"), "-1");
    DEF(PG, S, with_default(any_col("TEXT"), "0"), "'0'");
    DEF(SQ, P, with_default(col("c", DBF_T_DECIMAL), "0.00"), "'0.00'");
    DEF(PG, S, with_default(any_col("INTEGER"), "NULL"), NULL);
    DEF(PG, P, with_default(col("c", DBF_T_UUID), "gen_random_uuid()"), "gen_random_uuid()");
    DEF(MY, P, with_default(col("c", DBF_T_UUID), "gen_random_uuid()"), "(uuid())");
    DEF(SQ, P, with_default(col("c", DBF_T_UUID), "gen_random_uuid()"), NULL);
    DEF(MY, P, with_default(col("c", DBF_T_TEXT), "lower('X')"), NULL);
    DEF(MY, P, with_default(col("c", DBF_T_JSON), "'{}'::jsonb"), "('{}')");
    DEF(PG, M, with_default(col("c", DBF_T_DATE), "'2020-01-01'"), "'2020-01-01'");
    DEF(PG, M, with_default(col("c", DBF_T_DATE), "'0000-00-00'"), NULL);
    DEF(PG, S, with_default(any_col("INTEGER"), "'abc'"), NULL);
    /* serial: the default becomes an identity */
    dbf_column ser = with_default(icol(32, false), "nextval('t_c_seq'::regclass)");
    DEF(PG, P, ser, NULL);
    DEF(MY, P, ser, NULL);
}

/* Identity / auto-increment and whole-table DDL. */
static void test_identity_ddl(void)
{
    dbf_column cols[3] = {any_col("INTEGER"), any_col("TEXT"), any_col("INTEGER")};
    cols[0].name = "id";
    cols[0].flags = DBF_COL_NOT_NULL;
    cols[1].name = "Name";
    cols[1].flags = DBF_COL_NOT_NULL;
    cols[2].name = "rowid";
    cols[2].flags = DBF_COL_ROWID;
    const char *pk[] = {"id"};
    static const char *const idcol[] = {"id"};
    dbf_table t = one_table("Artist", cols, 2);
    t.primary_key = pk;
    t.nprimary_key = 1;
    dbf_header h = {.engine = "sqlite"};
    static const char *const want[4] = {
        NULL,
        "CREATE TABLE \"Artist\" (\n  \"id\" INTEGER PRIMARY KEY AUTOINCREMENT,\n"
        "  \"Name\" TEXT NOT NULL\n)",
        "CREATE TABLE \"Artist\" (\n  \"id\" bigint GENERATED BY DEFAULT AS IDENTITY NOT NULL,\n"
        "  \"Name\" text NOT NULL,\n  PRIMARY KEY (\"id\")\n)",
        "CREATE TABLE `Artist` (\n  `id` bigint NOT NULL AUTO_INCREMENT,\n"
        "  `Name` varchar(255)" CS " NOT NULL,\n  PRIMARY KEY (`id`)\n)"
        " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin",
    };
    /* MySQL: a text primary key needs a length */
    const char *pk2[] = {"Name"};
    for (int d = SQ; d <= MY; d++) {
        dbe_xlate *x = NULL;
        dbf_error e = {0};
        dbf_table tt = t;
        dbf_column cmy[2] = {cols[0], cols[1]};
        if (d == MY) {
            /* a text key needs a length; the identity column then needs its own key */
            cmy[0].flags |= DBF_COL_IDENTITY;
            tt.columns = cmy;
            tt.primary_key = pk2;
        }
        int rc = dbe_xlate_table_create(&x, (dbe_id)d, &h, &tt, NULL, &e);
        CHECK(rc == 0, "identity table dialect %d: %s", d, e.msg);
        if (rc)
            continue;
        char *cs = NULL;
        CHECK(dbe_xlate_counters_sql(&cs, x, &e) == 0, "counters");
        if (d == PG)
            CHECK_STR(cs, "SELECT setval(pg_get_serial_sequence('\"Artist\"', 'id'), "
                          "GREATEST(GREATEST(COALESCE(MAX(\"id\"), 0), 0), 1), "
                          "GREATEST(COALESCE(MAX(\"id\"), 0), 0) > 0) FROM \"Artist\"");
        else
            CHECK(cs == NULL, "no counter SQL for dialect %d: %s", d, cs);
        free(cs);
        if (d != MY) {
            CHECK_STR(dbe_xlate_target(x)->native_sql, want[d]);
            CHECK(dbe_xlate_target(x)->columns[0].flags & DBF_COL_IDENTITY, "identity flag");
        } else {
            CHECK_STR(dbe_xlate_target(x)->native_sql,
                      "CREATE TABLE `Artist` (\n  `id` bigint NOT NULL AUTO_INCREMENT,\n"
                      "  `Name` varchar(255)" CS " NOT NULL,\n  PRIMARY KEY (`Name`),\n"
                      "  KEY (`id`)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin");
            /* a 256-character key value is refused, naming the row */
            char big[300];
            memset(big, 'k', 256);
            dbf_value row[2] = {vi(1), vsn(big, 256)};
            const dbf_value *out;
            size_t n;
            rc = dbe_xlate_row(x, row, 2, 3, &out, &n, &e);
            CHECK(rc == DBC_EDATA && strstr(e.msg, "table \"Artist\" column \"Name\" row 3") &&
                      strstr(e.msg, "longer than 255 characters"),
                  "long key: %d %s", rc, e.msg);
        }
        dbe_xlate_free(x);
    }
    (void)want[3];

    /* the archive's own counter (MySQL) is carried over */
    {
        dbf_column ac = icol(32, true);
        ac.name = "id";
        ac.flags = DBF_COL_IDENTITY | DBF_COL_NOT_NULL;
        dbf_kv kv[1] = {{"mysql.auto_increment", "100"}};
        dbf_table ta = one_table("o'k", &ac, 1);
        ta.primary_key = idcol;
        ta.nprimary_key = 1;
        ta.attrs = kv;
        ta.nattrs = 1;
        dbf_header hm = {.engine = "mysql"};
        dbe_xlate_opts so = DBE_XLATE_OPTS_INIT;
        dbf_error e = {0};
        so.target_schema = "s";
        for (int d = SQ; d <= MY; d++) {
            dbe_xlate *xa = NULL;
            char *cs = NULL;
            CHECK(dbe_xlate_table_create(&xa, (dbe_id)d, &hm, &ta, &so, &e) == 0, "%s",
                  e.msg);
            if (!xa)
                continue;
            dbe_xlate_counters_sql(&cs, xa, &e);
            if (d == PG)
                CHECK_STR(cs, "SELECT setval(pg_get_serial_sequence('\"s\".\"o''k\"', 'id'), "
                              "GREATEST(GREATEST(COALESCE(MAX(\"id\"), 0), 99), 1), "
                              "GREATEST(COALESCE(MAX(\"id\"), 0), 99) > 0) FROM "
                              "\"s\".\"o'k\"");
            else if (d == MY)
                CHECK_STR(cs, "ALTER TABLE `o'k` AUTO_INCREMENT = 100");
            else
                CHECK(cs == NULL, "sqlite counters");
            free(cs);
            dbe_xlate_free(xa);
        }
    }

    /* a SQLite rowid column is not carried: rows lose that value */
    dbf_table t3 = one_table("r", cols + 1, 2);
    dbe_xlate *x = NULL;
    dbf_error e = {0};
    CHECK(dbe_xlate_table_create(&x, PG, &h, &t3, NULL, &e) == 0, "rowid table: %s", e.msg);
    if (x) {
        CHECK(dbe_xlate_target(x)->ncolumns == 1, "rowid dropped");
        dbf_value row[2] = {vs("x"), vi(17)};
        const dbf_value *out;
        size_t n;
        CHECK(dbe_xlate_row(x, row, 2, 1, &out, &n, &e) == 0 && n == 1 &&
                  out[0].kind == DBF_V_STR && out[0].u.s.len == 1,
              "rowid row");
        CHECK(dbe_xlate_row(x, row, 1, 1, &out, &n, &e) == DBF_EINVAL, "value count checked");
        CHECK(!dbe_xlate_is_identity(x), "not identity");
        dbe_xlate_free(x);
    }

    /* a table without columns exists in PostgreSQL only */
    {
        dbf_table t0 = one_table("empty", NULL, 0);
        dbe_xlate *x0 = NULL;
        CHECK(dbe_xlate_table_create(&x0, MY, &h, &t0, NULL, &e) == DBF_EUNSUPPORTED &&
                  strstr(e.msg, "table \"empty\" has no column to create"),
              "zero columns mysql: %s", e.msg);
        CHECK(dbe_xlate_table_create(&x0, PG, &h, &t0, NULL, &e) == 0 && x0 &&
                  strcmp(dbe_xlate_target(x0)->native_sql, "CREATE TABLE \"empty\" (\n)") == 0,
              "zero columns pg");
        dbe_xlate_free(x0);
    }
    /* PostgreSQL schema option and generated columns */
    dbf_column g[2] = {icol(32, false), icol(32, false)};
    g[0].name = "a";
    g[1].name = "b";
    g[1].flags = DBF_COL_GENERATED;
    g[1].generated_expr = "(a * 2)";
    dbf_table tg = one_table("g", g, 2);
    dbe_xlate_opts o = DBE_XLATE_OPTS_INIT;
    o.target_schema = "app";
    dbf_header hm = {.engine = "mysql"};
    CHECK(dbe_xlate_table_create(&x, PG, &hm, &tg, &o, &e) == 0, "generated: %s", e.msg);
    if (x) {
        CHECK_STR(dbe_xlate_target(x)->native_sql,
                  "CREATE TABLE \"app\".\"g\" (\n  \"a\" integer,\n  \"b\" integer\n)");
        CHECK_STR(dbe_xlate_target(x)->schema, "app");
        CHECK(!(dbe_xlate_target(x)->columns[1].flags & DBF_COL_GENERATED), "plain column");
        CHECK(dbe_xlate_nnotes(x) == 1 && strstr(dbe_xlate_note(x, 0), "becomes a plain column"),
              "generated note");
        CHECK(dbe_xlate_is_identity(x), "int32 -> integer is unchanged");
        dbe_xlate_free(x);
    }
}

/* ------------------------------------------------------------------ objects */

static void obj_is(int line, dbe_id d, const char *engine, const dbf_object *o,
                   const dbf_table *tt, int want_rc, const char *want_sql, const char *note_part)
{
    dbf_header h = {.engine = engine};
    char *sql = NULL, *note = NULL;
    dbf_error e = {0};
    checks++;
    int rc = dbe_xlate_object(&sql, &note, d, &h, o, tt, NULL, &e);
    bool ok = rc == want_rc;
    ok &= want_sql ? sql && strcmp(sql, want_sql) == 0 : sql == NULL;
    ok &= note_part ? note && strstr(note, note_part) : note == NULL;
    if (!ok) {
        failures++;
        fprintf(stderr, "line %d: rc %d sql [%s] note [%s]; want %d [%s] [%s]\n", line, rc,
                sql ? sql : "(null)", note ? note : "(null)", want_rc,
                want_sql ? want_sql : "(null)", note_part ? note_part : "(null)");
    }
    free(sql);
    free(note);
}

static void test_objects(void)
{
    const char *ab[] = {"a", "b"}, *p[] = {"p"}, *id[] = {"id"};
    dbf_object ix = {.kind = DBF_OBJ_INDEX, .section = DBF_SEC_POST, .name = "i", .table = "t",
                     .columns = ab, .ncolumns = 2};
    obj_is(__LINE__, PG, "sqlite", &ix, NULL, 0, "CREATE INDEX \"i\" ON \"t\" (\"a\", \"b\")",
           NULL);
    obj_is(__LINE__, MY, "sqlite", &ix, NULL, 0, "CREATE INDEX `i` ON `t` (`a`, `b`)", NULL);
    obj_is(__LINE__, PG, "mysql", &ix, NULL, 0, "CREATE INDEX \"t_i\" ON \"t\" (\"a\", \"b\")",
           NULL);
    /* MySQL needs a prefix on long text columns */
    dbf_column tc[2] = {col("a", DBF_T_TEXT), col("b", DBF_T_INT)};
    tc[0].native_type = "longtext" CS;
    tc[1].native_type = "int";
    dbf_table tt = one_table("t", tc, 2);
    dbf_object ux = ix;
    ux.unique = true;
    obj_is(__LINE__, MY, "postgresql", &ux, &tt, 0,
           "CREATE UNIQUE INDEX `i` ON `t` (`a`(255), `b`)", "first 255 characters");
    dbf_object ex = ix;
    ex.columns = NULL;
    ex.ncolumns = 0;
    ex.sql = "CREATE INDEX i ON t (lower(a))";
    obj_is(__LINE__, PG, "sqlite", &ex, NULL, DBF_EUNSUPPORTED, NULL, "expression index");
    dbf_object gin = ix;
    gin.sql = "CREATE INDEX i ON public.t USING gin (a)";
    obj_is(__LINE__, MY, "postgresql", &gin, NULL, DBF_EUNSUPPORTED, NULL,
           "gin index of postgresql has no equivalent");
    dbf_kv ftkv[1] = {{"mysql.index_type", "FULLTEXT"}};
    dbf_object fti = ix;
    fti.attrs = ftkv;
    fti.nattrs = 1;
    obj_is(__LINE__, PG, "mysql", &fti, NULL, DBF_EUNSUPPORTED, NULL, "FULLTEXT index");
    const char *partly[] = {"a", ""};
    dbf_object pe = ix;
    pe.columns = partly;
    obj_is(__LINE__, SQ, "postgresql", &pe, NULL, DBF_EUNSUPPORTED, NULL, "expression index");
    dbf_column jc[2] = {col("a", DBF_T_JSON), col("b", DBF_T_INT)};
    jc[0].native_type = "json";
    dbf_table jt = one_table("t", jc, 2);
    obj_is(__LINE__, PG, "mysql", &ix, &jt, DBF_EUNSUPPORTED, NULL,
           "column \"a\" is json, which PostgreSQL cannot index");
    dbf_object px = ix;
    px.expr = "a > 0";
    obj_is(__LINE__, PG, "sqlite", &px, NULL, 0, "CREATE INDEX \"i\" ON \"t\" (\"a\", \"b\")",
           "partial index predicate (a > 0) dropped");
    px.unique = true;
    obj_is(__LINE__, PG, "sqlite", &px, NULL, DBF_EUNSUPPORTED, NULL, "partial unique index");

    dbf_object pk = {.kind = DBF_OBJ_CONSTRAINT, .subtype = "primary_key", .name = "t_pkey",
                     .table = "t", .columns = id, .ncolumns = 1};
    obj_is(__LINE__, MY, "postgresql", &pk, NULL, 0, NULL, NULL);
    dbf_object uq = pk;
    uq.subtype = "unique";
    uq.name = "u";
    obj_is(__LINE__, PG, "mysql", &uq, NULL, 0,
           "ALTER TABLE \"t\" ADD CONSTRAINT \"t_u\" UNIQUE (\"id\")", NULL);
    obj_is(__LINE__, SQ, "postgresql", &uq, NULL, 0, "CREATE UNIQUE INDEX \"u\" ON \"t\" (\"id\")",
           "created as a unique index");
    dbf_object fk = {.kind = DBF_OBJ_CONSTRAINT, .subtype = "foreign_key", .name = "fk",
                     .table = "t", .columns = p, .ncolumns = 1, .ref_table = "parent",
                     .ref_columns = id, .nref_columns = 1, .on_delete = "CASCADE",
                     .on_update = "NO ACTION"};
    obj_is(__LINE__, PG, "sqlite", &fk, NULL, 0,
           "ALTER TABLE \"t\" ADD CONSTRAINT \"fk\" FOREIGN KEY (\"p\") REFERENCES \"parent\" "
           "(\"id\") ON DELETE CASCADE",
           NULL);
    obj_is(__LINE__, MY, "postgresql", &fk, NULL, 0,
           "ALTER TABLE `t` ADD CONSTRAINT `fk` FOREIGN KEY (`p`) REFERENCES `parent` (`id`) "
           "ON DELETE CASCADE",
           NULL);
    obj_is(__LINE__, SQ, "postgresql", &fk, NULL, DBF_EUNSUPPORTED, NULL,
           "SQLite cannot add a foreign key");
    dbf_object bad = fk;
    bad.on_delete = "DROP DATABASE";
    obj_is(__LINE__, PG, "mysql", &bad, NULL, DBF_EUNSUPPORTED, NULL,
           "unknown referential action");
    dbf_object ck = {.kind = DBF_OBJ_CONSTRAINT, .subtype = "check", .name = "c", .table = "t",
                     .expr = "(price > (0)::numeric)"};
    obj_is(__LINE__, MY, "postgresql", &ck, NULL, 0,
           "ALTER TABLE `t` ADD CONSTRAINT `c` CHECK ((`price` > (0)))", NULL);
    ck.expr = "(char_length((name)::text) <= 10 AND \"Qty\" >= 0)";
    obj_is(__LINE__, MY, "postgresql", &ck, NULL, 0,
           "ALTER TABLE `t` ADD CONSTRAINT `c` CHECK ((CHAR_LENGTH((`name`)) <= 10 AND `Qty` "
           ">= 0))",
           NULL);
    ck.expr = "((qty >= (0)::integer AND (code)::character varying <> 'a'::text) AND "
              "ts <= 'now'::timestamp with time zone)";
    obj_is(__LINE__, PG, "postgresql", &ck, NULL, 0,
           "ALTER TABLE \"t\" ADD CONSTRAINT \"c\" CHECK (((\"qty\" >= (0) AND (\"code\") <> "
           "'a') AND \"ts\" <= 'now'))",
           NULL);
    ck.expr = "`a` <> 'x''y'";
    obj_is(__LINE__, PG, "mysql", &ck, NULL, 0,
           "ALTER TABLE \"t\" ADD CONSTRAINT \"t_c\" CHECK (\"a\" <> 'x''y')", NULL);
    ck.expr = "json_valid(`j`)";
    obj_is(__LINE__, PG, "mysql", &ck, NULL, 0, NULL, NULL);
    ck.expr = "json_valid(`j`) or 1";
    obj_is(__LINE__, PG, "mysql", &ck, NULL, DBF_EUNSUPPORTED, NULL, "not portable");
    /* MySQL: a longtext referencing column gets a length before the foreign key */
    dbf_column fc[1] = {col("p", DBF_T_TEXT)};
    fc[0].native_type = "longtext" CS;
    fc[0].flags = DBF_COL_NOT_NULL;
    dbf_table ft = one_table("t", fc, 1);
    obj_is(__LINE__, MY, "sqlite", &fk, &ft, 0,
           "ALTER TABLE `t` MODIFY `p` varchar(255)" CS " NOT NULL, ADD CONSTRAINT `fk` FOREIGN "
           "KEY (`p`) REFERENCES `parent` (`id`) ON DELETE CASCADE",
           "becomes varchar(255)");
    ck.expr = "a > 0";
    obj_is(__LINE__, SQ, "mysql", &ck, NULL, DBF_EUNSUPPORTED, NULL,
           "SQLite cannot add a check");
    dbf_object v = {.kind = DBF_OBJ_VIEW, .name = "v", .sql = "CREATE VIEW v AS SELECT 1"};
    obj_is(__LINE__, PG, "sqlite", &v, NULL, DBF_EUNSUPPORTED, NULL, "view \"v\"");
    dbf_object tr = {.kind = DBF_OBJ_TRIGGER, .name = "trg", .table = "t"};
    obj_is(__LINE__, MY, "postgresql", &tr, NULL, DBF_EUNSUPPORTED, NULL,
           "postgresql trigger code is not translated");
    dbf_object fn = {.kind = DBF_OBJ_NATIVE, .subtype = "function", .name = "f"};
    obj_is(__LINE__, SQ, "postgresql", &fn, NULL, DBF_EUNSUPPORTED, NULL,
           "function \"f\": postgresql-only object");
    dbf_object seq = {.kind = DBF_OBJ_SEQUENCE, .subtype = "sqlite_sequence", .name = "t",
                      .table = "t", .value = "42"};
    obj_is(__LINE__, PG, "sqlite", &seq, NULL, 0, NULL, "counters");
    dbf_column idc[1] = {icol(64, false)};
    idc[0].name = "id";
    idc[0].flags = DBF_COL_IDENTITY;
    dbf_table idt = one_table("t", idc, 1);
    obj_is(__LINE__, PG, "sqlite", &seq, &idt, 0,
           "SELECT setval(pg_get_serial_sequence('\"t\"', 'id'), GREATEST(GREATEST(COALESCE("
           "MAX(\"id\"), 0), 42), 1), GREATEST(COALESCE(MAX(\"id\"), 0), 42) > 0) FROM \"t\"",
           NULL);
    obj_is(__LINE__, MY, "sqlite", &seq, &idt, 0, "ALTER TABLE `t` AUTO_INCREMENT = 43", NULL);
    dbf_object own = {.kind = DBF_OBJ_NATIVE, .subtype = "sequence_owned_by", .name = "s"};
    obj_is(__LINE__, MY, "postgresql", &own, NULL, 0, NULL, NULL);
    dbf_object set = {.kind = DBF_OBJ_SETTING, .name = "user_version", .value = "7"};
    obj_is(__LINE__, PG, "sqlite", &set, NULL, DBF_EUNSUPPORTED, NULL, "user_version");
    dbf_object en = {.kind = DBF_OBJ_TYPE, .subtype = "enum", .name = "mood"};
    obj_is(__LINE__, MY, "postgresql", &en, NULL, 0, NULL, NULL);
    dbf_object sch = {.kind = DBF_OBJ_SCHEMA, .name = "app"};
    obj_is(__LINE__, MY, "postgresql", &sch, NULL, 0, NULL, NULL);
}

/* ------------------------------------------------------- SQLite constraints */

static void sqlite_cons_is(int line, const char *create, const char *const *want_pg, size_t n)
{
    dbf_table t = one_table("t x", NULL, 0);
    t.native_sql = create;
    dbe_xlate_objs *l = NULL;
    dbf_error e = {0};
    checks++;
    int rc = dbe_xlate_sqlite_constraints(&l, &t, &e);
    if (rc) {
        failures++;
        fprintf(stderr, "line %d: rc %d %s\n", line, rc, e.msg);
        return;
    }
    if (dbe_xlate_objs_count(l) != n) {
        failures++;
        fprintf(stderr, "line %d: %zu objects, want %zu\n", line, dbe_xlate_objs_count(l), n);
    }
    dbf_header h = {.engine = "sqlite"};
    for (size_t i = 0; i < n && i < dbe_xlate_objs_count(l); i++) {
        char *sql = NULL, *note = NULL;
        dbe_xlate_object(&sql, &note, PG, &h, dbe_xlate_objs_get(l, i), NULL, NULL, &e);
        if (!sql || strcmp(sql, want_pg[i]) != 0) {
            failures++;
            fprintf(stderr, "line %d: object %zu:\n got %s\nwant %s\n", line, i,
                    sql ? sql : note ? note : "(null)", want_pg[i]);
        }
        free(sql);
        free(note);
    }
    dbe_xlate_objs_free(l);
}

static void test_sqlite_constraints(void)
{
    static const char *const album[] = {
        "ALTER TABLE \"t x\" ADD CONSTRAINT \"t x_ArtistId_fkey\" FOREIGN KEY (\"ArtistId\") "
        "REFERENCES \"Artist\" (\"ArtistId\")"};
    sqlite_cons_is(__LINE__,
                   "CREATE TABLE [Album]\n(\n    [AlbumId] INTEGER  NOT NULL,\n    [Title] "
                   "NVARCHAR(160)  NOT NULL,\n    [ArtistId] INTEGER  NOT NULL,\n    CONSTRAINT "
                   "[PK_Album] PRIMARY KEY  ([AlbumId]),\n    FOREIGN KEY ([ArtistId]) "
                   "REFERENCES [Artist] ([ArtistId]) \n\t\tON DELETE NO ACTION ON UPDATE NO "
                   "ACTION\n)",
                   album, 1);
    static const char *const tricky[] = {
        "ALTER TABLE \"t x\" ADD CONSTRAINT \"t x_a b_key\" UNIQUE (\"a b\")",
        "ALTER TABLE \"t x\" ADD CONSTRAINT \"t x_a b_check\" CHECK (char_length(\"a b\") < 10)",
        "ALTER TABLE \"t x\" ADD CONSTRAINT \"t x_p_fkey\" FOREIGN KEY (\"p\") REFERENCES "
        "\"parent\" ON DELETE SET NULL",
        "ALTER TABLE \"t x\" ADD CONSTRAINT \"q_fk\" FOREIGN KEY (\"q\") REFERENCES "
        "\"par\"\"ent\" (\"id\") ON UPDATE CASCADE",
        "ALTER TABLE \"t x\" ADD CONSTRAINT \"uq\" UNIQUE (\"p\", \"q\")",
        "ALTER TABLE \"t x\" ADD CONSTRAINT \"t x_check1\" CHECK (\"q\" > 0 AND \"d\" <> "
        "'x''y')",
        "ALTER TABLE \"t x\" ADD CONSTRAINT \"t x_p_q_fkey\" FOREIGN KEY (\"p\", \"q\") "
        "REFERENCES \"other\" (\"x\", \"y\")",
    };
    sqlite_cons_is(__LINE__,
                   "CREATE TABLE \"t x\"(\n"
                   "  id INTEGER PRIMARY KEY, -- REFERENCES nothing, UNIQUE nothing\n"
                   "  [a b] TEXT NOT NULL UNIQUE CHECK(length([a b]) < 10),\n"
                   "  p INT REFERENCES parent ON DELETE SET NULL,\n"
                   "  q INT CONSTRAINT q_fk REFERENCES \"par\"\"ent\"(id) ON UPDATE CASCADE "
                   "DEFERRABLE INITIALLY DEFERRED,\n"
                   "  d TEXT DEFAULT 'UNIQUE' /* CHECK (no) */ COLLATE NOCASE,\n"
                   "  CONSTRAINT uq UNIQUE (p, q),\n"
                   "  CHECK (q > 0 AND d <> 'x''y'),\n"
                   "  FOREIGN KEY (p, q) REFERENCES `other` (`x`, `y`) MATCH SIMPLE\n"
                   ") WITHOUT ROWID",
                   tricky, 7);
    sqlite_cons_is(__LINE__, "CREATE TABLE t(a, b)", NULL, 0);
    /* MySQL needs the referenced columns */
    dbf_table t = one_table("c", NULL, 0);
    t.native_sql = "CREATE TABLE c(p INTEGER REFERENCES parent)";
    dbe_xlate_objs *l = NULL;
    dbf_error e = {0};
    CHECK(dbe_xlate_sqlite_constraints(&l, &t, &e) == 0 && dbe_xlate_objs_count(l) == 1, "c");
    if (l) {
        obj_is(__LINE__, MY, "sqlite", dbe_xlate_objs_get(l, 0), NULL, DBF_EUNSUPPORTED, NULL,
               "without naming its columns");
        dbe_xlate_objs_free(l);
    }
    t.native_sql = "CREATE TABLE c(p TEXT DEFAULT 'unterminated)";
    CHECK(dbe_xlate_sqlite_constraints(&l, &t, &e) == DBF_EUNSUPPORTED, "bad text refused");
}

/* MySQL BIGINT UNSIGNED AUTO_INCREMENT ids (Laravel's id()) and the columns referencing them */
static void test_uint64_ids(void)
{
    dbf_column u[1] = {icol(64, true)};
    u[0].name = "id";
    u[0].flags = DBF_COL_IDENTITY | DBF_COL_NOT_NULL;
    dbf_column p[2] = {icol(64, true), icol(64, true)};
    p[0].name = "id";
    p[1].name = "user_id";
    const char *pk[] = {"id"}, *fkc[] = {"user_id"};
    dbf_table tu = one_table("users", u, 1), tp = one_table("posts", p, 2);
    tu.primary_key = tp.primary_key = pk;
    tu.nprimary_key = tp.nprimary_key = 1;
    dbf_header h = {.engine = "mysql"};
    dbe_xlate *xu = NULL, *xp = NULL;
    dbf_error e = {0};
    CHECK(dbe_xlate_table_create(&xu, PG, &h, &tu, NULL, &e) == 0, "%s", e.msg);
    CHECK(dbe_xlate_table_create(&xp, PG, &h, &tp, NULL, &e) == 0, "%s", e.msg);
    if (xu && xp) {
        CHECK_STR(dbe_xlate_target(xu)->native_sql,
                  "CREATE TABLE \"users\" (\n  \"id\" bigint GENERATED BY DEFAULT AS IDENTITY "
                  "NOT NULL,\n  PRIMARY KEY (\"id\")\n)");
        CHECK_STR(dbe_xlate_target(xp)->native_sql,
                  "CREATE TABLE \"posts\" (\n  \"id\" numeric(20,0),\n  \"user_id\" "
                  "numeric(20,0),\n  PRIMARY KEY (\"id\")\n)");
        dbf_value big = vu(UINT64_MAX);
        const dbf_value *out;
        size_t n;
        int rc = dbe_xlate_row(xu, &big, 1, 4, &out, &n, &e);
        CHECK(rc == DBC_EDATA && strstr(e.msg, "row 4: value 18446744073709551615 is out of "
                                             "range for a 64-bit integer"),
              "uint64 id: %s", e.msg);
        dbf_object fk = {.kind = DBF_OBJ_CONSTRAINT, .subtype = "foreign_key", .name = "fk",
                         .table = "posts", .columns = fkc, .ncolumns = 1,
                         .ref_table = "users", .ref_columns = pk, .nref_columns = 1};
        obj_is(__LINE__, PG, "mysql", &fk, dbe_xlate_target(xp), 0,
               "ALTER TABLE \"posts\" ALTER COLUMN \"user_id\" TYPE bigint, ADD CONSTRAINT "
               "\"posts_fk\" FOREIGN KEY (\"user_id\") REFERENCES \"users\" (\"id\")",
               "becomes bigint like the id it references");
    }
    dbe_xlate_free(xu);
    dbe_xlate_free(xp);
}

/* SQLite targets: foreign keys and checks through a table rebuild. */
static void test_sqlite_rebuild(void)
{
    dbf_column c[2] = {icol(32, false), icol(32, false)};
    c[0].name = "id";
    c[1].name = "p";
    const char *pk[] = {"id"}, *pc[] = {"p"};
    dbf_table t = one_table("k", c, 2);
    t.primary_key = pk;
    t.nprimary_key = 1;
    dbf_header h = {.engine = "postgresql"};
    dbe_xlate *x = NULL;
    dbf_error e = {0};
    CHECK(dbe_xlate_table_create(&x, SQ, &h, &t, NULL, &e) == 0, "%s", e.msg);
    if (!x)
        return;
    dbf_object fk = {.kind = DBF_OBJ_CONSTRAINT, .subtype = "foreign_key", .name = "k_fk",
                     .table = "k", .columns = pc, .ncolumns = 1, .ref_table = "par",
                     .ref_columns = pk, .nref_columns = 1, .on_update = "CASCADE"};
    dbf_object ck = {.kind = DBF_OBJ_CONSTRAINT, .subtype = "check", .name = "k_ck",
                     .table = "k", .expr = "(p <> 0)"};
    dbf_object bad = ck;
    bad.expr = "p ~ 'x'";
    char *sql = NULL, *note = NULL;
    CHECK(dbe_xlate_sqlite_add_constraint(&sql, &note, x, &h, &fk, &e) == 0, "%s", e.msg);
    free(sql);
    free(note);
    CHECK(dbe_xlate_sqlite_add_constraint(&sql, &note, x, &h, &bad, &e) == DBF_EUNSUPPORTED &&
              sql == NULL && note && strstr(note, "not portable"),
          "bad check: %s", note ? note : "");
    free(note);
    CHECK(dbe_xlate_sqlite_add_constraint(&sql, &note, x, &h, &ck, &e) == 0, "%s", e.msg);
    CHECK_STR(sql, "CREATE TABLE \"k__dbr_rebuild\" (\n  \"id\" INTEGER,\n  \"p\" INTEGER,\n"
                   "  PRIMARY KEY (\"id\"),\n"
                   "  CONSTRAINT \"k_fk\" FOREIGN KEY (\"p\") REFERENCES \"par\" (\"id\") ON "
                   "UPDATE CASCADE,\n  CONSTRAINT \"k_ck\" CHECK ((\"p\" <> 0))\n);\n"
                   "INSERT INTO \"k__dbr_rebuild\" SELECT * FROM \"k\";\nDROP TABLE \"k\";\n"
                   "ALTER TABLE \"k__dbr_rebuild\" RENAME TO \"k\"");
    free(sql);
    free(note);
    dbe_xlate_free(x);
    CHECK(dbe_xlate_table_create(&x, PG, &h, &t, NULL, &e) == 0, "%s", e.msg);
    if (x) {
        CHECK(dbe_xlate_sqlite_add_constraint(&sql, &note, x, &h, &fk, &e) == DBF_EINVAL,
              "only for SQLite targets");
        dbe_xlate_free(x);
    }
}

/* ------------------------------------------------------- data-only (into) */

static void test_into(void)
{
    /* a SQLite archive table ... */
    dbf_column sc[6] = {any_col("INTEGER"), any_col("INTEGER"), any_col("DATETIME"),
                        any_col("TEXT"), any_col("TEXT"), any_col("TEXT")};
    sc[0].name = "id";
    sc[0].flags = DBF_COL_IDENTITY | DBF_COL_NOT_NULL;
    sc[1].name = "active";
    sc[2].name = "created";
    sc[3].name = "payload";
    sc[4].name = "Name";
    sc[5].name = "ghost";
    dbf_table st = one_table("users", sc, 5);
    /* ... into the table an ORM created in PostgreSQL */
    dbf_column tc[6] = {icol(64, false), col("name", DBF_T_TEXT), col("active", DBF_T_BOOL),
                        col("created", DBF_T_TIMESTAMPTZ), col("payload", DBF_T_JSON),
                        col("extra", DBF_T_TEXT)};
    tc[0].name = "id";
    tc[0].flags = DBF_COL_IDENTITY | DBF_COL_NOT_NULL;
    tc[4].native_type = "jsonb";
    dbf_table et = one_table("users", tc, 6);
    dbf_header h = {.engine = "sqlite"};
    dbe_xlate *x = NULL;
    dbf_error e = {0};
    CHECK(dbe_xlate_table_into(&x, PG, &h, &st, &et, NULL, &e) == 0, "into: %s", e.msg);
    if (x) {
        const dbf_table *tt = dbe_xlate_target(x);
        CHECK(tt->ncolumns == 5 && strcmp(tt->columns[1].name, "name") == 0 &&
                  tt->native_sql == NULL,
              "into: target columns");
        CHECK(dbe_xlate_nnotes(x) == 1 && strstr(dbe_xlate_note(x, 0), "ignoring case"),
              "case-insensitive match noted");
        dbf_value row[5] = {vi(1), vi(1), vs("2020-01-01 10:00:00"), vs("{\"a\": 1}"), vs("x")};
        const dbf_value *out;
        size_t n;
        int rc = dbe_xlate_row(x, row, 5, 1, &out, &n, &e);
        char got[5][100];
        for (size_t i = 0; rc == 0 && i < 5; i++)
            render(got[i], sizeof got[i], &out[i]);
        CHECK(rc == 0 && n == 5 && strcmp(got[0], "int:1") == 0 && strcmp(got[1], "str:x") == 0 &&
                  strcmp(got[2], "bool:1") == 0 &&
                  strcmp(got[3], "str:2020-01-01 10:00:00Z") == 0 &&
                  strcmp(got[4], "str:{\"a\": 1}") == 0,
              "into row: rc %d %s", rc, e.msg);
        dbf_value bad[5] = {vi(2), vi(7), vs("2020-01-01"), vs("{}"), vs("y")};
        rc = dbe_xlate_row(x, bad, 5, 2, &out, &n, &e);
        CHECK(rc == DBC_EDATA && strstr(e.msg, "table \"users\" column \"active\" row 2: value 7 "
                                             "is not a boolean"),
              "into: bad boolean: %s", e.msg);
        char *cs = NULL;
        dbe_xlate_counters_sql(&cs, x, &e);
        CHECK_STR(cs, "SELECT setval(pg_get_serial_sequence('\"users\"', 'id'), "
                      "GREATEST(GREATEST(COALESCE(MAX(\"id\"), 0), 0), 1), "
                      "GREATEST(COALESCE(MAX(\"id\"), 0), 0) > 0) FROM \"users\"");
        free(cs);
        dbe_xlate_free(x);
    }
    /* an archive column without a target column: refused, listing it; or skipped */
    st.ncolumns = 6;
    x = NULL;
    int rc = dbe_xlate_table_into(&x, PG, &h, &st, &et, NULL, &e);
    CHECK(rc == DBF_EUNSUPPORTED && x == NULL &&
              strstr(e.msg, "table \"users\": archive column without a target column: "
                            "\"ghost\""),
          "into: missing column: %d %s", rc, e.msg);
    dbe_xlate_opts o = DBE_XLATE_OPTS_INIT;
    o.skip_missing = true;
    CHECK(dbe_xlate_table_into(&x, PG, &h, &st, &et, &o, &e) == 0 && x &&
              dbe_xlate_target(x)->ncolumns == 5,
          "into: skip_missing: %s", e.msg);
    dbe_xlate_free(x);

    /* PostgreSQL boolean / uuid / timestamptz into MySQL's tinyint(1) / char(36) / TIMESTAMP */
    dbf_column pc[3] = {col("b", DBF_T_BOOL), col("u", DBF_T_UUID), col("t", DBF_T_TIMESTAMPTZ)};
    dbf_column mc[3] = {icol(8, false), col("u", DBF_T_TEXT), col("t", DBF_T_TIMESTAMPTZ)};
    mc[0].name = "b";
    mc[0].native_type = "tinyint(1)";
    mc[1].length = 36;
    dbf_table pt = one_table("p", pc, 3), mt = one_table("p", mc, 3);
    dbf_header hp = {.engine = "postgresql"};
    CHECK(dbe_xlate_table_into(&x, MY, &hp, &pt, &mt, NULL, &e) == 0, "into mysql: %s", e.msg);
    if (x) {
        dbf_value row[3] = {vb(true), vbin(uuid_bytes, 16), vs("2020-01-01 10:00:00Z")};
        const dbf_value *out;
        size_t n;
        char g0[64], g1[64], g2[64];
        CHECK(dbe_xlate_row(x, row, 3, 1, &out, &n, &e) == 0, "into mysql row: %s", e.msg);
        render(g0, sizeof g0, &out[0]);
        render(g1, sizeof g1, &out[1]);
        render(g2, sizeof g2, &out[2]);
        CHECK_STR(g0, "int:1");
        CHECK_STR(g1, "str:a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
        CHECK_STR(g2, "str:2020-01-01 10:00:00Z");
        dbe_xlate_free(x);
    }
    /* into an existing SQLite INTEGER column: text is refused, naming the row */
    dbf_column tx = col("n", DBF_T_TEXT), si = any_col("INTEGER");
    si.name = "n";
    dbf_table a = one_table("q", &tx, 1), b = one_table("q", &si, 1);
    CHECK(dbe_xlate_table_into(&x, SQ, &hp, &a, &b, NULL, &e) == 0, "into sqlite: %s", e.msg);
    if (x) {
        dbf_value v = vs("12a");
        const dbf_value *out;
        size_t n;
        rc = dbe_xlate_row(x, &v, 1, 9, &out, &n, &e);
        CHECK(rc == DBC_EDATA && strstr(e.msg, "table \"q\" column \"n\" row 9: value '12a' is "
                                             "text in an integer column"),
              "into sqlite: %s", e.msg);
        dbe_xlate_free(x);
    }
}

/* --------------------------------------------------------------------- plan */

static int collect(void *ctx, const char *line)
{
    char *buf = ctx;
    size_t n = strlen(buf);
    snprintf(buf + n, 8192 - n, "%s\n", line);
    return 0;
}

static void test_plan(void)
{
    dbf_column a[2] = {icol(64, true), col("t", DBF_T_TEXT)};
    a[0].name = "big";
    a[0].native_type = "bigint unsigned";
    dbf_column b[1] = {col("n", DBF_T_INT)};
    b[0].bits = 32;
    dbf_table ta = one_table("a", a, 2), tb = one_table("b", b, 1);
    tb.id = 2;
    const dbf_table *tables[] = {&ta, &tb};
    dbf_object trg = {.kind = DBF_OBJ_TRIGGER, .name = "trg", .table = "a"};
    const char *cols[] = {"n"};
    dbf_object ix = {.kind = DBF_OBJ_INDEX, .name = "ix", .table = "b", .columns = cols,
                     .ncolumns = 1};
    const dbf_object *objs[] = {&trg, &ix};
    dbf_header h = {.engine = "mysql"};
    char buf[8192] = "";
    dbf_error e = {0};
    int rc = dbe_xlate_plan(PG, &h, tables, 2, objs, 2, NULL, collect, buf, &e);
    CHECK(rc == 0, "plan rc %d", rc);
    CHECK_STR(buf, "plan: mysql archive -> postgresql, 2 tables, 2 objects\n"
                   "table \"a\" column \"big\": bigint unsigned -> numeric(20,0): unsigned "
                   "64-bit integers as exact numeric text (values unchanged)\n"
                   "not expressible: trigger \"trg\" on \"a\": mysql trigger code is not "
                   "translated; not created\n"
                   "plan: 2 tables, 2 notes, 1 objects not expressible, 0 errors\n");
    /* SQLite archives: constraints inside CREATE TABLE are planned too */
    {
        dbf_column sc[1] = {any_col("INTEGER")};
        sc[0].name = "p";
        dbf_table st = one_table("c", sc, 1);
        st.native_sql = "CREATE TABLE c(p INTEGER REFERENCES parent CHECK (p > 0))";
        const dbf_table *sts[] = {&st};
        dbf_header hs = {.engine = "sqlite"};
        char b2[8192] = "";
        CHECK(dbe_xlate_plan(MY, &hs, sts, 1, NULL, 0, NULL, collect, b2, &e) == 0, "plan2");
        CHECK_STR(b2, "plan: sqlite archive -> mysql, 1 tables, 0 objects\n"
                      "not expressible: foreign key \"c_p_fkey\" on \"c\": references \"parent\" "
                      "without naming its columns, which MySQL requires; not created\n"
                      "plan: 1 tables, 1 notes, 1 objects not expressible, 0 errors\n");
    }
    /* SQLite targets: foreign keys are planned as a table rebuild */
    {
        const char *nc[] = {"n"};
        dbf_object fko = {.kind = DBF_OBJ_CONSTRAINT, .subtype = "foreign_key", .name = "fk",
                          .table = "b", .columns = nc, .ncolumns = 1, .ref_table = "a",
                          .ref_columns = nc, .nref_columns = 1};
        const dbf_object *fobjs[] = {&fko};
        char b3[8192] = "";
        CHECK(dbe_xlate_plan(SQ, &h, tables, 2, fobjs, 1, NULL, collect, b3, &e) == 0, "plan3");
        CHECK(strstr(b3, "foreign key \"fk\" on \"b\": SQLite cannot add it to an existing "
                         "table: the table is rebuilt with it") &&
                  strstr(b3, "0 objects not expressible"),
              "plan3: %s", b3);
    }
    /* two tables colliding after truncation */
    char l1[80], l2[80];
    memset(l1, 'y', 64);
    l1[64] = '1';
    l1[65] = '\0';
    memset(l2, 'y', 64);
    l2[64] = '2';
    l2[65] = '\0';
    ta.name = l1;
    tb.name = l2;
    buf[0] = '\0';
    rc = dbe_xlate_plan(PG, &h, tables, 2, NULL, 0, NULL, collect, buf, &e);
    CHECK(rc == 0 && strstr(buf, "ERROR: tables names") && strstr(buf, "1 errors"),
          "collision in plan: %s", buf);
}

/* ------------------------------------------------------------------- digest */

static void test_digest(void)
{
    dbf_column cols[3] = {col("b", DBF_T_BOOL), icol(64, true), col("u", DBF_T_UUID)};
    cols[1].name = "n";
    dbf_table t = one_table("d", cols, 3);
    dbf_header h = {.engine = "postgresql"};
    dbe_xlate *x = NULL;
    dbf_error e = {0};
    CHECK(dbe_xlate_table_create(&x, MY, &h, &t, NULL, &e) == 0, "digest table: %s", e.msg);
    if (!x)
        return;
    dbf_value row[3] = {vb(true), vu(UINT64_MAX), vbin(uuid_bytes, 16)};
    const dbf_value *out;
    size_t n;
    CHECK(dbe_xlate_row(x, row, 3, 1, &out, &n, &e) == 0, "digest row: %s", e.msg);
    dbf_digest d1, d2;
    dbf_digest_init(&d1);
    dbf_digest_init(&d2);
    CHECK(dbe_xlate_digest_row(x, &d1, out, n, &e) == 0, "digest: %s", e.msg);
    /* what a read-back of the MySQL table gives, built by hand in the target's types */
    dbf_value back[3] = {vi(1), vu(UINT64_MAX), vs("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11")};
    CHECK(dbf_digest_add_row(&d2, dbe_xlate_target(x), back, 3, &e) == 0, "digest2: %s", e.msg);
    uint8_t b1[DBF_DIGEST_SIZE], b2[DBF_DIGEST_SIZE];
    dbf_digest_final(&d1, b1);
    dbf_digest_final(&d2, b2);
    CHECK(memcmp(b1, b2, sizeof b1) == 0 && d1.rows == 1, "sent and read-back digests differ");
    /* a different read-back differs */
    dbf_value back2[3] = {vi(0), vu(UINT64_MAX), vs("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11")};
    dbf_digest d3;
    dbf_digest_init(&d3);
    dbf_digest_add_row(&d3, dbe_xlate_target(x), back2, 3, &e);
    dbf_digest_final(&d3, b2);
    CHECK(memcmp(b1, b2, sizeof b1) != 0, "digest must see a changed value");
    CHECK(!dbe_xlate_is_identity(x), "bool -> tinyint(1) changes values");
    dbe_xlate_free(x);

    /* text and dates that only get validated: the archive's digest still applies */
    dbf_column tc[2] = {col("t", DBF_T_TEXT), col("d", DBF_T_DATE)};
    dbf_table t2 = one_table("v", tc, 2);
    dbf_header hm = {.engine = "mysql"};
    CHECK(dbe_xlate_table_create(&x, PG, &hm, &t2, NULL, &e) == 0, "%s", e.msg);
    if (x) {
        dbf_value r2[2] = {vs("ENC:v3:k:00ff"), vs("2020-02-29")};
        CHECK(dbe_xlate_row(x, r2, 2, 1, &out, &n, &e) == 0, "%s", e.msg);
        CHECK(dbe_xlate_is_identity(x), "validated values are unchanged");
        dbe_xlate_free(x);
    }
}

/* Many rows through one handle: memory is reused (arena), values stay right. */
/* Canonical JSON for verify digests: the forms PostgreSQL jsonb gives back for these inputs
 * (keys by bytes, last duplicate kept, no whitespace, escapes decoded) map to one text. */
static void json_canon_is(int line, const char *in, const char *want)
{
    xl_sbuf b = {0};
    int rc = xl_json_canon(&b, in, strlen(in));
    if (!want) {
        CHECK(rc == -1 && b.len == 0, "line %d: [%s] accepted as [%s]", line, in,
              b.p ? b.p : "");
    } else {
        CHECK(rc == 0, "line %d: [%s] refused", line, in);
        CHECK_STR(b.p ? b.p : "", want);
    }
    xl_sb_free(&b);
}
#define JCANON(in, want) json_canon_is(__LINE__, in, want)

static void test_json_canon(void)
{
    JCANON("{\"theme\": \"dark\", \"n\": 3}", "{\"n\":3,\"theme\":\"dark\"}");
    JCANON("{\"n\":3,\"theme\":\"dark\"}", "{\"n\":3,\"theme\":\"dark\"}");
    JCANON(" { \"a\" : 1 , \"a\" : 2 } ", "{\"a\":2}");
    JCANON("{\"b\": [1, 2.50, -0, 1e2, {\"z\": null, \"y\": true}]}",
           "{\"b\":[1,2.5,0,100,{\"y\":true,\"z\":null}]}");
    JCANON("\"x\\u00e9\\/\\ud83d\\ude00\\n\"", "\"x\xc3\xa9/\xf0\x9f\x98\x80\\n\"");
    JCANON("{\"ab\": 1, \"b\": 2, \"a\": 3}", "{\"a\":3,\"ab\":1,\"b\":2}");
    JCANON("[]", "[]");
    JCANON("{}", "{}");
    JCANON("0.1", "0.1");
    JCANON("{\"a\": 1,}", NULL);
    JCANON("[1 2]", NULL);
    JCANON("tru", NULL);
    JCANON("\"open", NULL);
    JCANON("1 x", NULL);
}

/* Long texts inside messages are shortened on purpose, with a marker and their length. */
static void test_short_texts(void)
{
    char sh[DBC_SHORT_MAX], pv[256];
    CHECK_STR(dbc_short(sh, "id=42", 5), "id=42");
    char v[400];
    memset(v, 'a', sizeof v);
    memcpy(v + 99, "\xc3\xa9", 2); /* an e-acute across the cut: it ends before it */
    dbc_short(sh, v, sizeof v);
    CHECK(strlen(sh) == 99 + strlen("... (400 bytes)") &&
          strcmp(sh + 99, "... (400 bytes)") == 0, "got [%s]", sh);
    dbf_value s = {.kind = DBF_V_STR, .u.s = {v, 300}};
    xl_value_preview(pv, sizeof pv, &s);
    CHECK(strstr(pv, "'... (300 bytes)") != NULL && pv[0] == '\'', "got [%s]", pv);
    dbf_value b = {.kind = DBF_V_BIN, .u.s = {v, 17}};
    xl_value_preview(pv, sizeof pv, &b);
    CHECK_STR(pv, "x'61616161616161616161616161616161'... (17 bytes)");
    s.u.s.len = 5;
    xl_value_preview(pv, sizeof pv, &s);
    CHECK_STR(pv, "'aaaaa'");
}

static void test_many_rows(void)
{
    dbf_column c = any_col("NUMERIC(12,3)");
    dbf_table t = one_table("m", &c, 1);
    dbf_header h = {.engine = "sqlite"};
    dbe_xlate *x = NULL;
    dbf_error e = {0};
    CHECK(dbe_xlate_table_create(&x, PG, &h, &t, NULL, &e) == 0, "%s", e.msg);
    if (!x)
        return;
    int bad = 0;
    for (int64_t i = 0; i < 200000; i++) {
        dbf_value v = vi(i);
        const dbf_value *out;
        size_t n;
        char want[32];
        snprintf(want, sizeof want, "%" PRId64 ".000", i);
        if (dbe_xlate_row(x, &v, 1, (uint64_t)i + 1, &out, &n, &e) != 0 ||
            out[0].u.s.len != strlen(want) || memcmp(out[0].u.s.ptr, want, strlen(want)) != 0)
            bad++;
    }
    CHECK(bad == 0, "%d rows wrong", bad);
    dbe_xlate_free(x);
}

int main(void)
{
    test_identifiers();
    test_type_matrix();
    test_sqlite_inference();
    test_values_from_sqlite();
    test_values_typed();
    test_arrays();
    test_defaults();
    test_identity_ddl();
    test_objects();
    test_sqlite_constraints();
    test_into();
    test_sqlite_rebuild();
    test_uint64_ids();
    test_plan();
    test_digest();
    test_many_rows();
    test_json_canon();
    test_short_texts();
    printf("%d checks, %d failures\n", checks, failures);
    return failures ? 1 : 0;
}
