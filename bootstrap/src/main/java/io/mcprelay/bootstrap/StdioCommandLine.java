package io.mcprelay.bootstrap;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The part of {@code --upstream NAME=stdio:...} after {@code stdio:}, read like an {@code env(1)}
 * invocation: {@code [--chdir=DIR] [VAR=VALUE]... COMMAND [ARG]...}.
 *
 * <p>It is split into words, never given to a shell: words are separated by whitespace; {@code '...'}
 * keeps everything inside as it is; {@code "..."} too, except that {@code \"} and {@code \\} stand
 * for {@code "} and {@code \}; quoted and unquoted pieces next to each other form one word
 * ({@code --root="My Files"}). Nothing else is special: no {@code $VARIABLES}, globs, pipes or
 * redirections. The configuration file's {@code command}, {@code args}, {@code env} and {@code cwd}
 * are written in this form ({@link #format}) so that both sources go through one reader.
 *
 * @param command the program, found on the relay's {@code PATH} unless it is a path
 * @param args    its arguments
 * @param env     variables set for it, on top of the minimal environment
 * @param cwd     its working directory (the relay's if empty)
 */
record StdioCommandLine(String command, List<String> args, Map<String, String> env, Optional<String> cwd) {

    static final String PREFIX = "stdio:";
    private static final String CHDIR = "--chdir=";
    private static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*=.*", Pattern.DOTALL);

    StdioCommandLine {
        args = List.copyOf(args);
        env = Map.copyOf(env);
    }

    /** Reads the text after {@code stdio:}. */
    static StdioCommandLine parse(String text) {
        List<String> words = split(text);
        int i = 0;
        Optional<String> cwd = Optional.empty();
        if (i < words.size() && words.get(i).startsWith(CHDIR)) {
            cwd = Optional.of(words.get(i++).substring(CHDIR.length())).filter(d -> !d.isEmpty());
            if (cwd.isEmpty()) {
                throw new IllegalArgumentException("--chdir= needs a directory");
            }
        }
        Map<String, String> env = new LinkedHashMap<>();
        while (i < words.size() && VARIABLE.matcher(words.get(i)).matches()) {
            String word = words.get(i++);
            int eq = word.indexOf('=');
            env.put(word.substring(0, eq), word.substring(eq + 1));
        }
        if (i >= words.size()) {
            throw new IllegalArgumentException("stdio: needs a command, e.g. stdio:npx -y @modelcontextprotocol/server-everything stdio");
        }
        return new StdioCommandLine(words.get(i), words.subList(i + 1, words.size()), env, cwd);
    }

    /** The words of {@code text}, as the class comment says. */
    static List<String> split(String text) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i++);
            if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else if (c == '\'' || c == '"') {
                inWord = true;
                int close = c == '\'' ? text.indexOf('\'', i) : closingDoubleQuote(text, i);
                if (close < 0) {
                    throw new IllegalArgumentException("a " + (c == '\'' ? "'" : "\"") + " is not closed");
                }
                String inside = text.substring(i, close);
                word.append(c == '\'' ? inside : unescape(inside));
                i = close + 1;
            } else {
                inWord = true;
                word.append(c);
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }

    private static String unescape(String inside) {
        StringBuilder out = new StringBuilder(inside.length());
        for (int i = 0; i < inside.length(); i++) {
            char c = inside.charAt(i);
            if (c == '\\' && i + 1 < inside.length() && (inside.charAt(i + 1) == '"' || inside.charAt(i + 1) == '\\')) {
                c = inside.charAt(++i);
            }
            out.append(c);
        }
        return out.toString();
    }

    private static int closingDoubleQuote(String text, int from) {
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length() && (text.charAt(i + 1) == '"' || text.charAt(i + 1) == '\\')) {
                i++;
            } else if (c == '"') {
                return i;
            }
        }
        return -1;
    }

    /** This command in the form {@link #parse} reads back exactly (without the {@code stdio:} prefix). */
    String format() {
        List<String> words = new ArrayList<>();
        cwd.ifPresent(dir -> words.add(quote(CHDIR + dir)));
        env.forEach((name, value) -> words.add(quote(name + "=" + value)));
        words.add(quote(command));
        args.forEach(arg -> words.add(quote(arg)));
        return String.join(" ", words);
    }

    private static String quote(String word) {
        boolean plain = !word.isEmpty() && word.chars().noneMatch(c -> Character.isWhitespace(c) || c == '\'' || c == '"' || c == '\\');
        return plain ? word : "\"" + word.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
