/*
 * lite_target.c - SQLite SOURCE/TARGET strings: sqlite:///abs/path, sqlite:rel/path, or a bare
 * path (whatever no other engine claims).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "engine.h"

int dbe_sqlite_parse_target(dbe_target *t, const char *s, bool is_url, dbf_error *err)
{
    (void)is_url; /* "sqlite:" or not, the same rules */
    const char *path = s;
    if (strncasecmp(s, "sqlite:", 7) == 0) {
        path = s + 7;
        if (strncmp(path, "//", 2) == 0) {
            path += 2;
            if (path[0] != '/')
                return dbf_error_set(err, DBC_EUSAGE,
                                     "'%s': a SQLite URL has no host; use sqlite:///ABS/PATH or "
                                     "sqlite:REL/PATH",
                                     s);
            while (path[0] == '/' && path[1] == '/')
                path++;
        }
    }
    if (!*path)
        return dbf_error_set(err, DBC_EUSAGE, "'%s': empty SQLite file path", s);
    t->engine = DBE_SQLITE;
    t->path = strdup(path);
    t->display = strdup(s);
    if (!t->path || !t->display)
        return dbf_error_set(err, DBF_ENOMEM, "out of memory");
    return 0;
}
