package io.mcprelay.domain.bridge;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An immutable JSON value. Objects keep their members in insertion order; numbers keep their exact decimal
 * value. {@link JsonText} parses and writes it; {@link #toString()} is the compact JSON text.
 */
public sealed interface JsonValue {

    /** The shared {@code null}. */
    Null NULL = new Null();

    /** The value as compact JSON text (object members in insertion order). */
    default String toJson() {
        return JsonText.write(this, false);
    }

    /** A JSON object; {@code members} keep their order and cannot be changed. */
    record Obj(Map<String, JsonValue> members) implements JsonValue {
        /** The empty object. */
        public static final Obj EMPTY = new Obj(Map.of());

        public Obj {
            members.forEach((name, value) -> {
                Objects.requireNonNull(name, "member name");
                Objects.requireNonNull(value, "member value");
            });
            members = Collections.unmodifiableMap(new LinkedHashMap<>(members));
        }

        /** The member {@code name}, if present. */
        public Optional<JsonValue> get(String name) {
            return Optional.ofNullable(members.get(name));
        }

        /** The member {@code name} if it is an object. */
        public Optional<Obj> obj(String name) {
            return get(name).filter(Obj.class::isInstance).map(Obj.class::cast);
        }

        /** The member {@code name} if it is a string. */
        public Optional<String> str(String name) {
            return get(name).filter(Str.class::isInstance).map(v -> ((Str) v).value());
        }

        /** A copy with member {@code name} set to {@code value} (replaced in place if present, else appended). */
        public Obj with(String name, JsonValue value) {
            Map<String, JsonValue> copy = new LinkedHashMap<>(members);
            copy.put(name, value);
            return new Obj(copy);
        }

        /** A copy without the members named in {@code names}. */
        public Obj without(String... names) {
            Map<String, JsonValue> copy = new LinkedHashMap<>(members);
            for (String name : names) {
                copy.remove(name);
            }
            return new Obj(copy);
        }

        @Override
        public String toString() {
            return toJson();
        }
    }

    /** A JSON array. */
    record Arr(List<JsonValue> elements) implements JsonValue {
        public Arr {
            elements = List.copyOf(elements);
        }

        @Override
        public String toString() {
            return toJson();
        }
    }

    /** A JSON string. */
    record Str(String value) implements JsonValue {
        public Str {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public String toString() {
            return toJson();
        }
    }

    /** A JSON number, exactly as written. */
    record Num(BigDecimal value) implements JsonValue {
        public Num {
            Objects.requireNonNull(value, "value");
        }

        /** The number {@code value}. */
        public static Num of(long value) {
            return new Num(BigDecimal.valueOf(value));
        }

        /** {@code true} for an integer value (no fraction, whatever its notation: {@code 42.0} is one). */
        public boolean isIntegral() {
            return value.signum() == 0 || value.stripTrailingZeros().scale() <= 0;
        }

        @Override
        public String toString() {
            return toJson();
        }
    }

    /** {@code true} or {@code false}. */
    record Bool(boolean value) implements JsonValue {
        @Override
        public String toString() {
            return toJson();
        }
    }

    /** {@code null}. */
    record Null() implements JsonValue {
        @Override
        public String toString() {
            return toJson();
        }
    }

    /** A string value. */
    static Str str(String value) {
        return new Str(value);
    }

    /** An object of alternating names and values: {@code obj("a", str("x"), "b", Num.of(1))}. */
    static Obj obj(Object... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("names and values come in pairs");
        }
        Map<String, JsonValue> members = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            members.put((String) namesAndValues[i], (JsonValue) namesAndValues[i + 1]);
        }
        return new Obj(members);
    }
}
