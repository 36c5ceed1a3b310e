-- features.sql: schemas, functions, procedures, triggers, partitions, enums, domains,
-- views, materialized views, identity/serial, constraints of every kind, indexes,
-- comments, policies, rules. Loaded by pg_roundtrip.sh.
CREATE EXTENSION IF NOT EXISTS pgcrypto;
CREATE SCHEMA app;
COMMENT ON SCHEMA app IS 'application schema';
CREATE SCHEMA "Odd Schema";

CREATE TYPE app.status AS ENUM ('new', 'paid', 'shipped');
CREATE DOMAIN app.qty AS integer NOT NULL DEFAULT 1 CONSTRAINT qty_positive CHECK (VALUE > 0);
COMMENT ON TYPE app.status IS 'order status';

CREATE FUNCTION app.touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := '2001-02-03 04:05:06+00';
    RETURN NEW;
END $$;
CREATE FUNCTION app.add(a integer, b integer DEFAULT 1) RETURNS integer
    LANGUAGE sql IMMUTABLE STRICT AS 'SELECT a + b';
COMMENT ON FUNCTION app.add(integer, integer) IS 'adds';
CREATE PROCEDURE app.bump(n integer) LANGUAGE plpgsql AS $$
BEGIN
    UPDATE app.customers SET visits = visits + n;
END $$;

CREATE TABLE app.customers (
    id serial PRIMARY KEY,
    email text NOT NULL UNIQUE,
    name varchar(100) COLLATE "C",
    visits integer NOT NULL DEFAULT 0,
    created timestamptz NOT NULL DEFAULT now(),
    score numeric(5,2) CHECK (score >= 0),
    CONSTRAINT name_not_blank CHECK (name <> '')
);
COMMENT ON TABLE app.customers IS 'people who buy';
COMMENT ON COLUMN app.customers.email IS 'login, unique';

CREATE TABLE app.orders (
    id bigint GENERATED ALWAYS AS IDENTITY (START WITH 100 INCREMENT BY 5) PRIMARY KEY,
    customer_id integer NOT NULL REFERENCES app.customers (id) ON DELETE CASCADE,
    status app.status NOT NULL DEFAULT 'new',
    qty app.qty,
    total numeric(12,2) GENERATED ALWAYS AS (qty * 2.5) STORED,
    note text,
    updated_at timestamptz,
    CONSTRAINT note_len CHECK (length(note) < 1000) NOT VALID
);
CREATE INDEX orders_status_idx ON app.orders (status) WHERE status <> 'shipped';
CREATE INDEX orders_lower_note ON app.orders (lower(note), customer_id DESC NULLS LAST);
CREATE UNIQUE INDEX orders_note_uniq ON app.orders USING btree (note) INCLUDE (qty);
COMMENT ON INDEX app.orders_status_idx IS 'open orders';
CREATE TRIGGER orders_touch BEFORE INSERT OR UPDATE ON app.orders
    FOR EACH ROW EXECUTE FUNCTION app.touch();
CREATE TRIGGER orders_touch_disabled BEFORE DELETE ON app.orders
    FOR EACH ROW EXECUTE FUNCTION app.touch();
ALTER TABLE app.orders DISABLE TRIGGER orders_touch_disabled;

-- circular foreign keys
CREATE TABLE app.a (id int PRIMARY KEY, b_id int);
CREATE TABLE app.b (id int PRIMARY KEY, a_id int REFERENCES app.a DEFERRABLE INITIALLY DEFERRED);
ALTER TABLE app.a ADD CONSTRAINT a_b_fk FOREIGN KEY (b_id) REFERENCES app.b (id) DEFERRABLE;

-- declarative partitioning, two levels, with an index and a PK on the parent
CREATE TABLE app.events (
    id bigint NOT NULL,
    at date NOT NULL,
    kind text NOT NULL DEFAULT 'x',
    payload jsonb,
    PRIMARY KEY (id, at)
) PARTITION BY RANGE (at);
CREATE TABLE app.events_2020 PARTITION OF app.events FOR VALUES FROM ('2020-01-01') TO ('2021-01-01');
CREATE TABLE app.events_2021 PARTITION OF app.events FOR VALUES FROM ('2021-01-01') TO ('2022-01-01')
    PARTITION BY RANGE (at);
CREATE TABLE app.events_2021_h1 PARTITION OF app.events_2021 FOR VALUES FROM ('2021-01-01') TO ('2021-07-01');
CREATE TABLE app.events_2021_rest PARTITION OF app.events_2021 DEFAULT;
ALTER TABLE app.events_2021_rest ALTER COLUMN payload SET NOT NULL;
CREATE TABLE app.events_other PARTITION OF app.events DEFAULT;
CREATE INDEX events_kind_idx ON app.events (kind);

CREATE TABLE "Odd Schema"."Mixed Case ""Table""" ("Col 1" int, "select" text);
CREATE UNLOGGED TABLE app.scratch (k text PRIMARY KEY, v bytea) WITH (fillfactor = 70);
CREATE SEQUENCE app.counter AS integer START 10 INCREMENT 3 MINVALUE 1 MAXVALUE 1000000 CYCLE;
CREATE SEQUENCE app.unused_seq;
CREATE TABLE app.with_seq (id integer DEFAULT nextval('app.counter'), v text);

CREATE FUNCTION app.order_count() RETURNS bigint LANGUAGE sql STABLE
    BEGIN ATOMIC SELECT count(*) FROM app.orders; END;

CREATE VIEW app.customer_orders AS
    SELECT c.id, c.email, count(o.id) AS n FROM app.customers c
    LEFT JOIN app.orders o ON o.customer_id = c.id GROUP BY c.id, c.email;
CREATE VIEW app.big_customers WITH (security_barrier = true) AS
    SELECT * FROM app.customer_orders WHERE n > 1 WITH CASCADED CHECK OPTION;
COMMENT ON VIEW app.customer_orders IS 'orders per customer';
CREATE MATERIALIZED VIEW app.status_counts AS
    SELECT status, count(*) AS n FROM app.orders GROUP BY status;
CREATE UNIQUE INDEX status_counts_idx ON app.status_counts (status);
CREATE RULE scratch_no_delete AS ON DELETE TO app.scratch DO INSTEAD NOTHING;
ALTER TABLE app.customers ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_rows ON app.customers FOR SELECT TO PUBLIC USING (visits >= 0);

INSERT INTO app.customers (email, name, visits, score) VALUES
    ('a@example.com', 'Ann', 3, 1.5), ('b@example.com', 'Bob', 0, NULL),
    ('c@example.com', 'ENC:v3:key1:00ff10', 7, 99.99);
INSERT INTO app.orders (customer_id, status, qty, note) VALUES
    (1, 'new', 2, 'first'), (1, 'paid', 3, 'second'), (3, 'shipped', 1, NULL);
INSERT INTO app.a VALUES (1, NULL), (2, NULL);
INSERT INTO app.b VALUES (10, 1), (20, 2);
UPDATE app.a SET b_id = 10 WHERE id = 1;
INSERT INTO app.events VALUES (1, '2020-05-01', 'a', '{"x": 1}'), (2, '2021-05-01', 'a', NULL),
    (3, '2021-09-01', 'b', '[]'), (4, '2030-01-01', 'z', '{}');
INSERT INTO "Odd Schema"."Mixed Case ""Table""" VALUES (1, 'tab	and
newline');
INSERT INTO app.scratch VALUES ('k', '\xdeadbeef');
INSERT INTO app.with_seq (v) VALUES ('a'), ('b');
SELECT nextval('app.unused_seq');
REFRESH MATERIALIZED VIEW app.status_counts;

-- inheritance, zero-column table, dropped columns, identity BY DEFAULT, constraint trigger,
-- INSTEAD OF trigger on a view, exclusion constraint, multirange, storage parameters
CREATE TABLE app.base (id int PRIMARY KEY, kind text NOT NULL DEFAULT 'base');
CREATE TABLE app.child (extra text, CHECK (extra <> '')) INHERITS (app.base);
INSERT INTO app.base VALUES (1, 'b');
INSERT INTO app.child VALUES (2, 'c', 'more');
CREATE TABLE app.nothing ();
INSERT INTO app.nothing DEFAULT VALUES;
INSERT INTO app.nothing DEFAULT VALUES;
CREATE TABLE app.dropped (a int, b text, c int GENERATED BY DEFAULT AS IDENTITY, d int);
ALTER TABLE app.dropped DROP COLUMN b;
INSERT INTO app.dropped (a, d) VALUES (1, 2), (3, 4);
INSERT INTO app.dropped VALUES (5, 100, 6);
CREATE FUNCTION app.check_qty() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.qty > 1000 THEN RAISE EXCEPTION 'too many'; END IF;
    RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER orders_qty_check AFTER INSERT ON app.orders
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION app.check_qty();
CREATE FUNCTION app.view_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO app.customers (email) VALUES (NEW.email);
    RETURN NEW;
END $$;
CREATE VIEW app.customer_emails AS SELECT email FROM app.customers;
COMMENT ON COLUMN app.customer_emails.email IS 'view column comment';
CREATE TRIGGER customer_emails_ins INSTEAD OF INSERT ON app.customer_emails
    FOR EACH ROW EXECUTE FUNCTION app.view_insert();
CREATE EXTENSION IF NOT EXISTS btree_gist WITH SCHEMA app;
CREATE TABLE app.bookings (room int, during tstzrange,
    EXCLUDE USING gist (room WITH =, during WITH &&));
INSERT INTO app.bookings VALUES (1, '[2020-01-01, 2020-01-02)'), (1, '[2020-01-02, 2020-01-03)');
CREATE TABLE app.multi (r int4multirange, a app.qty[]);
INSERT INTO app.multi VALUES ('{[1,3), [5,7)}', '{1,2}');
-- per-column storage settings and replica identity
ALTER TABLE app.customers ALTER COLUMN name SET STATISTICS 500;
ALTER TABLE app.customers ALTER COLUMN email SET STORAGE EXTERNAL;
ALTER TABLE app.orders ALTER COLUMN note SET COMPRESSION pglz;
ALTER TABLE app.base REPLICA IDENTITY FULL;
CREATE UNIQUE INDEX scratch_k_idx ON app.scratch (k);
ALTER TABLE app.scratch REPLICA IDENTITY USING INDEX scratch_k_idx;
-- dependencies the kind order misses: a domain whose CHECK calls a function, a function
-- over a table's row type, a view over a view created after it (by replacing the first)
CREATE FUNCTION app.is_even(v integer) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT v % 2 = 0';
CREATE DOMAIN app.even AS integer CHECK (app.is_even(VALUE));
CREATE TABLE app.evens (e app.even);
INSERT INTO app.evens VALUES (2), (4);
CREATE FUNCTION app.customer_label(c app.customers) RETURNS text LANGUAGE sql AS 'SELECT c.email';
CREATE VIEW app.v_late AS SELECT 1 AS x;
CREATE VIEW app.v_early AS SELECT x FROM app.v_late;
CREATE OR REPLACE VIEW app.v_late AS SELECT 1 AS x, 2 AS y;
CREATE VIEW app.v_latest AS SELECT y FROM app.v_late;
CREATE TYPE app.with_dom AS (d app.even, s app.status);
CREATE EXTENSION IF NOT EXISTS citext;
CREATE TABLE app.ci (c citext PRIMARY KEY, cs citext[]);
INSERT INTO app.ci VALUES ('Hello', '{A,b}');
-- a collation used by a column and a domain, an aggregate used by a view
CREATE COLLATION app.nocase (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
CREATE COLLATION app.c_copy (provider = libc, lc_collate = 'C', lc_ctype = 'C');
COMMENT ON COLLATION app.nocase IS 'case-insensitive';
CREATE DOMAIN app.ci_text AS text COLLATE app.nocase;
CREATE TABLE app.tags (name text COLLATE app.nocase PRIMARY KEY, label app.ci_text, code text COLLATE app.c_copy);
INSERT INTO app.tags VALUES ('Red', 'X', 'a'), ('blue', 'y', 'B');
CREATE FUNCTION app.concat_sfunc(acc text, v text) RETURNS text LANGUAGE sql IMMUTABLE
    AS 'SELECT CASE WHEN acc IS NULL THEN v ELSE acc || '','' || v END';
CREATE AGGREGATE app.concat_all(text) (SFUNC = app.concat_sfunc, STYPE = text, INITCOND = '');
CREATE AGGREGATE app.int_sum(integer) (SFUNC = int4pl, STYPE = integer, COMBINEFUNC = int4pl,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE app.int_sum(integer) IS 'sums';
CREATE VIEW app.tag_list AS SELECT app.concat_all(name ORDER BY name) AS names,
    app.int_sum(length(name)) AS total FROM app.tags;
