"""newsloom: a news story engine. Ingest messy articles, link copies to their
originals, cluster them into stories, and write digests whose every sentence
cites its sources."""

__version__ = "0.1.0"
