// Package cluster carries searches across cores and hosts on NATS with
// JetStream: jobs go out through a work queue, verified improvements come
// back into a catalogue of the best scheme per format and field. It is the
// transport only; what a job means is the business of the caller's job
// function, and which jobs to make is the business of the caller's
// scheduler.
//
// # Roles
//
// A [Server] is an embedded nats-server with JetStream ([StartServer]): by
// default it has no socket at all and clients connect in-process; with
// ServerOptions.Listen it listens on that address; with Cluster, ClusterListen
// and Routes three servers form a JetStream cluster. A [Hub] (one per
// cluster) creates the streams and the catalogue, submits jobs ([Hub.Submit])
// and accepts improvements. A [Worker] (any number, on any host) pulls jobs,
// runs a [JobFunc] on each, one job at a time, and publishes the schemes it
// finds; a process may run several workers, one per walker. Hub and
// workers reach the servers through an [Endpoint]: in-process, or URLs and a
// token. [Observe] reads a cluster's jobs, catalogue ranks and workers
// without being its hub.
//
// # Names
//
//	stream ALPHAMAT_JOBS, subject alphamat.jobs
//	    work queue of jobs (JSON, the start schemes as a list of texts, at
//	    most [MaxStarts], gzipped above 16 KiB), one durable pull consumer
//	    "walkers" shared by all workers; explicit acks, in-progress acks
//	    every AckWait/3 while a job runs.
//	stream ALPHAMAT_IMPROVEMENTS, subjects alphamat.improve.<format>.<field>
//	    every scheme a worker publishes (the text format of tensorgame,
//	    gzipped above 16 KiB with header "Content-Encoding: gzip"; headers
//	    Alphamat-Worker and Alphamat-Job; Nats-Msg-Id key-rank-hash, so a
//	    scheme sent twice is stored once), kept up to 1 GiB; durable consumer
//	    "hub". Subject alphamat.done on the same stream: a worker's report
//	    of a job it ran to its end (JSON [JobDone]), sent after the job's
//	    schemes so that the hub sees them first.
//	object store alphamat-catalogue, objects "<format>-<field>" ("4x4x4-Z2")
//	    the best verified scheme per format and field, metadata "rank"; the
//	    source of truth across hosts, mirrored into HubOptions.Mirror as
//	    "<format>-<field>.txt". An object store, not a KV bucket: a KV value
//	    is one message, bounded by the max payload, and a 16x16x16 scheme is
//	    megabytes of text.
//	subject alphamat.workers.<worker>
//	    a worker's status (JSON [WorkerStatus]) every Heartbeat, core NATS.
//
// # Trust
//
// Nothing that arrives is trusted. Messages are bounded by the servers' max
// payload ([DefaultMaxPayload]) and gzipped text by [MaxSchemeText] (a
// job's text by MaxSchemeText plus 64 KiB, all its starts together); every
// scheme is parsed ([tensorgame.Parse]) and verified exactly
// ([tensorgame.Verify]) by the hub before it enters the catalogue (one no
// better than the catalogue's is dropped before that costly step), by the
// hub when it submits a job's starts and by a worker before it runs them,
// and by [Catalogue.Get] when it is read back. A job with a start that does
// not verify, of another format or beyond the bounds is refused, with an
// error naming the job and the start. A malformed, wrong, mislabelled or oversized improvement is refused,
// logged and terminated (never redelivered); it never stops the hub. A
// server listens beyond loopback only when told to, and then only with a
// token or nkeys for clients and a token for routes; with certificates it
// speaks TLS. A client with a wrong token or key gets an error wrapping
// [ErrRefused]. Clients are admitted as a [Role], each with its own token
// (derived from the hub's by [RoleToken]) or nkeys, and the servers enforce
// the role's permissions: a hub may do everything; a worker may pull, ack
// and hand back jobs, publish improvements, job reports and heartbeats,
// and read the catalogue, but not submit jobs, purge or delete streams, or
// write or delete the catalogue; an observer reads and publishes nothing.
// A worker's credentials still let it read what others receive on
// "_INBOX.>" (replies to requests, jobs pulled by other workers): give
// them only to hosts you trust with the jobs.
//
// # Faults
//
// A worker that dies mid-job stops its in-progress acks; the job is
// redelivered to another worker after the consumer's AckWait. Each scheme a
// worker publishes is first written to its outbox directory and removed
// only when the improvements stream has acknowledged it, so a worker cut off
// from the servers keeps walking, keeps its schemes, and sends them when it
// reconnects (or a worker started later on the same outbox does); clients
// ping every 10s, so a link that dies silently is noticed within about 30s.
// A hub or
// server restarted on its store resumes: streams, consumers, pending jobs
// and the catalogue are on disk, and improvements published while the hub
// was down are judged when it is back. Three servers with Replicas 3 keep
// everything when one of them is lost. Run one hub per cluster: a hub checks
// the catalogue's rank in the store before it writes, but two hubs could
// still race between that check and the write.
//
// # Cost
//
// BenchmarkImprovement and BenchmarkJob measure the cost of one improvement
// (publish, verify, catalogue) and of one job round trip (submit, fetch, run
// nothing, ack), in time and CPU per message; BenchmarkJobStarts what a
// job's starts add (encode, parse, verify), by number of starts; "alphamat
// bench cluster" measures whole searches through a hub with 1, 2, 4, ...
// worker processes (flips/s, flips per CPU-second, the hub's CPU) against
// the same jobs in one process without servers ([RunJob]);
// docs/experiments.md has the numbers.
package cluster
