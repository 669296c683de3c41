package dev.metagate.api.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.Status;
import com.zitadel.v1.ErrorDetail;
import dev.metagate.metadata.Code;
import dev.metagate.metadata.MetagateException;
import dev.metagate.upstream.UpstreamReply;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * grpc-message and grpc-status-details-bin: what grpc-go (ZITADEL) sends, so that every client's
 * decoder reads it back.
 */
class StatusMapperTest {

  @Test
  void percentEncode_keepsPrintableAsciiButPercent() {
    String message =
        "invalid SetUserMetadataRequest.Key: value length must be between 1 and 200 runes,"
            + " inclusive (a+b=c; d/e?f&g~h*i)";
    assertThat(StatusMapper.percentEncode(message)).isEqualTo(message);
  }

  @Test
  void percentEncode_escapesPercentControlAndNonAsciiBytesAsUtf8() {
    assertThat(StatusMapper.percentEncode("100% ok\n\u00e9\u20ac"))
        .isEqualTo("100%25 ok%0A%C3%A9%E2%82%AC");
  }

  @Test
  void statusDetails_isZitadelsStatusWithOneErrorDetail_base64WithoutPadding() throws Exception {
    var e = MetagateException.withId(Code.NOT_FOUND, "META-ncnw3", "Metadata not found");
    String wire = StatusMapper.statusDetails(e);
    assertThat(wire).doesNotContain("=");
    Status status = Status.parseFrom(Base64.getDecoder().decode(wire));
    assertThat(status.getCode()).isEqualTo(5);
    assertThat(status.getMessage()).isEqualTo("Metadata not found (META-ncnw3)");
    ErrorDetail detail = status.getDetails(0).unpack(ErrorDetail.class);
    assertThat(detail.getId()).isEqualTo("META-ncnw3");
    assertThat(detail.getMessage()).isEqualTo("Metadata not found");
  }

  @Test
  void fromUpstream_zitadelErrorBodyWithDetail_keepsTheIdForStatusDetails() {
    var e =
        StatusMapper.fromUpstream(
            reply(
                404,
                "{\"code\":5,\"message\":\"Metadata not found (META-ncnw3)\",\"details\":[{"
                    + "\"@type\":\"type.googleapis.com/zitadel.v1.ErrorDetail\","
                    + "\"id\":\"META-ncnw3\",\"message\":\"Metadata not found\"}]}"));
    assertThat(e.code()).isEqualTo(Code.NOT_FOUND);
    assertThat(e.id()).isEqualTo("META-ncnw3");
    assertThat(e.getMessage()).isEqualTo("Metadata not found (META-ncnw3)");
  }

  @Test
  void fromUpstream_detailThatDoesNotMatchTheMessage_keepsTheMessageAndDropsTheDetail() {
    var e =
        StatusMapper.fromUpstream(
            reply(
                403,
                "{\"code\":7,\"message\":\"No matching permissions found\",\"details\":[{"
                    + "\"@type\":\"type.googleapis.com/zitadel.v1.ErrorDetail\","
                    + "\"id\":\"AUTH-5mWD2\",\"message\":\"something else\"}]}"));
    assertThat(e.id()).isNull();
    assertThat(e.getMessage()).isEqualTo("No matching permissions found");
  }

  private static UpstreamReply reply(int status, String body) {
    return new UpstreamReply(status, MultiMap.caseInsensitiveMultiMap(), Buffer.buffer(body));
  }
}
