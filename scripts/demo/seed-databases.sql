-- The seed runbook's five application databases with a little sample data, so that the runbooks
-- (assessment now; backups, restores and their row-count checks later) have something real to work on.
-- Run with psql against the demo cluster's "postgres" database; idempotent.
SELECT 'CREATE DATABASE ' || quote_ident(d)
  FROM unnest(ARRAY['link_users','link_chat','link_ai','link_discovery','link_search']) AS d
 WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = d)
\gexec

\connect link_users
CREATE TABLE IF NOT EXISTS users (
  id         bigserial PRIMARY KEY,
  email      text NOT NULL UNIQUE,
  name       text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO users (email, name, created_at)
SELECT 'user' || g || '@example.com', 'User ' || g, now() - (g || ' minutes')::interval
  FROM generate_series(1, 5000) g
ON CONFLICT (email) DO NOTHING;

\connect link_chat
CREATE TABLE IF NOT EXISTS messages (
  id         bigserial PRIMARY KEY,
  user_id    bigint NOT NULL,
  body       text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO messages (user_id, body, created_at)
SELECT 1 + g % 5000, 'message ' || g, now() - (g || ' seconds')::interval
  FROM generate_series(1, 20000) g
 WHERE NOT EXISTS (SELECT 1 FROM messages LIMIT 1);

\connect link_ai
CREATE TABLE IF NOT EXISTS conversations (
  id         bigserial PRIMARY KEY,
  user_id    bigint NOT NULL,
  prompt     text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO conversations (user_id, prompt)
SELECT 1 + g % 5000, 'prompt ' || g FROM generate_series(1, 2000) g
 WHERE NOT EXISTS (SELECT 1 FROM conversations LIMIT 1);

\connect link_discovery
CREATE TABLE IF NOT EXISTS profiles (
  user_id    bigint PRIMARY KEY,
  interests  text[] NOT NULL DEFAULT '{}',
  updated_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO profiles (user_id, interests)
SELECT g, ARRAY['topic' || (g % 17), 'topic' || (g % 23)] FROM generate_series(1, 5000) g
ON CONFLICT DO NOTHING;

\connect link_search
CREATE TABLE IF NOT EXISTS documents (
  id         bigserial PRIMARY KEY,
  title      text NOT NULL,
  body       tsvector NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO documents (title, body)
SELECT 'doc ' || g, to_tsvector('english', 'sample document number ' || g) FROM generate_series(1, 3000) g
 WHERE NOT EXISTS (SELECT 1 FROM documents LIMIT 1);
