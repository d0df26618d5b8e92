import pytest

from config.celery import app, ping


def test_celery_is_configured_for_idempotent_tasks_on_a_json_broker():
    conf = app.conf
    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert conf.task_ignore_result is True
    assert conf.accept_content == ["json"]
    assert conf.task_serializer == "json"
    assert conf.broker_transport_options["visibility_timeout"] > conf.task_time_limit
    assert conf.broker_url.startswith("redis://")


def test_every_periodic_task_is_registered_and_expires():
    app.loader.import_default_modules()
    assert app.conf.beat_schedule, "no periodic tasks declared"
    for name, entry in app.conf.beat_schedule.items():
        assert entry["task"] in app.tasks, f"{name}: {entry['task']} is not a registered task"
        assert entry["options"]["expires"] > 0, f"{name} has no expiry"


@pytest.mark.worker
def test_a_task_round_trips_through_redis_and_a_real_worker(celery_worker_instance):
    result = ping.delay()
    assert result.get(timeout=20) == "pong"
