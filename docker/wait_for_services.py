#!/usr/bin/env python3
"""Wait until the PostgreSQL server of DATABASE_URL and the Redis of REDIS_URL answer.

Used by `make test` and by the containers before they touch either. A SQLite DATABASE_URL or an
unset REDIS_URL (the embedded default) needs no waiting. Messages name host and port only: the
URLs may carry passwords.
"""

import argparse
import os
import sys
import time
from urllib.parse import urlsplit


def postgres_ready(url):
    import psycopg
    from psycopg.conninfo import make_conninfo

    # The maintenance database: the one named in the URL may not exist yet (pytest-django and
    # `migrate` only need the server).
    with psycopg.connect(make_conninfo(url, dbname="postgres", connect_timeout=3)):
        pass


def redis_ready(url):
    import redis

    redis.Redis.from_url(url, socket_connect_timeout=3, socket_timeout=3).ping()


def wait(name, url, probe, deadline):
    where = urlsplit(url)
    label = f"{name} at {where.hostname}:{where.port or 'default port'}"
    while True:
        try:
            probe(url)
        except Exception as exc:  # noqa: BLE001 - any failure means "not yet"
            if time.monotonic() > deadline:
                print(f"{label} did not answer: {exc}", file=sys.stderr)
                return False
            time.sleep(1)
        else:
            return True


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--timeout", type=float, default=30, help="seconds (default 30)")
    args = parser.parse_args()
    deadline = time.monotonic() + args.timeout

    ok = True
    database_url = os.environ.get("DATABASE_URL", "")
    if database_url.startswith(("postgres://", "postgresql://")):
        ok &= wait("PostgreSQL", database_url, postgres_ready, deadline)
    redis_url = os.environ.get("REDIS_URL", "")
    if redis_url:
        ok &= wait("Redis", redis_url, redis_ready, deadline)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
