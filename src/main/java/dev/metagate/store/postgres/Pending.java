package dev.metagate.store.postgres;

import dev.metagate.metadata.CommittedWrite;
import dev.metagate.metadata.UserRef;
import dev.metagate.metadata.WriteCommand;
import java.util.concurrent.CompletableFuture;

/** A queued command and the future its caller waits on. */
record Pending(UserRef user, WriteCommand command, CompletableFuture<CommittedWrite> result) {}
