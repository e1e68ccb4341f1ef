package io.federa.flow.node;

/**
 * A control call between nodes ({@link ControlChannel}): its name on the wire and the types of its
 * request and reply, records encoded as JSON. Both sides name the same constant.
 */
public record ControlService<Q, R>(String name, Class<Q> request, Class<R> reply) {}
