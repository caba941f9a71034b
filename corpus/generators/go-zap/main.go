// Command go-zap-gen writes corpus/go-zap: three Go services (edge-api, cart-service,
// pricing-service), each its own process on 127.0.0.1, calling each other over real HTTP and
// logging with zap's production JSON encoder. Every log line is written by zap.
//
// The trace id is hand-rolled: edge-api makes one per request as `<unix-ms>-<8 hex>` and passes it
// on in the X-Trace-ID header; every service keeps it in its context.Context. Each service also
// makes a 16-hex span id per handler and passes it on in X-Parent-Span-ID, so each process can
// write two variants at once from the same run, with two zap loggers:
//
//	trace-only/<service>.log    lines carry only trace_id
//	with-parents/<service>.log  lines also carry span_id and parent_span_id
//
// Ground truth is each service's own record of the handlers it ran (id, parent, service, name,
// start, end, status), written on shutdown to a file outside the variant folders and merged by the
// driver into truth.json. No log line is ever parsed.
//
// Usage (run.sh does this): go-zap-gen -out corpus/go-zap
package main

import (
	"bytes"
	"context"
	crand "crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"

	"go.uber.org/zap"
)

// zapVersion is the Debian package golang-go.uber-zap-dev this was built against (GOPATH build,
// no module metadata to read it from); run.sh passes the installed version with -zap-version.
var zapVersion = flag.String("zap-version", "unknown", "zap version, for truth.json")

var (
	role       = flag.String("role", "driver", "driver | service")
	service    = flag.String("service", "", "service name (role=service)")
	outDir     = flag.String("out", "corpus/go-zap", "corpus folder (role=driver)")
	spansFile  = flag.String("spans", "", "where the service writes its span record on shutdown")
	cartURL    = flag.String("cart", "", "cart-service base URL")
	pricingURL = flag.String("pricing", "", "pricing-service base URL")
)

func main() {
	flag.Parse()
	switch *role {
	case "service":
		runService()
	case "driver":
		runDriver()
	default:
		fmt.Fprintln(os.Stderr, "unknown role", *role)
		os.Exit(2)
	}
}

// ---------------------------------------------------------------------------------------------
// The span record (ground truth), kept by each service in memory.

type spanRec struct {
	TraceID      string `json:"traceId"`
	SpanID       string `json:"spanId"`
	ParentSpanID string `json:"parentSpanId"`
	Service      string `json:"service"`
	Name         string `json:"name"`
	Start        int64  `json:"start"`
	End          int64  `json:"end"`
	HTTPStatus   int    `json:"httpStatus"`
}

var (
	recMu   sync.Mutex
	records []spanRec
)

func newSpanID() string {
	var b [8]byte
	if _, err := crand.Read(b[:]); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b[:])
}

// newTraceID is the hand-rolled form `<unix-ms>-<8 hex>`.
func newTraceID() string {
	var b [4]byte
	if _, err := crand.Read(b[:]); err != nil {
		panic(err)
	}
	return fmt.Sprintf("%d-%s", time.Now().UnixMilli(), hex.EncodeToString(b[:]))
}

// ---------------------------------------------------------------------------------------------
// Context and the two loggers.

type ctxKey struct{}

type reqInfo struct {
	traceID, spanID, parentSpanID string
	log                           *dualLog
}

func fromCtx(ctx context.Context) *reqInfo { return ctx.Value(ctxKey{}).(*reqInfo) }

// dualLog writes each event to both variants' loggers with the same fields.
type dualLog struct{ traceOnly, withParents *zap.Logger }

func (d *dualLog) Info(msg string, f ...zap.Field) {
	d.traceOnly.Info(msg, f...)
	d.withParents.Info(msg, f...)
}
func (d *dualLog) Warn(msg string, f ...zap.Field) {
	d.traceOnly.Warn(msg, f...)
	d.withParents.Warn(msg, f...)
}
func (d *dualLog) Error(msg string, f ...zap.Field) {
	d.traceOnly.Error(msg, f...)
	d.withParents.Error(msg, f...)
}

func newProductionLogger(path string) *zap.Logger {
	cfg := zap.NewProductionConfig() // JSON encoder, epoch-seconds float ts, seconds durations
	cfg.Sampling = nil               // a burst of concurrent traces must not lose lines
	cfg.OutputPaths = []string{path}
	l, err := cfg.Build(zap.AddCallerSkip(1)) // caller is the handler, not dualLog
	if err != nil {
		panic(err)
	}
	return l
}

var baseTraceOnly, baseWithParents *zap.Logger

// span wraps a handler: it takes the trace id (edge-api makes one when there is none), makes the
// handler's span id, logs "request received" / "request completed" and records the span.
func span(name string, h func(w http.ResponseWriter, r *http.Request) int) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		traceID := r.Header.Get("X-Trace-ID")
		if traceID == "" {
			traceID = newTraceID()
		}
		info := &reqInfo{traceID: traceID, spanID: newSpanID(), parentSpanID: r.Header.Get("X-Parent-Span-ID")}
		info.log = &dualLog{
			traceOnly: baseTraceOnly.With(zap.String("trace_id", traceID)),
			withParents: baseWithParents.With(zap.String("trace_id", traceID),
				zap.String("span_id", info.spanID), parentField(info.parentSpanID)),
		}
		w.Header().Set("X-Trace-ID", traceID)
		r = r.WithContext(context.WithValue(r.Context(), ctxKey{}, info))
		info.log.Info("request received", zap.String("method", r.Method), zap.String("path", r.URL.Path))

		status := h(w, r)

		end := time.Now()
		latency := end.Sub(start)
		fields := []zap.Field{zap.String("method", r.Method), zap.String("path", r.URL.Path),
			zap.Int("status", status), zap.Duration("latency", latency)}
		switch {
		case status >= 500:
			info.log.Error("request completed", fields...)
		case status >= 400:
			info.log.Warn("request completed", fields...)
		default:
			info.log.Info("request completed", fields...)
		}
		recMu.Lock()
		records = append(records, spanRec{TraceID: traceID, SpanID: info.spanID, ParentSpanID: info.parentSpanID,
			Service: *service, Name: r.Method + " " + r.URL.Path, Start: start.UnixNano(), End: end.UnixNano(),
			HTTPStatus: status})
		recMu.Unlock()
	}
}

// parentField is parent_span_id, left out at the root.
func parentField(id string) zap.Field {
	if id == "" {
		return zap.Skip()
	}
	return zap.String("parent_span_id", id)
}

var client = &http.Client{Timeout: 5 * time.Second}

// call makes an HTTP call to another service, passing the trace id and this span's id on.
func call(ctx context.Context, upstream, method, url string, body any) (int, []byte, error) {
	info := fromCtx(ctx)
	info.log.Info("calling "+upstream, zap.String("upstream", upstream), zap.String("http.url", url))
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, rd)
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("X-Trace-ID", info.traceID)
	req.Header.Set("X-Parent-Span-ID", info.spanID)
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, err
}

func writeJSON(w http.ResponseWriter, status int, v any) int {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
	return status
}

// ---------------------------------------------------------------------------------------------
// The three services.

var carts = map[string][]string{
	"c-1001": {"sku-apple", "sku-pear"},
	"c-1002": {"sku-apple"},
	"c-1003": {"sku-pear", "sku-plum", "sku-fig"},
	"c-1004": {"sku-plum"},
	"c-2001": {"sku-apple", "sku-slow"}, // pricing-service is slow for sku-slow
	"c-6660": {"sku-fig", "sku-broken"}, // pricing-service fails for sku-broken
}

var prices = map[string]int{"sku-apple": 120, "sku-pear": 95, "sku-plum": 60, "sku-fig": 240, "sku-slow": 300}

func sleepMs(lo, hi int) { time.Sleep(time.Duration(lo+rand.Intn(hi-lo+1)) * time.Millisecond) }

func edgeCheckout(w http.ResponseWriter, r *http.Request) int {
	ctx := r.Context()
	log := fromCtx(ctx).log
	cartID := r.URL.Query().Get("cart")
	sleepMs(1, 3) // auth, request parsing
	status, body, err := call(ctx, "cart-service", "GET", *cartURL+"/v1/carts/"+cartID, nil)
	switch {
	case err != nil:
		log.Error("cart-service unreachable", zap.Error(err))
		return writeJSON(w, 502, map[string]string{"error": "cart unavailable"})
	case status == 404:
		log.Warn("cart not found", zap.String("cart_id", cartID))
		return writeJSON(w, 404, map[string]string{"error": "no such cart"})
	case status >= 500:
		log.Error("cart-service failed", zap.Error(fmt.Errorf("cart-service returned %d: %s", status,
			strings.TrimSpace(string(body)))))
		return writeJSON(w, 502, map[string]string{"error": "checkout failed"})
	}
	var cart struct {
		Total int `json:"total"`
	}
	_ = json.Unmarshal(body, &cart)
	status, body, err = call(ctx, "pricing-service", "POST", *pricingURL+"/v1/quote",
		map[string]any{"subtotal": cart.Total, "country": "DE"})
	if err != nil || status >= 500 {
		if err == nil {
			err = fmt.Errorf("pricing-service returned %d", status)
		}
		log.Error("quote failed", zap.Error(err))
		return writeJSON(w, 502, map[string]string{"error": "checkout failed"})
	}
	sleepMs(1, 2)
	var quote map[string]any
	_ = json.Unmarshal(body, &quote)
	log.Info("checkout priced", zap.String("cart_id", cartID), zap.Any("total", quote["total"]))
	return writeJSON(w, 200, quote)
}

func cartGet(w http.ResponseWriter, r *http.Request) int {
	ctx := r.Context()
	log := fromCtx(ctx).log
	id := strings.TrimPrefix(r.URL.Path, "/v1/carts/")
	sleepMs(2, 4) // the cart store
	skus, ok := carts[id]
	if !ok {
		log.Warn("cart not found", zap.String("cart_id", id))
		return writeJSON(w, 404, map[string]string{"error": "cart " + id + " not found"})
	}
	status, body, err := call(ctx, "pricing-service", "POST", *pricingURL+"/v1/prices", map[string]any{"skus": skus})
	if err != nil || status >= 500 {
		if err == nil {
			err = fmt.Errorf("pricing-service returned %d: %s", status, strings.TrimSpace(string(body)))
		}
		log.Error("pricing cart items failed", zap.String("cart_id", id), zap.Error(err))
		return writeJSON(w, 500, map[string]string{"error": "pricing failed"})
	}
	var priced struct {
		Total int `json:"total"`
	}
	_ = json.Unmarshal(body, &priced)
	sleepMs(1, 2)
	return writeJSON(w, 200, map[string]any{"id": id, "skus": skus, "total": priced.Total})
}

var errPriceTable = errors.New("price table shard 3: no row for sku-broken")

func pricingPrices(w http.ResponseWriter, r *http.Request) int {
	log := fromCtx(r.Context()).log
	var req struct {
		Skus []string `json:"skus"`
	}
	_ = json.NewDecoder(r.Body).Decode(&req)
	total := 0
	for _, s := range req.Skus {
		sleepMs(1, 2)
		if s == "sku-slow" {
			time.Sleep(45 * time.Millisecond)
		}
		p, ok := prices[s]
		if !ok {
			err := fmt.Errorf("price lookup for %s: %w", s, errPriceTable)
			log.Error("price lookup failed", zap.String("sku", s), zap.Error(err))
			return writeJSON(w, 500, map[string]string{"error": err.Error()})
		}
		total += p
	}
	return writeJSON(w, 200, map[string]int{"total": total})
}

func pricingQuote(w http.ResponseWriter, r *http.Request) int {
	var req struct {
		Subtotal int    `json:"subtotal"`
		Country  string `json:"country"`
	}
	_ = json.NewDecoder(r.Body).Decode(&req)
	sleepMs(2, 5) // tax rules
	tax := req.Subtotal * 19 / 100
	return writeJSON(w, 200, map[string]int{"subtotal": req.Subtotal, "tax": tax, "total": req.Subtotal + tax + 490})
}

func runService() {
	logDir := flag.Arg(0)
	baseTraceOnly = newProductionLogger(filepath.Join(logDir, "trace-only", *service+".log")).
		With(zap.String("service", *service))
	baseWithParents = newProductionLogger(filepath.Join(logDir, "with-parents", *service+".log")).
		With(zap.String("service", *service))

	mux := http.NewServeMux()
	switch *service {
	case "edge-api":
		mux.HandleFunc("/api/checkout", span("POST /api/checkout", edgeCheckout))
	case "cart-service":
		mux.HandleFunc("/v1/carts/", span("GET /v1/carts", cartGet))
	case "pricing-service":
		mux.HandleFunc("/v1/prices", span("POST /v1/prices", pricingPrices))
		mux.HandleFunc("/v1/quote", span("POST /v1/quote", pricingQuote))
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	srv := &http.Server{Handler: mux}
	go func() { _ = srv.Serve(ln) }()
	fmt.Printf("listening http://%s\n", ln.Addr())

	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM, os.Interrupt)
	<-sig
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = srv.Shutdown(ctx)
	_ = baseTraceOnly.Sync()
	_ = baseWithParents.Sync()
	recMu.Lock()
	b, _ := json.Marshal(records)
	recMu.Unlock()
	if err := os.WriteFile(*spansFile, b, 0o644); err != nil {
		panic(err)
	}
}

// ---------------------------------------------------------------------------------------------
// The driver: starts the services, sends the traffic, merges the span records into truth.json.

type child struct {
	cmd *exec.Cmd
	url string
}

func startService(name, logDir, spans string, extra ...string) *child {
	args := append([]string{"-role", "service", "-service", name, "-spans", spans}, extra...)
	args = append(args, logDir)
	cmd := exec.Command(os.Args[0], args...)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		panic(err)
	}
	if err := cmd.Start(); err != nil {
		panic(err)
	}
	buf := make([]byte, 256)
	n, err := out.Read(buf)
	if err != nil {
		panic(err)
	}
	line := strings.TrimSpace(string(buf[:n]))
	return &child{cmd: cmd, url: strings.TrimPrefix(line, "listening ")}
}

type sentReq struct {
	scenario string
	traceID  string
	status   int
}

func checkout(edge, cart string) (string, int) {
	resp, err := client.Post(edge+"/api/checkout?cart="+cart, "application/json", strings.NewReader("{}"))
	if err != nil {
		panic(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.Header.Get("X-Trace-ID"), resp.StatusCode
}

func runDriver() {
	for _, v := range []string{"trace-only", "with-parents"} {
		d := filepath.Join(*outDir, v)
		if err := os.MkdirAll(d, 0o755); err != nil {
			panic(err)
		}
		old, _ := filepath.Glob(filepath.Join(d, "*.log"))
		for _, f := range old {
			os.Remove(f)
		}
	}
	tmp, err := os.MkdirTemp("", "go-zap-spans")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(tmp)
	spans := func(name string) string { return filepath.Join(tmp, name+".json") }

	pricing := startService("pricing-service", *outDir, spans("pricing-service"))
	cart := startService("cart-service", *outDir, spans("cart-service"), "-pricing", pricing.url)
	edge := startService("edge-api", *outDir, spans("edge-api"), "-cart", cart.url, "-pricing", pricing.url)
	children := []*child{edge, cart, pricing}

	var (
		mu   sync.Mutex
		sent []sentReq
	)
	one := func(scenario, cartID string) {
		id, st := checkout(edge.url, cartID)
		mu.Lock()
		sent = append(sent, sentReq{scenario, id, st})
		mu.Unlock()
	}
	pause := func() { time.Sleep(time.Duration(15+rand.Intn(20)) * time.Millisecond) }

	// 6 sequential ok checkouts
	for _, c := range []string{"c-1001", "c-1002", "c-1003", "c-1004", "c-1001", "c-1003"} {
		one("ok", c)
		pause()
	}
	// one failing deep: pricing-service errors, cart-service answers 500, edge-api 502
	one("deep-failure", "c-6660")
	pause()
	// one 4xx: cart-service answers 404, edge-api 404
	one("not-found", "c-0404")
	pause()
	// one slow: pricing-service takes 45 ms for one item
	one("slow", "c-2001")
	pause()
	// 10 concurrent checkouts, one of them slow and one failing deep
	var wg sync.WaitGroup
	for i, c := range []string{"c-1001", "c-1002", "c-1003", "c-1004", "c-2001", "c-1001", "c-6660", "c-1002",
		"c-1003", "c-1004"} {
		wg.Add(1)
		go func(i int, c string) {
			defer wg.Done()
			time.Sleep(time.Duration(i) * time.Millisecond) // overlapping, not simultaneous
			scenario := "concurrent"
			if c == "c-2001" {
				scenario = "concurrent-slow"
			} else if c == "c-6660" {
				scenario = "concurrent-deep-failure"
			}
			one(scenario, c)
		}(i, c)
	}
	wg.Wait()
	pause()
	// 4 more sequential, ending with a second 4xx
	for _, c := range []string{"c-1002", "c-2001", "c-1004", "c-9999"} {
		scenario := "ok"
		if c == "c-2001" {
			scenario = "slow"
		} else if c == "c-9999" {
			scenario = "not-found"
		}
		one(scenario, c)
		pause()
	}

	for _, c := range children {
		_ = c.cmd.Process.Signal(syscall.SIGTERM)
	}
	for _, c := range children {
		if err := c.cmd.Wait(); err != nil {
			fmt.Fprintln(os.Stderr, "service exited:", err)
			os.Exit(1)
		}
	}

	var all []spanRec
	for _, name := range []string{"edge-api", "cart-service", "pricing-service"} {
		b, err := os.ReadFile(spans(name))
		if err != nil {
			panic(err)
		}
		var recs []spanRec
		if err := json.Unmarshal(b, &recs); err != nil {
			panic(err)
		}
		all = append(all, recs...)
	}
	writeTruth(all, sent)
	writeVariants()
	fmt.Printf("go-zap: %d traces, %d spans -> %s\n", len(sent), len(all), *outDir)
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
	HTTPStatus    *int    `json:"httpStatus"`
	Error         bool    `json:"error"`
	Warning       bool    `json:"warning"`
	Logged        bool    `json:"logged"`
}

type truthTrace struct {
	TraceID  string      `json:"traceId"`
	Scenario string      `json:"scenario"`
	Spans    []truthSpan `json:"spans"`
}

func writeTruth(all []spanRec, sent []sentReq) {
	byTrace := map[string][]spanRec{}
	for _, r := range all {
		byTrace[r.TraceID] = append(byTrace[r.TraceID], r)
	}
	sort.SliceStable(sent, func(i, j int) bool {
		return byTrace[sent[i].traceID][0].Start < byTrace[sent[j].traceID][0].Start
	})
	var traces []truthTrace
	for _, s := range sent {
		recs := byTrace[s.traceID]
		if len(recs) == 0 {
			panic("no spans for trace " + s.traceID)
		}
		sort.Slice(recs, func(i, j int) bool { return recs[i].Start < recs[j].Start })
		t := truthTrace{TraceID: s.traceID, Scenario: s.scenario}
		for _, r := range recs {
			var parent *string
			if r.ParentSpanID != "" {
				p := r.ParentSpanID
				parent = &p
			}
			st := r.HTTPStatus
			status := "UNSET"
			if st >= 500 {
				status = "ERROR"
			}
			t.Spans = append(t.Spans, truthSpan{
				SpanID: r.SpanID, ParentSpanID: parent, Service: r.Service, Name: r.Name, Kind: "server",
				StartUnixNano: fmt.Sprint(r.Start), EndUnixNano: fmt.Sprint(r.End),
				DurationMs: float64((r.End-r.Start)/1000) / 1000, Status: status, HTTPStatus: &st,
				Error: st >= 500, Warning: st >= 400 && st < 500, Logged: true,
			})
		}
		traces = append(traces, t)
	}
	truth := map[string]any{
		"corpus":    "go-zap",
		"generator": "corpus/generators/go-zap/main.go",
		"libraries": map[string]string{"go.uber.org/zap": *zapVersion, "go": runtime.Version()},
		"traces":    traces,
	}
	writeFile(filepath.Join(*outDir, "truth.json"), truth)
}

type variantFile struct {
	Variant      string            `json:"variant"`
	Description  string            `json:"description"`
	Skew         []any             `json:"skew"`
	DamagedLines int               `json:"damagedLines"`
	Expect       map[string]string `json:"expect"`
}

func writeVariants() {
	fields := "zap " + *zapVersion + " production JSON encoder (ts: epoch seconds float; level; caller; msg; " +
		"stacktrace on error-level lines); service in `service` (logger.With); trace id in `trace_id` " +
		"(hand-rolled `<unix-ms>-<8 hex>`, X-Trace-ID header); handler end in \"request completed\" with " +
		"`status` and `latency` (zap.Duration: SECONDS as float); errors in `error` (zap.Error); calls in " +
		"\"calling <service>\" lines with `upstream` and `http.url`. All three processes on one host and clock."
	writeFile(filepath.Join(*outDir, "trace-only", "variant.json"), variantFile{
		Variant:     "trace-only",
		Description: "three Go services over HTTP; lines carry only the trace id. " + fields,
		Skew:        []any{},
		Expect:      map[string]string{"parents": "trace-id-only"},
	})
	writeFile(filepath.Join(*outDir, "with-parents", "variant.json"), variantFile{
		Variant: "with-parents",
		Description: "the same run as trace-only; lines also carry `span_id` and `parent_span_id` " +
			"(zap.String; passed in X-Parent-Span-ID; no parent_span_id at the root). " + fields,
		Skew:   []any{},
		Expect: map[string]string{"parents": "explicit"},
	})
}

func writeFile(path string, v any) {
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
