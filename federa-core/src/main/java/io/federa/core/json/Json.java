package io.federa.core.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import java.io.IOException;

/**
 * Federa's one JSON codec: records in and out with snake_case keys ({@code jobId} is written {@code
 * job_id}), unknown keys ignored on read. Control messages between nodes, HTTP bodies, {@code
 * --json} output and stored documents all go through it, so a key is spelt the same everywhere.
 */
public final class Json {
  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private Json() {}

  /** The mapper itself, for trees and streaming. */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  public static byte[] bytes(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new FederaException(ErrorCode.INTERNAL, "cannot write JSON: " + e.getMessage(), e);
    }
  }

  public static String text(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new FederaException(ErrorCode.INTERNAL, "cannot write JSON: " + e.getMessage(), e);
    }
  }

  /** Reads {@code body} as a {@code type}; a body that does not fit is a protocol error. */
  public static <T> T read(byte[] body, Class<T> type, String what) {
    try {
      T value = MAPPER.readValue(body, type);
      if (value == null) {
        throw new FederaException(ErrorCode.PROTOCOL, what + " is empty");
      }
      return value;
    } catch (IOException e) {
      if (e.getCause() instanceof FederaException f) {
        throw f; // a record's own check (an invalid id), with its own code and words
      }
      throw new FederaException(
          ErrorCode.PROTOCOL, what + " is not a valid " + type.getSimpleName() + ": " + e, e);
    }
  }

  public static JsonNode tree(byte[] body, String what) {
    try {
      return MAPPER.readTree(body);
    } catch (IOException e) {
      throw new FederaException(ErrorCode.PROTOCOL, what + " is not JSON: " + e.getMessage(), e);
    }
  }

  public static JsonNode tree(Object value) {
    return MAPPER.valueToTree(value);
  }
}
