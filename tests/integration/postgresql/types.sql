-- types.sql: every type the PostgreSQL adapter maps, with edge values.
-- Loaded by pg_roundtrip.sh into a fresh database; dumped, restored and compared.
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy', 'it''s "quoted"');
CREATE DOMAIN posint AS integer CHECK (VALUE > 0);
CREATE DOMAIN email AS text COLLATE "C" NOT NULL CHECK (VALUE LIKE '%@%');
CREATE DOMAIN money2 AS numeric(12,2) DEFAULT 0;
CREATE TYPE pair AS (a integer, b text);
CREATE TYPE floatrange AS RANGE (subtype = float8, subtype_diff = float8mi);

CREATE TABLE t_types (
    id integer PRIMARY KEY,
    b boolean,
    i2 smallint, i4 integer, i8 bigint,
    f4 real, f8 double precision,
    n numeric, n102 numeric(10,2), n40 numeric(60,20),
    vc varchar(20), ch char(5), tx text, nm name,
    by bytea,
    d date, t time, t3 time(3), ttz timetz,
    ts timestamp, ts0 timestamp(0), tstz timestamptz, tstz2 timestamptz(2),
    iv interval, ivd interval day to second(3),
    u uuid, j json, jb jsonb,
    ine inet, ci cidr, mac macaddr, mac8 macaddr8,
    m mood, p posint, e email DEFAULT 'x@y', mo money2,
    bits bit(5), vbits varbit(10), mny money, xm xml, tsv tsvector, pt point,
    pr pair, fr floatrange, i4r int4range, ch1 "char", o oid,
    ai int[], ai2 integer[][], at text[], an numeric[], ats timestamptz[], ab bool[],
    au uuid[], aj jsonb[], am mood[], ainet inet[], ad posint[], aby bytea[], aiv interval[],
    af8 float8[]
);

INSERT INTO t_types (id) VALUES (0);  -- all NULL
INSERT INTO t_types VALUES (
    1, true, -32768, -2147483648, -9223372036854775808,
    'NaN', 'NaN', 'NaN', 0.00, -12345678901234567890123456789012345678.12345678901234567890,
    'héllo', 'ab', E'tab\there\nnewline\\backslash\rcr', 'a name',
    '', '4713-01-01 BC', '00:00:00', '23:59:59.999', '00:00:00+14:59',
    '4713-01-01 00:00:00 BC', '0001-01-01 00:00:00', '4714-11-24 00:00:00+00 BC', '0001-01-01 00:00:00+00',
    '1 year 2 mons 3 days 04:05:06.789012', '-3 days -00:00:00.001',
    '00000000-0000-0000-0000-000000000000', '{"a": [1, 2.50, "x"], "a": 1}', '{"b": null, "a": [1, 2.50]}',
    '::1', '10.0.0.0/8', '08:00:2b:01:02:03', '08:00:2b:01:02:03:04:05',
    'sad', 1, 'a@b', 12.34,
    B'10101', B'1', '-92233720368547758.08', '<a>x</a>', 'a fat cat', '(1.5,-2)',
    ROW(1, 'x,"y"'), '[1.5,2.5)', '[1,10)', 'a', 4294967295,
    '{}', '{{1,2},{3,NULL}}', '{"a","b,c","d\"e","NULL",NULL,""}', '{1.5,NaN,-0}',
    '{"2020-01-01 10:00:00+00","infinity"}', '{t,f,NULL}',
    '{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}', ARRAY['{"k": 1}'::jsonb, NULL],
    '{happy,ok}', '{127.0.0.1,::ffff:1.2.3.4/128}', '{1,2}', ARRAY['\x00ff'::bytea, ''::bytea],
    ARRAY['1 mon'::interval, '-1 days'::interval], '{Infinity,-Infinity,-0,5e-324}'
);
INSERT INTO t_types VALUES (
    2, false, 32767, 2147483647, 9223372036854775807,
    'Infinity', '-Infinity', 'Infinity', -99999999.99, 99999999999999999999999999999999999999.99999999999999999999,
    '', '', '', '',
    '\x00010203fffe', '5874897-12-31', '24:00:00', '12:34:56.7', '23:59:59.999999-15:59',
    '294276-12-31 23:59:59.999999', '2000-02-29 12:00:00', '294276-12-31 23:59:59.999999+00', '2020-06-15 12:30:45.67+05:30',
    '-178000000 years', '1000000 days 23:59:59.999',
    'ffffffff-ffff-ffff-ffff-ffffffffffff', '[]', '[]',
    '192.168.1.1/24', '2001:db8::/32', 'ff:ff:ff:ff:ff:ff', 'ff:ff:ff:ff:ff:ff:ff:ff',
    'it''s "quoted"', 2147483647, 'z@z', -0.01,
    B'00000', B'', '0', '<?xml version="1.0"?><r/>', '', '(0,0)',
    ROW(NULL, NULL), 'empty', '(,)', E'\\', 0,
    '[-2:-1]={7,8}', '{{1},{2}}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}'
);
INSERT INTO t_types VALUES (
    3, NULL, 0, 0, 0,
    '-0', '-0', '-0.000', 0, 0.00000000000000000001,
    'x', 'x', 'Plane 0 é ÿ Ā 中 ｱ; plane 1 𝄞 😀 𐍈; plane 2 𠀀 𪛖; plane 3 𰀀; plane 14 󠀁; plane 15 󰀀; plane 16 􏿽', 'x',
    '\x5c00', 'infinity', '00:00:00.000001', NULL, '12:00:00-00:30',
    'infinity', '-infinity', '-infinity', 'infinity',
    '1 mon -2 days 00:00:00.000001', '0', 
    'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '"just a string"', '{"nested": {"deep": [true, false, null, 1e400]}}',
    '0.0.0.0/0', '0.0.0.0/0', '00:00:00:00:00:00', '00:00:00:00:00:00:00:00',
    'happy', 42, 'q@q', NULL,
    NULL, NULL, NULL, NULL, NULL, NULL,
    NULL, NULL, NULL, NULL, NULL,
    '{{{1,2},{3,4}},{{5,6},{7,8}}}', NULL, '{NULL}', '{NULL,NULL}', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
);
INSERT INTO t_types (id, f4, f8, n, tstz, ts, d) VALUES
    (4, 3.4028235e38, 1.7976931348623157e308, 1e-100, '2021-03-04 05:06:07.123456-08', '1999-12-31 23:59:59.999999', '0001-01-01 BC'),
    (5, 1.17549435e-38, 2.2250738585072014e-308, -1e100, '2021-03-04 05:06:07.5+09:30', '2000-01-01 00:00:00', '2000-01-01'),
    (6, 1.4e-45, 4.9406564584124654e-324, 123456789012345678901234567890123456789012345.678901234567890, '1970-01-01 00:00:00+00', '1970-01-01', '1970-01-01'),
    (7, 0.1, 0.1, 0.1, '2000-01-01 00:00:00+14', '0044-03-15 12:00:00 BC', '0044-03-15 BC');
-- 0-byte and 16 MiB random bytea
INSERT INTO t_types (id, by) VALUES (8, ''::bytea);
INSERT INTO t_types (id, by, tx) SELECT 9, decode(string_agg(lpad(to_hex((random() * 255)::int), 2, '0'), ''), 'hex'), repeat('long text ', 200000)
  FROM generate_series(1, 16 * 1024 * 1024);

-- The same values in a table without `native` columns: restored through binary COPY
-- (t_types, which has native columns, is restored through text COPY).
CREATE TABLE t_bin AS SELECT id, b, i2, i4, i8, f4, f8, n, n102, n40, vc, ch, tx, nm, by,
    d, t, t3, ttz, ts, ts0, tstz, tstz2, iv, ivd, u, j, jb, m, p, e, mo,
    ai, ai2, at, an, ats, ab, au, aj, am, ad, aby, aiv, af8 FROM t_types;
ALTER TABLE t_bin ADD PRIMARY KEY (id);
INSERT INTO t_bin (id, n, iv, ts, tstz, d, t, ttz, e) VALUES
    (100, '-0.0001', '-178956970 years -8 mons -2147483648 days -2562047788:00:54.775807', '4714-11-24 00:00:00 BC', '2000-01-01 00:00:00.000001+00', '2000-01-01', '24:00:00', '00:00:00+00:00:01', 'a@a'),
    (101, '1000000000000', '178956970 years 7 mons 2147483647 days 2562047788:00:54.775807', '1999-12-31 23:59:59.999999', '1999-12-31 23:59:59.999999+00', '1999-12-31', '00:00:00', '23:59:59.5-00:00:59', 'a@a'),
    (102, '9999.9999', '0.5 seconds', '0001-01-01 00:00:00 BC', '0001-12-31 23:59:59 BC', '0001-12-31 BC', '00:00:00.5', '12:00:00+15:59:59', 'a@a');
-- interval extremes through both COPY formats
INSERT INTO t_types (id, iv, e) VALUES (10, '-2562047788 hours -54.775808 secs', 'a@a'), (11, '2562047788:00:54.775807', 'a@a'),
    (12, '-1 mons +2 days -00:00:00.5', 'a@a');
INSERT INTO t_bin (id, iv, e) VALUES (10, '-2562047788 hours -54.775808 secs', 'a@a'), (11, '2562047788:00:54.775807', 'a@a');
-- large jsonb (over 1 MiB of text) through both COPY formats
INSERT INTO t_bin (id, jb, e) SELECT 13, jsonb_agg(i), 'a@a' FROM generate_series(1, 300000) i;
INSERT INTO t_types (id, jb, e) SELECT 13, jsonb_agg(i), 'a@a' FROM generate_series(1, 300000) i;
