"""CSV card imports through the API: upload, check every row, import the rest, errors by line."""

from __future__ import annotations

import os
import stat

from app.controller.service import Controller
from tests.controller.conftest import Api

CSV = """format,facility_code,card_number,uid,email
H10301,118,1603,,jane@example.com
H10301,256,1,,
H10302,,123456789,,
HF,,,04AABBCCDD,
H10301,118,1603,,
bogus,1,2,,
H10304,7,77,,nobody@example.com
H10301,118,1604,,
"""


async def upload(api: Api, text: str, name: str = "cards.csv") -> str:
    signed = await api.ok(
        "POST",
        "/signed_upload_urls",
        {"signed_upload_url": {"file_name": name, "file_type": "csv_card_import"}},
    )
    async with api.session.post(signed["signed_upload_url"], data=text.encode()) as response:
        assert response.status == 200
        return str((await response.json())["file_name"])


async def test_import_reports_bad_rows_by_line_and_imports_the_rest(
    api: Api, controller: Controller
) -> None:
    await api.ok("POST", "/users", {"user": {"email": "jane@example.com", "name": "Jane"}})
    file_name = await upload(api, CSV)
    stored = controller.config.data_dir / "uploads" / file_name
    assert stat.S_IMODE(os.stat(stored).st_mode) == 0o600
    started = await api.ok(
        "POST", "/csv_card_imports", {"csv_card_import": {"file_name": file_name}}
    )
    assert started["status"] in ("waiting", "in_progress", "finished")
    done = await controller.card_imports.wait(started["id"])
    polled = await api.ok("GET", f"/csv_card_imports/{started['id']}")
    assert polled["status"] == "finished" == done["status"]
    errors = polled["import_errors"]
    assert set(errors) == {"line 3", "line 6", "line 7", "line 8"}
    assert "facility_code" in errors["line 3"][0]
    assert "line 2" in errors["line 6"][0]  # the same card twice in the file
    assert "format" in errors["line 7"][0]
    assert "nobody@example.com" in errors["line 8"][0]
    assert polled["imported"] == 4
    cards = await api.ok("GET", "/cards?limit=50")
    assert len(cards) == 4
    jane = next(c for c in cards if c.get("card_number") == 1603)
    assert jane["activated"] is True  # given to Jane and active

    # Importing the same file again: every card is already enrolled, nothing is lost.
    again = await api.ok(
        "POST", "/csv_card_imports", {"csv_card_import": {"file_name": await upload(api, CSV)}}
    )
    second = await controller.card_imports.wait(again["id"])
    assert second["imported"] == 0
    assert any("already enrolled" in m[0] for m in second["import_errors"].values())
    assert len(await api.ok("GET", "/cards?limit=50")) == 4


async def test_upload_addresses_are_single_use_and_files_must_exist(api: Api) -> None:
    signed = await api.ok(
        "POST", "/signed_upload_urls", {"signed_upload_url": {"file_name": "x.csv"}}
    )
    async with api.session.post(signed["signed_upload_url"], data=b"format\n") as response:
        assert response.status == 200
    async with api.session.post(signed["signed_upload_url"], data=b"format\n") as response:
        assert response.status == 404
    status, err, _ = await api.call(
        "POST", "/csv_card_imports", {"csv_card_import": {"file_name": "../../etc/passwd"}}
    )
    assert status == 422 and "file_name" in err["errors"]


async def test_a_large_upload_arrives_whole(api: Api, controller: Controller) -> None:
    # Half a megabyte: it reaches the server in many pieces.
    rows = "".join(f"H10301,{n // 65536},{n % 65536},{' ' * 40},\n" for n in range(10_000))
    text = "format,facility_code,card_number,uid,email\n" + rows
    file_name = await upload(api, text)
    stored = controller.config.data_dir / "uploads" / file_name
    assert stored.read_text() == text
    started = await api.ok(
        "POST", "/csv_card_imports", {"csv_card_import": {"file_name": file_name}}
    )
    done = await controller.card_imports.wait(started["id"])
    assert done["status"] == "finished" and done["imported"] == 10_000
    assert done["import_errors"] == {}


async def test_a_file_the_csv_reader_cannot_read_fails_the_job_and_it_ends(
    api: Api, controller: Controller
) -> None:
    huge_cell = "x" * 200_000  # larger than the csv module's field limit
    file_name = await upload(api, f'format,uid\nHF,"{huge_cell}"\n')
    started = await api.ok(
        "POST", "/csv_card_imports", {"csv_card_import": {"file_name": file_name}}
    )
    done = await controller.card_imports.wait(started["id"])
    assert done["status"] == "failed" and done["imported"] == 0
    assert "CSV" in done["import_errors"]["file"][0]


async def test_checking_in_steps_reports_progress_and_matches_the_whole_check(
    controller: Controller,
) -> None:
    text = "format,facility_code,card_number\n" + "".join(
        f"H10301,1,{n % 1200}\n" for n in range(1500)
    )
    steps: list[tuple[int, int]] = []
    stepped = await controller.card_imports.check_in_steps(text, lambda *s: steps.append(s))
    whole = controller.card_imports.check(text)
    assert steps == [(500, 1500), (1000, 1500), (1500, 1500)]
    assert stepped.errors == whole.errors and len(stepped.rows) == len(whole.rows) == 1200
    assert stepped.errors["line 1202"] == ["the same card as line 2"]
