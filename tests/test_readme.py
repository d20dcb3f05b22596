"""The README: title, one sentence, the two commands; its generated parts match the code."""

import re
import subprocess
from pathlib import Path

from corridor.cli import docs

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"


def test_the_readme_opens_with_the_title_a_sentence_and_the_two_commands():
    text = README.read_text(encoding="utf-8")
    blocks = text.split("\n\n")
    assert blocks[0] == "# corridor"
    assert blocks[1].count(".") >= 1 and "\n" not in blocks[1].strip()
    commands = [line.split("#")[0].strip() for line in blocks[2].splitlines()[1:-1]]
    assert blocks[2].startswith("```sh") and commands == ["make demo", "make test"]


def test_the_generated_parts_of_the_readme_are_up_to_date():
    text = README.read_text(encoding="utf-8")
    assert docs.render_readme(text) == text, "the README is stale: run scripts/readme"


def test_the_reference_lists_every_command_and_option():
    reference = docs.cli_reference()
    for command in ("demo", "status", "trips", "import", "duplicates merge", "bench bep", "scan-in"):
        assert f"#### `corridor {command}`" in reference
    assert "`--encoding` ENCODING" in reference and "`--force`" in reference and "`--all`" in reference


def test_the_set_up_and_import_tables_come_from_the_code():
    assert "| `sites` (list) | `kind` | str | `gathering_point`, `checkpoint`" in docs.setup_description()
    columns = docs.csv_columns()
    assert re.search(r"\| `precedence` \| person \|.*`urgent`", columns)
    assert "`links`" in columns and "`gathering_point` | household" in columns


def test_make_demo_passes_people():
    dry = subprocess.run(["make", "-n", "demo", "PEOPLE=2000"], cwd=ROOT, capture_output=True, text=True, check=True)
    assert "corridor demo --simulate --people 2000" in dry.stdout


def test_the_permissions_page_is_generated_from_the_table():
    page = (ROOT / "docs" / "permissions.md").read_text(encoding="utf-8")
    assert docs.permissions_page() == page, "docs/permissions.md is stale: run scripts/readme"
    from corridor.domain.permissions import Permission, Role

    assert all(f"| `{r.value}` |" in page for r in Role) and all(f"| `{p.value}` |" in page for p in Permission)
    assert "`POST /api/halt`" in page and "| `medical_notes` | `medical` | `medic` |" in page
