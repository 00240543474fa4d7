"""The health report's own logic; tests/reliability/test_faults_e2e.py checks it on real servers."""

from reliability import health


def test_the_action_server_is_asked_at_its_health_route() -> None:
    assert health.action_server_health_url("http://localhost:5055/webhook") == "http://localhost:5055/health"


async def test_without_a_model_nothing_counts_as_reachable() -> None:
    report = await health.report(None)
    assert report == {
        "status": "degraded", "model": False, "tracker_store": False, "lock_store": False, "action_server": False,
    }
