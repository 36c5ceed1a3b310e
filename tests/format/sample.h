/*
 * sample.h - small deterministic archives shared by the unit tests, the fuzz seed
 * generator and the spec example.
 */
#ifndef SAMPLE_H
#define SAMPLE_H

#include "tutil.h"

#define S_COL(nm, ty)                                                                      \
    {                                                                                      \
        .name = (nm), .type = (ty), .length = -1, .precision = -1, .scale = -1             \
    }

static const dbf_header s_header = {
    .producer = "dbdump-test 1",
    .engine = "sqlite",
    .server_version = "3.40.1",
    .database = "main",
    .encoding = "UTF-8",
    .time_zone = "UTC",
    .created = "2026-01-02T03:04:05Z",
};

/* The spec's worked example: one table "t" (id int, name text), two rows. */
static inline int sample_example(t_buf *out, dbf_error *err)
{
    static const dbf_column cols[] = {S_COL("id", DBF_T_INT), S_COL("name", DBF_T_TEXT)};
    static const char *const pk[] = {"id"};
    dbf_table t = {.id = 1, .name = "t", .columns = cols, .ncolumns = 2, .primary_key = pk,
                   .nprimary_key = 1, .row_estimate = -1};
    dbf_header h = {.producer = "dbdump 0.1.0", .engine = "sqlite", .database = "main",
                    .encoding = "UTF-8", .time_zone = "UTC", .created = "2026-01-01T00:00:00Z"};
    dbf_writer_opts wo = DBF_WRITER_OPTS_INIT;
    wo.write = t_buf_write;
    wo.ctx = out;
    dbf_writer *w = NULL;
    int rc = dbf_writer_create(&w, &wo, err);
    dbf_value r1[2] = {{.kind = DBF_V_INT, .u.i = 1},
                       {.kind = DBF_V_STR, .u.s = {"alice", 5}}};
    dbf_value r2[2] = {{.kind = DBF_V_INT, .u.i = 2}, {.kind = DBF_V_NULL}};
    if (rc == 0)
        rc = dbf_writer_header(w, &h, err);
    if (rc == 0)
        rc = dbf_writer_table(w, &t, err);
    if (rc == 0)
        rc = dbf_writer_data_begin(w, 1, err);
    if (rc == 0)
        rc = dbf_writer_row(w, 1, r1, 2, err);
    if (rc == 0)
        rc = dbf_writer_row(w, 1, r2, 2, err);
    if (rc == 0)
        rc = dbf_writer_data_end(w, 1, err);
    if (rc == 0)
        rc = dbf_writer_finish(w, err);
    dbf_writer_free(w);
    return rc;
}

/*
 * A small archive with two tables of varied types, objects before and after the data, and
 * several chunks (chunk_target is not reachable with this little data, so the writer makes
 * one data chunk; `big` adds a table with enough rows for several chunks and a large value).
 */
static inline int sample_small(t_buf *out, int big, dbf_error *err)
{
    static const dbf_column c1[] = {
        {.name = "id", .type = DBF_T_INT, .bits = 32, .length = -1, .precision = -1,
         .scale = -1, .flags = DBF_COL_NOT_NULL | DBF_COL_IDENTITY},
        S_COL("name", DBF_T_TEXT),
        S_COL("price", DBF_T_DECIMAL),
        S_COL("blob", DBF_T_BYTES),
        S_COL("ok", DBF_T_BOOL),
        S_COL("at", DBF_T_TIMESTAMPTZ),
    };
    static const dbf_column c2[] = {
        S_COL("k", DBF_T_ANY),
        S_COL("f", DBF_T_FLOAT64),
        {.name = "tags", .type = DBF_T_ARRAY, .elem_type = DBF_T_TEXT, .length = -1,
         .precision = -1, .scale = -1},
        S_COL("span", DBF_T_INTERVAL),
    };
    static const char *const pk[] = {"id"};
    dbf_table t1 = {.id = 1, .schema = "main", .name = "items", .columns = c1, .ncolumns = 6,
                    .primary_key = pk, .nprimary_key = 1, .engine = "sqlite",
                    .native_sql = "CREATE TABLE items(...)", .row_estimate = 3};
    dbf_table t2 = {.id = 2, .name = "misc", .columns = c2, .ncolumns = 4, .row_estimate = -1};
    dbf_table t3 = {.id = 3, .name = "bulk", .columns = c1, .ncolumns = 6, .row_estimate = -1};
    static const char *const icols[] = {"name"};
    dbf_object pre = {.kind = DBF_OBJ_SETTING, .section = DBF_SEC_PRE, .name = "user_version",
                      .value = "7"};
    dbf_object post = {.kind = DBF_OBJ_INDEX, .section = DBF_SEC_POST, .name = "items_name",
                       .table = "items", .columns = icols, .ncolumns = 1, .unique = true,
                       .engine = "sqlite", .sql = "CREATE UNIQUE INDEX items_name ON items(name)"};
    dbf_writer_opts wo = DBF_WRITER_OPTS_INIT;
    wo.write = t_buf_write;
    wo.ctx = out;
    dbf_writer *w = NULL;
    int rc = dbf_writer_create(&w, &wo, err);
    if (rc == 0)
        rc = dbf_writer_header(w, &s_header, err);
    if (rc == 0)
        rc = dbf_writer_object(w, &pre, err);
    if (rc == 0)
        rc = dbf_writer_table(w, &t1, err);
    if (rc == 0)
        rc = dbf_writer_table(w, &t2, err);
    if (rc == 0 && big)
        rc = dbf_writer_table(w, &t3, err);
    if (rc == 0)
        rc = dbf_writer_data_begin(w, 1, err);
    for (int i = 0; i < 3 && rc == 0; i++) {
        char name[16];
        snprintf(name, sizeof(name), "item-%d", i);
        unsigned char blob[3] = {0, (unsigned char)i, 0xff};
        dbf_value v[6] = {
            {.kind = DBF_V_INT, .u.i = i + 1},
            {.kind = DBF_V_STR, .u.s = {name, strlen(name)}},
            {.kind = DBF_V_STR, .u.s = {"12.50", 5}},
            {.kind = DBF_V_BIN, .u.s = {(const char *)blob, 3}},
            {.kind = DBF_V_BOOL, .u.b = (i % 2) == 0},
            {.kind = DBF_V_STR, .u.s = {"2026-01-02 03:04:05.5Z", 22}},
        };
        if (i == 2)
            v[3].kind = v[4].kind = DBF_V_NULL;
        rc = dbf_writer_row(w, 1, v, 6, err);
    }
    if (rc == 0)
        rc = dbf_writer_data_begin(w, 2, err);
    for (int i = 0; i < 2 && rc == 0; i++) {
        dbf_value el[3] = {{.kind = DBF_V_STR, .u.s = {"a", 1}},
                           {.kind = DBF_V_NULL},
                           {.kind = DBF_V_STR, .u.s = {"c", 1}}};
        dbf_value v[4] = {
            {.kind = DBF_V_INT, .u.i = -5 - i},
            {.kind = DBF_V_F64, .u.f64 = 1.5 * i},
            {.kind = DBF_V_ARRAY, .u.arr = {.elems = el, .nelems = 3, .ndims = 1,
                                            .dims = {3}, .lbounds = {1}}},
            {.kind = DBF_V_INTERVAL, .u.iv = {1, 2, 3000000}},
        };
        if (i == 1)
            v[0] = (dbf_value){.kind = DBF_V_STR, .u.s = {"x", 1}};
        rc = dbf_writer_row(w, 2, v, 4, err);
    }
    if (rc == 0)
        rc = dbf_writer_data_end(w, 2, err);
    if (rc == 0)
        rc = dbf_writer_data_end(w, 1, err);
    if (rc == 0 && big) {
        rc = dbf_writer_data_begin(w, 3, err);
        unsigned char *large = malloc(big);
        if (large == NULL && rc == 0)
            rc = DBF_ENOMEM;
        for (int i = 0; i < big && large != NULL; i++)
            large[i] = (unsigned char)(i * 7);
        for (int i = 0; i < 20000 && rc == 0; i++) {
            char name[32];
            snprintf(name, sizeof(name), "bulk-%d-%x", i, i * 2654435761u);
            dbf_value v[6] = {
                {.kind = DBF_V_INT, .u.i = i},
                {.kind = DBF_V_STR, .u.s = {name, strlen(name)}},
                {.kind = DBF_V_NULL},
                {.kind = DBF_V_BIN, .u.s = {(const char *)large, i == 100 ? (size_t)big : 8}},
                {.kind = DBF_V_BOOL, .u.b = true},
                {.kind = DBF_V_NULL},
            };
            rc = dbf_writer_row(w, 3, v, 6, err);
        }
        free(large);
        if (rc == 0)
            rc = dbf_writer_data_end(w, 3, err);
    }
    if (rc == 0)
        rc = dbf_writer_object(w, &post, err);
    if (rc == 0)
        rc = dbf_writer_finish(w, err);
    dbf_writer_free(w);
    return rc;
}

#endif /* SAMPLE_H */
