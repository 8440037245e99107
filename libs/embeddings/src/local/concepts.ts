/**
 * Software-engineering concept table of the local provider.
 *
 * General-purpose word vectors (GloVe, trained on 2014 news and Wikipedia)
 * know "authentication" but not that "login" is nearly the same thing in an
 * engineering log, and they have never seen "k8s", "graphql" or "pgvector".
 * Every term below is pulled towards the centre of its concept: its vector
 * becomes `KEEP_OWN × own + (1 − KEEP_OWN) × concept`, where the concept vector
 * is the mean of the known vectors of its terms and of its `about` words (the
 * latter are left as they are). A term the vocabulary lacks gets the concept
 * vector plus its own hashed n-gram vector, so it lands near its concept and
 * still matches itself. A term listed under several concepts moves towards
 * the mean of their centres.
 *
 * Terms may be phrases (`sign in`, `pull request`); they are tokenized like
 * text, so `sign-in`, `Sign In` and `signIn` all match `sign in`.
 *
 * Changing this table changes every vector: bump LOCAL_MODEL_VERSION in
 * local-provider.ts (a test compares a fingerprint of the table and the data
 * file with the one recorded there).
 *
 * Keep groups tight — near-synonyms and the tools that stand for them — or
 * unrelated documents start to look alike.
 */
export interface Concept {
  name: string;
  terms: readonly string[];
  /** Words that describe the concept without being pulled towards it. */
  about?: readonly string[];
}

const c = (name: string, terms: string, about = ''): Concept => ({
  name,
  terms: terms.split(',').map((t) => t.trim()).filter(Boolean),
  about: about.split(',').map((t) => t.trim()).filter(Boolean),
});

export const CONCEPTS: readonly Concept[] = [
  // Identity and access
  c('authentication', 'authentication, authenticate, authenticated, authenticating, auth, authn, login, logins, logon, log in, log-in, logged in, sign in, signin, sign-on, signon, single sign-on, sso, oauth, oauth2, oidc, openid, saml, ldap, kerberos, keycloak, auth0, okta, identity provider, idp', 'credentials, password, user'),
  c('authorization', 'authorization, authorize, authorized, authz, permission, permissions, rbac, acl, acls, access control, role, roles, privilege, privileges, forbidden, unauthorized, 401, 403', 'access, allowed, deny'),
  c('credentials', 'password, passwords, passphrase, credential, credentials, secret, secrets, api key, api keys, apikey, bcrypt, argon2, scrypt, pbkdf2, password hash', 'login, key'),
  c('tokens', 'token, tokens, jwt, jwts, bearer, access token, refresh token, id token, session token, claims, expiry', 'authentication, signature'),
  c('mfa', 'mfa, 2fa, two-factor, multi-factor, totp, otp, one-time password, passkey, passkeys, webauthn, authenticator', 'authentication, security'),
  c('signup', 'signup, sign up, sign-up, registration, register, onboarding', 'account, user'),
  c('accounts', 'user, users, account, accounts, profile, profiles, tenant, tenants', 'customer, member'),

  // Data
  c('database', 'database, databases, db, dbs, rdbms, sql, postgres, postgresql, psql, pg, mysql, mariadb, sqlite, mongodb, mongo, dynamodb, cassandra, datastore, pglite, oracle db, sql server', 'table, query, data'),
  c('orm', 'orm, drizzle, prisma, sequelize, typeorm, knex, activerecord, hibernate, sqlalchemy, query builder', 'database, model'),
  c('migration', 'migration, migrations, migrate, migrated, migrating, schema change, schema migration, alter table, ddl, flyway, liquibase, alembic, drizzle-kit', 'schema, database, upgrade'),
  c('schema', 'schema, schemas, table, tables, column, columns, foreign key, primary key, constraint, constraints', 'database'),
  c('query', 'query, queries, select, join, joins, where clause, n+1, explain, query plan, slow query', 'database, sql'),
  c('index', 'index, indexes, indices, indexing, btree, b-tree, gin, hnsw, ivfflat', 'lookup, query'),
  c('transaction', 'transaction, transactions, acid, isolation, isolation level, serializable, savepoint, atomic, atomicity', 'database, consistency'),
  c('locking', 'lock, locks, locking, deadlock, deadlocks, deadlocked, mutex, mutexes, contention, livelock, semaphore, race condition, data race, advisory lock', 'concurrency, thread'),
  c('replication', 'replication, replica, replicas, failover, standby, read replica, high availability, leader election', 'database, primary'),
  c('sharding', 'sharding, shard, shards, partition, partitions, partitioning, partitioned', 'database, scale'),
  c('backup', 'backup, backups, restore, restored, restoring, pitr, point-in-time recovery, pg_dump, disaster recovery, snapshot, snapshots', 'data, recovery'),
  c('cache', 'cache, caches, caching, cached, memoize, memoization, memoized, lru, ttl, redis, memcached, cdn, cache invalidation, invalidation', 'memory, fast'),
  c('search', 'full-text search, full text search, fts, lexical search, bm25, tsvector, elasticsearch, opensearch, lucene, ranking, relevance', 'search, query'),
  c('vectors', 'embedding, embeddings, vector search, semantic search, nearest neighbor, nearest neighbour, knn, pgvector, qdrant, faiss, cosine similarity', 'vector, semantic, similarity'),
  c('serialization', 'serialization, serialize, serialized, deserialize, deserialization, serde, marshal, unmarshal, json, protobuf, msgpack, encoding', 'format, parse'),
  c('formats', 'json, yaml, yml, toml, xml, csv, ini', 'format, file'),
  c('pagination', 'pagination, paginate, paginated, cursor, cursors, page size, offset', 'page, results'),
  c('time', 'timezone, time zone, timezones, utc, timestamp, timestamps, datetime, iso 8601, clock skew, dst', 'date, time'),
  c('unicode', 'unicode, utf-8, utf8, encoding, charset, emoji, code point', 'character, text'),

  // Failure
  c('error', 'error, errors, exception, exceptions, panic, panics, panicked, crash, crashes, crashed, crashing, failure, failures, fault, faults, throw, throws, thrown, raise, raised, stack trace, stacktrace, traceback, backtrace, segfault, sigsegv, abort, aborted, fatal, unhandled, uncaught', 'fail, failed, problem'),
  c('error handling', 'error handling, catch, try catch, handler, unwrap, result type, recover, rethrow, fallback, graceful degradation, error boundary', 'error, handle'),
  c('bug', 'bug, bugs, defect, defects, regression, regressions, glitch, broken, bugfix, hotfix, fix, fixes, fixed, patch, workaround', 'problem, issue'),
  c('retry', 'retry, retries, retried, retrying, backoff, exponential backoff, jitter, idempotent, idempotency, idempotency key, circuit breaker, transient', 'repeat, attempt, resilience'),
  c('timeout', 'timeout, timeouts, timed out, time out, deadline, deadlines, hang, hangs, hung, stall, stalled, unresponsive, stuck', 'slow, wait'),
  c('null', 'null, nullable, undefined, nil, null pointer, nullpointerexception, npe', 'missing, empty'),
  c('debugging', 'debug, debugging, debugger, breakpoint, breakpoints, troubleshoot, troubleshooting, diagnose, diagnosis, root cause, repro, reproduce, reproduction, investigate', 'problem, find'),
  c('incident', 'incident, incidents, outage, outages, downtime, postmortem, post-mortem, on-call, oncall, pager, pagerduty, sev1, sev2, escalation', 'failure, emergency'),
  c('reliability', 'sla, slo, slos, sli, uptime, availability, reliability, resilience, redundancy', 'service, reliable'),

  // Performance and resources
  c('performance', 'performance, perf, latency, slow, slowness, slowdown, throughput, p50, p95, p99, qps, rps, bottleneck, bottlenecks, optimization, optimize, optimized, speedup, benchmark, benchmarks, profiling, profiler, flamegraph, flame graph', 'fast, speed, efficient'),
  c('memory', 'memory, oom, out of memory, memory leak, leak, leaks, heap, garbage collection, gc, allocation, allocations, allocator, ram, rss', 'resource, usage'),
  c('concurrency', 'concurrency, concurrent, concurrently, parallel, parallelism, thread, threads, multithreading, multithreaded, async, await, asynchronous, promise, promises, future, futures, goroutine, goroutines, event loop, worker thread', 'simultaneous, task'),
  c('rate limiting', 'rate limit, rate limits, rate limiting, rate-limited, ratelimit, throttle, throttling, throttled, 429, quota, quotas, too many requests', 'limit, requests'),
  c('scaling', 'scaling, scale out, autoscaling, autoscaler, horizontal scaling, load balancer, load balancing, capacity', 'scale, traffic'),

  // Languages and ecosystems
  c('rust', 'rust, rustc, cargo, crate, crates, crates.io, clippy, rustfmt, rustup, borrow checker, borrowck, lifetime, lifetimes, ownership, tokio, serde, unsafe rust, trait, traits', 'compiler, memory safety'),
  c('python', 'python, pip, pypi, pytest, venv, virtualenv, conda, django, fastapi, mypy, pep8', 'script, language'),
  c('javascript', 'javascript, js, typescript, ts, node, nodejs, node.js, npm, yarn, pnpm, deno, esm, commonjs, tsc, tsconfig', 'language, script'),
  c('go', 'golang, gofmt, go module, go modules, go mod', 'language, compiler'),
  c('jvm', 'java, jvm, kotlin, scala, maven, gradle, spring boot', 'language, compiler'),
  c('types', 'type error, type errors, type check, type checking, typecheck, typed, typing, generics, generic type, type inference, strict mode, any type', 'type, compiler'),
  c('lint', 'lint, linting, linter, linters, eslint, prettier, clippy, rustfmt, gofmt, formatter, formatting, code style, style guide', 'style, rules'),

  // Building, shipping, running
  c('ci', 'ci, ci/cd, cicd, continuous integration, pipeline, pipelines, github actions, workflow, workflows, jenkins, circleci, travis, buildkite, gitlab ci, build server, ci job, runner, runners', 'build, automation'),
  c('build', 'build, builds, compile, compiled, compiler, compilation, bundler, bundle, webpack, vite, esbuild, rollup, babel, makefile, cmake, bazel, toolchain', 'binary, source'),
  c('deploy', 'deploy, deploys, deployed, deploying, deployment, deployments, release, releases, released, rollout, rollouts, ship, shipped, canary, blue-green, continuous delivery, continuous deployment, production, prod, staging', 'launch, environment'),
  c('rollback', 'rollback, rollbacks, roll back, rolled back, revert, reverted, undo', 'deploy, transaction'),
  c('container', 'container, containers, containerized, docker, dockerfile, docker compose, docker-compose, container image, podman, containerd, oci image', 'image, isolation'),
  c('kubernetes', 'kubernetes, k8s, kubectl, helm, helm chart, pod, pods, ingress, istio, eks, gke, aks, kubelet, statefulset, daemonset, manifest, manifests', 'cluster, container, orchestration'),
  c('cloud', 'aws, gcp, azure, cloud, s3, ec2, lambda, serverless, iam, cloudflare, vercel, heroku', 'hosting, provider'),
  c('infrastructure as code', 'terraform, ansible, pulumi, cloudformation, infrastructure as code, iac, provisioning, provision', 'infrastructure, configuration'),
  c('config', 'config, configs, configuration, configure, configured, settings, setting, env var, env vars, environment variable, environment variables, dotenv, options, feature flag, feature flags, feature toggle, killswitch, kill switch', 'parameter, value'),
  c('dependencies', 'dependency, dependencies, deps, package, packages, library, libraries, upgrade, upgraded, bump, semver, lockfile, package-lock, vendoring, transitive dependency', 'version, install'),
  c('scheduling', 'cron, cronjob, cron job, scheduler, scheduled, schedule, background job, background jobs, job queue, worker, workers, batch job', 'periodic, task'),
  c('messaging', 'message queue, queue, queues, kafka, rabbitmq, sqs, nats, pubsub, pub sub, broker, consumer, consumers, producer, event bus, event-driven, streaming', 'message, event'),
  c('storage', 'storage, disk, disks, filesystem, file system, blob, blobs, bucket, buckets, object storage, volume, volumes', 'file, space'),

  // Testing
  c('testing', 'test, tests, testing, tested, unit test, unit tests, integration test, integration tests, e2e, end-to-end, test suite, assertion, assertions, assert, vitest, jest, mocha, pytest, junit, test coverage, coverage, spec, specs', 'check, verify'),
  c('flaky', 'flaky, flakiness, flake, flakes, intermittent, intermittently, nondeterministic, non-deterministic, sporadic, sporadically', 'random, unreliable'),
  c('mocking', 'mock, mocks, mocking, mocked, stub, stubs, stubbed, fake, fakes, fixture, fixtures, test double, spy, spies', 'test, simulate'),

  // Code and collaboration
  c('git', 'git, commit, commits, committed, branch, branches, merge, merged, merging, merge conflict, rebase, rebased, cherry-pick, pull request, pull requests, pr, prs, merge request, github, gitlab, bitbucket, repository, repositories, repo, repos, monorepo', 'version control, history'),
  c('code review', 'code review, code reviews, review, reviews, reviewer, reviewers, reviewed, approve, approved, approval, lgtm, feedback', 'comment, change'),
  c('refactor', 'refactor, refactors, refactoring, refactored, cleanup, clean up, restructure, restructuring, rewrite, rewrote, tech debt, technical debt, simplify, simplified, dead code', 'improve, code'),
  c('documentation', 'documentation, docs, doc, readme, docstring, docstrings, jsdoc, guide, tutorial, runbook, runbooks, playbook', 'explain, write'),
  c('architecture', 'architecture, design, microservice, microservices, monolith, service, services, federation, subgraph, subgraphs, gateway, modular, decoupled', 'system, component'),

  // Interfaces and networks
  c('api', 'api, apis, endpoint, endpoints, rest, restful, graphql, grpc, rpc, openapi, swagger, route, routes, webhook, webhooks, resolver, resolvers', 'interface, request, service'),
  c('http', 'http, https, http2, request, requests, response, responses, status code, status codes, header, headers, curl, fetch, 404, 500, 502, 503', 'web, server'),
  c('network', 'network, networking, dns, tcp, udp, socket, sockets, websocket, websockets, connection, connections, proxy, reverse proxy, nginx, haproxy, envoy, firewall, ip address, port, ports, econnrefused, econnreset', 'internet, traffic'),
  c('tls', 'tls, ssl, certificate, certificates, cert, certs, mtls, x509, letsencrypt, https', 'encryption, secure'),
  c('security', 'security, vulnerability, vulnerabilities, cve, exploit, exploits, xss, csrf, injection, sql injection, sanitize, sanitization, encryption, encrypt, encrypted, decrypt, cryptography, attack, attacker, pentest, secure', 'safe, risk'),
  c('privacy', 'privacy, pii, gdpr, personal data, redaction, redact, redacted, anonymize, anonymization, data retention, consent', 'personal, protect'),
  c('frontend', 'frontend, front-end, front end, ui, user interface, ux, react, vue, angular, svelte, css, html, dom, jsx, tsx, tailwind, browser, component, components', 'page, web, button'),
  c('backend', 'backend, back-end, back end, server-side, api server, server', 'service, request'),

  // Observability
  c('logging', 'log, logs, logging, logger, loggers, log level, log levels, stdout, stderr, syslog, pino, winston, structured logging', 'record, output'),
  c('observability', 'observability, monitoring, monitor, metrics, metric, telemetry, tracing, trace, traces, opentelemetry, otel, prometheus, grafana, datadog, dashboard, dashboards, alert, alerts, alerting, sentry, apm, span, spans, health check', 'observe, measure'),
  c('notification', 'email, emails, e-mail, smtp, notification, notifications, notify, slack, push notification', 'message, send'),
  c('payments', 'payment, payments, billing, invoice, invoices, stripe, subscription, subscriptions, charge, refund', 'money, customer'),
];
