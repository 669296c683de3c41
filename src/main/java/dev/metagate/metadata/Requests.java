package dev.metagate.metadata;

import java.util.List;

/**
 * The complete rule set of each metadata request, checked before anything is read or written: the
 * one place both the local service and the upstream forwarder validate, so a request ZITADEL would
 * refuse is refused the same way in either mode.
 */
public final class Requests {
  private Requests() {}

  public static void bulkSet(String userId, List<KeyValue> entries) {
    Validation.userId("BulkSetUserMetadataRequest", "Id", userId);
    Validation.bulkEntries("BulkSetUserMetadataRequest", entries);
  }

  public static void set(String userId, String key, byte[] value) {
    Validation.userId("SetUserMetadataRequest", "Id", userId);
    Validation.key("SetUserMetadataRequest.Key", key);
    Validation.value("SetUserMetadataRequest.Value", value);
    Validation.storable(key);
  }

  public static void get(String userId, String key) {
    Validation.userId("GetUserMetadataRequest", "Id", userId);
    Validation.key("GetUserMetadataRequest.Key", key);
  }

  public static void list(String userId, ListQuery page, List<KeyQuery> queries) {
    Validation.userId("ListUserMetadataRequest", "Id", userId);
    Validation.listQuery(page);
    for (KeyQuery q : queries) {
      Validation.keyQuery("MetadataKeyQuery.Key", q);
    }
  }

  public static void remove(String userId, String key) {
    Validation.userId("RemoveUserMetadataRequest", "Id", userId);
    Validation.key("RemoveUserMetadataRequest.Key", key);
  }

  public static void bulkRemove(String userId, List<String> keys) {
    Validation.userId("BulkRemoveUserMetadataRequest", "Id", userId);
    Validation.keys("BulkRemoveUserMetadataRequest", keys);
  }
}
