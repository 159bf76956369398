package io.pgrunbooks.api.approvals;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The documented decision body (DecisionFields) has exactly the fields the controller accepts. */
class DecisionFieldsTest {
  @Test
  void theSchemaRecordHasTheParsersFields() {
    assertThat(Arrays.stream(DecisionFields.class.getRecordComponents()).map(RecordComponent::getName))
        .containsExactlyElementsOf(DecisionRequest.FIELDS);
  }
}
