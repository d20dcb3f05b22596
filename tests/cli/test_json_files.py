"""A JSON file the CLI reads (set-up, households, claims, the agreement) that cannot be read is refused in one line
naming it, exit 1, nothing recorded — never a traceback. Each case is named after its defect."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from corridor.cli import app

runner = CliRunner()


def missing(tmp: Path) -> tuple[Path, str]:
    return tmp / "none.json", "no such file"


def a_folder(tmp: Path) -> tuple[Path, str]:
    (tmp / "folder.json").mkdir()
    return tmp / "folder.json", "is a folder"


def not_utf8(tmp: Path) -> tuple[Path, str]:
    (tmp / "cp1256.json").write_bytes('[{"source": "إذاعة"}]'.encode("cp1256"))
    return tmp / "cp1256.json", "not UTF-8 text"


def cut_short(tmp: Path) -> tuple[Path, str]:
    (tmp / "short.json").write_text('[{"source": "radio"', encoding="utf-8")
    return tmp / "short.json", "not valid JSON (line 1"


def nested_too_deeply(tmp: Path) -> tuple[Path, str]:
    (tmp / "deep.json").write_text("[" * 100_000, encoding="utf-8")
    return tmp / "deep.json", "nested too deeply"


def a_number_too_long(tmp: Path) -> tuple[Path, str]:
    (tmp / "long.json").write_text("[" + "9" * 5000 + "]", encoding="utf-8")
    return tmp / "long.json", "not readable JSON"


CASES = [missing, a_folder, not_utf8, cut_short, nested_too_deeply, a_number_too_long]
COMMANDS = [["setup"], ["register"], ["claims", "add"], ["agreement", "set"], ["agreement", "import-figures"]]


@pytest.mark.parametrize("case", CASES, ids=[c.__name__ for c in CASES])
@pytest.mark.parametrize("command", COMMANDS, ids=[" ".join(c) for c in COMMANDS])
def test_a_json_file_that_cannot_be_read_is_refused_in_one_line(case, command, tmp_path, monkeypatch):
    monkeypatch.setenv("CORRIDOR_KEY_FILE", str(tmp_path / "corridor.key"))
    path, said = case(tmp_path)
    result = runner.invoke(app, [*command, str(path), "--db", str(tmp_path / "op.db")])
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert result.exit_code == 1, result.output
    assert len(lines) == 1 and lines[0].startswith(f"refused: {path}: ") and said in lines[0], result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "op.db").exists() and not (tmp_path / "corridor.key").exists()  # read before opening


def test_claims_read_from_standard_input_are_refused_alike(tmp_path, monkeypatch):
    monkeypatch.setenv("CORRIDOR_KEY_FILE", str(tmp_path / "corridor.key"))
    result = runner.invoke(app, ["claims", "add", "-", "--db", str(tmp_path / "op.db")], input="[" * 100_000)
    assert result.exit_code == 1 and result.output.strip() == "refused: stdin: nested too deeply to be read"
