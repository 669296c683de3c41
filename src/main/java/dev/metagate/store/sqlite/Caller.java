package dev.metagate.store.sqlite;

import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * Who submitted a write, for completing its result on the caller's own thread: {@code thread} runs
 * tasks on that thread (the same object for every caller on it, so that one task can serve all of
 * them), and {@code enter} runs a task there as this caller (on Vert.x: inside the request's own
 * context, so that what it completes needs no further hop).
 */
public record Caller(Executor thread, Consumer<Runnable> enter) {}
