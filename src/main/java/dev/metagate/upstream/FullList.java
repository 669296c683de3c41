package dev.metagate.upstream;

import dev.metagate.metadata.Code;
import dev.metagate.metadata.MetadataEntry;
import dev.metagate.metadata.MetagateException;
import dev.metagate.metadata.UserMetadata;
import dev.metagate.metadata.UserRef;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fetches one user's full metadata with {@code ListUserMetadata}, {@value #PAGE} entries a page,
 * following pages until the total ZITADEL reported is collected. If the total changes between pages
 * (a write that bypassed metagate), the listing starts over, up to {@value #TRIES} times; then it
 * fails rather than present a mixture of two states as the user's metadata.
 */
final class FullList {
  static final int PAGE = 1000;
  private static final int MAX_PAGES = 100;
  private static final int TRIES = 3;

  private final UpstreamClient client;

  FullList(UpstreamClient client) {
    this.client = client;
  }

  Future<Fetched> fetch(Credential as, UserRef user) {
    return attempt(as, user, 1);
  }

  private Future<Fetched> attempt(Credential as, UserRef user, int attempt) {
    return page(as, user, new ArrayList<>(), null)
        .compose(
            f -> {
              if (f != null) {
                return Future.succeededFuture(f);
              }
              if (attempt < TRIES) {
                return attempt(as, user, attempt + 1);
              }
              return Future.failedFuture(
                  MetagateException.of(Code.UNAVAILABLE, "upstream list kept changing"));
            });
  }

  /** The rest of the listing after {@code got}; null when the total moved under it. */
  private Future<Fetched> page(
      Credential as, UserRef user, List<MetadataEntry> got, ZitadelAnswers.ListPage first) {
    return client
        .send(ZitadelCalls.listPage(as, user.userId(), got.size(), PAGE))
        .compose(
            reply -> {
              if (!reply.ok()) {
                return Future.succeededFuture(Fetched.refused(reply));
              }
              ZitadelAnswers.ListPage p = parse(reply);
              if (first != null && p.totalResult() != first.totalResult()) {
                return Future.succeededFuture(null);
              }
              got.addAll(p.entries());
              boolean more = got.size() < p.totalResult() && !p.entries().isEmpty();
              if (more && got.size() < (long) PAGE * MAX_PAGES) {
                return page(as, user, got, first == null ? p : first);
              }
              return Future.succeededFuture(Fetched.of(snapshot(user, p, got)));
            });
  }

  private static ZitadelAnswers.ListPage parse(UpstreamReply reply) {
    try {
      return ZitadelAnswers.listPage(reply.body());
    } catch (RuntimeException e) {
      throw MetagateException.of(Code.UNAVAILABLE, "upstream answered an unreadable list");
    }
  }

  /** Held under the resource owner ZITADEL named, so entries render as ZITADEL renders them. */
  private static UserMetadata snapshot(
      UserRef user, ZitadelAnswers.ListPage last, List<MetadataEntry> entries) {
    String owner = last.resourceOwner() != null ? last.resourceOwner() : user.orgId();
    Map<String, MetadataEntry> byKey = new LinkedHashMap<>();
    for (MetadataEntry e : entries) {
      byKey.put(e.key(), e); // pages that overlapped after a concurrent write: the later wins
    }
    return UserMetadata.of(
        new UserRef(owner, user.userId()),
        last.processedSequence(),
        last.viewMicros(),
        List.copyOf(byKey.values()));
  }
}
