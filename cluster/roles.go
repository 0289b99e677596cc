package cluster

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"

	"github.com/nats-io/nats-server/v2/server"
)

// A Role is what a client of servers with a token or nkeys may do; the
// servers enforce it with per-user permissions.
type Role string

// The roles. A hub may do everything. A worker may pull, ack and hand back
// jobs, publish improvements, job reports and heartbeats, and read the
// catalogue: it may not submit jobs, purge or delete a stream, write or
// delete the catalogue. An observer ([Observe]) may read the jobs
// consumer's state, the catalogue and the heartbeats, and publish nothing.
const (
	RoleHub      Role = "hub"
	RoleWorker   Role = "worker"
	RoleObserver Role = "observer"
)

// RoleToken returns the token of role r in a cluster whose hub token is
// token: token itself for the hub, and for the others a key derived from it
// (HMAC-SHA256), so that the servers of a cluster, given the hub's token,
// admit the same workers and observers, and a worker's token does not
// reveal the hub's.
func RoleToken(token string, r Role) string {
	if r == RoleHub || r == "" {
		return token
	}
	m := hmac.New(sha256.New, []byte(token))
	m.Write([]byte("alphamat cluster role " + string(r)))
	return hex.EncodeToString(m.Sum(nil))
}

// user returns the NATS user name of r.
func (r Role) user() string {
	if r == "" {
		return string(RoleHub)
	}
	return string(r)
}

// permissions returns the server permissions of r; nil for the hub (all).
func (r Role) permissions() *server.Permissions {
	// What reading the catalogue takes: the object store's stream info,
	// its last meta message, and an ordered consumer with flow control.
	readCatalogue := []string{
		"$JS.API.STREAM.INFO." + catalogueStream,
		"$JS.API.STREAM.MSG.GET." + catalogueStream,
		"$JS.API.DIRECT.GET." + catalogueStream + ".>",
		"$JS.API.CONSUMER.CREATE." + catalogueStream + ".>",
		"$JS.API.CONSUMER.DELETE." + catalogueStream + ".>",
		"$JS.FC.>",
		"$JS.API.CONSUMER.INFO." + JobsStream + "." + JobsConsumer,
	}
	switch r {
	case RoleWorker:
		return &server.Permissions{
			Publish: &server.SubjectPermission{Allow: append(readCatalogue,
				"$JS.API.CONSUMER.MSG.NEXT."+JobsStream+"."+JobsConsumer,
				"$JS.ACK."+JobsStream+"."+JobsConsumer+".>",
				"$JS.ACK.*.*."+JobsStream+"."+JobsConsumer+".>",
				ImproveSubject+".>", DoneSubject, WorkersSubject+".*",
			)},
			Subscribe: &server.SubjectPermission{Allow: []string{"_INBOX.>"}},
		}
	case RoleObserver:
		return &server.Permissions{
			Publish:   &server.SubjectPermission{Allow: readCatalogue},
			Subscribe: &server.SubjectPermission{Allow: []string{"_INBOX.>", WorkersSubject + ".*"}},
		}
	}
	return nil
}

// catalogueStream is the stream of the catalogue's object store.
const catalogueStream = "OBJ_" + CatalogueBucket
