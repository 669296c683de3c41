package dev.metagate.api.grpc;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import com.zitadel.v1.ListDetails;
import com.zitadel.v1.ObjectDetails;
import dev.metagate.metadata.Details;
import dev.metagate.metadata.KeyQuery;
import dev.metagate.metadata.ListQuery;
import dev.metagate.metadata.MetadataEntry;
import dev.metagate.metadata.MetadataPage;
import dev.metagate.metadata.MetagateException;
import dev.metagate.metadata.TextQueryMethod;

/**
 * Domain values to and from ZITADEL's protobuf messages. Zero values stay unset, as on the REST
 * side where they are left out of the JSON.
 */
final class Protos {
  private Protos() {}

  /** A timestamp for {@code micros} since the epoch, or null for 0 ("not set"). */
  static Timestamp timestamp(long micros) {
    if (micros == 0) {
      return null;
    }
    return Timestamp.newBuilder()
        .setSeconds(Math.floorDiv(micros, 1_000_000))
        .setNanos((int) Math.floorMod(micros, 1_000_000) * 1_000)
        .build();
  }

  static ObjectDetails details(Details d) {
    ObjectDetails.Builder b = ObjectDetails.newBuilder().setSequence(d.sequence());
    Timestamp created = timestamp(d.creationMicros());
    if (created != null) {
      b.setCreationDate(created);
    }
    Timestamp changed = timestamp(d.changeMicros());
    if (changed != null) {
      b.setChangeDate(changed);
    }
    if (d.resourceOwner() != null) {
      b.setResourceOwner(d.resourceOwner());
    }
    return b.build();
  }

  /** A v1 entry: its details carry when the key was first set and its latest change. */
  static com.zitadel.metadata.v1.Metadata v1(MetadataEntry e, String orgId) {
    return com.zitadel.metadata.v1.Metadata.newBuilder()
        .setDetails(details(new Details(e.sequence(), e.creationMicros(), e.changeMicros(), orgId)))
        .setKey(e.key())
        .setValue(ByteString.copyFrom(e.value()))
        .build();
  }

  static com.zitadel.metadata.v2.Metadata v2(MetadataEntry e) {
    var b =
        com.zitadel.metadata.v2.Metadata.newBuilder()
            .setKey(e.key())
            .setValue(ByteString.copyFrom(e.value()));
    Timestamp created = timestamp(e.creationMicros());
    if (created != null) {
      b.setCreationDate(created);
    }
    Timestamp changed = timestamp(e.changeMicros());
    if (changed != null) {
      b.setChangeDate(changed);
    }
    return b.build();
  }

  static ListDetails listDetails(MetadataPage page) {
    ListDetails.Builder b =
        ListDetails.newBuilder()
            .setTotalResult(page.totalResult())
            .setProcessedSequence(page.processedSequence());
    Timestamp view = timestamp(page.viewMicros());
    if (view != null) {
      b.setViewTimestamp(view);
    }
    return b.build();
  }

  /**
   * Paging from the wire: {@code limit} is a uint32 and {@code offset} a uint64, so values Java
   * sees as negative are huge ones (an offset past every match; a limit the validation refuses).
   */
  static ListQuery listQuery(long offset, int limit, boolean asc) {
    return new ListQuery(offset < 0 ? Long.MAX_VALUE : offset, Integer.toUnsignedLong(limit), asc);
  }

  /** A v2 page: as {@link #listQuery}, ordered by creation date as ZITADEL's v2 list is. */
  static ListQuery v2Page(long offset, int limit, boolean asc) {
    ListQuery q = listQuery(offset, limit, asc);
    return new ListQuery(q.offset(), q.limit(), q.asc(), ListQuery.Order.CREATION_DATE);
  }

  /**
   * A key query whose method is given by its wire number; both ZITADEL enums ({@code
   * zitadel.v1.TextQueryMethod} and {@code zitadel.filter.v2.TextFilterMethod}) number the same
   * eight methods alike. A number outside them is INVALID_ARGUMENT, as a bad enum is over REST.
   */
  static KeyQuery keyQuery(String key, int methodNumber, String enumName) {
    TextQueryMethod method = TextQueryMethod.ofNumber(methodNumber);
    if (method == null) {
      throw MetagateException.invalidArgument(
          "invalid value for enum field method: not a " + enumName);
    }
    return new KeyQuery(key, method);
  }
}
