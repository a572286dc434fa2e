package org.omerofleet.modules;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.omerofleet.result.TaskResult;
import org.omerofleet.transport.CommandResult;
import org.omerofleet.transport.ExecRequest;
import org.omerofleet.transport.ShellQuote;
import org.omerofleet.transport.TransportException;

/**
 * Make an HTTP request from the host, as Ansible's {@code uri}, with the host's {@code curl}:
 * {@code url}, {@code method}, {@code body} with {@code body_format} (raw, json, form-urlencoded),
 * {@code headers}, {@code status_code} (200 by default; another status fails), {@code return_content},
 * {@code timeout}, {@code validate_certs}, {@code follow_redirects}, {@code url_username} and
 * {@code url_password}, {@code creates}, {@code removes}. The headers, body and credentials reach curl
 * through its standard input (a {@code -K -} config), never its command line. Returns {@code status},
 * {@code url}, {@code msg}, the response headers (lower case, {@code -} as {@code _}), {@code content}
 * when asked or when JSON, and {@code json}. Not changed; runs in check mode only for GET and HEAD,
 * as Ansible's does.
 */
public final class UriModule implements Module {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MARK = "__fleet_uri__";

    @Override
    public String name() {
        return "uri";
    }

    @Override
    public Set<String> parameters() {
        return Set.of("url", "method", "body", "body_format", "headers", "status_code", "return_content", "timeout", "validate_certs",
                "follow_redirects", "url_username", "url_password", "user", "password", "force_basic_auth", "creates", "removes");
    }

    @Override
    public Set<String> required() {
        return Set.of("url");
    }

    @Override
    public boolean supportsCheckMode() {
        return true;
    }

    @Override
    public TaskResult run(TaskContext context, Args args) throws TransportException {
        String url = args.string("url");
        String method = args.string("method", "GET").toUpperCase(Locale.ROOT);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("url", url);
        if (args.has("creates") && context.connection().exec(ExecRequest.argv(List.of("test", "-e", args.string("creates")))).succeeded()) {
            return new TaskResult.Ok(false, "skipped, since " + args.string("creates") + " exists", data);
        }
        if (args.has("removes") && !context.connection().exec(ExecRequest.argv(List.of("test", "-e", args.string("removes")))).succeeded()) {
            return new TaskResult.Ok(false, "skipped, since " + args.string("removes") + " does not exist", data);
        }
        if (context.checkMode() && !method.equals("GET") && !method.equals("HEAD")) {
            return new TaskResult.Skipped("check mode: a " + method + " request is not made");
        }
        args.optionalString("url_password").or(() -> args.optionalString("password")).ifPresent(context::addSecret);
        String config = config(args, method, url);
        String follow = args.string("follow_redirects", "safe").toLowerCase(Locale.ROOT);
        boolean redirects = follow.equals("all") || follow.equals("yes") || follow.equals("true")
                || follow.equals("safe") && (method.equals("GET") || method.equals("HEAD"));
        String script = "d=$(mktemp -d) || exit 1; trap 'rm -rf -- \"$d\"' EXIT; "
                + "curl -sS -K - " + (redirects ? "-L " : "") + (args.bool("validate_certs", true) ? "" : "-k ")
                + "--max-time " + args.number("timeout", 30) + " -D \"$d/h\" -o \"$d/b\" -w '%{http_code} %{url_effective}' || exit $?; "
                + "echo; echo " + MARK + "; cat \"$d/h\"; echo " + MARK + "; cat \"$d/b\"";
        CommandResult r = context.connection().exec(ExecRequest.shell(script).withStdin(config.getBytes(StandardCharsets.UTF_8))
                .withTimeout(Duration.ofSeconds(args.number("timeout", 30) + 60)));
        if (!r.succeeded()) {
            data.put("status", -1);
            String msg = "Status code was -1 and not " + statuses(args) + ": Request failed: " + r.stderr().strip();
            data.put("msg", msg);
            return new TaskResult.Failed(msg, data);
        }
        return result(args, r.stdout(), data);
    }

    private static String config(Args args, String method, String url) {
        StringBuilder c = new StringBuilder();
        c.append("url = ").append(quoted(url)).append('\n');
        c.append("request = ").append(quoted(method)).append('\n');
        Object headers = args.asMap().get("headers");
        if (headers instanceof Map) {
            for (Map.Entry<?, ?> h : ((Map<?, ?>) headers).entrySet()) {
                c.append("header = ").append(quoted(h.getKey() + ": " + h.getValue())).append('\n');
            }
        }
        String user = args.optionalString("url_username").or(() -> args.optionalString("user")).orElse(null);
        if (user != null) {
            String password = args.optionalString("url_password").or(() -> args.optionalString("password")).orElse("");
            c.append("user = ").append(quoted(user + ":" + password)).append('\n');
        }
        if (args.has("body")) {
            String format = args.string("body_format", "raw");
            Object body = args.asMap().get("body");
            String text;
            try {
                text = switch (format) {
                    case "json" -> body instanceof String ? (String) body : JSON.writeValueAsString(body);
                    case "form-urlencoded" -> form(body);
                    default -> String.valueOf(body);
                };
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalArgumentException("uri: body cannot be written as JSON: " + e.getOriginalMessage());
            }
            if (format.equals("json")) {
                c.append("header = ").append(quoted("Content-Type: application/json")).append('\n');
            } else if (format.equals("form-urlencoded")) {
                c.append("header = ").append(quoted("Content-Type: application/x-www-form-urlencoded")).append('\n');
            }
            c.append("data-binary = ").append(quoted(text)).append('\n');
        }
        return c.toString();
    }

    private static String form(Object body) {
        if (!(body instanceof Map)) {
            return String.valueOf(body);
        }
        List<String> pairs = new ArrayList<>();
        ((Map<?, ?>) body).forEach((k, v) -> pairs.add(java.net.URLEncoder.encode(String.valueOf(k), StandardCharsets.UTF_8) + "="
                + java.net.URLEncoder.encode(String.valueOf(v), StandardCharsets.UTF_8)));
        return String.join("&", pairs);
    }

    /** A value of a curl config file: double-quoted, with backslash escapes. */
    static String quoted(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t") + "\"";
    }

    private static List<Long> statuses(Args args) {
        List<Long> out = new ArrayList<>();
        for (Object o : args.list("status_code")) {
            for (String s : String.valueOf(o).split(",")) {
                out.add(Long.parseLong(s.strip()));
            }
        }
        return out.isEmpty() ? List.of(200L) : out;
    }

    private static TaskResult result(Args args, String out, Map<String, Object> data) {
        String[] parts = out.split(MARK + "\n", 3);
        String[] first = parts[0].strip().split(" ", 2);
        long status = Long.parseLong(first[0]);
        data.put("status", status);
        data.put("url", first.length > 1 ? first[1] : data.get("url"));
        String headerText = parts.length > 1 ? parts[1] : "";
        String body = parts.length > 2 ? parts[2] : "";
        List<String> blocks = List.of(headerText.split("\r?\n\r?\n"));
        String last = blocks.stream().filter(b -> !b.isBlank()).reduce((a, b) -> b).orElse("");
        data.put("redirected", blocks.stream().filter(b -> !b.isBlank()).count() > 1);
        String contentType = "";
        for (String line : last.split("\r?\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                String key = line.substring(0, colon).strip().toLowerCase(Locale.ROOT).replace('-', '_');
                String value = line.substring(colon + 1).strip();
                data.put(key, value);
                if (key.equals("content_type")) {
                    contentType = value;
                }
            }
        }
        boolean json = contentType.contains("json");
        if (args.bool("return_content", false) || json) {
            data.put("content", body);
        }
        if (json) {
            try {
                data.put("json", JSON.readValue(body, Object.class));
            } catch (java.io.IOException e) {
                // not JSON after all: content alone
            }
        }
        data.put("msg", "OK (" + body.getBytes(StandardCharsets.UTF_8).length + " bytes)");
        if (!statuses(args).contains(status)) {
            String msg = "Status code was " + status + " and not " + statuses(args) + ": HTTP Error " + status;
            data.put("msg", msg);
            return new TaskResult.Failed(msg, data);
        }
        return new TaskResult.Ok(false, "", data);
    }
}
