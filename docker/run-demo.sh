#!/usr/bin/env bash
# `make run`: the Celery worker (with beat embedded) and Django's development server together
# on the embedded default. Ctrl-C stops both; so does either of them exiting.
set -euo pipefail

BIN=${BIN:-.venv/bin}
mkdir -p var/celery/queue var/celery/processed

# Job control puts each child in a process group of its own, so stopping one also stops what
# it started (runserver's autoreloader runs the server in a child process).
set -m
"$BIN/celery" -A kudus_pengaduan worker --beat --pool=solo --loglevel=INFO \
    --schedule=var/celery/beat-schedule --without-gossip --without-mingle &
worker=$!
"$BIN/python" manage.py runserver 127.0.0.1:8000 &
server=$!

stop() {
    trap - INT TERM EXIT
    echo "Stopping the server and the worker..."
    kill -TERM -- "-$server" "-$worker" 2>/dev/null || true
    # A warm shutdown lets a running task finish; don't wait for a long one.
    for _ in $(seq 40); do
        [[ -z "$(jobs -pr)" ]] && break
        sleep 0.25
    done
    kill -KILL -- "-$server" "-$worker" 2>/dev/null || true
    wait || true
}
trap stop INT TERM EXIT
wait -n || true
