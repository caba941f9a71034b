// The logback-logstash entry of the format zoo: the one zoo scenario (three nested spans in three
// services, the grandchild failing), logged through SLF4J by logback with logstash-logback-encoder's
// LogstashEncoder. Every log line is written by the library; truth.json and variant.json are this
// program's own record of the spans it ran.
//
// Usage (run.sh does this): java -Dlogback.configurationFile=logback.xml -Dzoo.dir=<out>
//                           -cp <jars> Zoo <out> <encoder version> <logback version>
import static net.logstash.logback.argument.StructuredArguments.kv;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

public class Zoo {
  static final String[][] SPANS = {
    {"api-gateway", "POST /api/checkout", "POST", "/api/checkout", "server", "com.example.gateway.CheckoutController"},
    {"order-service", "POST /v1/orders", "POST", "/v1/orders", "server", "com.example.orders.OrderController"},
    {"payment-service", "POST /v1/charges", "POST", "/v1/charges", "server", "com.example.payments.ChargeController"},
  };

  static final long ANCHOR_WALL_NS = System.currentTimeMillis() * 1_000_000L;
  static final long ANCHOR_MONO = System.nanoTime();

  static long nowNs() {
    return ANCHOR_WALL_NS + (System.nanoTime() - ANCHOR_MONO);
  }

  static class AcquirerTimeoutException extends RuntimeException {
    AcquirerTimeoutException(String message) {
      super(message);
    }
  }

  static void callAcquirer(int amountCents) {
    throw new AcquirerTimeoutException("acquirer did not answer within 3 ms (amount " + amountCents + ")");
  }

  static RuntimeException chargeCard() {
    try {
      callAcquirer(4999);
    } catch (AcquirerTimeoutException e) {
      return e;
    }
    return null;
  }

  static class Span {
    String[] def;
    String traceId, spanId, parentSpanId;
    long start, end;
    int status = 200;
    RuntimeException err;
  }

  static final SecureRandom RNG = new SecureRandom();

  static String hex(int bytes) {
    byte[] b = new byte[bytes];
    RNG.nextBytes(b);
    StringBuilder sb = new StringBuilder();
    for (byte x : b) sb.append(String.format("%02x", x));
    return sb.toString();
  }

  static final List<Span> spans = new ArrayList<>();

  static void run(int level, Span parent, String traceId) throws InterruptedException {
    Span s = new Span();
    s.def = SPANS[level];
    s.traceId = traceId;
    s.spanId = hex(8);
    s.parentSpanId = parent == null ? null : parent.spanId;
    spans.add(s);
    Logger log = LoggerFactory.getLogger(s.def[5]);
    // Each "service" sets its own MDC, as a servlet filter would (and restores the caller's after).
    MDC.put("trace_id", s.traceId);
    MDC.put("span_id", s.spanId);
    if (s.parentSpanId != null) MDC.put("parent_span_id", s.parentSpanId);
    else MDC.remove("parent_span_id");
    s.start = nowNs();
    log.info("request received {} {}", kv("method", s.def[2]), kv("path", s.def[3]));
    Thread.sleep(2);
    if (level < SPANS.length - 1) {
      run(level + 1, s, traceId);
      MDC.put("trace_id", s.traceId);
      MDC.put("span_id", s.spanId);
      if (s.parentSpanId != null) MDC.put("parent_span_id", s.parentSpanId);
      else MDC.remove("parent_span_id");
      Thread.sleep(1);
    } else {
      Thread.sleep(3);
      s.err = chargeCard();
      s.status = 500;
    }
    s.end = nowNs();
    double ms = (s.end - s.start) / 1e6;
    ms = Math.round(ms * 1000) / 1000.0;
    if (s.err != null) {
      log.error("request completed {} {} {}", kv("path", s.def[3]), kv("status", s.status), kv("duration_ms", ms), s.err);
    } else {
      log.info("request completed {} {} {}", kv("path", s.def[3]), kv("status", s.status), kv("duration_ms", ms));
    }
  }

  static String q(String s) {
    if (s == null) return "null";
    StringBuilder sb = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') sb.append('\\').append(c);
      else if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
      else sb.append(c);
    }
    return sb.append('"').toString();
  }

  public static void main(String[] args) throws Exception {
    Path out = Path.of(args[0]);
    Files.createDirectories(out);
    // Each service says it started (no trace in the MDC yet), as a Spring app does; this also
    // loads the encoder's classes before the first span's clock starts.
    int port = 8080;
    for (String[] def : SPANS) LoggerFactory.getLogger(def[5]).info("{} started {}", def[0], kv("port", port++));
    String traceId = hex(16);
    run(0, null, traceId);
    MDC.clear();
    ((ch.qos.logback.classic.LoggerContext) LoggerFactory.getILoggerFactory()).stop();

    String encVersion = args.length > 1 ? args[1] : "unknown";
    String logbackVersion = args.length > 2 ? args[2] : "unknown";
    StringBuilder t = new StringBuilder();
    t.append("{\n  \"corpus\": \"zoo\",\n  \"generator\": \"corpus/generators/zoo-debian/java/Zoo.java\",\n");
    t.append("  \"libraries\": {\n    \"net.logstash.logback:logstash-logback-encoder\": ").append(q(encVersion));
    t.append(",\n    \"ch.qos.logback:logback-classic\": ").append(q(logbackVersion));
    t.append(",\n    \"java\": ").append(q(System.getProperty("java.version"))).append("\n  },\n");
    t.append("  \"traces\": [\n    {\n      \"traceId\": ").append(q(traceId));
    t.append(",\n      \"scenario\": \"grandchild-failure\",\n      \"spans\": [\n");
    for (int i = 0; i < spans.size(); i++) {
      Span s = spans.get(i);
      t.append("        {\n");
      t.append("          \"spanId\": ").append(q(s.spanId)).append(",\n");
      t.append("          \"parentSpanId\": ").append(q(s.parentSpanId)).append(",\n");
      t.append("          \"service\": ").append(q(s.def[0])).append(",\n");
      t.append("          \"name\": ").append(q(s.def[1])).append(",\n");
      t.append("          \"kind\": ").append(q(s.def[4])).append(",\n");
      t.append("          \"startUnixNano\": \"").append(s.start).append("\",\n");
      t.append("          \"endUnixNano\": \"").append(s.end).append("\",\n");
      t.append("          \"durationMs\": ").append((s.end - s.start) / 1e6).append(",\n");
      t.append("          \"status\": ").append(q(s.err != null ? "ERROR" : "UNSET")).append(",\n");
      t.append("          \"httpStatus\": ").append(s.status).append(",\n");
      t.append("          \"error\": ").append(s.err != null).append(",\n");
      t.append("          \"warning\": false,\n          \"logged\": true\n");
      t.append(i < spans.size() - 1 ? "        },\n" : "        }\n");
    }
    t.append("      ]\n    }\n  ]\n}\n");
    Files.writeString(out.resolve("truth.json"), t, StandardCharsets.UTF_8);

    String desc = "logstash-logback-encoder " + encVersion + " LogstashEncoder on logback-classic " + logbackVersion
        + " (SLF4J): `@timestamp` ISO-8601 with offset, ms; `message`; `logger_name` is a class path "
        + "(com.example.gateway.CheckoutController); `thread_name`; `level` / `level_value`; `@version`; "
        + "service in `service` (each service's appender has customFields {\\\"service\\\":\\\"<name>\\\"}); "
        + "`trace_id`, `span_id`, `parent_span_id` (none at the root) from the MDC; method/path/status and "
        + "duration `duration_ms` (ms, float) from StructuredArguments.kv(...), so they are JSON fields and also "
        + "rendered into `message` as `status=500 duration_ms=12.3`; error: the Throwable as the last argument "
        + "of log.error on the ERROR end line → `stack_trace` (Java stack trace text, exception class and message "
        + "in its first line; no separate error-message field). Three services in one process (api-gateway → "
        + "order-service → payment-service), each writing its own file (<service>.log), and each file starts "
        + "with a trace-less \\\"<service> started\\\" line. root POST /api/checkout → child POST /v1/orders → grandchild POST /v1/charges, which fails "
        + "(AcquirerTimeoutException, 500).";
    String v = "{\n  \"variant\": \"logback-logstash\",\n  \"description\": \"" + desc + "\",\n"
        + "  \"skew\": [],\n  \"damagedLines\": 0,\n  \"expect\": {\n    \"parents\": \"explicit\"\n  },\n"
        + "  \"serviceFrom\": \"field\"\n}\n";
    Files.writeString(out.resolve("variant.json"), v, StandardCharsets.UTF_8);
  }
}
