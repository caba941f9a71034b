// Command go-panic-gen writes corpus/go-panic: a Go service whose handler panics under net/http,
// so the Go runtime and net/http write the real panic text ("http: panic serving <addr>: …" and
// the goroutine's frames) through the server's std-library logger, into the same file as the
// service's zap JSON lines, as a container's merged stdout and stderr would hold them.
//
// Two services in one process, each its own http.Server on 127.0.0.1 and its own log file:
//
//	edge-api       GET /api/orders/<id>  → order-service GET /v1/orders/<id>
//	order-service  zap JSON lines (service, trace_id, span_id, parent_span_id); panics for
//	               order ids starting with "ord-nil" (a nil *order dereferenced)
//
// Scenarios (truth.json `scenario`): ok requests, `panic-alone` (the panicking request is the
// only one running in order-service at that moment) and `panic-concurrent` (another request of
// order-service is running when it panics, so the panic cannot be told to belong to either).
// Ground truth is each handler's own record, written by the program, never parsed from a log.
//
// Usage (run.sh does this): go-panic-gen -out corpus/go-panic
package main

import (
	crand "crypto/rand"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

var (
	outDir     = flag.String("out", "corpus/go-panic", "corpus folder")
	zapVersion = flag.String("zap-version", "unknown", "zap version, for truth.json")
)

type spanRec struct {
	TraceID      string `json:"traceId"`
	SpanID       string `json:"spanId"`
	ParentSpanID string `json:"parentSpanId,omitempty"`
	Service      string `json:"service"`
	Name         string `json:"name"`
	Start        int64  `json:"startUnixNano,string"`
	End          int64  `json:"endUnixNano,string"`
	HTTPStatus   int    `json:"httpStatus"`
	Panicked     bool   `json:"panicked"`
}

var (
	recMu   sync.Mutex
	records []spanRec
)

func record(r spanRec) {
	recMu.Lock()
	records = append(records, r)
	recMu.Unlock()
}

func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := crand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}

// newLogger is zap's production JSON encoder writing to file, sampling off, named by `service`.
func newLogger(file *os.File, service string) *zap.Logger {
	enc := zapcore.NewJSONEncoder(zap.NewProductionEncoderConfig())
	core := zapcore.NewCore(enc, zapcore.AddSync(file), zap.InfoLevel)
	return zap.New(core, zap.AddCaller()).With(zap.String("service", service))
}

type order struct{ Total int }

// run is one request the driver sent: its scenario and the trace id it gave it.
type run struct{ scenario, traceID, order string }

var orders = map[string]*order{"ord-1001": {Total: 1200}, "ord-1002": {Total: 450}, "ord-slow": {Total: 990}}

func main() {
	flag.Parse()
	if err := os.MkdirAll(filepath.Join(*outDir, "logs"), 0o755); err != nil {
		panic(err)
	}
	orderFile := mustCreate(filepath.Join(*outDir, "logs", "order-service.log"))
	edgeFile := mustCreate(filepath.Join(*outDir, "logs", "edge-api.log"))
	orderLog := newLogger(orderFile, "order-service")
	edgeLog := newLogger(edgeFile, "edge-api")

	orderMux := http.NewServeMux()
	orderMux.HandleFunc("/v1/orders/", func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := spanRec{TraceID: r.Header.Get("X-Trace-ID"), SpanID: randomHex(8), ParentSpanID: r.Header.Get("X-Parent-Span-ID"),
			Service: "order-service", Name: "GET /v1/orders"}
		l := orderLog.With(zap.String("trace_id", rec.TraceID), zap.String("span_id", rec.SpanID), zap.String("parent_span_id", rec.ParentSpanID))
		id := strings.TrimPrefix(r.URL.Path, "/v1/orders/")
		l.Info("request received", zap.String("method", r.Method), zap.String("path", r.URL.Path))
		l.Info("loading order", zap.String("order_id", id))
		// Recorded before the handler can panic: net/http recovers the panic and logs it.
		defer func() {
			rec.End = time.Now().UnixNano()
			if p := recover(); p != nil {
				rec.Panicked = true
				record(rec)
				panic(p) // on to net/http, which writes "http: panic serving …" and the stack
			}
			record(rec)
		}()
		rec.Start = start.UnixNano()
		if id == "ord-slow" {
			time.Sleep(60 * time.Millisecond)
		}
		if strings.HasPrefix(id, "ord-nil") {
			time.Sleep(20 * time.Millisecond)
		}
		o := orders[id] // nil for unknown ids: the bug
		total := o.Total
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"id": id, "total": total})
		rec.HTTPStatus = 200
		l.Info("request completed", zap.Int("status", 200), zap.Duration("latency", time.Since(start)))
	})
	orderURL := serve(orderMux, log.New(orderFile, "", log.LstdFlags))

	// No keep-alive: a GET that fails on a reused connection is retried by net/http's client,
	// which would send the panicking request twice.
	client := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	edgeMux := http.NewServeMux()
	edgeMux.HandleFunc("/api/orders/", func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := spanRec{TraceID: r.Header.Get("X-Trace-ID"), SpanID: randomHex(8), Service: "edge-api", Name: "GET /api/orders"}
		l := edgeLog.With(zap.String("trace_id", rec.TraceID), zap.String("span_id", rec.SpanID))
		id := strings.TrimPrefix(r.URL.Path, "/api/orders/")
		l.Info("request received", zap.String("method", r.Method), zap.String("path", r.URL.Path))
		url := orderURL + "/v1/orders/" + id
		l.Info("calling order-service", zap.String("upstream", "order-service"), zap.String("http.url", url))
		req, _ := http.NewRequest("GET", url, nil)
		req.Header.Set("X-Trace-ID", rec.TraceID)
		req.Header.Set("X-Parent-Span-ID", rec.SpanID)
		status := 200
		resp, err := client.Do(req)
		if err != nil {
			l.Error("order-service unreachable", zap.String("upstream", "order-service"), zap.Error(err))
			status = 502
		} else {
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
		w.WriteHeader(status)
		fields := []zap.Field{zap.Int("status", status), zap.Duration("latency", time.Since(start))}
		if status >= 500 {
			l.Error("request completed", fields...)
		} else {
			l.Info("request completed", fields...)
		}
		rec.Start, rec.End, rec.HTTPStatus = start.UnixNano(), time.Now().UnixNano(), status
		record(rec)
	})
	edgeURL := serve(edgeMux, log.New(edgeFile, "", log.LstdFlags))

	var runs []run
	get := func(scenario, order string) run {
		r := run{scenario, randomHex(16), order}
		req, _ := http.NewRequest("GET", edgeURL+"/api/orders/"+order, nil)
		req.Header.Set("X-Trace-ID", r.traceID)
		if resp, err := client.Do(req); err == nil {
			resp.Body.Close()
		}
		return r
	}
	runs = append(runs, get("ok", "ord-1001"))
	time.Sleep(20 * time.Millisecond)
	runs = append(runs, get("panic-alone", "ord-nil-1"))
	time.Sleep(20 * time.Millisecond)
	runs = append(runs, get("ok", "ord-1002"))
	time.Sleep(20 * time.Millisecond)
	// Two at once: the slow one is still running in order-service when the other panics.
	var wg sync.WaitGroup
	var slow, broken run
	wg.Add(2)
	go func() { defer wg.Done(); slow = get("panic-concurrent", "ord-slow") }()
	time.Sleep(5 * time.Millisecond)
	go func() { defer wg.Done(); broken = get("panic-concurrent", "ord-nil-2") }()
	wg.Wait()
	runs = append(runs, slow, broken)
	time.Sleep(20 * time.Millisecond)
	runs = append(runs, get("ok", "ord-1001"))

	_ = orderLog.Sync()
	_ = edgeLog.Sync()
	writeTruth(runs)
}

func mustCreate(path string) *os.File {
	f, err := os.Create(path)
	if err != nil {
		panic(err)
	}
	return f
}

// serve starts an http.Server on a random loopback port; ErrorLog is where net/http writes panics.
func serve(h http.Handler, errorLog *log.Logger) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	go func() { _ = (&http.Server{Handler: h, ErrorLog: errorLog}).Serve(ln) }()
	return "http://" + ln.Addr().String()
}

func writeTruth(runs []run) {
	type traceOut struct {
		TraceID  string    `json:"traceId"`
		Scenario string    `json:"scenario"`
		Spans    []spanRec `json:"spans"`
	}
	recMu.Lock()
	defer recMu.Unlock()
	var traces []traceOut
	for _, r := range runs {
		t := traceOut{TraceID: r.traceID, Scenario: r.scenario}
		for _, s := range records {
			if s.TraceID == r.traceID {
				t.Spans = append(t.Spans, s)
			}
		}
		traces = append(traces, t)
	}
	out := map[string]any{
		"corpus":    "go-panic",
		"generator": "corpus/generators/go-panic/main.go",
		"libraries": map[string]string{"go": strings.TrimPrefix(runtime.Version(), "go"), "go.uber.org/zap": *zapVersion},
		"traces":    traces,
	}
	b, _ := json.MarshalIndent(out, "", "  ")
	if err := os.WriteFile(filepath.Join(*outDir, "truth.json"), append(b, '\n'), 0o644); err != nil {
		panic(err)
	}
	fmt.Println("go-panic: wrote", *outDir)
}
