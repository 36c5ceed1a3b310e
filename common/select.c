/*
 * select.c - table selection (-t/-T/--schema-only/--data-only) shared by dbdump and dbrestore.
 */
#include <ctype.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dbc.h"

static bool match_one(const char *pat, const char *schema, const char *name)
{
    if (strchr(pat, '.') == NULL)
        return fnmatch(pat, name, 0) == 0;
    size_t ls = strlen(schema ? schema : "main"), ln = strlen(name);
    char *full = malloc(ls + ln + 2);
    if (!full)
        return false;
    memcpy(full, schema ? schema : "main", ls);
    full[ls] = '.';
    memcpy(full + ls + 1, name, ln + 1);
    bool ok = fnmatch(pat, full, 0) == 0;
    free(full);
    return ok;
}

bool dbc_select_table(const dbc_select *s, const char *schema, const char *name)
{
    if (!s || !name)
        return true;
    bool in = s->ninclude == 0;
    for (size_t i = 0; i < s->ninclude && !in; i++)
        in = match_one(s->include[i], schema, name);
    for (size_t i = 0; i < s->nexclude && in; i++)
        in = !match_one(s->exclude[i], schema, name);
    return in;
}

const char *dbc_kv(const dbf_kv *kv, size_t n, const char *key)
{
    for (size_t i = 0; kv && i < n; i++)
        if (kv[i].key && strcmp(kv[i].key, key) == 0)
            return kv[i].value;
    return NULL;
}

const char *dbc_table_attr(const dbf_table *t, const char *key)
{
    return t ? dbc_kv(t->attrs, t->nattrs, key) : NULL;
}

bool dbc_select_table_of(const dbc_select *s, const dbf_table *t)
{
    const char *owner = dbc_table_attr(t, "sqlite.shadow_of");
    return dbc_select_table(s, t->schema, owner ? owner : t->name);
}

int dbc_select_add(const char ***list, size_t *n, const char *pattern)
{
    const char **v = realloc(*list, (*n + 1) * sizeof *v);
    if (!v)
        return DBF_ENOMEM;
    v[(*n)++] = pattern;
    *list = v;
    return 0;
}

void dbc_select_free(dbc_select *s)
{
    if (!s)
        return;
    free(s->include);
    free(s->exclude);
    free(s->skip);
    free(s->skip_hit);
    s->include = s->exclude = s->skip = NULL;
    s->skip_hit = NULL;
    s->ninclude = s->nexclude = s->nskip = 0;
}

int dbc_select_add_skip(dbc_select *s, const char *title)
{
    bool *hit = realloc(s->skip_hit, (s->nskip + 1) * sizeof *hit);
    if (!hit)
        return DBF_ENOMEM;
    s->skip_hit = hit;
    hit[s->nskip] = false;
    return dbc_select_add(&s->skip, &s->nskip, title);
}

const char *dbc_object_kind_name(dbf_object_kind k)
{
    static const char *names[] = {"?",          "schema", "type", "sequence", "index",
                                  "constraint", "view",   "trigger", "native", "setting", "ddl",
                                  "omitted"};
    return (unsigned)k < sizeof names / sizeof names[0] ? names[k] : "?";
}

char *dbc_object_title(char *out, size_t n, const dbf_object *o)
{
    const char *type = o->kind == DBF_OBJ_DDL ? dbc_kv(o->attrs, o->nattrs, "pg_dump.type")
                                              : NULL;
    const char *name = o->name ? o->name : "";
    if (o->kind == DBF_OBJ_OMITTED)
        snprintf(out, n, "omitted %s %s%s%s", o->subtype ? o->subtype : "object",
                 o->schema ? o->schema : "", o->schema ? "." : "", name);
    else if (!type)
        snprintf(out, n, "%s %s%s%s", dbc_object_kind_name(o->kind),
                 o->schema ? o->schema : "", o->schema ? "." : "", name);
    else if (o->schema && strchr(name, ' '))
        snprintf(out, n, "%s %s (schema %s)", type, name, o->schema);
    else
        snprintf(out, n, "%s %s%s%s", type, o->schema ? o->schema : "", o->schema ? "." : "",
                 name);
    return out;
}

char *dbc_omission_text(char *out, size_t n, const dbf_object *o)
{
    snprintf(out, n, "%s %s%s%s%s%s: %s", o->subtype ? o->subtype : "object",
             o->schema ? o->schema : "", o->schema ? "." : "", o->name ? o->name : "",
             o->table ? " of table " : "", o->table ? o->table : "",
             o->value ? o->value : "not supported");
    return out;
}

/* Whether o is one of s->skip, marking the entry. */
static bool skipped(const dbc_select *s, const dbf_object *o)
{
    char title[1024];
    dbc_object_title(title, sizeof title, o);
    for (size_t i = 0; i < s->nskip; i++)
        if (strcmp(s->skip[i], title) == 0) {
            s->skip_hit[i] = true;
            return true;
        }
    return false;
}

static void warn_missing(const dbc_select *s, const char *schema, const char *table,
                         const char *ref_schema, const char *ref)
{
    if (dbc_select_table(s, ref_schema ? ref_schema : schema, ref))
        return;
    dbc_warn("table %s%s%s is selected but the table %s%s%s its foreign key "
             "references is not; restoring it alone may fail or leave dangling references",
             schema ? schema : "", schema ? "." : "", table, ref_schema ? ref_schema : "",
             ref_schema ? "." : "", ref);
}

/* Scan native DDL for REFERENCES <ident> outside quotes. */
void dbc_select_check_fk_sql(const dbc_select *s, const dbf_table *t)
{
    if (!s || (s->ninclude == 0 && s->nexclude == 0) || !t->native_sql ||
        !dbc_select_table(s, t->schema, t->name))
        return;
    const char *p = t->native_sql;
    while (*p) {
        if (*p == '\'') { /* string literal */
            for (p++; *p && !(*p == '\'' && p[1] != '\''); p += (*p == '\'' ? 2 : 1))
                ;
            if (*p)
                p++;
            continue;
        }
        if (strncasecmp(p, "references", 10) == 0 &&
            (p == t->native_sql || !(isalnum((unsigned char)p[-1]) || p[-1] == '_')) &&
            !(isalnum((unsigned char)p[10]) || p[10] == '_')) {
            p += 10;
            while (isspace((unsigned char)*p))
                p++;
            char name[256];
            size_t n = 0;
            char close = *p == '"' ? '"' : *p == '`' ? '`' : *p == '[' ? ']' : 0;
            if (close) {
                for (p++; *p && n + 1 < sizeof name; p++) {
                    if (*p == close && p[1] == close && close != ']') {
                        name[n++] = *p++;
                    } else if (*p == close) {
                        p++;
                        break;
                    } else {
                        name[n++] = *p;
                    }
                }
            } else {
                while ((isalnum((unsigned char)*p) || *p == '_' || *p == '$') &&
                       n + 1 < sizeof name)
                    name[n++] = *p++;
            }
            name[n] = '\0';
            if (n > 0 && strcmp(name, t->name) != 0)
                warn_missing(s, t->schema, t->name, NULL, name);
            continue;
        }
        p++;
    }
}

void dbc_select_check_fk_obj(const dbc_select *s, const dbf_object *o)
{
    /* dbc_select_object warns about (and leaves out) such foreign keys */
    (void)s;
    (void)o;
}

bool dbc_select_object(const dbc_select *s, const dbf_object *o)
{
    if (!s)
        return true;
    if (s->nskip && skipped(s, o))
        return false;
    if (o->kind == DBF_OBJ_OMITTED) /* with its table, whatever the sections */
        return !o->table || dbc_select_table(s, o->schema, o->table);
    bool seq_value = o->kind == DBF_OBJ_SEQUENCE && o->section == DBF_SEC_POST;
    if (s->data_only) /* sequence values are data; definitions are not */
        return seq_value && (!o->table || dbc_select_table(s, o->schema, o->table));
    if (s->schema_only && seq_value)
        return false;
    if (o->table && !dbc_select_table(s, o->schema, o->table))
        return false;
    /* pg_dump's entry of a foreign key: left out with its twin, the archive's own object,
     * which says so */
    if (o->kind == DBF_OBJ_DDL && o->ref_table &&
        !dbc_select_table(s, o->ref_schema ? o->ref_schema : o->schema, o->ref_table))
        return false;
    if (o->kind == DBF_OBJ_CONSTRAINT && o->subtype && strcmp(o->subtype, "foreign_key") == 0 &&
        o->ref_table && !dbc_select_table(s, o->ref_schema ? o->ref_schema : o->schema,
                                          o->ref_table)) {
        dbc_warn("table %s%s%s is selected but the table %s%s%s its foreign key %s references "
                 "is not: that foreign key is left out",
                 o->schema ? o->schema : "", o->schema ? "." : "", o->table,
                 o->ref_schema ? o->ref_schema : "", o->ref_schema ? "." : "", o->ref_table,
                 o->name ? o->name : "");
        return false;
    }
    if (o->table)
        return true;
    if (o->kind == DBF_OBJ_VIEW)
        return dbc_select_table(s, o->schema, o->name);
    /* PostgreSQL: privileges of a relation are named after it (schema-level ones have no
     * schema); "ALTER SEQUENCE ... OWNED BY schema.table.column" follows its table. */
    if (o->kind == DBF_OBJ_NATIVE && o->subtype && o->schema && o->name &&
        strcmp(o->subtype, "privileges") == 0)
        return dbc_select_table(s, o->schema, o->name);
    if (o->kind == DBF_OBJ_NATIVE && o->subtype && o->sql &&
        strcmp(o->subtype, "sequence_owned_by") == 0) {
        const char *p = strstr(o->sql, "OWNED BY ");
        const char *end = p ? strrchr(p, '.') : NULL;
        char buf[256], *sch = NULL, *tbl = buf;
        size_t n = 0;
        if (!p || !end)
            return true;
        for (p += 9; p < end && n + 1 < sizeof buf; p++)
            if (*p != '"')
                buf[n++] = *p == '.' && !sch ? '\0' : *p;
        buf[n] = '\0';
        if (strlen(buf) < n) {
            sch = buf;
            tbl = buf + strlen(buf) + 1;
        }
        return dbc_select_table(s, sch, tbl);
    }
    return true;
}

const char *dbc_short(char out[DBC_SHORT_MAX], const char *s, size_t len)
{
    enum { KEEP = 100 };
    if (!s)
        s = "", len = 0;
    if (len < DBC_SHORT_MAX - 1 && !memchr(s, '\0', len)) {
        memcpy(out, s, len);
        out[len] = '\0';
        return out;
    }
    size_t n = len < KEEP ? len : KEEP;
    while (n > 0 && n < len && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--; /* s[n] continues a character: end before it starts */
    memcpy(out, s, n);
    snprintf(out + n, DBC_SHORT_MAX - n, "... (%zu bytes)", len);
    for (size_t i = 0; i < n; i++)
        if (out[i] == '\0')
            out[i] = ' ';
    return out;
}
