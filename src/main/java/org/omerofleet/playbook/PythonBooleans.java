package org.omerofleet.playbook;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.expression.ExpressionStrategy;
import com.hubspot.jinjava.tree.output.RenderedOutputNode;
import com.hubspot.jinjava.tree.parse.ExpressionToken;

/**
 * Write {@code {{ }}} expressions into text as Ansible's Jinja does: a boolean as {@code True} or
 * {@code False} (Python's spelling; Jinjava writes Java's {@code true}), everything else as Jinjava
 * writes it. What is written is never interpreted again (nested interpretation is off).
 */
final class PythonBooleans implements ExpressionStrategy {

    private static final long serialVersionUID = 1L;

    @Override
    public RenderedOutputNode interpretOutput(ExpressionToken token, JinjavaInterpreter interpreter) {
        Object value = interpreter.resolveELExpression(token.getExpr(), token.getLineNumber());
        if (value instanceof Boolean) {
            return new RenderedOutputNode((Boolean) value ? "True" : "False");
        }
        return new RenderedOutputNode(interpreter.getAsString(value));
    }
}
