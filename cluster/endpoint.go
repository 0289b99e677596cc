package cluster

import (
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go"
)

// An Endpoint says how a client reaches the servers: in-process (Server) or
// by URLs, with a token and, for servers with certificates, the CA file that
// signed them.
type Endpoint struct {
	// Server, when non-nil, is connected to in-process, without a socket.
	Server *Server
	// URLs is one or more comma-separated server URLs
	// ("nats://10.0.0.1:4222,nats://10.0.0.2:4222"), used when Server is
	// nil.
	URLs string
	// Token is the token of Role (see ServerOptions.Token and RoleToken).
	Token string
	// Role is what the client is admitted as with Token (empty: RoleHub);
	// the servers enforce what it may do.
	Role Role
	// NKeySeed is the file of the nkeys seed ("SU...") of a user the
	// servers admit (ServerOptions.NKeys), used instead of a token.
	NKeySeed string
	// CAFile is the PEM file of the CA that signed the servers'
	// certificates; given, the connection uses TLS.
	CAFile string
}

// ErrRefused is wrapped by the errors of clients that a server refused:
// a wrong or missing token or nkey.
var ErrRefused = errors.New("cluster: the server refused the connection: wrong or missing token or nkey")

// where names e for messages.
func (e Endpoint) where() string {
	if e.Server != nil {
		return "in-process server " + e.Server.Name()
	}
	return e.URLs
}

// connect opens a connection that reconnects without end after it is
// established; the first connection must succeed.
func (e Endpoint) connect(name string, extra ...nats.Option) (*nats.Conn, error) {
	opts := []nats.Option{
		nats.Name(name),
		nats.MaxReconnects(-1),
		nats.ReconnectWait(250 * time.Millisecond),
		nats.ReconnectBufSize(-1), // a cut-off client fails fast; the outbox keeps its schemes
		nats.Timeout(5 * time.Second),
		// A link that dies silently is noticed within about 30s.
		nats.PingInterval(10 * time.Second),
		nats.MaxPingsOutstanding(3),
	}
	if e.Token != "" {
		opts = append(opts, nats.UserInfo(e.Role.user(), e.Token))
	}
	if e.NKeySeed != "" {
		o, err := nats.NkeyOptionFromSeed(e.NKeySeed)
		if err != nil {
			return nil, fmt.Errorf("cluster: nkeys seed: %w", err)
		}
		opts = append(opts, o)
	}
	if e.CAFile != "" {
		opts = append(opts, nats.RootCAs(e.CAFile))
	}
	url := e.URLs
	if e.Server != nil {
		opts = append(opts, nats.InProcessServer(e.Server.ns))
		url = ""
	} else if url == "" {
		return nil, errors.New("cluster: endpoint has neither a server nor URLs")
	}
	opts = append(opts, extra...)
	nc, err := nats.Connect(url, opts...)
	if err != nil {
		if errors.Is(err, nats.ErrAuthorization) {
			return nil, fmt.Errorf("connect to %s: %w (%v)", e.where(), ErrRefused, err)
		}
		return nil, fmt.Errorf("cluster: connect to %s: %w", e.where(), err)
	}
	return nc, nil
}
