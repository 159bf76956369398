package io.pgrunbooks.workflows.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class RunbookSearchAttributesTest {

  @Test
  void theFileTheScriptsRegisterMatchesTheKeysTheCodeUses() throws Exception {
    Properties file = new Properties();
    try (InputStream in = getClass().getResourceAsStream("/search-attributes.properties")) {
      file.load(in);
    }
    Map<String, String> fromFile =
        file.stringPropertyNames().stream().collect(Collectors.toMap(k -> k, file::getProperty));
    assertThat(fromFile).isEqualTo(RunbookSearchAttributes.ALL);
  }
}
