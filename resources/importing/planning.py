"""What each row of a resource sheet does to the registry: new, updated or unchanged."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from portal import parsers
from portal.models import Area
from portal.parsers import ParseError
from portal.sheets import Problem, RowOutcome, Sheet, SheetFileError, SheetRun, is_blank
from portal.sheets.runner import STAGE_PLAN, STAGE_ROWS, STAGE_WRITE
from resources.importing.columns import COLUMN_BY_KEY
from resources.importing.duplicates import apply_decisions, find_duplicates
from resources.importing.outside import OutsideCheck
from resources.importing.placing import Placer
from resources.importing.references import References
from resources.importing.report import (
    check_events,
    check_point_and_address,
    group_problems,
    outside_km,
    report_outside,
    report_unresolved,
    samples,
)
from resources.importing.rows import (
    ALWAYS_CHECKED,
    DERIVED_FIELDS,
    FIELD_COLUMN,
    LOCATION_INPUTS,
    NOT_CHECKED,
    PARSER_CHECKED,
    PLACED_FIELDS,
    RESOURCE_FIELDS,
    SEARCH_INPUTS,
    Row,
    RowParser,
    derived_code,
    guess_type,
)
from resources.importing.values import Decisions, Unresolved
from resources.importing.writer import CHUNK, write_plans
from resources.indexing import all_label_names, index_resource
from resources.models import Resource, ScheduleRule, schedule_summary


def _resource_defaults() -> dict:
    from django.db.models import NOT_PROVIDED

    defaults = {}
    for f in Resource._meta.concrete_fields:
        if f.default is not NOT_PROVIDED and callable(f.default):
            return {}  # a callable default: build resources the ordinary way
        defaults[f.attname] = f.get_default()
    return defaults


_DEFAULTS = _resource_defaults()
_PUBLIC = str(Resource.Visibility.PUBLIC.value)
_STAFF = str(Resource.Visibility.STAFF.value)


def new_resource(code: str, values: dict) -> Resource:
    """``Resource(code=code, **values)``, a third of the time: Model.__init__ walks
    every field for each of 10,000 rows, here the defaults are copied at once."""
    if not _DEFAULTS:
        return Resource(code=code, **values)
    from django.db.models.base import ModelState

    resource = Resource.__new__(Resource)
    resource._state = ModelState()
    resource.__dict__.update(_DEFAULTS)
    resource.__dict__.update(values)
    resource.code = code
    return resource


class Importer:
    """Plans every row of a laid-out sheet, then writes them at once (``writer``)."""

    def __init__(
        self,
        sheet: Sheet,
        result,
        *,
        user,
        reason: str,
        values: dict | None = None,
        publish: bool = False,
        skip_outside: bool = False,
        duplicates: dict[str, str] | None = None,
        check_outside: bool = True,
        drop_unknown: bool = False,
    ) -> None:
        self.sheet = sheet
        self.result = result
        self.user = user
        self.reason = reason
        self.columns = sheet.index  # key → position of its cell in a row
        self.refs = References()
        self.placer = Placer(self.refs)
        self.decisions = Decisions.from_mapping(values)
        self.unresolved = Unresolved()
        self.publish = publish
        self.skip_outside = skip_outside
        self.outside_check = (
            OutsideCheck(list(self.refs.ward_names.values())) if check_outside else None
        )
        lat_header = parsers.name_key(sheet.headers.get("lat", ""))
        self.xy_columns = lat_header in ("y", "y座標", "x", "x座標")
        self.created: dict[tuple[str, str], int] = {}
        self.duplicate_decisions = duplicates or {}
        self.drop_unknown = drop_unknown

    def create_value(self, key: str, name: str) -> int | None:
        """A target or feature a decision adds (written with the import, undone with a preview)."""
        from resources.models import Feature, Target

        model = {"targets": Target, "features": Feature}[key]
        name = name.strip()[:50]
        if (key, name) not in self.created:
            item, _new = model.objects.get_or_create(
                name=name, defaults={"code": f"imp-{derived_code(name, '')[4:].lower()}"}
            )
            self.created[(key, name)] = item.pk
            getattr(self.refs, key).add(item.pk, name)
        return self.created[(key, name)]

    def header(self, key: str) -> str:
        return self.sheet.header(key)

    # One row ----------------------------------------------------------

    def parse_row(self, number: int, cells: list) -> Row:
        row = Row(number=number)
        parse = RowParser(self, row, cells)
        parse.texts()
        parse.check()
        if row.outside:
            row.code = row.code or derived_code(
                row.values.get("name", ""), row.values.get("address", "")
            )
            return row
        parse.choices()
        parse.names()
        parse.location()
        parse.fees()
        parse.numbers_and_dates()
        parse.people()
        parse.schedule()
        if row.notes:
            notes = "\n".join(dict.fromkeys(row.notes))
            description = row.values.get("description", "")
            if notes not in description:
                row.values["description"] = f"{description}\n{notes}".strip()
        if not row.values.get("name"):
            row.errors.append(Problem(number, self.header("name"), "名称が空です。"))
        if not row.code:
            row.code = derived_code(row.values.get("name", ""), row.values.get("address", ""))
        return row

    # The whole file -----------------------------------------------------

    def run(self, run: SheetRun) -> None:
        result = self.result
        parsed: list[Row] = []
        seen_codes: dict[str, int] = {}
        seen_cells: dict[tuple, int] = {}
        seen_rows: dict[str, Row] = {}
        rows = len(self.sheet.rows)
        for done, (number, cells) in enumerate(self.sheet.rows, start=1):
            run.report(done, rows, STAGE_ROWS)
            if is_blank(cells):
                result.blank_rows += 1
                continue
            row = self.parse_row(number, cells)
            content = tuple(cells)
            if content in seen_cells:
                row.errors.append(
                    Problem(
                        number,
                        "",
                        f"{seen_cells[content]}行目と同じ内容の行です（重複しています）。",
                    )
                )
            elif (
                row.code in seen_codes
                and "service" in self.columns
                and "code" not in self.columns
                and not row.outside
            ):
                # One place listed once per service (焼津市's 要配慮者利用施設: 通所介護
                # by one department, 居宅介護 by another): one resource, both services.
                first = seen_rows[row.code]
                extra = [n for n in row.notes if n not in first.values.get("description", "")]
                if extra:
                    first.values["description"] = "\n".join(
                        [first.values.get("description", ""), *extra]
                    ).strip()
                row.warnings.append(
                    Problem(
                        number,
                        self.header("name"),
                        f"名称と住所が {seen_codes[row.code]}行目と同じため、"
                        "1件にまとめます（この行のサービスの種類は内容に加えます）。",
                    )
                )
                result.warnings.extend(row.warnings)
                continue
            elif row.code in seen_codes:
                column = self.header("code") if "code" in self.columns else self.header("name")
                what = (
                    f"資源コード「{row.code}」"
                    if "code" in self.columns and row.code.split("-")[0] != "IMP"
                    else "名称と住所"
                )
                row.errors.append(
                    Problem(
                        number,
                        column,
                        f"{what}が {seen_codes[row.code]}行目と同じです（重複しています）。",
                    )
                )
            seen_cells.setdefault(content, number)
            seen_codes.setdefault(row.code, number)
            seen_rows.setdefault(row.code, row)
            parsed.append(row)
        result.rows_total = len(parsed)
        if not parsed:
            raise SheetFileError("取り込む行がありません（空の行だけです）。")
        check_events(self, parsed)
        parsed = apply_decisions(self, parsed)

        run.report(rows, rows, STAGE_PLAN)
        inside = [row for row in parsed if not row.outside]
        existing = self.load_existing([r.code for r in inside])
        plans = self.plan_all([(row, existing.get(row.code)) for row in inside])
        outside = [row for row in parsed if row.outside]
        plans = [p for p in plans if not p.row.outside]
        for row in parsed:
            if not row.outside:
                result.errors.extend(row.errors)
                result.warnings.extend(row.warnings)
                for key, value, why in row.unresolved:
                    self.unresolved.add(key, value, row.number, why)
        report_outside(self, outside)
        report_unresolved(self)
        group_problems(result)
        if run.skip_invalid:
            plans = [p for p in plans if not p.row.errors and not p.row.unresolved]
        find_duplicates(self, plans)
        for plan in plans:
            result.outcomes.append(
                RowOutcome(
                    plan.row.number,
                    plan.resource.code,
                    plan.resource.name,
                    plan.action,
                    plan.changes,
                )
            )
        updated = sum(1 for p in plans if p.action == "updated")
        published = sum(1 for p in plans if p.action == "new" and p.resource.visibility == _PUBLIC)
        total = self.existing_total
        ratio = getattr(settings, "IMPORT_MASS_CHANGE_RATIO", 0.5)
        minimum = getattr(settings, "IMPORT_MASS_CHANGE_MIN", 10)
        result.samples = samples(self, plans)
        if updated >= minimum and updated > ratio * total:
            result.confirmation = (
                f"登録済みの地域資源 {total:,}件のうち {updated:,}件（{updated / total:.0%}）が変わります"
                + (f"（ほかに新規 {published:,}件を公開）" if published else "")
                + "。ファイルが正しいか確かめてから、確認のうえ取り込んでください。"
            )
        elif published >= minimum and published > ratio * total:
            result.confirmation = (
                f"新しい地域資源 {published:,}件を、すぐに住民に公開します"
                f"（登録済みは {total:,}件）。"
                "ファイルが正しいか確かめてから、確認のうえ取り込んでください。"
            )
        if not run.may_write():
            return
        run.report(len(plans), len(plans), STAGE_WRITE)
        try:
            with transaction.atomic():  # a savepoint: an error leaves the rest untouched
                write_plans(plans, user=self.user, reason=self.reason)
        except IntegrityError as exc:
            result.errors.append(
                Problem(
                    None,
                    "",
                    f"書き込めませんでした。同時に別の更新があった可能性があります（{exc}）。",
                )
            )

    @cached_property
    def label_names(self) -> dict[str, dict[int, str]]:
        return all_label_names()

    def stored_links(self, resource_id: int) -> dict[str, set[int]]:
        return {name: links.get(resource_id, set()) for name, links in self.existing_m2m.items()}

    def load_existing(self, codes: list[str]) -> dict[str, Resource]:
        stored = set(Resource.objects.values_list("code", flat=True))
        self.existing_total = len(stored)
        found: dict[str, Resource] = {}
        unique = [code for code in dict.fromkeys(codes) if code in stored]
        for start in range(0, len(unique), CHUNK):
            for resource in Resource.objects.filter(code__in=unique[start : start + CHUNK]):
                found[resource.code] = resource
        if not found:
            self.existing_m2m, self.existing_rules = {}, {}
            return found
        ids = [r.pk for r in found.values()]
        m2m: dict[str, dict[int, set[int]]] = {
            "categories": defaultdict(set),
            "targets": defaultdict(set),
            "features": defaultdict(set),
        }
        rules: dict[int, list[ScheduleRule]] = defaultdict(list)
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            for name, other in (
                ("categories", "category_id"),
                ("targets", "target_id"),
                ("features", "feature_id"),
            ):
                through = getattr(Resource, name).through
                for resource_id, other_id in through.objects.filter(
                    resource_id__in=chunk
                ).values_list("resource_id", other):
                    m2m[name][resource_id].add(other_id)
            for rule in ScheduleRule.objects.filter(resource_id__in=chunk).order_by(
                "resource_id", "sort_order", "id"
            ):
                rules[rule.resource_id].append(rule)
        self.existing_m2m, self.existing_rules = m2m, rules
        return found

    def plan_all(self, pairs: list[tuple[Row, Resource | None]]) -> list[_Plan]:
        """What each row does to the registry: stage the values, place the rows
        whose location may have changed (in one batch), then finish each row."""
        staged = [self.stage(row, existing) for row, existing in pairs]
        to_place = [s for s in staged if s.place]
        for item in to_place:
            self.before_placing(item)
        outcomes = self.placer.place_many([item.resource for item in to_place])
        for item, (method, km) in zip(to_place, outcomes, strict=True):
            self.after_placing(item, method, km)
        return [self.finish(item) for item in staged]

    def stage(self, row: Row, existing: Resource | None) -> _Staged:
        values = row.values
        if existing is None:
            resource = new_resource(row.code, values)
            if not values.get("resource_type"):
                resource.resource_type = guess_type(resource.name)
            if "visibility" not in values:
                # Nothing published by surprise: 公開 only when the sheet or the admin says so.
                resource.visibility = _PUBLIC if self.publish else _STAFF
            return _Staged(row, resource, None, None, place=True)
        before = {name: getattr(existing, name) for name in (*RESOURCE_FIELDS, *DERIVED_FIELDS)}
        for name, value in values.items():
            if not _same_field(name, getattr(existing, name), value):
                setattr(existing, name, value)
        # Location and area are worked out again only when what they depend on changed.
        inputs = {n for n in LOCATION_INPUTS if not _same(before[n], getattr(existing, n))}
        if row.area_given is not None and row.area_given != existing.area_id:
            inputs.add("area_id")
        if {"lat", "lng"} & inputs and "location_source" not in values:
            # A point typed in by hand is exact (as in the admin form).
            existing.location_source = Resource.LocationSource.EXACT
        if not inputs:
            existing.area_tier1_id = self.refs.tier1_of(existing.area_id)
        return _Staged(row, existing, existing, before, place=bool(inputs))

    def before_placing(self, item: _Staged) -> None:
        """The file's area wins over the address; see ``after_placing``."""
        given = item.row.area_given
        if given is None:
            return
        if item.row.values.get("area_locked"):
            item.resource.area_id = given
        else:
            item.resource.area_locked = False

    def after_placing(self, item: _Staged, method: str, km: float) -> None:
        """An area in the file that the address or point agree with (or the ward
        containing it) stays automatic; one they contradict is set by hand
        (``area_locked``), so that later edits of the address do not move it."""
        resource, row, refs = item.resource, item.row, self.refs
        given = row.area_given
        if given is not None and not row.values.get("area_locked"):
            auto = resource.area_id if method else None
            given_is_ward = refs.area_info.get(given, (0, None))[0] == Area.Tier.CITY
            agrees = auto is not None and (
                auto == given or (given_is_ward and refs.tier1_of(auto) == given)
            )
            if not agrees:
                resource.area_id = given
                resource.area_tier1_id = refs.tier1_of(given)
                resource.area_locked = auto is not None
                return
        if (
            method == "nearest"
            and km > outside_km()
            and not row.in_city
            and self.outside_check is not None
        ):
            row.outside = f"区域から約{km:.0f}km離れた位置"
            return
        if method == "address" and item.existing is None:
            check_point_and_address(self, item)
        if method == "nearest":
            row.warnings.append(
                Problem(
                    row.number,
                    self.header("lat") if "lat" in self.columns else "",
                    "位置がどの区域の境界の中にもありません。最寄りの区域"
                    f"「{refs.area_names.get(resource.area_id, '')}」（中心から約{km:.0f}km）にします。",
                )
            )

    def finish(self, item: _Staged) -> _Plan:
        row, resource, existing, before = item.row, item.resource, item.existing, item.before
        changed: set[str] = set()
        if before is not None:
            candidates = (set(row.values) | PLACED_FIELDS) if item.place else set(row.values)
            changed = {n for n in candidates if not _same(before[n], getattr(resource, n))}
        m2m = dict(row.m2m)
        if existing is not None:
            m2m = {
                name: ids
                for name, ids in row.m2m.items()
                if ids != self.existing_m2m.get(name, {}).get(resource.pk, set())
            }
        rules_changed = row.rules is not None and (
            existing is None
            or [r.key() for r in row.rules]
            != [_rule_key(r) for r in self.existing_rules.get(resource.pk, [])]
        )
        if existing is not None and not changed and not m2m and not rules_changed:
            return _Plan(row, resource, "unchanged", [], {}, None)

        if existing is None or changed & SEARCH_INPUTS or m2m:
            stored = {} if existing is None else self.stored_links(resource.pk)
            index_resource(resource, stored | row.m2m, names=self.label_names)
        rule_objects = None
        if rules_changed:
            rule_objects = [
                ScheduleRule(resource=resource, sort_order=order, **rule.model_fields())
                for order, rule in enumerate(row.rules)
            ]
            resource.schedule_days, resource.schedule_times = schedule_summary(rule_objects)
        self.validate(row, resource, rule_objects, changed)
        if existing is None:
            return _Plan(row, resource, "new", [], m2m, rule_objects, changed)
        labels = [self._label(name) for name in sorted(changed)]
        labels += [COLUMN_BY_KEY[name].header for name in m2m]
        if rules_changed:
            labels.append(COLUMN_BY_KEY["schedule"].header)
        # The row's own changes only: another field edited since the rows were
        # read (in the admin, on PostgreSQL in another transaction) is left alone.
        derived = {n for n in DERIVED_FIELDS if before[n] != getattr(resource, n)}
        written = tuple(sorted(changed | derived | {"updated_at"}))
        return _Plan(
            row,
            resource,
            "updated",
            list(dict.fromkeys(labels)),
            m2m,
            rule_objects,
            changed,
            written,
        )

    def _label(self, attname: str) -> str:
        key = FIELD_COLUMN.get(attname, attname)
        if key in ("lat", "lng", "location_source"):
            return "位置"
        column = COLUMN_BY_KEY.get(key)
        return column.header if column else attname

    def validate(self, row: Row, resource: Resource, rule_objects, changed: set[str]) -> None:
        """full_clean on the fields the file set (the others hold valid stored or
        default values), without the per-row queries of unique and FK checks."""
        checked = (set(row.values) | changed | ALWAYS_CHECKED) - NOT_CHECKED - PARSER_CHECKED
        exclude = [f.name for f in Resource._meta.concrete_fields if f.attname not in checked]
        try:
            resource.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            reported = {(p.row, p.column) for p in row.errors}
            for name, messages in exc.message_dict.items():
                key = FIELD_COLUMN.get(name, name)
                header = self.header(key) if key in self.columns else self._label(name)
                if (row.number, header) in reported:
                    continue  # already reported in the parser's words
                for message in messages:
                    row.errors.append(Problem(row.number, header, str(message)))
        for rule in rule_objects or []:
            try:
                rule.full_clean(
                    exclude=["resource"], validate_unique=False, validate_constraints=False
                )
            except ValidationError as exc:
                header = self.header("schedule") if "schedule" in self.columns else "開催日時"
                for messages in exc.message_dict.values():
                    for message in messages:
                        row.errors.append(Problem(row.number, header, str(message)))


@dataclass
class _Staged:
    row: Row
    resource: Resource
    existing: Resource | None
    before: dict | None
    place: bool


@dataclass
class _Plan:
    row: Row
    resource: Resource
    action: str
    changes: list[str]
    m2m: dict
    rules: list | None
    changed: set = field(default_factory=set)
    written: tuple[str, ...] = ()  # the fields an update writes


def _rule_key(rule: ScheduleRule) -> tuple:
    """A stored rule in the form of ``parsers.Rule.key`` (weeks 1,3 then 最終 = -1)."""
    try:
        weeks = [int(n) for n in rule.weeks_of_month.split(",") if n.strip()]
    except ValueError:
        weeks = []
    return parsers.Rule(
        kind=rule.kind,
        weekdays=rule.weekday_list,
        weeks=sorted(n for n in weeks if n > 0) + ([-1] if -1 in weeks else []),
        day=rule.day_of_month,
        opens_at=rule.opens_at,
        closes_at=rule.closes_at,
        note=rule.note,
    ).key()


# Values the parsers tidy (〒530-0001 ↔ 5300001): a stored value in the other
# spelling is the same value, not a change.
_TIDIED = {
    "postal_code": parsers.postal_code,
    "contact_phone": parsers.phone,
    "private_phone": parsers.phone,
    "url": parsers.url,
    "contact_email": parsers.email,
}


def _same_field(name: str, old: object, new: object) -> bool:
    if _same(old, new):
        return True
    tidy = _TIDIED.get(name)
    if tidy is None or not isinstance(old, str):
        return False
    try:
        return tidy(old) == new
    except ParseError:
        return False


def _same(old: object, new: object) -> bool:
    """Equal for the registry: 34.7 and 34.70000000001 are, ｻﾛﾝ and サロン are."""
    if isinstance(old, float) and isinstance(new, float):
        return math.isclose(old, new, rel_tol=0, abs_tol=1e-9)
    if isinstance(old, str) and isinstance(new, str) and old != new:
        return parsers.text(old, multiline=True) == parsers.text(new, multiline=True)
    return old == new
