import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The overload row's client for callers that honour Retry-After: keep-alive HTTP/1.1 connections
 * on THREADS Netty event loops, each a closed loop of durable single-key sets exactly as {@code
 * lua/set.lua} sends them (per event loop a run-unique prefix and a counter; request n sets {@code
 * key-<n % 7>} of user {@code set-<prefix>-<n % 1000>} to value number {@code n % 97}). After a
 * 503 the refused connection waits the answer's {@code Retry-After} plus up to 10% jitter before
 * its next request, as SDKs with a retry policy do; after any other answer it sends the next at
 * once.
 *
 * <p>wrk cannot run this load: its {@code delay()} hook does not say which connection it is for,
 * so when answers of several connections arrive in one turn a refused connection's wait can land
 * on one that was just served. This client is bare Netty, with every request encoded before the
 * run and answers parsed only as far as needed, so that it costs the 2-core machine little more
 * than wrk does.
 *
 * <p>One JVM runs every phase, so its start and JIT warm-up are paid once, outside the measured
 * windows: unmeasured warm-up phases of CONNS and of 3 x CONNS connections (WARMUP_S each), then
 * REPEAT times a phase of CONNS connections (unloaded) followed by one of 3 x CONNS (overloaded),
 * SECONDS each, and last a short overloaded phase on fresh connections. A phase opens its
 * connections and, except the last, has each answer one {@code GET /} (a 404, not counted): a
 * server's first request on a new connection costs it more than later ones, and 3 x CONNS new
 * connections sending their first request in the same millisecond is a connection storm, measured
 * apart by the last phase. Then every connection's first set is sent and the window opens, so the
 * first refusals of an overloaded phase are inside it, as in a wrk run; at its end all connections
 * close. Per measured phase it prints one line: {@code unloaded|overloaded|fresh
 * statuses ok=N s503=N s5xx=N other=N secs=S p50_ms=P p99_ms=Q refusal_p50_ms=A refusal_p99_ms=R
 * refusal_max_ms=M} (the line {@code lua/statuses.lua} prints, the median and 99th percentile
 * latency of the 200s, and the median, 99th percentile and maximum latency of the 503s: every
 * answer is timed, from its request's write to its answer).
 *
 * <p>Run: java -cp target/metagate.jar:classes RetryAfterLoad PORT TOKEN CONNS SECONDS WARMUP_S
 * REPEAT [THREADS]
 */
public class RetryAfterLoad {
  static volatile boolean measuring;
  static final LongAdder ok = new LongAdder();
  static final LongAdder refused = new LongAdder();
  static final LongAdder other5xx = new LongAdder();
  static final LongAdder other = new LongAdder();

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    String token = args[1];
    int conns = Integer.parseInt(args[2]);
    double seconds = Double.parseDouble(args[3]);
    double warmup = Double.parseDouble(args[4]);
    int repeat = Integer.parseInt(args[5]);
    int threads = args.length > 6 ? Integer.parseInt(args[6]) : 2;
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(threads, NioIoHandler.newFactory());
    Loop[] loops = new Loop[threads];
    for (int i = 0; i < threads; i++) {
      loops[i] = new Loop((EventLoop) group.next(), token, ThreadLocalRandom.current().nextInt(1, 1_000_000));
    }
    phase(port, loops, conns, warmup, null, true);
    phase(port, loops, conns * 3, warmup, null, true);
    for (int r = 0; r < repeat; r++) {
      phase(port, loops, conns, seconds, "unloaded", true);
      phase(port, loops, conns * 3, seconds, "overloaded", true);
    }
    phase(port, loops, conns * 3, Math.min(seconds, 2), "fresh", false);
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
  }

  /**
   * One phase of {@code conns} connections for {@code seconds}; measured when {@code label} is set.
   * With {@code prime}, every connection has had one answer (to a {@code GET /}, not counted)
   * before the phase starts.
   */
  static void phase(int port, Loop[] loops, int conns, double seconds, String label, boolean prime)
      throws Exception {
    for (Loop loop : loops) {
      loop.executor.submit(() -> loop.count = loop.refusalCount = 0).sync();
    }
    ok.reset();
    refused.reset();
    other5xx.reset();
    other.reset();
    List<Channel> channels = new ArrayList<>();
    for (int i = 0; i < conns; i++) {
      Loop loop = loops[i % loops.length]; // a Loop is only touched by its own event loop
      Bootstrap b =
          new Bootstrap()
              .group(loop.executor)
              .channel(NioSocketChannel.class)
              .option(ChannelOption.TCP_NODELAY, true)
              .handler(
                  new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                      ch.pipeline().addLast(new Client(loop));
                    }
                  });
      channels.add(b.connect("127.0.0.1", port).sync().channel());
    }
    if (prime) {
      CountDownLatch primed = new CountDownLatch(conns);
      for (Channel ch : channels) {
        ch.pipeline().get(Client.class).prime(ch, primed);
      }
      primed.await();
    }
    long start = System.nanoTime();
    measuring = label != null;
    for (Channel ch : channels) { // every connection open before the first request
      ch.pipeline().get(Client.class).send(ch);
    }
    Thread.sleep((long) (seconds * 1000));
    measuring = false;
    double secs = (System.nanoTime() - start) / 1e9;
    for (Channel ch : channels) {
      ch.close().sync();
    }
    if (label != null) {
      double[] served = millis(loops, false, 0.5, 0.99);
      double[] refusal = millis(loops, true, 0.5, 0.99, 1.0);
      System.out.printf(
          "%s statuses ok=%d s503=%d s5xx=%d other=%d secs=%.3f p50_ms=%.3f p99_ms=%.3f"
              + " refusal_p50_ms=%.3f refusal_p99_ms=%.3f refusal_max_ms=%.3f%n",
          label, ok.sum(), refused.sum(), other5xx.sum(), other.sum(), secs, served[0], served[1],
          refusal[0], refusal[1], refusal[2]);
    }
  }

  /** Percentiles (0..1, nearest rank) of the 200s' latencies, or with {@code refusals} the 503s', in ms. */
  static double[] millis(Loop[] loops, boolean refusals, double... ranks) {
    long[] all = new long[0];
    for (Loop l : loops) {
      int n = refusals ? l.refusalCount : l.count;
      int at = all.length;
      all = Arrays.copyOf(all, at + n);
      System.arraycopy(refusals ? l.refusals : l.micros, 0, all, at, n);
    }
    Arrays.sort(all);
    double[] out = new double[ranks.length];
    for (int i = 0; i < ranks.length && all.length > 0; i++) {
      int rank = Math.max(1, (int) Math.ceil(ranks[i] * all.length));
      out[i] = all[rank - 1] / 1000.0;
    }
    return out;
  }

  /**
   * What the connections of one event loop share: their request numbering, the requests encoded
   * before the run (the head of request n is {@code heads[n % 7000]}, its body {@code bodies[n %
   * 97]}), and the latency record of the 200s.
   */
  static final class Loop {
    final EventLoop executor;
    final ByteBuf[] heads = new ByteBuf[7000];
    final ByteBuf[] bodies = new ByteBuf[97];
    long counter;
    long[] micros = new long[1 << 16]; // latencies of the 200s
    int count;
    long[] refusals = new long[1 << 10]; // latencies of the 503s
    int refusalCount;

    Loop(EventLoop executor, String token, int prefix) {
      this.executor = executor;
      for (int v = 0; v < bodies.length; v++) {
        bodies[v] = ascii(String.format("{\"value\":\"djAwMDAwMD%02d\"}", v));
      }
      int length = bodies[0].readableBytes(); // every value has the same length
      for (int n = 0; n < heads.length; n++) {
        heads[n] =
            ascii(
                "POST /management/v1/users/set-" + prefix + "-" + (n % 1000) + "/metadata/key-" + (n % 7)
                    + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + length + "\r\n\r\n");
      }
    }

    static ByteBuf ascii(String s) {
      return Unpooled.unreleasableBuffer(Unpooled.copiedBuffer(s, StandardCharsets.US_ASCII));
    }

    void sendNext(Channel ch) {
      counter++;
      ch.write(heads[(int) (counter % heads.length)].duplicate());
      ch.writeAndFlush(bodies[(int) (counter % bodies.length)].duplicate());
    }

    void record(long nanos) {
      if (count == micros.length) micros = Arrays.copyOf(micros, count * 2);
      micros[count++] = nanos / 1000;
    }

    void recordRefusal(long nanos) {
      if (refusalCount == refusals.length) refusals = Arrays.copyOf(refusals, refusalCount * 2);
      refusals[refusalCount++] = nanos / 1000;
    }
  }

  /**
   * One connection's closed loop. Answers are parsed just enough: the status code, and the
   * Content-Length and Retry-After headers (metagate answers these requests with a length, never
   * chunked).
   */
  static final class Client extends ChannelInboundHandlerAdapter {
    static final ByteBuf PRIMER = Loop.ascii("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    static final byte[] END = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    static final byte[] CONTENT_LENGTH = "content-length:".getBytes(StandardCharsets.US_ASCII);
    static final byte[] RETRY_AFTER = "retry-after:".getBytes(StandardCharsets.US_ASCII);
    final Loop loop;
    ByteBuf in;
    long sentAt;
    CountDownLatch priming; // set while the connection's priming GET is unanswered

    Client(Loop loop) {
      this.loop = loop;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
      in = ctx.alloc().buffer(4096);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
      in.release();
    }

    void send(Channel ch) {
      ch.eventLoop()
          .execute(
              () -> {
                if (!ch.isActive()) return;
                sentAt = System.nanoTime();
                loop.sendNext(ch);
              });
    }

    void prime(Channel ch, CountDownLatch primed) {
      ch.eventLoop()
          .execute(
              () -> {
                priming = primed;
                ch.writeAndFlush(PRIMER.duplicate());
              });
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf bytes = (ByteBuf) msg;
      in.writeBytes(bytes);
      bytes.release();
      while (answer(ctx)) {
        // one complete answer handled per turn
      }
      in.discardSomeReadBytes();
    }

    /** Handles one complete answer from {@code in}; false when it is not all there yet. */
    boolean answer(ChannelHandlerContext ctx) {
      int start = in.readerIndex();
      int end = indexOf(in, start);
      if (end < 0) return false;
      int length = 0;
      long retryAfterMs = -1;
      int line = in.indexOf(start, end, (byte) '\n') + 1;
      while (line < end) {
        int next = in.indexOf(line, end + 2, (byte) '\n');
        if (named(line, CONTENT_LENGTH)) {
          length = (int) number(line + CONTENT_LENGTH.length, next);
        } else if (named(line, RETRY_AFTER)) {
          retryAfterMs = number(line + RETRY_AFTER.length, next) * 1000;
        }
        line = next + 1;
      }
      int bodyStart = end + END.length;
      if (in.writerIndex() - bodyStart < length) return false;
      int status = (in.getByte(start + 9) - '0') * 100 + (in.getByte(start + 10) - '0') * 10 + (in.getByte(start + 11) - '0');
      in.readerIndex(bodyStart + length);
      if (priming != null) {
        priming.countDown();
        priming = null;
        return true;
      }
      count(status);
      if (status != 503 || retryAfterMs < 0) {
        send(ctx.channel());
      } else {
        long ms = (long) (retryAfterMs * (1 + 0.1 * ThreadLocalRandom.current().nextDouble()));
        ctx.executor().schedule(() -> send(ctx.channel()), ms, TimeUnit.MILLISECONDS);
      }
      return true;
    }

    void count(int status) {
      if (!measuring) return;
      if (status == 200) {
        ok.increment();
        loop.record(System.nanoTime() - sentAt);
      } else if (status == 503) {
        refused.increment();
        loop.recordRefusal(System.nanoTime() - sentAt);
      } else if (status >= 500) {
        other5xx.increment();
      } else {
        other.increment();
      }
    }

    /** Whether the header line at {@code at} has the (lower-case, colon-ended) name. */
    boolean named(int at, byte[] name) {
      if (in.writerIndex() - at < name.length) return false;
      for (int i = 0; i < name.length; i++) {
        if ((in.getByte(at + i) | 0x20) != (name[i] | 0x20)) return false; // ASCII case folding
      }
      return true;
    }

    /** The decimal number in [from, to), spaces and CR skipped (Retry-After: whole seconds). */
    long number(int from, int to) {
      long n = 0;
      for (int i = from; i < to; i++) {
        byte b = in.getByte(i);
        if (b >= '0' && b <= '9') n = n * 10 + (b - '0');
      }
      return n;
    }

    static int indexOf(ByteBuf buf, int from) {
      for (int i = from; i <= buf.writerIndex() - END.length; i++) {
        if (buf.getByte(i) == '\r' && buf.getByte(i + 1) == '\n' && buf.getByte(i + 2) == '\r' && buf.getByte(i + 3) == '\n') {
          return i;
        }
      }
      return -1;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      if (measuring) other.increment();
      ctx.close();
    }
  }
}
