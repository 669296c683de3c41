import com.google.protobuf.ByteString;
import com.zitadel.management.v1.BulkSetUserMetadataRequest;
import com.zitadel.management.v1.GetUserMetadataRequest;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.AsciiString;
import io.netty.util.collection.IntObjectHashMap;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A closed-loop gRPC load client (the gRPC counterpart of wrk), written on Netty's HTTP/2 codec so
 * that it costs the machine less than the server it measures: CALLS concurrent unary calls of
 * ManagementService over CONNS HTTP/2 prior-knowledge connections spread over THREADS event loops
 * (default 4 connections x 16 streams on 2 threads, as {@code h2load -c4 -m16 -t2}). Each stream
 * starts its next call when its previous one ended; request bodies are length-prefixed protobuf,
 * encoded before the run. A call is OK when its trailers say {@code grpc-status: 0}; anything else
 * (another status, a reset stream, a lost connection) is an error.
 *
 * <p>Prints {@code rps R p99_ms P errors E} over the calls that ended inside the measured window
 * (WARMUP_S unmeasured, then SECONDS measured): OK calls per second, 99th percentile latency of all
 * calls, calls that did not end OK.
 *
 * <p>Methods: {@code get} = GetUserMetadata(USER, KEY), one body for every call (a cached read);
 * {@code bulk} = BulkSetUserMetadata of 10 changed keys, exactly as {@code lua/bulk10.lua} sends
 * them per wrk thread: each event loop has its own run-unique prefix and counter, call n goes to
 * user {@code bulk-<prefix>-<n % 1000>} and sets {@code key-0}..{@code key-9} to the 9-byte value
 * number {@code (n / 1000) % 100}, so every call changes all ten values of its user.
 *
 * <p>Also printed: this client's own CPU (percent of one core, and per call) and, with {@code
 * SERVER_PID} set, the server process's CPU per call over the measured window.
 *
 * <p>Run: java -cp target/metagate.jar:classes GrpcLoad PORT TOKEN get|bulk CALLS SECONDS WARMUP_S
 * [USER KEY] [CONNS] [THREADS]
 */
public class GrpcLoad {
  static final String SERVICE = "/zitadel.management.v1.ManagementService/";
  static final AsciiString GRPC_STATUS = AsciiString.cached("grpc-status");

  static volatile boolean measuring;
  static volatile boolean stopping;

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    String token = args[1];
    String method = args[2];
    int calls = Integer.parseInt(args[3]);
    double seconds = Double.parseDouble(args[4]);
    double warmup = Double.parseDouble(args[5]);
    String user = args.length > 6 ? args[6] : "bench";
    String key = args.length > 7 ? args[7] : "greeting";
    int conns = args.length > 8 ? Integer.parseInt(args[8]) : Math.min(calls, 4);
    int threads = args.length > 9 ? Integer.parseInt(args[9]) : Math.min(conns, 2);

    String path;
    if (method.equals("get")) {
      path = SERVICE + "GetUserMetadata";
    } else if (method.equals("bulk")) {
      path = SERVICE + "BulkSetUserMetadata";
    } else {
      throw new IllegalArgumentException("method: get or bulk");
    }
    byte[] block = headerBlock(path, "127.0.0.1:" + port, token);

    EventLoopGroup group = new MultiThreadIoEventLoopGroup(threads, NioIoHandler.newFactory());
    List<EventLoop> loops = new ArrayList<>();
    List<Bodies> sources = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      loops.add(group.next());
      sources.add(method.equals("get") ? new SameBody(getBody(user, key)) : new BulkBodies(t + 1));
    }
    long start = System.nanoTime();
    long measureFrom = start + (long) (warmup * 1e9);
    long endAt = measureFrom + (long) (seconds * 1e9);
    CountDownLatch done = new CountDownLatch(conns);
    List<Connection> connections = new ArrayList<>();
    for (int i = 0; i < conns; i++) {
      int streams = calls / conns + (i < calls % conns ? 1 : 0);
      Connection c = new Connection(block, sources.get(i % threads), streams, endAt, done);
      connections.add(c);
      new Bootstrap()
          .group(loops.get(i % threads))
          .channel(NioSocketChannel.class)
          .option(ChannelOption.TCP_NODELAY, true)
          .handler(c)
          .connect("127.0.0.1", port)
          .addListener(
              f -> {
                if (!f.isSuccess()) {
                  System.err.println("connect failed: " + f.cause());
                  c.fail();
                }
              });
    }
    long sleep = (measureFrom - System.nanoTime()) / 1_000_000;
    if (sleep > 0) {
      Thread.sleep(sleep);
    }
    String serverPid = System.getenv("SERVER_PID");
    long server0 = serverTicks(serverPid);
    long cpu0 = cpuNanos();
    measuring = true;
    sleep = (endAt - System.nanoTime()) / 1_000_000;
    if (sleep > 0) {
      Thread.sleep(sleep);
    }
    stopping = true;
    long cpu = cpuNanos() - cpu0;
    long serverTicks = serverTicks(serverPid) - server0;
    // like wrk: calls that end inside the measured window count; stragglers get 5 s to end
    done.await(5, TimeUnit.SECONDS);
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync(); // happens-before: counters are final
    long ok = 0;
    long errors = 0;
    long[] buckets = new long[Histogram.SIZE];
    for (Connection c : connections) {
      ok += c.ok;
      errors += c.errors;
      c.latency.addTo(buckets);
    }
    long n = Math.max(1, ok + errors);
    System.out.printf(
        "rps %.2f p99_ms %.3f errors %d client_cpu %.0f%% client_cpu_us_per_call %.1f"
            + " server_cpu_us_per_call %.1f%n",
        ok / seconds,
        Histogram.percentile(buckets, 0.99),
        errors,
        100.0 * cpu / (seconds * 1e9),
        cpu / 1000.0 / n,
        serverTicks * 10_000.0 / n); // USER_HZ is 100 on Linux
  }

  /** This JVM's user + system CPU time (all threads, JIT and GC included). */
  static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** utime + stime of process {@code pid} in clock ticks, from /proc; 0 without a pid. */
  static long serverTicks(String pid) throws java.io.IOException {
    if (pid == null || pid.isEmpty()) {
      return 0;
    }
    String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc", pid, "stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(f[11]) + Long.parseLong(f[12]); // fields 14 and 15 of the whole line
  }

  static byte[] getBody(String user, String key) {
    return frame(GetUserMetadataRequest.newBuilder().setId(user).setKey(key).build().toByteArray());
  }

  static byte[] frame(byte[] message) {
    byte[] out = new byte[5 + message.length];
    out[1] = (byte) (message.length >>> 24);
    out[2] = (byte) (message.length >>> 16);
    out[3] = (byte) (message.length >>> 8);
    out[4] = (byte) message.length;
    System.arraycopy(message, 0, out, 5, message.length);
    return out;
  }

  /** The request bodies of one event loop's calls; used only on that loop's thread. */
  interface Bodies {
    ByteBuf next();
  }

  record SameBody(ByteBuf body) implements Bodies {
    SameBody(byte[] body) {
      this(Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(body)));
    }

    @Override
    public ByteBuf next() {
      return body.duplicate();
    }
  }

  /**
   * lua/bulk10.lua's bodies: user part (1000 ids) and entries part (100 values) encoded once; a
   * body is the two concatenated (protobuf merges concatenated encodings), behind the gRPC prefix.
   */
  static final class BulkBodies implements Bodies {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final ByteBuf[] users = new ByteBuf[1000];
    private final ByteBuf[] entries = new ByteBuf[100];
    private long counter;

    BulkBodies(int thread) {
      String prefix = RANDOM.nextInt(1 << 24) + "" + thread; // as bulk10.lua's init()
      for (int v = 0; v < entries.length; v++) {
        // bulk10.lua's base64 value, as the REST gateway decodes it: 9 bytes
        ByteString value =
            ByteString.copyFrom(Base64.getDecoder().decode(String.format("djAwMDAwMD%02d", v)));
        BulkSetUserMetadataRequest.Builder b = BulkSetUserMetadataRequest.newBuilder();
        for (int i = 0; i < 10; i++) {
          b.addMetadataBuilder().setKey("key-" + i).setValue(value);
        }
        entries[v] = fixed(b.build().toByteArray());
      }
      int entriesLength = entries[0].readableBytes();
      for (int u = 0; u < users.length; u++) {
        byte[] id =
            BulkSetUserMetadataRequest.newBuilder()
                .setId("bulk-" + prefix + "-" + u)
                .build()
                .toByteArray();
        int length = id.length + entriesLength;
        ByteBuf b = Unpooled.buffer(5 + id.length).writeByte(0).writeInt(length).writeBytes(id);
        users[u] = Unpooled.unreleasableBuffer(b);
      }
    }

    private static ByteBuf fixed(byte[] bytes) {
      return Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(bytes));
    }

    @Override
    public ByteBuf next() {
      long n = ++counter;
      return Unpooled.wrappedBuffer(
          users[(int) (n % 1000)].duplicate(), entries[(int) (n / 1000 % 100)].duplicate());
    }
  }

  /**
   * One HTTP/2 connection and its streams, spoken in raw frames: Netty's Http2ConnectionHandler
   * (stream objects, priority tree, flow controllers) cost this client more CPU per call than the
   * server spends answering it. Headers go out as HPACK blocks encoded before the run (see {@link
   * #headerBlock}); answers' header blocks go
   * through Netty's HPACK decoder (the server's dynamic table must be followed). Receive windows
   * are opened to 2^31-1 at once and topped up; the send window is tracked per connection (each
   * stream sends one DATA frame far below the initial stream window). Touched only by its event
   * loop.
   */
  static final class Connection extends ByteToMessageDecoder {
    static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    static final int MAX_WINDOW = Integer.MAX_VALUE;

    final Histogram latency = new Histogram();
    long ok;
    long errors;
    private final byte[] firstBlock;
    private final Bodies bodies;
    private final int streams;
    private final long endAt;
    private final CountDownLatch done;
    private final IntObjectHashMap<long[]> started = new IntObjectHashMap<>();
    private final DefaultHttp2HeadersDecoder hpack = new DefaultHttp2HeadersDecoder(false);
    private final ArrayDeque<ByteBuf> blocked = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private int nextStreamId = 1;
    private long sendWindow = 65_535;
    private long received;
    private boolean finished;

    Connection(byte[] headerBlock, Bodies bodies, int streams, long endAt, CountDownLatch done) {
      this.firstBlock = headerBlock;
      this.bodies = bodies;
      this.streams = streams;
      this.endAt = endAt;
      this.done = done;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      this.ctx = ctx;
      ByteBuf out = ctx.alloc().buffer();
      out.writeBytes(PREFACE);
      frameHeader(out, 12, 0x4, 0, 0); // SETTINGS
      out.writeShort(0x2).writeInt(0); // ENABLE_PUSH off
      out.writeShort(0x4).writeInt(MAX_WINDOW); // INITIAL_WINDOW_SIZE
      frameHeader(out, 4, 0x8, 0, 0).writeInt(MAX_WINDOW - 65_535); // connection WINDOW_UPDATE
      ctx.write(out);
      for (int i = 0; i < streams; i++) {
        send();
      }
      ctx.flush();
    }

    static ByteBuf frameHeader(ByteBuf out, int length, int type, int flags, int streamId) {
      return out.writeMedium(length).writeByte(type).writeByte(flags).writeInt(streamId);
    }

    private void send() {
      if (System.nanoTime() >= endAt || stopping) {
        if (started.isEmpty()) {
          finish();
        }
        return;
      }
      int id = nextStreamId;
      nextStreamId += 2;
      ByteBuf body = bodies.next();
      int n = body.readableBytes();
      byte[] block = id == 1 ? firstBlock : INDEXED_BLOCK;
      ByteBuf out = ctx.alloc().buffer(18 + block.length + n);
      frameHeader(out, block.length, 0x1, 0x4, id).writeBytes(block); // END_HEADERS
      frameHeader(out, n, 0x0, 0x1, id).writeBytes(body); // DATA, END_STREAM
      body.release();
      started.put(id, new long[] {System.nanoTime()});
      if (blocked.isEmpty() && sendWindow >= n) {
        sendWindow -= n;
        ctx.write(out);
      } else {
        blocked.add(out);
      }
    }

    /** The DATA payload length of a HEADERS + DATA pair built by {@link #send()}. */
    private int dataLength(ByteBuf frames) {
      return frames.getUnsignedMedium(9 + frames.getUnsignedMedium(0));
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> unused)
        throws Http2Exception {
      while (in.readableBytes() >= 9) {
        int start = in.readerIndex();
        int length = in.getUnsignedMedium(start);
        if (in.readableBytes() < 9 + length) {
          return;
        }
        int type = in.getUnsignedByte(start + 3);
        int flags = in.getUnsignedByte(start + 4);
        int streamId = in.getInt(start + 5) & Integer.MAX_VALUE;
        ByteBuf payload = in.slice(start + 9, length);
        in.skipBytes(9 + length);
        frame(type, flags, streamId, payload);
      }
    }

    private void frame(int type, int flags, int streamId, ByteBuf payload) throws Http2Exception {
      switch (type) {
        case 0x0 -> { // DATA
          received += payload.readableBytes();
          if (received > 1 << 30) {
            ctx.write(frameHeader(ctx.alloc().buffer(13), 4, 0x8, 0, 0).writeInt((int) received));
            received = 0;
          }
          if ((flags & 0x1) != 0) {
            ended(streamId, false); // a gRPC answer ends with trailers, never with data
          }
        }
        case 0x1 -> { // HEADERS
          if ((flags & 0x4) == 0) {
            throw new IllegalStateException("CONTINUATION frames are not supported");
          }
          int pad = (flags & 0x8) != 0 ? payload.readUnsignedByte() : 0;
          if ((flags & 0x20) != 0) {
            payload.skipBytes(5); // PRIORITY
          }
          payload.writerIndex(payload.writerIndex() - pad);
          Http2Headers headers = hpack.decodeHeaders(streamId, payload);
          if ((flags & 0x1) != 0) {
            CharSequence status = headers.get(GRPC_STATUS);
            ended(streamId, status != null && status.length() == 1 && status.charAt(0) == '0');
          }
        }
        case 0x3 -> ended(streamId, false); // RST_STREAM
        case 0x4 -> { // SETTINGS
          if ((flags & 0x1) == 0) {
            ctx.write(frameHeader(ctx.alloc().buffer(9), 0, 0x4, 0x1, 0));
          }
        }
        case 0x6 -> { // PING
          if ((flags & 0x1) == 0) {
            ctx.write(frameHeader(ctx.alloc().buffer(17), 8, 0x6, 0x1, 0).writeBytes(payload));
          }
        }
        case 0x7 -> { // GOAWAY
          System.err.println("server sent GOAWAY, error code " + payload.getInt(4));
          errors += started.size();
          started.clear();
          finish();
        }
        case 0x8 -> { // WINDOW_UPDATE
          if (streamId == 0) {
            sendWindow += payload.getInt(0) & Integer.MAX_VALUE;
            while (!blocked.isEmpty() && sendWindow >= dataLength(blocked.peek())) {
              ByteBuf out = blocked.poll();
              sendWindow -= dataLength(out);
              ctx.write(out);
            }
          }
        }
        default -> {} // PRIORITY, PUSH_PROMISE (disabled), unknown: ignored
      }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
      super.channelReadComplete(ctx);
      ctx.flush();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
      if (!finished) {
        System.err.println("connection closed by the server");
        errors += started.size();
        started.clear();
        finish();
      }
      super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      System.err.println("connection failed: " + cause);
      errors += started.size();
      started.clear();
      finish();
      ctx.close();
    }

    void fail() {
      finish();
    }

    private void ended(int streamId, boolean success) {
      long[] t = started.remove(streamId);
      if (t == null) {
        return;
      }
      long now = System.nanoTime();
      if (measuring && now <= endAt) {
        latency.record((now - t[0]) / 1000);
        if (success) {
          ok++;
        } else if (++errors <= 3) {
          System.err.println("call failed on stream " + streamId);
        }
      }
      send();
    }

    private void finish() {
      if (!finished) {
        finished = true;
        done.countDown();
      }
    }
  }

  /**
   * The first request's HPACK block on a connection: indexed {@code :method POST} and {@code
   * :scheme http}, the other five fields literals added to the server's dynamic table (RFC 7541
   * 6.2.1), no Huffman. As every HTTP/2 client does, later requests name the five by their table
   * index: see {@link #INDEXED_BLOCK}.
   */
  static byte[] headerBlock(String path, String authority, String token) {
    ByteBuf b = Unpooled.buffer();
    b.writeByte(0x83).writeByte(0x86); // :method POST, :scheme http
    indexed(b, 4, null, path); // :path, becomes dynamic entry 66
    indexed(b, 1, null, authority); // :authority, 65
    indexed(b, 31, null, "application/grpc"); // content-type, 64
    indexed(b, 0, "te", "trailers"); // 63
    indexed(b, 23, null, "Bearer " + token); // authorization, 62
    byte[] out = new byte[b.readableBytes()];
    b.readBytes(out);
    return out;
  }

  /** Every later request's block: the two static entries, then dynamic entries 66 to 62. */
  static final byte[] INDEXED_BLOCK = {
    (byte) 0x83, (byte) 0x86, (byte) 0xC2, (byte) 0xC1, (byte) 0xC0, (byte) 0xBF, (byte) 0xBE
  };

  private static void indexed(ByteBuf b, int nameIndex, String name, String value) {
    hpackInt(b, 0x40, 6, nameIndex); // literal with incremental indexing
    if (name != null) {
      hpackString(b, name);
    }
    hpackString(b, value);
  }

  private static void hpackString(ByteBuf b, String s) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    hpackInt(b, 0x00, 7, bytes.length);
    b.writeBytes(bytes);
  }

  private static void hpackInt(ByteBuf b, int flags, int prefixBits, int value) {
    int max = (1 << prefixBits) - 1;
    if (value < max) {
      b.writeByte(flags | value);
      return;
    }
    b.writeByte(flags | max);
    value -= max;
    while (value >= 128) {
      b.writeByte((value & 0x7f) | 0x80);
      value >>>= 7;
    }
    b.writeByte(value);
  }

  /** 10 µs buckets up to 100 ms, then 1 ms buckets up to 10 s; one writer thread. */
  static final class Histogram {
    static final int SIZE = 20_000;
    private final long[] buckets = new long[SIZE];

    void record(long micros) {
      int i =
          micros < 100_000
              ? (int) (micros / 10)
              : (int) Math.min(SIZE - 1, 10_000 + (micros - 100_000) / 1000);
      buckets[i]++;
    }

    void addTo(long[] sum) {
      for (int i = 0; i < SIZE; i++) {
        sum[i] += buckets[i];
      }
    }

    static double percentile(long[] buckets, double p) {
      long total = 0;
      for (long b : buckets) {
        total += b;
      }
      long want = (long) Math.ceil(total * p);
      long seen = 0;
      for (int i = 0; i < buckets.length; i++) {
        seen += buckets[i];
        if (seen >= want && want > 0) {
          return i < 10_000 ? (i + 1) * 0.01 : 100 + (i - 10_000 + 1);
        }
      }
      return 0;
    }
  }
}
