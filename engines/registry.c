/*
 * registry.c - the engines this build knows: names, aliases, URL schemes, sources, sinks and
 * dialects.
 */
#include <stddef.h>
#include <string.h>

#include "engine.h"

extern const dbe_source_ops dbe_sqlite_source, dbe_pg_source, dbe_mysql_source;
extern const dbe_sink_ops dbe_sqlite_sink, dbe_pg_sink, dbe_mysql_sink;
int dbe_sqlite_parse_target(dbe_target *t, const char *s, bool is_url, dbf_error *err);
int dbe_pg_parse_target(dbe_target *t, const char *s, bool is_url, dbf_error *err);
int dbe_mysql_parse_target(dbe_target *t, const char *s, bool is_url, dbf_error *err);
bool dbe_pg_claims(const char *s);
extern const dbe_dialect xl_sqlite, xl_pg, xl_mysql;

static const char *const sqlite_aliases[] = {"sqlite3", NULL};
static const char *const pg_aliases[] = {"postgres", "pg", NULL};
static const char *const mysql_aliases[] = {"mariadb", NULL};
static const char *const sqlite_schemes[] = {"sqlite", NULL};
static const char *const pg_schemes[] = {"postgresql", "postgres", NULL};
static const char *const mysql_schemes[] = {"mysql", "mariadb", NULL};

static const dbe_engine engines[] = {
    {DBE_SQLITE, "sqlite", "SQLite", sqlite_aliases, sqlite_schemes, false, NULL, true,
     dbe_sqlite_parse_target, &dbe_sqlite_source, &dbe_sqlite_sink, &xl_sqlite},
    {DBE_POSTGRESQL, "postgresql", "PostgreSQL", pg_aliases, pg_schemes, true, dbe_pg_claims,
     false, dbe_pg_parse_target, &dbe_pg_source, &dbe_pg_sink, &xl_pg},
    {DBE_MYSQL, "mysql", "MySQL", mysql_aliases, mysql_schemes, true, NULL, false,
     dbe_mysql_parse_target, &dbe_mysql_source, &dbe_mysql_sink, &xl_mysql},
};

const dbe_engine *dbe_engine_of(dbe_id id)
{
    for (size_t i = 0; i < sizeof engines / sizeof *engines; i++)
        if (engines[i].id == id)
            return &engines[i];
    return NULL;
}

const dbe_engine *dbe_engine_next(const dbe_engine *e)
{
    const dbe_engine *end = engines + sizeof engines / sizeof *engines;
    e = e ? e + 1 : engines;
    return e < end ? e : NULL;
}

const dbe_engine *dbe_engine_named(const char *name)
{
    if (!name)
        return NULL;
    for (size_t i = 0; i < sizeof engines / sizeof *engines; i++) {
        if (strcmp(engines[i].name, name) == 0)
            return &engines[i];
        for (const char *const *a = engines[i].aliases; *a; a++)
            if (strcmp(*a, name) == 0)
                return &engines[i];
    }
    return NULL;
}

dbe_id dbe_id_named(const char *name)
{
    const dbe_engine *e = dbe_engine_named(name);
    return e ? e->id : 0;
}

const char *dbe_name(dbe_id id)
{
    const dbe_engine *e = dbe_engine_of(id);
    return e ? e->name : "unknown";
}

const char *dbe_title(dbe_id id)
{
    const dbe_engine *e = dbe_engine_of(id);
    return e ? e->title : "unknown";
}

const dbe_source_ops *dbe_source_for(dbe_id id)
{
    const dbe_engine *e = dbe_engine_of(id);
    return e ? e->source : NULL;
}

const dbe_sink_ops *dbe_sink_for(dbe_id id)
{
    const dbe_engine *e = dbe_engine_of(id);
    return e ? e->sink : NULL;
}
