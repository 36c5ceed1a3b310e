/*
 * test_api.c - writer/reader API behaviour: schema fields round trip, misuse and bad values
 * refused with messages naming table, column and row, interleaved tables, several large
 * values in one row, reader limits, write failures, deep copies of tables and objects.
 */
#include "tutil.h"

static dbf_writer *new_writer(t_buf *b)
{
    dbf_error e = {0, ""};
    dbf_writer_opts wo = DBF_WRITER_OPTS_INIT;
    wo.write = t_buf_write;
    wo.ctx = b;
    dbf_writer *w = NULL;
    REQUIRE_OK(dbf_writer_create(&w, &wo, &e), &e);
    return w;
}

#define COL(nm, ty) {.name = (nm), .type = (ty), .length = -1, .precision = -1, .scale = -1}

static int streq(const char *a, const char *b)
{
    return a != NULL && b != NULL && strcmp(a, b) == 0;
}

static void test_schema_round_trip(void)
{
    dbf_error e = {0, ""};
    t_buf b = {0};
    dbf_writer *w = new_writer(&b);
    static const dbf_kv opts[] = {{"jobs", "1"}, {"schema-only", "0"}};
    dbf_header h = {.producer = "dbdump 0.1.0", .engine = "postgresql",
                    .server_version = "15.4", .database = "app", .encoding = "UTF-8",
                    .time_zone = "Europe/Paris", .created = "2026-01-01T00:00:00Z",
                    .options = opts, .noptions = 2};
    static const char *const labels[] = {"a", "b,c", ""};
    static const dbf_kv cattrs[] = {{"mysql.on_update", "CURRENT_TIMESTAMP"}};
    dbf_column cols[3] = {
        {.name = "id", .type = DBF_T_INT, .bits = 16, .is_unsigned = true, .length = -1,
         .precision = -1, .scale = -1, .flags = DBF_COL_NOT_NULL | DBF_COL_IDENTITY_ALWAYS,
         .native_type = "smallint unsigned", .default_expr = "0", .comment = "the id",
         .attrs = cattrs, .nattrs = 1},
        {.name = "e", .type = DBF_T_ENUM, .length = 3, .precision = 0, .scale = 0,
         .labels = labels, .nlabels = 3, .collation = "C", .charset = "utf8mb4"},
        {.name = "g", .type = DBF_T_ARRAY, .elem_type = DBF_T_DECIMAL, .length = -1,
         .precision = 10, .scale = 2, .flags = DBF_COL_GENERATED, .generated_expr = "x+1"},
    };
    static const char *const pk[] = {"id", "e"};
    static const dbf_kv tattrs[] = {{"sqlite.without_rowid", "1"}};
    dbf_table t = {.id = 4000000000u, .schema = "public", .name = "tbl", .columns = cols,
                   .ncolumns = 3, .primary_key = pk, .nprimary_key = 2, .engine = "postgresql",
                   .native_sql = "CREATE TABLE tbl ()", .comment = "c", .row_estimate = 0,
                   .attrs = tattrs, .nattrs = 1};
    static const char *const ic[] = {"id"}, *const rc[] = {"x"};
    dbf_object o = {.kind = DBF_OBJ_CONSTRAINT, .section = DBF_SEC_POST,
                    .subtype = "foreign_key", .schema = "public", .name = "fk", .table = "tbl",
                    .engine = "postgresql", .sql = "ALTER TABLE ...", .columns = ic,
                    .ncolumns = 1, .expr = "id > 0", .ref_schema = "s", .ref_table = "other",
                    .ref_columns = rc, .nref_columns = 1, .on_delete = "CASCADE",
                    .on_update = "RESTRICT", .value = "v", .attrs = tattrs, .nattrs = 1};
    REQUIRE_OK(dbf_writer_header(w, &h, &e), &e);
    REQUIRE_OK(dbf_writer_table(w, &t, &e), &e);
    cols[0].name = "changed after the call"; /* the writer copied the table */
    REQUIRE_OK(dbf_writer_object(w, &o, &e), &e);
    REQUIRE_OK(dbf_writer_finish(w, &e), &e);
    dbf_writer_free(w);

    t_src src = {b.p, b.len, 0, 0};
    dbf_reader_opts ro = DBF_READER_OPTS_INIT;
    ro.read = t_src_read;
    ro.ctx = &src;
    dbf_reader *r = NULL;
    REQUIRE_OK(dbf_reader_create(&r, &ro, &e), &e);
    dbf_msg m;
    REQUIRE_OK(dbf_reader_next(r, &m, &e), &e);
    REQUIRE(m.kind == DBF_MSG_HEADER);
    const dbf_header *rh = m.header;
    CHECK(rh->version_major == 1 && rh->version_minor == 2);
    CHECK(streq(rh->producer, "dbdump 0.1.0") && streq(rh->engine, "postgresql"));
    CHECK(streq(rh->server_version, "15.4") && streq(rh->database, "app"));
    CHECK(streq(rh->encoding, "UTF-8") && streq(rh->time_zone, "Europe/Paris"));
    CHECK(streq(rh->created, "2026-01-01T00:00:00Z"));
    CHECK(rh->noptions == 2 && streq(rh->options[1].key, "schema-only") &&
          streq(rh->options[1].value, "0"));
    REQUIRE_OK(dbf_reader_next(r, &m, &e), &e);
    REQUIRE(m.kind == DBF_MSG_TABLE);
    const dbf_table *rt = m.table;
    CHECK(rt->id == 4000000000u && streq(rt->schema, "public") && streq(rt->name, "tbl"));
    CHECK(rt->nprimary_key == 2 && streq(rt->primary_key[1], "e"));
    CHECK(streq(rt->engine, "postgresql") && streq(rt->native_sql, "CREATE TABLE tbl ()"));
    CHECK(streq(rt->comment, "c") && rt->row_estimate == 0);
    CHECK(rt->nattrs == 1 && streq(rt->attrs[0].key, "sqlite.without_rowid"));
    REQUIRE(rt->ncolumns == 3);
    const dbf_column *c0 = &rt->columns[0], *c1 = &rt->columns[1], *c2 = &rt->columns[2];
    CHECK(streq(c0->name, "id") && c0->type == DBF_T_INT && streq(c0->type_name, "int"));
    CHECK(c0->bits == 16 && c0->is_unsigned && c0->length == -1 && c0->precision == -1);
    CHECK(c0->flags == (DBF_COL_NOT_NULL | DBF_COL_IDENTITY_ALWAYS));
    CHECK(streq(c0->native_type, "smallint unsigned") && streq(c0->default_expr, "0"));
    CHECK(streq(c0->comment, "the id") && c0->nattrs == 1 &&
          streq(c0->attrs[0].value, "CURRENT_TIMESTAMP"));
    CHECK(c1->type == DBF_T_ENUM && c1->length == 3 && c1->precision == 0 && c1->scale == 0);
    CHECK(c1->nlabels == 3 && streq(c1->labels[1], "b,c") && streq(c1->labels[2], ""));
    CHECK(streq(c1->collation, "C") && streq(c1->charset, "utf8mb4"));
    CHECK(c2->type == DBF_T_ARRAY && c2->elem_type == DBF_T_DECIMAL && c2->precision == 10);
    CHECK(c2->scale == 2 && c2->flags == DBF_COL_GENERATED && streq(c2->generated_expr, "x+1"));
    REQUIRE_OK(dbf_reader_next(r, &m, &e), &e);
    REQUIRE(m.kind == DBF_MSG_OBJECT);
    const dbf_object *ob = m.object;
    CHECK(ob->kind == DBF_OBJ_CONSTRAINT && ob->section == DBF_SEC_POST);
    CHECK(streq(ob->subtype, "foreign_key") && streq(ob->schema, "public"));
    CHECK(streq(ob->name, "fk") && streq(ob->table, "tbl") && streq(ob->engine, "postgresql"));
    CHECK(streq(ob->sql, "ALTER TABLE ...") && ob->ncolumns == 1 && streq(ob->columns[0], "id"));
    CHECK(!ob->unique && streq(ob->expr, "id > 0") && streq(ob->ref_schema, "s"));
    CHECK(streq(ob->ref_table, "other") && ob->nref_columns == 1);
    CHECK(streq(ob->on_delete, "CASCADE") && streq(ob->on_update, "RESTRICT"));
    CHECK(streq(ob->value, "v") && ob->nattrs == 1);
    REQUIRE_OK(dbf_reader_next(r, &m, &e), &e);
    CHECK(m.kind == DBF_MSG_TRAILER && m.trailer->tables == 0 && m.trailer->rows == 0);
    REQUIRE_OK(dbf_reader_next(r, &m, &e), &e);
    CHECK(m.kind == DBF_MSG_END);
    REQUIRE_OK(dbf_reader_next(r, &m, &e), &e);
    CHECK(m.kind == DBF_MSG_END);
    /* pointers stay valid until free */
    CHECK(streq(rt->columns[0].name, "id") && streq(dbf_reader_table(r, 4000000000u)->name, "tbl"));
    dbf_reader_free(r);
    free(b.p);
}

static void test_misuse(void)
{
    dbf_error e = {0, ""};
    t_buf b = {0};
    dbf_column cols[] = {COL("n", DBF_T_INT), COL("s", DBF_T_TEXT)};
    cols[0].bits = 8;
    dbf_table t = {.id = 1, .name = "people", .columns = cols, .ncolumns = 2,
                   .row_estimate = -1};
    dbf_header h = {.producer = "x"};
    dbf_writer *w = new_writer(&b);
    CHECK_RC(dbf_writer_table(w, &t, &e), DBF_EINVAL); /* before header */
    REQUIRE_OK(dbf_writer_header(w, &h, &e), &e);
    CHECK_RC(dbf_writer_header(w, &h, &e), DBF_EINVAL);
    REQUIRE_OK(dbf_writer_table(w, &t, &e), &e);
    CHECK_RC(dbf_writer_table(w, &t, &e), DBF_EINVAL); /* id reused */
    dbf_value v[2] = {{.kind = DBF_V_INT, .u.i = 1}, {.kind = DBF_V_STR, .u.s = {"a", 1}}};
    CHECK_RC(dbf_writer_row(w, 1, v, 2, &e), DBF_EINVAL); /* before data begin */
    CHECK_RC(dbf_writer_data_begin(w, 9, &e), DBF_EINVAL); /* unknown table */
    REQUIRE_OK(dbf_writer_data_begin(w, 1, &e), &e);
    CHECK_RC(dbf_writer_data_begin(w, 1, &e), DBF_EINVAL);
    dbf_table t2 = t;
    t2.id = 2;
    CHECK_RC(dbf_writer_table(w, &t2, &e), DBF_EINVAL); /* after the data began */
    CHECK_RC(dbf_writer_row(w, 1, v, 1, &e), DBF_EINVAL); /* wrong count */
    REQUIRE_OK(dbf_writer_row(w, 1, v, 2, &e), &e);
    /* out of range for int8, on row 2: the message names table, column and row */
    v[0].u.i = 128;
    CHECK_RC(dbf_writer_row(w, 1, v, 2, &e), DBF_EINVAL);
    CHECK(strstr(e.msg, "people") && strstr(e.msg, "column n") && strstr(e.msg, "row 2"));
    v[0].u.i = -128;
    v[1] = (dbf_value){.kind = DBF_V_BIN, .u.s = {"a", 1}};
    CHECK_RC(dbf_writer_row(w, 1, v, 2, &e), DBF_EINVAL);
    CHECK(strstr(e.msg, "column s") != NULL);
    v[1] = (dbf_value){.kind = DBF_V_STR, .u.s = {NULL, 3}};
    CHECK_RC(dbf_writer_row(w, 1, v, 2, &e), DBF_EINVAL);
    CHECK_RC(dbf_writer_finish(w, &e), DBF_EINVAL); /* data not ended */
    REQUIRE_OK(dbf_writer_data_end(w, 1, &e), &e);
    CHECK_RC(dbf_writer_data_end(w, 1, &e), DBF_EINVAL);
    REQUIRE_OK(dbf_writer_finish(w, &e), &e);
    CHECK_RC(dbf_writer_finish(w, &e), DBF_EINVAL);
    dbf_writer_free(w);
    uint64_t rows = 0;
    REQUIRE_OK(t_read_all(b.p, b.len, 0, &rows, &e), &e);
    CHECK(rows == 1); /* refused rows were not written */
    free(b.p);

    /* values that do not fit their type */
    struct {
        dbf_column c;
        dbf_value v;
    } bad[] = {
        {COL("a", DBF_T_BOOL), {.kind = DBF_V_INT, .u.i = 1}},
        {COL("a", DBF_T_INT), {.kind = DBF_V_UINT, .u.u = UINT64_MAX}},
        {COL("a", DBF_T_FLOAT64), {.kind = DBF_V_F32, .u.f32 = 1}},
        {COL("a", DBF_T_FLOAT32), {.kind = DBF_V_F64, .u.f64 = 1}},
        {COL("a", DBF_T_DECIMAL), {.kind = DBF_V_STR, .u.s = {"1e5", 3}}},
        {COL("a", DBF_T_DECIMAL), {.kind = DBF_V_STR, .u.s = {"1.", 2}}},
        {COL("a", DBF_T_DECIMAL), {.kind = DBF_V_STR, .u.s = {"", 0}}},
        {COL("a", DBF_T_UUID), {.kind = DBF_V_BIN, .u.s = {"0123456789abcde", 15}}},
        {COL("a", DBF_T_BYTES), {.kind = DBF_V_STR, .u.s = {"x", 1}}},
        {COL("a", DBF_T_TIMESTAMPTZ), {.kind = DBF_V_INT, .u.i = 0}},
        {COL("a", DBF_T_ANY), {.kind = DBF_V_BOOL, .u.b = true}},
        {COL("a", DBF_T_INTERVAL), {.kind = DBF_V_STR, .u.s = {"1 day", 5}}},
        {COL("a", DBF_T_ARRAY), {.kind = DBF_V_INT, .u.i = 0}},
        {COL("a", DBF_T_NATIVE), {.kind = DBF_V_INT, .u.i = 0}},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        t_buf b2 = {0};
        dbf_writer *w2 = new_writer(&b2);
        dbf_table t2 = {.id = 1, .name = "x", .columns = &bad[i].c, .ncolumns = 1};
        REQUIRE_OK(dbf_writer_header(w2, &h, &e), &e);
        REQUIRE_OK(dbf_writer_table(w2, &t2, &e), &e);
        REQUIRE_OK(dbf_writer_data_begin(w2, 1, &e), &e);
        int rc = dbf_writer_row(w2, 1, &bad[i].v, 1, &e);
        if (rc != DBF_EINVAL) {
            fprintf(stderr, "bad value %zu accepted (%s)\n", i, dbf_strerror(rc));
            t_failures++;
        }
        dbf_writer_free(w2);
        free(b2.p);
    }
    /* array shape errors */
    dbf_column ac = COL("a", DBF_T_ARRAY);
    ac.elem_type = DBF_T_INT;
    dbf_value el[2] = {{.kind = DBF_V_INT, .u.i = 1}, {.kind = DBF_V_STR, .u.s = {"x", 1}}};
    dbf_value arr = {.kind = DBF_V_ARRAY};
    arr.u.arr.elems = el;
    arr.u.arr.nelems = 2;
    arr.u.arr.ndims = 1;
    arr.u.arr.dims[0] = 3; /* count mismatch */
    dbf_table ta = {.id = 1, .name = "x", .columns = &ac, .ncolumns = 1};
    dbf_digest d;
    dbf_digest_init(&d);
    CHECK_RC(dbf_digest_add_row(&d, &ta, &arr, 1, &e), DBF_EINVAL);
    arr.u.arr.dims[0] = 2; /* element kind mismatch */
    CHECK_RC(dbf_digest_add_row(&d, &ta, &arr, 1, &e), DBF_EINVAL);
    el[1] = (dbf_value){.kind = DBF_V_NULL};
    CHECK_RC(dbf_digest_add_row(&d, &ta, &arr, 1, &e), DBF_OK);
    arr.u.arr.ndims = 7;
    CHECK_RC(dbf_digest_add_row(&d, &ta, &arr, 1, &e), DBF_EINVAL);
}

static int failing_write(void *ctx, const void *buf, size_t len)
{
    int *budget = ctx;
    (void)buf;
    if ((size_t)*budget < len)
        return DBF_EIO;
    *budget -= (int)len;
    return 0;
}

static void test_write_failure(void)
{
    dbf_error e = {0, ""};
    int budget = 12; /* the preamble fits, the first chunk does not */
    dbf_writer_opts wo = DBF_WRITER_OPTS_INIT;
    wo.write = failing_write;
    wo.ctx = &budget;
    dbf_writer *w = NULL;
    REQUIRE_OK(dbf_writer_create(&w, &wo, &e), &e);
    dbf_header h = {.producer = "x"};
    REQUIRE_OK(dbf_writer_header(w, &h, &e), &e);
    CHECK_RC(dbf_writer_finish(w, &e), DBF_EIO);
    CHECK_RC(dbf_writer_header(w, &h, &e), DBF_EIO); /* latched */
    CHECK(dbf_writer_bytes_out(w) == 12);
    dbf_writer_free(w);
    budget = 5;
    CHECK_RC(dbf_writer_create(&w, &wo, &e), DBF_EIO);
    CHECK(w == NULL);
    dbf_writer_opts bad = DBF_WRITER_OPTS_INIT;
    CHECK_RC(dbf_writer_create(&w, &bad, &e), DBF_EINVAL);
    dbf_reader_opts rbad = DBF_READER_OPTS_INIT;
    dbf_reader *r = NULL;
    CHECK_RC(dbf_reader_create(&r, &rbad, &e), DBF_EINVAL);
    dbf_writer_free(NULL);
    dbf_reader_free(NULL);
}

/* two tables interleaved, several large values in one row, a row of many medium values */
static void test_interleave_and_large(void)
{
    dbf_error e = {0, ""};
    t_buf b = {0};
    dbf_writer *w = new_writer(&b);
    dbf_column ca[] = {COL("i", DBF_T_INT), COL("x", DBF_T_BYTES), COL("y", DBF_T_TEXT),
                       COL("z", DBF_T_BYTES)};
    dbf_column cb[8];
    for (int i = 0; i < 8; i++)
        cb[i] = (dbf_column)COL("m", DBF_T_BYTES);
    dbf_table ta = {.id = 1, .name = "a", .columns = ca, .ncolumns = 4, .row_estimate = -1};
    dbf_table tb = {.id = 2, .name = "b", .columns = cb, .ncolumns = 8, .row_estimate = -1};
    dbf_header h = {.producer = "x"};
    size_t big = (5u << 20) + 3;
    char *p1 = malloc(big), *p2 = malloc(big);
    REQUIRE(p1 && p2);
    for (size_t i = 0; i < big; i++) {
        p1[i] = (char)(i * 13 + (i >> 11));
        p2[i] = (char)(i * 7 + (i >> 13));
    }
    REQUIRE_OK(dbf_writer_header(w, &h, &e), &e);
    REQUIRE_OK(dbf_writer_table(w, &ta, &e), &e);
    REQUIRE_OK(dbf_writer_table(w, &tb, &e), &e);
    REQUIRE_OK(dbf_writer_data_begin(w, 1, &e), &e);
    REQUIRE_OK(dbf_writer_data_begin(w, 2, &e), &e);
    for (int i = 0; i < 1000; i++) {
        dbf_value va[4] = {{.kind = DBF_V_INT, .u.i = i},
                           {.kind = DBF_V_BIN, .u.s = {p1, i == 500 ? big : 4}},
                           {.kind = DBF_V_STR, .u.s = {p2, i == 500 ? big - 1 : 2}},
                           {.kind = DBF_V_BIN, .u.s = {p1 + 1, i == 500 ? (2u << 20) : 0}}};
        REQUIRE_OK(dbf_writer_row(w, 1, va, 4, &e), &e);
        dbf_value vb[8];
        for (int k = 0; k < 8; k++) /* 8 x 900 KiB: too big inline, no value over 1 MiB */
            vb[k] = (dbf_value){.kind = DBF_V_BIN,
                                .u.s = {p2 + k, i % 250 == 0 ? (900u << 10) : (size_t)k}};
        REQUIRE_OK(dbf_writer_row(w, 2, vb, 8, &e), &e);
    }
    REQUIRE_OK(dbf_writer_data_end(w, 2, &e), &e);
    REQUIRE_OK(dbf_writer_data_end(w, 1, &e), &e);
    REQUIRE_OK(dbf_writer_finish(w, &e), &e);
    dbf_writer_free(w);

    for (int limit = 0; limit < 2; limit++) {
        t_src src = {b.p, b.len, 0, 0};
        dbf_reader_opts ro = DBF_READER_OPTS_INIT;
        ro.read = t_src_read;
        ro.ctx = &src;
        ro.max_value = limit ? (4u << 20) : 0;
        dbf_reader *r = NULL;
        REQUIRE_OK(dbf_reader_create(&r, &ro, &e), &e);
        uint64_t na = 0, nb = 0;
        int rc;
        for (;;) {
            dbf_msg m;
            rc = dbf_reader_next(r, &m, &e);
            if (rc != 0 || m.kind == DBF_MSG_END)
                break;
            if (m.kind != DBF_MSG_ROW)
                continue;
            if (m.table->id == 1) {
                na++;
                int i = (int)m.values[0].u.i;
                CHECK(m.row_number == (uint64_t)i + 1);
                size_t want1 = i == 500 ? big : 4, want2 = i == 500 ? big - 1 : 2;
                CHECK(m.values[1].kind == DBF_V_BIN && m.values[1].u.s.len == want1 &&
                      memcmp(m.values[1].u.s.ptr, p1, want1) == 0);
                CHECK(m.values[2].kind == DBF_V_STR && m.values[2].u.s.len == want2 &&
                      memcmp(m.values[2].u.s.ptr, p2, want2) == 0);
                size_t want3 = i == 500 ? (2u << 20) : 0;
                CHECK(m.values[3].kind == DBF_V_BIN && m.values[3].u.s.len == want3 &&
                      (want3 == 0 || memcmp(m.values[3].u.s.ptr, p1 + 1, want3) == 0));
            } else {
                nb++;
                for (int k = 0; k < 8; k++) {
                    size_t want = (nb - 1) % 250 == 0 ? (900u << 10) : (size_t)k;
                    CHECK(m.values[k].u.s.len == want &&
                          memcmp(m.values[k].u.s.ptr, p2 + k, want) == 0);
                }
            }
        }
        if (limit) {
            CHECK(rc == DBF_EUNSUPPORTED);
            CHECK(strstr(e.msg, "column x") != NULL);
        } else {
            CHECK(rc == 0);
            CHECK(na == 1000 && nb == 1000);
        }
        dbf_reader_free(r);
    }
    free(p1);
    free(p2);
    free(b.p);
}

/* a row that cannot be split (a huge array) is refused, not written half */
static void test_row_too_big(void)
{
    dbf_error e = {0, ""};
    t_buf b = {0};
    dbf_writer *w = new_writer(&b);
    dbf_column c = COL("a", DBF_T_ARRAY);
    c.elem_type = DBF_T_FLOAT64;
    dbf_table t = {.id = 1, .name = "arr", .columns = &c, .ncolumns = 1, .row_estimate = -1};
    dbf_header h = {.producer = "x"};
    size_t n = 500000; /* 4.5 MB of float64 */
    dbf_value *el = calloc(n, sizeof(*el));
    for (size_t i = 0; i < n; i++)
        el[i] = (dbf_value){.kind = DBF_V_F64, .u.f64 = (double)i};
    dbf_value v = {.kind = DBF_V_ARRAY};
    v.u.arr.elems = el;
    v.u.arr.nelems = n;
    v.u.arr.ndims = 1;
    v.u.arr.dims[0] = (int32_t)n;
    v.u.arr.lbounds[0] = 1;
    REQUIRE_OK(dbf_writer_header(w, &h, &e), &e);
    REQUIRE_OK(dbf_writer_table(w, &t, &e), &e);
    REQUIRE_OK(dbf_writer_data_begin(w, 1, &e), &e);
    CHECK_RC(dbf_writer_row(w, 1, &v, 1, &e), DBF_EUNSUPPORTED);
    CHECK(strstr(e.msg, "arr") != NULL && strstr(e.msg, "row 1") != NULL);
    v.u.arr.nelems = v.u.arr.dims[0] = 1000;
    REQUIRE_OK(dbf_writer_row(w, 1, &v, 1, &e), &e);
    REQUIRE_OK(dbf_writer_data_end(w, 1, &e), &e);
    REQUIRE_OK(dbf_writer_finish(w, &e), &e);
    dbf_writer_free(w);
    uint64_t rows = 0;
    REQUIRE_OK(t_read_all(b.p, b.len, 0, &rows, &e), &e);
    CHECK(rows == 1);
    free(el);
    free(b.p);
}

/* a wide row of many medium values is brought under the inline limit in one or two passes */
static void test_wide_row(void)
{
    dbf_error e = {0, ""};
    t_buf b = {0};
    enum { NC = 5000, LEN = 800 };
    dbf_column *c = calloc(NC, sizeof(*c));
    dbf_value *v = calloc(NC, sizeof(*v));
    char *data = malloc(LEN + NC);
    REQUIRE(c && v && data);
    for (int i = 0; i < LEN + NC; i++)
        data[i] = (char)('a' + i % 26);
    for (int i = 0; i < NC; i++) {
        c[i] = (dbf_column)COL("c", DBF_T_TEXT);
        v[i] = (dbf_value){.kind = DBF_V_STR, .u.s = {data + i, LEN + (size_t)(i % 3)}};
    }
    dbf_table t = {.id = 1, .name = "wide", .columns = c, .ncolumns = NC, .row_estimate = -1};
    dbf_header h = {.producer = "x"};
    dbf_writer *w = new_writer(&b);
    REQUIRE_OK(dbf_writer_header(w, &h, &e), &e);
    REQUIRE_OK(dbf_writer_table(w, &t, &e), &e);
    REQUIRE_OK(dbf_writer_data_begin(w, 1, &e), &e);
    for (int r = 0; r < 3; r++)
        REQUIRE_OK(dbf_writer_row(w, 1, v, NC, &e), &e);
    REQUIRE_OK(dbf_writer_data_end(w, 1, &e), &e);
    REQUIRE_OK(dbf_writer_finish(w, &e), &e);
    dbf_writer_free(w);
    t_src src = {b.p, b.len, 0, 0};
    dbf_reader_opts ro = DBF_READER_OPTS_INIT;
    ro.read = t_src_read;
    ro.ctx = &src;
    dbf_reader *rd = NULL;
    REQUIRE_OK(dbf_reader_create(&rd, &ro, &e), &e);
    int rows = 0;
    for (;;) {
        dbf_msg m;
        REQUIRE_OK(dbf_reader_next(rd, &m, &e), &e);
        if (m.kind == DBF_MSG_END)
            break;
        if (m.kind != DBF_MSG_ROW)
            continue;
        rows++;
        int same = m.nvalues == NC;
        for (int i = 0; i < NC && same; i++)
            same = m.values[i].u.s.len == LEN + (size_t)(i % 3) &&
                   memcmp(m.values[i].u.s.ptr, data + i, m.values[i].u.s.len) == 0;
        CHECK(same);
    }
    CHECK(rows == 3);
    dbf_reader_free(rd);
    free(c);
    free(v);
    free(data);
    free(b.p);
}

static void test_names(void)
{
    for (int t = 0; t < DBF_T__COUNT; t++)
        CHECK(dbf_type_from_name(dbf_type_name((dbf_type)t)) == (dbf_type)t);
    CHECK(strcmp(dbf_type_name(DBF_T_TIMESTAMPTZ), "timestamptz") == 0);
    CHECK(dbf_type_from_name("geometry") == DBF_T_NATIVE);
    CHECK(dbf_type_from_name(NULL) == DBF_T_NATIVE);
    CHECK(strcmp(dbf_strerror(DBF_ETRUNCATED), "DBF_ETRUNCATED") == 0);
    CHECK(strcmp(dbf_strerror(DBF_EINVAL), "DBF_EINVAL") == 0);
    dbf_error e;
    CHECK(dbf_error_set(&e, DBF_EUNSUPPORTED, "table %s row %d", "t", 3) == DBF_EUNSUPPORTED);
    CHECK(e.code == DBF_EUNSUPPORTED && strcmp(e.msg, "table t row 3") == 0);
    CHECK(dbf_error_set(NULL, DBF_EIO, "x") == DBF_EIO);
    /* a server message of 3 KiB comes through whole, with context put in front of it */
    static char big[3000 + 1];
    memset(big, 'k', 3000);
    dbf_error_set(&e, DBF_EUNSUPPORTED, "Key (id)=(%s) already exists", big);
    CHECK(dbf_error_prefix(&e, "table \"%s\": ", "t") == DBF_EUNSUPPORTED);
    CHECK(e.code == DBF_EUNSUPPORTED && strlen(e.msg) == 3000 + 37 &&
          strncmp(e.msg, "table \"t\": Key (id)=(kkk", 24) == 0 &&
          strcmp(e.msg + strlen(e.msg) - 17, "k) already exists") == 0);
    /* beyond DBF_ERROR_MAX a message says how much of it was cut, never ends mid-sentence
     * without a word */
    static char huge[DBF_ERROR_MAX + 500 + 1];
    memset(huge, 'h', DBF_ERROR_MAX + 500);
    dbf_error_set(&e, DBF_EUNSUPPORTED, "%s", huge);
    CHECK(strlen(e.msg) == DBF_ERROR_MAX - 1 &&
          strstr(e.msg, " [... 501 more bytes of this message cut]") != NULL &&
          e.msg[DBF_ERROR_MAX - 2] == ']');
    dbf_error_set(&e, DBF_EUNSUPPORTED, "%s", big);
    dbf_error_prefix(&e, "%s", huge);
    CHECK(strlen(e.msg) == DBF_ERROR_MAX - 1 && strstr(e.msg, "more bytes of this message cut]"));
}

/* A writer whose producer failed ends the stream with ABORT: the reader gives the rows
 * written so far, then says why the archive ends, in the producer's own words. */
static void test_abort(void)
{
    dbf_error e = {0, ""};
    t_buf b = {0};
    dbf_writer *w = new_writer(&b);
    dbf_header h = {.producer = "dbdump 0.1.0", .engine = "postgresql"};
    dbf_column c[] = {{.name = "id", .type = DBF_T_INT, .bits = 64, .length = -1,
                       .precision = -1, .scale = -1}};
    dbf_table t = {.id = 1, .name = "done", .columns = c, .ncolumns = 1},
              t2 = {.id = 2, .name = "cut", .columns = c, .ncolumns = 1};
    dbf_value v = {.kind = DBF_V_INT, .u.i = 7};
    CHECK(dbf_writer_abort(w, "x", &e) == DBF_EINVAL); /* no header yet */
    REQUIRE_OK(dbf_writer_header(w, &h, &e), &e);
    REQUIRE_OK(dbf_writer_table(w, &t, &e), &e);
    REQUIRE_OK(dbf_writer_table(w, &t2, &e), &e);
    REQUIRE_OK(dbf_writer_data_begin(w, 1, &e), &e);
    REQUIRE_OK(dbf_writer_row(w, 1, &v, 1, &e), &e);
    REQUIRE_OK(dbf_writer_data_end(w, 1, &e), &e);
    REQUIRE_OK(dbf_writer_data_begin(w, 2, &e), &e);
    REQUIRE_OK(dbf_writer_row(w, 2, &v, 1, &e), &e);
    REQUIRE_OK(dbf_writer_abort(w, "PostgreSQL: server closed the connection unexpectedly", &e),
               &e);
    CHECK(dbf_writer_row(w, 2, &v, 1, &e) < 0); /* nothing after it */
    CHECK(dbf_writer_finish(w, &e) < 0);
    dbf_writer_free(w);

    t_src src = {b.p, b.len, 0, 0};
    dbf_reader *r = t_reader(&src);
    dbf_msg m;
    int rc, rows = 0;
    while ((rc = dbf_reader_next(r, &m, &e)) == 0 && m.kind != DBF_MSG_END)
        rows += m.kind == DBF_MSG_ROW;
    CHECK(rc == DBF_ETRUNCATED && rows == 2 && dbf_reader_writer_failed(r));
    CHECK(strcmp(e.msg, "the program that wrote the archive failed: PostgreSQL: server closed "
                        "the connection unexpectedly (last complete table: done)") == 0);
    dbf_reader_free(r);
    free(b.p);
}

/* bit(n): the bits right-aligned in exactly ceil(n/8) bytes, the unused high bits zero
 * (spec/FORMAT.md section 4); anything else is refused, by the writer and the reader alike */
static void test_bit_values(void)
{
    dbf_error e = {0, ""};
    dbf_column c = {.name = "b", .type = DBF_T_BIT, .length = 10, .precision = -1, .scale = -1};
    dbf_table t = {.id = 1, .name = "t", .columns = &c, .ncolumns = 1};
    dbf_value ok = {.kind = DBF_V_BIN, .u.s = {"\x03\xff", 2}};           /* b'1111111111' */
    dbf_value three = {.kind = DBF_V_BIN, .u.s = {"\x00\x03\xff", 3}};   /* 3 bytes */
    dbf_value high = {.kind = DBF_V_BIN, .u.s = {"\x07\xff", 2}};         /* 11 bits set */
    dbf_value left = {.kind = DBF_V_BIN, .u.s = {"\xff\xc0", 2}};         /* left-aligned */
    dbf_digest d; /* the digest checks each value as the writer and the reader do */
    dbf_digest_init(&d);
    CHECK(dbf_digest_add_row(&d, &t, &ok, 1, &e) == 0);
    CHECK(dbf_digest_add_row(&d, &t, &three, 1, &e) < 0 && strstr(e.msg, "ceil(n/8) bytes"));
    CHECK(dbf_digest_add_row(&d, &t, &high, 1, &e) < 0 && strstr(e.msg, "unused high bits"));
    CHECK(dbf_digest_add_row(&d, &t, &left, 1, &e) < 0);
    c.length = 16; /* no unused bits: any two bytes */
    CHECK(dbf_digest_add_row(&d, &t, &left, 1, &e) == 0);
}

/* the same calls give byte-identical archives; one-byte reads work (a slow pipe) */
static void test_deterministic(int workers)
{
    dbf_error e = {0, ""};
    t_buf a = {0}, b = {0};
    for (int k = 0; k < 2; k++) {
        t_buf *out = k == 0 ? &a : &b;
        dbf_writer_opts wo = DBF_WRITER_OPTS_INIT;
        wo.write = t_buf_write;
        wo.ctx = out;
        wo.zstd_workers = k == 0 ? 0 : workers; /* parallel compression: same bytes */
        dbf_writer *w = NULL;
        REQUIRE_OK(dbf_writer_create(&w, &wo, &e), &e);
        dbf_column c[] = {COL("i", DBF_T_INT), COL("s", DBF_T_TEXT)};
        dbf_table t = {.id = 3, .name = "d", .columns = c, .ncolumns = 2, .row_estimate = -1};
        dbf_header h = {.producer = "x", .created = "2026-01-01T00:00:00Z"};
        REQUIRE_OK(dbf_writer_header(w, &h, &e), &e);
        REQUIRE_OK(dbf_writer_table(w, &t, &e), &e);
        REQUIRE_OK(dbf_writer_data_begin(w, 3, &e), &e);
        static char big[(3u << 20) + 5];
        for (size_t i = 0; i < sizeof(big); i++)
            big[i] = (char)(i * 7 + (i >> 12));
        for (int i = 0; i < 150000; i++) {
            char s[32];
            snprintf(s, sizeof(s), "row %d", i * 7919);
            dbf_value v[2] = {{.kind = DBF_V_INT, .u.i = i},
                              {.kind = DBF_V_STR, .u.s = {s, strlen(s)}}};
            if (i % 40000 == 1) {
                v[1].u.s.ptr = big;
                v[1].u.s.len = sizeof(big);
            }
            REQUIRE_OK(dbf_writer_row(w, 3, v, 2, &e), &e);
        }
        REQUIRE_OK(dbf_writer_data_end(w, 3, &e), &e);
        REQUIRE_OK(dbf_writer_finish(w, &e), &e);
        CHECK(dbf_writer_bytes_out(w) == out->len);
        CHECK(dbf_writer_rows(w) == 150000);
        CHECK(dbf_writer_bytes_in(w) > out->len);
        dbf_writer_free(w);
    }
    CHECK(a.len == b.len && memcmp(a.p, b.p, a.len) == 0);
    uint64_t rows = 0;
    REQUIRE_OK(t_read_all(a.p, a.len, 1, &rows, &e), &e);
    CHECK(rows == 150000);
    REQUIRE_OK(t_read_all(b.p, b.len, 0, &rows, &e), &e);
    CHECK(rows == 150000);
    free(a.p);
    free(b.p);
}

/* A dbf_alloc_fn over a fixed pool, whose memory starts as garbage; it fails once `left`
 * allocations were made (-1: never). */
typedef struct t_pool {
    max_align_t b[1024];
    size_t used;
    int left;
} t_pool;

static void *t_pool_alloc(void *ctx, size_t n)
{
    t_pool *p = ctx;
    n = (n + sizeof(max_align_t) - 1) / sizeof(max_align_t) * sizeof(max_align_t);
    if (p->left == 0 || n > sizeof(p->b) - p->used)
        return NULL;
    p->left--;
    void *m = (char *)p->b + p->used;
    p->used += n;
    return memset(m, 0xa5, n);
}

static void test_copy(void)
{
    static const char *const labels[] = {"a", "b"}, *const pk[] = {"id"};
    static const dbf_kv attrs[] = {{"k", "v"}, {"n", NULL}};
    char name[] = "id";
    dbf_column cols[2] = {
        {.name = name, .type = DBF_T_INT, .bits = 32, .length = -1, .precision = -1,
         .scale = -1, .flags = DBF_COL_NOT_NULL, .native_type = "integer",
         .default_expr = "0", .attrs = attrs, .nattrs = 2},
        {.name = "e", .type = DBF_T_ENUM, .labels = labels, .nlabels = 2, .collation = "C",
         .charset = "utf8", .comment = "c", .generated_expr = "x"},
    };
    dbf_table t = {.id = 7, .schema = "s", .name = "t", .columns = cols, .ncolumns = 2,
                   .primary_key = pk, .nprimary_key = 1, .engine = "sqlite",
                   .row_estimate = -1, .attrs = attrs, .nattrs = 2};
    dbf_object o = {.kind = DBF_OBJ_CONSTRAINT, .section = DBF_SEC_POST, .subtype = "fk",
                    .name = name, .table = "t", .columns = pk, .ncolumns = 1,
                    .ref_table = "p", .ref_columns = labels, .nref_columns = 2,
                    .on_delete = "CASCADE", .attrs = attrs, .nattrs = 1};
    t_pool p = {.left = -1};
    dbf_table *tc = NULL;
    dbf_object *oc = NULL;
    REQUIRE(dbf_table_copy(&tc, &t, t_pool_alloc, &p) == 0);
    REQUIRE(dbf_object_copy(&oc, &o, t_pool_alloc, &p) == 0);
    name[0] = 'X'; /* the copies hold strings of their own */
    const dbf_column *c = tc->columns;
    CHECK(tc->id == 7 && streq(tc->schema, "s") && streq(tc->name, "t") && tc->ncolumns == 2);
    CHECK(streq(tc->engine, "sqlite") && !tc->native_sql && !tc->comment);
    CHECK(tc->row_estimate == -1 && tc->nprimary_key == 1 && streq(tc->primary_key[0], "id"));
    CHECK(!tc->primary_key[1] && tc->nattrs == 2 && streq(tc->attrs[1].key, "n"));
    CHECK(!tc->attrs[1].value && !tc->attrs[2].key && c != cols && !c[2].name);
    CHECK(streq(c[0].name, "id") && c[0].type == DBF_T_INT && c[0].bits == 32);
    CHECK(c[0].length == -1 && c[0].flags == DBF_COL_NOT_NULL && !c[0].type_name);
    CHECK(streq(c[0].native_type, "integer") && streq(c[0].default_expr, "0"));
    CHECK(c[0].nattrs == 2 && streq(c[0].attrs[0].value, "v") && c[0].attrs != attrs);
    CHECK(streq(c[1].name, "e") && c[1].nlabels == 2 && streq(c[1].labels[1], "b"));
    CHECK(!c[1].labels[2] && streq(c[1].collation, "C") && streq(c[1].charset, "utf8"));
    CHECK(streq(c[1].comment, "c") && streq(c[1].generated_expr, "x") && !c[1].attrs);
    CHECK(oc->kind == DBF_OBJ_CONSTRAINT && oc->section == DBF_SEC_POST);
    CHECK(streq(oc->subtype, "fk") && streq(oc->name, "id") && streq(oc->table, "t"));
    CHECK(!oc->schema && !oc->sql && oc->ncolumns == 1 && streq(oc->columns[0], "id"));
    CHECK(streq(oc->ref_table, "p") && oc->nref_columns == 2 && !oc->ref_columns[2]);
    CHECK(streq(oc->ref_columns[1], "b") && oc->ref_columns != labels);
    CHECK(streq(oc->on_delete, "CASCADE") && !oc->on_update && oc->nattrs == 1);
    /* every allocation failing in turn: DBF_ENOMEM, *out untouched */
    for (int k = 0, done = 0; !done; k++) {
        t_pool q = {.left = k};
        dbf_table *tx = NULL;
        dbf_object *ox = NULL;
        int rt = dbf_table_copy(&tx, &t, t_pool_alloc, &q);
        q = (t_pool){.left = k};
        int ro = dbf_object_copy(&ox, &o, t_pool_alloc, &q);
        CHECK(rt == 0 ? tx != NULL : rt == DBF_ENOMEM && tx == NULL);
        CHECK(ro == 0 ? ox != NULL : ro == DBF_ENOMEM && ox == NULL);
        done = rt == 0 && ro == 0;
    }
}

int main(void)
{
    test_deterministic(1);
    test_deterministic(3);
    test_schema_round_trip();
    test_misuse();
    test_write_failure();
    test_interleave_and_large();
    test_row_too_big();
    test_wide_row();
    test_names();
    test_abort();
    test_bit_values();
    test_copy();
    return t_done("test_api");
}
