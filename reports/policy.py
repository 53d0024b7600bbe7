"""Who may read the report tables, and what each report is built from.

Reports are for 担当: coordinators and city staff (``can_view_reports``);
everyone else gets 404. What they read, per report and role:

============================  ================  =========================================
report                        city staff        a coordinator
============================  ================  =========================================
councils 協議体の設置状況       everything        every ward's counts, dates, 新設・既設
                                                and 既存の会議体 (names of bodies); the
                                                事業開始の補足 only of wards they serve
creation 地域資源の創出数       everything        everything (counts, city-wide)
monthly 会議・訪問・相談件数     everything        everything (counts, city-wide)
functions 活動内容ごとの件数     everything        everything (counts per 所属, city-wide)
cases 主な事例                 every case        only cases of the areas they serve
============================  ================  =========================================

The rule: counts (and the names of bodies and 所属) may be read city-wide by
every coordinator, as the city publishes them; *free text* — what someone wrote
about an area: case examples, what was heard (発言) and from whom, the response
(対応), meeting notes, a council's notes — only for the areas the reader serves
(``portal.roles.areas_served_by``: a tier-1 coordinator's ward with its 圏域).
City staff read everything.

It is enforced here and nowhere else: a report builder (``reports.tables``)
reads its rows from a ``ReportReader`` — city-wide sources for counts,
``case_activities`` for case examples — and every free-text cell goes through
``ReportReader.text``. ``build_report`` makes the reader from the user, so the
HTML page, the PDF, the CSV and the XLSX (all written from the same tables)
hold the same.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from coordinators.models import Activity, ActivityFunction, Coordinator
from coordinators.policy import activities_visible_to
from councils.models import Council, Meeting
from portal.roles import areas_served_by, is_city_staff, is_in_charge
from resources.models import Resource


def can_view_reports(user) -> bool:
    """The report tables are for city staff and coordinators."""
    return is_in_charge(user)


@dataclass(frozen=True)
class ReportReader:
    """What one reader's reports are built from (the table in the module docstring)."""

    user: object
    # The areas whose free text the reader reads; None: every area.
    text_areas: frozenset[int] | None

    # Counts: city-wide for every reader of reports.

    def activities(self) -> QuerySet[Activity]:
        return Activity.objects.all()

    def activity_functions(self) -> QuerySet[ActivityFunction]:
        return ActivityFunction.objects.all()

    def coordinators(self) -> QuerySet[Coordinator]:
        return Coordinator.objects.all()

    def councils(self) -> QuerySet[Council]:
        return Council.objects.all()

    def meetings(self) -> QuerySet[Meeting]:
        return Meeting.objects.all()

    def resources(self) -> QuerySet[Resource]:
        return Resource.objects.all()

    # Free text: only of the areas the reader serves.

    def reads_text_of(self, area_id: int | None) -> bool:
        return self.text_areas is None or area_id in self.text_areas

    def text(self, value: str, area_id: int | None) -> str:
        """``value``, free text about the area ``area_id``, or "" for a reader
        who does not serve that area."""
        return value if self.reads_text_of(area_id) else ""

    def text_notes(self) -> list[str]:
        """What a table with free text says about it to this reader."""
        if self.text_areas is None:
            return []
        return [_("事例の内容・対応・補足などの記述は、担当区域のものだけを表示しています。")]

    def case_activities(self) -> QuerySet[Activity]:
        """Activities whose text the reader may read in a report: their own
        policy's activities (coordinators.policy), of the areas they serve."""
        activities = activities_visible_to(self.user)
        if self.text_areas is None:
            return activities
        return activities.filter(area__in=self.text_areas)


def report_reader(user) -> ReportReader:
    """The reader of ``user``'s reports; 404 for a user who may not read reports."""
    if not can_view_reports(user):
        raise Http404("集計表が見つかりません。")
    if is_city_staff(user):
        return ReportReader(user, None)
    return ReportReader(user, frozenset(areas_served_by(user).values_list("pk", flat=True)))
