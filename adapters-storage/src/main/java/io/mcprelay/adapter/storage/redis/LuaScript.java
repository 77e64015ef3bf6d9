package io.mcprelay.adapter.storage.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A Lua script run atomically by Redis, read from a {@code .lua} resource beside this class,
 * optionally after a shared prelude of helper functions.
 *
 * <p>Scripts touch only keys in one hash slot (see {@link RedisKeys}), so they also run on a
 * Cluster. Redis compares strings in Lua with {@code strcoll}, which depends on its locale: the
 * scripts therefore only test strings for equality, never for order.
 */
record LuaScript(String name, String source, String sha1) {

    /** The script in resource {@code name}.lua, after the given preludes (also resource names). */
    static LuaScript load(String name, String... preludes) {
        StringBuilder source = new StringBuilder();
        for (String prelude : preludes) {
            source.append(read(prelude)).append('\n');
        }
        source.append(read(name));
        return new LuaScript(name, source.toString(), sha1(source.toString()));
    }

    private static String read(String name) {
        try (InputStream in = LuaScript.class.getResourceAsStream(name + ".lua")) {
            if (in == null) {
                throw new IllegalStateException("missing script resource " + name + ".lua");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read script " + name + ".lua", e);
        }
    }

    private static String sha1(String source) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-1", e);
        }
    }
}
