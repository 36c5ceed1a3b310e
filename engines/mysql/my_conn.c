/* my_conn.c - connection and quoting helpers of the MySQL/MariaDB source and sink. */
#include "my_conn.h"

#include <stdlib.h>
#include <string.h>

/* -------------------------------------------------------------- connecting */

void dbe_my_options(MYSQL *c, bool local_infile)
{
    unsigned timeout = 10;
    unsigned long packet = 1024ul * 1024ul * 1024ul;
    unsigned infile = local_infile ? 1u : 0u;
    mysql_options(c, MYSQL_READ_DEFAULT_GROUP, "client");
    mysql_options(c, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
    mysql_options(c, MYSQL_SET_CHARSET_NAME, "utf8mb4");
    mysql_options(c, MYSQL_OPT_MAX_ALLOWED_PACKET, &packet);
    mysql_options(c, MYSQL_OPT_LOCAL_INFILE, &infile);
}

/* One read (which, on a Galera node with wsrep_sync_wait, waits for the node). */
static int sync_read(MYSQL *c)
{
    if (mysql_query(c, "SELECT 1") != 0)
        return -1;
    MYSQL_RES *r = mysql_store_result(c);
    if (r != NULL)
        mysql_free_result(r);
    return r != NULL ? 0 : -1;
}

int dbe_my_connect(MYSQL **out, const dbe_target *t, const char *db, bool local_infile,
                   dbf_error *err)
{
    int rc = 0;
    MYSQL *c = mysql_init(NULL);
    *out = NULL;
    if (c == NULL)
        return dbf_error_set(err, DBF_ENOMEM, "out of memory (mysql_init)");
    dbe_my_options(c, local_infile);
    const char *password = t->password;
    if (password == NULL)
        password = getenv("MYSQL_PWD"); /* NULL: the option files' password, if any */
    unsigned long flags = CLIENT_MULTI_RESULTS;
    if (mysql_real_connect(c, t->host, t->user, password, NULL, t->port, t->socket, flags) ==
            NULL ||
        /* A Galera node: reads wait until it has applied what the cluster committed before
         * them, the database's creation included, which is why the database is chosen only
         * after a first read (a restore through another node may have just made it). A lone
         * server ignores the setting; MySQL has no such variable. */
        (mysql_query(c, "SET SESSION wsrep_sync_wait = 1") != 0 && mysql_errno(c) != 1193) ||
        (db != NULL && sync_read(c) != 0) || (db != NULL && mysql_select_db(c, db) != 0)) {
        rc = dbf_error_set(err, DBC_ECONNECT, "cannot connect to %s: %s",
                           t->display != NULL ? t->display : "MySQL server", mysql_error(c));
        goto done;
    }
    if (mysql_set_character_set(c, "utf8mb4") != 0) {
        rc = dbf_error_set(err, DBC_ECONNECT, "%s: cannot use utf8mb4: %s",
                           t->display != NULL ? t->display : "MySQL server", mysql_error(c));
        goto done;
    }
    *out = c;
    c = NULL;
done:
    if (c != NULL)
        mysql_close(c);
    return rc;
}

void dbe_my_buf_literal(dbc_buf *b, MYSQL *c, const char *s, size_t n)
{
    if (n > ((size_t)-1 - 3) / 2 || !dbc_buf_reserve(b, 2 * n + 2)) {
        b->oom = true;
        return;
    }
    b->p[b->len++] = '\'';
    b->len += mysql_real_escape_string(c, b->p + b->len, s, (unsigned long)n);
    b->p[b->len++] = '\'';
    b->p[b->len] = '\0';
}

int dbe_my_nbe_comment(dbc_buf *out, const char *sql, const char *sql_mode,
                       const char *comment)
{
    if (sql_mode == NULL || comment == NULL || strstr(sql_mode, "NO_BACKSLASH_ESCAPES") == NULL ||
        strpbrk(comment, "\\\n\r\032") == NULL)
        return 0;
    dbc_buf printed = {0}, nbe = {0};
    dbc_buf_puts(&printed, "COMMENT '");
    dbc_buf_puts(&nbe, "COMMENT '");
    for (const char *c = comment; *c; c++) {
        const char *e = *c == '\\' ? "\\\\" : *c == '\n' ? "\\n" : *c == '\r' ? "\\r"
                      : *c == '\032' ? "\\Z" : *c == '\'' ? "''" : NULL;
        if (e != NULL)
            dbc_buf_puts(&printed, e);
        else
            dbc_buf_putc(&printed, *c);
        if (*c == '\'')
            dbc_buf_puts(&nbe, "''");
        else
            dbc_buf_putc(&nbe, *c);
    }
    dbc_buf_putc(&printed, '\'');
    dbc_buf_putc(&nbe, '\'');
    int rc = printed.oom || nbe.oom ? -1 : 0;
    const char *at = rc == 0 ? strstr(sql, printed.p) : NULL;
    if (at != NULL) {
        dbc_buf_add(out, sql, (size_t)(at - sql));
        dbc_buf_add(out, nbe.p, nbe.len);
        dbc_buf_puts(out, at + printed.len);
        rc = out->oom ? -1 : 1;
    }
    dbc_buf_free(&printed);
    dbc_buf_free(&nbe);
    return rc;
}
