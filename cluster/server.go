package cluster

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nkeys"
	"golang.org/x/crypto/bcrypt"
)

// DefaultMaxPayload is the largest message the servers of [StartServer]
// accept and the largest encoded scheme or job this package sends, unless
// ServerOptions.MaxPayload says otherwise. Schemes larger than 16 KiB of text
// travel gzip-compressed (see the package doc), so 8 MiB carries any scheme
// up to 16x16x16.
const DefaultMaxPayload = 8 << 20

// ServerOptions configures an embedded NATS server with JetStream.
type ServerOptions struct {
	// Name names the server; every node of a cluster needs its own.
	// Empty: a random name.
	Name string
	// StoreDir is the directory of the JetStream store (required). A
	// server restarted on the same StoreDir resumes its streams, consumers
	// and catalogue.
	StoreDir string
	// Listen is the client address, host:port (port 0: any free port).
	// Empty: no client port at all; clients connect in-process
	// (Server.Endpoint).
	Listen string
	// Token is the hub's token (and the route password of a cluster):
	// clients are admitted as a [Role] with the role's token
	// ([RoleToken]), and may do what the role may. A token or nkeys are
	// required when Listen is not a loopback address, a token when
	// ClusterListen is not.
	Token string
	// NKeys, WorkerNKeys and ObserverNKeys are the public keys ("U...")
	// of the users admitted instead of by a token, as hubs, workers and
	// observers: each client proves it holds the seed (Endpoint.NKeySeed).
	// Not together with Token.
	NKeys, WorkerNKeys, ObserverNKeys []string
	// TLSCert and TLSKey are the PEM files of the server's certificate;
	// when given, clients must connect with TLS (Endpoint.CAFile), and
	// routes too when TLSCA is given to verify the other nodes.
	TLSCert, TLSKey, TLSCA string
	// Cluster is the name of the cluster, ClusterListen the address of
	// this node's route port and Routes the route addresses (host:port)
	// of all nodes, this one included or not. A JetStream cluster needs
	// all three; three nodes keep streams of three replicas when one is
	// lost.
	Cluster       string
	ClusterListen string
	Routes        []string
	// MaxPayload bounds every message; 0 means DefaultMaxPayload.
	MaxPayload int32
	// Log receives the server's notices, warnings and errors; nil: none.
	Log *slog.Logger
}

// A Server is an embedded NATS server with JetStream enabled.
type Server struct {
	ns   *server.Server
	opts ServerOptions
	down sync.Once
}

// StartServer starts a NATS server with JetStream in-process and waits until
// it accepts connections. It refuses to listen on an address that is not
// loopback without a Token.
func StartServer(o ServerOptions) (*Server, error) {
	if o.StoreDir == "" {
		return nil, errors.New("cluster: server needs a store directory")
	}
	if o.Name == "" {
		var b [6]byte
		rand.Read(b[:])
		o.Name = "alphamat-" + hex.EncodeToString(b[:])
	}
	if o.MaxPayload == 0 {
		o.MaxPayload = DefaultMaxPayload
	}
	so := &server.Options{
		ServerName:         o.Name,
		JetStream:          true,
		StoreDir:           o.StoreDir,
		MaxPayload:         o.MaxPayload,
		MaxPending:         4 * int64(o.MaxPayload),
		NoSigs:             true,
		NoLog:              o.Log == nil,
		DontListen:         o.Listen == "",
		JetStreamMaxMemory: 64 << 20,
	}
	if o.Token != "" {
		for _, r := range []Role{RoleHub, RoleWorker, RoleObserver} {
			// The server keeps the tokens bcrypted; they are random, so
			// the lowest cost does (and keeps a connection's check at
			// about a millisecond).
			h, err := bcrypt.GenerateFromPassword([]byte(RoleToken(o.Token, r)), bcrypt.MinCost)
			if err != nil {
				return nil, fmt.Errorf("cluster: token of %s: %w", r, err)
			}
			so.Users = append(so.Users, &server.User{Username: r.user(), Password: string(h), Permissions: r.permissions()})
		}
	}
	if o.Listen != "" {
		host, port, err := splitHostPort(o.Listen)
		if err != nil {
			return nil, fmt.Errorf("cluster: listen address %q: %w", o.Listen, err)
		}
		if !isLoopback(host) && o.Token == "" && len(o.NKeys)+len(o.WorkerNKeys)+len(o.ObserverNKeys) == 0 {
			return nil, fmt.Errorf("cluster: listen address %q is not loopback: a token or nkeys are required", o.Listen)
		}
		so.Host, so.Port = host, port
	}
	if o.Token != "" && len(o.NKeys)+len(o.WorkerNKeys)+len(o.ObserverNKeys) > 0 {
		return nil, errors.New("cluster: a token or nkeys, not both")
	}
	for _, rk := range []struct {
		r    Role
		keys []string
	}{{RoleHub, o.NKeys}, {RoleWorker, o.WorkerNKeys}, {RoleObserver, o.ObserverNKeys}} {
		for _, k := range rk.keys {
			if !nkeys.IsValidPublicUserKey(k) {
				return nil, fmt.Errorf("cluster: %q is not the public key of an nkeys user", k)
			}
			so.Nkeys = append(so.Nkeys, &server.NkeyUser{Nkey: k, Permissions: rk.r.permissions()})
		}
	}
	if (o.TLSCert == "") != (o.TLSKey == "") {
		return nil, errors.New("cluster: TLS needs both a certificate and a key")
	}
	if o.TLSCert != "" {
		tc, err := server.GenTLSConfig(&server.TLSConfigOpts{CertFile: o.TLSCert, KeyFile: o.TLSKey})
		if err != nil {
			return nil, fmt.Errorf("cluster: TLS: %w", err)
		}
		so.TLSConfig, so.TLS, so.TLSTimeout = tc, true, 2
	}
	if o.ClusterListen != "" || len(o.Routes) > 0 {
		if o.Cluster == "" || o.ClusterListen == "" || len(o.Routes) == 0 {
			return nil, errors.New("cluster: a cluster needs a name, a route listen address and routes")
		}
		host, port, err := splitHostPort(o.ClusterListen)
		if err != nil {
			return nil, fmt.Errorf("cluster: route listen address %q: %w", o.ClusterListen, err)
		}
		if !isLoopback(host) && o.Token == "" {
			return nil, fmt.Errorf("cluster: route listen address %q is not loopback: a token is required", o.ClusterListen)
		}
		so.Cluster = server.ClusterOpts{Name: o.Cluster, Host: host, Port: port, ConnectRetries: 120}
		if o.Token != "" {
			so.Cluster.Username, so.Cluster.Password = routeUser, o.Token
		}
		if o.TLSCert != "" && o.TLSCA != "" {
			tc, err := server.GenTLSConfig(&server.TLSConfigOpts{CertFile: o.TLSCert, KeyFile: o.TLSKey, CaFile: o.TLSCA, Verify: true})
			if err != nil {
				return nil, fmt.Errorf("cluster: route TLS: %w", err)
			}
			so.Cluster.TLSConfig, so.Cluster.TLSTimeout = tc, 2
		}
		for _, r := range o.Routes {
			u := &url.URL{Scheme: "nats-route", Host: r}
			if o.Token != "" {
				u.User = url.UserPassword(routeUser, o.Token)
			}
			so.Routes = append(so.Routes, u)
		}
	}
	ns, err := server.NewServer(so)
	if err != nil {
		return nil, fmt.Errorf("cluster: start server: %w", err)
	}
	if o.Log != nil {
		ns.SetLoggerV2(slogAdapter{o.Log.With("server", o.Name)}, false, false, false)
	}
	ns.Start()
	if !ns.ReadyForConnections(30 * time.Second) {
		ns.Shutdown()
		return nil, fmt.Errorf("cluster: server %s not ready after 30s", o.Name)
	}
	return &Server{ns: ns, opts: o}, nil
}

// ReadTokenFile reads a token from the first line of a file, which must
// not be empty nor readable by others than its owner.
func ReadTokenFile(path string) (string, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return "", fmt.Errorf("cluster: token: %w", err)
	}
	if fi.Mode().Perm()&0o077 != 0 {
		return "", fmt.Errorf("cluster: token file %s is readable by others (mode %v): chmod 600 it", path, fi.Mode().Perm())
	}
	if fi.Size() > 4<<10 {
		return "", fmt.Errorf("cluster: token file %s: %d bytes, more than 4 KiB", path, fi.Size())
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("cluster: token: %w", err)
	}
	line, _, _ := strings.Cut(string(b), "\n")
	tok := strings.TrimSpace(line)
	if tok == "" {
		return "", fmt.Errorf("cluster: token file %s: empty first line", path)
	}
	return tok, nil
}

// WriteTokenFile writes token into a new file at path, readable by its
// owner only (mode 600), atomically: a reader sees the whole token or none.
func WriteTokenFile(path, token string) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return fmt.Errorf("cluster: token: %w", err)
	}
	defer os.Remove(tmp.Name())
	_, err = tmp.WriteString(token + "\n")
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		return fmt.Errorf("cluster: token: %w", err)
	}
	return nil
}

// routeUser is the user name of route connections; the password is the token.
const routeUser = "alphamat"

// Name returns the server's name.
func (s *Server) Name() string { return s.opts.Name }

// ClientURL returns the URL clients on other hosts connect to, or "" when
// the server has no client port.
func (s *Server) ClientURL() string {
	if s.opts.Listen == "" {
		return ""
	}
	return s.ns.ClientURL()
}

// ClusterAddr returns the address of the route port, or "" without one.
func (s *Server) ClusterAddr() string {
	if a := s.ns.ClusterAddr(); a != nil {
		return a.String()
	}
	return ""
}

// Endpoint returns an in-process endpoint of s for a hub, carrying its
// token.
func (s *Server) Endpoint() Endpoint {
	return Endpoint{Server: s, Token: s.opts.Token}
}

// RoleEndpoint returns an in-process endpoint of s for role r, carrying
// the role's token.
func (s *Server) RoleEndpoint(r Role) Endpoint {
	return Endpoint{Server: s, Token: RoleToken(s.opts.Token, r), Role: r}
}

// Shutdown stops the server; its store stays on disk.
func (s *Server) Shutdown() {
	s.down.Do(func() {
		s.ns.Shutdown()
		s.ns.WaitForShutdown()
	})
}

func splitHostPort(addr string) (string, int, error) {
	host, ps, err := net.SplitHostPort(addr)
	if err != nil {
		return "", 0, err
	}
	port, err := strconv.Atoi(ps)
	if err != nil || port < 0 || port > 65535 {
		return "", 0, fmt.Errorf("bad port %q", ps)
	}
	if port == 0 {
		port = server.RANDOM_PORT
	}
	return host, port, nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// slogAdapter makes a slog.Logger a server.Logger.
type slogAdapter struct{ l *slog.Logger }

func (a slogAdapter) Noticef(f string, v ...any) { a.l.Info(fmt.Sprintf(f, v...)) }
func (a slogAdapter) Warnf(f string, v ...any)   { a.l.Warn(fmt.Sprintf(f, v...)) }
func (a slogAdapter) Fatalf(f string, v ...any)  { a.l.Error(fmt.Sprintf(f, v...)) }
func (a slogAdapter) Errorf(f string, v ...any)  { a.l.Error(fmt.Sprintf(f, v...)) }
func (a slogAdapter) Debugf(f string, v ...any)  { a.l.Debug(fmt.Sprintf(f, v...)) }
func (a slogAdapter) Tracef(f string, v ...any)  { a.l.Debug(fmt.Sprintf(f, v...)) }
