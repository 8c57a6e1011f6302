"""gunicorn settings of one eventhub process.

    gunicorn -c deploy/gunicorn.conf.py eventhub.wsgi:app

One process serves pages, the API and the live websockets with gevent. To use more
cores, run more processes (one systemd unit ``eventhub@PORT`` each, see docs/deploy.md)
joined by Redis, behind nginx with sticky sessions. The command line can override any
setting here, e.g. ``--bind 127.0.0.1:8002``.
"""

import signal

# The live pages speak Socket.IO, which needs the gevent worker, and the app must use
# the same async mode as the worker.
worker_class = "gevent"
raw_env = ["SOCKETIO_ASYNC_MODE=gevent"]

# One worker per process: a Socket.IO session lives in the memory of the worker that
# opened it, and gunicorn spreads requests over its workers without stickiness
# (polling then fails with "Invalid session"). Scale with processes behind nginx.
workers = 1

# Every live viewer holds a connection for as long as they watch (a websocket, or a
# long-poll plus its posts). gunicorn's default of 1,000 silently stopped a process at
# 1,000 viewers, a fraction of an event's audience; 10,000 leaves room for a full
# audience on one process. Each one is a file descriptor: the systemd unit raises the
# limit to match.
worker_connections = 10000

bind = ["127.0.0.1:8001"]

# With gevent the worker tells the arbiter it is alive every second whatever its
# requests do; 30 s without that means it is stuck.
timeout = 30
# nginx opens one connection per request (no upstream keepalive); a client talking to
# gunicorn directly gets 2 s, so that an idle connection barely delays a stop.
keepalive = 2
# On stop, requests in progress get this long to finish. Websockets never finish: they
# are closed at once (worker_stopping below), so stopping takes seconds, not 30 + 2.
graceful_timeout = 10

# gunicorn's control socket defaults to one path per user ($XDG_RUNTIME_DIR/gunicorn.ctl),
# which every process of a machine would share; the units are managed by systemd.
control_socket_disable = True

errorlog = "-"
loglevel = "info"
proc_name = "eventhub"

# How long after SIGTERM the worker closes its live connections: long enough for it to
# have stopped accepting new ones (its loop looks once a second), so that reconnecting
# viewers go to another process.
CLOSE_LIVE_AFTER = 1.5


def post_worker_init(worker):
    """Make SIGTERM also close the worker's Socket.IO clients, which then reconnect elsewhere."""
    import gevent

    stop = worker.handle_exit

    def handle_exit(sig, frame):
        stop(sig, frame)
        gevent.spawn_later(CLOSE_LIVE_AFTER, worker_stopping, worker)

    signal.signal(signal.SIGTERM, handle_exit)


def worker_stopping(worker):
    """Drop every Socket.IO connection of this worker (their disconnect handlers run)."""
    engineio = worker.wsgi.extensions["socketio"].server.eio
    worker.log.info("closing %d live connections", len(engineio.sockets))
    for socket in list(engineio.sockets.values()):
        # Aborted, not closed: a client that the server tells to close stays closed,
        # one whose connection drops reconnects (to another process). Without waiting:
        # a long-polling session would wait for a poll that may never come.
        socket.close(wait=False, abort=True)
