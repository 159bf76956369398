package io.pgrunbooks.activities.backupfailure;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgrunbooks.activities.host.OsCommand;
import io.pgrunbooks.activities.serverfiles.PodShell;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * listen_addresses from the configuration in the primary pod (the seed's grep), over a scripted exec:
 * fabric8's CRUD mock serves no exec. The host's {@code postgres -C} runs for real in
 * RespondToBackupFailureAgainstRealPostgresTest.
 */
class ConfiguredListenAddressesTest {
  private final List<List<String>> commands = new ArrayList<>();

  private ConfiguredListenAddresses answering(OsCommand.Result result) {
    return new ConfiguredListenAddresses(new PodShell((placement, command) -> {
      commands.add(command);
      return result;
    }));
  }

  @Test
  void theLaterOfPostgresqlConfAndAutoConfWins() {
    String out = "listen_addresses = 'localhost'\t\t# what IP address(es) to listen on;\nlisten_addresses = '*'\n";

    assertThat(answering(new OsCommand.Result(0, out, "")).of(PrimaryStatefulSetTest.BY_SERVICE)).isEqualTo("*");
    assertThat(commands).containsExactly(List.of("grep", "-h", "-E", "^[[:space:]]*listen_addresses[[:space:]]*=",
        "/var/lib/postgresql/data/postgresql.conf", "/var/lib/postgresql/data/postgresql.auto.conf"));
  }

  @Test
  void noLineSettingItIsTheDefaultLocalhost() {
    assertThat(answering(new OsCommand.Result(1, "", "")).of(PrimaryStatefulSetTest.BY_SERVICE)).isEqualTo("localhost");
  }

  @Test
  void aPodThatCannotBeExecedIntoOrUnreadableFilesSayNothing() {
    var notRunning = new ConfiguredListenAddresses(new PodShell((placement, command) -> {
      throw new IllegalStateException("pod link-services/postgres-primary-0 is not running");
    }));
    assertThat(notRunning.of(PrimaryStatefulSetTest.BY_SERVICE)).isNull();
    assertThat(answering(new OsCommand.Result(2, "", "grep: postgresql.conf: No such file")).of(PrimaryStatefulSetTest.BY_SERVICE))
        .isNull();
    commands.clear();
    assertThat(answering(new OsCommand.Result(0, "", "")).of(PrimaryStatefulSetTest.target("127.0.0.1", "Bad_Ns", "postgres-primary-0")))
        .isNull();
    assertThat(commands).as("an invalid namespace never reaches the exec").isEmpty();
  }

  @Test
  void valuesAreReadAsTheServerReadsThem() {
    assertThat(ConfiguredListenAddresses.value("listen_addresses='10.0.0.5,127.0.0.1' # pod and local")).isEqualTo("10.0.0.5,127.0.0.1");
    assertThat(ConfiguredListenAddresses.value("  listen_addresses = * # unquoted")).isEqualTo("*");
    assertThat(ConfiguredListenAddresses.value("listen_addresses = ''")).isEmpty();
  }
}
