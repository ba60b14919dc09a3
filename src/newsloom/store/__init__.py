"""Persistence. ``Store`` is the SQLite implementation; ``default_db_path`` the per-user default."""

from pathlib import Path

from newsloom.store.sqlite import Store


def default_db_path() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("newsloom")) / "newsloom.db"


__all__ = ["Store", "default_db_path"]
