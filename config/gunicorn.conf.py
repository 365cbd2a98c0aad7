"""The web server's shape, the same in production (Dockerfile, docker-compose.yml), the bench
(bench/site.py) and `make cluster-check`: `gunicorn -c config/gunicorn.conf.py config.wsgi`.

Every value can be set by an environment variable (a bad one stops gunicorn with a message);
a command-line option still wins over this file, as the bench's --bind does."""

import os

from config.env import env_int

# Pages take milliseconds to tens of milliseconds and spend part of it waiting on PostgreSQL,
# so each process serves several requests at once from threads; PDF renders never run here.
# One process per core (two at least) keeps a core busy while another process is collecting.
_CORES = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
workers = env_int("GUNICORN_WORKERS", max(2, _CORES or 1), minimum=1)
threads = env_int("GUNICORN_THREADS", 4, minimum=1)

bind = os.environ.get("GUNICORN_BIND") or f"0.0.0.0:{os.environ.get('PORT') or 8000}"

# A process is replaced after this many requests (give or take the jitter, so they are not all
# replaced at once): whatever it grew or leaked is handed back.
max_requests = env_int("GUNICORN_MAX_REQUESTS", 2000, minimum=0)
max_requests_jitter = env_int("GUNICORN_MAX_REQUESTS_JITTER", 200, minimum=0)

# A process silent this long is killed and replaced: far above the slowest page (under a
# second) and an evidence upload from a tablet, far below what a stuck process would cost.
timeout = env_int("GUNICORN_TIMEOUT", 30, minimum=1)
# On a restart or a replacement, requests in flight get this long to finish.
graceful_timeout = env_int("GUNICORN_GRACEFUL_TIMEOUT", 30, minimum=1)
# Seconds an idle connection from the load balancer is kept for its next request.
keepalive = env_int("GUNICORN_KEEPALIVE", 5, minimum=0)

# One line per request on stdout with its time in milliseconds (%(M)s); GUNICORN_ACCESS_LOG=""
# turns it off, a path writes it to a file.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'

# The workers' heartbeat files on a memory file system where there is one: on a container's
# overlay disk a slow write can make a healthy process look stuck.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
