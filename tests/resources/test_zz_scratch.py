from datetime import time
from django.db import connection
from django.test.utils import CaptureQueriesContext
from resources.models import ScheduleRule, Resource, Category
from tests.conftest import make_resource


def make(n, kita1, exercise):
    for i in range(n):
        r = make_resource(name=f"サロン{i:03d}", kana=f"さろん{i:03d}", lat=34.70 + i * 0.0001, lng=135.49, categories=[exercise], fee_free=True)
        ScheduleRule.objects.create(resource=r, kind="weekly", weekdays="MO", opens_at=time(10), closes_at=time(11))


def test_counts(client, areas, exercise, kita1):
    for n in (30, 60):
        make(30, kita1, exercise)
        for url in ("/resources/?area=27127&category=exercise&weekday=MO&free=1&q=サロン", "/resources/map.geojson", f"/resources/{Resource.objects.first().pk}/"):
            with CaptureQueriesContext(connection) as ctx:
                r = client.get(url)
            print(n, url, r.status_code, len(ctx.captured_queries))
            if n == 30 and "detail" not in url and "geojson" not in url:
                for q in ctx.captured_queries: print("   ", q["sql"][:200])
    r = client.get("/resources/?weekday=日&q=<script>alert(1)</script>")
    html = r.content.decode()
    import re
    print(re.findall(r'form-errors[^<]*<', html))
    print([l for l in html.splitlines() if "script" in l.lower() and "alert" in l])
    print(re.findall(r'<a class="chip"[^>]*>', client.get("/resources/?weekday=火&q=体操&category=運動&near=x").content.decode()))
