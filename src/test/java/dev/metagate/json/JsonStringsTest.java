package dev.metagate.json;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonStringsTest {
  private static String quote(String s) {
    return JsonStrings.quote(new StringBuilder(), s).toString();
  }

  @Test
  void quote_escapesQuotesBackslashesAndShortFormControls() {
    assertThat(quote("a\"b\\c\nd\re\tf\bg\fh")).isEqualTo("\"a\\\"b\\\\c\\nd\\re\\tf\\bg\\fh\"");
  }

  @Test
  void quote_escapesOtherControlsLineSeparatorsAndLoneSurrogatesAsUnicode() {
    assertThat(quote("\u0001\u001f\u2028\u2029\ud800x\udc00"))
        .isEqualTo("\"\\u0001\\u001f\\u2028\\u2029\\ud800x\\udc00\"");
  }

  @Test
  void quote_keepsSurrogatePairsAndPlainText() {
    assertThat(quote("é😀z")).isEqualTo("\"é😀z\"");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"", "plain", "\u0000\u007f", "\"\\/", "\ud83d", "x\ude00", "\ud83d\ude00"})
  void quote_readsBackUnchanged(String s) {
    assertThat(new JsonArray("[" + quote(s) + "]").getString(0)).isEqualTo(s);
  }
}
