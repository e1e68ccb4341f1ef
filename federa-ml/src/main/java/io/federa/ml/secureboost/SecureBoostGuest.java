package io.federa.ml.secureboost;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.core.compute.ComputingEngine;
import io.federa.core.table.Table;
import io.federa.crypto.he.Ciphertext;
import io.federa.crypto.he.CiphertextCodec;
import io.federa.crypto.he.HeKeyCodec;
import io.federa.crypto.he.HeKeyPair;
import io.federa.crypto.he.NoiseReserve;
import io.federa.crypto.he.PackingScheme;
import io.federa.federation.Federation;
import io.federa.federation.MessageKey;
import io.federa.federation.PayloadKind;
import io.federa.ml.ResumePoint;
import io.federa.ml.TrainingListener;
import io.federa.ml.tree.BoostingConvergence;
import io.federa.ml.tree.QuantileBinning;
import io.federa.ml.tree.Targets;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The guest's side of hetero SecureBoost (Cheng et al., "SecureBoost: A Lossless Federated Learning
 * Framework", IEEE Intelligent Systems 2021, with FATE's later packing and subtraction): the guest
 * holds the labels and the homomorphic key (Paillier or OU).
 *
 * <p>Per tree: the guest computes every row's gradient g and hessian h, packs (g⁺, g⁻, h) into one
 * plaintext per row ({@link GradientSlots}), encrypts and sends them to every host. Per level, it
 * tells the hosts which rows are in which open node and, for each pair of siblings, which one to
 * sum (the smaller) and which to derive from the parent; each host answers every node's candidate
 * splits as encrypted left sums, shuffled, several per ciphertext; the guest decrypts them, scores
 * them and its own features' splits (in plaintext) by the same second-order gain as the centralized
 * GBDT, and takes the best. A host that wins a node learns it by its split id and returns which of
 * the node's rows go left. At the last level, or without a gain, a node is a leaf with weight
 * {@code −η·G/(H+λ)}, known to the guest only.
 */
public final class SecureBoostGuest {
  private final Federation federation;
  private final SecureBoostMessages messages;
  private final List<Integer> hosts;
  private final SecureBoostParams params;
  private final ComputingEngine engine;
  private final TrainingListener listener;
  private io.federa.ml.Checkpoints checkpoints = io.federa.ml.Checkpoints.NONE;
  private final List<Integer> decryptions = new ArrayList<>();
  private List<GuestValidation.Point> validations = List.of();

  public SecureBoostGuest(
      Federation federation,
      MessageKey key,
      List<Integer> hosts,
      SecureBoostParams params,
      ComputingEngine engine,
      TrainingListener listener) {
    this.federation = federation;
    this.messages = new SecureBoostMessages(key);
    this.hosts = List.copyOf(hosts);
    this.params = params;
    this.engine = engine;
    this.listener = listener;
  }

  /** Saves the trees every few and resumes from the last tree every party saved. */
  public SecureBoostGuest withCheckpoints(io.federa.ml.Checkpoints store) {
    this.checkpoints = store;
    return this;
  }

  /**
   * The validation metric ({@link EarlyStopping#metric}) after each validated round of the last
   * {@code fit}, in order: round → value.
   */
  public java.util.Map<Integer, Double> validationHistory() {
    var out = new java.util.LinkedHashMap<Integer, Double>();
    validations.forEach(p -> out.put(p.round(), p.value()));
    return out;
  }

  /** The ciphertexts decrypted for each tree this run grew (not those loaded from a checkpoint). */
  public List<Integer> decryptionsPerTree() {
    return List.copyOf(decryptions);
  }

  /**
   * Trains on {@code data} (labels and the guest's features, rows aligned with the hosts'). A round
   * is one tree, or one per class for the softmax: tree {@code t = round·K + k} fits class {@code
   * k}, and the hosts, told K at the start, grow every one — or, multi-output, one tree whose
   * leaves hold every class's value, each row's K gradient triples packed into as few ciphertexts
   * as fit.
   */
  public SecureBoostGuestModel fit(Table data) {
    return fit(data, null);
  }

  /**
   * As {@link #fit(Table)}, validating on {@code validation} (rows aligned with the hosts'
   * validation rows; null: none, whatever the parameters say) as {@link
   * SecureBoostParams#earlyStopping} says; with early stopping the model keeps the rounds up to the
   * best validation.
   */
  public SecureBoostGuestModel fit(Table data, Table validation) {
    var boosting = params.boosting();
    EarlyStopping rule = params.earlyStopping();
    int freq = validation == null ? 0 : rule.freq(); // the hosts validate when the guest does
    Targets targets = Targets.of(boosting.loss(), data.labels());
    int dims = targets.dimensions();
    int perRound = boosting.treesPerRound(dims);
    int n = data.rows();
    HeKeyPair keys = params.keyPair();
    for (int host : hosts) {
      federation.send(
          host,
          messages.setup(),
          ByteBuffer.allocate(20)
              .putInt(n)
              .putInt(perRound)
              .putInt(freq)
              .putInt(boosting.outputsPerTree(dims))
              .putInt(boosting.tol() > 0 ? 1 : 0) // whether the guest may stop after any round
              .array(),
          PayloadKind.CONTROL);
      federation.send(
          host,
          messages.publicKey(),
          HeKeyCodec.encodePublicKey(keys.publicKey()),
          PayloadKind.PUBLIC_KEY);
    }
    PackingScheme scheme = GradientSlots.scheme(keys.publicKey(), n);
    QuantileBinning binning = QuantileBinning.fit(data, boosting.bins(), engine);
    byte[][] bins = binning.transform(data, engine);
    double[] initial = targets.initialScores();
    double[][] raw = new double[dims][n];
    for (int k = 0; k < dims; k++) {
      java.util.Arrays.fill(raw[k], initial[k]);
    }
    List<FederatedTree> trees = new ArrayList<>();
    List<Double> losses = new ArrayList<>();
    int resumeAt =
        ResumePoint.agree(
            federation,
            messages.resumeOffer(),
            messages.resumeAt(),
            federation.self(),
            hosts,
            checkpoints,
            params.timeout());
    double[] savedValidation = new double[0];
    if (resumeAt >= 0) {
      TreeCheckpoint.Guest saved = TreeCheckpoint.guest(checkpoints.load(resumeAt));
      savedValidation = saved.validation();
      if (saved.raw().length != n * dims
          || saved.trees().size() != resumeAt + 1
          || (resumeAt + 1) % perRound != 0
          || saved.losses().length != (resumeAt + 1) / perRound) {
        throw new FederaException(
            ErrorCode.INVALID_INPUT,
            "checkpoint "
                + resumeAt
                + " holds another run's state; rerun the component from the start");
      }
      trees.addAll(saved.trees());
      for (int k = 0; k < dims; k++) {
        System.arraycopy(saved.raw(), k * n, raw[k], 0, n);
      }
      for (int r = 0; r < saved.losses().length; r++) {
        losses.add(saved.losses()[r]);
        listener.onIteration(r + 1, boosting.trees(), saved.losses()[r]);
      }
    }
    List<String> names = data.schema().featureNames();
    GuestValidation validating =
        freq == 0 ? null : new GuestValidation(rule, validation, targets, initial);
    if (validating != null && !trees.isEmpty()) {
      // the validation rows' scores start at the initial scores already: the trees' sums only
      var restored =
          new SecureBoostGuestModel(boosting.loss(), new double[dims], names, trees, null);
      validating.resumed(
          trees.size(),
          trees.size() / perRound,
          from -> rawScores(restored, validation, GuestValidation.name(-1), from),
          savedValidation);
    }
    try (NoiseAhead ahead = new NoiseAhead(new NoiseReserve(keys.publicKey()))) {
      grow(data, keys, scheme, binning, bins, targets, raw, trees, losses, ahead, validating);
    }
    validations = validating == null ? List.of() : validating.history();
    return new SecureBoostGuestModel(boosting.loss(), initial, names, trees, targets.classes());
  }

  /** Grows the trees not yet grown (after a resume, from the checkpoint's: a whole round). */
  private void grow(
      Table data,
      HeKeyPair keys,
      PackingScheme scheme,
      QuantileBinning binning,
      byte[][] bins,
      Targets targets,
      double[][] raw,
      List<FederatedTree> trees,
      List<Double> losses,
      NoiseAhead ahead,
      GuestValidation validating) {
    var boosting = params.boosting();
    int n = data.rows();
    int dims = targets.dimensions();
    int perRound = boosting.treesPerRound(dims);
    int outputs = boosting.outputsPerTree(dims);
    int pieces = GradientSlots.pieces(scheme, outputs);
    int total = boosting.trees() * perRound;
    double[][] g = new double[dims][n];
    double[][] h = new double[dims][n];
    for (int t = trees.size(); t < total; t++) {
      int k = t % perRound;
      if (k == 0) {
        targets.gradients(raw, g, h); // every class's, before the round's trees
      }
      int first = outputs == 1 ? k : 0; // this tree's class, or all of them (multi-output)
      double[][] gt = java.util.Arrays.copyOfRange(g, first, first + outputs);
      double[][] ht = java.util.Arrays.copyOfRange(h, first, first + outputs);
      boosting.sampling().apply(t, gt, ht); // GOSS / subsample: the same rows as centralized
      GradientSlots slots = GradientSlots.of(gt, ht);
      ahead.stop();
      Ciphertext[] rows = new Ciphertext[pieces * n];
      for (int p = 0; p < pieces; p++) { // row i's piece p at p·n + i
        int from = p * GradientSlots.perCiphertext(scheme);
        int triples = GradientSlots.triplesIn(scheme, outputs, p);
        long[][] plain = new long[n][];
        for (int i = 0; i < n; i++) {
          plain[i] = slots.row(gt, ht, i, from, triples);
        }
        System.arraycopy(scheme.encryptAll(plain, engine, ahead.reserve()), 0, rows, p * n, n);
      }
      byte[] encrypted = CiphertextCodec.encode(rows, engine);
      if (t + 1 < total) {
        ahead.start(pieces * n); // the next tree's noise, while the hosts sum this one's
      }
      for (int host : hosts) {
        federation.send(host, messages.gradients(t), encrypted, PayloadKind.HE_CIPHERTEXTS);
      }
      var grower =
          new GuestTreeGrower(
              federation,
              messages,
              hosts,
              params,
              engine,
              keys,
              scheme,
              slots,
              binning,
              bins,
              boosting.featureMask(data.schema().featureNames(), t),
              gt,
              ht);
      trees.add(grower.grow(t, java.util.Arrays.copyOfRange(raw, first, first + outputs)));
      decryptions.add(grower.decrypted());
      if (k < perRound - 1) {
        continue;
      }
      int round = (t + 1) / perRound;
      double before = losses.isEmpty() ? Double.NaN : losses.get(losses.size() - 1);
      double loss = targets.loss(raw);
      losses.add(loss);
      listener.onIteration(round, boosting.trees(), loss);
      boolean stop = stopsAfter(round, dims, trees, losses, validating, before, loss, data);
      boolean whole = trees.size() == round * perRound; // early stopping may drop the last rounds
      if (whole && checkpoints.every() > 0 && round % checkpoints.every() == 0) {
        double[] flat = new double[dims * n];
        for (int c = 0; c < dims; c++) {
          System.arraycopy(raw[c], 0, flat, c * n, n);
        }
        checkpoints.save(
            t,
            TreeCheckpoint.guest(
                trees,
                flat,
                losses.stream().mapToDouble(Double::doubleValue).toArray(),
                validating == null ? new double[0] : validating.saved()));
      }
      if (stop) {
        return;
      }
    }
  }

  /**
   * After round {@code round}: validates if due, decides whether training ends here — early
   * stopping on the validation metric (the model keeps the rounds up to the best validation), the
   * training loss's convergence ({@link BoostingConvergence}: it keeps every round) or the last
   * round — tells the hosts when they wait to hear it, and the listener why it stopped.
   */
  private boolean stopsAfter(
      int round,
      int dims,
      List<FederatedTree> trees,
      List<Double> losses,
      GuestValidation validating,
      double before,
      double loss,
      Table data) {
    var boosting = params.boosting();
    int perRound = boosting.treesPerRound(dims);
    int keep = -1;
    boolean validated = validating != null && validating.due(round, boosting.trees());
    if (validated) {
      var sofar =
          new SecureBoostGuestModel(
              boosting.loss(), new double[dims], data.schema().featureNames(), trees, null);
      keep =
          validating.validate(
              round,
              trees.size(),
              from -> rawScores(sofar, validating.rows(), GuestValidation.name(round), from));
    }
    boolean converged = BoostingConvergence.converged(boosting.tol(), before, loss);
    if (keep < 0 && converged) {
      keep = round;
    }
    if (validated || boosting.tol() > 0) {
      for (int host : hosts) {
        federation.send(
            host,
            messages.proceed(round),
            ByteBuffer.allocate(4).putInt(keep).array(),
            PayloadKind.CONTROL);
      }
    }
    if (keep >= 0 && keep < round) {
      trees.subList(keep * perRound, trees.size()).clear();
      losses.subList(keep, losses.size()).clear();
      listener.onStop(
          true,
          validating.stopReason(round) + "; the model keeps the " + keep + " rounds up to it");
      return true;
    }
    if (keep >= 0 || round == boosting.trees()) {
      listener.onStop(converged, BoostingConvergence.reason(boosting, round, before, loss));
      return true;
    }
    return false;
  }

  /**
   * Raw scores {@code [dimension][row]} of {@code data}'s rows (aligned with every host's, each of
   * which runs {@link SecureBoostHost#predict} under the same {@code name}): the guest walks each
   * tree, resolving its own nodes itself and asking the hosts, one round per level for all trees at
   * once, which way their nodes send the rows.
   */
  public double[][] rawScores(SecureBoostGuestModel model, Table data, String name) {
    return rawScores(model, data, name, 0);
  }

  /** As {@link #rawScores(SecureBoostGuestModel, Table, String)}, through trees fromTree on. */
  double[][] rawScores(SecureBoostGuestModel model, Table data, String name, int fromTree) {
    return new GuestPrediction(federation, messages, hosts, params.timeout())
        .rawScores(model, data, name, fromTree);
  }
}
