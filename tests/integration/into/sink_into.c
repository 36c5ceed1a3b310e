/*
 * sink_into.c - drives one restore sink in data-only "into" mode (engine.h, "Data-only into
 * existing tables") the way restore/into.c does, without the pump: the target table as
 * its engine's source reads it, restricted to COLS, then open(into) -> prepare ->
 * query -> exec_sql(BEFORE) -> create_table -> data_begin/row/data_end (the archive's
 * rows of TABLE, projected onto COLS by name) -> exec_sql(AFTER) -> query -> commit or
 * abort; after a commit, dbr_verify_read with the restricted table (projection by name).
 *
 *   sink_into URL ARCHIVE TABLE COLS commit|abort [BEFORE [QUERY [COUNTED [STAGING [AFTER]]]]]
 *   sink_into URL - - - openonly
 *
 * Prints "before=N after=N q=N", then "verify: found=B rows sent=N got=N match|MISMATCH" or
 * "aborted"; a failed step prints "FAIL <step>: rc=N <message>" and exits 1.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cross.h"
#include "engine.h"
#include "dbr.h"

/* The first column of the first row as an integer, through the sink's row callback; a
 * value that is not one is an error, as in restore/into.c. */
typedef struct first {
    long long v;
    int seen;
    dbf_error *err;
} first;
static int first_int(void *ctx, const char *const *vals, size_t n)
{
    first *f = ctx;
    if (f->seen++ || n == 0 || !vals[0])
        return 0;
    char *end = NULL;
    f->v = strtoll(vals[0], &end, 10);
    if (end == vals[0] || *end)
        return dbf_error_set(f->err, DBC_EBACKEND, "the query: not an integer: '%s'", vals[0]);
    return 0;
}
static int query_int(const dbe_sink_ops *ops, dbe_sink *k, const char *sql, int64_t *out,
                     dbf_error *err)
{
    first f = {0, 0, err};
    int rc = ops->query(k, sql, "the query", first_int, &f, err);
    *out = f.v;
    return rc;
}


#define CHECK(x)                                                                     \
    do {                                                                             \
        if ((rc = (x)) != 0) {                                                       \
            printf("FAIL %s: rc=%d %s\n", #x, rc, err.msg);                          \
            goto fail;                                                               \
        }                                                                            \
    } while (0)

int main(int argc, char **argv)
{
    if (argc < 6)
        return 2;
    dbc_progname = "sink_into";
    if (getenv("V"))
        dbc_verbosity = 2;
    dbf_error err = {0};
    int status = 1; /* 0 once every step passed */
    int rc;
    dbe_target *t = NULL;
    const char *tname = argv[3];
    if (dbe_target_parse(&t, argv[1], &err))
        return printf("parse: %s\n", err.msg), 2;
    if (strcmp(argv[5], "openonly") == 0) {
        dbe_restore_opts oo = {0};
        oo.into = oo.force = true;
        dbe_sink *kk = NULL;
        rc = dbe_sink_for(t->engine)->open(&kk, t, &oo, &err);
        printf("open: rc=%d %s\n", rc, rc ? err.msg : "");
        if (kk)
            dbe_sink_for(t->engine)->close(kk);
        dbe_target_free(t);
        return 0;
    }
    /* the target table, as the dump adapter reads it */
    const dbe_source_ops *so = dbe_source_for(t->engine);
    dbe_source *s = NULL;
    dbe_dump_opts dopt = {0};
    dopt.source = argv[1];
    dopt.progress = -1;
    const dbf_table *tabs = NULL;
    size_t ntabs = 0;
    if (so->open(&s, t, &dopt, &err) || so->tables(s, &tabs, &ntabs, &err))
        return printf("source: %s\n", err.msg), 2;
    const dbf_table *tgt = NULL;
    for (size_t i = 0; i < ntabs; i++)
        if (strcmp(tabs[i].name, tname) == 0)
            tgt = &tabs[i];
    if (!tgt)
        return printf("no target table\n"), 2;
    dbf_table tt = *tgt;
    tt.native_sql = NULL;
    dbf_column *cols = calloc(tgt->ncolumns, sizeof *cols);
    size_t nc = 0;
    char *want = strdup(argv[4]);
    for (size_t i = 0; i < tgt->ncolumns; i++) {
        char *w = strdup(want), *tok, *save = NULL;
        for (tok = strtok_r(w, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
            if (strcmp(tok, tgt->columns[i].name) == 0)
                cols[nc++] = tgt->columns[i];
        free(w);
    }
    for (size_t i = 0; i < nc; i++) {
        cols[i].name = strdup(cols[i].name);
        cols[i].type_name = cols[i].type_name ? strdup(cols[i].type_name) : NULL;
        cols[i].native_type = cols[i].native_type ? strdup(cols[i].native_type) : NULL;
        cols[i].default_expr = cols[i].generated_expr = cols[i].collation = NULL;
        cols[i].charset = cols[i].comment = NULL;
        cols[i].labels = NULL;
        cols[i].nlabels = 0;
        cols[i].attrs = NULL;
        cols[i].nattrs = 0;
    }
    if (nc == 0 || nc > 64)
        return printf("COLS names %zu columns of %s (1..64)\n", nc, tname), 2;
    tt.columns = cols;
    tt.ncolumns = nc;
    tt.schema = tt.schema ? strdup(tt.schema) : NULL;
    tt.name = strdup(tt.name);
    tt.primary_key = NULL;
    tt.nprimary_key = 0;
    tt.attrs = NULL;
    tt.nattrs = 0;
    tt.comment = NULL;
    tt.engine = NULL;
    if (argc > 9 && argv[9][0]) { /* staging table */
        free((char *)tt.schema);
        free((char *)tt.name);
        tt.schema = NULL;
        tt.name = strdup(argv[9]);
    }
    so->close(s); /* the PostgreSQL source holds ACCESS SHARE locks: TRUNCATE would wait for it */
    s = NULL;
    /* the archive */
    dbc_infile *in = NULL;
    dbf_reader *r = NULL;
    dbf_reader_opts ro = DBF_READER_OPTS_INIT;
    if (dbc_infile_open(&in, argv[2], &err))
        return printf("archive: %s\n", err.msg), 2;
    ro.read = dbc_infile_read;
    ro.ctx = in;
    if (dbf_reader_create(&r, &ro, &err))
        return printf("reader: %s\n", err.msg), 2;
    const dbf_header *h = NULL;
    size_t map[64];
    dbf_value vals[64];
    const dbe_sink_ops *ops = dbe_sink_for(t->engine);
    dbe_sink *k = NULL;
    dbe_restore_opts o = {0};
    o.target = argv[1];
    o.into = true;
    o.force = true;
    int64_t before = -1, after = -1, q = -1;
    dbf_digest dg;
    dbf_digest_init(&dg);
    CHECK(ops->open(&k, t, &o, &err));
    const dbf_table *ttp = &tt;
    bool started = false, mapped = false;
    uint32_t aid = 0;
    for (;;) {
        dbf_msg m;
        CHECK(dbf_reader_next(r, &m, &err));
        if (m.kind == DBF_MSG_END)
            break;
        if (m.kind == DBF_MSG_HEADER)
            h = m.header;
        if (m.kind == DBF_MSG_TABLE && strcmp(m.table->name, tname) == 0) {
            aid = m.table->id;
            for (size_t i = 0; i < nc; i++) {
                map[i] = SIZE_MAX;
                for (size_t j = 0; j < m.table->ncolumns; j++)
                    if (strcmp(m.table->columns[j].name, cols[i].name) == 0)
                        map[i] = j;
                if (map[i] == SIZE_MAX)
                    return printf("archive lacks %s\n", cols[i].name), 2;
            }
            mapped = true;
        }
        if (m.kind == DBF_MSG_DATA_BEGIN && m.table->id == aid && mapped) {
            if (!started) {
                started = true;
                CHECK(ops->prepare(k, h, &ttp, 1, &err));
                char sql[512];
                snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", argc > 8 ? argv[8] : tname);
                CHECK(query_int(ops, k, sql, &before, &err));
                if (argc > 6 && argv[6][0])
                    CHECK(ops->exec_sql(k, argv[6], "before the load", &err));
                CHECK(ops->create_table(k, h, &tt, &err));
            }
            CHECK(ops->data_begin(k, &tt, &err));
        }
        if (m.kind == DBF_MSG_ROW && m.table->id == aid) {
            for (size_t i = 0; i < nc; i++)
                vals[i] = m.values[map[i]];
            CHECK(ops->row(k, &tt, vals, nc, m.row_number, &err));
            CHECK(dbf_digest_add_row(&dg, &tt, vals, nc, &err));
        }
        if (m.kind == DBF_MSG_DATA_END && m.table->id == aid)
            CHECK(ops->data_end(k, &tt, &err));
    }
    {
        char sql[512];
        snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", argc > 8 ? argv[8] : tname);
        if (argc > 10 && argv[10][0])
            CHECK(ops->exec_sql(k, argv[10], "after the load", &err));
        CHECK(query_int(ops, k, sql, &after, &err));
        if (argc > 7 && argv[7][0])
            CHECK(query_int(ops, k, argv[7], &q, &err));
    }
    printf("before=%lld after=%lld q=%lld\n", (long long)before, (long long)after, (long long)q);
    if (strcmp(argv[5], "commit") == 0) {
        CHECK(ops->commit(k, &err));
        ops->close(k);
        k = NULL;
        dbr_verify_table vt;
        memset(&vt, 0, sizeof vt);
        vt.schema = tt.schema;
        vt.name = tt.name;
        vt.tt = &tt;
        vt.sent_rows = dg.rows;
        dbf_digest_final(&dg, vt.sent_digest);
        CHECK(dbr_verify_read(NULL, NULL, t, &vt, 1, &err));
        printf("verify: found=%d rows sent=%llu got=%llu %s\n", vt.found,
               (unsigned long long)vt.sent_rows, (unsigned long long)vt.got_rows,
               memcmp(vt.sent_digest, vt.got_digest, DBF_DIGEST_SIZE) == 0 ? "match"
                                                                            : "MISMATCH");
    } else {
        ops->abort(k);
        ops->close(k);
        k = NULL;
        printf("aborted\n");
    }
    status = 0;
fail:
    if (k) {
        ops->abort(k);
        ops->close(k);
    }
    dbf_reader_free(r);
    dbc_infile_close(in);
    for (size_t i = 0; i < nc; i++) {
        free((char *)cols[i].name);
        free((char *)cols[i].type_name);
        free((char *)cols[i].native_type);
    }
    free((char *)tt.schema);
    free((char *)tt.name);
    dbe_target_free(t);
    free(cols);
    free(want);
    return status;
}
