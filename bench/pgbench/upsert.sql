-- pgbench baseline for the PostgreSQL store: one single-row upsert per transaction (autocommit,
-- synchronous_commit on), into a table shaped like metagate's, spread over 1000 users x 10 keys.
\set u random(1, 1000)
\set k random(0, 9)
\set v random(1, 99)
INSERT INTO bench_metadata (org_id, user_id, key, value, sequence, creation_micros, change_micros)
  VALUES ('bench-org', 'u' || :u, 'key-' || :k, convert_to('v00000' || :v, 'UTF8'), 1, 0, 0)
  ON CONFLICT (org_id, user_id, key) DO UPDATE
  SET value = excluded.value, sequence = bench_metadata.sequence + 1, change_micros = excluded.change_micros;
