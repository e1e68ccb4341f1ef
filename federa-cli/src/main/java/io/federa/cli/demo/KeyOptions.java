package io.federa.cli.demo;

import io.federa.crypto.he.HeScheme;
import picocli.CommandLine.Option;

/** The vertical demos' and benches' key options: {@code --key-bits} and {@code --method}. */
public final class KeyOptions {
  @Option(
      names = "--key-bits",
      defaultValue = "2048",
      description = "Key size of the job's homomorphic scheme. Default: ${DEFAULT-VALUE}.")
  public int keyBits;

  @Option(
      names = "--method",
      defaultValue = "paillier",
      converter = SchemeConverter.class,
      description =
          "encrypt_param.method: paillier or ou (Okamoto–Uchiyama). Default: ${DEFAULT-VALUE}.")
  public HeScheme method = HeScheme.PAILLIER;

  /** FATE's names, case-insensitive. */
  public static final class SchemeConverter
      implements picocli.CommandLine.ITypeConverter<HeScheme> {
    @Override
    public HeScheme convert(String value) {
      return HeScheme.fromName(value);
    }
  }
}
