"""newsloom: a news story engine. Ingest messy articles, link copies to their
originals, cluster them into stories, and write digests whose every sentence
cites its sources.

    from newsloom import Engine

    with Engine("news.db") as engine:
        engine.ingest(["examples/demo-corpus"])
        for story in engine.stories():
            print(story.headline)
"""

__version__ = "0.1.0"

from newsloom.api import Engine  # noqa: E402

__all__ = ["Engine", "__version__"]
