/*
 * dbc_copy.c - deep copies of schema entries into an arena (see dbc_copy.h).
 */
#include <stdbool.h>
#include <string.h>

#include "dbc_copy.h"

/* A copy under way: the arena, and whether an allocation failed. */
typedef struct cp {
    dbc_arena *a;
    bool oom;
} cp;

static const char *str(cp *c, const char *s)
{
    char *d = s ? dbc_arena_strdup(c->a, s) : NULL;
    c->oom |= s && !d;
    return d;
}

static const char *const *strv(cp *c, const char *const *v, size_t n)
{
    const char **d = v ? dbc_arena_calloc(c->a, n + 1, sizeof *d) : NULL;
    c->oom |= v && !d;
    for (size_t i = 0; d && i < n; i++)
        d[i] = str(c, v[i]);
    return d;
}

static const dbf_kv *kv(cp *c, const dbf_kv *v, size_t n)
{
    dbf_kv *d = v ? dbc_arena_calloc(c->a, n + 1, sizeof *d) : NULL;
    c->oom |= v && !d;
    for (size_t i = 0; d && i < n; i++) {
        d[i].key = str(c, v[i].key);
        d[i].value = str(c, v[i].value);
    }
    return d;
}

int dbc_table_copy(dbc_arena *a, dbf_table **out, const dbf_table *t)
{
    cp c = {a, false};
    dbf_table *d = dbc_arena_memdup(a, t, sizeof *t);
    dbf_column *cols = dbc_arena_calloc(a, t->ncolumns + 1, sizeof *cols);
    if (!d || !cols)
        return DBF_ENOMEM;
    d->schema = str(&c, t->schema);
    d->name = str(&c, t->name);
    d->engine = str(&c, t->engine);
    d->native_sql = str(&c, t->native_sql);
    d->comment = str(&c, t->comment);
    d->primary_key = strv(&c, t->primary_key, t->nprimary_key);
    d->attrs = kv(&c, t->attrs, t->nattrs);
    for (size_t i = 0; i < t->ncolumns; i++) {
        const dbf_column *s = &t->columns[i];
        dbf_column *e = &cols[i];
        *e = *s;
        e->name = str(&c, s->name);
        e->type_name = str(&c, s->type_name);
        e->native_type = str(&c, s->native_type);
        e->default_expr = str(&c, s->default_expr);
        e->generated_expr = str(&c, s->generated_expr);
        e->collation = str(&c, s->collation);
        e->charset = str(&c, s->charset);
        e->comment = str(&c, s->comment);
        e->labels = strv(&c, s->labels, s->nlabels);
        e->attrs = kv(&c, s->attrs, s->nattrs);
    }
    d->columns = t->columns ? cols : NULL;
    if (c.oom)
        return DBF_ENOMEM;
    *out = d;
    return 0;
}

int dbc_object_copy(dbc_arena *a, dbf_object **out, const dbf_object *o)
{
    cp c = {a, false};
    dbf_object *d = dbc_arena_memdup(a, o, sizeof *o);
    if (!d)
        return DBF_ENOMEM;
    d->subtype = str(&c, o->subtype);
    d->schema = str(&c, o->schema);
    d->name = str(&c, o->name);
    d->table = str(&c, o->table);
    d->engine = str(&c, o->engine);
    d->sql = str(&c, o->sql);
    d->columns = strv(&c, o->columns, o->ncolumns);
    d->expr = str(&c, o->expr);
    d->ref_schema = str(&c, o->ref_schema);
    d->ref_table = str(&c, o->ref_table);
    d->ref_columns = strv(&c, o->ref_columns, o->nref_columns);
    d->on_delete = str(&c, o->on_delete);
    d->on_update = str(&c, o->on_update);
    d->value = str(&c, o->value);
    d->attrs = kv(&c, o->attrs, o->nattrs);
    if (c.oom)
        return DBF_ENOMEM;
    *out = d;
    return 0;
}
