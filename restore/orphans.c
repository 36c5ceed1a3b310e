/*
 * orphans.c - data-only loads: rows whose parent row is missing (--orphans, see into.h).
 *
 * SQLite enforces no foreign key unless the application asks, so real SQLite files hold child
 * rows whose parent was deleted. The target's schema enforces them. Before anything is
 * written, a scan reads the archive's rows once: the key columns of every table on either
 * side of a foreign key go, converted exactly as the load converts them, into a temporary
 * table of the target ("dbr_ot_N", rows numbered as in the archive). The target then finds
 * the orphans itself, with its own comparison rules (types, collations): child rows whose
 * key is neither among the archive's parent rows nor among the rows the target keeps (tables
 * not loaded, --on-conflict). Rows left out (skip) are taken out of the parent side and the
 * search runs again, until no new orphan appears (a deleted post's comments, then their
 * reactions). The decision per row is kept in memory (row numbers of orphans only); the load
 * (the archive read a second time) then leaves those rows out or sends them with their
 * references NULL, so --verify's digest of what was sent is exact. The target's own foreign
 * key check after the load stays the last word.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "into_int.h"

#define MAX_FK 62      /* foreign keys scanned (bits of a mask below ORPH_SKIP) */
#define MAX_COLS 8     /* columns of one foreign key */
#define FIRST_KEYS 5   /* keys named in a refusal */

enum { MODE_FAIL = 0, MODE_SKIP, MODE_NULL };
static const char *const mode_names[] = {"fail", "skip", "null"};

/* One foreign key of the target touching a loaded table. */
typedef struct orph_fk {
    const dbf_object *f;
    int mode;
    size_t child, parent;      /* loaded tables; parent == x->n: not loaded (target rows) */
    size_t n;                  /* columns */
    size_t cslot[MAX_COLS];    /* the child's columns in its scan table */
    size_t pslot[MAX_COLS];    /* the parent's referenced columns in its scan table */
    size_t ccol[MAX_COLS];     /* the child's columns in its loaded table (tt) */
    uint64_t count;            /* orphan rows found */
    char *label;               /* "name" (child.col -> parent.col) */
    char *first;               /* first keys, for a refusal */
    size_t nfirst;
} orph_fk;

/* The scan table of one loaded table: its key columns, numbered rows. */
typedef struct orph_tab {
    bool used, parent;         /* scanned; referenced by a scanned foreign key */
    dbf_table ot;              /* dbr_ot_N: dbr_rowno, dbr_rkey, then columns of tt */
    dbf_column *cols;
    size_t *map;               /* ot column i (>= 2) = tt column map[i] */
    char name[32], pname[32];  /* scan table, parent copy (dbr_op_N) */
} orph_tab;

struct into_orph {
    orph_fk *fk;
    size_t nfk;
    orph_tab *tab;             /* per loaded table */
    size_t cur;                /* table of the open scan run (x->n: none) */
    dbc_vec vals;              /* dbf_value: the row sent to a scan table */
    bool scanning;             /* between dbr_into_scan_begin and _end */
    FILE *report;              /* --orphans-report */
    uint64_t nskip, nnull;     /* rows left out, rows with references set to NULL */
};

/* ------------------------------------------------------------------ modes */

static int parse_mode(const char *s)
{
    for (int m = 0; m < 3; m++)
        if (strcmp(s, mode_names[m]) == 0)
            return m;
    return -1;
}

bool dbr_orphans_reread(const dbe_restore_opts *o)
{
    if (o->plan)
        return false; /* the plan only reads the archive once */
    for (size_t i = 0; i < o->norphans; i++) {
        const char *eq = strrchr(o->orphans[i], '=');
        int m = parse_mode(eq ? eq + 1 : o->orphans[i]);
        if (m == MODE_SKIP || m == MODE_NULL)
            return true;
    }
    return false;
}

/* Whether NAME (from --orphans NAME=MODE) names foreign key f: its constraint name, or
 * TABLE.COLUMN of its (first) child column. */
static bool names_fk(const char *name, size_t len, const dbf_object *f)
{
    if (f->name && strlen(f->name) == len && strncmp(f->name, name, len) == 0)
        return true;
    size_t tl = strlen(f->table);
    return f->ncolumns > 0 && len == tl + 1 + strlen(f->columns[0]) &&
           strncmp(name, f->table, tl) == 0 && name[tl] == '.' &&
           strncmp(name + tl + 1, f->columns[0], len - tl - 1) == 0;
}

size_t into_loaded_index(const dbr_into *x, const char *schema, const char *name)
{
    for (size_t i = 0; i < x->n; i++) {
        const dbf_table *ex = x->t[i].ex;
        if (strcmp(ex->name, name) == 0 &&
            (!schema || !ex->schema || strcmp(schema, ex->schema) == 0))
            return i;
    }
    return x->n;
}

static size_t tt_column(const dbf_table *tt, const char *name)
{
    for (size_t c = 0; c < tt->ncolumns; c++)
        if (strcmp(tt->columns[c].name, name) == 0)
            return c;
    return tt->ncolumns;
}

/* Slot of tt column c in table j's scan table, added when new. */
static size_t slot(orph_tab *s, size_t c)
{
    for (size_t i = 2; i < s->ot.ncolumns; i++)
        if (s->map[i] == c)
            return i;
    s->map[s->ot.ncolumns] = c;
    return s->ot.ncolumns++;
}

static char *fk_label(const dbf_object *f)
{
    xl_sbuf b = {0};
    xl_sb_printf(&b, "foreign key \"%s\" (%s.", f->name ? f->name : "", f->table);
    for (size_t i = 0; i < f->ncolumns; i++)
        xl_sb_printf(&b, "%s%s", i ? "," : "", f->columns[i]);
    xl_sb_printf(&b, " -> %s.", f->ref_table);
    for (size_t i = 0; i < f->nref_columns; i++)
        xl_sb_printf(&b, "%s%s", i ? "," : "", f->ref_columns[i]);
    xl_sb_putc(&b, ')');
    return xl_sb_take(&b);
}

int into_orph_setup(dbr_into *x, dbf_error *err)
{
    const dbe_restore_opts *o = x->o;
    int dflt = MODE_FAIL;
    bool *used = calloc(o->norphans ? o->norphans : 1, sizeof *used);
    into_orph *p = calloc(1, sizeof *p);
    int rc = 0;
    if (!used || !p) {
        free(used);
        free(p);
        return dbc_oom(err);
    }
    x->orph = p;
    p->cur = x->n;
    for (size_t i = 0; i < o->norphans; i++) {
        const char *eq = strrchr(o->orphans[i], '=');
        if (parse_mode(eq ? eq + 1 : o->orphans[i]) < 0) {
            rc = dbf_error_set(err, DBC_EUSAGE, "--orphans %s: the mode is fail, skip or null",
                               o->orphans[i]);
            goto done;
        }
        if (!eq) {
            dflt = parse_mode(o->orphans[i]);
            used[i] = true;
        }
    }
    const dbf_object *const *fks = x->fk.p;
    if (!(p->fk = calloc(x->fk.n ? x->fk.n : 1, sizeof *p->fk)) ||
        !(p->tab = calloc(x->n ? x->n : 1, sizeof *p->tab))) {
        rc = dbc_oom(err);
        goto done;
    }
    for (size_t i = 0; i < x->fk.n; i++) {
        const dbf_object *f = fks[i];
        orph_fk *q = &p->fk[p->nfk];
        q->f = f;
        q->mode = dflt;
        for (size_t e = 0; e < o->norphans; e++) {
            const char *eq = strrchr(o->orphans[e], '=');
            if (eq && names_fk(o->orphans[e], (size_t)(eq - o->orphans[e]), f)) {
                q->mode = parse_mode(eq + 1);
                used[e] = true;
            }
        }
        q->child = into_loaded_index(x, f->schema, f->table);
        q->parent = into_loaded_index(x, f->ref_schema, f->ref_table);
        if (!(q->label = fk_label(f))) {
            rc = dbc_oom(err);
            goto done;
        }
        /* Rows of a table not loaded are the target's: its own check covers them. */
        if (q->child == x->n) {
            free(q->label);
            q->label = NULL;
            continue;
        }
        if (f->ncolumns == 0 || f->ncolumns != f->nref_columns || f->ncolumns > MAX_COLS) {
            free(q->label);
            q->label = NULL;
            continue; /* not scanned: the target's check after the load decides */
        }
        const into_tab *ct = &x->t[q->child];
        q->n = f->ncolumns;
        bool whole = true;
        for (size_t c = 0; c < q->n; c++) {
            q->ccol[c] = tt_column(ct->tt, f->columns[c]);
            whole = whole && q->ccol[c] < ct->tt->ncolumns;
            if (q->parent < x->n)
                whole = whole && tt_column(x->t[q->parent].tt, f->ref_columns[c]) <
                                     x->t[q->parent].tt->ncolumns;
        }
        if (!whole) {
            if (q->mode != MODE_FAIL) {
                rc = dbf_error_set(err, DBC_EUSAGE, "--orphans=%s: %s: a column of it is not "
                                   "loaded from the archive; the target's check after the "
                                   "load decides", mode_names[q->mode], q->label);
                goto done;
            }
            free(q->label);
            q->label = NULL;
            continue;
        }
        if (q->mode == MODE_NULL)
            for (size_t c = 0; c < q->n; c++)
                if (ct->tt->columns[q->ccol[c]].flags & DBF_COL_NOT_NULL) {
                    rc = dbf_error_set(err, DBC_EUSAGE, "--orphans=null: %s: column \"%s\" is "
                                       "NOT NULL in the target; --orphans %s=skip leaves such "
                                       "rows out instead", q->label, f->columns[c],
                                       f->name ? f->name : f->table);
                    goto done;
                }
        if (p->nfk == MAX_FK) {
            rc = dbf_error_set(err, DBF_EUNSUPPORTED, "more than %d foreign keys touch the "
                               "loaded tables: --orphans checks at most that many", MAX_FK);
            goto done;
        }
        p->nfk++;
    }
    for (size_t e = 0; e < o->norphans; e++)
        if (!used[e]) {
            xl_sbuf b = {0};
            for (size_t i = 0; i < x->fk.n; i++)
                xl_sb_printf(&b, "%s%s (%s.%s)", i ? ", " : "", fks[i]->name ? fks[i]->name : "?",
                             fks[i]->table, fks[i]->ncolumns ? fks[i]->columns[0] : "?");
            rc = dbf_error_set(err, DBC_EUSAGE, "--orphans %s: no foreign key of the loaded "
                               "tables has that name or TABLE.COLUMN; they are: %s",
                               o->orphans[e], b.p ? b.p : "none");
            xl_sb_free(&b);
            goto done;
        }
done:
    free(used);
    return rc;
}

bool dbr_into_scan_wanted(const dbr_into *x)
{
    const into_orph *p = x->orph;
    if (!p || p->nfk == 0)
        return false;
    if (x->o->plan)
        return true;
    for (size_t i = 0; i < p->nfk; i++)
        if (p->fk[i].mode != MODE_FAIL)
            return true;
    return false;
}

/* ------------------------------------------------------------------ the scan */

static void put_cols(xl_sbuf *b, dbe_id d, const orph_tab *s, const dbf_table *tt,
                     const char *prefix)
{
    for (size_t i = 2; i < s->ot.ncolumns; i++) {
        xl_sb_printf(b, "%s%s", i > 2 ? ", " : "", prefix);
        into_put_ident(b, d, tt->columns[s->map[i]].name);
    }
}

/* The scan table of loaded table j, empty, its columns typed as the target table's. */
static int create_scan_table(dbr_into *x, size_t j, dbf_error *err)
{
    orph_tab *s = &x->orph->tab[j];
    const into_tab *it = &x->t[j];
    xl_sbuf b = {0};
    switch (x->d) {
    case DBE_POSTGRESQL:
        xl_sb_printf(&b, "CREATE TEMPORARY TABLE \"%s\" ON COMMIT DROP AS SELECT 0::bigint AS "
                         "dbr_rowno, ''::text AS dbr_rkey, ", s->name);
        put_cols(&b, x->d, s, it->tt, "t.");
        xl_sb_printf(&b, " FROM %s t WHERE false", it->qname);
        break;
    case DBE_MYSQL:
        xl_sb_printf(&b, "CREATE TEMPORARY TABLE `%s` (dbr_rowno BIGINT, dbr_rkey TEXT) SELECT ",
                     s->name);
        put_cols(&b, x->d, s, it->tt, "t.");
        xl_sb_printf(&b, " FROM %s t WHERE 0", it->qname);
        break;
    case DBE_SQLITE:
        xl_sb_printf(&b, "CREATE TEMP TABLE \"%s\" AS SELECT CAST(0 AS INTEGER) AS dbr_rowno, "
                         "CAST('' AS TEXT) AS dbr_rkey, ", s->name);
        put_cols(&b, x->d, s, it->tt, "t.");
        xl_sb_printf(&b, " FROM main.%s t WHERE 0", it->qname);
        break;
    }
    int rc = into_run(x, &b, "--orphans: creating a scan table", err);
    xl_sb_free(&b);
    return rc ? rc : x->w.in_ops->create_table(x->w.in, x->h, &s->ot, err);
}

int dbr_into_scan_begin(dbr_into *x, dbf_error *err)
{
    into_orph *p = x->orph;
    int rc = 0;
    p->scanning = true;
    for (size_t i = 0; i < p->nfk; i++) {
        orph_fk *q = &p->fk[i];
        p->tab[q->child].used = true;
        if (q->parent < x->n)
            p->tab[q->parent].used = p->tab[q->parent].parent = true;
    }
    for (size_t j = 0; j < x->n; j++) {
        orph_tab *s = &p->tab[j];
        const dbf_table *tt = x->t[j].tt;
        if (!s->used)
            continue;
        if (!(s->cols = calloc(tt->ncolumns + 2, sizeof *s->cols)) ||
            !(s->map = calloc(tt->ncolumns + 2, sizeof *s->map)))
            return dbc_oom(err);
        snprintf(s->name, sizeof s->name, "dbr_ot_%zu", j + 1);
        snprintf(s->pname, sizeof s->pname, "dbr_op_%zu", j + 1);
        s->ot.schema = x->d == DBE_POSTGRESQL ? "pg_temp" : NULL;
        s->ot.name = s->name;
        s->ot.columns = s->cols;
        s->ot.ncolumns = 2;
        s->cols[0].name = "dbr_rowno";
        s->cols[0].type = DBF_T_INT;
        s->cols[0].bits = 64;
        s->cols[1].name = "dbr_rkey";
        s->cols[1].type = DBF_T_TEXT;
    }
    for (size_t i = 0; i < p->nfk; i++) {
        orph_fk *q = &p->fk[i];
        for (size_t c = 0; c < q->n; c++) {
            q->cslot[c] = slot(&p->tab[q->child], q->ccol[c]);
            if (q->parent < x->n)
                q->pslot[c] = slot(&p->tab[q->parent],
                                   tt_column(x->t[q->parent].tt, q->f->ref_columns[c]));
        }
    }
    for (size_t j = 0; j < x->n && !rc; j++) {
        orph_tab *s = &p->tab[j];
        if (!s->used)
            continue;
        for (size_t i = 2; i < s->ot.ncolumns; i++) {
            s->cols[i] = x->t[j].tt->columns[s->map[i]];
            s->cols[i].flags &= DBF_COL_NOT_NULL; /* loaded as any column */
        }
        rc = create_scan_table(x, j, err);
    }
    return rc;
}

static int end_run(dbr_into *x, dbf_error *err)
{
    into_orph *p = x->orph;
    if (p->cur == x->n)
        return 0;
    size_t j = p->cur;
    p->cur = x->n;
    return x->w.in_ops->data_end(x->w.in, &p->tab[j].ot, err);
}

int dbr_into_scan_row(dbr_into *x, size_t j, const dbf_value *vals, size_t n,
                      uint64_t row_number, dbf_error *err)
{
    const dbf_value *out = NULL;
    size_t nout = 0;
    if (!x->orph->tab[j].used)
        return 0;
    int rc = into_convert(x, j, vals, n, row_number, &out, &nout, err);
    return rc ? rc : into_orph_scan(x, j, vals, n, row_number, out, nout, err);
}

int into_orph_scan(dbr_into *x, size_t j, const dbf_value *vals, size_t n, uint64_t row_number,
                   const dbf_value *out, size_t nout, dbf_error *err)
{
    into_orph *p = x->orph;
    orph_tab *s = &p->tab[j];
    into_tab *it = &x->t[j];
    int rc;
    if (!p->scanning || !s->used)
        return 0;
    if (p->cur != j) {
        if ((rc = end_run(x, err)) || (rc = x->w.in_ops->data_begin(x->w.in, &s->ot, err)))
            return rc;
        p->cur = j;
    }
    if (dbc_vec_reserve(&p->vals, s->ot.ncolumns, sizeof(dbf_value)))
        return dbc_oom(err);
    dbf_value *v = p->vals.p;
    char key[1024];
    if (it->nkey)
        into_key_text(it, vals, n, key, sizeof key);
    else
        snprintf(key, sizeof key, "row %" PRIu64, row_number);
    v[0] = (dbf_value){.kind = DBF_V_INT, .u.i = (int64_t)row_number};
    v[1] = (dbf_value){.kind = DBF_V_STR, .u.s = {key, strlen(key)}};
    for (size_t i = 2; i < s->ot.ncolumns; i++)
        v[i] = s->map[i] < nout ? out[s->map[i]] : (dbf_value){.kind = DBF_V_NULL};
    return x->w.in_ops->row(x->w.in, &s->ot, v, s->ot.ncolumns, row_number, err);
}

/* ------------------------------------------------------------- the search */

static void put_scan(xl_sbuf *b, dbe_id d, const char *name)
{
    if (d == DBE_SQLITE)
        xl_sb_puts(b, "temp.");
    into_put_ident(b, d, name);
}

/* The parent side of the search: a copy of the scan table, indexed on the referenced columns
 * (MySQL cannot name one temporary table twice in a statement). */
static int parent_copy(dbr_into *x, size_t j, dbf_error *err)
{
    into_orph *p = x->orph;
    orph_tab *s = &p->tab[j];
    xl_sbuf b = {0};
    int rc = 0;
    if (x->d == DBE_MYSQL) {
        xl_sb_printf(&b, "CREATE TEMPORARY TABLE `%s` (INDEX (dbr_rowno)", s->pname);
        for (size_t i = 0; i < p->nfk; i++) {
            const orph_fk *q = &p->fk[i];
            if (q->parent != j)
                continue;
            xl_sb_puts(&b, ", INDEX (");
            for (size_t c = 0; c < q->n; c++) {
                xl_sb_puts(&b, c ? ", " : "");
                into_put_ident(&b, x->d, s->cols[q->pslot[c]].name);
            }
            xl_sb_puts(&b, ")");
        }
        xl_sb_printf(&b, ") SELECT * FROM `%s`", s->name);
        rc = into_run(x, &b, "--orphans: indexing the parent rows", err);
    } else {
        xl_sb_printf(&b, "CREATE TEMP TABLE \"%s\"%s AS SELECT * FROM ", s->pname,
                     x->d == DBE_POSTGRESQL ? " ON COMMIT DROP" : "");
        put_scan(&b, x->d, s->name);
        rc = into_run(x, &b, "--orphans: indexing the parent rows", err);
        for (size_t i = 0; i < p->nfk && !rc; i++) {
            const orph_fk *q = &p->fk[i];
            if (q->parent != j)
                continue;
            if (x->d == DBE_SQLITE)
                xl_sb_printf(&b, "CREATE INDEX temp.\"%s_%zu\" ON \"%s\" (", s->pname, i,
                             s->pname);
            else
                xl_sb_printf(&b, "CREATE INDEX ON \"%s\" (", s->pname);
            for (size_t c = 0; c < q->n; c++) {
                xl_sb_puts(&b, c ? ", " : "");
                into_put_ident(&b, x->d, s->cols[q->pslot[c]].name);
            }
            xl_sb_puts(&b, ")");
            rc = into_run(x, &b, "--orphans: indexing the parent rows", err);
        }
        if (!rc) {
            xl_sb_printf(&b, "CREATE INDEX %s\"%s_r\" ON \"%s\" (dbr_rowno)",
                         x->d == DBE_SQLITE ? "temp." : "", s->pname, s->pname);
            rc = into_run(x, &b, "--orphans: indexing the parent rows", err);
        }
        if (!rc && x->d == DBE_POSTGRESQL) {
            xl_sb_printf(&b, "ANALYZE \"%s\", \"%s\"", s->name, s->pname);
            rc = into_run(x, &b, "--orphans: indexing the parent rows", err);
        }
    }
    xl_sb_free(&b);
    return rc;
}

/* New orphans of foreign key i: child rows whose key is in neither the archive's parent rows
 * (those not left out) nor the target's. */
static int search(dbr_into *x, size_t i, dbf_error *err)
{
    into_orph *p = x->orph;
    const orph_fk *q = &p->fk[i];
    const orph_tab *cs = &p->tab[q->child];
    dbe_id d = x->d;
    xl_sbuf b = {0};
    xl_sb_puts(&b, d == DBE_MYSQL    ? "INSERT IGNORE INTO "
                   : d == DBE_SQLITE ? "INSERT OR IGNORE INTO "
                                             : "INSERT INTO ");
    put_scan(&b, d, "dbr_orph");
    xl_sb_printf(&b, " (fk, tab, rowno, rkey, ref) SELECT %zu, %zu, c.dbr_rowno, c.dbr_rkey, ",
                 i, q->child);
    if (d == DBE_SQLITE) {
        for (size_t c = 0; c < q->n; c++) {
            xl_sb_puts(&b, c ? " || ', ' || c." : "c.");
            into_put_ident(&b, d, cs->cols[q->cslot[c]].name);
        }
    } else {
        xl_sb_puts(&b, d == DBE_POSTGRESQL ? "concat_ws(', '" : "CONCAT_WS(', '");
        for (size_t c = 0; c < q->n; c++) {
            xl_sb_puts(&b, ", c.");
            into_put_ident(&b, d, cs->cols[q->cslot[c]].name);
        }
        xl_sb_puts(&b, ")");
    }
    xl_sb_puts(&b, " FROM ");
    put_scan(&b, d, cs->name);
    xl_sb_puts(&b, " c WHERE ");
    for (size_t c = 0; c < q->n; c++) {
        xl_sb_puts(&b, "c.");
        into_put_ident(&b, d, cs->cols[q->cslot[c]].name);
        xl_sb_puts(&b, " IS NOT NULL AND ");
    }
    if (q->parent < x->n) {
        const orph_tab *ps = &p->tab[q->parent];
        xl_sb_puts(&b, "NOT EXISTS (SELECT 1 FROM ");
        put_scan(&b, d, ps->pname);
        xl_sb_puts(&b, " p WHERE ");
        for (size_t c = 0; c < q->n; c++) {
            xl_sb_puts(&b, c ? " AND p." : "p.");
            into_put_ident(&b, d, ps->cols[q->pslot[c]].name);
            xl_sb_puts(&b, " = c.");
            into_put_ident(&b, d, cs->cols[q->cslot[c]].name);
        }
        xl_sb_puts(&b, ") AND ");
    }
    /* the target's rows: a table not loaded, or rows kept (--on-conflict); --truncate has
     * emptied the loaded ones in this transaction already */
    xl_sb_puts(&b, "NOT EXISTS (SELECT 1 FROM ");
    if (d == DBE_SQLITE)
        xl_sb_puts(&b, "main.");
    into_put_table(&b, d, q->f->ref_schema, q->f->ref_table);
    xl_sb_puts(&b, " t WHERE ");
    for (size_t c = 0; c < q->n; c++) {
        xl_sb_puts(&b, c ? " AND t." : "t.");
        into_put_ident(&b, d, q->f->ref_columns[c]);
        xl_sb_puts(&b, " = c.");
        into_put_ident(&b, d, cs->cols[q->cslot[c]].name);
    }
    xl_sb_puts(&b, ")");
    if (d == DBE_POSTGRESQL)
        xl_sb_puts(&b, " ON CONFLICT DO NOTHING");
    int rc = into_run(x, &b, "--orphans: looking for rows whose parent is missing", err);
    xl_sb_free(&b);
    return rc;
}

/* Rows left out leave the parent side: their own children become orphans in turn. */
static int take_out_skipped(dbr_into *x, dbf_error *err)
{
    into_orph *p = x->orph;
    xl_sbuf b = {0}, fks = {0};
    int rc = 0;
    for (size_t i = 0; i < p->nfk; i++)
        if (p->fk[i].mode == MODE_SKIP)
            xl_sb_printf(&fks, "%s%zu", fks.len ? ", " : "", i);
    for (size_t j = 0; j < x->n && fks.len && !rc; j++) {
        if (!p->tab[j].parent)
            continue;
        xl_sb_puts(&b, "DELETE FROM ");
        put_scan(&b, x->d, p->tab[j].pname);
        xl_sb_puts(&b, " WHERE dbr_rowno IN (SELECT o.rowno FROM ");
        put_scan(&b, x->d, "dbr_orph");
        xl_sb_printf(&b, " o WHERE o.tab = %zu AND o.fk IN (%s))", j, fks.p);
        rc = into_run(x, &b, "--orphans: taking out the rows left out", err);
    }
    xl_sb_free(&b);
    xl_sb_free(&fks);
    return rc;
}

/* ------------------------------------------------------------- the result */

typedef struct fetch_ctx {
    dbr_into *x;
    FILE *out;          /* the summary: stderr, or stdout for --plan */
    dbf_error *err;
    size_t tab;         /* table of the last row */
    uint64_t rowno;
} fetch_ctx;

static int add_orphan(into_tab *it, uint64_t rowno, uint64_t bit)
{
    into_orphan *o = it->orphans.n ? (into_orphan *)it->orphans.p + it->orphans.n - 1 : NULL;
    if (!o || o->row != rowno) {
        if (!(o = dbc_vec_push(&it->orphans, sizeof *o)))
            return -1;
        o->row = rowno;
    }
    o->mask |= bit;
    return 0;
}

static int fetch_row(void *ctx, const char *const *v, size_t n)
{
    fetch_ctx *c = ctx;
    dbr_into *x = c->x;
    into_orph *p = x->orph;
    if (n < 5 || !v[0] || !v[1] || !v[2])
        return dbf_error_set(c->err, DBC_EBACKEND, "--orphans: unexpected result row");
    size_t fi = (size_t)strtoull(v[0], NULL, 10), tab = (size_t)strtoull(v[1], NULL, 10);
    uint64_t rowno = strtoull(v[2], NULL, 10);
    if (fi >= p->nfk || tab >= x->n)
        return dbf_error_set(c->err, DBC_EBACKEND, "--orphans: unexpected result row");
    orph_fk *q = &p->fk[fi];
    const char *rkey = v[3] ? v[3] : "", *ref = v[4] ? v[4] : "";
    char sh[DBC_SHORT_MAX], sr[DBC_SHORT_MAX];
    q->count++;
    if (q->mode == MODE_FAIL) {
        if (q->nfirst < FIRST_KEYS) {
            xl_sbuf b = {0};
            xl_sb_printf(&b, "%s%s%s -> (%s)", q->first ? q->first : "", q->first ? "; " : "",
                         dbc_short(sh, rkey, strlen(rkey)), dbc_short(sr, ref, strlen(ref)));
            free(q->first);
            q->first = xl_sb_take(&b);
            q->nfirst++;
        }
        return 0;
    }
    into_tab *it = &x->t[tab];
    uint64_t bit = q->mode == MODE_SKIP ? ORPH_SKIP : UINT64_C(1) << fi;
    if (add_orphan(it, rowno, bit))
        return dbc_oom(c->err);
    const char *what = q->mode == MODE_SKIP ? "left out" : "reference set to NULL";
    fprintf(c->out, "orphan: table \"%s\" %s: %s: parent (%s) missing: %s\n", it->ex->name,
            dbc_short(sh, rkey, strlen(rkey)), q->label, dbc_short(sr, ref, strlen(ref)), what);
    if (p->report)
        fprintf(p->report, "%s\t%s\t%s\t%s\t%s\n", q->f->name ? q->f->name : "", it->ex->name,
                rkey, ref, q->mode == MODE_SKIP ? "skip" : "null");
    return 0;
}

/* Counts per table: a row in several foreign keys counts once, skip before null. */
static void count_rows(dbr_into *x)
{
    into_orph *p = x->orph;
    p->nskip = p->nnull = 0;
    for (size_t j = 0; j < x->n; j++)
        for (size_t r = 0; r < x->t[j].orphans.n; r++) {
            if (((const into_orphan *)x->t[j].orphans.p)[r].mask & ORPH_SKIP)
                p->nskip++;
            else
                p->nnull++;
        }
}

int dbr_into_scan_end(dbr_into *x, dbf_error *err)
{
    into_orph *p = x->orph;
    xl_sbuf b = {0};
    int rc;
    FILE *out = x->o->plan ? stdout : stderr;
    if ((rc = end_run(x, err)))
        return rc;
    p->scanning = false;
    for (size_t j = 0; j < x->n; j++) /* the load counts its own --lossy rows */
        x->t[j].lossy_base = dbe_xlate_lossy_rows(x->t[j].x);
    for (size_t j = 0; j < x->n && !rc; j++)
        if (p->tab[j].parent)
            rc = parent_copy(x, j, err);
    if (rc)
        return rc;
    switch (x->d) {
    case DBE_POSTGRESQL:
        xl_sb_puts(&b, "CREATE TEMPORARY TABLE dbr_orph (fk int, tab int, rowno bigint, rkey "
                       "text, ref text, PRIMARY KEY (fk, rowno)) ON COMMIT DROP");
        break;
    case DBE_MYSQL:
        xl_sb_puts(&b, "CREATE TEMPORARY TABLE dbr_orph (fk INT, tab INT, rowno BIGINT, rkey "
                       "TEXT, ref TEXT, PRIMARY KEY (fk, rowno), KEY (tab, rowno))");
        break;
    case DBE_SQLITE:
        xl_sb_puts(&b, "CREATE TEMP TABLE dbr_orph (fk INT, tab INT, rowno INT, rkey TEXT, "
                       "ref TEXT, PRIMARY KEY (fk, rowno))");
        break;
    }
    if ((rc = into_run(x, &b, "--orphans: creating the list of orphans", err)))
        goto done;
    /* Search until a round finds nothing new (each round can only add rows). */
    for (int64_t before = -1, now = 0; now != before && !rc;) {
        before = now;
        for (size_t i = 0; i < p->nfk && !rc; i++)
            rc = search(x, i, err);
        if (!rc)
            rc = take_out_skipped(x, err);
        if (!rc) {
            xl_sb_puts(&b, "SELECT count(*) FROM ");
            put_scan(&b, x->d, "dbr_orph");
            rc = into_query(x, &b, "--orphans: counting", &now, err);
        }
    }
    if (rc)
        goto done;
    if (x->o->orphans_report && !(p->report = fopen(x->o->orphans_report, "w"))) {
        rc = dbf_error_set(err, DBF_EIO, "--orphans-report %s: cannot create it",
                           x->o->orphans_report);
        goto done;
    }
    if (p->report)
        fputs("foreign_key\ttable\tkey\treference\taction\n", p->report);
    fetch_ctx c = {x, out, err, x->n, 0};
    xl_sb_puts(&b, "SELECT fk, tab, rowno, rkey, ref FROM ");
    put_scan(&b, x->d, "dbr_orph");
    xl_sb_puts(&b, " ORDER BY tab, rowno, fk");
    fflush(stdout);
    if ((rc = into_query_rows(x, &b, "--orphans: reading the list", fetch_row, &c, err)))
        goto done;
    count_rows(x);
    for (size_t i = 0; i < p->nfk; i++) {
        const orph_fk *q = &p->fk[i];
        if (q->count && q->mode != MODE_FAIL)
            fprintf(out, "orphans: %s: %" PRIu64 " row%s %s\n", q->label, q->count,
                    q->count > 1 ? "s" : "", q->mode == MODE_SKIP ? "left out (--orphans=skip)"
                                                                  : "with the reference set to "
                                                                    "NULL (--orphans=null)");
    }
    if (p->nskip || p->nnull || x->o->plan)
        fprintf(out, "orphans: %" PRIu64 " row%s left out, %" PRIu64 " row%s with references "
                "set to NULL%s%s\n", p->nskip, p->nskip == 1 ? "" : "s", p->nnull,
                p->nnull == 1 ? "" : "s", p->report ? "; listed in " : "",
                p->report ? x->o->orphans_report : "");
    /* A foreign key whose orphans nothing was said about: refused before anything is
     * written, naming the key, the count and the first rows. */
    for (size_t i = 0; i < p->nfk; i++) {
        const orph_fk *q = &p->fk[i];
        if (q->mode != MODE_FAIL || !q->count)
            continue;
        if (rc) /* the first is the error; the others are listed before it */
            fprintf(out, "orphans: %s: %" PRIu64 " row%s refused (first: %s)\n", q->label,
                    q->count, q->count > 1 ? "s" : "", q->first ? q->first : "");
        else
            rc = into_orph_refuse(x, q->f, q->count, q->first ? q->first : "", err);
    }
done:
    if (p->report && fclose(p->report) != 0 && !rc)
        rc = dbf_error_set(err, DBF_EIO, "--orphans-report %s: write failed",
                           x->o->orphans_report);
    p->report = NULL;
    /* The scan tables have done their work (PostgreSQL drops them at the end anyway). */
    for (size_t j = 0; j < x->n && !rc; j++) {
        for (int t = 0; t < 2 && !rc; t++) {
            if (!p->tab[j].used || (t == 1 && !p->tab[j].parent))
                continue;
            xl_sb_puts(&b, x->d == DBE_MYSQL ? "DROP TEMPORARY TABLE " : "DROP TABLE ");
            put_scan(&b, x->d, t ? p->tab[j].pname : p->tab[j].name);
            rc = into_run(x, &b, "--orphans: dropping a scan table", err);
        }
    }
    if (!rc) {
        xl_sb_puts(&b, x->d == DBE_MYSQL ? "DROP TEMPORARY TABLE " : "DROP TABLE ");
        put_scan(&b, x->d, "dbr_orph");
        rc = into_run(x, &b, "--orphans: dropping the list", err);
    }
    xl_sb_free(&b);
    return rc;
}

int into_orph_refuse(dbr_into *x, const dbf_object *f, uint64_t count, const char *first,
                     dbf_error *err)
{
    char *label = fk_label(f);
    bool loaded = into_loaded_index(x, f->schema, f->table) < x->n;
    const char *s = count > 1 ? "s" : "", *verb = count > 1 ? "" : "s";
    size_t pj = into_loaded_index(x, f->ref_schema, f->ref_table);
    if (loaded && pj < x->n && x->t[pj].not_own)
        dbf_error_set(err, DBC_EDATA, "%s: %" PRIu64 " row%s of \"%s\" reference%s a parent "
                      "row that is not in the target (first: %s): %" PRIu64 " archive row%s of "
                      "\"%s\" met a target row on a unique key other than the primary key and "
                      "%s not loaded under %s own key (--on-conflict: MySQL's ON DUPLICATE "
                      "KEY), which leaves %s children without their parent; nothing was "
                      "written", label ? label : "foreign key", count, s, f->table, verb, first,
                      x->t[pj].not_own, x->t[pj].not_own > 1 ? "s" : "", f->ref_table,
                      x->t[pj].not_own > 1 ? "were" : "was",
                      x->t[pj].not_own > 1 ? "their" : "its",
                      x->t[pj].not_own > 1 ? "their" : "its");
    else if (loaded)
        dbf_error_set(err, DBC_EDATA, "%s: %" PRIu64 " row%s of \"%s\" reference%s a parent "
                      "row that is in neither the archive nor the target (first: %s); nothing "
                      "was written. --orphans=skip leaves such rows out, --orphans=null sets "
                      "the reference to NULL (one key: --orphans %s=skip; --plan lists them)",
                      label ? label : "foreign key", count, s, f->table, verb, first,
                      f->name ? f->name : f->table);
    else
        dbf_error_set(err, DBC_EDATA, "%s: %" PRIu64 " row%s that the target keeps in \"%s\" "
                      "(not loaded) reference%s a row of \"%s\" that is no longer there "
                      "(first: %s); nothing was written. Load \"%s\" too, or leave out "
                      "--truncate", label ? label : "foreign key", count, s, f->table, verb,
                      f->ref_table, first, f->table);
    free(label);
    return DBC_EDATA;
}

/* ------------------------------------------------------------------ the load */

int into_orph_row(dbr_into *x, size_t j, uint64_t row_number, const dbf_value **out,
                  size_t *nout, dbf_error *err)
{
    into_tab *it = &x->t[j];
    const into_orphan *o = it->orphans.p;
    size_t lo = 0, hi = it->orphans.n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (o[mid].row < row_number)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == it->orphans.n || o[lo].row != row_number)
        return 0;
    uint64_t mask = o[lo].mask;
    if (mask & ORPH_SKIP)
        return DBR_INTO_SKIP;
    if (dbc_vec_reserve(&it->nbuf, *nout, sizeof(dbf_value)))
        return dbc_oom(err);
    dbf_value *v = it->nbuf.p;
    memcpy(v, *out, *nout * sizeof *v);
    const into_orph *p = x->orph;
    for (size_t i = 0; i < p->nfk; i++)
        if (mask & (UINT64_C(1) << i))
            for (size_t c = 0; c < p->fk[i].n; c++)
                if (p->fk[i].ccol[c] < *nout)
                    v[p->fk[i].ccol[c]] = (dbf_value){.kind = DBF_V_NULL};
    *out = v;
    return 0;
}

void into_orph_free(dbr_into *x)
{
    into_orph *p = x->orph;
    if (!p)
        return;
    for (size_t i = 0; p->fk && i < x->fk.n; i++) { /* also a slot set up when setup failed */
        free(p->fk[i].label);
        free(p->fk[i].first);
    }
    for (size_t j = 0; p->tab && j < x->n; j++) {
        free(p->tab[j].cols);
        free(p->tab[j].map);
    }
    for (size_t j = 0; j < x->n; j++) {
        dbc_vec_free(&x->t[j].orphans);
        dbc_vec_free(&x->t[j].nbuf);
    }
    free(p->fk);
    free(p->tab);
    dbc_vec_free(&p->vals);
    free(p);
    x->orph = NULL;
}
