"""The 地域分析 figures of ``manage.py bench``: the analysis page and its CSV for
every tier-2 area (≤ 300 ms at S, ≤ 2 s at L), and the meeting pack PDF
(≤ 5 s, at every size), through the views as a city staff member.

The page and the CSV keep the resources' counts and the 町丁's distances per
data version (analysis.figures): the budgets are held by the warm figure, and
the first request after a write (cold) is reported beside it.

The bench city has no 町丁: 100 per ward are laid out on a grid inside the
wards' tier-2 strips (2,400, as many as 大阪市's), each with a population and a
65歳以上 figure, once per bench database.
"""

from __future__ import annotations

import random

from django.contrib.auth.models import Group
from django.test import Client

from analysis.models import ChomePopulation
from bench.measure import Check, Context, summary, timed, verdict
from portal.cache import data_changed
from portal.models import AddressPoint, Area, User
from portal.roles import GROUP_CITY_STAFF

CHOME_PREFIX = "BENCHC"
PER_DISTRICT = 25
BUDGET_PAGE_MS = {"S": 300, "L": 2000}
BUDGET_PACK_S = 5.0
USERNAME = "bench-analysis"


def ensure_chome() -> int:
    """The bench city's 町丁 with their population; idempotent."""
    existing = AddressPoint.objects.filter(code__startswith=CHOME_PREFIX).count()
    districts = list(Area.objects.filter(tier=Area.Tier.DISTRICT).order_by("code"))
    if existing == len(districts) * PER_DISTRICT and ChomePopulation.objects.count() == existing:
        return existing
    AddressPoint.objects.filter(code__startswith=CHOME_PREFIX).delete()
    rng = random.Random(17)
    points = []
    for district in districts:
        minx, miny, maxx, maxy = district.shape.bounds
        for n in range(PER_DISTRICT):
            row, column = divmod(n, 5)
            points.append(
                AddressPoint(
                    code=f"{CHOME_PREFIX}{district.code}-{n:02d}",
                    city="ベンチ市",
                    ward=district.parent.name,
                    name=f"{district.name}{n + 1}丁目",
                    normalized_name=f"{district.code}-{n}",
                    lat=miny + (row + 0.5) * (maxy - miny) / 5,
                    lng=minx + (column + 0.5) * (maxx - minx) / 5,
                    area=district,
                )
            )
    AddressPoint.objects.bulk_create(points, batch_size=1000)
    saved = AddressPoint.objects.filter(code__startswith=CHOME_PREFIX)
    figures = []
    for point in saved:
        total = rng.randint(300, 4000)
        figures.append(
            ChomePopulation(
                address_point=point, total=total, aged_65=int(total * rng.uniform(0.15, 0.35))
            )
        )
    ChomePopulation.objects.bulk_create(figures, batch_size=1000)
    data_changed()
    return len(figures)


def _staff_client() -> Client:
    user = User.objects.filter(username=USERNAME).first()
    if user is None:
        user = User.objects.create_user(username=USERNAME, password=None, is_staff=True)
        user.groups.add(Group.objects.get(name=GROUP_CITY_STAFF))
    client = Client()
    client.force_login(user)
    return client


class AnalysisSection:
    key = "analysis"
    title = "地域分析（第2層のすべての区域、市職員として）"

    def run(self, ctx: Context) -> dict:
        chome = ensure_chome()
        client = _staff_client()
        ctx.say(f"  地域分析（町丁 {chome:,}）")
        figures: dict = {"chome": chome}
        for name, url in (
            ("page", "/staff/analysis/?tier=2"),
            ("csv", "/staff/analysis/areas.csv?tier=2"),
        ):
            response = client.get(url)
            if response.status_code != 200:
                raise RuntimeError(f"{url} answered {response.status_code}")
            figures[name] = {
                "url": url,
                **summary(timed(lambda url=url: client.get(url), ctx.repeat)),
            }
        figures["rows"] = response.content.decode("utf-8-sig").count("\r\n") - 2
        # Cold: the first request after a write of resources (the snapshot of
        # counts and distances rebuilt, analysis.figures._snapshot).
        from analysis.figures import _snapshot

        def cold():
            _snapshot.forget()
            client.get("/staff/analysis/?tier=2")

        figures["page_cold"] = summary(timed(cold, max(3, ctx.repeat // 3), warmups=1))
        # The meeting pack at every size (its cost grows with the 通いの場 its map shows).
        area = (
            Area.objects.filter(tier=Area.Tier.DISTRICT)
            .order_by("code")
            .values_list("code", flat=True)
            .first()
        )
        url = f"/areas/{area}/profile.pdf"
        samples = timed(lambda: client.get(url), 3, warmups=1)
        figures["pack"] = {"url": url, "seconds": round(max(samples) / 1000, 2)}
        return figures

    def checks(self, figures: dict | None, ctx: Context) -> list[Check]:
        if not figures:
            return []
        budget = BUDGET_PAGE_MS.get(ctx.label, BUDGET_PAGE_MS["L"])
        checks = [
            Check("analysis page p95", figures["page"]["p95"], budget, "<=", "ms"),
            Check("analysis csv p95", figures["csv"]["p95"], budget, "<=", "ms"),
        ]
        if "pack" in figures:
            checks.append(
                Check("meeting pack", figures["pack"]["seconds"], BUDGET_PACK_S, "<=", "s")
            )
        return checks

    def render(self, figures: dict | None, ctx: Context, checks: dict[str, Check]) -> list[str]:
        if not figures:
            return []
        f = figures
        lines = [
            self.title,
            f"page ({f['rows']} areas, {f['chome']:,} 町丁): p50 {f['page']['p50']:.0f} ms, "
            f"p95 {f['page']['p95']:.0f} ms {verdict(checks.get('analysis page p95'))}",
            f"areas.csv: p50 {f['csv']['p50']:.0f} ms, p95 {f['csv']['p95']:.0f} ms "
            f"{verdict(checks.get('analysis csv p95'))}",
        ]
        if "page_cold" in f:
            lines.append(
                f"page, first after a write of resources (counts and distances rebuilt): "
                f"p50 {f['page_cold']['p50']:.0f} ms, p95 {f['page_cold']['p95']:.0f} ms"
            )
        if "pack" in f:
            lines.append(
                f"meeting pack {f['pack']['url']}: {f['pack']['seconds']:.2f} s (slowest of 3) "
                f"{verdict(checks.get('meeting pack'))}"
            )
        return lines
