package dev.metagate.upstream;

import dev.metagate.metadata.Code;
import dev.metagate.metadata.MetagateException;
import io.vertx.circuitbreaker.OpenCircuitException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.concurrent.TimeoutException;

/** Classifies what went wrong with an upstream call and names it for the caller and the metrics. */
final class Failures {
  static final String OK = "ok";
  static final String REJECTED = "rejected";
  static final String FAILED = "failed";
  static final String TIMEOUT = "timeout";
  static final String UNREACHABLE = "unreachable";
  static final String CIRCUIT_OPEN = "circuit_open";

  private Failures() {}

  /** The request never left metagate: safe to retry even for a write. */
  static boolean notSent(Throwable t) {
    return t instanceof ConnectException || t instanceof UnknownHostException;
  }

  /** The TLS handshake failed, typically on a certificate metagate does not trust. */
  static boolean tlsRefused(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof javax.net.ssl.SSLException) {
        return true;
      }
    }
    return false;
  }

  static boolean timedOut(Throwable t) {
    return t instanceof TimeoutException;
  }

  /** Statuses a read may be retried on: the gateway in front of ZITADEL could not answer. */
  static boolean retryableStatus(int status) {
    return status == 502 || status == 503 || status == 504;
  }

  /** Counts against the circuit: ZITADEL (or its gateway) failed, not the caller's request. */
  static boolean serverFailure(int status) {
    return status >= 500 && status != 501;
  }

  static String outcome(int status) {
    return status < 400 ? OK : status < 500 ? REJECTED : FAILED;
  }

  static String outcome(Throwable t) {
    if (t instanceof OpenCircuitException) {
      return CIRCUIT_OPEN;
    }
    return timedOut(t) ? TIMEOUT : UNREACHABLE;
  }

  /** The caller's error for a call that got no answer. */
  static MetagateException toCaller(Throwable t, long openForSeconds) {
    if (t instanceof MetagateException e) {
      return e;
    }
    if (t instanceof OpenCircuitException) {
      return MetagateException.unavailable(
          "upstream is unavailable (circuit open)", openForSeconds);
    }
    if (timedOut(t)) {
      return MetagateException.of(Code.DEADLINE_EXCEEDED, "upstream timed out");
    }
    return MetagateException.of(Code.UNAVAILABLE, "upstream is unavailable");
  }
}
