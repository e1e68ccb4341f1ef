package io.federa.flow;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.federa.core.FederaException;
import io.federa.core.csv.CsvOptions;
import io.federa.core.csv.CsvTableReader;
import io.federa.crypto.he.CiphertextCodec;
import io.federa.crypto.he.FixedPointEncoder;
import io.federa.crypto.he.HeKeyCodec;
import io.federa.crypto.he.HeKeyPair;
import io.federa.crypto.he.HeParameters;
import io.federa.crypto.he.HePublicKey;
import io.federa.flow.dsl.JobValidator;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Seeded random mutations of valid inputs — CSV files, job DSLs and confs, Paillier keys and
 * ciphertext messages — each read as a node reads what it is sent: the only failure allowed is a
 * {@code FederaException} (a clear error), never another exception. {@code -Dfuzz.iterations=N}
 * (default 2,000 per input kind, in CI) runs the long mode; the seed is printed with any failure.
 * (Model archives are fuzzed in {@code ModelArchiveTest}'s style by {@code
 * node.ModelArchiveFuzzTest}.)
 */
public class FuzzTest {
  private static final Path DATA = Path.of(System.getProperty("federa.data.dir"));
  private static final int ITERATIONS = Integer.getInteger("federa.fuzz.iterations", 2000);
  private static final long SEED = Long.getLong("federa.fuzz.seed", 20261202L);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Runs {@code read} on every mutation of {@code valid}; anything but FederaException fails. */
  public static void fuzz(String what, byte[] valid, Consumer<byte[]> read) {
    SplittableRandom random = new SplittableRandom(SEED ^ what.hashCode());
    for (int i = 0; i < ITERATIONS; i++) {
      byte[] input = Mutations.mutate(valid, random);
      try {
        read.accept(input);
      } catch (FederaException expected) {
        // a clear refusal
      } catch (RuntimeException | StackOverflowError e) {
        fail(
            what
                + " mutation "
                + i
                + " (seed "
                + SEED
                + ") threw "
                + e
                + " for input of "
                + input.length
                + " bytes: "
                + Mutations.preview(input),
            e);
      }
    }
  }

  @Test
  void csvReader() throws Exception {
    List<String> lines = Files.readAllLines(DATA.resolve("breast_hetero_guest.csv"));
    byte[] valid = String.join("\n", lines.subList(0, 40)).getBytes();
    fuzz(
        "csv",
        valid,
        b -> CsvTableReader.read(new ByteArrayInputStream(b), "fuzz.csv", CsvOptions.labeled()));
  }

  @Test
  void jobValidator() throws Exception {
    Path jobs = DATA.getParent().resolve("federa");
    JsonNode dsl = JSON.readTree(jobs.resolve("hetero_lr_dsl.json").toFile());
    JsonNode conf = JSON.readTree(jobs.resolve("hetero_lr_conf.json").toFile());
    // as bytes: a mutation of either document that still parses as JSON is validated
    fuzz(
        "conf",
        JSON.writeValueAsBytes(conf),
        b -> JobValidator.validate(dsl, io.federa.core.json.Json.tree(b, "a conf")));
    fuzz(
        "dsl",
        JSON.writeValueAsBytes(dsl),
        b -> JobValidator.validate(io.federa.core.json.Json.tree(b, "a dsl"), conf));
    // as trees: values of every type in every place
    SplittableRandom random = new SplittableRandom(SEED);
    for (int i = 0; i < ITERATIONS; i++) {
      JsonNode c = conf.deepCopy();
      JsonNode d = dsl.deepCopy();
      Mutations.mutateTree(random.nextBoolean() ? c : d, random);
      try {
        JobValidator.validate(d, c);
      } catch (FederaException expected) {
        // a clear refusal
      } catch (RuntimeException e) {
        fail("tree mutation " + i + " (seed " + SEED + ") threw " + e + ": " + d + " " + c, e);
      }
    }
  }

  @Test
  void paillierKeysAndCiphertexts() {
    // 1024-bit test keys: the codecs' parsing does not depend on the size
    HeKeyPair keys = HeKeyPair.generate(HeParameters.insecureForTesting(1024));
    HePublicKey pk = keys.publicKey();
    fuzz("public key", HeKeyCodec.encodePublicKey(pk), b -> HeKeyCodec.decodePublicKey(b, true));
    fuzz(
        "private key",
        HeKeyCodec.encodePrivateKey(keys.privateKey()),
        b -> HeKeyCodec.decodePrivateKey(b, true));
    var encoder = FixedPointEncoder.defaults(pk);
    byte[] message =
        CiphertextCodec.encode(pk.encrypt(encoder.encode(1.5)), pk.encrypt(encoder.encode(-2.25)));
    fuzz("ciphertexts", message, b -> CiphertextCodec.decode(pk, b));
  }

  /** Byte- and tree-level mutations. */
  static final class Mutations {
    private static final byte[][] TOKENS = {
      {','},
      {'"'},
      {'\n'},
      {'\r'},
      {0},
      {(byte) 0xC3},
      {(byte) 0xFF},
      "NaN".getBytes(),
      "1e999".getBytes(),
      "-".getBytes(),
      "\"\"".getBytes(),
      " ".getBytes(),
      "..".getBytes()
    };

    static byte[] mutate(byte[] valid, SplittableRandom r) {
      byte[] b = valid.clone();
      int edits = 1 + r.nextInt(4);
      for (int e = 0; e < edits && b.length > 0; e++) {
        int at = r.nextInt(b.length);
        switch (r.nextInt(6)) {
          case 0 -> b[at] = (byte) r.nextInt(256);
          case 1 -> b = java.util.Arrays.copyOf(b, at); // truncate
          case 2 -> b = splice(b, at, TOKENS[r.nextInt(TOKENS.length)]);
          case 3 -> { // duplicate a slice
            int len = Math.min(b.length - at, 1 + r.nextInt(64));
            b = splice(b, at, java.util.Arrays.copyOfRange(b, at, at + len));
          }
          case 4 -> { // delete a slice
            int len = Math.min(b.length - at, 1 + r.nextInt(16));
            byte[] out = new byte[b.length - len];
            System.arraycopy(b, 0, out, 0, at);
            System.arraycopy(b, at + len, out, at, b.length - at - len);
            b = out;
          }
          default -> b[at] ^= (byte) (1 << r.nextInt(8));
        }
      }
      return b;
    }

    private static byte[] splice(byte[] b, int at, byte[] insert) {
      byte[] out = new byte[b.length + insert.length];
      System.arraycopy(b, 0, out, 0, at);
      System.arraycopy(insert, 0, out, at, insert.length);
      System.arraycopy(b, at, out, at + insert.length, b.length - at);
      return out;
    }

    /** Replaces one value somewhere in {@code root} by a value of another type, or removes it. */
    static void mutateTree(JsonNode root, SplittableRandom r) {
      List<JsonNode> containers = new ArrayList<>();
      collect(root, containers);
      JsonNode target = containers.get(r.nextInt(containers.size()));
      JsonNode value =
          switch (r.nextInt(8)) {
            case 0 -> JSON.getNodeFactory().nullNode();
            case 1 ->
                JSON.getNodeFactory().numberNode(r.nextInt() * (r.nextBoolean() ? 1L << 33 : 1));
            case 2 -> JSON.getNodeFactory().numberNode(r.nextDouble() * 1e12 - 5e11);
            case 3 -> JSON.getNodeFactory().textNode(r.nextBoolean() ? "../x" : "");
            case 4 -> JSON.getNodeFactory().booleanNode(r.nextBoolean());
            case 5 -> JSON.getNodeFactory().arrayNode().add(r.nextInt(5));
            case 6 -> JSON.getNodeFactory().objectNode().put("x", 1);
            default -> null; // remove
          };
      if (target instanceof ObjectNode o && o.size() > 0) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
          names.add(it.next());
        }
        String name = names.get(r.nextInt(names.size()));
        if (value == null) {
          o.remove(name);
        } else {
          o.set(name, value);
        }
      } else if (target instanceof ArrayNode a && a.size() > 0) {
        int i = r.nextInt(a.size());
        if (value == null) {
          a.remove(i);
        } else {
          a.set(i, value);
        }
      }
    }

    private static void collect(JsonNode n, List<JsonNode> out) {
      if (n.isContainerNode()) {
        out.add(n);
        n.forEach(child -> collect(child, out));
      }
    }

    static String preview(byte[] b) {
      String s = new String(b, 0, Math.min(b.length, 200), java.nio.charset.StandardCharsets.UTF_8);
      return s.replace("\n", "\\n");
    }
  }
}
