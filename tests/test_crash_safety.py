"""A kill in the middle of an ingest loses nothing already committed."""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

WORDS = "harbour council ferry strike union storm river bridge budget school hospital rail".split()


def write_rows(path, count):
    with open(path, "w") as handle:
        for n in range(count):
            topic = WORDS[n % len(WORDS)]
            row = {"url": f"https://crash.example/{n}", "title": f"Item {n} about the {topic} {n * 7}",
                   "text": f"Report number {n} about the {topic}. " * 5, "published": 1775117700 + n * 60, "source": "Crash Test"}
            handle.write(json.dumps(row) + "\n")


def committed_ids(db):
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        try:
            return {row[0] for row in conn.execute("SELECT id FROM articles")}
        finally:
            conn.close()
    except sqlite3.OperationalError:
        return set()


def test_sigkill_during_ingest_keeps_every_committed_article(tmp_path):
    rows, db = tmp_path / "rows.jsonl", tmp_path / "n.db"
    write_rows(rows, 4000)
    script = f"from newsloom import Engine; Engine({str(db)!r}, batch_size=20).ingest([{str(rows)!r}])"
    process = subprocess.Popen([sys.executable, "-c", script])
    seen: set[str] = set()
    deadline = time.time() + 120
    while time.time() < deadline and len(seen) < 200 and process.poll() is None:
        time.sleep(0.2)
        seen = committed_ids(db)
    assert process.poll() is None, "ingest finished before it could be killed; make the input bigger"
    seen = committed_ids(db)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert len(seen) >= 20
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    after = {row[0] for row in conn.execute("SELECT id FROM articles")}
    conn.close()
    assert seen <= after
    # and the engine reopens the database and goes on where it stopped
    from newsloom import Engine

    with Engine(db, batch_size=500) as engine:
        report = engine.ingest([str(rows)])
    assert report.failures == []
    assert engine_count(db) == 4000


def engine_count(db):
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    finally:
        conn.close()
