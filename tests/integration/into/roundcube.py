#!/usr/bin/env python3
"""roundcube.py - Roundcube Webmail's database, as its installer makes it, filled as it writes.

  roundcube.py fill DB ROWS           the SQLite file DB (made from the package's
                                      SQL/sqlite.initial.sql) filled with ROWS rows per table:
                                      integer ids with gaps (deleted rows), text datetimes,
                                      0/1 flags, vCards with CRLF, serialized session and cache
                                      data, UTF-8 names
  roundcube.py query DB ENGINE        per table, a query printing the target's rows as JSON
  roundcube.py expect DB OUT          the source's rows in the same canonical form
  roundcube.py normalise GOT OUT      the target's rows (query's output) in that form

Canonical values: datetimes as 'YYYY-MM-DD HH:MM:SS' (UTC for PostgreSQL's timestamptz),
integers and text as text. Roundcube keeps its schema version as a row of its table `system`
('roundcube-version'), a bookkeeping table under a name no list knows.
"""
import json
import os
import random
import sqlite3
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from homarr import insert, order, select_json, tables  # noqa: E402  (the same SQLite introspection)


def kind(typ):
    t = typ.lower()
    if t.startswith("datetime"):
        return "datetime"
    if "int" in t:
        return "int"
    return "text"


def fill(path, n):
    rnd = random.Random(1603)
    db = sqlite3.connect(path)
    info = tables(db)
    keys = {}
    for t in order(info):
        if t == "system":
            continue  # the installer's version row stays as it is
        ti = info[t]
        fk = {col: (p, pc) for p, col, pc in ti["fks"]}
        pk = [c[0] for c in sorted((c for c in ti["cols"] if c[3]), key=lambda c: c[3])]
        seen, rows = set(), []
        for i in range(1, n * 3):
            if len(rows) == n:
                break
            row = {}
            for name, typ, notnull, ispk in ti["cols"]:
                k, tl = kind(typ), typ.lower()
                size = int(tl[tl.index("(") + 1:tl.index(")")]) if "char(" in tl else 1000
                if name in fk:
                    p, pc = fk[name]
                    cand = keys.get(p, {}).get(pc)
                    v = rnd.choice(cand) if cand else None
                elif k == "int" and ispk and len(pk) == 1:
                    v = i + i // 7  # ids with gaps: rows deleted since
                elif k == "datetime":
                    v = None if not notnull and i % 5 == 0 else "20%02d-%02d-%02d %02d:%02d:%02d" % (
                        rnd.randrange(20, 27), rnd.randrange(1, 13), rnd.randrange(1, 29),
                        rnd.randrange(24), rnd.randrange(60), rnd.randrange(60))
                elif k == "int":
                    v = rnd.randrange(2) if "tinyint" in tl or "smallint" in tl else rnd.randrange(100)
                elif name == "vcard":
                    v = ("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:J\u00fcrgen %d\r\nEMAIL:j%d@example.org\r\n"
                         "END:VCARD" % (i, i))
                elif name in ("vars", "data", "preferences"):
                    v = 'a:2:{s:4:"lang";s:5:"de_DE";s:4:"n\u00e4me";s:%d:"%s";}' % (i, "x" * i)
                else:
                    v = ("%s-%d-\u00e9" % (name, i))[:size]
                row[name] = v
            tup = tuple(row[c] for c in pk)
            uniq = [tuple(row[c] for c in u) for u in ti["uniq"]]
            if (pk and tup in seen) or any(("u", u) in seen for u in uniq):
                continue
            seen.add(tup)
            for u in uniq:
                seen.add(("u", u))
            rows.append(row)
        keys[t] = insert(db, t, ti, rows)
    db.commit()


def cols_of(path):
    db = sqlite3.connect(path)
    return {t: [(c[0], kind(c[1])) for c in ti["cols"]] for t, ti in tables(db).items()}


def query(path, engine):
    for t, cols in sorted(cols_of(path).items()):
        parts = []
        for name, k in cols:
            if engine == "postgresql":
                c = 't."%s"' % name
                e = ("to_char(%s AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS')" % c
                     if k == "datetime" else "%s::text" % c)
            else:
                c = "t.`%s`" % name
                e = ("DATE_FORMAT(%s, '%%Y-%%m-%%d %%H:%%i:%%s')" % c if k == "datetime"
                     else "CAST(%s AS CHAR)" % c)
            parts.append("'%s', %s" % (name, e))
        print(select_json(engine, t, parts))


def expect(path, out):
    db = sqlite3.connect(path)
    lines = []
    for t, cols in sorted(cols_of(path).items()):
        for r in db.execute('SELECT %s FROM "%s"' % (", ".join('"%s"' % c for c, _ in cols), t)):
            d = {c: None if v is None else str(v) for (c, _), v in zip(cols, r)}
            lines.append(t + "\t" + json.dumps(d, sort_keys=True, ensure_ascii=False))
    with open(out, "w") as f:
        f.write("\n".join(sorted(lines)) + "\n")


def normalise(got, out):
    lines = []
    with open(got) as f:
        for line in f:
            if line.strip():
                t, obj = line.rstrip("\n").split("\t", 1)
                d = {c: None if v is None else str(v) for c, v in json.loads(obj).items()}
                lines.append(t + "\t" + json.dumps(d, sort_keys=True, ensure_ascii=False))
    with open(out, "w") as f:
        f.write("\n".join(sorted(lines)) + "\n")


if __name__ == "__main__":
    a = sys.argv
    {"fill": lambda: fill(a[2], int(a[3])), "query": lambda: query(a[2], a[3]),
     "expect": lambda: expect(a[2], a[3]), "normalise": lambda: normalise(a[2], a[3])}[a[1]]()
