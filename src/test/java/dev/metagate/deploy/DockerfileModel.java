package dev.metagate.deploy;

import io.vertx.core.json.JsonArray;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The repository's {@code Dockerfile} as a list of instructions: comments dropped, continuation
 * lines joined, each instruction tagged with its build stage. Only the forms the Dockerfile uses
 * are understood; anything else fails loudly so that a test never checks a misread file.
 */
final class DockerfileModel {
  /** One instruction: upper-case keyword, its arguments as written, and its stage (0-based). */
  record Instruction(String keyword, String args, int stage) {}

  private final List<Instruction> instructions;
  private final int finalStage;

  private DockerfileModel(List<Instruction> instructions) {
    this.instructions = List.copyOf(instructions);
    this.finalStage =
        instructions.isEmpty() ? -1 : instructions.get(instructions.size() - 1).stage();
  }

  static DockerfileModel read(Path file) throws IOException {
    List<Instruction> out = new ArrayList<>();
    StringBuilder pending = new StringBuilder();
    int stage = -1;
    for (String line : Files.readAllLines(file)) {
      String trimmed = line.strip();
      if (pending.isEmpty() && (trimmed.isEmpty() || trimmed.startsWith("#"))) {
        continue;
      }
      if (trimmed.endsWith("\\")) {
        pending.append(trimmed, 0, trimmed.length() - 1).append(' ');
        continue;
      }
      pending.append(trimmed);
      String text = pending.toString().strip();
      pending.setLength(0);
      String[] parts = text.split("\\s+", 2);
      String keyword = parts[0].toUpperCase(Locale.ROOT);
      if (keyword.equals("FROM")) {
        stage++;
      }
      out.add(new Instruction(keyword, parts.length > 1 ? parts[1].strip() : "", stage));
    }
    return new DockerfileModel(out);
  }

  /** Every FROM's image (without {@code AS name}), in order. */
  List<String> stageImages() {
    return all("FROM").stream().map(i -> i.args().split("\\s+")[0]).toList();
  }

  /** Every instruction with {@code keyword}, in any stage. */
  List<Instruction> all(String keyword) {
    return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
  }

  /** The final stage's instructions with {@code keyword}, in order. */
  List<Instruction> inFinalStage(String keyword) {
    return all(keyword).stream().filter(i -> i.stage() == finalStage).toList();
  }

  /** The arguments of the final stage's only {@code keyword} instruction. */
  String single(String keyword) {
    List<Instruction> found = inFinalStage(keyword);
    if (found.size() != 1) {
      throw new AssertionError("expected one " + keyword + " in the final stage, found " + found);
    }
    return found.get(0).args();
  }

  /** The final stage's ENV variables, {@code KEY=VALUE} pairs with optional double quotes. */
  Map<String, String> env() {
    Map<String, String> env = new LinkedHashMap<>();
    for (Instruction i : inFinalStage("ENV")) {
      for (String pair : words(i.args())) {
        int eq = pair.indexOf('=');
        if (eq <= 0) {
          throw new AssertionError("ENV in the legacy 'KEY value' form is not understood: " + i);
        }
        env.put(pair.substring(0, eq), pair.substring(eq + 1));
      }
    }
    return env;
  }

  /** The ENTRYPOINT in its exec (JSON array) form. */
  List<String> entrypoint() {
    String args = single("ENTRYPOINT");
    if (!args.startsWith("[")) {
      throw new AssertionError("ENTRYPOINT is not in exec form: " + args);
    }
    return new JsonArray(args).stream().map(String.class::cast).toList();
  }

  /** The line index of {@code i} among all instructions, to compare the order of two. */
  int position(Instruction i) {
    return instructions.indexOf(i);
  }

  /** Where the final stage puts the file named {@code name} (WORKDIR + COPY destination). */
  String finalPath(String name) {
    String workdir = single("WORKDIR");
    for (Instruction copy : inFinalStage("COPY")) {
      List<String> words = new ArrayList<>(Arrays.asList(copy.args().split("\\s+")));
      words.removeIf(w -> w.startsWith("--"));
      String dest = words.remove(words.size() - 1);
      if (words.stream().anyMatch(src -> src.endsWith("/" + name) || src.equals(name))) {
        Path d = Path.of(workdir).resolve(dest);
        return (dest.endsWith("/") || dest.equals(".") ? d.resolve(name) : d)
            .normalize()
            .toString();
      }
    }
    throw new AssertionError("the final stage copies no " + name);
  }

  /** The HEALTHCHECK's command (shell form, after CMD). */
  String healthcheckCommand() {
    String hc = single("HEALTHCHECK");
    int cmd = hc.indexOf("CMD ");
    if (cmd < 0) {
      throw new AssertionError("HEALTHCHECK without CMD: " + hc);
    }
    return hc.substring(cmd + 4).strip();
  }

  /** The URL the HEALTHCHECK command asks. */
  URI healthcheckUrl() {
    Matcher m = Pattern.compile("https?://[^\\s'\"]+").matcher(healthcheckCommand());
    if (!m.find()) {
      throw new AssertionError("no URL in the HEALTHCHECK: " + healthcheckCommand());
    }
    return URI.create(m.group());
  }

  /** A HEALTHCHECK option such as {@code --interval=10s}, by name; null when not set. */
  String healthcheckOption(String name) {
    for (String word : single("HEALTHCHECK").split("\\s+")) {
      if (word.equals("CMD")) {
        break;
      }
      if (word.startsWith("--" + name + "=")) {
        return word.substring(name.length() + 3);
      }
    }
    return null;
  }

  /** Splits on blanks outside double quotes and drops the quotes (ENV's value syntax). */
  private static List<String> words(String text) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean quoted = false;
    for (char c : text.toCharArray()) {
      if (c == '"') {
        quoted = !quoted;
      } else if (Character.isWhitespace(c) && !quoted) {
        if (!word.isEmpty()) {
          words.add(word.toString());
          word.setLength(0);
        }
      } else {
        word.append(c);
      }
    }
    if (quoted) {
      throw new AssertionError("unbalanced quotes in: " + text);
    }
    if (!word.isEmpty()) {
      words.add(word.toString());
    }
    return words;
  }
}
