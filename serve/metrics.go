package serve

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics lives in a registry of its own: the TUI and the tests run several
// servers in one process, and the global registry would refuse the second.
type metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	rows     prometheus.Counter
	info     *prometheus.GaugeVec
	routes   map[string]*routeMetrics // read-only once routes are set up
}

// routeMetrics caches a route's children: WithLabelValues hashes and locks
// on every call, which is measurable at tens of thousands of requests/s.
type routeMetrics struct {
	latency prometheus.Observer
	codes   map[int]prometheus.Counter
}

var commonCodes = []int{200, 400, 401, 404, 405, 413, 415, 500}

func newMetrics() *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "workbench_http_requests_total",
			Help: "HTTP requests by route pattern and status code.",
		}, []string{"route", "code"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "workbench_http_request_duration_seconds",
			Help:    "Time from reading the request to writing the response, by route pattern.",
			Buckets: []float64{.0001, .00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"route"}),
		rows: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "workbench_predicted_rows_total",
			Help: "Rows predicted, over every predict route.",
		}),
		info: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "workbench_model_info",
			Help: "The model being served (value 1).",
		}, []string{"name", "session"}),
		routes: map[string]*routeMetrics{},
	}
	m.reg.MustRegister(m.requests, m.latency, m.rows, m.info,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// route prepares a route pattern's children.
func (m *metrics) route(pattern string) {
	if _, ok := m.routes[pattern]; ok {
		return
	}
	rm := &routeMetrics{latency: m.latency.WithLabelValues(routeLabel(pattern)), codes: map[int]prometheus.Counter{}}
	for _, c := range commonCodes {
		rm.codes[c] = m.requests.WithLabelValues(routeLabel(pattern), strconv.Itoa(c))
	}
	m.routes[pattern] = rm
}

func routeLabel(pattern string) string {
	if pattern == "" {
		return "other"
	}
	return pattern
}

func (m *metrics) observe(pattern string, status int, dur time.Duration) {
	rm := m.routes[pattern]
	if rm == nil { // a redirect from ServeMux's path cleaning
		m.requests.WithLabelValues(routeLabel(pattern), strconv.Itoa(status)).Inc()
		m.latency.WithLabelValues(routeLabel(pattern)).Observe(dur.Seconds())
		return
	}
	rm.latency.Observe(dur.Seconds())
	if c, ok := rm.codes[status]; ok {
		c.Inc()
	} else {
		m.requests.WithLabelValues(routeLabel(pattern), strconv.Itoa(status)).Inc()
	}
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
