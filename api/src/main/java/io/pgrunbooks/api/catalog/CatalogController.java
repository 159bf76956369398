package io.pgrunbooks.api.catalog;

import io.pgrunbooks.api.targets.KnownTargets;
import io.pgrunbooks.workflows.catalog.RunbookCatalog;
import io.pgrunbooks.workflows.catalog.RunbookDescriptor;
import io.swagger.v3.oas.annotations.Operation;
import java.util.List;
import java.util.Set;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api")
class CatalogController {
  private final KnownTargets targets;

  CatalogController(KnownTargets targets) {
    this.targets = targets;
  }

  @Operation(summary = "The runbooks on offer (viewer)")
  @GetMapping("/runbooks")
  List<RunbookDescriptor> runbooks() {
    return RunbookCatalog.ALL;
  }

  @Operation(summary = "The configured targets' names (viewer)")
  @GetMapping("/targets")
  Set<String> targets() {
    return targets.names();
  }
}
