package io.federa.federation;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import java.util.Objects;

/**
 * Names a message within a job, so that a protocol reads like its paper: {@code (job, component,
 * tag)}, e.g. {@code ("202611240001", "hetero_lr_0", "iter-3/encrypted_residual")}.
 */
public record MessageKey(String jobId, String component, String tag) {
  public MessageKey {
    Objects.requireNonNull(jobId, "jobId");
    Objects.requireNonNull(component, "component");
    Objects.requireNonNull(tag, "tag");
    if (jobId.isBlank()) {
      throw new FederaException(ErrorCode.INVALID_ARGUMENT, "a message key needs a job id");
    }
  }

  public static MessageKey of(String jobId, String component, String tag) {
    return new MessageKey(jobId, component, tag);
  }

  /** The same job and component with another tag. */
  public MessageKey withTag(String newTag) {
    return new MessageKey(jobId, component, newTag);
  }

  /** Component and tag as one string on the wire. */
  String wireKey() {
    return component + "\u001f" + tag;
  }

  static MessageKey fromWire(String jobId, String wireKey) {
    int at = wireKey.indexOf('\u001f');
    if (at < 0) {
      throw new FederaException(ErrorCode.INVALID_INPUT, "malformed message key on the wire");
    }
    return new MessageKey(jobId, wireKey.substring(0, at), wireKey.substring(at + 1));
  }

  @Override
  public String toString() {
    return jobId + "/" + component + "/" + tag;
  }
}
