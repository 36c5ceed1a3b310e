/*
 * test_url.c - dbe_target_parse and dbc_exit_code: every SOURCE/TARGET form, masking,
 * percent-decoding, and the errors for bad input.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"

static int failures;

#define CHECK(cond)                                                                            \
    do {                                                                                       \
        if (!(cond)) {                                                                         \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);           \
            failures++;                                                                        \
        }                                                                                      \
    } while (0)

static bool eq(const char *a, const char *b)
{
    if (!a || !b)
        return a == b;
    return strcmp(a, b) == 0;
}

static dbe_target *ok(const char *s)
{
    dbe_target *t = NULL;
    dbf_error err = {0, {0}};
    int rc = dbe_target_parse(&t, s, &err);
    if (rc != 0 || !t) {
        fprintf(stderr, "parse of '%s' failed: %d %s\n", s, rc, err.msg);
        failures++;
        exit(1);
    }
    return t;
}

static void bad(const char *s, const char *msg_part)
{
    dbe_target *t = NULL;
    dbf_error err = {0, {0}};
    int rc = dbe_target_parse(&t, s, &err);
    if (rc != DBC_EUSAGE || t || !strstr(err.msg, msg_part)) {
        fprintf(stderr, "'%s': rc %d, message '%s', want DBC_EUSAGE with '%s'\n", s, rc, err.msg,
                msg_part);
        failures++;
    }
    dbe_target_free(t);
}

static void sqlite_path(const char *s, const char *path)
{
    dbe_target *t = ok(s);
    CHECK(t->engine == DBE_SQLITE);
    if (!eq(t->path, path)) {
        fprintf(stderr, "'%s': path '%s', want '%s'\n", s, t->path, path);
        failures++;
    }
    dbe_target_free(t);
}

int main(void)
{
    dbe_target *t;

    /* the programs' error codes beside the archive library's */
    CHECK(strcmp(dbc_strerror(DBC_EUSAGE), "DBC_EUSAGE") == 0);
    CHECK(strcmp(dbc_strerror(DBC_EBACKEND), "DBC_EBACKEND") == 0);
    CHECK(strcmp(dbc_strerror(DBF_ETRUNCATED), "DBF_ETRUNCATED") == 0);
    CHECK(dbc_exit_code(DBC_ENOTEMPTY) == DBC_EXIT_NOTEMPTY);

    /* SQLite forms */
    sqlite_path("sqlite:///abs/path.db", "/abs/path.db");
    sqlite_path("sqlite:////abs/path.db", "/abs/path.db");
    sqlite_path("sqlite:rel/path.db", "rel/path.db");
    sqlite_path("sqlite:x.db", "x.db");
    sqlite_path("SQLite:///a.db", "/a.db");
    sqlite_path("/abs/bare.db", "/abs/bare.db");
    sqlite_path("rel/bare.db", "rel/bare.db");
    sqlite_path("bare.sqlite3", "bare.sqlite3");
    sqlite_path("weird:name.db", "weird:name.db");
    bad("sqlite://host/x.db", "no host");
    bad("sqlite:", "empty");
    bad("", "empty");

    /* PostgreSQL: passed to libpq unchanged, password masked in the display form */
    t = ok("postgresql://app:s3cret@db.example:5433/app?sslmode=require");
    CHECK(t->engine == DBE_POSTGRESQL);
    CHECK(eq(t->conninfo, "postgresql://app:s3cret@db.example:5433/app?sslmode=require"));
    CHECK(eq(t->display, "postgresql://app:***@db.example:5433/app?sslmode=require"));
    CHECK(!strstr(t->display, "s3cret"));
    dbe_target_free(t);
    t = ok("postgres://u@h/d?sslmode=disable&password=topsecret&application_name=x");
    CHECK(t->engine == DBE_POSTGRESQL);
    CHECK(eq(t->display, "postgres://u@h/d?sslmode=disable&password=***&application_name=x"));
    dbe_target_free(t);
    /* malformed PostgreSQL URLs are usage errors, and libpq's quoted input (which may be the
     * password) never reaches the message */
    bad("postgresql://u:pw1@127.0.0.1:5x5/db", "bad port '5x5'");
    bad("postgresql://u:pw1@127.0.0.1:70000/db", "bad port '70000'");
    bad("postgresql://u:pw1@[127.0.0.1/db", "malformed PostgreSQL connection string");
    bad("postgresql://u:pw1%zz@127.0.0.1/db", "invalid percent-encoded token");
    bad("host=h port=5432 bogus_option=1", "malformed PostgreSQL connection string");
    {
        dbf_error e = {0, {0}};
        dbe_target *x = NULL;
        CHECK(dbe_target_parse(&x, "postgresql://u:pw1%zz@127.0.0.1/db", &e) == DBC_EUSAGE);
        CHECK(!strstr(e.msg, "pw1"));
        CHECK(dbe_target_parse(&x, "postgresql://u:pw1@[127.0.0.1/db", &e) == DBC_EUSAGE);
        CHECK(!strstr(e.msg, "pw1"));
        CHECK(x == NULL);
    }
    t = ok("postgresql:///localdb");
    CHECK(t->engine == DBE_POSTGRESQL && eq(t->display, "postgresql:///localdb"));
    dbe_target_free(t);
    t = ok("host=127.0.0.1 port=5432 dbname=app user=me password='p w' sslmode=disable");
    CHECK(t->engine == DBE_POSTGRESQL);
    CHECK(eq(t->conninfo, "host=127.0.0.1 port=5432 dbname=app user=me password='p w' "
                          "sslmode=disable"));
    CHECK(eq(t->display, "host=127.0.0.1 port=5432 dbname=app user=me password=*** "
                         "sslmode=disable"));
    dbe_target_free(t);
    t = ok("dbname = app");
    CHECK(t->engine == DBE_POSTGRESQL);
    dbe_target_free(t);
    bad("postgresql:foo", "postgresql://");

    /* MySQL / MariaDB */
    t = ok("mysql://root:pa%40ss%3Aw%2Frd@127.0.0.1:3307/my%20db");
    CHECK(t->engine == DBE_MYSQL);
    CHECK(eq(t->user, "root"));
    CHECK(eq(t->password, "pa@ss:w/rd"));
    CHECK(eq(t->host, "127.0.0.1"));
    CHECK(t->port == 3307);
    CHECK(eq(t->database, "my db"));
    CHECK(t->socket == NULL);
    CHECK(eq(t->display, "mysql://root:***@127.0.0.1:3307/my%20db"));
    dbe_target_free(t);
    t = ok("mariadb://app@localhost/shop?socket=/run/mysqld/mysqld.sock");
    CHECK(t->engine == DBE_MYSQL && eq(t->user, "app") && t->password == NULL);
    CHECK(eq(t->host, "localhost") && t->port == 0 && eq(t->database, "shop"));
    CHECK(eq(t->socket, "/run/mysqld/mysqld.sock"));
    dbe_target_free(t);
    t = ok("mysql://");
    CHECK(t->engine == DBE_MYSQL && !t->user && !t->host && !t->database && t->port == 0);
    dbe_target_free(t);
    t = ok("mysql://root@127.0.0.1:3306/");
    CHECK(eq(t->user, "root") && t->port == 3306 && t->database == NULL);
    dbe_target_free(t);
    t = ok("mysql://u:p@[::1]:3306/d");
    CHECK(eq(t->host, "::1") && t->port == 3306 && eq(t->password, "p"));
    CHECK(eq(t->display, "mysql://u:***@[::1]:3306/d"));
    dbe_target_free(t);
    t = ok("mysql://u:p@h/d?socket=%2Ftmp%2Fm.sock");
    CHECK(eq(t->socket, "/tmp/m.sock"));
    dbe_target_free(t);
    t = ok("mysql://u:pa/ss@w@h:1/d");
    CHECK(eq(t->user, "u") && eq(t->password, "pa/ss@w") && eq(t->host, "h") && t->port == 1);
    CHECK(eq(t->display, "mysql://u:***@h:1/d"));
    dbe_target_free(t);
    bad("mysql://u@h:99999/d", "port");
    bad("mysql://u@h:0/d", "port");
    bad("mysql://u@h:12x/d", "port");
    bad("mysql://u@h:/d", "port");
    bad("mysql://u@h/d?ssl=1", "unknown URL parameter 'ssl'");
    bad("mysql://u@h/a/b", "database");
    bad("mysql://u:p%zz@h/d", "percent");
    bad("mysql://u:p%4@h/d", "percent");
    bad("mysql://u@h/d%00x", "%00");
    bad("mysql:foo", "mysql://");
    bad("mysql://u:secret@h:99999/d", "***");
    bad("mysql://u:se/cret@h:99999/d", "mysql://u:***@h:99999/d");

    /* Unknown schemes */
    bad("oracle://scott:tiger@h/orcl", "unknown URL scheme 'oracle'");
    bad("http://x/y", "unknown URL scheme 'http'");

    /* Exit codes (values documented in README.md and --help) */
    CHECK(dbc_exit_code(DBF_OK) == 0);
    CHECK(dbc_exit_code(DBC_EUSAGE) == 2);
    CHECK(dbc_exit_code(DBC_ECONNECT) == 3);
    CHECK(dbc_exit_code(DBF_ECORRUPT) == 4);
    CHECK(dbc_exit_code(DBF_EVERSION) == 4);
    CHECK(dbc_exit_code(DBF_ETRUNCATED) == 5);
    CHECK(dbc_exit_code(DBC_ENOTEMPTY) == 6);
    CHECK(dbc_exit_code(DBC_EDATA) == 7);
    CHECK(dbc_exit_code(DBF_EUNSUPPORTED) == 7);
    CHECK(dbc_exit_code(DBF_EIO) == 8);
    CHECK(dbc_exit_code(DBC_EBACKEND) == 9);
    CHECK(dbc_exit_code(DBF_ENOMEM) == 1);
    CHECK(dbc_exit_code(DBF_EINVAL) == 1);
    CHECK(dbc_exit_code(DBF_ECANCELED) == 1);

    if (failures) {
        fprintf(stderr, "%d failures\n", failures);
        return 1;
    }
    printf("ok\n");
    return 0;
}
