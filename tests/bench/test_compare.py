"""Comparing a run with earlier figures: costs that grew and rates that fell beyond 10 % are worse."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from terminal.bench.compare import BaselineError, comparison, load_baseline, verdict
from terminal.bench.report import Result, write_json


def test_direction_follows_the_unit() -> None:
    assert verdict(Result("a", 80.0, "msg/s"), Result("a", 100.0, "msg/s")) == "WORSE"
    assert verdict(Result("a", 120.0, "msg/s"), Result("a", 100.0, "msg/s")) == "better"
    assert verdict(Result("b", 12.0, "ms"), Result("b", 10.0, "ms")) == "WORSE"
    assert verdict(Result("b", 8.0, "ms"), Result("b", 10.0, "ms")) == "better"
    assert verdict(Result("c", 105.0, "MB"), Result("c", 100.0, "MB")) == "same"
    assert verdict(Result("d", 1.0, "s"), Result("d", 0.0, "s")) == "?"


def test_a_run_is_compared_with_a_results_file_and_worse_figures_are_counted(tmp_path: Path) -> None:
    path = tmp_path / "before.json"
    write_json(path, [Result("ui.cpu_share@2000", 20.0, "% of a core"), Result("ingest.rate", 1000.0, "msg/s")])
    baseline = load_baseline(path)
    now = [
        Result("ui.cpu_share@2000", 30.0, "% of a core"),  # a cost up by half
        Result("ingest.rate", 1050.0, "msg/s"),
        Result("startup.first_live_frame_s", 1.2, "s"),  # not in the baseline
    ]
    text, worse = comparison(now, baseline)
    assert worse == 1
    lines = {line.split()[0]: line for line in text.splitlines()[1:]}
    assert lines["ui.cpu_share@2000"].endswith("WORSE")
    assert "+50%" in lines["ui.cpu_share@2000"]
    assert lines["ingest.rate"].endswith("same")
    assert lines["startup.first_live_frame_s"].endswith("new")


def test_a_file_that_is_not_a_results_file_is_refused_in_words(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_bytes(orjson.dumps({"benchmarks": [{"nom": 1}]}))
    with pytest.raises(BaselineError, match="not a benchmark results file"):
        load_baseline(bad)
    with pytest.raises(BaselineError):
        load_baseline(tmp_path / "missing.json")


def test_the_readme_table_is_made_from_a_results_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from terminal.bench.markdown import main

    path = tmp_path / "results.json"
    write_json(path, [Result("ingest.depth_msgs_per_s", 79438.0, "msg/s", 10030.0, 7.92, "5000 messages | one core")])
    assert main([str(path)]) == 0
    out = capsys.readouterr().out
    assert "| `ingest.depth_msgs_per_s` | 79,438 msg/s | 10,030 msg/s | 7.92x | 5000 messages / one core |" in out
    assert out.startswith("Machine: ")
    assert main([str(tmp_path / "nothing.json")]) == 1
