package dev.metagate.api.grpc;

import com.google.protobuf.ByteString;
import com.zitadel.management.v1.BulkSetUserMetadataRequest;
import dev.metagate.testing.Grpc;
import dev.metagate.testing.Invariants;
import dev.metagate.testing.TestGateway;
import dev.metagate.testing.TestIssuer;
import dev.metagate.testing.WithGateway;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One issuer and one gateway with default settings, shared by all tests of every subclass (and the
 * REST tests), and one gRPC client (HTTP/2, prior knowledge) per class; each test works on users of
 * its own.
 */
@ExtendWith(Invariants.class)
@WithGateway(shared = true)
abstract class GrpcGateway {
  static final String ORG = "org-1";
  private static final AtomicInteger USERS = new AtomicInteger();

  static TestIssuer issuer;
  static TestGateway gw;
  static Grpc grpc;

  /** An ORG_OWNER of {@link #ORG}. */
  static Grpc.Caller owner;

  @BeforeAll
  static void connect() {
    grpc = Grpc.connect(gw.gateway().apiPort());
    owner = grpc.as(issuer.token("owner-1", ORG, "ORG_OWNER"));
  }

  @AfterAll
  static void disconnect() {
    grpc.close();
  }

  static String newUser() {
    return "grpc-user-" + USERS.incrementAndGet();
  }

  static ByteString bytes(String s) {
    return ByteString.copyFrom(s.getBytes(StandardCharsets.UTF_8));
  }

  static BulkSetUserMetadataRequest.Metadata entry(String key, String value) {
    return BulkSetUserMetadataRequest.Metadata.newBuilder()
        .setKey(key)
        .setValue(bytes(value))
        .build();
  }
}
