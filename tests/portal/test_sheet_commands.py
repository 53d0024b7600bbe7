"""portal.sheets.commands: the import_* commands share their arguments and report."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from coordinators.models import Activity
from councils.models import Council
from resources.models import Resource


def run(command: str, *args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command(command, *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_every_import_command_takes_a_column_assignment(areas, tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("活動した日,所属,圏域,種別,機能\nR4.6.1,北区社協,北区,相談,個別支援\n")

    with pytest.raises(CommandError, match="何も書き込みませんでした"):
        run("import_activities", str(path))
    out, _err = run("import_activities", str(path), "--column", "活動した日=date")

    assert "取り込みました: 新規 1件、更新 0件、変更なし 0件" in out
    assert Activity.objects.get().affiliation.name == "北区社協"


def test_skip_invalid_writes_the_good_rows_and_says_how_many_were_skipped(areas, tmp_path):
    path = tmp_path / "c.csv"
    path.write_bytes("区名,層\n北区,1\n港区,3\n".encode("cp932"))

    out, err = run("import_councils", str(path), "--skip-invalid")

    assert "問題 3行目 「層」" in err
    assert "問題のあった 1行は飛ばしました。" in out
    assert list(Council.objects.values_list("name", flat=True)) == ["北区 第1層協議体"]


def test_warnings_beyond_twenty_are_counted_unless_verbose(areas, tmp_path):
    path = tmp_path / "r.csv"
    header = ",".join(["名称", *[f"知らない列{n}" for n in range(25)]])
    path.write_text(f"{header}\nあおぞら\n")

    _out, err = run("import_resources", str(path), "--dry-run")
    _out, verbose = run("import_resources", str(path), "--dry-run", "-v", "2")

    assert err.count("注意 ") == 21 and "…ほか 5件（-v 2 ですべて表示）" in err
    assert verbose.count("注意 ") == 25
    assert Resource.objects.count() == 0


@pytest.mark.parametrize("command", ["import_resources", "import_activities", "import_councils"])
def test_an_unknown_user_or_a_bad_assignment_is_refused(db, tmp_path, command):
    path = tmp_path / "x.csv"
    path.write_text("a\n1\n")

    with pytest.raises(CommandError, match="利用者「nobody」はいません"):
        run(command, str(path), "--user", "nobody")
    with pytest.raises(CommandError, match="--column は「見出し=項目」で指定してください"):
        run(command, str(path), "--column", "a=no_such_key")
