// Command zap-writer writes a Go service's log (order-service, payment-service) with the real zap
// production config: every JSON line is zap's, with zap's own `caller` and `stacktrace` (the
// stack of this program's call, which replays the service). The clock is the scenario's, given
// through zap.WithClock; errors are real Go errors handed to zap.Error.
//
// Usage: zap-writer -service order-service -entries entries.jsonl -out order-service.log
//
// The entries are what shop.mjs recorded, in file order (see ../README.md).
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log"
	"net/url"
	"os"
	"runtime"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

type entry struct {
	Kind       string              `json:"kind"`
	ClockUs    int64               `json:"clockUs"`
	Level      string              `json:"level"`
	Msg        string              `json:"msg"`
	IDs        map[string]string   `json:"ids"`
	Fields     [][]json.RawMessage `json:"fields"`
	Err        *errSpec            `json:"err"`
	RemoteAddr string              `json:"remoteAddr"`
}

type errSpec struct {
	Kind    string `json:"kind"`
	Message string `json:"message"`
	Op      string `json:"op"`
	URL     string `json:"url"`
}

// scenarioClock is the scenario's time: zap reads it through zap.WithClock.
type scenarioClock struct{ now time.Time }

func (c *scenarioClock) Now() time.Time                         { return c.now }
func (c *scenarioClock) NewTicker(d time.Duration) *time.Ticker { return time.NewTicker(d) }

func main() {
	service := flag.String("service", "", "the service whose log this is")
	entriesPath := flag.String("entries", "", "entries recorded by shop.mjs (JSON lines)")
	outPath := flag.String("out", "", "log file to write")
	flag.Parse()

	// zap's file sink appends, and so does the panic's ErrorLog: one file, lines in call order.
	_ = os.Remove(*outPath)
	out, err := os.OpenFile(*outPath, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	check(err)
	defer out.Close()
	clock := &scenarioClock{}
	cfg := zap.NewProductionConfig()
	cfg.Level = zap.NewAtomicLevelAt(zap.DebugLevel) // the services run with debug logging on
	cfg.OutputPaths = []string{*outPath}
	base, err := cfg.Build(zap.WithClock(clock))
	check(err)
	base = base.With(zap.String("service", *service))

	in, err := os.Open(*entriesPath)
	check(err)
	scanner := bufio.NewScanner(in)
	scanner.Buffer(make([]byte, 1<<20), 1<<20)
	for scanner.Scan() {
		var e entry
		check(json.Unmarshal(scanner.Bytes(), &e))
		clock.now = time.UnixMicro(e.ClockUs).UTC()
		switch e.Kind {
		case "log":
			logCall(base, &e)
		case "panic":
			// The server's ErrorLog: see serveConn.
			errorLog = log.New(out, clock.now.Format("2006/01/02 15:04:05 "), 0)
			remoteAddr = e.RemoteAddr
			serveConn()
		default:
			check(fmt.Errorf("unknown entry kind %q", e.Kind))
		}
	}
	check(scanner.Err())
	check(base.Sync())
}

// logCall makes the service's log call: the span's ids as the logger's fields, then the call's.
func logCall(base *zap.Logger, e *entry) {
	logger := base
	for _, key := range []string{"trace_id", "span_id", "parent_span_id"} {
		if id, ok := e.IDs[key]; ok {
			logger = logger.With(zap.String(key, id))
		}
	}
	fields := make([]zap.Field, 0, len(e.Fields)+1)
	for _, pair := range e.Fields {
		fields = append(fields, field(pair))
	}
	if e.Err != nil {
		fields = append(fields, zap.Error(makeError(e.Err)))
	}
	switch e.Level {
	case "debug":
		logger.Debug(e.Msg, fields...)
	case "info":
		logger.Info(e.Msg, fields...)
	case "warn":
		logger.Warn(e.Msg, fields...)
	case "error":
		logger.Error(e.Msg, fields...)
	default:
		check(fmt.Errorf("unknown level %q", e.Level))
	}
}

// field types a recorded value: strings, integers, floats, and {"durationUs": n} as a
// time.Duration (which the production encoder writes as float seconds).
func field(pair []json.RawMessage) zap.Field {
	var key string
	check(json.Unmarshal(pair[0], &key))
	raw := pair[1]
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return zap.String(key, s)
	}
	var d struct {
		DurationUs *int64 `json:"durationUs"`
	}
	if json.Unmarshal(raw, &d) == nil && d.DurationUs != nil {
		return zap.Duration(key, time.Duration(*d.DurationUs)*time.Microsecond)
	}
	var i int64
	if json.Unmarshal(raw, &i) == nil {
		return zap.Int64(key, i)
	}
	var f float64
	check(json.Unmarshal(raw, &f))
	return zap.Float64(key, f)
}

func makeError(spec *errSpec) error {
	switch spec.Kind {
	case "go-error":
		return errors.New(spec.Message)
	case "deadline":
		// What net/http's client returns when the request's context runs out.
		return &url.Error{Op: spec.Op, URL: spec.URL, Err: context.DeadlineExceeded}
	}
	check(fmt.Errorf("unknown error kind %q", spec.Kind))
	return nil
}

type order struct{ state string }

//go:noinline
func loadOrder() *order { return nil } // the cache miss the handler forgot to check

//go:noinline
func getOrder() string { return loadOrder().state }

// The connection being served when the handler panics, and the server's ErrorLog, a standard
// log.Logger. log.Logger reads time.Now() and takes no clock, so its date prefix (log.LstdFlags'
// layout) is the scenario's time, set as the logger's prefix. Package variables, not arguments,
// so the stack printed has no heap addresses in it (the same bytes on every run).
var (
	errorLog   *log.Logger
	remoteAddr string
)

// serveConn runs the panicking handler the way net/http's conn.serve does: it recovers the panic
// and prints "http: panic serving <addr>: <panic>" and the goroutine's stack through ErrorLog.
func serveConn() {
	defer func() {
		if err := recover(); err != nil {
			const size = 64 << 10
			buf := make([]byte, size)
			buf = buf[:runtime.Stack(buf, false)]
			errorLog.Printf("http: panic serving %v: %v\n%s", remoteAddr, err, buf)
		}
	}()
	_ = getOrder()
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "zap-writer:", err)
		os.Exit(1)
	}
}

var _ zapcore.Clock = (*scenarioClock)(nil)
