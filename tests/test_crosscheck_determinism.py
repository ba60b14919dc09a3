"""The cross-check gives the same report whatever Python's hash seed (fiction written for newsloom).

Sets iterate in an order that follows the hash seed; any evidence, sentence or conflict chosen by iterating
one (or a float summed over one) would change from one run to the next. Each run below is a fresh
interpreter with another ``PYTHONHASHSEED``; the reports, with full-precision scores, must be identical.
"""

import os
import subprocess
import sys
from pathlib import Path

SRC = str(Path(__file__).resolve().parents[1] / "src")

_SCRIPT = r'''
from datetime import datetime, timezone
from newsloom.crosscheck import check_article, crosscheck_story
from newsloom.models import Article

def art(i, day, text, title=""):
    return Article(id=i, raw_id=i, title=title, text=text, outlet=i,
                   published_at=datetime(2031, 5, day, 9, tzinfo=timezone.utc))

target = art("t", 3, "Rescuers pulled eleven miners from the flooded Tessford shaft on Monday, mine chief Hugh Okonkwo "
                     "said. The company said 40 pumps failed after heavy rain overnight near Tessford. "
                     "Lakewood Award winner Dana Pruitt led the second team into the shaft.",
             title="Eleven miners rescued at Tessford")
sources = [
    art("a", 2, "Nine miners were rescued from a flooded shaft close to Tessford on Sunday, mine chief Hugh Jackman "
                "said. Heavy overnight rain had knocked out 14 pumps. Dana Pruitt, who won the Lakewood Medal, "
                "led the second team.", title="Nine miners rescued"),
    art("b", 2, "Nine miners came out of the Tessford shaft on Sunday. Mine chief Hugh Jackman thanked the "
                "rescuers; 14 pumps had failed in the rain.", title="Tessford rescue"),
    art("c", 4, "The Tessford operator said on Sunday that nine miners were safe and that pumps failed after "
                "the rain. Rescue leader Dana Pruitt praised her crew.", title="Tessford miners safe"),
]
report = check_article(target, sources)
for check in report.claims:
    print(check.verdict, check.claim.text, sorted(check.agreeing), check.independent_sources)
    for e in check.evidence:
        print("  ", e.source, repr(e.similarity), e.agrees, e.sentence, e.detail)
for c in report.conflicts:
    print("C", c.kind, c.source, repr(c.similarity), c.claim_value, c.evidence_value, c.evidence, c.explanation)
print(crosscheck_story([target, *sources], {}).to_dict())
'''


def _report(seed: int) -> str:
    env = {**os.environ, "PYTHONHASHSEED": str(seed),
           "PYTHONPATH": os.pathsep.join(filter(None, [SRC, os.environ.get("PYTHONPATH", "")]))}
    return subprocess.run([sys.executable, "-c", _SCRIPT], capture_output=True, text=True, check=True,
                          env=env).stdout


def test_report_does_not_depend_on_the_hash_seed():
    outputs = {_report(seed) for seed in (1, 2, 3, 4, 5)}
    assert len(outputs) == 1
    (output,) = outputs
    assert "C number" in output and "C date" in output  # the pair exercises the conflict rules
