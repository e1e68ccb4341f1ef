package io.federa.ml.hetero;

import io.federa.crypto.paillier.Ciphertext;
import io.federa.crypto.paillier.CiphertextCodec;
import io.federa.crypto.paillier.FixedPointEncoder;
import io.federa.crypto.paillier.PaillierKeyCodec;
import io.federa.crypto.paillier.PaillierKeyPair;
import io.federa.crypto.paillier.PaillierParameters;
import io.federa.crypto.paillier.PaillierPrivateKey;
import io.federa.federation.Federation;
import io.federa.federation.MessageKey;
import io.federa.ml.TrainingListener;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * The arbiter's side of hetero LR: it makes the Paillier key pair, decrypts the guest's and hosts'
 * masked gradients and the loss, and decides when to stop. See {@link HeteroLrGuest} for the
 * protocol.
 */
public final class HeteroLrArbiter {
  private final Federation federation;
  private final MessageKey key;
  private final int guest;
  private final List<Integer> hosts;
  private final HeteroLrParams params;

  public HeteroLrArbiter(
      Federation federation,
      MessageKey key,
      int guest,
      List<Integer> hosts,
      HeteroLrParams params) {
    this.federation = federation;
    this.key = key;
    this.guest = guest;
    this.hosts = List.copyOf(hosts);
    this.params = params;
  }

  /** Runs the protocol; returns the loss of every iteration. */
  public List<Double> fit(TrainingListener listener) {
    PaillierParameters p =
        params.testKeys()
            ? PaillierParameters.insecureForTesting(params.keyBits())
            : PaillierParameters.of(params.keyBits());
    PaillierKeyPair keys = PaillierKeyPair.generate(p);
    PaillierPrivateKey sk = keys.privateKey();
    byte[] publicKey = PaillierKeyCodec.encodePublicKey(keys.publicKey());
    federation.send(guest, key.withTag("public_key"), publicKey);
    for (int h : hosts) {
      federation.send(h, key.withTag("public_key"), publicKey);
    }
    List<Double> losses = new ArrayList<>();
    double previous = Double.NaN;
    for (int t = 0; t < params.maxIter(); t++) {
      String it = "iter-" + t + "/";
      decryptFor(guest, it + "guest_gradient", sk);
      for (int h : hosts) {
        decryptFor(h, it + "host_gradient", sk);
      }
      Ciphertext loss =
          CiphertextCodec.decode(
              keys.publicKey(),
              federation.receive(guest, key.withTag(it + "loss"), params.timeout()))[0];
      double value =
          FixedPointEncoder.decode(sk.decryptEncoded(loss).signedValue(), loss.exponent());
      losses.add(value);
      listener.onIteration(t + 1, params.maxIter(), value);
      boolean converged = !Double.isNaN(previous) && Math.abs(previous - value) < params.tol();
      boolean last = converged || t == params.maxIter() - 1;
      byte[] flag = {(byte) (last ? 0 : 1)};
      federation.send(guest, key.withTag(it + "continue"), flag);
      for (int h : hosts) {
        federation.send(h, key.withTag(it + "continue"), flag);
      }
      previous = value;
      if (last) {
        break;
      }
    }
    return losses;
  }

  /** Decrypts a party's masked gradient and returns the masked integers to it. */
  private void decryptFor(int party, String tag, PaillierPrivateKey sk) {
    Ciphertext[] masked =
        CiphertextCodec.decode(
            sk.publicKey(), federation.receive(party, key.withTag(tag), params.timeout()));
    BigInteger[] values = new BigInteger[masked.length];
    for (int j = 0; j < masked.length; j++) {
      values[j] = sk.decryptEncoded(masked[j]).signedValue();
    }
    federation.send(party, key.withTag(tag + "_plain"), Wire.integers(values));
  }
}
