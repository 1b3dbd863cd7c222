"""gunicorn settings shared by `make run` and the Docker image; tune through the environment.

Defaults follow the measured choice for these 2-core machines (see bench/README.md):
sync workers, 2 × cores + 1 of them.
"""

import os

from config.environment import env_int, env_str

bind = env_str("GUNICORN_BIND", "127.0.0.1:8000")
# The CPUs this process may use (a container's limit), not the host's.
workers = env_int("WEB_CONCURRENCY", len(os.sched_getaffinity(0)) * 2 + 1)
worker_class = env_str("GUNICORN_WORKER_CLASS", "sync")
threads = env_int("GUNICORN_THREADS", 1)
timeout = env_int("GUNICORN_TIMEOUT", 30)
graceful_timeout = 20
keepalive = 5
# Recycle workers now and then so a slow leak cannot grow without bound.
max_requests = env_int("GUNICORN_MAX_REQUESTS", 5000)
max_requests_jitter = max_requests // 10
# Import the app once in the master: workers share its memory pages (copy-on-write).
preload_app = True
# Requests are logged by the application itself; gunicorn's access log stays off.
accesslog = env_str("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
loglevel = env_str("GUNICORN_LOG_LEVEL", "info")
forwarded_allow_ips = env_str("FORWARDED_ALLOW_IPS", "127.0.0.1")
limit_request_line = 8190
# gunicorn's runtime control socket (~/.gunicorn/*.ctl) is not used; several servers (tests,
# benchmarks) run side by side and the image's user has no writable home to spare.
control_socket_disable = True
