package io.mcprelay.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Measures how long streams stay silent when the mcp-relay instance relaying them dies (bench/takeover).
 *
 * <p>{@code bench.TakeoverProbe HOST OWNER_PORT FOLLOWER_PORT OWNER_PID STREAMS} opens a session and
 * {@code STREAMS} tool calls on the owner instance (at most 128 opening at a time) against
 * {@link ResumableSseUpstream}, takes each call's first event id and drops the connection (the owner
 * keeps reading the upstream into the shared log), resumes every stream on the follower instance
 * with {@code Last-Event-ID} and waits until each has received a live event through it. Then it
 * kills the owner with SIGKILL and, per stream, times the first event the upstream sent after the
 * follower instance re-attached ({@code "resumed":true}); each stays connected until every stream has
 * resumed, as clients do, and then leaves. Prints
 * {@code RESULT streams=.. following=.. resumed=.. p50_ms=.. p95_ms=.. max_ms=..}.
 */
public final class TakeoverProbe {

    private TakeoverProbe() {
    }

    public static void main(String[] args) throws Exception {
        String host = args[0];
        int ownerPort = Integer.parseInt(args[1]);
        int followerPort = Integer.parseInt(args[2]);
        long ownerPid = Long.parseLong(args[3]);
        int streams = Integer.parseInt(args[4]);
        String session = McpSession.open(host, ownerPort);
        AtomicReference<String> firstError = new AtomicReference<>();
        int warmStreams = args.length > 7 ? Integer.parseInt(args[7]) : 0;
        if (warmStreams > 0) {
            warm(host, followerPort, session, warmStreams, firstError);
        }

        String[] lastIds = new String[streams];
        CountDownLatch started = new CountDownLatch(streams);
        Semaphore opening = new Semaphore(128);
        for (int s = 0; s < streams; s++) {
            int stream = s;
            opening.acquire();
            Thread.ofVirtual().start(() -> {
                String body = "{\"jsonrpc\":\"2.0\",\"id\":" + (1000 + stream) + ",\"method\":\"tools/call\",\"params\":{\"name\":\"resumable\"}}";
                try (Http1 http = Http1.exchange(host, ownerPort, "POST", "/mcp", Http1.mcpHeaders(session), body)) {
                    String id = null;
                    String line;
                    while ((line = http.bodyLine()) != null) {
                        if (line.startsWith("id:")) {
                            id = line.substring(3).strip();
                        } else if (line.startsWith("data:") && line.contains("\"progress\"") && id != null) {
                            lastIds[stream] = id;
                            break;
                        }
                    }
                } catch (Exception e) {
                    firstError.compareAndSet(null, "owner: " + e);
                } finally {
                    opening.release();
                    started.countDown();
                }
            });
        }
        started.await(300, TimeUnit.SECONDS);
        int opened = 0;
        for (String id : lastIds) {
            opened += id == null ? 0 : 1;
        }
        if (opened < streams) {
            // a stream the owner refused (a limit) is not measured: say so, the samples are then of fewer streams
            System.out.printf("OPENED only %d of %d streams on the owner (refused: see its log)%n", opened, streams);
        }

        AtomicIntegerArray live = new AtomicIntegerArray(streams);
        AtomicLongArray resumedAt = new AtomicLongArray(streams);
        CountDownLatch following = new CountDownLatch(streams);
        CountDownLatch resumed = new CountDownLatch(streams);
        Semaphore connecting = new Semaphore(128);
        for (int s = 0; s < streams; s++) {
            int stream = s;
            if (lastIds[stream] == null) {
                following.countDown();
                resumed.countDown();
                continue;
            }
            connecting.acquire();
            Thread.ofVirtual().start(() -> {
                boolean released = false;
                boolean counted = false;
                Map<String, String> headers = Http1.mcpHeaders(session);
                headers.put("Accept", "text/event-stream");
                headers.put("Last-Event-ID", lastIds[stream]);
                try (Http1 http = Http1.exchange(host, followerPort, "GET", "/mcp", headers, null)) {
                    connecting.release();
                    released = true;
                    String line;
                    while ((line = http.bodyLine()) != null) {
                        if (!line.startsWith("data:") || !line.contains("\"progress\"")) {
                            continue;
                        }
                        if (line.contains("\"resumed\":true")) {
                            if (resumedAt.compareAndSet(stream, 0, System.nanoTime())) {
                                resumed.countDown();
                                counted = true;
                                // stays connected, as a client does, until every stream resumed: 5,000
                                // clients leaving mid-storm would add their departures to the take-over's work
                                resumed.await(120, TimeUnit.SECONDS);
                                break;
                            }
                        } else if (live.getAndIncrement(stream) == 1) {
                            // the first event replays what the owner logged before; the second came live
                            following.countDown();
                        }
                    }
                } catch (Exception e) {
                    firstError.compareAndSet(null, "follower: " + e);
                } finally {
                    if (!released) {
                        connecting.release();
                    }
                    if (live.get(stream) < 2) {
                        following.countDown();
                    }
                    if (!counted) {
                        resumed.countDown();
                    }
                }
            });
        }
        boolean allFollowing = following.await(300, TimeUnit.SECONDS);
        int followingCount = 0;
        for (int s = 0; s < streams; s++) {
            followingCount += live.get(s) >= 2 ? 1 : 0;
        }
        System.out.printf("FOLLOWING %d of %d%n", followingCount, streams);
        System.out.flush();

        long followerPid = args.length > 5 ? Long.parseLong(args[5]) : -1;
        int redisPort = args.length > 6 ? Integer.parseInt(args[6]) : -1;
        int settleSeconds = args.length > 8 ? Integer.parseInt(args[8]) : 0;
        if (settleSeconds > 0) {
            // the follower instance follows for a while before the owner dies, as one in service does: its JIT
            // finishes compiling what following runs (the last second's CPU by thread shows whether it did)
            Thread.sleep(TimeUnit.SECONDS.toMillis(settleSeconds - 1));
            Map<String, Long> settling = threadCpuMillis(followerPid);
            Thread.sleep(1000);
            System.out.println("SETTLED " + settleSeconds + " s; relay B's CPU by thread in the last second (ms): "
                    + threadShares(settling, threadCpuMillis(followerPid)));
            System.out.flush();
        }
        long cpuBefore = cpuMillis(followerPid);
        Map<String, Long> threadsBefore = threadCpuMillis(followerPid);
        long commandsBefore = redisCommands(host, redisPort);
        long readsBefore = redisStat(host, redisPort, "total_reads_processed");
        long killedAt = System.nanoTime();
        long killedAtEpochMillis = System.currentTimeMillis();
        boolean killed = ProcessHandle.of(ownerPid).map(ProcessHandle::destroyForcibly).orElse(false);
        resumed.await(120, TimeUnit.SECONDS);
        long cpu = cpuMillis(followerPid) - cpuBefore;
        Map<String, Long> threadsAfter = threadCpuMillis(followerPid);
        long commands = redisCommands(host, redisPort) - commandsBefore;
        long reads = redisStat(host, redisPort, "total_reads_processed") - readsBefore;

        List<Long> millis = new ArrayList<>();
        for (int s = 0; s < streams; s++) {
            long at = resumedAt.get(s);
            if (at != 0) {
                millis.add(TimeUnit.NANOSECONDS.toMillis(at - killedAt));
            }
        }
        long[] sorted = millis.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf("RESULT streams=%d following=%d resumed=%d p50_ms=%d p95_ms=%d max_ms=%d min_ms=%d killed=%b all_following=%b"
                        + " follower_cpu_ms=%d redis_commands=%d redis_reads=%d killed_at_epoch_ms=%d%s%n",
                streams, followingCount, sorted.length, percentile(sorted, 50), percentile(sorted, 95),
                sorted.length == 0 ? -1 : sorted[sorted.length - 1], sorted.length == 0 ? -1 : sorted[0], killed, allFollowing,
                followerPid < 0 ? -1 : cpu, redisPort < 0 ? -1 : commands, redisPort < 0 ? -1 : reads, killedAtEpochMillis,
                firstError.get() == null ? "" : " first_error=\"" + firstError.get().replace('"', '\'') + "\"");
        System.out.println("THREADS " + threadShares(threadsBefore, threadsAfter));
        System.out.flush();
        System.exit(0);
    }

    /** Rounds of {@link #warm}: enough for the JIT to compile the live relay path (about 10 s). */
    private static final int WARM_ROUNDS = 10;

    /**
     * Has the follower relay live streams of its own before anything else, as an instance that
     * serves clients does: {@value #WARM_ROUNDS} rounds of {@code count} short tool calls at once
     * (20 events 50 ms apart each), read to their result. A freshly started relay has compiled
     * nothing of the path a take-over then runs (the upstream request, the event parsing, the appends
     * under a lease, the writes to the client), and its JIT compiler would otherwise take about half
     * of its CPU during the storm being measured.
     */
    static void warm(String host, int port, String session, int count, AtomicReference<String> firstError) throws InterruptedException {
        long started = System.nanoTime();
        for (int round = 0; round < WARM_ROUNDS; round++) {
            CountDownLatch done = new CountDownLatch(count);
            for (int c = 0; c < count; c++) {
                long id = 10_000_000L + (long) round * count + c;
                Thread.ofVirtual().start(() -> {
                    String body = "{\"jsonrpc\":\"2.0\",\"id\":" + id
                            + ",\"method\":\"tools/call\",\"params\":{\"name\":\"resumable\",\"events\":20,\"intervalMs\":50}}";
                    try (Http1 http = Http1.exchange(host, port, "POST", "/mcp", Http1.mcpHeaders(session), body)) {
                        String line;
                        while ((line = http.bodyLine()) != null && !line.contains("\"result\"")) {
                            // read to the result
                        }
                    } catch (Exception e) {
                        firstError.compareAndSet(null, "warm-up: " + e);
                    } finally {
                        done.countDown();
                    }
                });
            }
            done.await(60, TimeUnit.SECONDS);
        }
        System.out.printf("WARMED the follower with %d rounds of %d streams in %d ms%n", WARM_ROUNDS, count,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        System.out.flush();
    }

    /**
     * CPU time per thread kind of a process so far, in ms: its threads' {@code /proc} names with
     * their numbers dropped ({@code C2 CompilerThre}, {@code ForkJoinPool-1-worker-} for the carriers
     * of virtual threads, {@code lettuce-nioEvent}, {@code GC Thread#}), so the take-over's CPU can
     * be told apart from the JIT's and the collector's. Empty when it cannot be read.
     */
    static Map<String, Long> threadCpuMillis(long pid) {
        Map<String, Long> byKind = new java.util.TreeMap<>();
        if (pid < 0) {
            return byKind;
        }
        try (java.util.stream.Stream<java.nio.file.Path> tasks = java.nio.file.Files.list(java.nio.file.Path.of("/proc/" + pid + "/task"))) {
            for (java.nio.file.Path task : tasks.toList()) {
                try {
                    String stat = java.nio.file.Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("[0-9]+$", "");
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    byKind.merge(name, (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10, Long::sum);
                } catch (java.io.IOException | RuntimeException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            return byKind;
        }
        return byKind;
    }

    /** The CPU each thread kind used between two readings, largest first, as {@code name=ms;...}. */
    static String threadShares(Map<String, Long> before, Map<String, Long> after) {
        StringBuilder text = new StringBuilder();
        after.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0L)))
                .filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> text.append(e.getKey().strip().replace(' ', '_')).append('=').append(e.getValue()).append(';'));
        return text.toString();
    }

    /**
     * CPU time (user + system) a process has used so far, from {@code /proc/<pid>/stat}, in ms; 0 when
     * it cannot be read. Between the kill and the last resumption it is the follower instance's work
     * for the take-over, which a loaded machine stretches in time but not in amount.
     */
    static long cpuMillis(long pid) {
        if (pid < 0) {
            return 0;
        }
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + pid + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // after the command: state is field 3, utime 14 and stime 15 (1-based), in clock ticks of 10 ms
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10;
        } catch (java.io.IOException | RuntimeException e) {
            return 0;
        }
    }

    /** Redis's count of commands processed so far ({@code INFO stats}); 0 when it cannot be asked. */
    static long redisCommands(String host, int port) {
        return redisStat(host, port, "total_commands_processed");
    }

    /**
     * A counter of Redis's {@code INFO stats} so far; 0 when it cannot be asked. {@code total_reads_processed}
     * counts the socket reads Redis made from its clients: fewer per command means the clients sent
     * their commands in fewer writes.
     */
    static long redisStat(String host, int port, String counter) {
        if (port < 0) {
            return 0;
        }
        try (java.net.Socket socket = new java.net.Socket(host, port)) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write("INFO stats\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    java.nio.charset.StandardCharsets.US_ASCII));
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith(counter + ":")) {
                    return Long.parseLong(line.substring(line.indexOf(':') + 1).strip());
                }
            }
            return 0;
        } catch (java.io.IOException | RuntimeException e) {
            return 0;
        }
    }

    /** The nearest-rank percentile; -1 for no samples. */
    static long percentile(long[] sorted, int p) {
        if (sorted.length == 0) {
            return -1;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
