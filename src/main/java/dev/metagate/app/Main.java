package dev.metagate.app;

/** Entry point of the fat jar. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    int code = new Cli(System.out, System.err, System.getenv()).run(args);
    if (code != Cli.RUNNING) {
      System.exit(code);
    }
  }
}
