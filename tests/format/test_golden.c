/*
 * test_golden.c - format stability: tests/format/golden/v1-basic.dbd (format 1.0, committed
 * bytes, written once by `test_golden --write FILE`), v1.1-abort.dbd (format 1.1, a stream
 * whose writer failed: `test_golden --write-abort FILE`) and v1.2-ddl.dbd (format 1.2, a
 * PostgreSQL archive with pg_dump's entries, objects of kind ddl: `test_golden --write-ddl
 * FILE`) must be read forever with exactly these values.
 * Never regenerate the file to make this test pass: a change here is a format change.
 */
#include "tutil.h"

#define GOLDEN "/golden/v1-basic.dbd"
#define LARGE_LEN ((3u << 19) + 7) /* 1.5 MiB + 7: travels as VALUE_PART messages */

static unsigned char large_byte(size_t i)
{
    return (unsigned char)((i * 31) ^ (i >> 10));
}

/* Write a golden file (b's bytes, freed). */
static int save(const char *path, t_buf *b)
{
    FILE *f = fopen(path, "wb");
    REQUIRE(f != NULL && fwrite(b->p, 1, b->len, f) == b->len && fclose(f) == 0);
    printf("wrote %s (%zu bytes)\n", path, b->len);
    free(b->p);
    return 0;
}

static int write_golden(const char *path)
{
    dbf_error e = {0, ""};
    t_buf b = {0};
    dbf_writer_opts wo = DBF_WRITER_OPTS_INIT;
    wo.write = t_buf_write;
    wo.ctx = &b;
    dbf_writer *w = NULL;
    static const dbf_kv opts[] = {{"format", "archive"}};
    dbf_header h = {.producer = "dbdump 0.1.0", .engine = "sqlite", .server_version = "3.40.1",
                    .database = "main", .encoding = "UTF-8", .time_zone = "UTC",
                    .created = "2026-11-23T12:00:00Z", .options = opts, .noptions = 1};
    dbf_column c1[] = {
        {.name = "id", .type = DBF_T_INT, .bits = 32, .length = -1, .precision = -1, .scale = -1,
         .flags = DBF_COL_NOT_NULL | DBF_COL_IDENTITY, .native_type = "INTEGER"},
        {.name = "name", .type = DBF_T_TEXT, .length = 20, .precision = -1, .scale = -1},
        {.name = "price", .type = DBF_T_DECIMAL, .length = -1, .precision = 10, .scale = 2},
        {.name = "ok", .type = DBF_T_BOOL, .length = -1, .precision = -1, .scale = -1},
        {.name = "at", .type = DBF_T_TIMESTAMPTZ, .length = -1, .precision = 6, .scale = -1},
    };
    dbf_column c2[] = {
        {.name = "k", .type = DBF_T_ANY, .length = -1, .precision = -1, .scale = -1},
        {.name = "f", .type = DBF_T_FLOAT64, .length = -1, .precision = -1, .scale = -1},
        {.name = "tags", .type = DBF_T_ARRAY, .elem_type = DBF_T_TEXT, .length = -1,
         .precision = -1, .scale = -1},
        {.name = "span", .type = DBF_T_INTERVAL, .length = -1, .precision = -1, .scale = -1},
        {.name = "u", .type = DBF_T_UUID, .length = -1, .precision = -1, .scale = -1},
        {.name = "blob", .type = DBF_T_BYTES, .length = -1, .precision = -1, .scale = -1},
    };
    static const char *const pk[] = {"id"};
    dbf_table t1 = {.id = 1, .name = "items", .columns = c1, .ncolumns = 5, .primary_key = pk,
                    .nprimary_key = 1, .engine = "sqlite",
                    .native_sql = "CREATE TABLE items(id INTEGER PRIMARY KEY, name TEXT)",
                    .row_estimate = 3};
    dbf_table t2 = {.id = 2, .name = "misc", .columns = c2, .ncolumns = 6, .row_estimate = -1};
    dbf_object pre = {.kind = DBF_OBJ_SETTING, .section = DBF_SEC_PRE, .name = "user_version",
                      .value = "7"};
    static const char *const ic[] = {"name"};
    dbf_object post = {.kind = DBF_OBJ_INDEX, .section = DBF_SEC_POST, .name = "items_name",
                       .table = "items", .columns = ic, .ncolumns = 1, .unique = true,
                       .engine = "sqlite", .sql = "CREATE UNIQUE INDEX items_name ON items(name)"};
    REQUIRE_OK(dbf_writer_create(&w, &wo, &e), &e);
    REQUIRE_OK(dbf_writer_header(w, &h, &e), &e);
    REQUIRE_OK(dbf_writer_object(w, &pre, &e), &e);
    REQUIRE_OK(dbf_writer_table(w, &t1, &e), &e);
    REQUIRE_OK(dbf_writer_table(w, &t2, &e), &e);
    REQUIRE_OK(dbf_writer_data_begin(w, 1, &e), &e);
    const char *names[] = {"apple", "b\0\xff", NULL};
    size_t nlen[] = {5, 3, 0};
    const char *prices[] = {"1.50", "-99999999.99", "0.00"};
    for (int i = 0; i < 3; i++) {
        dbf_value v[5] = {
            {.kind = DBF_V_INT, .u.i = i == 2 ? INT32_MIN : i + 1},
            {.kind = names[i] ? DBF_V_STR : DBF_V_NULL, .u.s = {names[i], nlen[i]}},
            {.kind = DBF_V_STR, .u.s = {prices[i], strlen(prices[i])}},
            {.kind = DBF_V_BOOL, .u.b = i == 0},
            {.kind = DBF_V_STR, .u.s = {"2026-11-23 12:00:00.123456Z", 27}},
        };
        REQUIRE_OK(dbf_writer_row(w, 1, v, 5, &e), &e);
    }
    REQUIRE_OK(dbf_writer_data_end(w, 1, &e), &e);
    REQUIRE_OK(dbf_writer_data_begin(w, 2, &e), &e);
    unsigned char *large = malloc(LARGE_LEN);
    for (size_t i = 0; i < LARGE_LEN; i++)
        large[i] = large_byte(i);
    dbf_value el[3] = {{.kind = DBF_V_STR, .u.s = {"x", 1}}, {.kind = DBF_V_NULL},
                       {.kind = DBF_V_STR, .u.s = {"", 0}}};
    for (int i = 0; i < 2; i++) {
        double f;
        uint64_t nanbits = 0x7ff800000000beefull;
        memcpy(&f, &nanbits, 8);
        dbf_value v[6] = {
            {.kind = DBF_V_UINT, .u.u = UINT64_MAX},
            {.kind = DBF_V_F64, .u.f64 = i == 0 ? -0.0 : f},
            {.kind = DBF_V_ARRAY, .u.arr = {.elems = el, .nelems = 3, .ndims = 1, .dims = {3},
                                            .lbounds = {0}}},
            {.kind = DBF_V_INTERVAL, .u.iv = {14, -3, 3600000001LL}},
            {.kind = DBF_V_BIN,
             .u.s = {"\x00\x11\x22\x33\x44\x55\x66\x77\x88\x99\xaa\xbb\xcc\xdd\xee\xff", 16}},
            {.kind = DBF_V_BIN, .u.s = {(const char *)large, i == 1 ? LARGE_LEN : 0}},
        };
        if (i == 1)
            v[0] = (dbf_value){.kind = DBF_V_STR, .u.s = {"text in an integer column", 25}};
        REQUIRE_OK(dbf_writer_row(w, 2, v, 6, &e), &e);
    }
    REQUIRE_OK(dbf_writer_data_end(w, 2, &e), &e);
    REQUIRE_OK(dbf_writer_object(w, &post, &e), &e);
    REQUIRE_OK(dbf_writer_finish(w, &e), &e);
    dbf_writer_free(w);
    free(large);
    return save(path, &b);
}

static int streq(const char *a, const char *b)
{
    return a != NULL && b != NULL && strcmp(a, b) == 0;
}

static int bytes_eq(const dbf_value *v, dbf_vkind k, const char *p, size_t n)
{
    return v->kind == k && v->u.s.len == n && (n == 0 || memcmp(v->u.s.ptr, p, n) == 0);
}

/* Format 1.1: two rows of one table, one row of a second, then ABORT. */
static int write_abort(const char *path)
{
    dbf_error e = {0, ""};
    t_buf b = {0};
    dbf_writer_opts wo = DBF_WRITER_OPTS_INIT;
    wo.write = t_buf_write;
    wo.ctx = &b;
    dbf_writer *w = NULL;
    dbf_header h = {.producer = "dbdump 0.1.0", .engine = "postgresql",
                    .created = "2026-12-06T00:00:00Z"};
    dbf_column c[] = {{.name = "id", .type = DBF_T_INT, .bits = 64, .length = -1,
                       .precision = -1, .scale = -1}};
    dbf_table t1 = {.id = 1, .name = "users", .columns = c, .ncolumns = 1},
              t2 = {.id = 2, .name = "messages", .columns = c, .ncolumns = 1};
    dbf_value v[3] = {{.kind = DBF_V_INT, .u.i = 1}, {.kind = DBF_V_INT, .u.i = 2},
                      {.kind = DBF_V_INT, .u.i = 3}};
    REQUIRE_OK(dbf_writer_create(&w, &wo, &e), &e);
    REQUIRE_OK(dbf_writer_header(w, &h, &e), &e);
    REQUIRE_OK(dbf_writer_table(w, &t1, &e), &e);
    REQUIRE_OK(dbf_writer_table(w, &t2, &e), &e);
    REQUIRE_OK(dbf_writer_data_begin(w, 1, &e), &e);
    REQUIRE_OK(dbf_writer_row(w, 1, &v[0], 1, &e), &e);
    REQUIRE_OK(dbf_writer_row(w, 1, &v[1], 1, &e), &e);
    REQUIRE_OK(dbf_writer_data_end(w, 1, &e), &e);
    REQUIRE_OK(dbf_writer_data_begin(w, 2, &e), &e);
    REQUIRE_OK(dbf_writer_row(w, 2, &v[2], 1, &e), &e);
    REQUIRE_OK(dbf_writer_abort(w, "PostgreSQL: server closed the connection unexpectedly", &e),
               &e);
    dbf_writer_free(w);
    return save(path, &b);
}

static void read_abort(const char *dir)
{
    static unsigned char buf[1 << 16];
    dbf_error e = {0, ""};
    t_src src = {buf, t_file(dir, "/golden/v1.1-abort.dbd", buf, sizeof(buf)), 0, 0};
    dbf_reader *r = t_reader(&src);
    dbf_msg m;
    int rc;
    int64_t sum = 0;
    size_t rows = 0;
    REQUIRE_OK(dbf_reader_next(r, &m, &e), &e);
    CHECK(m.kind == DBF_MSG_HEADER && m.header->version_major == 1 &&
          m.header->version_minor == 1 && streq(m.header->engine, "postgresql"));
    while ((rc = dbf_reader_next(r, &m, &e)) == 0 && m.kind != DBF_MSG_END)
        if (m.kind == DBF_MSG_ROW) {
            rows++;
            sum += m.values[0].u.i;
        }
    CHECK(rc == DBF_ETRUNCATED && rows == 3 && sum == 6);
    CHECK(streq(e.msg, "the program that wrote the archive failed: PostgreSQL: server closed "
                       "the connection unexpectedly (last complete table: users)"));
    dbf_reader_free(r);
}

/* Format 1.2: a header option naming pg_dump, a table, objects of kind ddl. */
static int write_ddl(const char *path)
{
    dbf_error e = {0, ""};
    t_buf b = {0};
    dbf_writer_opts wo = DBF_WRITER_OPTS_INIT;
    wo.write = t_buf_write;
    wo.ctx = &b;
    dbf_writer *w = NULL;
    static const dbf_kv opts[] = {{"postgresql.ddl", "15.18"}, {"compress_level", "3"}};
    dbf_header h = {.producer = "dbdump 0.1.0", .engine = "postgresql",
                    .created = "2026-12-06T00:00:00Z", .options = opts, .noptions = 2};
    dbf_column c[] = {{.name = "id", .type = DBF_T_INT, .bits = 32, .length = -1,
                       .precision = -1, .scale = -1, .native_type = "integer"}};
    dbf_table t = {.id = 1, .schema = "public", .name = "a", .columns = c, .ncolumns = 1,
                   .engine = "postgresql", .native_sql = "CREATE TABLE public.a (id integer);"};
    static const dbf_kv ta[] = {{"pg_dump.type", "TABLE"}, {"pg_dump.owner", "postgres"},
                                {"pg_dump.owner_sql", "ALTER TABLE public.a OWNER TO postgres;"}};
    dbf_object pre = {.kind = DBF_OBJ_DDL, .section = DBF_SEC_PRE, .subtype = "pg_dump",
                      .schema = "public", .name = "a", .table = "a", .engine = "postgresql",
                      .sql = "CREATE TABLE public.a (\n    id integer\n);\n", .attrs = ta,
                      .nattrs = 3};
    static const dbf_kv fa[] = {{"pg_dump.type", "FK CONSTRAINT"}};
    dbf_object post = {.kind = DBF_OBJ_DDL, .section = DBF_SEC_POST, .subtype = "pg_dump",
                       .schema = "public", .name = "a a_fk", .table = "a", .ref_schema = "public",
                       .ref_table = "b", .engine = "postgresql",
                       .sql = "ALTER TABLE ONLY public.a ADD CONSTRAINT a_fk FOREIGN KEY (id) "
                              "REFERENCES public.b(id);\n",
                       .attrs = fa, .nattrs = 1};
    dbf_value v = {.kind = DBF_V_INT, .u.i = 42};
    REQUIRE_OK(dbf_writer_create(&w, &wo, &e), &e);
    REQUIRE_OK(dbf_writer_header(w, &h, &e), &e);
    REQUIRE_OK(dbf_writer_table(w, &t, &e), &e);
    REQUIRE_OK(dbf_writer_object(w, &pre, &e), &e);
    REQUIRE_OK(dbf_writer_data_begin(w, 1, &e), &e);
    REQUIRE_OK(dbf_writer_row(w, 1, &v, 1, &e), &e);
    REQUIRE_OK(dbf_writer_data_end(w, 1, &e), &e);
    REQUIRE_OK(dbf_writer_object(w, &post, &e), &e);
    REQUIRE_OK(dbf_writer_finish(w, &e), &e);
    dbf_writer_free(w);
    return save(path, &b);
}

static void read_ddl(const char *dir)
{
    static unsigned char buf[1 << 16];
    dbf_error e = {0, ""};
    t_src src = {buf, t_file(dir, "/golden/v1.2-ddl.dbd", buf, sizeof(buf)), 0, 0};
    dbf_reader *r = t_reader(&src);
    dbf_msg m;
    REQUIRE_OK(dbf_reader_next(r, &m, &e), &e);
    CHECK(m.kind == DBF_MSG_HEADER && m.header->version_major == 1 &&
          m.header->version_minor == 2 && m.header->noptions == 2 &&
          streq(m.header->options[0].key, "postgresql.ddl") &&
          streq(m.header->options[0].value, "15.18"));
    REQUIRE_OK(dbf_reader_next(r, &m, &e), &e);
    CHECK(m.kind == DBF_MSG_TABLE && streq(m.table->name, "a"));
    REQUIRE_OK(dbf_reader_next(r, &m, &e), &e);
    REQUIRE(m.kind == DBF_MSG_OBJECT);
    const dbf_object *o = m.object;
    CHECK(o->kind == DBF_OBJ_DDL && o->section == DBF_SEC_PRE && streq(o->subtype, "pg_dump"));
    CHECK(streq(o->schema, "public") && streq(o->name, "a") && streq(o->table, "a"));
    CHECK(streq(o->sql, "CREATE TABLE public.a (\n    id integer\n);\n") && o->nattrs == 3);
    CHECK(o->nattrs == 3 && streq(o->attrs[0].key, "pg_dump.type") &&
          streq(o->attrs[0].value, "TABLE") &&
          streq(o->attrs[2].value, "ALTER TABLE public.a OWNER TO postgres;"));
    REQUIRE_OK(dbf_reader_next(r, &m, &e), &e);
    CHECK(m.kind == DBF_MSG_DATA_BEGIN);
    REQUIRE_OK(dbf_reader_next(r, &m, &e), &e);
    CHECK(m.kind == DBF_MSG_ROW && m.values[0].u.i == 42);
    REQUIRE_OK(dbf_reader_next(r, &m, &e), &e);
    CHECK(m.kind == DBF_MSG_DATA_END);
    REQUIRE_OK(dbf_reader_next(r, &m, &e), &e);
    REQUIRE(m.kind == DBF_MSG_OBJECT);
    o = m.object;
    CHECK(o->kind == DBF_OBJ_DDL && o->section == DBF_SEC_POST && streq(o->name, "a a_fk"));
    CHECK(streq(o->ref_schema, "public") && streq(o->ref_table, "b"));
    REQUIRE_OK(dbf_reader_next(r, &m, &e), &e);
    CHECK(m.kind == DBF_MSG_TRAILER && m.trailer->rows == 1);
    REQUIRE_OK(dbf_reader_next(r, &m, &e), &e);
    CHECK(m.kind == DBF_MSG_END);
    dbf_reader_free(r);
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "--write") == 0)
        return write_golden(argv[2]);
    if (argc == 3 && strcmp(argv[1], "--write-abort") == 0)
        return write_abort(argv[2]);
    if (argc == 3 && strcmp(argv[1], "--write-ddl") == 0)
        return write_ddl(argv[2]);
    REQUIRE(argc >= 2);
    static unsigned char buf[1 << 20];
    size_t len = t_file(argv[1], GOLDEN, buf, sizeof(buf));
    dbf_error e = {0, ""};
    t_src src = {buf, len, 0, 0};
    dbf_reader *r = t_reader(&src);
    dbf_msg m;
#define NEXT(k)                                                                            \
    do {                                                                                   \
        REQUIRE_OK(dbf_reader_next(r, &m, &e), &e);                                        \
        REQUIRE(m.kind == (k));                                                            \
    } while (0)
    NEXT(DBF_MSG_HEADER);
    CHECK(m.header->version_major == 1 && m.header->version_minor == 0);
    CHECK(streq(m.header->producer, "dbdump 0.1.0") && streq(m.header->engine, "sqlite"));
    CHECK(streq(m.header->server_version, "3.40.1") && streq(m.header->database, "main"));
    CHECK(streq(m.header->encoding, "UTF-8") && streq(m.header->time_zone, "UTC"));
    CHECK(streq(m.header->created, "2026-11-23T12:00:00Z") && m.header->noptions == 1);
    CHECK(streq(m.header->options[0].key, "format") &&
          streq(m.header->options[0].value, "archive"));
    NEXT(DBF_MSG_OBJECT);
    CHECK(m.object->kind == DBF_OBJ_SETTING && m.object->section == DBF_SEC_PRE);
    CHECK(streq(m.object->name, "user_version") && streq(m.object->value, "7"));
    NEXT(DBF_MSG_TABLE);
    const dbf_table *t1 = m.table;
    CHECK(t1->id == 1 && streq(t1->name, "items") && t1->schema == NULL && t1->ncolumns == 5);
    CHECK(t1->nprimary_key == 1 && streq(t1->primary_key[0], "id") && t1->row_estimate == 3);
    CHECK(streq(t1->native_sql, "CREATE TABLE items(id INTEGER PRIMARY KEY, name TEXT)"));
    CHECK(t1->columns[0].type == DBF_T_INT && t1->columns[0].bits == 32);
    CHECK(t1->columns[0].flags == (DBF_COL_NOT_NULL | DBF_COL_IDENTITY));
    CHECK(streq(t1->columns[0].native_type, "INTEGER"));
    CHECK(t1->columns[1].type == DBF_T_TEXT && t1->columns[1].length == 20);
    CHECK(t1->columns[2].type == DBF_T_DECIMAL && t1->columns[2].precision == 10 &&
          t1->columns[2].scale == 2);
    CHECK(t1->columns[3].type == DBF_T_BOOL);
    CHECK(t1->columns[4].type == DBF_T_TIMESTAMPTZ && t1->columns[4].precision == 6);
    NEXT(DBF_MSG_TABLE);
    const dbf_table *t2 = m.table;
    CHECK(t2->id == 2 && streq(t2->name, "misc") && t2->ncolumns == 6);
    CHECK(t2->columns[0].type == DBF_T_ANY && t2->columns[1].type == DBF_T_FLOAT64);
    CHECK(t2->columns[2].type == DBF_T_ARRAY && t2->columns[2].elem_type == DBF_T_TEXT);
    CHECK(t2->columns[3].type == DBF_T_INTERVAL && t2->columns[4].type == DBF_T_UUID);
    CHECK(t2->columns[5].type == DBF_T_BYTES);
    NEXT(DBF_MSG_DATA_BEGIN);
    CHECK(m.table == t1);
    static const char *const names[] = {"apple", "b\0\xff", NULL};
    static const size_t nlen[] = {5, 3, 0};
    static const char *const prices[] = {"1.50", "-99999999.99", "0.00"};
    for (int i = 0; i < 3; i++) {
        NEXT(DBF_MSG_ROW);
        CHECK(m.table == t1 && m.nvalues == 5 && m.row_number == (uint64_t)i + 1);
        CHECK(m.values[0].kind == DBF_V_INT && m.values[0].u.i == (i == 2 ? INT32_MIN : i + 1));
        if (names[i])
            CHECK(bytes_eq(&m.values[1], DBF_V_STR, names[i], nlen[i]));
        else
            CHECK(m.values[1].kind == DBF_V_NULL);
        CHECK(bytes_eq(&m.values[2], DBF_V_STR, prices[i], strlen(prices[i])));
        CHECK(m.values[3].kind == DBF_V_BOOL && m.values[3].u.b == (i == 0));
        CHECK(bytes_eq(&m.values[4], DBF_V_STR, "2026-11-23 12:00:00.123456Z", 27));
    }
    NEXT(DBF_MSG_DATA_END);
    CHECK(m.table == t1 && m.end->rows == 3);
    NEXT(DBF_MSG_DATA_BEGIN);
    CHECK(m.table == t2);
    for (int i = 0; i < 2; i++) {
        NEXT(DBF_MSG_ROW);
        CHECK(m.table == t2 && m.nvalues == 6);
        if (i == 0)
            CHECK(m.values[0].kind == DBF_V_UINT && m.values[0].u.u == UINT64_MAX);
        else
            CHECK(bytes_eq(&m.values[0], DBF_V_STR, "text in an integer column", 25));
        uint64_t fb;
        memcpy(&fb, &m.values[1].u.f64, 8);
        CHECK(m.values[1].kind == DBF_V_F64 &&
              fb == (i == 0 ? 0x8000000000000000ull : 0x7ff800000000beefull));
        const dbf_value *a = &m.values[2];
        CHECK(a->kind == DBF_V_ARRAY && a->u.arr.ndims == 1 && a->u.arr.dims[0] == 3 &&
              a->u.arr.lbounds[0] == 0 && a->u.arr.nelems == 3);
        if (a->kind == DBF_V_ARRAY && a->u.arr.nelems == 3) {
            CHECK(bytes_eq(&a->u.arr.elems[0], DBF_V_STR, "x", 1));
            CHECK(a->u.arr.elems[1].kind == DBF_V_NULL);
            CHECK(bytes_eq(&a->u.arr.elems[2], DBF_V_STR, "", 0));
        }
        CHECK(m.values[3].kind == DBF_V_INTERVAL && m.values[3].u.iv.months == 14 &&
              m.values[3].u.iv.days == -3 && m.values[3].u.iv.micros == 3600000001LL);
        CHECK(bytes_eq(&m.values[4], DBF_V_BIN,
                       "\x00\x11\x22\x33\x44\x55\x66\x77\x88\x99\xaa\xbb\xcc\xdd\xee\xff", 16));
        if (i == 0) {
            CHECK(m.values[5].kind == DBF_V_BIN && m.values[5].u.s.len == 0);
        } else {
            CHECK(m.values[5].kind == DBF_V_BIN && m.values[5].u.s.len == LARGE_LEN);
            int same = 1;
            for (size_t k = 0; k < LARGE_LEN && same; k++)
                same = (unsigned char)m.values[5].u.s.ptr[k] == large_byte(k);
            CHECK(same);
        }
    }
    NEXT(DBF_MSG_DATA_END);
    CHECK(m.table == t2 && m.end->rows == 2);
    NEXT(DBF_MSG_OBJECT);
    CHECK(m.object->kind == DBF_OBJ_INDEX && m.object->section == DBF_SEC_POST);
    CHECK(streq(m.object->name, "items_name") && streq(m.object->table, "items"));
    CHECK(m.object->unique && m.object->ncolumns == 1 && streq(m.object->columns[0], "name"));
    CHECK(streq(m.object->sql, "CREATE UNIQUE INDEX items_name ON items(name)"));
    NEXT(DBF_MSG_TRAILER);
    CHECK(m.trailer->tables == 2 && m.trailer->rows == 5);
    NEXT(DBF_MSG_END);
    CHECK(dbf_reader_bytes_in(r) == len);
    dbf_reader_free(r);
    read_abort(argv[1]);
    read_ddl(argv[1]);
    return t_done("test_golden");
}
