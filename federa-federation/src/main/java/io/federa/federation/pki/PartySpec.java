package io.federa.federation.pki;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import java.util.ArrayList;
import java.util.List;

/**
 * One party of a federation: its numeric id, its organisation's name, and where its node listens.
 * Parsed from {@code 9999:guest-org} or {@code 9999:guest-org@10.0.0.5:9370}.
 */
public record PartySpec(int partyId, String organisation, String host, int port) {
  public PartySpec {
    if (partyId <= 0) {
      throw new FederaException(
          ErrorCode.INVALID_ARGUMENT,
          "party ids are positive numbers (as FATE's 9999), got " + partyId);
    }
    if (organisation == null
        || organisation.isBlank()
        || !organisation.matches("[A-Za-z0-9._-]+")) {
      throw new FederaException(
          ErrorCode.INVALID_ARGUMENT,
          "organisation name '" + organisation + "' must be letters, digits, '.', '_' or '-'");
    }
    if (port < 1 || port > 65535) {
      throw new FederaException(ErrorCode.INVALID_ARGUMENT, "port " + port + " is not in 1..65535");
    }
  }

  /**
   * Parses a comma-separated list; parties without {@code @host:port} get {@code defaultHost} and
   * consecutive ports from {@code basePort}.
   */
  public static List<PartySpec> parseList(String text, String defaultHost, int basePort) {
    List<PartySpec> out = new ArrayList<>();
    int next = basePort;
    for (String item : text.split(",")) {
      String s = item.trim();
      if (s.isEmpty()) {
        continue;
      }
      int colon = s.indexOf(':');
      if (colon < 0) {
        throw new FederaException(
            ErrorCode.INVALID_ARGUMENT,
            "'" + s + "' is not a party; write it as ID:ORGANISATION, e.g. 9999:guest-org");
      }
      int id;
      try {
        id = Integer.parseInt(s.substring(0, colon));
      } catch (NumberFormatException e) {
        throw new FederaException(
            ErrorCode.INVALID_ARGUMENT,
            "'" + s.substring(0, colon) + "' is not a numeric party id");
      }
      String rest = s.substring(colon + 1);
      String host = defaultHost;
      int port = next++;
      int at = rest.indexOf('@');
      if (at >= 0) {
        String address = rest.substring(at + 1);
        rest = rest.substring(0, at);
        int c = address.lastIndexOf(':');
        if (c < 0) {
          throw new FederaException(
              ErrorCode.INVALID_ARGUMENT, "'" + address + "' needs a port: HOST:PORT");
        }
        host = address.substring(0, c);
        port = Integer.parseInt(address.substring(c + 1));
      }
      out.add(new PartySpec(id, rest, host, port));
    }
    if (out.isEmpty()) {
      throw new FederaException(ErrorCode.INVALID_ARGUMENT, "no parties given");
    }
    return out;
  }
}
