package io.federa.flow.job;

/** One party's part of a registered model: which job and component made it, and its file. */
public record ModelPart(
    String modelId,
    String modelVersion,
    String jobId,
    String component,
    int partyId,
    String role,
    String module,
    String file,
    String createdAt,
    boolean deployed) {}
