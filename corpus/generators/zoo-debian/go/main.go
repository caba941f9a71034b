// Command zoo-go writes the Go entries of the format zoo: the one zoo scenario (three nested spans
// in three services, the grandchild failing), logged by zap (production, and production with the
// ISO8601 time encoder), logrus or zerolog. Every log line is written by the library; truth.json
// is this program's own record of the spans it ran.
//
// Usage: zoo-go -lib zap-production -out corpus/zoo/zap-production -version 1.23.0
package main

import (
	"bytes"
	crand "crypto/rand"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"github.com/pkg/errors"
	"github.com/rs/zerolog"
	"github.com/rs/zerolog/pkgerrors"
	"github.com/sirupsen/logrus"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

var (
	lib     = flag.String("lib", "", "zap-production | zap-iso8601 | logrus | zerolog")
	outDir  = flag.String("out", "", "zoo entry folder")
	version = flag.String("version", "unknown", "library version, for truth.json and variant.json")
)

// ---------------------------------------------------------------------------------------------
// The scenario (the same as corpus/generators/zoo-npm/lib/scenario.mjs).

type spanDef struct{ service, name, method, url, kind string }

var defs = []spanDef{
	{"api-gateway", "POST /api/checkout", "POST", "/api/checkout", "server"},
	{"order-service", "POST /v1/orders", "POST", "/v1/orders", "server"},
	{"payment-service", "POST /v1/charges", "POST", "/v1/charges", "server"},
}

type span struct {
	spanDef
	traceID, spanID, parentSpanID string
	start, end                    time.Time
	status                        int
	err                           error
}

// AcquirerTimeoutError is the grandchild's failure.
type AcquirerTimeoutError struct{ AmountCents int }

func (e *AcquirerTimeoutError) Error() string {
	return fmt.Sprintf("acquirer did not answer within 3 ms (amount %d)", e.AmountCents)
}

// callAcquirer fails the way a real call does: errors.WithStack records the stack here.
func callAcquirer(amountCents int) error {
	return errors.WithStack(&AcquirerTimeoutError{AmountCents: amountCents})
}

func chargeCard() error { return callAcquirer(4999) }

type adapter interface {
	start(s *span)
	end(s *span, d time.Duration)
}

func hexID(n int) string {
	b := make([]byte, n)
	if _, err := crand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}

func runScenario(a adapter) []*span {
	traceID := hexID(16)
	var spans []*span
	var run func(level int, parent *span)
	run = func(level int, parent *span) {
		s := &span{spanDef: defs[level], traceID: traceID, spanID: hexID(8), status: 200}
		if parent != nil {
			s.parentSpanID = parent.spanID
		}
		spans = append(spans, s)
		s.start = time.Now()
		a.start(s)
		time.Sleep(2 * time.Millisecond)
		if level < len(defs)-1 {
			run(level+1, s)
			time.Sleep(1 * time.Millisecond)
		} else {
			time.Sleep(3 * time.Millisecond)
			s.err = chargeCard()
			s.status = 500
		}
		s.end = time.Now()
		a.end(s, s.end.Sub(s.start))
	}
	run(0, nil)
	return spans
}

// ---------------------------------------------------------------------------------------------
// zap

type zapAdapter struct {
	base    *zap.Logger
	named   bool // zap-iso8601: logger named after the service, no service field
	loggers map[*span]*zap.Logger
}

func (z *zapAdapter) logger(s *span) *zap.Logger {
	if l, ok := z.loggers[s]; ok {
		return l
	}
	l := z.base
	if z.named {
		l = l.Named(s.service)
	} else {
		l = l.With(zap.String("service", s.service))
	}
	fields := []zap.Field{zap.String("trace_id", s.traceID), zap.String("span_id", s.spanID)}
	if s.parentSpanID != "" {
		fields = append(fields, zap.String("parent_span_id", s.parentSpanID))
	}
	l = l.With(fields...)
	z.loggers[s] = l
	return l
}

func (z *zapAdapter) start(s *span) {
	z.logger(s).Info("request received", zap.String("method", s.method), zap.String("path", s.url))
}

func (z *zapAdapter) end(s *span, d time.Duration) {
	f := []zap.Field{zap.String("method", s.method), zap.String("path", s.url), zap.Int("status", s.status),
		zap.Duration("latency", d)}
	if s.err != nil {
		z.logger(s).Error("request completed", append(f, zap.Error(s.err))...)
		return
	}
	z.logger(s).Info("request completed", f...)
}

func newZap(path string, iso bool) *zap.Logger {
	cfg := zap.NewProductionConfig()
	cfg.OutputPaths = []string{path}
	if iso {
		cfg.EncoderConfig.EncodeTime = zapcore.ISO8601TimeEncoder
	}
	l, err := cfg.Build()
	if err != nil {
		panic(err)
	}
	return l
}

// ---------------------------------------------------------------------------------------------
// logrus

type logrusAdapter struct{ log *logrus.Logger }

func (a *logrusAdapter) entry(s *span) *logrus.Entry {
	f := logrus.Fields{"service": s.service, "trace_id": s.traceID, "span_id": s.spanID,
		"method": s.method, "path": s.url}
	if s.parentSpanID != "" {
		f["parent_span_id"] = s.parentSpanID
	}
	return a.log.WithFields(f)
}

func (a *logrusAdapter) start(s *span) { a.entry(s).Info("request received") }

func (a *logrusAdapter) end(s *span, d time.Duration) {
	e := a.entry(s).WithFields(logrus.Fields{"status": s.status, "latency": d})
	if s.err != nil {
		e.WithError(s.err).Error("request completed")
		return
	}
	e.Info("request completed")
}

// ---------------------------------------------------------------------------------------------
// zerolog

type zerologAdapter struct {
	base    zerolog.Logger
	loggers map[*span]zerolog.Logger
}

func (a *zerologAdapter) logger(s *span) *zerolog.Logger {
	if l, ok := a.loggers[s]; ok {
		return &l
	}
	c := a.base.With().Str("service", s.service).Str("trace_id", s.traceID).Str("span_id", s.spanID)
	if s.parentSpanID != "" {
		c = c.Str("parent_span_id", s.parentSpanID)
	}
	l := c.Logger()
	a.loggers[s] = l
	return &l
}

func (a *zerologAdapter) start(s *span) {
	a.logger(s).Info().Str("method", s.method).Str("path", s.url).Msg("request received")
}

func (a *zerologAdapter) end(s *span, d time.Duration) {
	l := a.logger(s)
	ev := l.Info()
	if s.err != nil {
		ev = l.Error().Stack().Err(s.err)
	}
	ev.Str("method", s.method).Str("path", s.url).Int("status", s.status).Dur("duration", d).
		Msg("request completed")
}

// ---------------------------------------------------------------------------------------------

func main() {
	flag.Parse()
	if *outDir == "" {
		fmt.Fprintln(os.Stderr, "-out is required")
		os.Exit(2)
	}
	if err := os.MkdirAll(*outDir, 0o755); err != nil {
		panic(err)
	}
	logPath := filepath.Join(*outDir, *lib+".log")
	os.Remove(logPath)

	var (
		a           adapter
		done        func()
		pkg         string
		description string
		serviceFrom = "field"
	)
	switch *lib {
	case "zap-production", "zap-iso8601":
		iso := *lib == "zap-iso8601"
		l := newZap(logPath, iso)
		a = &zapAdapter{base: l, named: iso, loggers: map[*span]*zap.Logger{}}
		done = func() { _ = l.Sync() }
		pkg = "go.uber.org/zap"
		common := "trace_id / span_id / parent_span_id (none at the root) via logger.With(zap.String(...)); " +
			"end line \"request completed\": `status`, duration `latency` (zap.Duration, which the production " +
			"config encodes as SECONDS, float); error: zap.Error on the error-level end line, " +
			"a github.com/pkg/errors error, so `error` (message) plus `errorVerbose` (message and the error's " +
			"stack) plus zap's own `stacktrace` (the logging call site); `caller`."
		if iso {
			serviceFrom = "logger-name"
			description = "zap " + *version + " production config with EncodeTime = zapcore.ISO8601TimeEncoder " +
				"(`ts` like 2026-12-02T12:30:26.123Z): NO service field, each service's logger is " +
				"base.Named(\"<service>\"), so the `logger` key is the service; " + common
		} else {
			description = "zap " + *version + " zap.NewProductionConfig() (`ts` epoch seconds float): service in " +
				"`service` (logger.With); " + common
		}
	case "logrus":
		f, err := os.Create(logPath)
		if err != nil {
			panic(err)
		}
		l := logrus.New()
		l.Out = f
		l.Formatter = &logrus.JSONFormatter{TimestampFormat: time.RFC3339Nano}
		a = &logrusAdapter{log: l}
		done = func() { f.Close() }
		pkg = "github.com/sirupsen/logrus"
		description = "logrus " + *version + " JSONFormatter (TimestampFormat time.RFC3339Nano; the default " +
			"RFC3339 has only whole seconds), fields via WithFields: service in `service`, `trace_id`, `span_id`, " +
			"`parent_span_id` (none at the root), `method`, `path`; end line \"request completed\": `status`, " +
			"duration `latency` = a time.Duration, which encoding/json writes as integer NANOSECONDS; error: " +
			"WithError → `error` (the message only: logrus has no stack field) on the error-level end line."
	case "zerolog":
		f, err := os.Create(logPath)
		if err != nil {
			panic(err)
		}
		zerolog.TimeFieldFormat = zerolog.TimeFormatUnixMs
		zerolog.ErrorStackMarshaler = pkgerrors.MarshalStack
		l := zerolog.New(f).With().Timestamp().Logger()
		a = &zerologAdapter{base: l, loggers: map[*span]zerolog.Logger{}}
		done = func() { f.Close() }
		pkg = "github.com/rs/zerolog"
		description = "zerolog " + *version + " default JSON with TimeFieldFormat = zerolog.TimeFormatUnixMs " +
			"(`time` integer epoch ms; the default RFC3339 has only whole seconds): service in `service`, " +
			"`trace_id`, `span_id`, `parent_span_id` (none at the root) via With().Str(...); end line " +
			"\"request completed\": `status`, duration via Dur(\"duration\", d) (zerolog's default " +
			"DurationFieldUnit: MILLISECONDS, float); error: Err(err).Stack() with " +
			"ErrorStackMarshaler = pkgerrors.MarshalStack → `error` (message) and `stack` (array of " +
			"{func, line, source}) on the error-level end line."
	default:
		fmt.Fprintln(os.Stderr, "unknown -lib", *lib)
		os.Exit(2)
	}

	spans := runScenario(a)
	done()
	writeTruth(spans, pkg)
	writeJSON(filepath.Join(*outDir, "variant.json"), map[string]any{
		"variant": *lib,
		"description": description + " Three services in one process (api-gateway → order-service → " +
			"payment-service), all writing to one file, so a service can only come from the line. root " +
			"POST /api/checkout → child POST /v1/orders → grandchild POST /v1/charges, which fails " +
			"(AcquirerTimeoutError, 500).",
		"skew":         []any{},
		"damagedLines": 0,
		"expect":       map[string]string{"parents": "explicit"},
		"serviceFrom":  serviceFrom,
	})
}

type truthSpan struct {
	SpanID        string  `json:"spanId"`
	ParentSpanID  *string `json:"parentSpanId"`
	Service       string  `json:"service"`
	Name          string  `json:"name"`
	Kind          string  `json:"kind"`
	StartUnixNano string  `json:"startUnixNano"`
	EndUnixNano   string  `json:"endUnixNano"`
	DurationMs    float64 `json:"durationMs"`
	Status        string  `json:"status"`
	HTTPStatus    int     `json:"httpStatus"`
	Error         bool    `json:"error"`
	Warning       bool    `json:"warning"`
	Logged        bool    `json:"logged"`
}

type truthTrace struct {
	TraceID  string      `json:"traceId"`
	Scenario string      `json:"scenario"`
	Spans    []truthSpan `json:"spans"`
}

type truthFile struct {
	Corpus    string            `json:"corpus"`
	Generator string            `json:"generator"`
	Libraries map[string]string `json:"libraries"`
	Traces    []truthTrace      `json:"traces"`
}

func writeTruth(spans []*span, pkg string) {
	var out []truthSpan
	for _, s := range spans {
		var parent *string
		if s.parentSpanID != "" {
			p := s.parentSpanID
			parent = &p
		}
		status := "UNSET"
		if s.err != nil {
			status = "ERROR"
		}
		out = append(out, truthSpan{
			SpanID: s.spanID, ParentSpanID: parent, Service: s.service, Name: s.name, Kind: s.kind,
			StartUnixNano: fmt.Sprint(s.start.UnixNano()), EndUnixNano: fmt.Sprint(s.end.UnixNano()),
			DurationMs: float64(s.end.Sub(s.start).Nanoseconds()) / 1e6, Status: status,
			HTTPStatus: s.status, Error: s.err != nil, Warning: false, Logged: true,
		})
	}
	writeJSON(filepath.Join(*outDir, "truth.json"), truthFile{
		Corpus:    "zoo",
		Generator: "corpus/generators/zoo-debian/go/main.go",
		Libraries: map[string]string{pkg: *version, "go": runtime.Version()},
		Traces:    []truthTrace{{TraceID: spans[0].traceID, Scenario: "grandchild-failure", Spans: out}},
	})
}

func writeJSON(path string, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // keep <, > and & as written
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		panic(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		panic(err)
	}
}
