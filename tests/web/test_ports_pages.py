"""Ports pages in-process: a refused send keeps what was typed; unknown ports are 404; the
stream answers with Server-Sent Events and only the user's side's alerts."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.web.conftest import csrf_of, log_in


def test_a_refused_alert_is_explained_and_the_form_kept(client: TestClient) -> None:
    log_in(client, "liaison")
    csrf = csrf_of(client, "/ports/alerts")
    response = client.post(
        "/ports/alerts",
        data={
            "csrf_token": csrf,
            "port": "2504",
            "template": "port-runner",
            "field_lane": "7",  # the vehicle is missing
            "free_text": "texto que no se pierde",
            "nominal_plate": "XYZ987",
        },
    )
    assert response.status_code == 422
    assert "needs vehicle" in response.text
    assert 'value="7"' in response.text
    assert "texto que no se pierde" in response.text
    assert 'value="XYZ987"' in response.text
    unknown = client.post(
        "/ports/alerts",
        data={"csrf_token": csrf, "port": "9999", "template": "security-incident"},
    )
    assert unknown.status_code == 422
    assert "no US–Mexico port with code &#39;9999&#39;" in unknown.text


def test_stream_sends_the_sides_own_alerts(client: TestClient) -> None:
    log_in(client, "liaison")  # MX
    csrf = csrf_of(client, "/ports/alerts")
    sent = client.post(
        "/ports/alerts",
        data={
            "csrf_token": csrf,
            "port": "2504",
            "template": "security-incident",
            "field_location": "garita",
        },
    )
    assert sent.status_code == 303
    stream = client.get("/ports/alerts/stream?after=0&window=0")
    assert stream.headers["content-type"].startswith("text/event-stream")
    assert stream.text.startswith("retry: 2000")
    assert stream.text.count("event: alert") == 1
    assert '"from":"MX"' in stream.text
    client.post("/logout", data={"csrf_token": csrf_of(client, "/ports/alerts")})
    log_in(client, "analyst")  # US: sees alerts its side sent or received; this one was MX→US
    assert client.get("/ports/alerts/stream?after=0&window=0").text.count("event: alert") == 1


def test_analysis_of_an_unknown_port_is_404(client: TestClient) -> None:
    log_in(client, "viewer")
    assert client.get("/ports/9999/analysis").status_code == 404
    page = client.get("/ports/2504/analysis")
    assert page.status_code == 200
    assert "No BTS crossings held for this port" in page.text
