#!/usr/bin/env bash
# make_testdb.sh DB - build a SQLite database exercising everything dbdump must carry:
# rowid / WITHOUT ROWID / STRICT tables, composite keys, AUTOINCREMENT + sqlite_sequence,
# UNIQUE, CHECK, foreign keys, partial and expression indexes, views, triggers, generated
# columns, user_version, application_id, mixed storage classes, blobs of 0 bytes and 16 MiB,
# invalid UTF-8, NUL bytes in text, float edges, int64 min/max, unicode and reserved-word
# identifiers, a table named with quotes and semicolons, rowids with gaps, ANALYZE results
# (sqlite_stat1) between two tables.
set -euo pipefail
db=$1
rm -f "$db"
sqlite3 -bail "$db" <<'SQL'
PRAGMA user_version = 20241123;
PRAGMA application_id = 1145258561;
BEGIN;
CREATE TABLE plain(a, b TEXT, c INTEGER, d REAL, e BLOB);
CREATE TABLE "select" (
    "from" INTEGER PRIMARY KEY AUTOINCREMENT,
    "order" TEXT NOT NULL UNIQUE DEFAULT 'none',
    "group" REAL CHECK ("group" >= 0) DEFAULT 1.5,
    "where" TEXT COLLATE NOCASE
);
CREATE TABLE parent(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
CREATE TABLE child(
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    parent_id INTEGER NOT NULL REFERENCES parent(id) ON DELETE CASCADE ON UPDATE RESTRICT,
    qty INTEGER CHECK (qty >= 0),
    note TEXT
);
CREATE TABLE pair(k1 TEXT, k2 INTEGER, v, PRIMARY KEY (k1, k2)) WITHOUT ROWID;
CREATE TABLE pair_rowid(k1 TEXT, k2 INTEGER, v, PRIMARY KEY (k2 DESC, k1));
CREATE TABLE strict_t(id INTEGER PRIMARY KEY, i INT, r REAL, t TEXT, b BLOB, a ANY) STRICT;
CREATE TABLE strict_wr(k TEXT PRIMARY KEY, n INTEGER NOT NULL) STRICT, WITHOUT ROWID;
CREATE TABLE gen(
    a INTEGER,
    b INTEGER,
    s INTEGER GENERATED ALWAYS AS (a + b) STORED,
    v TEXT GENERATED ALWAYS AS (a || '-' || b) VIRTUAL
);
CREATE TABLE "Tabelle ünïcödé 表" ("列 ☃" TEXT, "ß" INTEGER, "emoji 😀" BLOB);
CREATE TABLE "we""ird; DROP TABLE plain; --" ("a""b" TEXT, "c;d" INTEGER, "e f" TEXT);
CREATE TABLE mixed(id INTEGER PRIMARY KEY, v, n NUMERIC, i INTEGER, t TEXT);
CREATE TABLE col_named_rowid(rowid TEXT, x);
CREATE TABLE desc_pk(id INTEGER PRIMARY KEY DESC, x);
CREATE TABLE int_pk_lower(id integer primary key, x);
CREATE TABLE log(id INTEGER PRIMARY KEY AUTOINCREMENT, what TEXT);
CREATE TABLE empty_t(x INTEGER PRIMARY KEY AUTOINCREMENT, y);

INSERT INTO plain(rowid, a, b, c, d, e) VALUES
  (1, 1, 'one', 1, 1.0, x'01'), (2, 'two', 'two', '2', '2.5', x'0202'),
  (5, NULL, NULL, NULL, NULL, NULL), (1000, 3.25, 'x', 'abc', 'def', 'text in blob col'),
  (9223372036854775807, -1, 'max rowid', 0, 0, x''), (-9223372036854775808, 0, 'min rowid', 1, 1, x'');
DELETE FROM plain WHERE rowid = 2;
INSERT INTO "select"("order", "group", "where") VALUES ('a', 1, 'X'), ('b', 2.5, 'y'), ('c', 0, NULL);
INSERT INTO "select"("order") VALUES ('d');
DELETE FROM "select" WHERE "from" >= 3;
INSERT INTO parent VALUES (1, 'p1'), (2, 'p2'), (7, 'p7');
INSERT INTO child(parent_id, qty, note) VALUES (1, 5, 'a'), (1, 50, 'b'), (2, 500, NULL), (7, 0, 'z');
INSERT INTO child(id, parent_id, qty) VALUES (100, 2, 11);
DELETE FROM child WHERE id = 100;
INSERT INTO pair VALUES ('b', 2, 'x'), ('a', 1, 2), ('a', 2, x'ff'), ('', -1, NULL);
INSERT INTO pair_rowid(rowid, k1, k2, v) VALUES (10, 'b', 2, 'x'), (3, 'a', 1, 2), (77, 'a', 2, x'ff');
INSERT INTO strict_t VALUES (1, 1, 1.5, 't', x'00', 1), (2, -5, 2, 'u', x'', 'any text'),
  (3, NULL, NULL, NULL, NULL, 2.5), (4, 9, -0.0, '', x'0000', x'00');
INSERT INTO strict_wr VALUES ('k1', 1), ('k0', 0);
INSERT INTO gen(a, b) VALUES (1, 2), (10, NULL), (-3, 3);
INSERT INTO "Tabelle ünïcödé 表" VALUES ('Grüße, 世界 ☃ 😀', 1, x'f09f9880'), ('', 0, NULL);
INSERT INTO "we""ird; DROP TABLE plain; --" VALUES ('it''s "quoted"; --', 1, 'x'), (NULL, NULL, ']');
INSERT INTO mixed(id, v, n, i, t) VALUES
  (1, 42, '42', '42', 42),
  (2, 'text', 'text', 'text', 'text'),
  (3, 3.5, 3.5, 3.5, 3.5),
  (4, x'00ff00', x'00ff00', x'00ff00', x'00ff00'),
  (5, NULL, NULL, NULL, NULL),
  (6, -9223372036854775808, 9223372036854775807, -9223372036854775808, '9223372036854775807'),
  (7, -0.0, 5e-324, 1.7976931348623157e308, -1.7976931348623157e308),
  (8, 2.2250738585072014e-308, 0.1, 1e300, 123456789.123456789),
  (9, CAST(x'610062' AS TEXT), CAST(x'0000' AS TEXT), CAST(x'fffe41' AS TEXT), CAST(x'c328' AS TEXT)),
  (10, x'', '', CAST(x'' AS TEXT), zeroblob(0)),
  (11, randomblob(16777216), ' 12 ', '0x10', '1e3'),
  (20, 'gap', 1, 1, 1);
INSERT INTO col_named_rowid(_rowid_, rowid, x) VALUES (5, 'r5', 1), (2, 'r2', 2), (9, NULL, 3);
INSERT INTO desc_pk(id, x) VALUES (3, 'a'), (1, 'b');
INSERT INTO desc_pk(rowid, id, x) VALUES (50, 7, 'c');
INSERT INTO int_pk_lower VALUES (4, 'a'), (8, 'b');
INSERT INTO log(what) VALUES ('start');
INSERT INTO empty_t(y) VALUES (1);
DELETE FROM empty_t;

CREATE INDEX plain_lower_b ON plain(lower(b));
CREATE INDEX child_big_qty ON child(qty) WHERE qty > 10;
CREATE UNIQUE INDEX "select_where_order" ON "select"("where", "order" DESC);
CREATE INDEX "idx ünï" ON "Tabelle ünïcödé 表"("列 ☃");
CREATE VIEW parent_totals AS
    SELECT p.name, count(c.id) AS n, sum(c.qty) AS total
    FROM parent p LEFT JOIN child c ON c.parent_id = p.id GROUP BY p.id;
CREATE TRIGGER child_log AFTER INSERT ON child BEGIN
    INSERT INTO log(what) VALUES ('child ' || NEW.id);
END;
CREATE VIEW "v; --" AS SELECT * FROM "we""ird; DROP TABLE plain; --";
CREATE TRIGGER parent_touch AFTER UPDATE ON parent BEGIN
    UPDATE child SET note = 'touched' WHERE parent_id = NEW.id;
END;
CREATE INDEX gen_s ON gen(s);
CREATE TRIGGER view_insert INSTEAD OF INSERT ON parent_totals BEGIN
    INSERT INTO parent(name) VALUES (NEW.name);
END;
INSERT INTO child(parent_id, qty, note) VALUES (2, 12, 'after the trigger');
UPDATE parent SET name = 'p2x' WHERE id = 2;
COMMIT;
UPDATE sqlite_sequence SET seq = 1000 WHERE name = 'log';
ANALYZE;
CREATE TABLE after_analyze(x INTEGER PRIMARY KEY, y);
INSERT INTO after_analyze VALUES (1, 'made after sqlite_stat1');
SQL
