package dev.metagate.testing;

import io.vertx.core.net.PfxOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed certificate for 127.0.0.1 and localhost, made with the JDK's keytool: a PKCS#12 key
 * store for a server and a trust store holding only the certificate, for a client that should trust
 * it (e.g. through {@code javax.net.ssl.trustStore}).
 */
public record SelfSigned(Path keyStore, Path trustStore, String password) {
  public static SelfSigned create(Path dir) {
    String pw = "changeit";
    Path ks = dir.resolve("server.p12");
    Path cert = dir.resolve("server.crt");
    Path ts = dir.resolve("trust.p12");
    keytool(
        "-genkeypair",
        "-alias",
        "fake",
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-dname",
        "CN=fake-zitadel",
        "-ext",
        "SAN=ip:127.0.0.1,dns:localhost",
        "-validity",
        "2",
        "-storetype",
        "PKCS12",
        "-keystore",
        ks.toString(),
        "-storepass",
        pw);
    keytool(
        "-exportcert",
        "-alias",
        "fake",
        "-keystore",
        ks.toString(),
        "-storepass",
        pw,
        "-file",
        cert.toString());
    keytool(
        "-importcert",
        "-noprompt",
        "-alias",
        "fake-ca",
        "-file",
        cert.toString(),
        "-storetype",
        "PKCS12",
        "-keystore",
        ts.toString(),
        "-storepass",
        pw);
    return new SelfSigned(ks, ts, pw);
  }

  public PfxOptions serverKey() {
    return new PfxOptions().setPath(keyStore.toString()).setPassword(password);
  }

  private static void keytool(String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    cmd.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException("keytool failed: " + out);
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
