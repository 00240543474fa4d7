"""deploy/ cannot run here (no Docker engine), so its files are checked for what would break a start.

The compose file parses and wires both Rasa instances to the same PostgreSQL and Redis, each
action server sits where endpoints.yml looks for it, nginx balances over exactly the Rasa
instances with sticky sessions for socket.io, and the Dockerfile copies files that exist.
nginx itself checks its configuration when Debian's nginx is installed.
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
from pathlib import Path
from typing import Any, Union
from urllib.parse import urlsplit

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"
COMPOSE = yaml.safe_load((DEPLOY / "docker-compose.yml").read_text())
SERVICES: dict[str, dict[str, Any]] = COMPOSE["services"]
RASA_INSTANCES = ["rasa-1", "rasa-2"]
# What an operator must set; the rest have defaults.
REQUIRED_SETTINGS = {"POSTGRES_PASSWORD": "s3cret", "RASA_API_TOKEN": "token"}
VARIABLE = re.compile(r"\$\{(\w+)(?::([-?])([^}]*))?\}")

NginxBlock = list[Union[list[str], tuple[list[str], "NginxBlock"]]]


def interpolate(value: str, settings: dict[str, str]) -> str:
    """Compose's ${VAR}, ${VAR:-default} and ${VAR:?error} substitution."""

    def substitute(match: re.Match) -> str:
        name, kind, rest = match.groups()
        if settings.get(name):
            return settings[name]
        if kind == "?":
            raise KeyError(f"{name} must be set: {rest}")
        return rest if kind == "-" else ""

    return VARIABLE.sub(substitute, value)


def command_of(service: str) -> list[str]:
    command = SERVICES[service]["command"]
    return shlex.split(interpolate(command, REQUIRED_SETTINGS)) if isinstance(command, str) else command


def option(command: list[str], name: str) -> str:
    return command[command.index(name) + 1]


def environment_of(service: str) -> dict[str, str]:
    return {key: interpolate(str(value), REQUIRED_SETTINGS) for key, value in SERVICES[service].get("environment", {}).items()}


def parse_nginx(text: str) -> NginxBlock:
    """nginx's configuration as nested blocks: directives are word lists, blocks are (words, body)."""
    tokens = re.findall(r"'[^']*'|\"[^\"]*\"|[{};]|[^\s{};]+", re.sub(r"#[^\n]*", "", text))
    stack: list[NginxBlock] = [[]]
    heads: list[list[str]] = []
    words: list[str] = []
    for token in tokens:
        if token == ";":
            assert words, "an empty directive"
            stack[-1].append(words)
        elif token == "{":
            heads.append(words)
            stack.append([])
        elif token == "}":
            assert not words and heads, "a '}' without its block or after an unfinished directive"
            body = stack.pop()
            stack[-1].append((heads.pop(), body))
        else:
            words.append(token)
            continue
        words = []
    assert len(stack) == 1 and not words, "unbalanced braces or a directive without ';'"
    return stack[0]


def block(config: NginxBlock, *head: str) -> NginxBlock:
    found = [body for item in config if isinstance(item, tuple) for words, body in [item] if words == list(head)]
    assert len(found) == 1, f"expected one block {' '.join(head)}"
    return found[0]


def directives(config: NginxBlock, name: str) -> list[list[str]]:
    return [item[1:] for item in config if isinstance(item, list) and item[0] == name]


NGINX = parse_nginx((DEPLOY / "nginx.conf").read_text())
HTTP = block(NGINX, "http")


def test_compose_runs_two_rasa_instances_two_action_servers_and_their_shared_parts() -> None:
    assert set(SERVICES) == {"postgres", "redis", *RASA_INSTANCES, "actions-1", "actions-2", "web", "nginx"}
    for service in SERVICES.values():
        assert "image" in service or "build" in service


def test_both_rasa_instances_share_the_postgresql_tracker_store_and_the_redis_lock_store() -> None:
    environments = [environment_of(name) for name in RASA_INSTANCES]
    assert environments[0] == environments[1]
    database = urlsplit(environments[0]["TRACKER_DB_URL"])
    postgres = environment_of("postgres")
    assert (database.scheme, database.hostname, database.port) == ("postgresql", "postgres", 5432)
    assert (database.username, database.password, database.path) == (
        postgres["POSTGRES_USER"], postgres["POSTGRES_PASSWORD"], f"/{postgres['POSTGRES_DB']}"
    )
    locks = urlsplit(environments[0]["LOCK_STORE_URL"])
    assert (locks.scheme, locks.hostname, locks.port) == ("redis", "redis", 6379)
    for name in RASA_INSTANCES:
        assert set(SERVICES[name]["depends_on"]) == {"postgres", "redis"}


def test_the_secrets_have_no_default() -> None:
    for setting in REQUIRED_SETTINGS:
        with pytest.raises(KeyError, match=setting):
            interpolate((DEPLOY / "docker-compose.yml").read_text(), {**REQUIRED_SETTINGS, setting: ""})


def test_each_action_server_is_where_endpoints_yml_sends_its_rasa_instance() -> None:
    action_url = urlsplit(yaml.safe_load((REPO / "endpoints.yml").read_text())["action_endpoint"]["url"])
    assert action_url.hostname == "localhost"
    for number, rasa in enumerate(RASA_INSTANCES, start=1):
        actions = f"actions-{number}"
        assert SERVICES[actions]["network_mode"] == f"service:{rasa}"
        assert command_of(actions)[:3] == ["rasa", "run", "actions"]
        assert int(option(command_of(actions), "--port")) == action_url.port


def test_the_rasa_api_is_always_behind_a_token_and_only_the_page_origin_may_connect() -> None:
    public_url = interpolate("${PUBLIC_URL:-http://localhost:8000}", {})
    for name in RASA_INSTANCES:
        command = command_of(name)
        assert option(command, "--auth-token") == REQUIRED_SETTINGS["RASA_API_TOKEN"]
        assert option(command, "--cors") == environment_of(name)["WEB_ORIGINS"] == public_url
    assert environment_of("web")["RASA_URL"] == public_url


def test_nginx_balances_over_exactly_the_rasa_instances_with_sticky_sessions() -> None:
    rasa = block(HTTP, "upstream", "rasa")
    assert directives(rasa, "ip_hash") == [[]], "socket.io needs sticky sessions"
    servers = {words[0] for words in directives(rasa, "server")}
    assert servers == {f"{name}:{option(command_of(name), '--port')}" for name in RASA_INSTANCES}
    page = block(HTTP, "upstream", "chat_page")
    assert {words[0] for words in directives(page, "server")} == {f"web:{environment_of('web')['WEB_PORT']}"}


def test_nginx_routes_the_channels_and_the_page_but_not_the_rasa_api() -> None:
    server = block(HTTP, "server")
    published = SERVICES["nginx"]["ports"][0].rsplit(":", 1)[1]
    assert directives(server, "listen") == [[published]]
    socket = block(server, "location", "/socket.io/")
    assert directives(socket, "proxy_pass") == [["http://rasa"]]
    assert ["Upgrade", "$http_upgrade"] in directives(socket, "proxy_set_header")
    assert directives(block(server, "location", "/webhooks/"), "proxy_pass") == [["http://rasa"]]
    assert directives(block(server, "location", "/"), "proxy_pass") == [["http://chat_page"]]
    assert directives(block(server, "location", "=", "/health"), "proxy_pass") == [["http://rasa"]]
    locations = {tuple(item[0]) for item in server if isinstance(item, tuple)}
    assert locations == {
        ("location", "/socket.io/"), ("location", "/webhooks/"), ("location", "=", "/health"), ("location", "/"),
    }


def test_an_instance_counts_as_healthy_only_when_its_health_report_says_so() -> None:
    for name in RASA_INSTANCES:
        assert "http://localhost:5005/health" in " ".join(SERVICES[name]["healthcheck"]["test"])
        assert environment_of(name)["SANIC_PROXIES_COUNT"] == "1", "the per-address limit needs the client's address"
    mounted = SERVICES["nginx"]["volumes"][0].split(":")
    assert (DEPLOY / mounted[0]).resolve() == DEPLOY / "nginx.conf" and mounted[1] == "/etc/nginx/nginx.conf"


def test_the_image_builds_from_files_that_exist() -> None:
    for name in ["rasa-1", "actions-1", "web"]:
        build = SERVICES[name]["build"]
        assert (DEPLOY / build["context"] / build["dockerfile"]).resolve() == DEPLOY / "Dockerfile"
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    for line in dockerfile.splitlines():
        words = line.split()
        if words[:1] == ["COPY"] and not words[1].startswith("--from"):
            for source in words[1:-1]:
                assert (REPO / source).exists(), f"Dockerfile copies {source}, which is not in the repository"
    assert "USER " in dockerfile, "the servers should not run as root"


@pytest.mark.skipif(shutil.which("nginx") is None, reason="nginx is not installed (Debian package `nginx`)")
def test_nginx_accepts_the_configuration(tmp_path: Path) -> None:
    # Compose's network resolves the service names; here they all point at loopback.
    config = (DEPLOY / "nginx.conf").read_text()
    for host in [*RASA_INSTANCES, "web"]:
        config = config.replace(f"server {host}:", "server 127.0.0.1:")
    (tmp_path / "nginx.conf").write_text(config)
    checked = subprocess.run(
        ["nginx", "-t", "-e", "stderr", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"),
         "-g", f"pid {tmp_path / 'nginx.pid'};"],
        capture_output=True, text=True, timeout=60,
    )
    assert checked.returncode == 0, checked.stderr
    assert "test is successful" in checked.stderr


def test_every_app_service_shares_the_folder_of_charts_and_summaries() -> None:
    app_services = [*RASA_INSTANCES, "actions-1", "actions-2", "web"]
    mounts = {name: SERVICES[name].get("volumes", []) for name in app_services}
    assert all(volumes == ["files:/app/.run/files"] for volumes in mounts.values()), mounts
    assert "files" in COMPOSE["volumes"]
    assert "mkdir -p /app/.run/files" in (DEPLOY / "Dockerfile").read_text()
