"""The dates sections of ``manage.py bench`` (issue 16): これから for the ward with
the most resources this week (the page is never cached, so every request is
cold), and that ward's 月間予定表 PDF (at S)."""

from __future__ import annotations

import statistics
import time

from django.core.management.base import CommandError
from django.db.models import Count
from django.utils import timezone

from bench.measure import SIZE_S, Check, Context, summary, timed, verdict
from resources.models import Resource

UPCOMING_P95_MS = {"S": 50.0, "M": 150.0, "L": 150.0}
CALENDAR_PDF_SECONDS = 3.0
PDF_REPEAT = 3


def _busiest_ward() -> tuple[str, int]:
    top = (
        Resource.objects.exclude(area_tier1=None)
        .values("area_tier1__code")
        .annotate(n=Count("pk"))
        .order_by("-n", "area_tier1__code")
        .first()
    )
    if top is None:
        raise CommandError("区域に属する地域資源がありません。")
    return top["area_tier1__code"], top["n"]


class UpcomingSection:
    key = "upcoming"
    title = "これから・予定表（区まるごと、今週）"

    def run(self, ctx: Context) -> dict:
        code, n = _busiest_ward()
        url = f"/resources/upcoming/?area={code}&when=week"
        ctx.say(f"  これから {url}")

        def fetch():
            return ctx.client.get(url)

        response = fetch()
        if response.status_code != 200:
            raise CommandError(f"{url} が {response.status_code} を返しました。")
        lines = response.content.decode().count('<li class="upcoming">')
        figures = {
            "area": code,
            "resources_in_area": n,
            "lines": lines,
            **summary(timed(fetch, ctx.repeat)),
        }
        if ctx.size <= SIZE_S:
            month = timezone.localdate().strftime("%Y-%m")
            pdf_url = f"/areas/{code}/calendar.pdf?month={month}"
            ctx.say(f"  予定表 {pdf_url}")
            ctx.client.get(pdf_url)  # fonts loaded, templates compiled
            seconds = []
            for _ in range(PDF_REPEAT):
                started = time.perf_counter()
                pdf = ctx.client.get(pdf_url)
                seconds.append(time.perf_counter() - started)
            if pdf.status_code != 200:
                raise CommandError(f"{pdf_url} が {pdf.status_code} を返しました。")
            figures["calendar_pdf"] = {
                "url": pdf_url,
                "seconds": round(statistics.median(seconds), 2),
                "kb": round(len(pdf.content) / 1024, 1),
            }
        return figures

    def checks(self, figures: dict, ctx: Context) -> list[Check]:
        checks = [
            Check("upcoming p95", figures["p95"], UPCOMING_P95_MS[ctx.label], "<=", "ms"),
        ]
        if "calendar_pdf" in figures:
            checks.append(
                Check(
                    "calendar pdf",
                    figures["calendar_pdf"]["seconds"],
                    CALENDAR_PDF_SECONDS,
                    "<=",
                    "s",
                )
            )
        return checks

    def render(self, figures: dict, ctx: Context, checks: dict[str, Check]) -> list[str]:
        f = figures
        lines = [
            self.title,
            f"/resources/upcoming/?area={f['area']}&when=week: {f['resources_in_area']:,} resources,"
            f" {f['lines']} lines  p50 {f['p50']:.1f} ms  p95 {f['p95']:.1f} ms "
            f"{verdict(checks.get('upcoming p95'))}",
        ]
        if "calendar_pdf" in f:
            c = f["calendar_pdf"]
            lines.append(
                f"{c['url']}: {c['seconds']:.2f} s ({c['kb']:.0f} KB) "
                f"{verdict(checks.get('calendar pdf'))}"
            )
        return lines
