package org.omerofleet.playbook;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.el.JinjavaELContext;
import com.hubspot.jinjava.el.JinjavaInterpreterResolver;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.interpret.LazyExpression;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.interpret.errorcategory.BasicTemplateErrorCategory;
import com.hubspot.jinjava.lib.exptest.ExpTest;
import com.hubspot.jinjava.lib.filter.Filter;
import com.hubspot.jinjava.tree.ExpressionNode;
import com.hubspot.jinjava.tree.Node;
import com.hubspot.jinjava.tree.TagNode;
import com.hubspot.jinjava.tree.TreeParser;
import com.hubspot.jinjava.tree.parse.ExpressionToken;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jinjava.de.odysseus.el.tree.TreeBuilderException;

/**
 * Render Jinja templates and evaluate conditions the way Ansible does, through one Jinjava instance.
 *
 * <p>Undefined variables are errors (Jinjava's fail-on-unknown-tokens), except behind {@code default}
 * or in {@code is defined}. A string that is exactly one {@code {{ expression }}} yields the native value
 * (list, map, number, boolean), as Ansible does. Safe for use from many threads at once.
 *
 * <p>What a template produces is never rendered again (Jinjava's nested interpretation is off), so a
 * value that came from a host (registered output, facts) is data wherever it is placed, as Ansible's
 * "unsafe" values are. Values from the inventory, the playbook or {@code -e} that are themselves
 * templates are passed through {@link #lazy(Object)}: they render, in the scope of the template that
 * uses them, when they are used.
 */
public final class Templating {

    private static final Pattern SINGLE_EXPRESSION = Pattern.compile("^\\s*\\{\\{(.*?)\\}\\}\\s*$", Pattern.DOTALL);

    /** Parses without rendering, for the syntax checks; holds no variables. Made on first use, as {@link #jinjava()}. */
    private static final class Parser {
        static final Jinjava PARSER = new Jinjava();
    }

    private static final PythonBooleans PYTHON_BOOLEANS = new PythonBooleans();

    /**
     * The renderer, made on first use: Jinjava and its libraries are about 500 classes and a tenth of a second of
     * a command's start, and a run whose tasks hold no template never needs them.
     */
    private volatile Jinjava jinjava;

    /** The renderers of template files, by trim_blocks and lstrip_blocks. */
    private final Map<List<Boolean>, Jinjava> fileRenderers = new java.util.concurrent.ConcurrentHashMap<>();

    private Jinjava jinjava() {
        Jinjava made = jinjava;
        if (made == null) {
            synchronized (this) {
                made = jinjava;
                if (made == null) {
                    made = new Jinjava(JinjavaConfig.newBuilder().withFailOnUnknownTokens(true).withNestedInterpretationEnabled(false).build());
                    for (Filter filter : AnsibleFilters.all()) {
                        made.getGlobalContext().registerFilter(filter);
                    }
                    for (ExpTest test : AnsibleTests.all()) {
                        made.getGlobalContext().registerExpTest(test);
                    }
                    jinjava = made;
                }
            }
        }
        return made;
    }

    /** {@return whether a string needs rendering at all} */
    public static boolean isTemplate(String text) {
        return text.contains("{{") || text.contains("{%");
    }

    /**
     * {@return a copy of {@code value}, from the inventory, the playbook or {@code -e}, in which every string
     * that is a template renders when a template uses it} Only such values may hold templates: any other
     * string placed in a template is output as it is. Maps and lists are copied; the strings render in the
     * scope of the template that reads them, each time it reads them.
     */
    public static Object lazy(Object value) {
        if (value instanceof String && isTemplate((String) value)) {
            return deferred((String) value);
        }
        if (value instanceof Map) {
            Map<String, Object> out = new LinkedHashMap<>();
            ((Map<?, ?>) value).forEach((k, v) -> out.put(String.valueOf(k), lazy(v)));
            return out;
        }
        if (value instanceof List) {
            List<Object> out = new ArrayList<>();
            ((List<?>) value).forEach(v -> out.add(lazy(v)));
            return out;
        }
        return value;
    }

    /** {@link #lazy(Object)} for a map of variables. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> lazyVars(Map<String, ?> vars) {
        return (Map<String, Object>) lazy(vars);
    }

    /** A template string that renders, in the interpreter reading it, each time it is read. */
    private static LazyExpression deferred(String text) {
        ThreadLocal<Boolean> rendering = new ThreadLocal<>();
        return LazyExpression.of(() -> {
            JinjavaInterpreter current = JinjavaInterpreter.getCurrent();
            if (current == null) {
                return text; // read outside any template: there is no scope to render it in
            }
            if (rendering.get() != null) {
                throw new IllegalStateException("recursive loop detected in template string: " + text);
            }
            rendering.set(Boolean.TRUE);
            try {
                Matcher single = SINGLE_EXPRESSION.matcher(text);
                if (single.matches() && !single.group(1).contains("{{") && !single.group(1).contains("}}")) {
                    return current.resolveELExpression(single.group(1).strip(), current.getLineNumber());
                }
                return current.renderFlat(text);
            } finally {
                rendering.remove();
            }
        }, text, LazyExpression.Memoization.OFF);
    }

    /** {@return {@code value} with every string inside it rendered; maps and lists are copied} */
    public Object render(Object value, Map<String, Object> vars) throws TemplateException {
        if (value instanceof String) {
            return renderString((String) value, vars);
        }
        if (value instanceof Map) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
                out.put(String.valueOf(e.getKey()), render(e.getValue(), vars));
            }
            return out;
        }
        if (value instanceof List) {
            List<Object> out = new ArrayList<>();
            for (Object item : (List<?>) value) {
                out.add(render(item, vars));
            }
            return out;
        }
        return value;
    }

    private Object renderString(String text, Map<String, Object> vars) throws TemplateException {
        if (!isTemplate(text)) {
            return text;
        }
        Matcher single = SINGLE_EXPRESSION.matcher(text);
        if (single.matches() && !single.group(1).contains("{{") && !single.group(1).contains("}}")) {
            Object value = evaluate(single.group(1), vars);
            String lead = text.substring(0, text.indexOf("{{"));
            String trail = text.substring(text.lastIndexOf("}}") + 2);
            // as Ansible: around a string the whitespace stays ("{{ msg }}\n" is the text and its newline); after
            // any other value Jinja drops the newline and the value stays native; other whitespace makes it text
            if (value instanceof String) {
                return lead + value + trail;
            }
            if (lead.isEmpty() && trail.chars().allMatch(c -> c == '\n')) {
                return value;
            }
        }
        JinjavaInterpreter interpreter = jinjava().newInterpreter();
        interpreter.getContext().putAll(vars);
        interpreter.getContext().setExpressionStrategy(PYTHON_BOOLEANS);
        JinjavaInterpreter.pushCurrent(interpreter);
        try {
            String output;
            try {
                output = interpreter.render(text);
            } catch (RuntimeException e) {
                throw new TemplateException(describe(e.getMessage(), text));
            }
            check(interpreter.getErrors(), text);
            return trailingNewlines(text, output);
        } finally {
            JinjavaInterpreter.popCurrent();
        }
    }

    /**
     * {@return the output with Ansible's trailing newlines} Jinja, as Ansible sets it up, drops the
     * template's last newline; Ansible then adds newlines back until the output ends with as many as the
     * template did.
     */
    private static String trailingNewlines(String template, String output) {
        if (!template.endsWith("\n") || !output.endsWith("\n")) {
            return output;
        }
        String stripped = output.substring(0, output.length() - 1);
        int missing = countTrailingNewlines(template) - countTrailingNewlines(stripped);
        return missing > 0 ? stripped + "\n".repeat(missing) : stripped;
    }

    private static int countTrailingNewlines(String text) {
        int n = 0;
        while (n < text.length() && text.charAt(text.length() - 1 - n) == '\n') {
            n++;
        }
        return n;
    }

    /**
     * {@return a template file's text rendered as Ansible's {@code template} module renders it} Always text
     * (never a native value), trailing newlines kept, {@code trim_blocks} and {@code lstrip_blocks} as given
     * (Ansible's defaults: true and false).
     */
    public String renderFile(String text, Map<String, Object> vars, boolean trimBlocks, boolean lstripBlocks) throws TemplateException {
        Jinjava files = fileRenderers.computeIfAbsent(List.of(trimBlocks, lstripBlocks), k -> configured(
                JinjavaConfig.newBuilder().withFailOnUnknownTokens(true).withNestedInterpretationEnabled(false).withTrimBlocks(trimBlocks)
                        .withLstripBlocks(lstripBlocks).build()));
        JinjavaInterpreter interpreter = files.newInterpreter();
        interpreter.getContext().putAll(vars);
        interpreter.getContext().setExpressionStrategy(PYTHON_BOOLEANS);
        JinjavaInterpreter.pushCurrent(interpreter);
        try {
            String output;
            try {
                output = interpreter.render(text);
            } catch (RuntimeException e) {
                throw new TemplateException(describe(e.getMessage(), text));
            }
            check(interpreter.getErrors(), text);
            return output;
        } finally {
            JinjavaInterpreter.popCurrent();
        }
    }

    private static Jinjava configured(JinjavaConfig config) {
        Jinjava j = new Jinjava(config);
        for (Filter filter : AnsibleFilters.all()) {
            j.getGlobalContext().registerFilter(filter);
        }
        for (ExpTest test : AnsibleTests.all()) {
            j.getGlobalContext().registerExpTest(test);
        }
        return j;
    }

    /** {@return the value of a bare Jinja expression} */
    public Object evaluate(String expression, Map<String, Object> vars) throws TemplateException {
        JinjavaInterpreter interpreter = jinjava().newInterpreter();
        interpreter.getContext().putAll(vars);
        JinjavaInterpreter.pushCurrent(interpreter);
        try {
            Object value;
            try {
                value = interpreter.resolveELExpression(expression.strip(), 1);
            } catch (RuntimeException e) {
                throw new TemplateException(describe(e.getMessage(), expression));
            }
            check(interpreter.getErrors(), expression);
            return plain(value);
        } finally {
            JinjavaInterpreter.popCurrent();
        }
    }

    /**
     * {@return whether a condition holds} Accepts Ansible's forms: a bare expression, a boolean, or a
     * condition wrapped in {@code {{ }}}.
     */
    public boolean test(String condition, Map<String, Object> vars) throws TemplateException {
        String c = condition.strip();
        Matcher single = SINGLE_EXPRESSION.matcher(c);
        if (single.matches()) {
            c = single.group(1).strip();
        }
        // Jinja's boolean literals (a YAML true or false arrives as one): no renderer is needed to read them
        switch (c) {
            case "true", "True":
                return true;
            case "false", "False":
                return false;
            default:
                return truthy(evaluate(c, vars));
        }
    }

    /**
     * {@return why {@code text} is not a well-formed template, if it is not} Only the syntax is checked:
     * nothing is rendered, so undefined variables, filters and functions are not errors here.
     */
    public static Optional<String> templateSyntaxError(String text) {
        if (!isTemplate(text)) {
            return Optional.empty();
        }
        JinjavaInterpreter interpreter = Parser.PARSER.newInterpreter();
        JinjavaInterpreter.pushCurrent(interpreter);
        try {
            Node root = new TreeParser(interpreter, text).buildTree();
            for (TemplateError error : interpreter.getErrors()) {
                if (error.getSeverity() == TemplateError.ErrorType.FATAL) {
                    return Optional.of("syntax error: " + error.getMessage().replaceFirst("^Syntax error in '.*?': ", "") + " in '"
                            + text.strip() + "'");
                }
            }
            return expressionsIn(root).stream().map(e -> expressionSyntaxError(interpreter, e, text)).flatMap(Optional::stream)
                    .findFirst();
        } finally {
            JinjavaInterpreter.popCurrent();
        }
    }

    /** {@return why {@code condition} (a bare expression, or one in {@code {{ }}}) does not parse, if it does not} */
    public static Optional<String> conditionSyntaxError(String condition) {
        String c = condition.strip();
        Matcher single = SINGLE_EXPRESSION.matcher(c);
        if (single.matches()) {
            c = single.group(1).strip();
        }
        JinjavaInterpreter interpreter = Parser.PARSER.newInterpreter();
        JinjavaInterpreter.pushCurrent(interpreter);
        try {
            return expressionSyntaxError(interpreter, c, condition);
        } finally {
            JinjavaInterpreter.popCurrent();
        }
    }

    /** The expressions of a parsed template: {@code {{ e }}}, {@code {% if e %}}, {@code {% for x in e %}}, {@code {% set x = e %}}. */
    private static List<String> expressionsIn(Node node) {
        List<String> out = new ArrayList<>();
        if (node instanceof ExpressionNode) {
            out.add(((ExpressionToken) node.getMaster()).getExpr());
        } else if (node instanceof TagNode) {
            String name = ((TagNode) node).getName();
            String helpers = ((TagNode) node).getHelpers();
            Matcher loop = Pattern.compile("(?s).*?\\sin\\s(.*)").matcher(helpers);
            if (name.equals("if") || name.equals("elif")) {
                out.add(helpers);
            } else if (name.equals("for") && loop.matches()) {
                out.add(loop.group(1));
            } else if (name.equals("set") && helpers.contains("=")) {
                out.add(helpers.substring(helpers.indexOf('=') + 1));
            }
        }
        for (Node child : node.getChildren()) {
            out.addAll(expressionsIn(child));
        }
        return out;
    }

    private static Optional<String> expressionSyntaxError(JinjavaInterpreter interpreter, String expression, String source) {
        try {
            Parser.PARSER.getExpressionFactory().createValueExpression(new JinjavaELContext(interpreter, new JinjavaInterpreterResolver(interpreter)),
                    "#{" + expression.strip() + "}", Object.class);
            return Optional.empty();
        } catch (TreeBuilderException e) {
            return Optional.of(describeSyntax(e.getMessage(), expression.strip().length()) + " in '" + source.strip() + "'");
        } catch (RuntimeException e) {
            return Optional.empty(); // not syntax: an unknown function, say, which only rendering can judge
        }
    }

    /** JUEL says "syntax error at position 6, encountered '}', expected ')'", counting from the "#{" it was given. */
    private static String describeSyntax(String message, int length) {
        Matcher m = Pattern.compile("syntax error at position (\\d+), encountered (.*?), (expected .*)").matcher(message);
        if (!m.find()) {
            return "syntax error: " + message;
        }
        int at = Integer.parseInt(m.group(1)) - 2;
        return at >= length ? "syntax error: the expression ends early, " + m.group(3)
                : "syntax error at character " + (at + 1) + ": " + m.group(2) + " unexpected, " + m.group(3);
    }

    static boolean truthy(Object value) {
        if (value == null) {
            return false;
        }
        if (value instanceof Boolean) {
            return (Boolean) value;
        }
        if (value instanceof Number) {
            return ((Number) value).doubleValue() != 0;
        }
        if (value instanceof String) {
            String s = ((String) value).strip().toLowerCase(Locale.ROOT);
            return !(s.isEmpty() || s.equals("false") || s.equals("no") || s.equals("off") || s.equals("0") || s.equals("none"));
        }
        if (value instanceof Map) {
            return !((Map<?, ?>) value).isEmpty();
        }
        if (value instanceof List) {
            return !((List<?>) value).isEmpty();
        }
        return true;
    }

    private static void check(List<TemplateError> errors, String source) throws TemplateException {
        for (TemplateError error : errors) {
            if (error.getSeverity() == TemplateError.ErrorType.FATAL) {
                throw new TemplateException(describe(error.getMessage(), source));
            }
            if (error.getCategory() == BasicTemplateErrorCategory.IMPORT_CYCLE_DETECTED) {
                // Jinjava only warns, and outputs the template unrendered: a variable whose value uses itself
                throw new TemplateException("recursive loop detected in template string in '" + source.strip() + "'");
            }
        }
    }

    private static String describe(String message, String source) {
        String m = message == null ? "" : message;
        Matcher unknown = Pattern.compile("Unknown token found: ([\\w.\\[\\]'\"]+)").matcher(m);
        if (unknown.find()) {
            return "'" + unknown.group(1) + "' is undefined in '" + source.strip() + "'";
        }
        return m.replaceFirst("^\\w+Exception: ", "") + " in '" + source.strip() + "'";
    }

    /** Jinjava's Py collections and wrapped values become plain Java collections. */
    static Object plain(Object value) {
        if (value instanceof LazyExpression) {
            return plain(((LazyExpression) value).get());
        }
        if (value instanceof Map) {
            Map<String, Object> out = new LinkedHashMap<>();
            ((Map<?, ?>) value).forEach((k, v) -> out.put(String.valueOf(k), plain(v)));
            return out;
        }
        if (value instanceof List) {
            List<Object> out = new ArrayList<>();
            ((List<?>) value).forEach(v -> out.add(plain(v)));
            return out;
        }
        return value;
    }
}
