"""Every reproduction of bad input from issue 12: one line naming file, line and column, exit 2,
never a traceback nor a hang. Real files, a real subprocess."""

from __future__ import annotations

import codecs
import os
import shutil

import pytest

from tests.conftest import ROOT, one_error

RULES = ROOT / "rules"
POLICY = (
    "instances:\n  - name: a\n    kind: cloud\n    policies:\n      - name: P\n"
    "        email_system: exchange\n"
)


def check(kb_lint, tmp_path, name: str, content: str | bytes, *args: str) -> str:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8", newline="")
    return one_error(kb_lint("check", "--rules", RULES, name, *args, cwd=tmp_path))


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("b.yaml", "cycles: !!bool abc\n", "b.yaml:1:9: 'abc' is not a valid !!bool"),
        ("i.yaml", "seed: !!int x1\n", "i.yaml:1:7: 'x1' is not a valid !!int"),
        (
            "q.yaml",
            'instances:\n  - name: "riva\n    kind: cloud\n',
            "q.yaml:2:11: invalid YAML: a quoted value opened here is never closed",
        ),
        ("nul.yaml", "a: 1\nb: x\x00y\n", "nul.yaml:2:5: invalid YAML: character U+0000"),
        ("bell.yaml", "a: 1\n\nb: x\x07\n", "bell.yaml:3:5: invalid YAML: character U+0007"),
        (
            "cr.json",
            '{\r"seed": 1,\r"seed": 2}',
            "cr.json:3:1: duplicate key 'seed' (first on line 2)",
        ),
        (
            "cr.csv",
            "instance,kind,policy,email,crm_user\rx,cloud,P,a@b.c,a\rx,cloud,P,a@b.c\r",
            "cr.csv:3:1: row has 4 cells, the header 5",
        ),
        (
            "big.json",
            '{"seed": 1e400, "seed": 2}',
            "big.json:1:17: duplicate key 'seed' (first on line 1)",
        ),
        (
            "no.yaml",
            POLICY + "        category: NO\n        users: []\n",
            "no.yaml:7:19: 'category' is given NO, which YAML 1.1 reads as false: write "
            'category: false (a boolean is true or false), or "NO" in quotes for the text',
        ),
    ],
)
def test_bad_deployment_is_one_line_at_its_real_position(
    kb_lint, tmp_path, name, content, expected
):
    line = check(kb_lint, tmp_path, name, content)
    assert line.startswith(f"kb-lint: {expected}"), line


def test_utf16_without_a_byte_order_mark_is_hinted(kb_lint, tmp_path):
    line = check(kb_lint, tmp_path, "u.yaml", "x: 1\n".encode("utf-16-le"))
    assert "u.yaml:1:2: invalid YAML: character U+0000" in line
    assert "UTF-16 without a byte-order mark" in line


def test_utf16_with_a_byte_order_mark_is_read(kb_lint, tmp_path):
    path = tmp_path / "u.yaml"
    path.write_bytes(codecs.BOM_UTF16_LE + POLICY.encode("utf-16-le"))
    assert kb_lint("check", "--rules", RULES, path).returncode == 0


def test_control_characters_in_an_error_line_are_escaped(kb_lint, tmp_path):
    line = check(kb_lint, tmp_path, "c.json", '{"instances": [], "x\\u001b[31m\\u202e": 1}')
    assert "\x1b" not in line and "\u202e" not in line
    assert "c.json:1:19: unknown key 'x\\x1b[31m\\u202e'" in line


def test_a_file_name_with_a_newline_stays_on_one_line(kb_lint, tmp_path):
    line = check(kb_lint, tmp_path, "two\nlines.yaml", "a: [\n")
    assert "two\\x0alines.yaml:" in line


def test_bool_tag_in_front_matter_is_one_line(kb_lint, tmp_path):
    article = tmp_path / "a.md"
    article.write_text("---\nid: !!bool abc\n---\n\n# A\n")
    proc = kb_lint("articles", article)
    assert "Traceback" not in proc.stderr and proc.returncode in (1, 2)
    assert "a.md:2:5:" in proc.stdout + proc.stderr
    assert "'abc' is not a valid !!bool" in proc.stdout + proc.stderr


def test_bool_tag_in_a_pack_is_a_finding_not_a_crash(kb_lint, tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(RULES / "kb-105", rules / "kb-105")
    pack = rules / "kb-105" / "pack.yaml"
    pack.write_text(pack.read_text().replace("revision: 10", "revision: !!bool abc", 1))
    proc = kb_lint("rules", "check", "--rules", rules)
    assert "Traceback" not in proc.stderr and proc.returncode in (1, 2)
    assert "'abc' is not a valid !!bool" in proc.stdout + proc.stderr


@pytest.mark.parametrize("kind", ["fifo", "device"])
@pytest.mark.parametrize("command", ["check", "articles"])
def test_a_fifo_or_a_device_is_refused_without_reading(kb_lint, tmp_path, kind, command):
    if kind == "fifo":
        target = tmp_path / ("pipe.md" if command == "articles" else "pipe.yaml")
        os.mkfifo(target)
        expected = "it is not a regular file (a FIFO)"
    else:
        target = "/dev/zero"
        expected = "it is not a regular file (a character device)"
    proc = kb_lint(command, target)  # the runner times out after 120 s: no hang
    line = one_error(proc)
    assert expected in line


def test_a_file_over_the_size_cap_is_refused_and_the_flag_lifts_it(kb_lint, tmp_path):
    path = tmp_path / "big.yaml"
    path.write_text(POLICY + "# padding\n" * 120_000)
    line = one_error(kb_lint("check", "--rules", RULES, path, "--max-size", "1"))
    assert "big.yaml:1:1: file is larger than 1 MiB (--max-size sets the limit, 0 for none)" in line
    assert kb_lint("check", "--rules", RULES, path, "--max-size", "0").returncode == 0


def test_deeply_nested_json_is_refused_at_its_place(kb_lint, tmp_path):
    line = check(
        kb_lint, tmp_path, "deep.json", '{"instances": ' + "[" * 10_000 + "]" * 10_000 + "}"
    )
    assert "deep.json:1:" in line and "nested too deeply" in line


NOTHING = (
    "nothing to check: the deployment has no instance and no timeline entry (its Riva "
    "instances go under 'instances')"
)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("o.yaml", "{}\n"),
        ("e.yaml", "instances: []\ntimeline: []\n"),
        ("o.json", "{}"),
        ("h.csv", "instance,kind,policy,email,crm_user\n"),
    ],
)
def test_a_deployment_that_describes_nothing_is_not_a_pass(kb_lint, tmp_path, name, content):
    """No rule can fail on it: 'All checks passed' would say nothing true."""
    assert check(kb_lint, tmp_path, name, content) == f"kb-lint: {name}:1:1: {NOTHING}"


def test_an_estate_of_files_that_describe_nothing_is_not_a_pass(kb_lint, tmp_path):
    (tmp_path / "root.yaml").write_text("include: [more.yaml]\n", "utf-8")
    (tmp_path / "more.yaml").write_text("instances: []\n", "utf-8")
    line = one_error(kb_lint("check", "--rules", RULES, "root.yaml", cwd=tmp_path))
    assert line == f"kb-lint: root.yaml:1:1: {NOTHING}"
    (tmp_path / "more.yaml").write_text(POLICY, "utf-8")  # what it includes is checked
    assert kb_lint("check", "--rules", RULES, "root.yaml", cwd=tmp_path).returncode == 0
