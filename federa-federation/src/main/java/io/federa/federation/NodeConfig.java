package io.federa.federation;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.core.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A node's configuration ({@code node.yaml}), as {@code federa init} writes it:
 *
 * <pre>
 * party_id: 9999
 * organisation: guest-org
 * listen: {host: 127.0.0.1, port: 50051}
 * tls: {certificate: node.crt, private_key: node.key, ca: ca.crt}
 * data_dir: data
 * routes:
 *   9999: {host: 127.0.0.1, port: 50051}
 *   10000: {host: 127.0.0.1, port: 50052}
 * http: {host: 127.0.0.1, port: 51051}   # the node's HTTP API (default: the federation port + 1000)
 * metadata_url: jdbc:postgresql://db/federa?user=federa   # default: SQLite in data_dir
 * max_jobs: 2                           # jobs this node runs at once; more wait in a queue
 * uploads: {dirs: [/srv/incoming], max_mb: 4096}   # files the API may read by path; size limit
 * watchdog: {heartbeat_s: 2, unreachable_after_s: 30, fail_after_s: 600}
 * retention: {job_days: 90}             # delete this party's data of jobs ended longer ago
 * serving:                              # docs/serving.md
 *   grpc: {host: 127.0.0.1, port: 52051}  # the guest's gRPC predictions
 *   client_ca: clients-ca.crt             # client certificates it accepts (mutual TLS)
 *   sources: {crm: {url: "jdbc:postgresql://db/crm?user=r", table: features, id: customer_id}}
 * </pre>
 *
 * Relative paths are resolved against the file's directory.
 */
@com.fasterxml.jackson.annotation.JsonInclude(
    com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
public record NodeConfig(
    @JsonProperty("party_id") int partyId,
    @JsonProperty("organisation") String organisation,
    @JsonProperty("listen") Address listen,
    @JsonProperty("tls") Tls tls,
    @JsonProperty("data_dir") String dataDir,
    @JsonProperty("routes") Map<Integer, Address> routes,
    @JsonProperty("http") Address http,
    @JsonProperty("metadata_url") String metadataUrl,
    @JsonProperty("max_jobs") Integer maxJobs,
    @JsonProperty("uploads") Uploads uploads,
    @JsonProperty("watchdog") Watch watchdog,
    @JsonProperty("retention") Retention retention,
    @JsonProperty("serving") ServingConf serving,
    @JsonIgnore Path baseDir) {

  /** Host and port. */
  public record Address(@JsonProperty("host") String host, @JsonProperty("port") int port) {
    @Override
    public String toString() {
      return host + ":" + port;
    }
  }

  /**
   * What the HTTP API accepts as an upload: a CSV streamed in the request (always), of at most
   * {@code max_mb} MiB (default 4096), or a file on the node's machine by path only inside one of
   * {@code dirs} (default: none).
   */
  public record Uploads(
      @JsonProperty("dirs") java.util.List<String> dirs, @JsonProperty("max_mb") Integer maxMb) {}

  /**
   * The job watchdog: how often a party's node says it is alive in each job it runs ({@code
   * heartbeat_s}, default 2), when the initiator shows a silent party unreachable ({@code
   * unreachable_after_s}, default 30) and when it fails the job naming it ({@code fail_after_s},
   * default 600).
   */
  public record Watch(
      @JsonProperty("heartbeat_s") Integer heartbeatS,
      @JsonProperty("unreachable_after_s") Integer unreachableAfterS,
      @JsonProperty("fail_after_s") Integer failAfterS) {}

  /**
   * How long this party keeps what it holds of a finished job (outputs, log, checkpoints, stored
   * messages, transcript, tracking): {@code job_days} after the job ended (default: kept until
   * {@code federa job delete}). Models the job registered stay in the registry.
   */
  public record Retention(@JsonProperty("job_days") Integer jobDays) {}

  /**
   * Serving's gRPC endpoint for clients (docs/serving.md): where it listens, and optionally the CA
   * whose client certificates open it without a token (mutual TLS).
   */
  public record ServingConf(
      @JsonProperty("grpc") Address grpc,
      @JsonProperty("client_ca") String clientCa,
      @JsonProperty("sources") Map<String, JdbcSource> sources) {}

  /**
   * A host's feature store in a database: its JDBC URL (credentials included: keep node.yaml
   * owner-only), the table, and the id column; every other numeric column is a feature.
   */
  public record JdbcSource(
      @JsonProperty("url") String url,
      @JsonProperty("table") String table,
      @JsonProperty("id") String id) {}

  /** The node's certificate, private key and the federation CA. */
  public record Tls(
      @JsonProperty("certificate") String certificate,
      @JsonProperty("private_key") String privateKey,
      @JsonProperty("ca") String ca) {}

  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER))
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  public NodeConfig {
    Objects.requireNonNull(listen, "listen");
    Objects.requireNonNull(tls, "tls");
    routes = routes == null ? Map.of() : new TreeMap<>(routes);
  }

  public static NodeConfig load(Path file) {
    try {
      NodeConfig c = YAML.readValue(Files.readAllBytes(file), NodeConfig.class);
      return new NodeConfig(
          c.partyId,
          c.organisation,
          c.listen,
          c.tls,
          c.dataDir,
          c.routes,
          c.http,
          c.metadataUrl,
          c.maxJobs,
          c.uploads,
          c.watchdog,
          c.retention,
          c.serving,
          file.toAbsolutePath().getParent());
    } catch (NoSuchFileException e) {
      throw new FederaException(
          ErrorCode.NOT_FOUND,
          file + " does not exist; 'federa init --dir D --parties …' writes one per party");
    } catch (IOException e) {
      throw new FederaException(
          ErrorCode.INVALID_INPUT,
          file
              + " is not a valid node configuration: "
              + e.getMessage().lines().findFirst().orElse(""),
          e);
    }
  }

  public void save(Path file) {
    AtomicFiles.write(file, out -> YAML.writeValue(out, this));
  }

  public Path resolve(String path) {
    Path p = Path.of(path);
    return p.isAbsolute() || baseDir == null ? p : baseDir.resolve(p);
  }

  public Path certificateFile() {
    return resolve(tls.certificate());
  }

  public Path privateKeyFile() {
    return resolve(tls.privateKey());
  }

  public Path caFile() {
    return resolve(tls.ca());
  }

  public Path dataPath() {
    return resolve(dataDir == null ? "data" : dataDir);
  }

  /** The address of a party, or an error naming the route table. */
  public Address route(int party) {
    Address a = routes.get(party);
    if (a == null) {
      throw new FederaException(
          ErrorCode.NOT_FOUND,
          "party "
              + party
              + " is not in the route table of party "
              + partyId
              + " (known: "
              + routes.keySet()
              + "); add it with 'federa init --add-party'");
    }
    return a;
  }

  /** The address of the node's HTTP API. */
  public Address httpAddress() {
    return http != null ? http : new Address(listen.host(), listen.port() + 1000);
  }

  /** The directories whose files the HTTP API may upload by path (none unless configured). */
  public java.util.List<Path> uploadDirs() {
    if (uploads == null || uploads.dirs() == null) {
      return java.util.List.of();
    }
    return uploads.dirs().stream().map(this::resolve).toList();
  }

  /** The largest upload the HTTP API takes, in bytes (default 4 GiB). */
  public long maxUploadBytes() {
    return (uploads == null || uploads.maxMb() == null ? 4096L : uploads.maxMb()) << 20;
  }

  public java.time.Duration heartbeat() {
    return seconds(watchdog == null ? null : watchdog.heartbeatS(), 2);
  }

  public java.time.Duration unreachableAfter() {
    return seconds(watchdog == null ? null : watchdog.unreachableAfterS(), 30);
  }

  public java.time.Duration failAfter() {
    return seconds(watchdog == null ? null : watchdog.failAfterS(), 600);
  }

  private static java.time.Duration seconds(Integer given, int dflt) {
    return java.time.Duration.ofSeconds(given == null ? dflt : given);
  }

  /** How long a finished job's data is kept here; null: until deleted. */
  public java.time.Duration jobRetention() {
    return retention == null || retention.jobDays() == null
        ? null
        : java.time.Duration.ofDays(retention.jobDays());
  }

  /** How many jobs the node runs at once (default 2). */
  public int jobSlots() {
    return maxJobs == null ? 2 : maxJobs;
  }

  public NodeConfig withRoutes(Map<Integer, Address> newRoutes) {
    return new NodeConfig(
        partyId,
        organisation,
        listen,
        tls,
        dataDir,
        newRoutes,
        http,
        metadataUrl,
        maxJobs,
        uploads,
        watchdog,
        retention,
        serving,
        baseDir);
  }

  public NodeConfig withHttp(Address address) {
    return new NodeConfig(
        partyId,
        organisation,
        listen,
        tls,
        dataDir,
        routes,
        address,
        metadataUrl,
        maxJobs,
        uploads,
        watchdog,
        retention,
        serving,
        baseDir);
  }

  public NodeConfig withMetadataUrl(String url) {
    return new NodeConfig(
        partyId,
        organisation,
        listen,
        tls,
        dataDir,
        routes,
        http,
        url,
        maxJobs,
        uploads,
        watchdog,
        retention,
        serving,
        baseDir);
  }

  public NodeConfig withServing(ServingConf conf) {
    return new NodeConfig(
        partyId,
        organisation,
        listen,
        tls,
        dataDir,
        routes,
        http,
        metadataUrl,
        maxJobs,
        uploads,
        watchdog,
        retention,
        conf,
        baseDir);
  }

  /**
   * The same party listening at {@code address} with its own data directory: a process of the party
   * beside its node (a serving instance), whose route to its own party stays the node.
   */
  public NodeConfig asInstance(Address address, Path data) {
    return new NodeConfig(
        partyId,
        organisation,
        address,
        tls,
        data.toAbsolutePath().toString(),
        routes,
        http,
        metadataUrl,
        maxJobs,
        uploads,
        watchdog,
        retention,
        serving,
        baseDir);
  }

  public NodeConfig withListenPort(int port) {
    var a = new Address(listen.host(), port);
    var r = new TreeMap<>(routes);
    r.put(partyId, a);
    return new NodeConfig(
        partyId,
        organisation,
        a,
        tls,
        dataDir,
        r,
        http,
        metadataUrl,
        maxJobs,
        uploads,
        watchdog,
        retention,
        serving,
        baseDir);
  }
}
