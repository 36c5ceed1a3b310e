/*
 * hostile.c - test helper: write a SQLite-engine archive whose native SQL tries to do more
 * than create the declared object. Usage: dbt_hostile CASE FILE, CASE one of
 *   two      table t's SQL is "CREATE TABLE t(x); DROP TABLE keep"
 *   drop     table t's SQL is "DROP TABLE keep"
 *   other    table t's SQL creates a table of another name
 *   trigger  a post-data trigger object whose SQL is two statements
 *   names    a valid archive whose table and column names hold quotes, semicolons, newlines
 */
#include <stdio.h>
#include <string.h>

#include "dbc.h"

int main(int argc, char **argv)
{
    dbc_outfile *out = NULL;
    dbf_writer *w = NULL;
    dbf_error err = {0, {0}};
    int rc;
    if (argc != 3) {
        fprintf(stderr, "usage: dbt_hostile CASE FILE\n");
        return 2;
    }
    const char *c = argv[1];
    const char *name = "t", *col = "x";
    const char *sql = "CREATE TABLE t(x)";
    if (strcmp(c, "two") == 0)
        sql = "CREATE TABLE t(x); DROP TABLE keep";
    else if (strcmp(c, "drop") == 0)
        sql = "DROP TABLE keep";
    else if (strcmp(c, "other") == 0)
        sql = "CREATE TABLE other(x)";
    else if (strcmp(c, "names") == 0) {
        name = "x\"; DROP TABLE keep; --\nnext";
        col = "c\"); DROP TABLE keep; --";
        sql = "CREATE TABLE \"x\"\"; DROP TABLE keep; --\nnext\" (\"c\"\"); DROP TABLE keep; --\")";
    } else if (strcmp(c, "trigger") != 0) {
        fprintf(stderr, "unknown case %s\n", c);
        return 2;
    }
    dbf_column cols[1];
    memset(cols, 0, sizeof cols);
    cols[0].name = col;
    cols[0].type = DBF_T_ANY;
    cols[0].length = cols[0].precision = cols[0].scale = -1;
    dbf_table t;
    memset(&t, 0, sizeof t);
    t.id = 1;
    t.name = name;
    t.columns = cols;
    t.ncolumns = 1;
    t.engine = "sqlite";
    t.native_sql = sql;
    t.row_estimate = -1;
    dbf_header h;
    memset(&h, 0, sizeof h);
    h.producer = "dbt_hostile";
    h.engine = "sqlite";
    h.database = "hostile.db";
    h.encoding = "UTF-8";
    h.created = "2026-01-01T00:00:00Z";
    dbf_object trig;
    memset(&trig, 0, sizeof trig);
    trig.kind = DBF_OBJ_TRIGGER;
    trig.section = DBF_SEC_POST;
    trig.name = "tr";
    trig.table = name;
    trig.engine = "sqlite";
    trig.sql = "CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT 1; END; DROP TABLE keep";
    dbf_value v = {.kind = DBF_V_STR, .u.s = {"it's; DROP TABLE keep; --", 25}};

    dbf_writer_opts wo = DBF_WRITER_OPTS_INIT;
    wo.write = dbc_outfile_write;
    if ((rc = dbc_outfile_open(&out, argv[2], &err)))
        goto done;
    wo.ctx = out;
    if ((rc = dbf_writer_create(&w, &wo, &err)) || (rc = dbf_writer_header(w, &h, &err)) ||
        (rc = dbf_writer_table(w, &t, &err)) || (rc = dbf_writer_data_begin(w, 1, &err)) ||
        (rc = dbf_writer_row(w, 1, &v, 1, &err)) || (rc = dbf_writer_data_end(w, 1, &err)))
        goto done;
    if (strcmp(c, "trigger") == 0 && (rc = dbf_writer_object(w, &trig, &err)))
        goto done;
    if ((rc = dbf_writer_finish(w, &err)) || (rc = dbc_outfile_commit(out, &err)))
        goto done;
done:
    dbf_writer_free(w);
    dbc_outfile_abort(out);
    if (rc) {
        fprintf(stderr, "dbt_hostile: %s\n", err.msg);
        return 1;
    }
    return 0;
}
