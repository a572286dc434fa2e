package org.omerofleet.report;

import java.io.StringWriter;
import java.time.Duration;
import java.util.Locale;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import org.omerofleet.result.HostOutcome;
import org.omerofleet.result.HostState;
import org.omerofleet.result.RunSummary;
import org.omerofleet.result.StepRecord;
import org.omerofleet.result.TaskResult;

/**
 * Render a run as JUnit XML for CI systems: one test case per host; a failed or rolled-back host is a
 * failure listing its failed steps; an unreachable or needs-attention host is an error.
 */
public final class JunitXml {

    /** {@return the JUnit XML document} */
    public String render(RunSummary summary) {
        StringWriter text = new StringWriter();
        try {
            XMLStreamWriter xml = XMLOutputFactory.newInstance().createXMLStreamWriter(text);
            xml.writeStartDocument("UTF-8", "1.0");
            xml.writeCharacters("\n");
            xml.writeStartElement("testsuites");
            xml.writeStartElement("testsuite");
            xml.writeAttribute("name", "omero-fleet " + summary.playbook().getFileName());
            xml.writeAttribute("tests", String.valueOf(summary.hosts().size()));
            xml.writeAttribute("failures", String.valueOf(summary.count(HostState.FAILED_NO_CHANGE) + summary.count(HostState.FAILED_ROLLED_BACK)));
            xml.writeAttribute("errors", String.valueOf(summary.count(HostState.UNREACHABLE) + summary.count(HostState.NEEDS_ATTENTION)));
            xml.writeAttribute("skipped", "0");
            xml.writeAttribute("timestamp", summary.started().toString());
            xml.writeAttribute("time", seconds(Duration.between(summary.started(), summary.finished())));
            for (HostOutcome host : summary.hosts()) {
                xml.writeCharacters("\n  ");
                xml.writeStartElement("testcase");
                xml.writeAttribute("classname", "omero-fleet." + summary.runId());
                xml.writeAttribute("name", host.host());
                xml.writeAttribute("time", seconds(host.steps().stream().map(StepRecord::elapsed).reduce(Duration.ZERO, Duration::plus)));
                switch (host.state()) {
                    case FAILED_NO_CHANGE:
                    case FAILED_ROLLED_BACK:
                        problem(xml, "failure", host);
                        break;
                    case UNREACHABLE:
                    case NEEDS_ATTENTION:
                        problem(xml, "error", host);
                        break;
                    default:
                        break;
                }
                xml.writeStartElement("system-out");
                xml.writeCharacters(host.state() + " " + Columns.describe(host));
                xml.writeEndElement();
                xml.writeEndElement();
            }
            xml.writeCharacters("\n");
            xml.writeEndElement();
            xml.writeEndElement();
            xml.writeEndDocument();
            xml.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("cannot render JUnit XML", e);
        }
        return text.toString() + "\n";
    }

    private static void problem(XMLStreamWriter xml, String element, HostOutcome host) throws XMLStreamException {
        xml.writeStartElement(element);
        xml.writeAttribute("type", host.state().name());
        xml.writeAttribute("message", host.message());
        StringBuilder body = new StringBuilder();
        for (StepRecord step : host.steps()) {
            if (step.status() == TaskResult.Status.FAILED || step.status() == TaskResult.Status.UNREACHABLE) {
                body.append(step.task()).append(": ").append(step.status()).append(step.ignored() ? " (ignored)" : "")
                        .append(": ").append(step.message()).append('\n');
            }
        }
        xml.writeCharacters(body.toString());
        xml.writeEndElement();
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.3f", d.toMillis() / 1000.0);
    }
}
