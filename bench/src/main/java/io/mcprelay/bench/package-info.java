/**
 * The load tools bench/run drives: a paced SSE upstream that stamps each event with its send time,
 * and clients that open streams over raw HTTP/1.1 sockets to measure lag, hold thousands of streams
 * open, or time a replay. Not production code: built only with the {@code bench} profile.
 */
package io.mcprelay.bench;
