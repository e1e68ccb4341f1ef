package io.federa.flow.serving;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.flow.component.PartyModel;
import io.federa.ml.hetero.LrScores;
import io.federa.ml.secureboost.Routing;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The services a host answers — at its node ({@link ServingHost}) or at one of its serving
 * instances ({@link ServingInstance}) — and the answer itself: the partial scores (hetero LR) or
 * split decisions (SecureBoost) of the rows its guest asks about by id, from its feature store.
 * Only the guest that deployed a service is answered.
 */
final class HostedServices {
  /** A service this host serves: its guest, feature store and loaded versions. */
  record Hosted(int guest, String modelId, FeatureSource index, Map<String, Servable> versions) {}

  private final int self;
  private final ServingMetrics metrics;
  private final Map<String, Hosted> services = new ConcurrentHashMap<>();

  HostedServices(int self, ServingMetrics metrics) {
    this.self = self;
    this.metrics = metrics;
  }

  Hosted get(String service) {
    return services.get(service);
  }

  void put(String service, Hosted hosted) {
    services.put(service, hosted);
  }

  Hosted remove(String service) {
    return services.remove(service);
  }

  Map<String, Hosted> all() {
    return Map.copyOf(services);
  }

  /** This host's partial scores of the rows the guest {@code from} asks about. */
  ServingMessages.Partials score(int from, ServingMessages.Score q) {
    long start = System.nanoTime();
    var answer = answer(guestOf(from, q.service()), q.service(), q.modelVersion(), q.ids());
    metrics.hostAnswer(q.service(), System.nanoTime() - start);
    return answer;
  }

  /** The answer of {@code hosted}'s version {@code version} for {@code ids}. */
  ServingMessages.Partials answer(Hosted hosted, String service, String version, List<String> ids) {
    Servable servable = hosted.versions().get(version);
    if (servable == null) {
      throw new FederaException(
              ErrorCode.NOT_FOUND,
              "party "
                  + self
                  + " has not loaded version "
                  + version
                  + " of service "
                  + service
                  + "; deploy it again")
          .shareable();
    }
    FeatureSource.Lookup found = hosted.index().lookup(ids);
    List<String> stored = hosted.index().features();
    double[][] raw = new double[servable.inputs().size()][];
    for (int j = 0; j < raw.length; j++) {
      raw[j] = found.columns()[stored.indexOf(servable.inputs().get(j))];
    }
    var rows = servable.prepare(ids.toArray(new String[0]), raw);
    return servable.model() instanceof PartyModel.SecureBoostHost tree
        ? new ServingMessages.Partials(
            null, found.missing(), Routing.hostDecisions(tree.model(), rows))
        : new ServingMessages.Partials(
            LrScores.hostPartials(rows, ((PartyModel.HeteroLrHost) servable.model()).model()),
            found.missing(),
            null);
  }

  /** The service {@code service} as served for guest {@code from}, or the refusal. */
  Hosted guestOf(int from, String service) {
    Hosted hosted = services.get(service);
    if (hosted == null) {
      throw new FederaException(
              ErrorCode.NOT_FOUND,
              "service " + service + " is not deployed at party " + self + "; deploy it again")
          .shareable();
    }
    if (hosted.guest() != from) {
      throw new FederaException(
              ErrorCode.INVALID_ARGUMENT,
              "service " + service + " at party " + self + " answers its guest only")
          .shareable();
    }
    return hosted;
  }
}
