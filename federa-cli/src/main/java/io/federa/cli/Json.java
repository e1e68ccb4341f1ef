package io.federa.cli;

import com.fasterxml.jackson.databind.ObjectMapper;

/** The CLI's JSON: Federa's one codec ({@link io.federa.core.json.Json}, snake_case keys). */
public final class Json {
  private Json() {}

  public static String write(Object value) {
    return io.federa.core.json.Json.text(value);
  }

  public static ObjectMapper mapper() {
    return io.federa.core.json.Json.mapper();
  }
}
