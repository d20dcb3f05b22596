"""`corridor devices qr NAME`: the configuration QR code ODK Collect reads, read back with zbar (a reader no
one here wrote), decoded as Collect decodes it, and the address it carries works as the device's key."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from corridor.api.app import create_app
from corridor.cli import app as cli
from corridor.formats import collect
from corridor.service import accounts

pytestmark = pytest.mark.e2e
runner = CliRunner()


def test_the_qr_code_configures_collect_with_the_key_and_the_key_lists_the_forms(op, tmp_path):
    png = tmp_path / "phone-3.png"
    db = op.db.url
    result = runner.invoke(cli, ["devices", "qr", "registrar", "--server", "https://corridor.example.org/",
                                 "--device", "phone-3", "--out", str(png), "--db", db])
    assert result.exit_code == 0, result.output
    assert "▀" in result.stdout or "█" in result.stdout  # drawn on the terminal
    zbar = shutil.which("zbarimg")
    assert zbar, "zbar-tools is not installed (scripts/setup --test installs it)"
    payload = subprocess.run([zbar, "-q", "--raw", str(png)], capture_output=True, text=True, timeout=60).stdout.strip()
    values = collect.decode(payload)
    url = values["general"]["server_url"]
    assert url.startswith("https://corridor.example.org/key/ct_") and url.endswith("/openrosa")
    assert values["general"]["form_update_mode"] == "match_exactly" and values["admin"]["change_server"] is False
    assert values["project"]["name"] == "corridor: registrar (phone-3)"
    (token,) = [t for t in accounts.list_tokens(op, "registrar") if t["device"] == "phone-3"]
    path = url.removeprefix("https://corridor.example.org")
    answer = TestClient(create_app(op)).get(f"{path}/formList", headers={"X-OpenRosa-Version": "1.0"})
    assert answer.status_code == 200 and "corridor_registration" in answer.text
    accounts.revoke(op, token_id=token["id"])
    assert TestClient(create_app(op)).get(f"{path}/formList", headers={"X-OpenRosa-Version": "1.0"}).status_code == 403


def test_a_server_address_that_is_not_one_is_refused_before_a_token_is_made(op):
    before = len(accounts.list_tokens(op))
    result = runner.invoke(cli, ["devices", "qr", "registrar", "--server", "corridor.example.org", "--db",
                                 str(op.db.url)])
    assert result.exit_code != 0 and "server" in result.output
    assert len(accounts.list_tokens(op)) == before
