/*
 * xlate_obj.c - cross-engine translation of objects (indexes; unique, foreign key and check
 * constraints; sequences; what cannot be expressed) and the --plan report. What differs per
 * target dialect is asked from its dbe_dialect (xlate_int.h).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dbc.h"
#include "xlate_int.h"

int xl_put_col_list(xl_sbuf *b, const dbe_dialect *dl, const char *const *cols, size_t n,
                    const dbf_table *table, bool prefix, dbf_error *err)
{
    xl_sb_putc(b, '(');
    for (size_t i = 0; i < n; i++) {
        if (i)
            xl_sb_puts(b, ", ");
        int rc = xl_put_ident(b, dl, cols[i], err);
        if (rc)
            return rc;
        if (prefix && table) {
            for (size_t k = 0; k < table->ncolumns; k++) {
                const dbf_column *tc = &table->columns[k];
                if (strcmp(tc->name, cols[i]) == 0 && tc->native_type &&
                    (strncmp(tc->native_type, "longtext", 8) == 0 ||
                     strncmp(tc->native_type, "longblob", 8) == 0))
                    xl_sb_puts(b, "(255)");
            }
        }
    }
    xl_sb_putc(b, ')');
    return 0;
}

static int put_table_ref(xl_sbuf *b, const dbe_dialect *dl, const char *schema, const char *name,
                         dbf_error *err)
{
    if (dl->schemas && schema) {
        int rc = xl_put_ident(b, dl, schema, err);
        if (rc)
            return rc;
        xl_sb_putc(b, '.');
    }
    return xl_put_ident(b, dl, name, err);
}

bool xl_ref_action_ok(const char *a)
{
    static const char *const ok[] = {"CASCADE", "SET NULL", "SET DEFAULT", "RESTRICT",
                                     "NO ACTION", NULL};
    return !a || xl_in_list(a, ok);
}

int xl_put_fk(xl_sbuf *b, const dbe_dialect *dl, const char *schema, const dbf_object *o,
              dbf_error *err)
{
    int rc;
    xl_sb_puts(b, " FOREIGN KEY ");
    if ((rc = xl_put_col_list(b, dl, o->columns, o->ncolumns, NULL, false, err)))
        return rc;
    xl_sb_puts(b, " REFERENCES ");
    if ((rc = put_table_ref(b, dl, schema, o->ref_table, err)))
        return rc;
    if (o->nref_columns) { /* none: the parent's primary key (PostgreSQL) */
        xl_sb_putc(b, ' ');
        if ((rc = xl_put_col_list(b, dl, o->ref_columns, o->nref_columns, NULL, false, err)))
            return rc;
    }
    if (o->on_delete && strcmp(o->on_delete, "NO ACTION") != 0)
        xl_sb_printf(b, " ON DELETE %s", o->on_delete);
    if (o->on_update && strcmp(o->on_update, "NO ACTION") != 0)
        xl_sb_printf(b, " ON UPDATE %s", o->on_update);
    return 0;
}

/* Object name in the target: MySQL index names are per table, elsewhere per schema. */
static void object_name(xl_sbuf *b, const dbf_header *h, const dbf_object *o,
                        const dbe_dialect *dl)
{
    bool mysql_src = h && h->engine && strcmp(h->engine, "mysql") == 0;
    if (mysql_src && !dl->index_per_table && o->table)
        xl_sb_printf(b, "%s_%s", o->table, o->name ? o->name : "idx");
    else
        xl_sb_puts(b, o->name ? o->name : "unnamed");
}

/* Index methods without an equivalent elsewhere (GIN, GiST, ..., MySQL FULLTEXT/SPATIAL). */
static const char *index_method(const dbf_object *o)
{
    const char *t = dbc_kv(o->attrs, o->nattrs, "mysql.index_type");
    if (t && (strcasecmp(t, "FULLTEXT") == 0 || strcasecmp(t, "SPATIAL") == 0))
        return t;
    static const char *const pg[] = {" USING gin", " USING gist", " USING spgist",
                                     " USING brin", NULL};
    for (size_t i = 0; o->sql && pg[i]; i++)
        if (strstr(o->sql, pg[i]))
            return pg[i] + 7;
    if (o->sql && (strstr(o->sql, "FULLTEXT") || strstr(o->sql, "SPATIAL")) && o->engine &&
        strcmp(o->engine, "mysql") == 0)
        return strstr(o->sql, "FULLTEXT") ? "FULLTEXT" : "SPATIAL";
    return NULL;
}

/* A key column the target cannot index: PostgreSQL json (no btree class), MySQL json. */
static const char *json_column(const dbe_dialect *dl, const dbf_object *o, const dbf_table *table)
{
    if (!table || !dl->json_no_index)
        return NULL;
    for (size_t k = 0; k < o->ncolumns; k++)
        for (size_t i = 0; o->columns[k] && i < table->ncolumns; i++) {
            const dbf_column *tc = &table->columns[i];
            if (strcmp(tc->name, o->columns[k]) == 0 && tc->native_type &&
                strcmp(tc->native_type, "json") == 0)
                return tc->name;
        }
    return NULL;
}

/* After "::" at p: the PostgreSQL cast's type name, skipped. */
static const char *skip_cast(const char *p)
{
    static const char *const cont[] = {"varying", "precision", "with", "without", "time",
                                       "zone", NULL};
    for (bool first = true;; first = false) {
        const char *q = p;
        while (*q == ' ')
            q++;
        const char *w = q;
        while (isalnum((unsigned char)*q) || *q == '_' || *q == '"' || *q == '.')
            q++;
        char word[16];
        size_t wn = (size_t)(q - w);
        if (wn == 0)
            break;
        if (!first) {
            if (wn >= sizeof word)
                break;
            for (size_t i = 0; i < wn; i++)
                word[i] = (char)tolower((unsigned char)w[i]);
            word[wn] = '\0';
            if (!xl_in_list(word, cont))
                break;
        }
        p = q;
    }
    if (*p == '(') {
        while (*p && *p != ')')
            p++;
        if (*p)
            p++;
    }
    while (p[0] == '[' && p[1] == ']')
        p += 2;
    return p;
}

/* A quoted string or identifier at p, rewritten for dl into b.
 * @return what follows it, NULL when it cannot be (unterminated, MySQL escapes). */
static const char *check_quoted(xl_sbuf *b, const dbe_dialect *dl, const char *p, bool mysql_src)
{
    xl_sbuf t = {0};
    char cl = *p == '[' ? ']' : *p;
    const char *q = p + 1;
    for (;;) {
        if (!*q || (cl == '\'' && mysql_src && *q == '\\')) {
            q = NULL;
            break;
        }
        if (*q == cl && cl != ']' && q[1] == cl) {
            xl_sb_putc(&t, cl);
            q += 2;
        } else if (*q == cl) {
            q++;
            break;
        } else {
            xl_sb_putc(&t, *q++);
        }
    }
    if (q && cl == '\'')
        xl_put_literal(b, dl, t.p ? t.p : "", t.len);
    else if (q && (!t.p || xl_put_ident(b, dl, t.p, NULL)))
        q = NULL;
    xl_sb_free(&t);
    return q;
}

/* A word at p: a keyword, a portable function or a column name, for dl into b.
 * @return what follows it, NULL when it is not portable. */
static const char *check_word(xl_sbuf *b, const dbe_dialect *dl, const char *p)
{
    static const char *const words[] = {"and", "or", "not", "is", "null", "in", "between",
                                        "like", "true", "false", NULL};
    static const char *const funcs[] = {"length", "char_length", "lower", "upper", "abs",
                                        "coalesce", "trim", NULL};
    const char *st = p;
    while (isalnum((unsigned char)*p) || *p == '_')
        p++;
    char w[64];
    size_t n = (size_t)(p - st);
    if (n >= sizeof w)
        return NULL;
    for (size_t i = 0; i < n; i++)
        w[i] = (char)tolower((unsigned char)st[i]);
    w[n] = '\0';
    const char *q = p;
    while (isspace((unsigned char)*q))
        q++;
    if (xl_in_list(w, words)) {
        for (size_t i = 0; i < n; i++)
            xl_sb_putc(b, (char)toupper((unsigned char)w[i]));
    } else if (*q == '(') {
        if (!xl_in_list(w, funcs))
            return NULL;
        bool len = strcmp(w, "length") == 0 || strcmp(w, "char_length") == 0;
        xl_sb_puts(b, len ? dl->char_length : w);
    } else {
        memcpy(w, st, n); /* the name as written */
        if (xl_put_ident(b, dl, w, NULL))
            return NULL;
    }
    return p;
}

/* Conservative translation of a check expression; NULL when not portable. */
char *xl_check_expr(const char *src, const char *src_engine, const dbe_dialect *dl)
{
    xl_sbuf b = {0};
    const char *p = src;
    bool mysql_src = src_engine && strcmp(src_engine, "mysql") == 0;
    while (p && *p) {
        unsigned char ch = (unsigned char)*p;
        if (isspace(ch)) {
            xl_sb_putc(&b, ' ');
            while (isspace((unsigned char)*p))
                p++;
        } else if (p[0] == ':' && p[1] == ':') { /* PostgreSQL cast: drop it */
            p = skip_cast(p + 2);
        } else if (ch == '\'' || ch == '"' || ch == '`' || ch == '[') {
            p = check_quoted(&b, dl, p, mysql_src);
        } else if (isdigit(ch) || (ch == '.' && isdigit((unsigned char)p[1]))) {
            while (isalnum((unsigned char)*p) || *p == '.')
                xl_sb_putc(&b, *p++);
        } else if (isalpha(ch) || ch == '_') {
            p = check_word(&b, dl, p);
        } else if (strchr("()<>=!+-*/%,", (int)ch)) {
            xl_sb_putc(&b, (char)ch);
            p++;
        } else {
            p = NULL;
        }
    }
    if (p)
        return xl_sb_take(&b);
    xl_sb_free(&b);
    return NULL;
}


/* ------------------------------------------------------------------ objects */

/* One object being translated by dbe_xlate_object. */
typedef struct xl_obj {
    const dbe_dialect *dl;
    const dbf_header *h;
    const dbf_object *o;
    const dbf_table *table; /* target table of o->table, or NULL */
    const char *schema;     /* target schema, NULL: unqualified */
    const char *oname;      /* o's name for messages */
    const char *src;        /* source engine name */
    xl_sbuf b;              /* the SQL */
    xl_sbuf nm;             /* o's name in the target */
    char *why;              /* the note */
} xl_obj;

static int obj_index(xl_obj *ob, dbf_error *err)
{
    const dbf_object *o = ob->o;
    const dbe_dialect *dl = ob->dl;
    const char *method = index_method(o), *on = o->table ? o->table : "?";
    bool expr_part = false;
    for (size_t k = 0; k < o->ncolumns; k++)
        expr_part |= !o->columns[k] || !o->columns[k][0];
    const char *jcol = method ? NULL : json_column(dl, o, ob->table);
    if (method)
        ob->why = xl_dupf("index \"%s\" on \"%s\": %s index of %s has no equivalent; not "
                          "created", ob->oname, on, method, ob->src);
    else if (jcol)
        ob->why = xl_dupf("index \"%s\" on \"%s\": column \"%s\" is json, which %s cannot "
                          "index; not created", ob->oname, o->table, jcol, dbe_title(dl->id));
    else if (!o->ncolumns || !o->table || expr_part)
        ob->why = xl_dupf("index \"%s\" on \"%s\": an expression index in %s syntax cannot be "
                          "translated; not created", ob->oname, on, ob->src);
    else if (o->expr && o->unique)
        ob->why = xl_dupf("index \"%s\" on \"%s\": a partial unique index (WHERE %s) cannot be "
                          "translated; not created", ob->oname, o->table, o->expr);
    else
        goto expressible;
    return DBF_EUNSUPPORTED;
expressible:
    if (o->expr)
        ob->why = xl_dupf("index \"%s\" on \"%s\": partial index predicate (%s) dropped; "
                          "created on all rows", ob->oname, o->table, o->expr);
    object_name(&ob->nm, ob->h, o, dl);
    xl_sb_puts(&ob->b, o->unique ? "CREATE UNIQUE INDEX " : "CREATE INDEX ");
    int rc = xl_put_ident(&ob->b, dl, ob->nm.p, err);
    if (rc)
        return rc;
    xl_sb_puts(&ob->b, " ON ");
    if ((rc = put_table_ref(&ob->b, dl, ob->schema, o->table, err)))
        return rc;
    xl_sb_putc(&ob->b, ' ');
    rc = xl_put_col_list(&ob->b, dl, o->columns, o->ncolumns, ob->table, dl->key_prefix, err);
    if (!rc && dl->key_prefix && strstr(ob->b.p, "(255)") && o->unique && !ob->why)
        ob->why = xl_dupf("index \"%s\" on \"%s\": unique over the first 255 characters/bytes "
                          "of long text/blob columns (%s needs a prefix length)", ob->oname,
                          o->table, dbe_title(dl->id));
    return rc;
}

/* "ALTER TABLE t ADD CONSTRAINT name" (fk: with the foreign key's column changes between). */
static int alter_add(xl_obj *ob, bool fk, dbf_error *err)
{
    xl_sb_puts(&ob->b, "ALTER TABLE ");
    int rc = put_table_ref(&ob->b, ob->dl, ob->schema, ob->o->table, err);
    if (rc)
        return rc;
    if (fk && ob->dl->fk_columns && ob->table)
        ob->dl->fk_columns(&ob->b, ob->o, ob->table, &ob->why);
    xl_sb_puts(&ob->b, " ADD CONSTRAINT ");
    return xl_put_ident(&ob->b, ob->dl, ob->nm.p, err);
}

static int obj_unique(xl_obj *ob, dbf_error *err)
{
    const dbf_object *o = ob->o;
    const dbe_dialect *dl = ob->dl;
    int rc;
    if (dl->add_constraints) {
        if ((rc = alter_add(ob, false, err)))
            return rc;
        xl_sb_puts(&ob->b, " UNIQUE ");
        return xl_put_col_list(&ob->b, dl, o->columns, o->ncolumns, ob->table, dl->key_prefix,
                               err);
    }
    xl_sb_puts(&ob->b, "CREATE UNIQUE INDEX ");
    if ((rc = xl_put_ident(&ob->b, dl, ob->nm.p, err)))
        return rc;
    xl_sb_puts(&ob->b, " ON ");
    if ((rc = xl_put_ident(&ob->b, dl, o->table, err)))
        return rc;
    xl_sb_putc(&ob->b, ' ');
    rc = xl_put_col_list(&ob->b, dl, o->columns, o->ncolumns, ob->table, false, err);
    ob->why = xl_dupf("unique constraint \"%s\" on \"%s\" created as a unique index (%s cannot "
                      "add constraints to a table)", ob->oname, o->table, dbe_title(dl->id));
    return rc;
}

static int obj_fk(xl_obj *ob, dbf_error *err)
{
    const dbf_object *o = ob->o;
    const dbe_dialect *dl = ob->dl;
    if (!dl->add_constraints)
        ob->why = xl_dupf("foreign key \"%s\" on \"%s\" -> \"%s\": %s cannot add a foreign key "
                          "to an existing table; not created", ob->oname, o->table,
                          o->ref_table ? o->ref_table : "?", dbe_title(dl->id));
    else if (o->ref_table && o->nref_columns == 0 && dl->fk_ref_columns)
        ob->why = xl_dupf("foreign key \"%s\" on \"%s\": references \"%s\" without naming its "
                          "columns, which %s requires; not created", ob->oname, o->table,
                          o->ref_table, dbe_title(dl->id));
    else if (!o->ref_table || (o->nref_columns != o->ncolumns && o->nref_columns != 0))
        ob->why = xl_dupf("foreign key \"%s\" on \"%s\": incomplete reference; not created",
                          ob->oname, o->table);
    else if (!xl_ref_action_ok(o->on_delete) || !xl_ref_action_ok(o->on_update))
        ob->why = xl_dupf("foreign key \"%s\" on \"%s\": unknown referential action; not "
                          "created", ob->oname, o->table);
    else {
        int rc = alter_add(ob, true, err);
        return rc ? rc : xl_put_fk(&ob->b, dl, ob->schema, o, err);
    }
    return DBF_EUNSUPPORTED;
}

static int obj_check(xl_obj *ob, dbf_error *err)
{
    const dbf_object *o = ob->o;
    const dbe_dialect *dl = ob->dl;
    const char *e = o->expr;
    if (e && strncmp(e, "json_valid(", 11) == 0 && !strchr(e + 11, '(') &&
        e[strlen(e) - 1] == ')' && !strstr(e, " "))
        return 0; /* MariaDB's JSON column check: the target's JSON type validates */
    char *te = e ? xl_check_expr(e, ob->src, dl) : NULL;
    int rc = DBF_EUNSUPPORTED;
    if (te && !dl->add_constraints)
        ob->why = xl_dupf("check constraint \"%s\" on \"%s\" (%s): %s cannot add a check to an "
                          "existing table; not created", ob->oname, o->table ? o->table : "?",
                          e, dbe_title(dl->id));
    else if (!te || !o->table)
        ob->why = xl_dupf("check constraint \"%s\" on \"%s\" (%s): expression is not portable; "
                          "not created", ob->oname, o->table ? o->table : "?", e ? e : "?");
    else if (!(rc = alter_add(ob, false, err)))
        xl_sb_printf(&ob->b, " CHECK (%s)", te);
    free(te);
    return rc;
}

static int obj_constraint(xl_obj *ob, dbf_error *err)
{
    const dbf_object *o = ob->o;
    const char *subtype = o->subtype ? o->subtype : "";
    if (strcmp(subtype, "primary_key") == 0)
        return 0; /* part of CREATE TABLE */
    if ((!o->table || !o->ncolumns) && strcmp(subtype, "check") != 0) {
        ob->why = xl_dupf("constraint \"%s\": no table or columns; not created", ob->oname);
        return DBF_EUNSUPPORTED;
    }
    object_name(&ob->nm, ob->h, o, ob->dl);
    if (strcmp(subtype, "unique") == 0)
        return obj_unique(ob, err);
    if (strcmp(subtype, "foreign_key") == 0)
        return obj_fk(ob, err);
    if (strcmp(subtype, "check") == 0)
        return obj_check(ob, err);
    ob->why = xl_dupf("constraint \"%s\" (%s) on \"%s\": kind not portable; not created",
                      ob->oname, subtype, o->table ? o->table : "?");
    return DBF_EUNSUPPORTED;
}

/* A SQLite AUTOINCREMENT counter (sqlite_sequence row): the target's counter of that table's
 * identity column continues after it, even past deleted ids. */
static int obj_sequence(xl_obj *ob)
{
    const dbf_object *o = ob->o;
    const dbf_table *table = ob->table;
    const dbf_column *idc = NULL;
    for (size_t i = 0; table && i < table->ncolumns; i++)
        if (table->columns[i].flags & DBF_COL_IDENTITY)
            idc = &table->columns[i];
    bool num = o->value && xl_is_number(o->value) && !strchr(o->value, '.') &&
               o->value[0] != '-' && strlen(o->value) < 20;
    if (o->subtype && strcmp(o->subtype, "sqlite_sequence") == 0 && idc && num &&
        ob->dl->counter) {
        unsigned long long v = strtoull(o->value, NULL, 10);
        char next[24];
        snprintf(next, sizeof next, "%llu", v + 1);
        ob->dl->counter(&ob->b, ob->schema, table->name, idc->name, v, next);
        return 0;
    }
    ob->why = xl_dupf("sequence \"%s\": not created; identity/auto-increment counters are "
                      "moved past the loaded values instead", ob->oname);
    return 0;
}

/* Objects that are never translated: a note, and whether that is a failure. */
static int obj_other(xl_obj *ob)
{
    const dbf_object *o = ob->o;
    const char *subtype = o->subtype ? o->subtype : "";
    const char *on = o->table ? o->table : "?";
    switch (o->kind) {
    case DBF_OBJ_TYPE:
        if (strcmp(subtype, "enum") == 0)
            return 0; /* columns carry their labels */
        ob->why = xl_dupf("type \"%s\" (%s) of %s not created; its columns use portable types",
                          ob->oname, o->subtype ? o->subtype : "type", ob->src);
        return 0;
    case DBF_OBJ_SCHEMA:
        return 0; /* tables go to the target's default (or --schema) namespace */
    case DBF_OBJ_SETTING:
        ob->why = xl_dupf("setting \"%s\" = %s of %s not carried (no equivalent)", ob->oname,
                          o->value ? o->value : "", ob->src);
        break;
    case DBF_OBJ_VIEW:
        ob->why = xl_dupf("view \"%s\": its query is %s SQL and is not translated; not created",
                          ob->oname, ob->src);
        break;
    case DBF_OBJ_TRIGGER:
        ob->why = xl_dupf("trigger \"%s\" on \"%s\": %s trigger code is not translated; not "
                          "created", ob->oname, on, ob->src);
        break;
    default:
        if (strcmp(subtype, "sequence_owned_by") == 0)
            return 0; /* serial columns became identity columns */
        if (o->kind == DBF_OBJ_DDL)
            return 0; /* the source engine's own rendition of objects the archive also
                         carries (and says here what of them is not created) */
        ob->why = xl_dupf("%s \"%s\": %s-only object; not created",
                          o->subtype ? o->subtype : "object", ob->oname, ob->src);
        break;
    }
    return DBF_EUNSUPPORTED;
}

int dbe_xlate_object(char **out_sql, char **out_note, dbe_id d, const dbf_header *h,
                     const dbf_object *o, const dbf_table *table, const dbe_xlate_opts *opts,
                     dbf_error *err)
{
    *out_sql = NULL;
    *out_note = NULL;
    xl_obj ob = {.dl = xl_dialect_of(d), .h = h, .o = o, .table = table};
    ob.schema = ob.dl->schemas && opts ? opts->target_schema : NULL;
    ob.oname = o->name ? o->name : "(unnamed)";
    ob.src = h && h->engine ? h->engine : "?";
    int rc;
    if (o->kind == DBF_OBJ_INDEX)
        rc = obj_index(&ob, err);
    else if (o->kind == DBF_OBJ_CONSTRAINT)
        rc = obj_constraint(&ob, err);
    else if (o->kind == DBF_OBJ_SEQUENCE)
        rc = obj_sequence(&ob);
    else
        rc = obj_other(&ob);
    if (rc == 0 && (ob.b.oom || ob.nm.oom))
        rc = dbc_oom(err);
    if (rc == DBF_EUNSUPPORTED && ob.why)
        dbf_error_set(err, rc, "%s", ob.why);
    if (rc == 0 && ob.b.len)
        *out_sql = xl_sb_take(&ob.b);
    if (rc == 0 || rc == DBF_EUNSUPPORTED) {
        *out_note = ob.why;
        ob.why = NULL;
    }
    free(ob.why);
    xl_sb_free(&ob.b);
    xl_sb_free(&ob.nm);
    return rc;
}

/* -------------------------------------------------------------------- plan */

/* The --plan report being written. */
typedef struct xl_plan {
    dbe_id d;
    const dbf_header *h;
    const dbf_table *const *tables;
    size_t ntables;
    const dbe_xlate_opts *o;
    dbe_line_fn emit;
    void *ctx;
    dbe_xlate **xs;        /* translation per table, NULL when it failed */
    size_t nnotes, nbad, nerr;
    char line[DBF_ERROR_MAX + 64];
} xl_plan;

/* Translate every table: its notes, or its error. */
static int plan_tables(xl_plan *p, dbf_error *err)
{
    int rc = 0;
    const char **tnames = calloc(p->ntables ? p->ntables : 1, sizeof *tnames);
    if (!tnames)
        return dbc_oom(err);
    for (size_t i = 0; i < p->ntables && !rc; i++) {
        dbf_error e = {0};
        tnames[i] = p->tables[i]->name;
        int r = dbe_xlate_table_create(&p->xs[i], p->d, p->h, p->tables[i], p->o, &e);
        if (r == DBF_ENOMEM) {
            rc = dbf_error_set(err, r, "%s", e.msg);
        } else if (r) {
            snprintf(p->line, sizeof p->line, "ERROR: %s", e.msg);
            p->nerr++;
            rc = p->emit(p->ctx, p->line);
        }
        for (size_t k = 0; !r && !rc && k < dbe_xlate_nnotes(p->xs[i]); k++, p->nnotes++)
            rc = p->emit(p->ctx, dbe_xlate_note(p->xs[i], k));
    }
    dbf_error e = {0};
    if (!rc && dbe_xlate_check_names(p->d, tnames, p->ntables, "tables", &e)) {
        snprintf(p->line, sizeof p->line, "ERROR: %s", e.msg);
        p->nerr++;
        rc = p->emit(p->ctx, p->line);
    }
    free(tnames);
    return rc;
}

/* One object: its note, or why it is not expressible. */
static int plan_object(xl_plan *p, const dbf_object *ob, dbf_error *err)
{
    dbe_xlate *owner = NULL;
    for (size_t k = 0; ob->table && k < p->ntables; k++)
        if (p->xs[k] && strcmp(p->tables[k]->name, ob->table) == 0)
            owner = p->xs[k];
    char *sql = NULL, *why = NULL;
    dbf_error e = {0};
    int r, rc = 0;
    /* a dialect without ALTER TABLE ... ADD CONSTRAINT (SQLite) rebuilds the table */
    if (!xl_dialect_of(p->d)->add_constraints && owner && ob->kind == DBF_OBJ_CONSTRAINT &&
        ob->subtype &&
        (strcmp(ob->subtype, "foreign_key") == 0 || strcmp(ob->subtype, "check") == 0))
        r = dbe_xlate_sqlite_add_constraint(&sql, &why, owner, p->h, ob, &e);
    else
        r = dbe_xlate_object(&sql, &why, p->d, p->h, ob, owner ? &owner->tt : NULL, p->o, &e);
    free(sql);
    if (r == DBF_ENOMEM) {
        free(why);
        return dbf_error_set(err, r, "%s", e.msg);
    }
    if (r)
        p->nbad++;
    if (why) {
        snprintf(p->line, sizeof p->line, "%s%s", r ? "not expressible: " : "", why);
        p->nnotes++;
        free(why);
        rc = p->emit(p->ctx, p->line);
    } else if (r) {
        snprintf(p->line, sizeof p->line, "not expressible: %s", e.msg);
        rc = p->emit(p->ctx, p->line);
    }
    return rc;
}

/* SQLite archives: the constraints inside each CREATE TABLE text (lists[i] per table). */
static int plan_sqlite_parse(xl_plan *p, dbe_xlate_objs **lists)
{
    int rc = 0;
    for (size_t i = 0; i < p->ntables && !rc; i++) {
        dbf_error e = {0};
        if (dbe_xlate_sqlite_constraints(&lists[i], p->tables[i], &e) == 0)
            continue;
        snprintf(p->line, sizeof p->line, "not expressible: constraints of %s", e.msg);
        p->nbad++;
        rc = p->emit(p->ctx, p->line);
    }
    return rc;
}

int dbe_xlate_plan(dbe_id d, const dbf_header *h, const dbf_table *const *tables,
                   size_t ntables, const dbf_object *const *objects, size_t nobjects,
                   const dbe_xlate_opts *o, dbe_line_fn emit, void *ctx, dbf_error *err)
{
    int rc = 0;
    xl_plan p = {.d = d, .h = h, .tables = tables, .ntables = ntables, .o = o, .emit = emit,
                 .ctx = ctx};
    dbe_xlate_objs **lists = NULL;
    bool src_sqlite = h && h->engine && strcmp(h->engine, "sqlite") == 0;
    p.xs = calloc(ntables ? ntables : 1, sizeof *p.xs);
    if (src_sqlite && d != DBE_SQLITE)
        lists = calloc(ntables ? ntables : 1, sizeof *lists);
    if (!p.xs || (src_sqlite && d != DBE_SQLITE && !lists)) {
        rc = dbc_oom(err);
        goto done;
    }
    snprintf(p.line, sizeof p.line, "plan: %s archive -> %s, %zu tables, %zu objects",
             h && h->engine ? h->engine : "?", dbe_name(d), ntables, nobjects);
    if ((rc = emit(ctx, p.line)) || (rc = plan_tables(&p, err)) ||
        (lists && (rc = plan_sqlite_parse(&p, lists))))
        goto done;
    for (size_t i = 0; i < nobjects && !rc; i++)
        rc = plan_object(&p, objects[i], err);
    for (size_t i = 0; lists && i < ntables && !rc; i++)
        for (size_t k = 0; k < dbe_xlate_objs_count(lists[i]) && !rc; k++)
            rc = plan_object(&p, dbe_xlate_objs_get(lists[i], k), err);
    if (rc)
        goto done;
    snprintf(p.line, sizeof p.line, "plan: %zu tables, %zu notes, %zu objects not expressible, "
             "%zu errors", ntables, p.nnotes, p.nbad, p.nerr);
    rc = emit(ctx, p.line);
done:
    for (size_t i = 0; lists && i < ntables; i++)
        dbe_xlate_objs_free(lists[i]);
    free(lists);
    for (size_t i = 0; p.xs && i < ntables; i++)
        dbe_xlate_free(p.xs[i]);
    free(p.xs);
    return rc;
}
