package io.pgrunbooks.api.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.TreeMap;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/** The API's own endpoints as Spring MVC maps them, as "METHOD /path" with OpenAPI's "{name}" parameters. */
final class Endpoints {
  private Endpoints() {}

  static Map<String, HandlerMethod> of(RequestMappingHandlerMapping mappings) {
    Map<String, HandlerMethod> real = new TreeMap<>();
    for (Map.Entry<RequestMappingInfo, HandlerMethod> e : mappings.getHandlerMethods().entrySet()) {
      if (!e.getValue().getBeanType().getPackageName().startsWith("io.pgrunbooks.api")) {
        continue; // springdoc's own document endpoint, Spring's /error
      }
      RequestMappingInfo info = e.getKey();
      assertThat(info.getMethodsCondition().getMethods()).as("%s maps every method", info).isNotEmpty();
      for (String pattern : info.getPathPatternsCondition().getPatternValues()) {
        for (var method : info.getMethodsCondition().getMethods()) {
          // "{*id}" captures the rest of the path; OpenAPI writes it as the parameter "{id}".
          real.put(method.name() + " " + pattern.replace("{*", "{"), e.getValue());
        }
      }
    }
    return real;
  }
}
