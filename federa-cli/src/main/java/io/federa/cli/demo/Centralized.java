package io.federa.cli.demo;

/**
 * The centralized baseline a federated run is held against: the model, its metrics on the same rows
 * (AUC and KS for a binary label, accuracy otherwise), how long it took and how many rows it saw.
 */
public record Centralized(
    String model, Double auc, Double ks, Double accuracy, double seconds, int joinedRows) {}
