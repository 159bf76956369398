package io.pgrunbooks.activities.pitr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code pgbackrest info --output=json} says about one stanza.
 *
 * @param name the stanza
 * @param status pgBackRest's status message ({@code ok} when usable)
 * @param currentDbId id of the stanza's current database (a stanza-upgrade or a new cluster adds one)
 * @param backups every backup, oldest first
 * @param archives the WAL archive's range per database id
 */
record StanzaInfo(String name, String status, int currentDbId, List<Backup> backups, List<Archive> archives) {

  /**
   * One backup.
   *
   * @param stop when pgBackRest finished it, in whole seconds
   * @param archiveStart the first WAL segment it needs
   * @param size its size once restored, bytes
   */
  record Backup(
      String label, String type, Instant start, Instant stop, String lsnStart, String lsnStop,
      String archiveStart, int dbId, boolean error, long size) {}

  /** The archived WAL of one database id: its oldest and newest segment. */
  record Archive(String id, int dbId, String min, String max) {}

  /** The archive of the current database, or null when it has none. */
  Archive currentArchive() {
    return archives.stream().filter(a -> a.dbId() == currentDbId && a.max() != null).findFirst().orElse(null);
  }

  static StanzaInfo parse(String json, String stanza) throws IOException {
    JsonNode all = new ObjectMapper().readTree(json);
    JsonNode s = null;
    for (JsonNode candidate : all) {
      if (stanza.equals(candidate.path("name").asText())) {
        s = candidate;
      }
    }
    if (s == null) {
      throw new IOException("pgbackrest info has no stanza " + stanza);
    }
    int current = 0;
    for (JsonNode db : s.path("db")) {
      current = Math.max(current, db.path("id").asInt());
    }
    List<Backup> backups = new ArrayList<>();
    for (JsonNode b : s.path("backup")) {
      backups.add(
          new Backup(
              b.path("label").asText(), b.path("type").asText(),
              Instant.ofEpochSecond(b.path("timestamp").path("start").asLong()),
              Instant.ofEpochSecond(b.path("timestamp").path("stop").asLong()),
              b.path("lsn").path("start").asText(null), b.path("lsn").path("stop").asText(null),
              b.path("archive").path("start").asText(null), b.path("database").path("id").asInt(),
              b.path("error").asBoolean(false), b.path("info").path("size").asLong()));
    }
    List<Archive> archives = new ArrayList<>();
    for (JsonNode a : s.path("archive")) {
      archives.add(
          new Archive(a.path("id").asText(), a.path("database").path("id").asInt(),
              a.path("min").asText(null), a.path("max").asText(null)));
    }
    return new StanzaInfo(stanza, s.path("status").path("message").asText("unknown"), current, backups, archives);
  }
}
