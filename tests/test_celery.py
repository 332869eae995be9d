"""The Celery app takes its configuration from Django settings, and a real worker runs tasks."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import redis
from django.conf import settings

from kudus_pengaduan.celery import app as celery_app

BASE_DIR = Path(__file__).resolve().parent.parent


@celery_app.task(name="tests.test_celery.write_pong")
def write_pong(redis_url, key):
    """Test-only: proves a worker ran it by writing to Redis, so it needs neither a result
    backend (there is none) nor the database (a worker process cannot see pytest's test
    database). Idempotent: it sets one key."""
    redis.Redis.from_url(redis_url).set(key, "pong", ex=120)


def test_celery_reads_its_configuration_from_django_settings():
    conf = celery_app.conf

    assert conf.broker_url == settings.CELERY_BROKER_URL
    assert conf.timezone == settings.TIME_ZONE == "Asia/Jakarta"
    assert conf.task_ignore_result is True
    assert conf.result_backend is None


def test_celery_speaks_json_only():
    conf = celery_app.conf

    assert conf.task_serializer == "json"
    assert conf.result_serializer == "json"
    assert list(conf.accept_content) == ["json"]


def test_every_task_has_soft_and_hard_time_limits():
    conf = celery_app.conf

    assert conf.task_soft_time_limit == settings.CELERY_TASK_SOFT_TIME_LIMIT
    assert conf.task_time_limit == settings.CELERY_TASK_TIME_LIMIT
    assert 0 < conf.task_soft_time_limit < conf.task_time_limit


def test_beat_schedule_runs_the_periodic_jobs():
    scheduled = {entry["task"] for entry in celery_app.conf.beat_schedule.values()}

    assert {
        "complaints.tasks.process_pending_events",
        "disposition.tasks.seed_holidays",
    } <= scheduled


@pytest.mark.slow
def test_real_worker_runs_a_task_from_the_redis_broker(tmp_path):
    broker_url = celery_app.conf.broker_url
    assert broker_url.startswith("redis"), "the suite runs on real Redis"
    # A queue of its own: other tests enqueue real tasks on this broker, and this worker, which
    # cannot see the test database, must not take them.
    queue = f"test-worker-{uuid.uuid4().hex}"
    key = f"kudus-test:{queue}"
    store = redis.Redis.from_url(broker_url)
    log_path = tmp_path / "worker.log"

    with log_path.open("w") as log:
        worker = subprocess.Popen(  # noqa: S603 - our own interpreter, fixed arguments
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "kudus_pengaduan",
                "worker",
                "--pool=solo",
                "--queues",
                queue,
                "--hostname",
                f"{queue}@%h",
                "--include",
                "tests.test_celery",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--loglevel",
                "WARNING",
            ],
            cwd=BASE_DIR,
            env={**os.environ, "CELERY_BROKER_URL": broker_url},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        celery_app.send_task(write_pong.name, args=[broker_url, key], queue=queue)

        deadline = time.monotonic() + 25
        while store.get(key) != b"pong":
            if worker.poll() is not None:
                pytest.fail(f"worker exited with {worker.returncode}:\n{log_path.read_text()}")
            if time.monotonic() > deadline:
                pytest.fail(f"no pong within 25 s; worker log:\n{log_path.read_text()}")
            time.sleep(0.2)
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=10)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
        store.delete(key, queue)
