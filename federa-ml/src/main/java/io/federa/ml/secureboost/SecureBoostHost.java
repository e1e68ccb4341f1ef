package io.federa.ml.secureboost;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.core.compute.ComputingEngine;
import io.federa.core.table.Table;
import io.federa.crypto.he.Ciphertext;
import io.federa.crypto.he.CiphertextCodec;
import io.federa.crypto.he.HeKeyCodec;
import io.federa.crypto.he.HePublicKey;
import io.federa.federation.Federation;
import io.federa.federation.MessageKey;
import io.federa.federation.PayloadKind;
import io.federa.ml.Features;
import io.federa.ml.ResumePoint;
import io.federa.ml.tree.QuantileBinning;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;

/**
 * A host's side of hetero SecureBoost: features, no labels. It bins its own features, sums the
 * guest's encrypted gradients per node and bin, offers each node's candidate splits as encrypted
 * sums under split ids only it can map back, and keeps the winning splits' features and thresholds.
 * See {@link SecureBoostGuest} for the protocol.
 */
public final class SecureBoostHost {
  private final Federation federation;
  private final SecureBoostMessages messages;
  private final int guest;
  private final SecureBoostParams params;
  private final ComputingEngine engine;
  private io.federa.ml.Checkpoints checkpoints = io.federa.ml.Checkpoints.NONE;

  public SecureBoostHost(
      Federation federation,
      MessageKey key,
      int guest,
      SecureBoostParams params,
      ComputingEngine engine) {
    this.federation = federation;
    this.messages = new SecureBoostMessages(key);
    this.guest = guest;
    this.params = params;
    this.engine = engine;
  }

  /** Saves its splits every few trees and resumes from the last tree every party saved. */
  public SecureBoostHost withCheckpoints(io.federa.ml.Checkpoints store) {
    this.checkpoints = store;
    return this;
  }

  /** Trains on {@code features} (rows aligned with the guest's by PSI); returns its splits. */
  public SecureBoostHostModel fit(Table features) {
    return fit(features, null);
  }

  /**
   * As {@link #fit(Table)}, answering the guest's validation exchanges on {@code validation} (rows
   * aligned with the guest's validation rows; null: none) when the guest validates, and stopping
   * when it says so.
   */
  public SecureBoostHostModel fit(Table features, Table validation) {
    byte[] announced = receive(messages.setup());
    if (announced.length != 20) {
      throw new FederaException(
          ErrorCode.PROTOCOL,
          "the guest's SecureBoost setup has "
              + announced.length
              + " bytes, not 20: guest and host run different Federa versions; upgrade both");
    }
    ByteBuffer setup = ByteBuffer.wrap(announced);
    int rows = setup.getInt();
    int dims = setup.getInt(); // trees per round: the number of classes for the softmax, else 1
    int freq = setup.getInt(); // the guest validates every freq rounds (0: never)
    int outputs = setup.getInt(); // scores per leaf: the classes of a multi-output tree, else 1
    int stops = setup.getInt(); // 1: the guest may stop after any round (its loss converged)
    if (dims < 1
        || dims > 10_000
        || freq < 0
        || outputs < 1
        || outputs > 10_000
        || (stops & ~1) != 0) {
      throw new FederaException(
          ErrorCode.PROTOCOL,
          "the guest announced "
              + dims
              + " trees per round of "
              + outputs
              + " outputs, validation every "
              + freq
              + "; it is corrupt");
    }
    if (freq > 0 && validation == null) {
      throw new FederaException(
          ErrorCode.INVALID_ARGUMENT,
          "the guest validates during training but host "
              + federation.self()
              + " has no validation rows: give every party's component validate_data");
    }
    if (rows != features.rows()) {
      throw new FederaException(
          ErrorCode.PROTOCOL,
          "the guest trains on "
              + rows
              + " rows but host "
              + federation.self()
              + " has "
              + features.rows()
              + "; both must hold the intersection's rows in the same order");
    }
    HePublicKey key = HeKeyCodec.decodePublicKey(receive(messages.publicKey()), params.key());
    var boosting = params.boosting();
    QuantileBinning binning = QuantileBinning.fit(features, boosting.bins(), engine);
    byte[][] bins = binning.transform(features, engine);
    var histograms =
        new HostHistograms(
            binning,
            bins,
            GradientSlots.scheme(key, rows),
            boosting.minSamplesLeaf(),
            outputs,
            engine);
    List<String> names = features.schema().featureNames();
    List<SecureBoostHostModel.Split> splits = new ArrayList<>();
    int resumeAt =
        ResumePoint.agree(
            federation,
            messages.resumeOffer(),
            messages.resumeAt(),
            guest,
            List.of(),
            checkpoints,
            params.timeout());
    if (resumeAt >= 0) {
      splits.addAll(TreeCheckpoint.host(checkpoints.load(resumeAt)));
      if (freq > 0) { // the guest scores its validation rows through the restored trees
        predict(new SecureBoostHostModel(names, splits), validation, GuestValidation.name(-1));
      }
    }
    for (int t = resumeAt + 1; t < boosting.trees() * dims; t++) {
      Ciphertext[] gradients = CiphertextCodec.decode(key, receive(messages.gradients(t)), engine);
      if (gradients.length != rows * histograms.pieces()) {
        throw new FederaException(
            ErrorCode.PROTOCOL,
            "the guest sent "
                + gradients.length
                + " gradient ciphertexts for tree "
                + t
                + ", not "
                + histograms.pieces()
                + " for each of "
                + rows
                + " rows");
      }
      histograms.newTree(gradients, boosting.featureMask(names, t));
      for (int d = 0; d < boosting.maxDepth(); d++) {
        var plan = SecureBoostMessages.Plan.decode(receive(messages.plan(t, d)));
        if (plan.nodes().length == 0) {
          break;
        }
        federation.send(
            guest,
            messages.histograms(t, d),
            histograms.level(plan).encode(),
            PayloadKind.HE_CIPHERTEXTS);
        int[] won = SecureBoostMessages.Splits.decode(receive(messages.splits(t, d))).won();
        List<BitSet> lefts = new ArrayList<>();
        for (int k = 0; k < won.length && k < plan.nodes().length; k++) {
          if (won[k] >= 0) {
            int node = plan.nodes()[k];
            HostHistograms.Candidate c = histograms.candidate(node, won[k]);
            splits.add(
                new SecureBoostHostModel.Split(
                    t,
                    node,
                    names.get(c.feature()),
                    binning.splitPoint(c.feature(), c.bin()),
                    c.missingLeft()));
            lefts.add(histograms.left(node, c));
          }
        }
        federation.send(
            guest,
            messages.lefts(t, d),
            new SecureBoostMessages.Lefts(lefts.toArray(new BitSet[0])).encode(),
            PayloadKind.INSTANCE_SPACE);
      }
      int round = (t + 1) / dims;
      boolean validated =
          (t + 1) % dims == 0 && EarlyStopping.validated(round, boosting.trees(), freq);
      if (validated) {
        predict(new SecureBoostHostModel(names, splits), validation, GuestValidation.name(round));
      }
      int keep = -1;
      if (validated || ((t + 1) % dims == 0 && stops == 1)) {
        keep = ByteBuffer.wrap(receive(messages.proceed(round))).getInt();
      }
      if (keep >= 0 && keep < round) { // early stopping: the rounds up to the best validation
        int kept = keep;
        splits.removeIf(s -> s.tree() >= kept * dims);
        break;
      }
      if (checkpoints.every() > 0 && (t + 1) % dims == 0 && round % checkpoints.every() == 0) {
        checkpoints.save(t, TreeCheckpoint.host(splits));
      }
      if (keep == round) { // the guest's training loss converged: every round stays
        break;
      }
    }
    return new SecureBoostHostModel(names, splits);
  }

  /**
   * Answers prediction {@code name}'s rounds on {@code features} (rows aligned with the guest's):
   * for each asked (tree, node, row), whether the row goes left at this host's split; returns when
   * the guest says it is done.
   */
  public void predict(SecureBoostHostModel model, Table features, String name) {
    Map<Long, SecureBoostHostModel.Split> index = model.index();
    double[][] columns = Features.columnsFor(features, model.featureNames());
    for (int r = 0; ; r++) {
      var q = SecureBoostMessages.Query.decode(receive(messages.query(name, r)));
      if (q.done()) {
        return;
      }
      if (q.size() == 0) {
        continue; // nothing of this host's this round
      }
      BitSet left = new BitSet(q.size());
      for (int k = 0; k < q.size(); k++) {
        var s = SecureBoostHostModel.require(index, q.tree()[k], q.node()[k]);
        int row = q.row()[k];
        if (row < 0 || row >= features.rows()) {
          throw new FederaException(
              ErrorCode.PROTOCOL, "the guest asked about row " + row + " of " + features.rows());
        }
        if (s.goesLeft(columns[model.featureNames().indexOf(s.feature())][row])) {
          left.set(k);
        }
      }
      federation.send(
          guest,
          messages.answer(name, r),
          new SecureBoostMessages.Lefts(new BitSet[] {left}).encode(),
          PayloadKind.INSTANCE_SPACE);
    }
  }

  private byte[] receive(MessageKey key) {
    return federation.receive(guest, key, params.timeout());
  }
}
