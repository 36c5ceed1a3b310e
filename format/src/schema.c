/*
 * schema.c - HEADER, TABLE and OBJECT bodies: packing and decoding (spec/FORMAT.md 4).
 */
#include <stdio.h>
#include <string.h>

#include "dbf_internal.h"

/* ------------------------------------------------------------------ packing */

/*
 * Each body is written by a function run twice: with pk == NULL it only counts the
 * map entries, then with the packer it writes them after the map header.
 */
#define F_BEGIN()                                                                          \
    uint32_t n_ = 0;                                                                       \
    int bad_ = 0
#define F_KEY(key) (n_++, pk != NULL ? (bad_ |= dbf_pack_cstr(pk, key)) : 0)
#define F_STR(key, v)                                                                      \
    do {                                                                                   \
        if ((v) != NULL) {                                                                 \
            F_KEY(key);                                                                    \
            if (pk != NULL)                                                                \
                bad_ |= dbf_pack_cstr(pk, (v));                                            \
        }                                                                                  \
    } while (0)
#define F_UINT(key, v)                                                                     \
    do {                                                                                   \
        F_KEY(key);                                                                        \
        if (pk != NULL)                                                                    \
            bad_ |= msgpack_pack_uint64(pk, (v));                                          \
    } while (0)
#define F_INT(key, v)                                                                      \
    do {                                                                                   \
        F_KEY(key);                                                                        \
        if (pk != NULL)                                                                    \
            bad_ |= msgpack_pack_int64(pk, (v));                                           \
    } while (0)
#define F_STRV(key, v, n)                                                                  \
    do {                                                                                   \
        if ((v) != NULL && (n) > 0) {                                                      \
            F_KEY(key);                                                                    \
            if (pk != NULL)                                                                \
                bad_ |= pack_strv(pk, (v), (n));                                           \
        }                                                                                  \
    } while (0)
#define F_KV(key, v, n)                                                                    \
    do {                                                                                   \
        if ((v) != NULL && (n) > 0) {                                                      \
            F_KEY(key);                                                                    \
            if (pk != NULL)                                                                \
                bad_ |= pack_kv(pk, (v), (n));                                             \
        }                                                                                  \
    } while (0)
#define F_END()                                                                            \
    *count = n_;                                                                           \
    return bad_ ? -1 : 0

static int pack_strv(msgpack_packer *pk, const char *const *v, size_t n)
{
    int bad = msgpack_pack_array(pk, n);
    for (size_t i = 0; i < n; i++)
        bad |= v[i] != NULL ? dbf_pack_cstr(pk, v[i]) : msgpack_pack_nil(pk);
    return bad;
}

static int pack_kv(msgpack_packer *pk, const dbf_kv *v, size_t n)
{
    int bad = msgpack_pack_map(pk, n);
    for (size_t i = 0; i < n; i++) {
        bad |= dbf_pack_cstr(pk, v[i].key != NULL ? v[i].key : "");
        bad |= v[i].value != NULL ? dbf_pack_cstr(pk, v[i].value) : msgpack_pack_nil(pk);
    }
    return bad;
}

static int header_fields(msgpack_packer *pk, const dbf_header *h, uint32_t *count)
{
    F_BEGIN();
    F_KEY("format"); /* repeats the preamble's version, so the checksums cover it */
    if (pk != NULL) {
        bad_ |= msgpack_pack_array(pk, 2);
        bad_ |= msgpack_pack_uint16(pk, DBF_FORMAT_MAJOR);
        bad_ |= msgpack_pack_uint16(pk, DBF_FORMAT_MINOR);
    }
    F_STR("producer", h->producer);
    F_STR("engine", h->engine);
    F_STR("server_version", h->server_version);
    F_STR("database", h->database);
    F_STR("encoding", h->encoding);
    F_STR("time_zone", h->time_zone);
    F_STR("created", h->created);
    F_KV("options", h->options, h->noptions);
    F_END();
}

static const char *wire_type_name(dbf_type t, const char *type_name)
{
    if (t == DBF_T_NATIVE && type_name != NULL)
        return type_name;
    return dbf_type_name(t);
}

static int column_fields(msgpack_packer *pk, const dbf_column *c, uint32_t *count)
{
    F_BEGIN();
    F_STR("name", c->name != NULL ? c->name : "");
    F_STR("type", wire_type_name(c->type, c->type_name));
    if (c->type == DBF_T_ARRAY)
        F_STR("elem_type", dbf_type_name(c->elem_type));
    if (c->type == DBF_T_INT && c->bits != 0 && c->bits != 64)
        F_UINT("bits", c->bits);
    if (c->type == DBF_T_INT && c->is_unsigned) {
        F_KEY("unsigned");
        if (pk != NULL)
            bad_ |= msgpack_pack_true(pk);
    }
    if (c->length != -1)
        F_INT("length", c->length);
    if (c->precision != -1)
        F_INT("precision", c->precision);
    if (c->scale != -1)
        F_INT("scale", c->scale);
    if (c->flags != 0)
        F_UINT("flags", c->flags);
    F_STR("native_type", c->native_type);
    F_STR("default", c->default_expr);
    F_STR("generated", c->generated_expr);
    F_STR("collation", c->collation);
    F_STR("charset", c->charset);
    F_STR("comment", c->comment);
    F_STRV("labels", c->labels, c->nlabels);
    F_KV("attrs", c->attrs, c->nattrs);
    F_END();
}

static int pack_map_of(msgpack_packer *pk, const void *obj,
                       int (*fields)(msgpack_packer *, const void *, uint32_t *))
{
    uint32_t n = 0, n2 = 0;
    fields(NULL, obj, &n);
    if (msgpack_pack_map(pk, n) != 0)
        return -1;
    return fields(pk, obj, &n2);
}

static int column_fields_v(msgpack_packer *pk, const void *c, uint32_t *count)
{
    return column_fields(pk, c, count);
}

static int table_fields(msgpack_packer *pk, const dbf_table *t, uint32_t *count)
{
    F_BEGIN();
    F_UINT("id", t->id);
    F_STR("schema", t->schema);
    F_STR("name", t->name != NULL ? t->name : "");
    F_KEY("columns");
    if (pk != NULL) {
        bad_ |= msgpack_pack_array(pk, t->ncolumns);
        for (size_t i = 0; i < t->ncolumns; i++)
            bad_ |= pack_map_of(pk, &t->columns[i], column_fields_v);
    }
    F_STRV("primary_key", t->primary_key, t->nprimary_key);
    F_STR("engine", t->engine);
    F_STR("native_sql", t->native_sql);
    F_STR("comment", t->comment);
    if (t->row_estimate != -1)
        F_INT("row_estimate", t->row_estimate);
    F_KV("attrs", t->attrs, t->nattrs);
    F_END();
}

static const char *const object_kinds[DBF_OBJ__COUNT] = {
    [DBF_OBJ_SCHEMA] = "schema",
    [DBF_OBJ_TYPE] = "type",
    [DBF_OBJ_SEQUENCE] = "sequence",
    [DBF_OBJ_INDEX] = "index",
    [DBF_OBJ_CONSTRAINT] = "constraint",
    [DBF_OBJ_VIEW] = "view",
    [DBF_OBJ_TRIGGER] = "trigger",
    [DBF_OBJ_NATIVE] = "native",
    [DBF_OBJ_SETTING] = "setting",
    [DBF_OBJ_DDL] = "ddl",
    [DBF_OBJ_OMITTED] = "omitted",
};

static int object_fields(msgpack_packer *pk, const dbf_object *o, uint32_t *count)
{
    F_BEGIN();
    F_STR("kind", object_kinds[o->kind]);
    F_STR("section", o->section == DBF_SEC_POST ? "post" : "pre");
    F_STR("subtype", o->subtype);
    F_STR("schema", o->schema);
    F_STR("name", o->name);
    F_STR("table", o->table);
    F_STR("engine", o->engine);
    F_STR("sql", o->sql);
    F_STRV("columns", o->columns, o->ncolumns);
    if (o->unique) {
        F_KEY("unique");
        if (pk != NULL)
            bad_ |= msgpack_pack_true(pk);
    }
    F_STR("expr", o->expr);
    F_STR("ref_schema", o->ref_schema);
    F_STR("ref_table", o->ref_table);
    F_STRV("ref_columns", o->ref_columns, o->nref_columns);
    F_STR("on_delete", o->on_delete);
    F_STR("on_update", o->on_update);
    F_STR("value", o->value);
    F_KV("attrs", o->attrs, o->nattrs);
    F_END();
}

static int header_fields_v(msgpack_packer *pk, const void *o, uint32_t *count)
{
    return header_fields(pk, o, count);
}
static int table_fields_v(msgpack_packer *pk, const void *o, uint32_t *count)
{
    return table_fields(pk, o, count);
}
static int object_fields_v(msgpack_packer *pk, const void *o, uint32_t *count)
{
    return object_fields(pk, o, count);
}

int dbf_pack_header_body(msgpack_packer *pk, const dbf_header *h)
{
    return pack_map_of(pk, h, header_fields_v);
}

int dbf_pack_table_body(msgpack_packer *pk, const dbf_table *t)
{
    return pack_map_of(pk, t, table_fields_v);
}

int dbf_pack_object_body(msgpack_packer *pk, const dbf_object *o)
{
    if ((int)o->kind < 1 || o->kind >= DBF_OBJ__COUNT)
        return -1;
    return pack_map_of(pk, o, object_fields_v);
}

/* ----------------------------------------------------------------- decoding */

int dbf_key_is(const msgpack_object *k, const char *name)
{
    size_t n = strlen(name);
    return k->type == MSGPACK_OBJECT_STR && k->via.str.size == n &&
           memcmp(k->via.str.ptr, name, n) == 0;
}

#define BAD(...)                                                                           \
    do {                                                                                   \
        snprintf(why, whylen, __VA_ARGS__);                                                \
        return DBF_ECORRUPT;                                                               \
    } while (0)

static int get_str(dbf_arena *a, const msgpack_object *v, const char **out)
{
    if (v->type == MSGPACK_OBJECT_NIL) {
        *out = NULL;
        return 0;
    }
    if (v->type != MSGPACK_OBJECT_STR)
        return DBF_ECORRUPT;
    *out = dbf_arena_strndup(a, v->via.str.ptr, v->via.str.size);
    return *out == NULL ? DBF_ENOMEM : 0;
}

static int get_strv(dbf_arena *a, const msgpack_object *v, const char *const **out, size_t *n)
{
    if (v->type != MSGPACK_OBJECT_ARRAY)
        return DBF_ECORRUPT;
    const char **s = dbf_arena_calloc(a, v->via.array.size + 1, sizeof(*s));
    if (s == NULL)
        return DBF_ENOMEM;
    for (uint32_t i = 0; i < v->via.array.size; i++) {
        int rc = get_str(a, &v->via.array.ptr[i], &s[i]);
        if (rc < 0)
            return rc;
    }
    *out = s;
    *n = v->via.array.size;
    return 0;
}

static int get_kv(dbf_arena *a, const msgpack_object *v, const dbf_kv **out, size_t *n)
{
    if (v->type != MSGPACK_OBJECT_MAP)
        return DBF_ECORRUPT;
    dbf_kv *kv = dbf_arena_calloc(a, v->via.map.size + 1, sizeof(*kv));
    if (kv == NULL)
        return DBF_ENOMEM;
    for (uint32_t i = 0; i < v->via.map.size; i++) {
        int rc = get_str(a, &v->via.map.ptr[i].key, &kv[i].key);
        if (rc == 0 && kv[i].key == NULL)
            rc = DBF_ECORRUPT;
        if (rc == 0)
            rc = get_str(a, &v->via.map.ptr[i].val, &kv[i].value);
        if (rc < 0)
            return rc;
    }
    *out = kv;
    *n = v->via.map.size;
    return 0;
}

static int get_i64(const msgpack_object *v, int64_t lo, int64_t hi, int64_t *out)
{
    if (v->type == MSGPACK_OBJECT_POSITIVE_INTEGER) {
        if (v->via.u64 > (uint64_t)hi)
            return DBF_ECORRUPT;
        *out = (int64_t)v->via.u64;
        return 0;
    }
    if (v->type == MSGPACK_OBJECT_NEGATIVE_INTEGER) {
        if (v->via.i64 < lo)
            return DBF_ECORRUPT;
        *out = v->via.i64;
        return 0;
    }
    return DBF_ECORRUPT;
}

static int get_bool(const msgpack_object *v, bool *out)
{
    if (v->type != MSGPACK_OBJECT_BOOLEAN)
        return DBF_ECORRUPT;
    *out = v->via.boolean;
    return 0;
}

/* helpers that turn a failed key into a message naming it */
#define KEY_STR(name, dst)                                                                 \
    if (dbf_key_is(k, name)) {                                                             \
        rc = get_str(a, v, &(dst));                                                        \
        if (rc == DBF_ECORRUPT)                                                            \
            BAD("%s: key \"%s\" is not a string", what, name);                             \
        if (rc < 0)                                                                        \
            return rc;                                                                     \
        continue;                                                                          \
    }
#define KEY_STRV(name, dst, n)                                                             \
    if (dbf_key_is(k, name)) {                                                             \
        rc = get_strv(a, v, &(dst), &(n));                                                 \
        if (rc == DBF_ECORRUPT)                                                            \
            BAD("%s: key \"%s\" is not an array of strings", what, name);                  \
        if (rc < 0)                                                                        \
            return rc;                                                                     \
        continue;                                                                          \
    }
#define KEY_KV(name, dst, n)                                                               \
    if (dbf_key_is(k, name)) {                                                             \
        rc = get_kv(a, v, &(dst), &(n));                                                   \
        if (rc == DBF_ECORRUPT)                                                            \
            BAD("%s: key \"%s\" is not a map of strings", what, name);                     \
        if (rc < 0)                                                                        \
            return rc;                                                                     \
        continue;                                                                          \
    }
#define KEY_INT(name, dst, lo, hi)                                                         \
    if (dbf_key_is(k, name)) {                                                             \
        int64_t x_;                                                                        \
        if (get_i64(v, (lo), (hi), &x_) < 0)                                               \
            BAD("%s: key \"%s\" is not an integer in range", what, name);                  \
        (dst) = x_;                                                                        \
        continue;                                                                          \
    }
#define KEY_BOOL(name, dst)                                                                \
    if (dbf_key_is(k, name)) {                                                             \
        if (get_bool(v, &(dst)) < 0)                                                       \
            BAD("%s: key \"%s\" is not a bool", what, name);                               \
        continue;                                                                          \
    }

#define FOR_MAP(body)                                                                      \
    if ((body)->type != MSGPACK_OBJECT_MAP)                                                \
        BAD("%s: body is not a map", what);                                                \
    for (uint32_t i_ = 0; i_ < (body)->via.map.size; i_++) {                               \
        const msgpack_object *k = &(body)->via.map.ptr[i_].key;                            \
        const msgpack_object *v = &(body)->via.map.ptr[i_].val;                            \
        (void)v;

int dbf_read_header_body(dbf_arena *a, const msgpack_object *body, dbf_header *h, char *why,
                         size_t whylen)
{
    const char *what = "HEADER";
    int rc;
    bool have_format = false;
    FOR_MAP(body)
        if (dbf_key_is(k, "format")) {
            int64_t ma, mi;
            if (v->type != MSGPACK_OBJECT_ARRAY || v->via.array.size != 2 ||
                get_i64(&v->via.array.ptr[0], 0, 255, &ma) < 0 ||
                get_i64(&v->via.array.ptr[1], 0, 255, &mi) < 0)
                BAD("HEADER: key \"format\" is not [major, minor]");
            if (ma != h->version_major || mi != h->version_minor)
                BAD("HEADER: format %lld.%lld differs from the preamble's %u.%u", (long long)ma,
                    (long long)mi, h->version_major, h->version_minor);
            have_format = true;
            continue;
        }
        KEY_STR("producer", h->producer)
        KEY_STR("engine", h->engine)
        KEY_STR("server_version", h->server_version)
        KEY_STR("database", h->database)
        KEY_STR("encoding", h->encoding)
        KEY_STR("time_zone", h->time_zone)
        KEY_STR("created", h->created)
        KEY_KV("options", h->options, h->noptions)
    }
    if (!have_format)
        BAD("HEADER: no format version");
    return 0;
}

static int read_column(dbf_arena *a, const msgpack_object *body, dbf_column *c, size_t idx,
                       char *why, size_t whylen)
{
    char what[48];
    snprintf(what, sizeof(what), "TABLE column %zu", idx);
    int rc;
    const char *elem = NULL;
    int64_t bits = 64, flags = 0, length = -1, precision = -1, scale = -1;
    c->length = c->precision = c->scale = -1;
    FOR_MAP(body)
        KEY_STR("name", c->name)
        KEY_STR("type", c->type_name)
        KEY_STR("elem_type", elem)
        KEY_INT("bits", bits, 1, 64)
        KEY_BOOL("unsigned", c->is_unsigned)
        KEY_INT("length", length, INT32_MIN, INT32_MAX)
        KEY_INT("precision", precision, INT32_MIN, INT32_MAX)
        KEY_INT("scale", scale, INT32_MIN, INT32_MAX)
        KEY_INT("flags", flags, 0, UINT32_MAX)
        KEY_STR("native_type", c->native_type)
        KEY_STR("default", c->default_expr)
        KEY_STR("generated", c->generated_expr)
        KEY_STR("collation", c->collation)
        KEY_STR("charset", c->charset)
        KEY_STR("comment", c->comment)
        KEY_STRV("labels", c->labels, c->nlabels)
        KEY_KV("attrs", c->attrs, c->nattrs)
    }
    if (c->name == NULL)
        BAD("%s: no name", what);
    if (c->type_name == NULL)
        BAD("%s (%s): no type", what, c->name);
    c->type = dbf_type_from_name(c->type_name);
    if (c->type == DBF_T_INT && bits != 8 && bits != 16 && bits != 24 && bits != 32 &&
        bits != 64)
        BAD("%s (%s): bits %lld invalid", what, c->name, (long long)bits);
    c->bits = c->type == DBF_T_INT ? (unsigned)bits : 0;
    c->flags = (unsigned)flags;
    c->length = (int32_t)length;
    c->precision = (int32_t)precision;
    c->scale = (int32_t)scale;
    if (c->type == DBF_T_ARRAY) {
        if (elem == NULL)
            BAD("%s (%s): array without elem_type", what, c->name);
        c->elem_type = dbf_type_from_name(elem);
        if (c->elem_type == DBF_T_ARRAY)
            BAD("%s (%s): array of arrays", what, c->name);
    }
    return 0;
}

int dbf_read_table_body(dbf_arena *a, const msgpack_object *body, dbf_table **out, char *why,
                        size_t whylen)
{
    const char *what = "TABLE";
    int rc;
    dbf_table *t = dbf_arena_calloc(a, 1, sizeof(*t));
    if (t == NULL)
        return DBF_ENOMEM;
    t->row_estimate = -1;
    int64_t id = 0;
    const msgpack_object *cols = NULL;
    FOR_MAP(body)
        KEY_INT("id", id, 1, UINT32_MAX)
        KEY_STR("schema", t->schema)
        KEY_STR("name", t->name)
        KEY_STRV("primary_key", t->primary_key, t->nprimary_key)
        KEY_STR("engine", t->engine)
        KEY_STR("native_sql", t->native_sql)
        KEY_STR("comment", t->comment)
        KEY_INT("row_estimate", t->row_estimate, INT64_MIN, INT64_MAX)
        KEY_KV("attrs", t->attrs, t->nattrs)
        if (dbf_key_is(k, "columns")) {
            if (v->type != MSGPACK_OBJECT_ARRAY)
                BAD("TABLE: key \"columns\" is not an array");
            cols = v;
        }
    }
    if (id == 0)
        BAD("TABLE: no id");
    t->id = (uint32_t)id;
    if (t->name == NULL)
        BAD("TABLE %u: no name", t->id);
    if (cols == NULL)
        BAD("TABLE %s: no columns", t->name);
    if (cols->via.array.size > DBF_MAX_COLUMNS)
        BAD("TABLE %s: %u columns (limit %u)", t->name, cols->via.array.size, DBF_MAX_COLUMNS);
    dbf_column *c = dbf_arena_calloc(a, cols->via.array.size + 1, sizeof(*c));
    if (c == NULL)
        return DBF_ENOMEM;
    for (uint32_t i = 0; i < cols->via.array.size; i++) {
        rc = read_column(a, &cols->via.array.ptr[i], &c[i], i, why, whylen);
        if (rc < 0)
            return rc;
    }
    t->columns = c;
    t->ncolumns = cols->via.array.size;
    *out = t;
    return 0;
}

int dbf_read_object_body(dbf_arena *a, const msgpack_object *body, dbf_object **out, char *why,
                         size_t whylen)
{
    const char *what = "OBJECT";
    int rc;
    dbf_object *o = dbf_arena_calloc(a, 1, sizeof(*o));
    if (o == NULL)
        return DBF_ENOMEM;
    const char *kind = NULL, *section = NULL;
    FOR_MAP(body)
        KEY_STR("kind", kind)
        KEY_STR("section", section)
        KEY_STR("subtype", o->subtype)
        KEY_STR("schema", o->schema)
        KEY_STR("name", o->name)
        KEY_STR("table", o->table)
        KEY_STR("engine", o->engine)
        KEY_STR("sql", o->sql)
        KEY_STRV("columns", o->columns, o->ncolumns)
        KEY_BOOL("unique", o->unique)
        KEY_STR("expr", o->expr)
        KEY_STR("ref_schema", o->ref_schema)
        KEY_STR("ref_table", o->ref_table)
        KEY_STRV("ref_columns", o->ref_columns, o->nref_columns)
        KEY_STR("on_delete", o->on_delete)
        KEY_STR("on_update", o->on_update)
        KEY_STR("value", o->value)
        KEY_KV("attrs", o->attrs, o->nattrs)
    }
    if (kind == NULL)
        BAD("OBJECT: no kind");
    if (section == NULL || (strcmp(section, "pre") != 0 && strcmp(section, "post") != 0))
        BAD("OBJECT %s: section missing or not \"pre\"/\"post\"", o->name ? o->name : "?");
    o->section = strcmp(section, "post") == 0 ? DBF_SEC_POST : DBF_SEC_PRE;
    *out = o;
    for (int i = 1; i < DBF_OBJ__COUNT; i++) {
        if (strcmp(object_kinds[i], kind) == 0) {
            o->kind = (dbf_object_kind)i;
            return 0;
        }
    }
    return 1; /* unknown kind: skipped */
}
