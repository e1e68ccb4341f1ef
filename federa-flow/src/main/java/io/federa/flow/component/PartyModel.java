package io.federa.flow.component;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;

/**
 * A party's part of a trained component: what only this party holds, stored as JSON in its model
 * file with its {@code kind} ({@code ModelRegistry}). One record per kind of part.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
  @JsonSubTypes.Type(value = PartyModel.Scale.class, name = "scale"),
  @JsonSubTypes.Type(value = PartyModel.HeteroLrGuest.class, name = "hetero_lr_guest"),
  @JsonSubTypes.Type(value = PartyModel.HeteroLrHost.class, name = "hetero_lr_host"),
  @JsonSubTypes.Type(value = PartyModel.Homo.class, name = "homo")
})
public sealed interface PartyModel {
  /** FeatureScale's statistics of this party's columns: {@code (x − shift) / scale}. */
  record Scale(String method, List<String> features, double[] shift, double[] scale)
      implements PartyModel {}

  /** The guest's hetero LR: per class model, its feature weights and the intercept. */
  record HeteroLrGuest(
      double[] classes, List<String> features, double[][] weights, double[] intercepts)
      implements PartyModel {}

  /** A host's hetero LR: per class model, its own feature weights. */
  record HeteroLrHost(List<String> features, double[][] weights) implements PartyModel {}

  /** The horizontal model every party holds alike: the network's layer sizes and parameters. */
  record Homo(int[] layers, double[] classes, double[] weights) implements PartyModel {}
}
