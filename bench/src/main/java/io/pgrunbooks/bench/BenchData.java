package io.pgrunbooks.bench;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The database the backup benchmark dumps: an application's data, not blank pages. Users (names,
 * emails, timestamps, numeric balances), messages (subjects and bodies of words drawn with a skewed
 * frequency from a made-up vocabulary of 4,000 words, some with md5 reference tokens), events (a jsonb payload
 * per row) and orders (numeric amounts), with their indexes; about 1.4 GB by pg_database_size.
 * Generated with generate_series in SQL (deterministic hashes and a seeded random()), once: a
 * marker row says which generation the database holds, so later runs skip it.
 */
final class BenchData {
  static final String DATABASE = "bench_app";

  /** Bump when the SQL below changes: the cached database is then generated again. */
  private static final int GENERATION = 1;

  private static final String FIRST_NAMES =
      "array['James','Mary','Robert','Patricia','John','Jennifer','Michael','Linda','David','Elizabeth','William',"
          + "'Barbara','Richard','Susan','Joseph','Jessica','Thomas','Sarah','Carlos','Karen','Ana','Lucía','Mateo',"
          + "'Sofía','Lukas','Emma','Noah','Mia','Hiroshi','Yuki','Wei','Li','Aarav','Priya','Olumide','Amara',"
          + "'Ivan','Olga','Pierre','Camille']";
  private static final String LAST_NAMES =
      "array['Smith','Johnson','Williams','Brown','Jones','Garcia','Miller','Davis','Rodriguez','Martinez',"
          + "'Hernandez','Lopez','Gonzalez','Wilson','Anderson','Thomas','Taylor','Moore','Jackson','Martin','Lee',"
          + "'Perez','Thompson','White','Harris','Sanchez','Clark','Ramirez','Lewis','Robinson','Müller','Schmidt',"
          + "'Schneider','Fischer','Tanaka','Suzuki','Wang','Zhang','Okafor','Novak']";
  private static final String SYLLABLES =
      "array['ka','lo','mi','ne','ru','sa','ti','vo','be','da','fe','gi','ho','ju','ke','la','mo','nu','pa','re',"
          + "'si','to','va','ze','an','el','in','or','us','ith','ong','ers','ian','ell','ack','ump','str','pl','qu','ow']";

  private BenchData() {}

  /** Generates the database unless the cluster already holds this generation of it. */
  static void ensure(BenchCluster cluster) throws Exception {
    if (generated(cluster)) {
      BenchStack.log("database " + DATABASE + " is cached (generation " + GENERATION + "), not generated again");
      return;
    }
    long t = System.nanoTime();
    BenchStack.log("generating database " + DATABASE + " (about 1.4 GB; a few minutes, first run only)");
    cluster.execute("postgres", "drop database if exists " + DATABASE, "create database " + DATABASE);
    cluster.execute(DATABASE, vocabulary());
    // Two connections: the messages on one, everything else on the other (2 cores).
    CompletableFuture<Void> messages = CompletableFuture.runAsync(() -> cluster.execute(DATABASE, messages()));
    cluster.execute(DATABASE, users());
    cluster.execute(DATABASE, events());
    cluster.execute(DATABASE, orders());
    messages.join();
    BenchStack.log(String.format("rows in after %.0f s; indexes, vacuum freeze", (System.nanoTime() - t) / 1e9));
    CompletableFuture<Void> messageIndexes =
        CompletableFuture.runAsync(
            () -> cluster.execute(DATABASE,
                "alter table messages add primary key (id)",
                "create index messages_user_sent on messages (user_id, sent_at)",
                "create index messages_sent on messages (sent_at)"));
    cluster.execute(DATABASE,
        "alter table users add primary key (id)",
        "create unique index users_email on users (email)",
        "create index users_last_name on users (last_name, first_name)",
        "alter table events add primary key (id)",
        "create index events_user_time on events (user_id, created_at)",
        "alter table orders add primary key (id)",
        "create index orders_user on orders (user_id)");
    messageIndexes.join();
    // Frozen, hinted and analyzed: no dump sets hint bits (writes) on the pages it reads.
    cluster.execute(DATABASE, "vacuum (freeze, analyze)", "checkpoint");
    cluster.execute(DATABASE,
        "create table bench_generation (generation int not null, generated_at timestamptz not null default now())",
        "insert into bench_generation (generation) values (" + GENERATION + ")",
        "checkpoint");
    BenchStack.log(String.format("generated in %.0f s", (System.nanoTime() - t) / 1e9));
  }

  private static boolean generated(BenchCluster cluster) throws SQLException {
    try (Connection c = cluster.connect("postgres");
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("select 1 from pg_database where datname = '" + DATABASE + "'")) {
      if (!rs.next()) {
        return false;
      }
    }
    try (Connection c = cluster.connect(DATABASE);
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "select exists (select 1 from pg_tables where tablename = 'bench_generation')"
                    + " and exists (select 1 from pg_class where relname = 'messages_sent')")) {
      rs.next();
      if (!rs.getBoolean(1)) {
        return false;
      }
    }
    try (Connection c = cluster.connect(DATABASE);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("select max(generation) from bench_generation")) {
      return rs.next() && rs.getInt(1) == GENERATION;
    }
  }

  /**
   * Word number k (0 to 3999) of a made-up vocabulary: two or three syllables chosen by k. An
   * inlinable SQL function over a 40-element array constant: cheap per word, unlike a 4,000-element
   * array read from a table, which is detoasted and searched on every subscript.
   */
  private static String[] vocabulary() {
    return new String[] {
      "create function bench_word(k int) returns text language sql immutable as $$"
          + " select (" + SYLLABLES + ")[1 + k % 40] || (" + SYLLABLES + ")[1 + (k / 40) % 40]"
          + " || case when k % 3 = 0 then (" + SYLLABLES + ")[1 + (k / 7) % 40] else '' end $$"
    };
  }

  /** Bodies of 8 to 60 words, frequent words far more common (word number 4000 * random()^3). */
  private static String[] messages() {
    return new String[] {
      "select setseed(0.17)",
      "create table messages (id bigint not null, user_id bigint not null, sent_at timestamptz not null,"
          + " subject text not null, body text not null, score numeric(5,2), flags int not null)",
      "insert into messages"
          + " select g, 1 + abs(hashint8(g)) % 1000000,"
          + "  timestamptz '2019-01-01 00:00+00' + g * interval '37 seconds' + random() * interval '30 minutes',"
          + "  initcap((select string_agg(bench_word(floor(4000 * random() ^ 3)::int), ' ')"
          + "           from generate_series(1, 3 + g % 5))),"
          + "  (select string_agg(bench_word(floor(4000 * random() ^ 3)::int), ' ')"
          + "     from generate_series(1, 8 + (abs(hashint8(g * 7)) % 53)))"
          + "   || case when g % 5 = 0 then ' ref:' || md5(g::text) else '' end"
          + "   || case when g % 11 = 0 then '. Sent from ' || (array['my phone','the web app','Outlook','a tablet'])[1 + g % 4] else '.' end,"
          + "  case when g % 3 = 0 then null else round((random() * 100)::numeric, 2) end,"
          + "  (abs(hashint8(g * 3)) % 16)::int"
          + " from generate_series(1, 1800000) g"
    };
  }

  private static String[] users() {
    return new String[] {
      "select setseed(0.23)",
      "create table users (id bigint not null, email text not null, first_name text not null,"
          + " last_name text not null, country char(2) not null, created_at timestamptz not null,"
          + " last_login_at timestamptz, status text not null, balance numeric(12,2) not null,"
          + " login_count int not null, marketing_opt_in boolean not null)",
      "insert into users"
          + " select g, lower(fn) || '.' || lower(ln) || g || '@'"
          + "          || (array['example.com','mail.example.org','corp.example.net','inbox.test','example.de'])[1 + g % 5],"
          + "   fn, ln, (array['US','DE','FR','ES','GB','JP','CN','IN','NG','BR','MX','PL'])[1 + (g / 7) % 12],"
          + "   created, case when g % 9 = 0 then null else created + random() * interval '900 days' end,"
          + "   (array['active','active','active','active','suspended','pending','deleted'])[1 + abs(hashint8(g)) % 7],"
          + "   round((random() * 10000 - 500)::numeric, 2), (random() * 2000)::int, g % 4 = 0"
          + " from (select g,"
          + "         (" + FIRST_NAMES + ")[1 + abs(hashint8(g + 11)) % 40] fn,"
          + "         (" + LAST_NAMES + ")[1 + abs(hashint8(g + 13)) % 40] ln,"
          + "         timestamptz '2016-01-01 00:00+00' + g * interval '2 minutes' + (g % 97) * interval '1 second' created"
          + "       from generate_series(1, 1000000) g) s"
    };
  }

  private static String[] events() {
    return new String[] {
      "select setseed(0.31)",
      "create table events (id bigint not null, user_id bigint not null, kind text not null,"
          + " created_at timestamptz not null, payload jsonb not null)",
      "insert into events"
          + " select g, 1 + abs(hashint8(g + 5)) % 1000000,"
          + "  (array['login','logout','page_view','page_view','page_view','search','purchase','api_call'])[1 + g % 8],"
          + "  timestamptz '2022-01-01 00:00+00' + g * interval '19 seconds',"
          + "  jsonb_build_object("
          + "    'ip', '10.' || (g % 250) || '.' || ((g / 250) % 250) || '.' || (abs(hashint8(g)) % 250),"
          + "    'agent', (array['Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0','Mozilla/5.0 (iPhone; CPU iPhone OS 17_5)',"
          + "               'okhttp/4.12.0','curl/8.5.0','Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/126.0'])[1 + abs(hashint8(g * 3)) % 5],"
          + "    'path', '/api/v1/' || bench_word((abs(hashint8(g)) % 4000)::int) || '/' || (g % 1000),"
          + "    'status', (array[200,200,200,200,201,204,301,404,500])[1 + abs(hashint8(g * 5)) % 9],"
          + "    'duration_ms', round((random() * 800)::numeric, 1),"
          + "    'session', substr(md5((g / 20)::text), 1, 16),"
          + "    'tags', jsonb_build_array(bench_word(floor(4000 * random() ^ 3)::int), bench_word(floor(4000 * random() ^ 3)::int)))"
          + " from generate_series(1, 900000) g"
    };
  }

  private static String[] orders() {
    return new String[] {
      "select setseed(0.37)",
      "create table orders (id bigint not null, user_id bigint not null, created_at timestamptz not null,"
          + " status text not null, currency char(3) not null, quantity int not null, unit_price numeric(10,4) not null,"
          + " amount numeric(12,2) not null, tax numeric(12,2) not null, discount numeric(5,2))",
      "insert into orders"
          + " select g, 1 + abs(hashint8(g + 7)) % 1000000, timestamptz '2020-06-01 00:00+00' + g * interval '41 seconds',"
          + "  (array['paid','paid','paid','shipped','refunded','cancelled'])[1 + g % 6],"
          + "  (array['USD','EUR','EUR','GBP','JPY'])[1 + (g / 3) % 5], q, p, round(q * p, 2), round(q * p * 0.19, 2),"
          + "  case when g % 4 = 0 then round((random() * 30)::numeric, 2) end"
          + " from (select g, 1 + (abs(hashint8(g)) % 9)::int q, round((random() * 250 + 0.5)::numeric, 4) p"
          + "       from generate_series(1, 1000000) g) s"
    };
  }

  /** What the report says about the database: pg_database_size and each table's rows and size. */
  record Description(long databaseBytes, List<String> tables) {}

  static Description describe(BenchCluster cluster) throws SQLException {
    try (Connection c = cluster.connect(DATABASE);
        Statement st = c.createStatement()) {
      long size;
      try (ResultSet rs = st.executeQuery("select pg_database_size(current_database())")) {
        rs.next();
        size = rs.getLong(1);
      }
      List<String> tables = new ArrayList<>();
      try (ResultSet rs =
          st.executeQuery(
              "select c.relname, c.reltuples::bigint, pg_table_size(c.oid), pg_indexes_size(c.oid)"
                  + " from pg_class c join pg_namespace n on n.oid = c.relnamespace"
                  + " where n.nspname = 'public' and c.relkind = 'r' and c.relname <> 'bench_generation' order by pg_total_relation_size(c.oid) desc")) {
        while (rs.next()) {
          tables.add(String.format(java.util.Locale.ROOT, "%s (%,d rows, %s + %s indexes)",
              rs.getString(1), rs.getLong(2), BackupReport.mib(rs.getLong(3)), BackupReport.mib(rs.getLong(4))));
        }
      }
      return new Description(size, tables);
    }
  }
}
