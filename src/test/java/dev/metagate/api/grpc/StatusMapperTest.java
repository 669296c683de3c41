package dev.metagate.api.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** grpc-message encoding: what grpc-go sends, so that every client's decoder reads it back. */
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
}
