/*
 * cross.c - cross-engine restores on top of xlate.h (see cross.h and the integration notes in
 * xlate.h): a sink wrapping the target's, which gets translated tables and rows as if the
 * archive were its own; the translated post-data runs through its exec_sql at the end.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cross.h"
#include "dbc_mem.h"
#include "wrap.h"

struct dbr_cross {
    dbr_wrap w;                  /* the translation as a sink (dbr_cross_wrap): first */
    dbe_id d;                    /* target dialect */
    dbf_header th;               /* header as the sink sees it */
    const dbf_header *h;         /* archive header */
    dbe_xlate_opts xo;           /* translation options */
    bool digest;                 /* --verify: digest the rows as sent */
    bool data_only;              /* rows into existing tables: counters only at the end */
    size_t n;                    /* archive tables */
    const dbf_table **src;       /* archive tables (reader-owned) */
    dbe_xlate **x;               /* translation per table */
    const dbf_table **tt;        /* target table per table (borrowed from x) */
    dbf_digest *dg;              /* digest of the rows as sent, per table */
    dbc_vec post;                /* const dbf_object *: post-data objects (reader-owned);
                                  * the finish adds those of SQLite CREATE TABLE texts */
};

int dbr_cross_create(dbr_cross **out, dbe_id d, const dbf_header *h,
                     const dbf_table *const *tables, size_t ntables, bool data_only,
                     const dbe_restore_opts *o, dbf_error *err)
{
    int rc = 0;
    dbr_cross *c = calloc(1, sizeof *c);
    *out = NULL;
    if (!c)
        return dbc_oom(err);
    c->d = d;
    c->h = h;
    c->th = *h;
    c->th.engine = dbe_name(d);
    c->xo = dbe_xlate_opts_of(o);
    c->digest = o->verify;
    c->data_only = data_only;
    if (d == DBE_POSTGRESQL)
        c->xo.target_schema = "public"; /* the sink runs with an empty search_path */
    c->n = ntables;
    size_t m = ntables ? ntables : 1;
    c->src = calloc(m, sizeof *c->src);
    c->x = calloc(m, sizeof *c->x);
    c->tt = calloc(m, sizeof *c->tt);
    c->dg = calloc(m, sizeof *c->dg);
    if (!c->src || !c->x || !c->tt || !c->dg) {
        rc = dbc_oom(err);
        goto done;
    }
    for (size_t i = 0; i < ntables; i++) {
        c->src[i] = tables[i];
        if ((rc = dbe_xlate_table_create(&c->x[i], d, h, tables[i], &c->xo, err)))
            goto done;
        c->tt[i] = dbe_xlate_target(c->x[i]);
        dbf_digest_init(&c->dg[i]);
        if (dbc_verbosity >= 2)
            for (size_t j = 0; j < dbe_xlate_nnotes(c->x[i]); j++)
                dbc_info("%s", dbe_xlate_note(c->x[i], j));
    }
done:
    if (rc)
        dbr_cross_free(c);
    else
        *out = c;
    return rc;
}

const dbf_table *const *dbr_cross_tables(const dbr_cross *c)
{
    return (const dbf_table *const *)c->tt;
}

const dbe_xlate *dbr_cross_xlate(const dbr_cross *c, size_t i)
{
    return c->x[i];
}

/* Convert one row of archive table i and add it to the table's digest as sent; out, nout:
 * the row for c->tt[i], borrowed until the next call. */
static int xlate_row(dbr_cross *c, size_t i, const dbf_value *vals, size_t n,
                     uint64_t row_number, const dbf_value **out, size_t *nout, dbf_error *err)
{
    int rc = dbe_xlate_row(c->x[i], vals, n, row_number, out, nout, err);
    if (!rc && c->digest) /* only --verify reads it: 9 % of a migration's CPU otherwise */
        rc = dbe_xlate_digest_row(c->x[i], &c->dg[i], *out, *nout, err);
    return rc;
}

const dbf_digest *dbr_cross_digest(const dbr_cross *c, size_t i)
{
    return &c->dg[i];
}

uint64_t dbr_cross_lossy_rows(const dbr_cross *c)
{
    uint64_t n = 0;
    for (size_t i = 0; c && i < c->n; i++)
        n += dbe_xlate_lossy_rows(c->x[i]);
    return n;
}

/* The target table of an object's table (by name, schema when both have one). */
static size_t table_of(const dbr_cross *c, const dbf_object *o)
{
    if (!o->table)
        return c->n;
    for (size_t i = 0; i < c->n; i++) {
        const dbf_table *s = c->src[i];
        if (strcmp(s->name, o->table) == 0 &&
            (!o->schema || !s->schema || strcmp(o->schema, s->schema) == 0))
            return i;
    }
    return c->n;
}

/* Pre-data object: nothing to run (tables carry their own DDL); warns with the note. */
static void pre_object(dbr_cross *c, const dbf_object *o)
{
    char *sql = NULL, *note = NULL;
    dbf_error e = {0, {0}};
    size_t i = table_of(c, o);
    int rc = dbe_xlate_object(&sql, &note, c->d, c->h, o, i < c->n ? c->tt[i] : NULL, &c->xo,
                              &e);
    if (note)
        dbc_warn("%s", note);
    else if (rc)
        dbc_warn("%s %s skipped: %s", o->subtype ? o->subtype : "object",
                 o->name ? o->name : "?", e.msg);
    free(sql); /* tables carry their own types; counters come after the data */
    free(note);
}

/* Run SQL that may hold several statements separated by ";\n", one statement at a time. */
static int exec_multi(dbr_cross *c, const char *sql, const char *what, dbf_error *err)
{
    int rc = 0;
    char *copy = strdup(sql);
    if (!copy)
        return dbc_oom(err);
    char *p = copy;
    while (p && *p) {
        char *end = strstr(p, ";\n");
        if (end)
            *end = '\0';
        const char *q = p;
        while (*q == ' ' || *q == '\n' || *q == '\t' || *q == '\r')
            q++;
        if (*q && (rc = c->w.in_ops->exec_sql(c->w.in, q, what, err)))
            goto done;
        p = end ? end + 2 : NULL;
    }
done:
    free(copy);
    return rc;
}

static bool is_sub(const dbf_object *o, const char *sub)
{
    return o->kind == DBF_OBJ_CONSTRAINT && o->subtype && strcmp(o->subtype, sub) == 0;
}

/* Translate and run one object; not expressible: warn and skip. */
static int run_object(dbr_cross *c, const dbf_object *o, dbf_error *err)
{
    char *sql = NULL, *note = NULL;
    size_t i = table_of(c, o);
    int rc = dbe_xlate_object(&sql, &note, c->d, c->h, o, i < c->n ? c->tt[i] : NULL, &c->xo,
                              err);
    if (rc == DBF_EUNSUPPORTED) {
        dbc_warn("%s", note ? note : err->msg);
        rc = 0;
    } else if (rc == 0) {
        if (note && dbc_verbosity >= 2)
            dbc_info("%s", note);
        if (sql)
            rc = exec_multi(c, sql, o->name ? o->name : "object", err);
    }
    free(sql);
    free(note);
    return rc;
}

/* ------------------------------------------------------------- the sink */

/* The translation as a sink: the pump's archive tables and rows in, translated ones out to
 * the target's sink (c->w.in). Its handle is c. */

/*
 * After the data: counters, (SQLite archives) the constraints of the CREATE TABLE texts,
 * (SQLite targets) table rebuilds for foreign keys and checks, then indexes and the other
 * constraints, foreign keys last. Objects the target cannot express are warned and skipped.
 * Rows into existing tables (data_only): counters only (the tables have their keys).
 */
static int sink_finish(dbe_sink *k, dbf_error *err)
{
    dbr_cross *c = dbr_wrap_of(k);
    int rc = 0;
    dbe_xlate_objs **lists = NULL;
    char **rebuild = NULL;
    bool from_sqlite = !c->data_only && c->h->engine && strcmp(c->h->engine, "sqlite") == 0;

    if (!c->w.in_ops->exec_sql)
        return dbf_error_set(err, DBF_EUNSUPPORTED, "the sink cannot run translated SQL");
    /* Counters: move identities / AUTO_INCREMENT past the loaded ids. */
    for (size_t i = 0; i < c->n; i++) {
        char *sql = NULL;
        if ((rc = dbe_xlate_counters_sql(&sql, c->x[i], err)))
            goto done;
        if (sql)
            rc = exec_multi(c, sql, c->tt[i]->name, err);
        free(sql);
        if (rc)
            goto done;
    }
    /* All post-data constraints: the archive's, plus those in SQLite CREATE TABLE texts. */
    lists = calloc(c->n ? c->n : 1, sizeof *lists);
    rebuild = calloc(c->n ? c->n : 1, sizeof *rebuild);
    if (!lists || !rebuild) {
        rc = dbc_oom(err);
        goto done;
    }
    for (size_t i = 0; from_sqlite && i < c->n; i++) {
        if ((rc = dbe_xlate_sqlite_constraints(&lists[i], c->src[i], err))) {
            if (rc != DBF_EUNSUPPORTED)
                goto done;
            dbc_warn("constraints of table %s not carried: %s", c->src[i]->name, err->msg);
            rc = 0;
        }
        for (size_t j = 0; j < dbe_xlate_objs_count(lists[i]); j++)
            if (dbc_vec_push_ptr(&c->post, dbe_xlate_objs_get(lists[i], j))) {
                rc = dbc_oom(err);
                goto done;
            }
    }
    const dbf_object **objs = c->post.p;
    size_t nobjs = c->post.n;

    /* SQLite targets: foreign keys and checks by table rebuilds, before the indexes. */
    if (c->d == DBE_SQLITE) {
        for (size_t j = 0; j < nobjs; j++) {
            const dbf_object *o = objs[j];
            size_t i = table_of(c, o);
            if (i == c->n || !(is_sub(o, "foreign_key") || is_sub(o, "check")))
                continue;
            char *sql = NULL, *note = NULL;
            rc = dbe_xlate_sqlite_add_constraint(&sql, &note, c->x[i], c->h, o, err);
            if (rc == 0) {
                free(rebuild[i]);
                rebuild[i] = sql;
                if (note && dbc_verbosity >= 2)
                    dbc_info("%s", note);
            } else if (rc == DBF_EUNSUPPORTED) {
                dbc_warn("%s", note ? note : err->msg);
                free(sql);
                rc = 0;
            }
            free(note);
            if (rc)
                goto done;
            objs[j] = NULL; /* handled */
        }
        for (size_t i = 0; i < c->n; i++)
            if (rebuild[i] && (rc = exec_multi(c, rebuild[i], c->tt[i]->name, err)))
                goto done;
    }
    /* Indexes and the other constraints, then foreign keys (their keys exist by then). */
    for (int pass = 0; pass < 2; pass++) {
        for (size_t j = 0; j < nobjs; j++) {
            const dbf_object *o = objs[j];
            if (!o || is_sub(o, "foreign_key") != (pass == 1))
                continue;
            if ((rc = run_object(c, o, err)))
                goto done;
        }
    }
done:
    for (size_t i = 0; lists && i < c->n; i++)
        dbe_xlate_objs_free(lists[i]);
    for (size_t i = 0; rebuild && i < c->n; i++)
        free(rebuild[i]);
    free(lists);
    free(rebuild);
    return rc;
}

static int sink_prepare(dbe_sink *k, const dbf_header *h, const dbf_table *const *tables,
                        size_t ntables, dbf_error *err)
{
    dbr_cross *c = dbr_wrap_of(k);
    (void)h, (void)tables, (void)ntables;
    return c->w.in_ops->prepare(c->w.in, &c->th, (const dbf_table *const *)c->tt, c->n, err);
}

static int sink_create_table(dbe_sink *k, const dbf_header *h, const dbf_table *t,
                             dbf_error *err)
{
    dbr_cross *c = dbr_wrap_of(k);
    size_t i;
    int rc = dbr_wrap_index(&c->w, t, &i, err);
    (void)h;
    return rc ? rc : c->w.in_ops->create_table(c->w.in, &c->th, c->tt[i], err);
}

static int sink_create_object(dbe_sink *k, const dbf_header *h, const dbf_object *o,
                              dbf_error *err)
{
    dbr_cross *c = dbr_wrap_of(k);
    (void)h;
    if (o->section == DBF_SEC_PRE)
        pre_object(c, o);
    else if (dbc_vec_push_ptr(&c->post, o)) /* kept for the finish */
        return dbc_oom(err);
    return 0;
}

static int sink_row(dbe_sink *k, const dbf_table *t, const dbf_value *vals, size_t n,
                    uint64_t row_number, dbf_error *err)
{
    dbr_cross *c = dbr_wrap_of(k);
    const dbf_value *out = NULL;
    size_t i, nout = 0;
    int rc = dbr_wrap_index(&c->w, t, &i, err);
    if (!rc)
        rc = xlate_row(c, i, vals, n, row_number, &out, &nout, err);
    return rc ? rc : c->w.in_ops->row(c->w.in, c->tt[i], out, nout, row_number, err);
}

static int sink_commit(dbe_sink *k, dbf_error *err)
{
    dbr_cross *c = dbr_wrap_of(k);
    return c->w.in_ops->commit(c->w.in, err);
}

static const dbe_sink_ops cross_sink = {
    .prepare = sink_prepare,
    .create_table = sink_create_table,
    .create_object = sink_create_object,
    .data_begin = dbr_wrap_data_begin,
    .row = sink_row,
    .data_end = dbr_wrap_data_end,
    .commit = sink_commit,
    .abort = dbr_wrap_abort,
    .close = dbr_wrap_close,
    .read_back = dbr_wrap_read_back,
    .finish = sink_finish,
};

void dbr_cross_wrap(dbr_cross *c, const dbe_sink_ops **ops, dbe_sink **k)
{
    c->w.tables = c->src;
    c->w.to = c->tt;
    c->w.ntables = c->n;
    dbr_wrap_sink(&c->w, &cross_sink, ops, k);
}

void dbr_cross_free(dbr_cross *c)
{
    if (!c)
        return;
    for (size_t i = 0; c->x && i < c->n; i++)
        dbe_xlate_free(c->x[i]);
    free(c->src);
    free(c->x);
    free(c->tt);
    free(c->dg);
    dbc_vec_free(&c->post);
    free(c);
}

int dbr_print_line(void *ctx, const char *line)
{
    return printf("%s%s\n", ctx ? (const char *)ctx : "", line) < 0 ? DBF_EIO : 0;
}

int dbr_cross_plan(dbe_id d, const dbf_header *h, const dbf_table *const *tables,
                   size_t ntables, const dbf_object *const *objects, size_t nobjects,
                   const dbe_restore_opts *o, dbf_error *err)
{
    dbe_xlate_opts xo = dbe_xlate_opts_of(o);
    return dbe_xlate_plan(d, h, tables, ntables, objects, nobjects, &xo, dbr_print_line, NULL,
                          err);
}
