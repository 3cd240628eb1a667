package serve

import (
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics lives in a registry of its own: the TUI and the tests run several
// servers in one process, and the global registry would refuse the second.
//
// Labels: method (the request's, one of the standard methods or "other"),
// route (the ServeMux pattern without its method, e.g.
// "/v2/models/{name}/infer"; "other" for a request no pattern matched),
// code, and model (the served model a route named, "" on routes that name
// none such as /predict). Every label takes values from a bounded set: the
// routes, the methods, the status codes the server writes and the models it
// serves.
type metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	rows     prometheus.Counter
	info     *prometheus.GaugeVec

	// children caches WithLabelValues: it hashes and locks on every call,
	// which is measurable at tens of thousands of requests/s.
	counters  sync.Map // counterKey → prometheus.Counter
	observers sync.Map // observerKey → prometheus.Observer
}

type observerKey struct{ method, pattern, model string }

type counterKey struct {
	observerKey
	code int
}

func newMetrics() *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "workbench_http_requests_total",
			Help: "HTTP requests by method, route pattern, status code and the model the route named.",
		}, []string{"method", "route", "code", "model"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "workbench_http_request_duration_seconds",
			Help:    "Time from reading the request to writing the response, by method, route pattern and model.",
			Buckets: []float64{.0001, .00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"method", "route", "model"}),
		rows: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "workbench_predicted_rows_total",
			Help: "Rows predicted, over every predict route.",
		}),
		info: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "workbench_model_info",
			Help: "The models being served (value 1 each).",
		}, []string{"name", "session"}),
	}
	m.reg.MustRegister(m.requests, m.latency, m.rows, m.info,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// route makes a route's series exist from the start (a dashboard sees 0,
// not nothing); pattern is "METHOD /path".
func (m *metrics) route(pattern string) {
	method, _, _ := strings.Cut(pattern, " ")
	m.observer(method, pattern, "")
	m.counter(method, pattern, "", http.StatusOK)
}

// knownMethods bounds the method label.
var knownMethods = map[string]bool{"GET": true, "HEAD": true, "POST": true, "PUT": true, "DELETE": true, "PATCH": true, "OPTIONS": true}

func methodLabel(method string) string {
	if knownMethods[method] {
		return method
	}
	return "other"
}

// routeLabel is the pattern without its method.
func routeLabel(pattern string) string {
	if i := strings.IndexByte(pattern, ' '); i >= 0 {
		pattern = pattern[i+1:]
	}
	if pattern == "" {
		return "other"
	}
	return pattern
}

func (m *metrics) observer(method, pattern, model string) prometheus.Observer {
	k := observerKey{method, pattern, model}
	if o, ok := m.observers.Load(k); ok {
		return o.(prometheus.Observer)
	}
	o := m.latency.WithLabelValues(methodLabel(method), routeLabel(pattern), model)
	m.observers.Store(k, o)
	return o
}

func (m *metrics) counter(method, pattern, model string, code int) prometheus.Counter {
	k := counterKey{observerKey{method, pattern, model}, code}
	if c, ok := m.counters.Load(k); ok {
		return c.(prometheus.Counter)
	}
	c := m.requests.WithLabelValues(methodLabel(method), routeLabel(pattern), strconv.Itoa(code), model)
	m.counters.Store(k, c)
	return c
}

func (m *metrics) observe(method, pattern, model string, status int, dur time.Duration) {
	if !knownMethods[method] {
		method = "other" // the cache is keyed by label values too
	}
	m.observer(method, pattern, model).Observe(dur.Seconds())
	m.counter(method, pattern, model, status).Inc()
}

func (m *metrics) setModels(ms []*model) {
	m.info.Reset()
	for _, md := range ms {
		m.info.WithLabelValues(md.name, md.id).Set(1)
	}
}

func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}
