package io.federa.flow.dsl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Validates a FATE v2 DSL ({@code components: {name: {module, input: {data: {data|train_data|
 * validate_data: ["comp.out"]}, model: ["comp.model"]}, output: {data, model}}}}) and runtime conf
 * ({@code dsl_version: 2}, {@code initiator}, {@code role}, {@code job_parameters}, {@code
 * component_parameters: {common, role: {guest: {"0": …}, host: {"0|1": …}}}}) before anything runs.
 * Every error names its JSON path, the cause and the fix; what Federa does differently from FATE
 * (ECDH instead of RSA intersection, parameters it does not use) comes back as warnings, never
 * silently.
 */
public final class JobValidator {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> ROLES = Set.of("guest", "host", "arbiter");

  /** How a predict job's DSL names a trained model: {@code pipeline.COMPONENT.model}. */
  public static final String PIPELINE = "pipeline.";

  private final List<Problem> errors = new ArrayList<>();
  private final List<String> predictRefs = new ArrayList<>();
  private final List<Problem> warnings = new ArrayList<>();

  private JobValidator() {}

  /** Reads and validates the two files; throws one error listing every problem. */
  public static ValidatedJob validate(Path dsl, Path conf) {
    return validate(read(dsl, "DSL"), read(conf, "runtime conf"));
  }

  /** Validates parsed files; throws one error listing every problem. */
  public static ValidatedJob validate(JsonNode dsl, JsonNode conf) {
    return new JobValidator().run(dsl, conf);
  }

  private static JsonNode read(Path file, String what) {
    try {
      return JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new FederaException(
              ErrorCode.INVALID_INPUT,
              "the " + what + " " + file + " is not valid JSON: " + e.getMessage(),
              e)
          .shareable();
    }
  }

  private ValidatedJob run(JsonNode dsl, JsonNode conf) {
    // --- conf: version, roles, initiator
    if (conf.path("dsl_version").asInt(0) != 2) {
      error("conf.dsl_version", "must be 2 (FATE's v2 DSL); Federa reads v2 job files only");
    }
    Map<String, List<Integer>> roles = new LinkedHashMap<>();
    JsonNode role = conf.path("role");
    if (!role.isObject() || role.isEmpty()) {
      error(
          "conf.role", "is missing; give {\"guest\": [id], \"host\": [id, …], \"arbiter\": [id]}");
    }
    Map<Integer, String> roleOf = new HashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = role.fields(); it.hasNext(); ) {
      var e = it.next();
      String path = "conf.role." + e.getKey();
      if (!ROLES.contains(e.getKey())) {
        error(path, "unknown role '" + e.getKey() + "'; roles are guest, host and arbiter");
        continue;
      }
      List<Integer> ids = new ArrayList<>();
      for (int i = 0; i < e.getValue().size(); i++) {
        JsonNode id = e.getValue().path(i);
        if (!id.isIntegralNumber() || !id.canConvertToInt() || id.asInt() < 0) {
          error(path + "[" + i + "]", "party ids are non-negative integers, got " + id);
          continue;
        }
        String before = roleOf.putIfAbsent(id.asInt(), e.getKey());
        if (ids.contains(id.asInt())) {
          error(path + "[" + i + "]", "party " + id.asInt() + " is listed twice; list it once");
        } else if (before != null && !before.equals(e.getKey())) {
          Modules.add(
              warnings, path + "[" + i + "]", Modules.shared(id.asInt(), before, e.getKey()));
        }
        ids.add(id.asInt());
      }
      roles.put(e.getKey(), ids);
    }
    if (!roles.containsKey("guest") || roles.get("guest").size() != 1) {
      error("conf.role.guest", "a job has exactly one guest");
    }
    String initiatorRole = conf.path("initiator").path("role").asText("");
    int initiatorParty = conf.path("initiator").path("party_id").asInt(-1);
    if (!roles.getOrDefault(initiatorRole, List.of()).contains(initiatorParty)) {
      error(
          "conf.initiator",
          "party "
              + initiatorParty
              + " as "
              + (initiatorRole.isEmpty() ? "(no role)" : initiatorRole)
              + " is not in conf.role; the initiator must be one of the job's parties");
    }

    // --- DSL: components, modules, inputs, cycle
    JsonNode components = dsl.path("components");
    if (!components.isObject() || components.isEmpty()) {
      error("dsl.components", "is missing or empty; a job needs at least a Reader");
    }
    Map<String, String> modules = new LinkedHashMap<>();
    Map<String, Set<String>> outputs = new HashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = components.fields(); it.hasNext(); ) {
      var e = it.next();
      if (!io.federa.core.Names.valid(e.getKey())) {
        error(
            "dsl.components",
            "component name "
                + io.federa.core.Names.shown(e.getKey())
                + " is not valid: it names files and tables, so use 1 to 128 letters, digits, '_',"
                + " '-' or '.', starting with a letter, digit or '_' (FATE's are like reader_0)");
        continue;
      }
      String module = e.getValue().path("module").asText("");
      String path = "dsl.components." + e.getKey() + ".module";
      if (module.isEmpty()) {
        error(path, "is missing; name the module, e.g. \"HeteroLR\"");
      } else if (!Modules.KNOWN.containsKey(module)) {
        error(
            path,
            Modules.PLANNED.contains(module)
                ? "module "
                    + module
                    + " is not available in Federa yet; available: "
                    + Modules.KNOWN.keySet()
                : "unknown module '" + module + "'; available: " + Modules.KNOWN.keySet());
      }
      modules.put(e.getKey(), module);
      Set<String> outs = new HashSet<>();
      JsonNode output = e.getValue().path("output");
      for (String kind : List.of("data", "model")) {
        for (JsonNode o : output.path(kind)) {
          outs.add(kind + ":" + o.asText());
        }
      }
      outputs.put(e.getKey(), outs);
    }
    Map<String, List<String>> upstream = new LinkedHashMap<>();
    for (String name : modules.keySet()) {
      List<String> ups = new ArrayList<>();
      JsonNode input = components.path(name).path("input");
      for (Iterator<Map.Entry<String, JsonNode>> it = input.path("data").fields(); it.hasNext(); ) {
        var e = it.next();
        for (int i = 0; i < e.getValue().size(); i++) {
          ref(
              name,
              "input.data." + e.getKey() + "[" + i + "]",
              e.getValue().path(i).asText(),
              "data",
              outputs,
              ups);
        }
      }
      for (String slot : List.of("model", "isometric_model")) { // isometric: a model to read
        JsonNode models = input.path(slot);
        for (int i = 0; i < models.size(); i++) {
          String reference = models.path(i).asText();
          String where = "input." + slot + "[" + i + "]";
          if (reference.startsWith(PIPELINE)) {
            predictRefs.add("dsl.components." + name + "." + where);
            continue; // a trained model from the registry (a predict job), not a DSL edge
          }
          ref(name, where, reference, "model", outputs, ups);
        }
      }
      upstream.put(name, ups);
    }
    List<String> order = topological(upstream);
    if (!predictRefs.isEmpty()) {
      JsonNode common = conf.path("job_parameters").path("common");
      for (String field : List.of("model_id", "model_version")) {
        if (common.path(field).asText("").isEmpty()) {
          error(
              "conf.job_parameters.common." + field,
              "a predict job ("
                  + predictRefs.get(0)
                  + " names a trained model) needs the trained model's "
                  + field
                  + "; 'federa model list' shows them");
        }
      }
    }

    // --- parameters
    JsonNode params = conf.path("component_parameters");
    checkRoleKeys(params.path("role"), roles, modules.keySet());
    for (String name : modules.keySet()) {
      Modules.Spec spec = Modules.KNOWN.get(modules.get(name));
      if (spec == null) {
        continue;
      }
      for (var r : roles.entrySet()) {
        for (int i = 0; i < r.getValue().size(); i++) {
          JsonNode p = parametersFor(conf, name, r.getKey(), i);
          ParamReader reader = ParamReader.collecting(name, p, errors, warnings);
          spec.check(reader, r.getKey(), i);
          reader.warnUnknown();
        }
      }
    }

    if (!errors.isEmpty()) {
      StringBuilder sb =
          new StringBuilder(
              "the job is not valid ("
                  + errors.size()
                  + " problem"
                  + (errors.size() > 1 ? "s" : "")
                  + "):");
      for (Problem p : errors) {
        sb.append("\n  ").append(p);
      }
      throw new FederaException(ErrorCode.INVALID_INPUT, sb.toString()).shareable();
    }
    return new ValidatedJob(
        order, modules, upstream, roles, initiatorRole, initiatorParty, warnings, dsl, conf);
  }

  private void ref(
      String component,
      String where,
      String reference,
      String kind,
      Map<String, Set<String>> outputs,
      List<String> ups) {
    String path = "dsl.components." + component + "." + where;
    int dot = reference.indexOf('.');
    if (dot <= 0) {
      error(path, "'" + reference + "' is not COMPONENT.OUTPUT, e.g. \"reader_0.data\"");
      return;
    }
    String from = reference.substring(0, dot);
    String out = reference.substring(dot + 1);
    if (!outputs.containsKey(from)) {
      error(
          path,
          "'"
              + reference
              + "' names no component of this DSL (dangling input); components: "
              + outputs.keySet());
      return;
    }
    if (!outputs.get(from).contains(kind + ":" + out)) {
      error(
          path,
          "component "
              + from
              + " has no "
              + kind
              + " output '"
              + out
              + "'; add it to its output."
              + kind);
      return;
    }
    ups.add(from);
  }

  private List<String> topological(Map<String, List<String>> upstream) {
    Map<String, Integer> state = new HashMap<>(); // 1 visiting, 2 done
    List<String> order = new ArrayList<>();
    for (String start : upstream.keySet()) {
      Deque<String> path = new ArrayDeque<>();
      if (!visit(start, upstream, state, order, path)) {
        return order;
      }
    }
    return order;
  }

  private boolean visit(
      String node,
      Map<String, List<String>> upstream,
      Map<String, Integer> state,
      List<String> order,
      Deque<String> path) {
    Integer s = state.get(node);
    if (s != null && s == 2) {
      return true;
    }
    path.addLast(node);
    if (s != null && s == 1) {
      error(
          "dsl.components",
          "the inputs form a cycle: " + String.join(" → ", path) + "; a job is a DAG");
      return false;
    }
    state.put(node, 1);
    for (String up : upstream.getOrDefault(node, List.of())) {
      if (!visit(up, upstream, state, order, path)) {
        return false;
      }
    }
    state.put(node, 2);
    order.add(node);
    path.removeLast();
    return true;
  }

  private void checkRoleKeys(
      JsonNode roleParams, Map<String, List<Integer>> roles, Set<String> components) {
    for (Iterator<Map.Entry<String, JsonNode>> it = roleParams.fields(); it.hasNext(); ) {
      var r = it.next();
      int count = roles.getOrDefault(r.getKey(), List.of()).size();
      for (Iterator<Map.Entry<String, JsonNode>> keys = r.getValue().fields(); keys.hasNext(); ) {
        var k = keys.next();
        String path = "conf.component_parameters.role." + r.getKey() + "." + k.getKey();
        if (!k.getKey().equals("all")) {
          for (String idx : k.getKey().split("\\|")) {
            if (!idx.matches("\\d+") || Integer.parseInt(idx) >= count) {
              error(
                  path,
                  "names "
                      + r.getKey()
                      + " index "
                      + idx
                      + " but the job has "
                      + count
                      + " "
                      + r.getKey()
                      + (count == 1 ? "" : "s")
                      + " (indexes start at 0)");
            }
          }
        }
        for (Iterator<String> c = k.getValue().fieldNames(); c.hasNext(); ) {
          String comp = c.next();
          if (!components.contains(comp)) {
            error(path + "." + comp, "names no component of the DSL; components: " + components);
          }
        }
      }
    }
  }

  /**
   * Common parameters of a component overlaid with those for {@code role}'s party {@code index}.
   */
  static JsonNode parametersFor(JsonNode conf, String component, String role, int index) {
    ObjectNode merged = JSON.createObjectNode();
    JsonNode params = conf.path("component_parameters");
    merge(merged, params.path("common").path(component));
    for (Iterator<Map.Entry<String, JsonNode>> it = params.path("role").path(role).fields();
        it.hasNext(); ) {
      var e = it.next();
      boolean applies = e.getKey().equals("all");
      for (String idx : e.getKey().split("\\|")) {
        applies |= idx.equals(Integer.toString(index));
      }
      if (applies) {
        merge(merged, e.getValue().path(component));
      }
    }
    return merged;
  }

  private static void merge(ObjectNode into, JsonNode from) {
    for (Iterator<Map.Entry<String, JsonNode>> it = from.fields(); it.hasNext(); ) {
      var e = it.next();
      if (e.getValue().isObject() && into.path(e.getKey()).isObject()) {
        merge((ObjectNode) into.get(e.getKey()), e.getValue());
      } else {
        into.set(e.getKey(), e.getValue().deepCopy());
      }
    }
  }

  private void error(String path, String message) {
    Modules.add(errors, path, message);
  }

  static String lower(JsonNode n) {
    return n.asText("").toLowerCase(Locale.ROOT);
  }
}
