"""A `--db` that cannot be opened is refused in one line naming it, exit 1, nothing made or changed — never a
traceback (which showed the driver's error and, for a URL, could show its password). Each case is named after
its defect."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from typer.testing import CliRunner

from corridor.cli import app

runner = CliRunner()


def closed_port() -> int:
    """A port on 127.0.0.1 nobody listens on (bound for a moment, then let go)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def folder_missing(tmp: Path) -> tuple[str, str]:
    return str(tmp / "nowhere" / "x.db"), "the folder"


def folder_missing_in_a_url(tmp: Path) -> tuple[str, str]:
    return f"sqlite:///{tmp / 'nowhere' / 'x.db'}", "the folder"


def a_folder(tmp: Path) -> tuple[str, str]:
    (tmp / "adir").mkdir()
    return str(tmp / "adir"), "is a folder"


def not_a_database(tmp: Path) -> tuple[str, str]:
    (tmp / "notes.db").write_text("a note, not a database\n", encoding="utf-8")
    return str(tmp / "notes.db"), "file is not a database"


def another_kind_of_database(_tmp: Path) -> tuple[str, str]:
    return "mysql://registrar:secret@127.0.0.1/corridor", "not in mysql"


def not_a_url(_tmp: Path) -> tuple[str, str]:
    return "post gres://registrar:secret@127.0.0.1/corridor", "not a database URL"


def postgresql_not_answering(_tmp: Path) -> tuple[str, str]:
    return f"postgresql://registrar:secret@127.0.0.1:{closed_port()}/corridor", "cannot be opened"


CASES = [folder_missing, folder_missing_in_a_url, a_folder, not_a_database, another_kind_of_database, not_a_url,
         postgresql_not_answering]


def files_under(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() if p.is_file() else b"" for p in sorted(folder.rglob("*"))}


@pytest.mark.parametrize("case", CASES, ids=[c.__name__ for c in CASES])
@pytest.mark.parametrize("command", [["status"], ["verify"], ["users", "list"]])
def test_a_database_that_cannot_be_opened_is_refused_in_one_line(case, command, tmp_path, monkeypatch):
    monkeypatch.setenv("CORRIDOR_KEY_FILE", str(tmp_path / "keys" / "corridor.key"))
    db, said = case(tmp_path)
    before = files_under(tmp_path)
    result = runner.invoke(app, [*command, "--db", db])
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert result.exit_code == 1, result.output
    assert len(lines) == 1 and lines[0].startswith("refused: db: ") and said in lines[0], result.output
    assert "Traceback" not in result.output and "secret" not in result.output
    assert files_under(tmp_path) == before  # no database, key or folder made; the file that is not one unchanged
