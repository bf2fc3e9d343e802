"""The Procfile, compose.yaml and gunicorn.conf.py agree on how production runs."""

from __future__ import annotations

import runpy
import shlex
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def procfile() -> dict[str, str]:
    lines = (ROOT / "Procfile").read_text().splitlines()
    return dict(line.split(": ", 1) for line in lines if line.strip())


def test_the_procfile_names_a_web_and_a_worker_process() -> None:
    processes = procfile()
    assert shlex.split(processes["web"])[:3] == ["gunicorn", "--config", "gunicorn.conf.py"]
    assert shlex.split(processes["worker"])[:3] == ["python", "manage.py", "db_worker"]


def test_compose_runs_the_procfile_commands_with_two_web_replicas() -> None:
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    services = compose["services"]
    assert services["web"]["command"] == procfile()["web"]
    assert services["worker"]["command"] == procfile()["worker"]
    assert services["web"]["deploy"]["replicas"] == 2
    assert {"proxy", "db", "redis", "migrate"} <= set(services)


def test_gunicorn_uses_threads_so_a_waiting_request_holds_one_thread_only() -> None:
    config = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert config["worker_class"] == "gthread"
    assert config["threads"] >= 2
