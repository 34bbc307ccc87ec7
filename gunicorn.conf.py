"""gunicorn reads ./gunicorn.conf.py by itself. The access log leaves out the query string (%(q)s),
the request line (%(r)s, which holds it), the referrer (%(f)s, the previous page's query string)
and the user agent: a search or a lookup can put an ID number or a phone number in a URL
(issue 16). The request id is the one RequestLogMiddleware answers with, so an access-log line
and the app's JSON line for the same request can be matched.

Workers, threads and timeout: docs/scale.md says why, with the bench figures (bench/city.py).
- workers: 2 per core + 1 (WEB_CONCURRENCY overrides). A request is mostly Python (CPU), but part
  of it waits on PostgreSQL and Redis; the extra workers keep the cores busy meanwhile.
- gthread, 4 threads each: a worker whose thread waits on the database serves another request;
  each thread keeps its own database connection (CONN_MAX_AGE), so one host holds up to
  workers × threads connections (20 on 2 cores): PostgreSQL's max_connections must allow that
  per web host, plus the Celery workers.
- timeout 30 s: no page may take longer than 5 s (issue 13: what can take longer, the exports
  and the roll-up, runs as a Celery job), so 30 s only ever ends a stuck worker.
- max_requests: a worker is replaced after about 2,000 requests, bounding any slow leak.
"""

import multiprocessing
import os

accesslog = "-"
access_log_format = '%(h)s %(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms %({x-request-id}o)s'

workers = int(os.environ.get("WEB_CONCURRENCY") or multiprocessing.cpu_count() * 2 + 1)
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS") or 4)
timeout = int(os.environ.get("GUNICORN_TIMEOUT") or 30)
graceful_timeout = 30
keepalive = 5
max_requests = 2000
max_requests_jitter = 200
