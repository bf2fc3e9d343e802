"""The knee-angle tool picks the page's knee-inward answer with the same bands as the findings."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
FINDINGS = ROOT / "questionnaire" / "data" / "findings.yaml"
TOOL = ROOT / "static" / "questionnaire" / "knee-angle-core.js"


def _thresholds(finding_id: str) -> dict[str, float]:
    """{sex: degrees} from a finding's `sex equals X and fppa_degrees gte N` branches."""
    findings = yaml.safe_load(FINDINGS.read_text(encoding="utf-8"))["findings"]
    finding = next(f for f in findings if f["id"] == finding_id)
    found: dict[str, float] = {}
    for branch in finding["when"]["any"]:
        parts: list[dict[str, Any]] = branch.get("all", [])
        sex = next(
            (p["equals"] for p in parts if p.get("question") == "sex" and "equals" in p), None
        )
        gte = next((p["gte"] for p in parts if p.get("question") == "fppa_degrees"), None)
        unknown = any("not" in p for p in parts)
        if gte is not None:
            found["unknown" if unknown else str(sex)] = gte
    return found


def _tool_bands() -> dict[str, dict[str, float]]:
    node = shutil.which("node")
    if node is None:
        pytest.fail(
            "node is needed to read the knee-angle tool's bands (Node 20 is on these machines)"
        )
    script = f"import({json.dumps(TOOL.as_uri())}).then(m => console.log(JSON.stringify(m.BANDS)))"
    out = subprocess.run([node, "-e", script], capture_output=True, text=True, check=True).stdout
    bands: dict[str, dict[str, float]] = json.loads(out)
    return bands


def test_it_uses_the_findings_bands_for_each_sex_and_the_female_ones_when_unknown() -> None:
    tool = _tool_bands()
    present = _thresholds("sls_valgus_present")
    marked = _thresholds("sls_valgus_marked")
    for sex in ("female", "male"):
        assert tool[sex] == {"slight": present[sex], "marked": marked[sex]}, sex
    assert (present["unknown"], marked["unknown"]) == (
        tool["female"]["slight"],
        tool["female"]["marked"],
    )
