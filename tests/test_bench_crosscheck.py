"""The cross-check benchmark runs on a tiny slice, prints its table and writes its RESULTS.md section."""

import importlib.util
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data" / "clustering" / "ecbplus.jsonl.gz"
NEUS = REPO.parent / "shared" / "data" / "summarization" / "neus"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_crosscheck", REPO / "bench" / "bench_crosscheck.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the file runs
    spec.loader.exec_module(module)
    return module


def test_smoke_run_writes_table_and_results_section(bench, tmp_path):
    if not DATA.exists():
        pytest.skip("ECB+ data is absent")
    table, results = tmp_path / "table.md", tmp_path / "RESULTS.md"
    results.write_text("# benchmarks\n\n<!-- bench:other -->\nkept\n<!-- /bench:other -->\n")
    assert bench.main(["--limit", "2", "--out", str(table), "--out-section", "--results", str(results)]) == 0
    assert table.read_text().startswith("| split | method |")
    written = results.read_text()
    assert "<!-- bench:other -->\nkept\n<!-- /bench:other -->" in written
    section = written[written.index("<!-- bench:crosscheck -->"):written.index("<!-- /bench:crosscheck -->")]
    assert "## Cross-check — ECB+ and NeuS perturbation sets" in section
    assert "| test (topics 23-45) | newsloom |" in section and "| test (topics 23-45) | baseline |" in section
    if NEUS.exists():
        assert "| NeuS test (held out) | newsloom |" in section and "| NeuS val (second dev) | newsloom |" in section


def test_neus_loader_gives_each_story_its_outlets_as_siblings_with_distinct_ids(bench):
    if not (NEUS / "val.jsonl").exists():
        pytest.skip("NeuS data is absent")
    events = bench.load_neus_events(NEUS / "val.jsonl", limit=3)
    assert 1 <= len(events) <= 3
    ids = [a.id for rows in events.values() for a in rows]
    assert len(ids) == len(set(ids))
    for story_id, rows in events.items():
        assert 2 <= len(rows) <= 3 and all(a.text.strip() and a.id.startswith(story_id + "-") for a in rows)


def test_one_split_of_one_set_runs_alone(bench, tmp_path):
    if not (NEUS / "val.jsonl").exists():
        pytest.skip("NeuS data is absent")
    table = tmp_path / "table.md"
    assert bench.main(["--set", "neus", "--split", "dev", "--limit", "2", "--no-semantic", "--out", str(table)]) == 0
    rows = [line for line in table.read_text().splitlines() if line.startswith("| NeuS")]
    assert rows and all(line.startswith("| NeuS val (second dev) |") for line in rows)


def test_injected_change_replaces_one_value_in_one_sentence(bench):
    from newsloom.models import Article

    text = ("The ferry Marisol ran aground off Valletta on Tuesday carrying 40 passengers. "
            "Inspectors said the hull was intact.")
    target = Article(id="t", raw_id="t", title="", text=text)
    sibling = Article(id="s", raw_id="s", title="", text="The ferry Marisol ran aground off Valletta on Tuesday "
                      "with 40 passengers aboard, the harbour master said.")
    changes = {p.kind: p for p in bench.perturbations(target, [sibling])}
    assert changes["number"].old_value == "40 passengers" and changes["number"].new_value == "83 passengers"
    assert changes["date"].changed == text.split(". ")[0].replace("Tuesday", "Thursday") + "."


def test_missing_data_exits_with_a_message(bench, tmp_path, capsys):
    assert bench.main(["--data", str(tmp_path / "absent.jsonl.gz")]) == 2
    assert "no data at" in capsys.readouterr().err


def test_surname_the_event_writes_after_a_first_name_is_not_swapped_as_a_place(bench):
    from newsloom.models import Article

    text = "Scouts said Teixeira would sign with the Angels in Boston this week."
    target = Article(id="t", raw_id="t", title="", text="Fans waited all winter. " + text)
    sibling = Article(id="s", raw_id="s", title="", text="Scouts said Teixeira would sign with the Angels in Boston "
                      "soon. Mark Teixeira hit 33 homers last season.")
    places = [p.old_value for p in bench.perturbations(target, [sibling]) if p.kind == "place"]
    assert places == ["Boston"]
    original = [p.old_value for p in bench.perturbations(target, [sibling], original=True) if p.kind == "place"]
    from newsloom.nlp.gazetteer import default_gazetteer

    # The first generator swapped any word the gazetteer knows as a place (whether it knows "Teixeira" depends on
    # the gazetteer's version).
    assert original == (["Teixeira"] if default_gazetteer().lookup("Teixeira") else ["Boston"])
