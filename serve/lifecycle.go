package serve

// The server's life: listening, graceful stop, and swapping in another
// session's model while requests are in flight.

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
)

func (s *server) start(addr string) (string, error) {
	s.life.Lock()
	defer s.life.Unlock()
	if s.srv != nil {
		return "", fmt.Errorf("serve: already running on %s", *s.addr.Load())
	}
	if addr == "" {
		addr = DefaultAddr
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", fmt.Errorf("serve: cannot listen on %s: %w", addr, err)
	}
	srv := &http.Server{
		Handler:           s,
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       s.readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	done := make(chan struct{})
	bound := ln.Addr().String()
	tl := newTrackingListener(ln, s.maxConns)
	go func() {
		defer close(done)
		if err := srv.Serve(tl); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.log.Error("server stopped", "addr", bound, "error", err.Error())
		}
	}()
	s.srv, s.done, s.ln = srv, done, tl
	s.addr.Store(&bound)
	s.log.Info("serving", "addr", bound, "model", s.model.Load().name)
	return bound, nil
}

func (s *server) stop(ctx context.Context) error {
	s.life.Lock()
	defer s.life.Unlock()
	srv, done, tl := s.srv, s.done, s.ln
	if srv == nil {
		return nil
	}
	s.srv, s.done, s.ln = nil, nil, nil
	// Shutdown closes the listener first (the port is free from then on),
	// then waits for in-flight requests; if ctx ends first, Close cuts them.
	srv.RegisterOnShutdown(tl.closeUnused)
	err := srv.Shutdown(ctx)
	if err != nil {
		srv.Close()
	}
	<-done
	s.addr.Store(nil)
	s.log.Info("stopped")
	if err != nil {
		return fmt.Errorf("serve: stop: %w (remaining connections were closed)", err)
	}
	return nil
}

func (s *server) boundAddr() string {
	if p := s.addr.Load(); p != nil {
		return *p
	}
	return ""
}
