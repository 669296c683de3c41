package dev.metagate.ops;

import dev.metagate.metadata.Code;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.ToDoubleFunction;

/**
 * metagate's metrics (the names of operations.md) in one Prometheus registry, plus JVM metrics.
 * Label values come from bounded sets only: operation names, protocols and gRPC codes.
 */
public final class Metrics {
  /** The operation of a request no handler named, such as one refused before routing. */
  public static final String OTHER = "other";

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final ConcurrentHashMap<String, ConcurrentHashMap<String, OperationMeters>> operations =
      new ConcurrentHashMap<>();
  private final DistributionSummary batchEntries;
  private final Timer commitDuration;

  /** By operation, then outcome: looked up without building a key per call. */
  private final ConcurrentHashMap<String, ConcurrentHashMap<String, Counter>> upstreamCalls =
      new ConcurrentHashMap<>();

  private Counter coalesced;

  public Metrics() {
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    batchEntries =
        DistributionSummary.builder("metagate.commit.batch.entries")
            .description("Entries committed by one group commit")
            .publishPercentileHistogram()
            .register(registry);
    commitDuration =
        Timer.builder("metagate.commit.duration")
            .description("Time of one group commit, fsync included")
            .publishPercentileHistogram()
            .register(registry);
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** One answered request. */
  public void request(String operation, String protocol, int grpcCode, long nanos) {
    operations
        .computeIfAbsent(protocol, p -> new ConcurrentHashMap<>())
        .computeIfAbsent(operation, op -> new OperationMeters(op, protocol))
        .record(grpcCode, nanos);
  }

  /**
   * The counter of requests on {@code protocol} refused over the in-flight bound before routing:
   * the series {@code metagate_requests_total{operation="other",code="14"}}, resolved once so that
   * a refusal costs one increment. Refusals are not timed: they end where they start.
   */
  public Counter refusals(String protocol) {
    return Counter.builder("metagate.requests")
        .description("Answered requests")
        .tag("operation", OTHER)
        .tag("protocol", protocol)
        .tag("code", Integer.toString(Code.UNAVAILABLE.number()))
        .register(registry);
  }

  /**
   * The meters of one operation on one protocol, looked up once per request without building a key:
   * counters per gRPC code are created on first use.
   */
  private final class OperationMeters {
    private final String operation;
    private final String protocol;
    private final Timer duration;
    private final AtomicReferenceArray<Counter> byCode = new AtomicReferenceArray<>(17);

    OperationMeters(String operation, String protocol) {
      this.operation = operation;
      this.protocol = protocol;
      this.duration =
          Timer.builder("metagate.request.duration")
              .description("Time to answer a request")
              .tag("operation", operation)
              .publishPercentileHistogram()
              .register(registry);
    }

    void record(int code, long nanos) {
      int i = code >= 0 && code < byCode.length() ? code : Code.UNKNOWN.number();
      Counter c = byCode.get(i);
      if (c == null) {
        c =
            Counter.builder("metagate.requests")
                .description("Answered requests")
                .tag("operation", operation)
                .tag("protocol", protocol)
                .tag("code", Integer.toString(i))
                .register(registry);
        byCode.set(i, c);
      }
      c.increment();
      duration.record(nanos, TimeUnit.NANOSECONDS);
    }
  }

  /** One committed group of {@code entries} entries that took {@code nanos}. */
  public void commit(int entries, long nanos) {
    batchEntries.record(entries);
    commitDuration.record(nanos, TimeUnit.NANOSECONDS);
  }

  /** Exposes the cache's hit/miss/eviction counts and size, read when scraped. */
  public <T> void bindCache(
      T cache,
      ToDoubleFunction<T> hits,
      ToDoubleFunction<T> misses,
      ToDoubleFunction<T> evictions,
      ToDoubleFunction<T> bytes) {
    FunctionCounter.builder("metagate.cache.requests", cache, hits)
        .tag("result", "hit")
        .register(registry);
    FunctionCounter.builder("metagate.cache.requests", cache, misses)
        .tag("result", "miss")
        .register(registry);
    FunctionCounter.builder("metagate.cache.evictions", cache, evictions).register(registry);
    Gauge.builder("metagate.cache.bytes", cache, bytes).register(registry);
  }

  /** Exposes the write queue's depth, read when scraped. */
  public void bindWriteQueue(LongSupplier entries) {
    Gauge.builder("metagate.write.queue.entries", entries, s -> s.getAsLong())
        .strongReference(true) // Micrometer holds gauge sources weakly: a lambda would read NaN
        .register(registry);
  }

  /** One finished upstream call of {@code operation}: ok, rejected, failed, timeout, … */
  public void upstream(String operation, String outcome) {
    upstreamCalls
        .computeIfAbsent(operation, op -> new ConcurrentHashMap<>())
        .computeIfAbsent(
            outcome,
            k ->
                Counter.builder("metagate.upstream.requests")
                    .description("Calls to ZITADEL by outcome")
                    .tag("operation", operation)
                    .tag("outcome", outcome)
                    .register(registry))
        .increment();
  }

  /**
   * 1 while a shared store's changes by other instances are being received (PostgreSQL LISTEN), 0
   * while they are not and reads bypass the cache.
   */
  public void bindStoreListening(BooleanSupplier listening) {
    Gauge.builder("metagate.store.listening", listening, l -> l.getAsBoolean() ? 1 : 0)
        .description("1 while other instances' changes are received; 0: the cache is bypassed")
        .strongReference(true) // the supplier is a method reference no one else holds
        .register(registry);
  }

  /** Requests that joined another request's upstream call instead of making their own. */
  public void coalesced(int requests) {
    coalesced.increment(requests);
  }

  /**
   * Registers the upstream meters of upstream mode; the circuit gauge reads {@code open} (1 while
   * the breaker is open) when scraped.
   */
  public void bindUpstream(BooleanSupplier open) {
    Gauge.builder("metagate.upstream.circuit.open", open, o -> o.getAsBoolean() ? 1 : 0)
        .description("1 while the upstream circuit breaker is open")
        .strongReference(true) // the supplier is a lambda nothing else holds
        .register(registry);
    coalesced =
        Counter.builder("metagate.upstream.coalesced.requests")
            .description("Requests merged into another request's upstream call")
            .register(registry);
  }

  /** The Prometheus text exposition. */
  public String scrape() {
    return registry.scrape();
  }
}
