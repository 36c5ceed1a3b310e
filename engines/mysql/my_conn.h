/*
 * my_conn.h - what the MySQL/MariaDB source and sink share:
 * client options and connecting from a dbe_target, string literal quoting (identifiers:
 * dbc_buf_ident with '`').
 */
#ifndef DBE_MY_CONN_H
#define DBE_MY_CONN_H

#include <mysql.h>

#include "dbc_buf.h"
#include "engine.h"

/**
 * Set the client options of every connection on c (from mysql_init, before connecting): the
 * [client] group of the option files, utf8mb4, connect timeout 10 s, 1 GiB client packet
 * limit; local_infile enables LOAD DATA LOCAL.
 */
void dbe_my_options(MYSQL *c, bool local_infile);

/**
 * Connect to the server named by t: host/port/socket/user from the URL, else the
 * [client] group of the option files (~/.my.cnf); password from the URL, else MYSQL_PWD,
 * else the option files. utf8mb4, connect timeout 10 s, 1 GiB client packet limit.
 * local_infile enables LOAD DATA LOCAL. db may be NULL (no default database); it is chosen
 * after one read, with wsrep_sync_wait = 1 set for the session (a Galera node then answers
 * only once it has applied what the cluster committed before, the database included).
 * @return 0, or DBC_ECONNECT / DBF_ENOMEM with err naming t->display (never the password).
 */
int dbe_my_connect(MYSQL **out, const dbe_target *t, const char *db, bool local_infile,
                   dbf_error *err);

/** Append s[0..n) to b as a quoted string literal, escaped for the connection c. */
void dbe_my_buf_literal(dbc_buf *b, MYSQL *c, const char *s, size_t n);

/**
 * SHOW CREATE prints a routine's or event's COMMENT with backslash escapes (\\ \n \r \Z)
 * even when the object's sql_mode has NO_BACKSLASH_ESCAPES, where running that statement
 * gives another comment. When sql_mode has it and comment (the true one, from
 * information_schema) holds such a character, out gets sql with that literal written the way
 * the mode reads it, and the call returns 1; otherwise 0 (out untouched); -1 out of memory.
 */
int dbe_my_nbe_comment(dbc_buf *out, const char *sql, const char *sql_mode,
                       const char *comment);

#endif /* DBE_MY_CONN_H */
