package dev.metagate.api.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.metagate.metadata.KeyValue;
import dev.metagate.metadata.MetagateException;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import org.junit.jupiter.api.Test;

class StreamedBodiesTest {
  private static final List<String> PLAIN_BULK =
      List.of(
          "{\"metadata\":[{\"key\":\"a\",\"value\":\"djE=\"},{\"key\":\"b\",\"value\":\"djI\"}]}",
          " {\"x\":{\"y\":[1,null,{}]},\"metadata\":[{\"other\":[1],\"value\":\"_-8\",\"key\":\"k\"}]} ",
          "{\"metadata\":[]}",
          "{\"metadata\":[{\"key\":\"\\u00e9\",\"value\":\"\"}]}");
  private static final List<String> ODD_BULK =
      List.of(
          "",
          "  ",
          "{}",
          "[]",
          "{\"metadata\":null}",
          "{\"metadata\":[{\"key\":\"a\"}]}",
          "{\"metadata\":[{\"key\":\"a\",\"value\":null}]}",
          "{\"metadata\":[{\"key\":1,\"value\":\"djE=\"}]}",
          "{\"metadata\":[{\"key\":\"a\",\"value\":\"djE=\",\"key\":\"b\"}]}",
          "{\"metadata\":[],\"metadata\":[]}",
          "{\"metadata\":[null]}",
          "{\"metadata\":{}}",
          "{\"metadata\":[]} {}",
          "{\"metadata\":[] /* c */}",
          "{\"metadata\":[{\"key\":\"a\",\"value\":\"djE=\"}]",
          "\uFEFF{\"metadata\":[]}");

  @Test
  void plainBulkBodies_readAsTheGeneralPathReadsThem() {
    for (String body : PLAIN_BULK) {
      List<KeyValue> streamed = StreamedBodies.bulkSetEntries(Buffer.buffer(body));
      assertThat(streamed).as(body).isNotNull();
      List<KeyValue> general = Bodies.bulkSetEntries(Bodies.object(Buffer.buffer(body)));
      assertThat(streamed).as(body).hasSameSizeAs(general);
      for (int i = 0; i < general.size(); i++) {
        assertThat(streamed.get(i).key()).isEqualTo(general.get(i).key());
        assertThat(streamed.get(i).value()).isEqualTo(general.get(i).value());
      }
    }
  }

  @Test
  void oddOrInvalidBulkBodies_areLeftToTheGeneralPath() {
    for (String body : ODD_BULK) {
      assertThat(StreamedBodies.bulkSetEntries(Buffer.buffer(body))).as(body).isNull();
    }
  }

  @Test
  void badBase64_failsWithTheGeneralPathsError_forTheFirstBadEntry() {
    String body =
        "{\"metadata\":[{\"key\":\"a\",\"value\":\"djE=\"},{\"key\":\"b\",\"value\":\"!!\"}]}";
    Throwable general =
        catchThrowable(() -> Bodies.bulkSetEntries(Bodies.object(Buffer.buffer(body))));
    assertThatThrownBy(() -> StreamedBodies.bulkSetEntries(Buffer.buffer(body)))
        .isInstanceOf(MetagateException.class)
        .hasMessage(general.getMessage());
  }

  @Test
  void setValue_plainIsRead_oddIsLeftToTheGeneralPath() {
    assertThat(StreamedBodies.value(Buffer.buffer("{\"value\":\"djE=\",\"k\":[{}]}")))
        .isEqualTo(Bodies.value(Bodies.object(Buffer.buffer("{\"value\":\"djE=\"}"))));
    for (String body :
        List.of(
            "",
            "{}",
            "{\"value\":null}",
            "{\"value\":1}",
            "{\"value\":\"a\",\"value\":\"b\"}",
            "{\"value\":\"djE=\"",
            "{\"value\":\"djE=\"}x")) {
      assertThat(StreamedBodies.value(Buffer.buffer(body))).as(body).isNull();
    }
  }
}
