def test_without_a_broker_tasks_run_in_process(client, db, settings):
    settings.CELERY_BROKER_URL = ""
    assert client.get("/healthz").json()["broker"]["mode"].startswith("in-process")


def test_reports_database_and_broker(client, db):
    # make test configures a real Redis broker; the check connects to it.
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == {"ok": True, "vendor": "postgresql"}
    assert body["broker"]["ok"] is True


def test_unreachable_broker_makes_it_unavailable(client, db, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["broker"]["ok"] is False


def test_needs_no_sign_in_and_is_never_cached(client, db):
    response = client.get("/healthz")
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
