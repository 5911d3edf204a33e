"""``facturier validate``: the contract other tools parse, exercised through the real entry point."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from einvoice.tests.corpus import corpus_file

ROOT = Path(__file__).resolve().parents[2]


def facturier(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "facturier", *args], cwd=cwd, env=ENVIRONMENT,
                          capture_output=True, text=True, timeout=300, check=False)


ENVIRONMENT = {**os.environ, "PYTHONPATH": str(ROOT)}


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    directory = tmp_path_factory.mktemp("invoices")
    valid = corpus_file("facturx-lib-fixtures/xml/factur-x-en16931.xml")
    pdf = corpus_file("facturx-lib-fixtures/pdf/invoice_EN16931.pdf")
    ubl = corpus_file("en16931/ubl-examples/ubl-tc434-example1.xml")
    broken = directory / "no-pmt.xml"
    broken.write_bytes(valid.read_bytes().replace(b"<ram:SubjectCode>PMT<", b"<ram:SubjectCode>REG<"))
    garbage = directory / "garbage.xml"
    garbage.write_bytes(b"\x00\x01 not xml")
    order = corpus_file("facturx-lib-fixtures/xml/order-x-basic.xml")
    return {"valid": valid, "pdf": pdf, "ubl": ubl, "broken": broken, "garbage": garbage, "order": order,
            "missing": directory / "missing.xml"}


def json_lines(result):
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_json_lines_one_object_per_file_in_input_order(files):
    order = ["broken", "valid", "missing", "pdf", "garbage", "order", "ubl"]
    result = facturier("validate", "--format", "json", *(str(files[name]) for name in order))
    reports = json_lines(result)
    assert [report["file"] for report in reports] == [str(files[name]) for name in order]
    by_name = dict(zip(order, reports, strict=True))
    assert result.returncode == 1
    for report in reports:
        assert list(report) == ["file", "syntax", "profile", "valid", "errors", "warnings"]
        for issue in report["errors"] + report["warnings"]:
            assert set(issue) == {"rule", "severity", "message", "location"}
    assert by_name["valid"]["valid"] is True and by_name["valid"]["syntax"] == "CII"
    assert by_name["pdf"]["syntax"] == "Factur-X" and by_name["pdf"]["profile"] == "EN 16931"
    assert by_name["ubl"]["syntax"] == "UBL"
    assert "BR-FR-05_BT-22_PMT" in {issue["rule"] for issue in by_name["broken"]["errors"]}
    for name, rule in (("missing", "unreadable"), ("garbage", "unreadable"), ("order", "unsupported-format")):
        assert by_name[name]["syntax"] is None and by_name[name]["valid"] is False
        assert [issue["rule"] for issue in by_name[name]["errors"]] == [rule]


def test_exit_zero_when_every_file_is_valid(files):
    result = facturier("validate", "--format", "json", str(files["valid"]), str(files["pdf"]))
    assert result.returncode == 0, result.stdout
    assert [report["valid"] for report in json_lines(result)] == [True, True]


def test_rules_option(files):
    ubl = str(files["ubl"])  # a CEN example: EN 16931-valid, lacks the French mentions
    assert facturier("validate", "--rules", "en16931", ubl).returncode == 0
    assert facturier("validate", "--rules", "fr", ubl).returncode == 1
    softened = facturier("validate", "--format", "json", "--rules", "fr-warning", ubl)
    assert softened.returncode == 0
    (report,) = json_lines(softened)
    assert any(issue["rule"].startswith("BR-FR") and issue["severity"] == "warning" for issue in report["warnings"])


@pytest.mark.parametrize("args", [
    ["validate"],
    ["validate", "--format", "yaml", "x.xml"],
    ["validate", "--rules", "de", "x.xml"],
    ["validate", "--no-such-option", "x.xml"],
])
def test_usage_errors_exit_2(args):
    result = facturier(*args)
    assert result.returncode == 2
    assert result.stdout == ""


def test_text_format_one_block_per_file(files):
    result = facturier("validate", str(files["broken"]), str(files["valid"]), str(files["missing"]))
    assert result.returncode == 1
    output = result.stdout
    assert f"{files['broken']}: INVALID (CII, EN 16931; rules fr)" in output
    assert f"{files['valid']}: valid (CII, EN 16931; rules fr)" in output
    assert f"{files['missing']}: INVALID" in output and "unreadable: no such file" in output
    assert "BR-FR-05_BT-22_PMT" in output and "at /rsm:CrossIndustryInvoice[1]" in output
    assert "Traceback" not in result.stderr


def facturier_with(environment, *args, cwd=ROOT):
    """``facturier`` with ``environment`` on top of a locale-free one."""
    env = {key: value for key, value in ENVIRONMENT.items() if key not in ("LC_ALL", "LC_MESSAGES", "LANG")}
    return subprocess.run([sys.executable, "-m", "facturier", *args], cwd=cwd, env={**env, **environment},
                          capture_output=True, text=True, timeout=300, check=False)


def sparse_file(path, megabytes):
    with path.open("wb") as file:  # sparse: its size on paper, nothing on disk
        file.truncate(int(megabytes * 1024 * 1024))
    return path


def test_a_file_over_the_upload_limit_is_refused_unread_as_unreadable(tmp_path):
    """The default limit is the uploads' (20 MB), not the engine's own 50 MB ceiling."""
    huge = sparse_file(tmp_path / "huge.xml", 25)
    result = facturier_with({"LANG": "C.UTF-8"}, "validate", "--format", "json", str(huge))
    assert result.returncode == 1
    (report,) = json_lines(result)
    assert [issue["rule"] for issue in report["errors"]] == ["unreadable"]
    assert report["errors"][0]["message"] == (
        "File too large (25.0 MB): the limit is 20 MB per file (FACTURIER_MAX_FILE_MB).")


@pytest.mark.parametrize("locale, expected", [
    ("fr_FR.UTF-8", ("huge.xml: INVALID\n  fatal    unreadable: Fichier trop volumineux (1,5 Mo) : "
                     "la limite est de 1 Mo par fichier (FACTURIER_MAX_FILE_MB).")),
    ("en_GB.UTF-8", ("huge.xml: INVALID\n  fatal    unreadable: File too large (1.5 MB): "
                     "the limit is 1 MB per file (FACTURIER_MAX_FILE_MB).")),
])
def test_the_limit_follows_the_upload_setting_and_speaks_the_readers_language(tmp_path, files, locale, expected):
    sparse_file(tmp_path / "huge.xml", 1.5)
    shutil.copy(files["valid"], tmp_path / "small.xml")
    environment = {"FACTURIER_MAX_FILE_MB": "1", "LANG": locale}
    result = facturier_with(environment, "validate", "huge.xml", "small.xml", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout.startswith(expected + "\n")
    assert "small.xml: valid" in result.stdout
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("value", ["0", "vingt", "-3"])
def test_an_unusable_limit_is_a_usage_error(files, value):
    result = facturier_with({"FACTURIER_MAX_FILE_MB": value, "LANG": "fr_FR.UTF-8"}, "validate", str(files["valid"]))
    assert result.returncode == 2 and result.stdout == ""
    assert "FACTURIER_MAX_FILE_MB" in result.stderr and "nombre entier de Mo" in result.stderr
    assert "Traceback" not in result.stderr


def test_file_is_reported_exactly_as_given(files, tmp_path):
    shutil.copy(files["valid"], tmp_path / "good.xml")
    (tmp_path / "sub").mkdir()
    given = ["./good.xml", "sub/../good.xml", "./missing.xml"]
    result = facturier("validate", "--format", "json", *given, cwd=tmp_path)
    assert [report["file"] for report in json_lines(result)] == given
    assert [report["valid"] for report in json_lines(result)] == [True, True, False]
    text = facturier("validate", "./good.xml", cwd=tmp_path)
    assert text.stdout.startswith("./good.xml: valid")


def validate_into_closed_pipe(*paths):
    """``facturier validate --format json PATHS | head -1``: the first line, stderr and the exit status."""
    process = subprocess.Popen([sys.executable, "-m", "facturier", "validate", "--format", "json", *map(str, paths)],
                               cwd=ROOT, env=ENVIRONMENT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    first = process.stdout.readline()
    process.stdout.close()  # the next file takes a while to validate: its line meets a closed pipe
    stderr = process.stderr.read()
    process.stderr.close()
    return json.loads(first), stderr.decode(), process.wait(timeout=300)


def test_a_closed_pipe_ends_quietly_with_the_verdict_on_every_file(files):
    first, stderr, status = validate_into_closed_pipe(files["valid"], files["valid"], files["pdf"])
    assert first["file"] == str(files["valid"])
    assert (stderr, status) == ("", 0)
    # Files after the pipe closed are still validated: the exit status is the verdict on all of them.
    _, stderr, status = validate_into_closed_pipe(files["valid"], files["valid"], files["broken"])
    assert (stderr, status) == ("", 1)
