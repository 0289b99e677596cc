package cluster

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// selfSigned writes a self-signed certificate for 127.0.0.1 and its key into
// dir and returns their paths; the certificate is its own CA.
func selfSigned(t *testing.T, dir string) (cert, key string) {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "alphamat test"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
		DNSNames:              []string{"localhost"},
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &k.PublicKey, k)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		t.Fatal(err)
	}
	cert, key = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(cert, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(key, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kder}), 0o600); err != nil {
		t.Fatal(err)
	}
	return cert, key
}

// TestTLS starts a server with a certificate: a worker that trusts its CA
// connects and does a job; one that does not is refused.
func TestTLS(t *testing.T) {
	cert, key := selfSigned(t, t.TempDir())
	srv := startServer(t, ServerOptions{Listen: "127.0.0.1:0", Token: "tls", TLSCert: cert, TLSKey: key})
	hub := startHub(t, HubOptions{Endpoint: srv.Endpoint()})
	s7 := strassen(t)
	ep := Endpoint{URLs: srv.ClientURL(), Token: "tls", CAFile: cert}
	runWorker(t, WorkerOptions{Endpoint: ep}, publishAll(s7))
	if err := hub.Submit(context.Background(), Job{ID: "tls", Format: s7.Format, Field: s7.Field}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the scheme sent over TLS", func() bool { return get(t, hub.Catalogue(), KeyOf(s7)) != nil })

	ep.CAFile = ""
	if w, err := NewWorker(WorkerOptions{Endpoint: ep, Outbox: t.TempDir(), Log: quiet()}); err == nil {
		w.Close()
		t.Error("a worker that does not trust the server's certificate connected")
	}
	if _, err := StartServer(ServerOptions{StoreDir: t.TempDir(), TLSCert: cert}); err == nil {
		t.Error("a certificate without a key: no error")
	}
}
