/*
 * verify.c - dbrestore --verify: read the restored tables back and digest them.
 *
 * A sink that can (SQLite) hands the rows back inside the restore's own transaction
 * (read_back), so that a mismatch still rolls everything back; the others are read after
 * commit through the target engine's source (stream_rows). Either way each row comes to a
 * callback here, one at a time, and is digested: as a row of the archive table (same engine),
 * or by the translation's rules in the target table's types (cross-engine: a column that a
 * foreign key turned from numeric(20,0) into bigint is read back as the numeric it was sent
 * as). Memory stays bounded: nothing is kept whole.
 * Data-only restores into existing tables: the target table may have more columns than the
 * archive filled (v->tt holds only those). Each row read back is then projected onto v->tt's
 * columns by exact name and digested as a row of v->tt.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cross.h"
#include "dbc_text.h"

/* One table being read back. */
typedef struct rb_table {
    dbr_verify_table *v;
    const dbf_table *read; /* the table as its rows come (the source's), or v->tt */
    size_t *proj;          /* v->tt column -> read column; NULL: rows as read */
    dbf_value *fixed;      /* v->tt->ncolumns values, when projected or cross-engine */
    char (*tmp)[DBC_NUM_TEXT]; /* text of decimals read back as integers */
    dbf_digest dg;
} rb_table;

/* The read-back value in the type the target table was sent in (see the file comment). */
static void fix_value(const dbf_column *c, const dbf_value *in, dbf_value *out,
                      char tmp[DBC_NUM_TEXT])
{
    *out = *in;
    if (c->type == DBF_T_DECIMAL && (in->kind == DBF_V_INT || in->kind == DBF_V_UINT)) {
        out->kind = DBF_V_STR;
        out->u.s.ptr = tmp;
        out->u.s.len = in->kind == DBF_V_INT ? dbc_int_text(tmp, in->u.i)
                                             : dbc_uint_text(tmp, in->u.u);
    }
}

static int digest_row(void *ctx, const dbf_value *vals, size_t n, dbf_error *err)
{
    rb_table *c = ctx;
    dbr_verify_table *v = c->v;
    if (!c->proj && !v->x)
        return dbf_digest_add_row(&c->dg, c->read, vals, n, err);
    size_t nt = v->tt->ncolumns;
    if (!c->proj && n != nt)
        return dbf_error_set(err, DBC_EDATA, "verify: table %s has %zu columns, %zu were "
                             "restored", v->name, n, nt);
    for (size_t i = 0; i < nt; i++) {
        size_t j = c->proj ? c->proj[i] : i;
        if (j >= n)
            return dbf_error_set(err, DBC_EDATA, "verify: table %s: a row of %zu values read "
                                 "back", v->name, n);
        if (v->x)
            fix_value(&v->tt->columns[i], &vals[j], &c->fixed[i], c->tmp[i]);
        else
            c->fixed[i] = vals[j];
    }
    return v->x ? dbe_xlate_digest_row(v->x, &c->dg, c->fixed, nt, err)
                : dbf_digest_add_row(&c->dg, v->tt, c->fixed, nt, err);
}

static bool same_name(const dbf_table *a, const dbr_verify_table *v, const char *dflt)
{
    if (strcmp(a->name, v->name) != 0)
        return false;
    if (v->schema && a->schema)
        return strcmp(v->schema, a->schema) == 0;
    if (!v->schema && a->schema && dflt)
        return strcmp(a->schema, dflt) == 0;
    return true;
}

/*
 * Target table a as read vs v->tt: when v->tt is not a's columns as they are (same names in
 * the same order), *out maps each v->tt column to a's column of the same name (data-only
 * restores into tables with more columns than the archive fills). *out stays NULL when the
 * rows are digested as read. @return 0, 1 (a v->tt column is missing from a: the table is
 * reported as not found, a mismatch) or DBF_ENOMEM.
 */
static int plan_projection(const dbf_table *a, const dbr_verify_table *v, size_t **out,
                           dbf_error *err)
{
    const dbf_table *tt = v->tt;
    *out = NULL;
    if (!tt)
        return 0;
    bool same = tt->ncolumns == a->ncolumns;
    for (size_t i = 0; same && i < tt->ncolumns; i++)
        same = strcmp(tt->columns[i].name, a->columns[i].name) == 0;
    if (same)
        return 0;
    size_t *map = malloc((tt->ncolumns ? tt->ncolumns : 1) * sizeof *map);
    if (!map)
        return dbc_oom(err);
    for (size_t i = 0; i < tt->ncolumns; i++) {
        size_t j = 0;
        while (j < a->ncolumns && strcmp(a->columns[j].name, tt->columns[i].name) != 0)
            j++;
        if (j == a->ncolumns) {
            free(map);
            if (dbc_verbosity >= 2)
                dbc_info("verify: table %s has no column %s", v->name, tt->columns[i].name);
            return 1;
        }
        map[i] = j;
    }
    *out = map;
    return 0;
}

/* Read table v back: from the sink, or (src) from the source's table `read`. */
static int read_one(const dbe_sink_ops *ops, dbe_sink *sink, const dbe_source_ops *sops,
                    dbe_source *src, const dbf_table *read, dbr_verify_table *v, dbf_error *err)
{
    rb_table c;
    memset(&c, 0, sizeof c);
    c.v = v;
    c.read = read ? read : v->tt;
    int rc = read ? plan_projection(read, v, &c.proj, err) : 0;
    if (rc)
        return rc < 0 ? rc : 0; /* a v->tt column is missing: not found, a mismatch */
    size_t nt = v->tt->ncolumns ? v->tt->ncolumns : 1;
    if ((c.proj || v->x) &&
        (!(c.fixed = calloc(nt, sizeof *c.fixed)) || !(c.tmp = calloc(nt, sizeof *c.tmp)))) {
        rc = dbc_oom(err);
        goto done;
    }
    dbf_digest_init(&c.dg);
    if (sink) {
        rc = ops->read_back(sink, v->tt, &v->found, digest_row, &c, err);
    } else {
        v->found = true;
        rc = sops->stream_rows(src, read, digest_row, &c, err);
    }
    if (!rc && v->found) {
        v->got_rows = c.dg.rows;
        dbf_digest_final(&c.dg, v->got_digest);
    }
done:
    free(c.proj);
    free(c.fixed);
    free(c.tmp);
    return rc;
}

int dbr_target_source(const dbe_source_ops **ops, dbe_source **out, const dbe_target *target,
                      const dbf_table **tables, size_t *ntables, dbf_error *err)
{
    dbe_dump_opts dopt = {.source = target->display, .progress = -1};
    dbf_header hd = {0};
    *ops = dbe_source_for(target->engine);
    *out = NULL;
    int rc = (*ops)->open(out, target, &dopt, err);
    if (!rc && !(rc = (*ops)->header(*out, &hd, err)))
        rc = (*ops)->tables(*out, tables, ntables, err);
    return rc;
}

int dbr_verify_read(const dbe_sink_ops *ops, dbe_sink *sink, const dbe_target *target,
                    dbr_verify_table *v, size_t n, dbf_error *err)
{
    int rc = 0;
    if (sink) {
        for (size_t i = 0; i < n && !rc; i++)
            rc = read_one(ops, sink, NULL, NULL, NULL, &v[i], err);
        return rc;
    }
    const dbe_source_ops *sops = NULL;
    dbe_source *s = NULL;
    const dbf_table *tabs = NULL;
    size_t ntabs = 0;
    if ((rc = dbr_target_source(&sops, &s, target, &tabs, &ntabs, err)))
        goto done;
    const char *dflt = target->engine == DBE_POSTGRESQL ? "public" : NULL;
    for (size_t j = 0; j < ntabs && !rc; j++)
        for (size_t i = n; i-- > 0;)
            if (same_name(&tabs[j], &v[i], dflt)) {
                rc = read_one(ops, NULL, sops, s, &tabs[j], &v[i], err);
                break;
            }
done:
    if (s && sops->close)
        sops->close(s);
    return rc;
}
