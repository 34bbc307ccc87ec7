"""The roster import (会员名册导入): one validating pipeline behind `manage.py import_members`, the
admin's import page (django-import-export) and the demo seeder.

It streams: rows are read, checked and written in batches inside one transaction, with a handful
of queries per batch (never one per row), so memory stays flat for the whole city's 681,000
members. Any bad row rolls the whole file back; a file imported twice changes nothing the second
time.
"""

import datetime as dt
import io
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from common.importing import FieldChange, ImportReport, ParsedRow, RowDict, TableImport, table_rows
from common.pg_copy import BackgroundCopy
from members import crypto
from members.actors import Actor
from members.fields import (
    EMPLOYMENT_FORM_LABELS,
    check_joined_on,
    clean_name,
    parse_date,
    parse_employment_form,
)
from members.models import Enterprise, Member, Union
from members.scoping import in_scope, require_can_write
from members.validators import (
    IdNumberFacts,
    mask_id_number,
    normalize_credit_code,
    normalize_mobile,
    parse_id_number,
)

# The roster template: header → field. The order is the template's column order.
ROSTER_COLUMNS = {
    "姓名": "name",
    "公民身份号码": "id_number",
    "手机号码": "phone",
    "所属工会编码": "union_code",
    "工作单位名称": "enterprise_name",
    "统一社会信用代码": "credit_code",
    "入会日期": "joined_on",
    "就业形态": "employment_form",
}
ROSTER_HEADERS = list(ROSTER_COLUMNS)
REQUIRED_HEADERS = ["姓名", "公民身份号码", "所属工会编码", "入会日期"]
JOINED_LABEL = "入会日期"


def roster_rows(table: Iterable[tuple[int, list[str]]]) -> Iterator[tuple[int, RowDict]]:
    return table_rows(table, headers=ROSTER_HEADERS, required=REQUIRED_HEADERS)


@dataclass(slots=True)
class _Parsed:
    """One roster row, checked. `None` (and "" for the enterprise cells) means the column is not
    in the file or the cell is empty: an existing member keeps what they have."""

    row: int
    name: str
    number: str
    id_hash: str
    gender: str
    birth_date: dt.date
    phone: str | None
    union_code: str
    enterprise_name: str
    credit_code: str
    joined_on: dt.date | None
    employment_form: str | None


def _parse(
    row_number: int, row: RowDict, today: dt.date, hasher: Callable[[str], str]
) -> tuple[_Parsed | None, list[str]]:
    """Check every cell of one row on its own; return the values or the clerk-readable problems
    (every one of them, in column order). Runs once per row of a city roster (681,000): each
    cell read once, each check called directly (a helper around each cost a tenth of the row)."""
    problems: list[str] = []
    get = row.get
    try:
        name = clean_name(get("姓名", ""))
    except ValidationError as exc:
        problems.extend(exc.messages)
    try:
        facts: IdNumberFacts | None = parse_id_number(get("公民身份号码", ""), today)
    except ValidationError as exc:
        problems.extend(exc.messages)
        facts = None
    phone = None
    if phone_raw := get("手机号码", "").strip():
        try:
            phone = normalize_mobile(phone_raw)
        except ValidationError as exc:
            problems.extend(exc.messages)
    union_code = get("所属工会编码", "").strip()
    if not union_code:
        problems.append(_("所属工会编码不能为空。"))
    enterprise_name = " ".join(get("工作单位名称", "").split())
    credit_code = ""
    if credit_raw := get("统一社会信用代码", "").strip():
        try:
            credit_code = normalize_credit_code(credit_raw)
        except ValidationError as exc:
            problems.extend(exc.messages)
    joined_on = None
    if joined_raw := get(JOINED_LABEL, "").strip():
        try:
            joined_on = parse_date(joined_raw, label=JOINED_LABEL)
            if facts is not None:
                check_joined_on(joined_on, facts.birth_date, today)
        except ValidationError as exc:
            problems.extend(exc.messages)
    employment_form = None
    if form_raw := get("就业形态", "").strip():
        try:
            employment_form = parse_employment_form(form_raw)
        except ValidationError as exc:
            problems.extend(exc.messages)
    if problems or facts is None:
        return None, problems
    number = facts.number
    return (
        _Parsed(
            row=row_number,
            name=name,
            number=number,
            id_hash=hasher(number),
            gender=facts.gender,
            birth_date=facts.birth_date,
            phone=phone,
            union_code=union_code,
            enterprise_name=enterprise_name,
            credit_code=credit_code,
            joined_on=joined_on,
            employment_form=employment_form,
        ),
        [],
    )


class RosterImport(TableImport):
    headers = ROSTER_HEADERS
    required = REQUIRED_HEADERS
    batch_size = 5000
    duplicate_message = _lazy("公民身份号码与第%(n)d行重复。")
    audit_kind = "会员名册"

    def __init__(
        self,
        *,
        by: Actor,
        dry_run: bool = False,
        preview_rows: int = 0,
        file_name: str = "",
        sha256: str = "",
    ) -> None:
        super().__init__(
            by=by, dry_run=dry_run, preview_rows=preview_rows, file_name=file_name, sha256=sha256
        )
        self.unions: dict[str, Union | None] = {}
        self.union_verdicts: dict[str, tuple[Union | None, list[str]]] = {}
        self.enterprises: dict[str, Enterprise] = {}
        self.enterprise_verdicts: dict[int, bool] = {}
        self.enterprises_created = 0
        self.today = timezone.localdate()
        self.hasher = crypto.id_number_hasher()
        self.copy: BackgroundCopy | None = None

    def writes(self) -> AbstractContextManager[object]:
        if connection.vendor != "postgresql":
            return nullcontext()
        return self._copying()

    @contextmanager
    def _copying(self) -> Iterator[None]:
        """New members go in by COPY in the background while the next batch is checked. Their
        two foreign keys are checked as each COPY ends, in the background too, rather than all
        at the commit, where nothing else can run beside them (a third of a bare COPY's time);
        they are deferred again for the rest of the transaction after the import."""
        table = connection.ops.quote_name(Member._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT conname FROM pg_constraint"
                " WHERE conrelid = %s::regclass AND contype = 'f' AND condeferred",
                [table],
            )
            deferred = ", ".join(connection.ops.quote_name(name) for (name,) in cursor.fetchall())
            if deferred:
                cursor.execute(f"SET CONSTRAINTS {deferred} IMMEDIATE")
        with BackgroundCopy(connection) as self.copy:
            yield
        # Reached only without an error; an import that is rolled back (a bad row, a dry run)
        # has the mode restored by its rollback.
        if deferred and not connection.needs_rollback:
            with connection.cursor() as cursor:
                cursor.execute(f"SET CONSTRAINTS {deferred} DEFERRED")

    def parse_row(self, number: int, values: RowDict) -> tuple[_Parsed | None, list[str]]:
        return _parse(number, values, self.today, self.hasher)

    def row_key(self, item: _Parsed) -> bytes:
        # 16 bytes of the hash per person keep memory flat at city scale.
        return bytes.fromhex(item.id_hash[:32])

    # -- lookups, a query per batch ---------------------------------------------------------
    def _load_unions(self, codes: set[str]) -> None:
        missing = codes - self.unions.keys()
        if missing:
            found = {u.code: u for u in Union.objects.filter(code__in=missing)}
            for code in missing:
                self.unions[code] = found.get(code)

    def _load_enterprises(self, codes: set[str]) -> None:
        missing = codes - self.enterprises.keys()
        if missing:
            for e in Enterprise.objects.filter(credit_code__in=missing).select_related("union"):
                self.enterprises[e.credit_code] = e

    def _enterprises_by_name(self, names: set[str]) -> dict[str, list[Enterprise]]:
        found: dict[str, list[Enterprise]] = {}
        if names:
            for e in Enterprise.objects.filter(name__in=names).select_related("union"):
                if in_scope(self.by, e.union):
                    found.setdefault(e.name, []).append(e)
        return found

    def _existing(self, hashes: list[str]) -> dict[str, Member]:
        """The active members among `hashes`, by hash. On PostgreSQL the batch's 5,000 hashes go
        as one array parameter (= ANY): Django compiles an IN list parameter by parameter, which
        cost more than the query itself; a new roster then finds nothing in one index probe each."""
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT id FROM {Member._meta.db_table}"
                    " WHERE id_number_hash = ANY(%s) AND status = %s",
                    [hashes, Member.Status.ACTIVE],
                )
                ids = [pk for (pk,) in cursor.fetchall()]
            if not ids:
                return {}
            found = Member.objects.filter(pk__in=ids)
        else:
            found = Member.objects.filter(id_number_hash__in=hashes, status=Member.Status.ACTIVE)
        return {m.id_number_hash: m for m in found.select_related("union", "enterprise")}

    # -- one batch ----------------------------------------------------------------------------
    def process_batch(self, rows: list[ParsedRow]) -> None:
        # Checking a batch ahead in a worker process was measured and gained nothing: pickling the
        # rows out and the results back cost as much as the checking (100,000 rows: 5.87 s either way).
        items: list[_Parsed] = [r.item for r in rows]
        self._load_unions({p.union_code for p in items})
        self._load_enterprises({p.credit_code for p in items if p.credit_code})
        by_name = self._enterprises_by_name(
            {p.enterprise_name for p in items if p.enterprise_name and not p.credit_code}
        )
        existing = self._existing([p.id_hash for p in items])

        new_rows: list[tuple[_Parsed, Union, Enterprise | None]] = []
        changed: list[Member] = []
        new_enterprises: dict[str, Enterprise] = {}
        pending: list[tuple[Member, str]] = []  # existing members whose enterprise is new here
        now = timezone.now()
        for r in rows:
            p: _Parsed = r.item
            row = r.values
            problems: list[str] = []
            union = self._check_union(p.union_code, problems)
            enterprise = None
            if union is not None:
                enterprise = self._resolve_enterprise(p, union, by_name, new_enterprises, problems)
            current = existing.get(p.id_hash)
            if current is not None and union is not None:
                self._check_existing(current, p, union, problems)
            if current is None and p.joined_on is None:
                problems.append(_("入会日期不能为空（新入会会员）。"))
            if problems:
                self.refuse(p.row, problems)
                continue
            if not self.writing:
                continue  # nothing will be written: only keep checking
            if current is None:
                new_rows.append((p, union, enterprise))
                self.note(p.row, "new", row)
            elif changes := self._apply_changes(current, p, enterprise):
                # bulk_update does not run auto_now: a changed member's stamp is set here.
                current.updated_at = now
                changed.append(current)
                if enterprise is not None and enterprise.pk is None:
                    pending.append((current, enterprise.credit_code))
                self.note(p.row, "update", row, changes)
            else:
                self.note(p.row, "skip", row)

        if not self.writing:
            return
        if new_enterprises:
            # bulk_create sets the primary keys (PostgreSQL and SQLite both return them).
            Enterprise.objects.bulk_create(new_enterprises.values(), batch_size=1000)
            self.enterprises_created += len(new_enterprises)
            self.enterprises.update(new_enterprises)
            for member, code in pending:
                member.enterprise = new_enterprises[code]
        if new_rows:
            insert_members(new_rows, copy=self.copy)
        if changed:
            Member.objects.bulk_update(
                changed,
                ["phone", "enterprise", "joined_on", "employment_form", "updated_at"],
                batch_size=1000,
            )

    def _check_union(self, code: str, problems: list[str]) -> Union | None:
        # A roster names a few thousand unions for hundreds of thousands of rows: each code is
        # judged once (for this actor) and the verdict reused.
        verdict = self.union_verdicts.get(code)
        if verdict is None:
            found: list[str] = []
            verdict = self.union_verdicts[code] = (self._judge_union(code, found), found)
        union, union_problems = verdict
        problems.extend(union_problems)
        return union

    def _judge_union(self, code: str, problems: list[str]) -> Union | None:
        union = self.unions.get(code)
        if union is None:
            problems.append(_("所属工会编码“%(c)s”不存在。") % {"c": code})
        elif not in_scope(self.by, union):
            problems.append(
                _("所属工会“%(u)s”（%(c)s）不在您的管辖范围内。") % {"u": union, "c": code}
            )
        elif union.level != Union.Level.GRASSROOTS:
            problems.append(
                _("“%(u)s”是%(level)s，会员须加入基层工会（含联合工会）。")
                % {"u": union, "level": union.get_level_display()}
            )
        else:
            return union
        return None

    def _enterprise_in_scope(self, enterprise: Enterprise) -> bool:
        # Judged once per enterprise: a roster names an employer on every row of its staff.
        verdict = self.enterprise_verdicts.get(enterprise.pk)
        if verdict is None:
            verdict = self.enterprise_verdicts[enterprise.pk] = in_scope(self.by, enterprise.union)
        return verdict

    def _resolve_enterprise(
        self, p, union, by_name, new_enterprises, problems
    ) -> Enterprise | None:
        """The enterprise the row names, or None when it names none (the member keeps theirs)."""
        if p.credit_code:
            enterprise = self.enterprises.get(p.credit_code) or new_enterprises.get(p.credit_code)
            if enterprise is None:
                if not p.enterprise_name:
                    problems.append(
                        _("统一社会信用代码 %(c)s 尚未登记，请同时填写工作单位名称。")
                        % {"c": p.credit_code}
                    )
                    return None
                enterprise = Enterprise(
                    name=p.enterprise_name, credit_code=p.credit_code, union=union
                )
                new_enterprises[p.credit_code] = enterprise
            elif enterprise.pk and not self._enterprise_in_scope(enterprise):
                problems.append(_("工作单位“%(e)s”不在您的管辖范围内。") % {"e": enterprise.name})
                return None
            return enterprise
        if p.enterprise_name:
            matches = by_name.get(p.enterprise_name, [])
            if len(matches) == 1:
                return matches[0]
            problems.append(
                _("工作单位“%(e)s”未登记或有重名，请填写其统一社会信用代码。")
                % {"e": p.enterprise_name}
            )
        return None

    def _check_existing(
        self, current: Member, p: _Parsed, union: Union, problems: list[str]
    ) -> None:
        # A member outside the clerk's tree is not named, not even their registered name.
        visible = in_scope(self.by, current.union)
        if current.union_id != union.pk:
            if visible:
                problems.append(
                    _("此人已在“%(u)s”在会；变更所属工会请办理会员关系转接。")
                    % {"u": current.union}
                )
            else:
                problems.append(_("此人已在其他工会在会，请联系其所在工会办理会员关系转接。"))
        if visible and current.name != p.name:
            problems.append(
                _("姓名与已登记的“%(n)s”不一致，请核对公民身份号码。") % {"n": current.name}
            )

    @staticmethod
    def _apply_changes(
        member: Member, p: _Parsed, enterprise: Enterprise | None
    ) -> list[FieldChange]:
        """Bring an existing member in line with what the row gives; the changes made, each
        before → after. What the row leaves out or leaves empty stays as it is: clearing a field
        is an edit in the admin, not an import. A new enterprise (no pk yet) is linked by the
        caller once it is saved."""
        changes: list[FieldChange] = []
        if p.phone is not None and member.phone != p.phone:
            changes.append(FieldChange("手机号码", member.phone, p.phone))
            member.phone = p.phone
        if enterprise is not None and (
            enterprise.pk is None or member.enterprise_id != enterprise.pk
        ):
            before = member.enterprise.name if member.enterprise_id else ""
            changes.append(FieldChange("工作单位名称", before, enterprise.name))
            if enterprise.pk is not None:
                member.enterprise = enterprise
        if p.joined_on is not None and member.joined_on != p.joined_on:
            changes.append(
                FieldChange(JOINED_LABEL, member.joined_on.isoformat(), p.joined_on.isoformat())
            )
            member.joined_on = p.joined_on
        if p.employment_form is not None and member.employment_form != p.employment_form:
            changes.append(
                FieldChange(
                    "就业形态",
                    str(employment_form_label(member.employment_form)),
                    str(employment_form_label(p.employment_form)),
                )
            )
            member.employment_form = p.employment_form
        return changes


# Columns written for a new member, in COPY order.
_COPY_COLUMNS = (
    "name",
    "id_number_encrypted",
    "id_number_hash",
    "id_number_masked",
    "gender",
    "birth_date",
    "phone",
    "union_id",
    "enterprise_id",
    "employment_form",
    "employment_form_at_joining",
    "joined_on",
    "status",
    "created_at",
    "updated_at",
)


def insert_members(
    rows: list[tuple[_Parsed, Union, Enterprise | None]], *, copy: BackgroundCopy | None = None
) -> None:
    """Write new members. On PostgreSQL through COPY, which is several times faster than a
    multi-row INSERT for the same rows (bench/import_members.py), in the background with `copy`;
    elsewhere with bulk_create."""
    now = timezone.now()
    if connection.vendor != "postgresql":
        Member.objects.bulk_create(
            [
                Member(
                    name=p.name,
                    id_number_encrypted=crypto.encrypt_id_number(p.number),
                    id_number_hash=p.id_hash,
                    id_number_masked=mask_id_number(p.number),
                    gender=p.gender,
                    birth_date=p.birth_date,
                    phone=p.phone or "",
                    union=union,
                    enterprise=enterprise,
                    employment_form=p.employment_form or Member.EmploymentForm.STANDARD,
                    employment_form_at_joining=p.employment_form or Member.EmploymentForm.STANDARD,
                    joined_on=p.joined_on,
                )
                for p, union, enterprise in rows
            ],
            batch_size=1000,
        )
        return
    stamp = now.isoformat()
    standard, active = str(Member.EmploymentForm.STANDARD), str(Member.Status.ACTIVE)
    sealed = crypto.encrypt_id_numbers([p.number for p, _union, _enterprise in rows])
    # CSV lines built directly, at half the cost of csv.writer per row. The two free-text
    # fields (the name, and the ciphertext's key id) are always quoted, their quotes doubled;
    # every other field is ours (digits, hex, ISO dates, choice values) and needs none. An
    # empty unquoted field is NULL: only enterprise_id may be; FORCE_NOT_NULL makes an empty
    # phone the empty string.
    quote, quotes = '"', '""'
    lines = [
        f'"{p.name.replace(quote, quotes)}","{ciphertext.replace(quote, quotes)}",'
        f"{p.id_hash},{mask_id_number(p.number)},{p.gender},{p.birth_date},{p.phone or ''},"
        f"{union.id},{enterprise.id if enterprise is not None else ''},"
        f"{p.employment_form or standard},{p.employment_form or standard},"  # now and at joining
        f"{p.joined_on},{active},{stamp},{stamp}\n"
        for (p, union, enterprise), ciphertext in zip(rows, sealed, strict=True)
    ]
    data = "".join(lines).encode()
    columns = ", ".join(_COPY_COLUMNS)
    sql = (
        f"COPY {Member._meta.db_table} ({columns}) FROM STDIN "
        "WITH (FORMAT csv, FORCE_NOT_NULL (name, phone))"
    )
    if copy is not None:
        copy.start(sql, data)
        return
    with connection.cursor() as cursor:
        cursor.copy_expert(sql, io.BytesIO(data))


def roster_import(
    *,
    rows: Iterable[tuple[int, RowDict]],
    by: Actor,
    dry_run: bool = False,
    batch_size: int = 5000,
    preview_rows: int = 0,
    file_name: str = "",
    sha256: str = "",
) -> ImportReport:
    """Import roster rows ((row number in the file, {header: text}) pairs, e.g. from
    `roster_rows`). All or nothing: any bad row, or `dry_run`, rolls everything back.
    `by` is a staff user, whose tree bounds what is accepted, or the system (the whole city).
    A written import is kept as one `common.ImportBatch` naming `file_name` and its `sha256`."""
    require_can_write(by)
    importer = RosterImport(
        by=by, dry_run=dry_run, preview_rows=preview_rows, file_name=file_name, sha256=sha256
    )
    importer.batch_size = batch_size
    report = importer.run_rows(rows)
    if importer.enterprises_created:
        report.notes.append(_("新登记企业%(n)d家。") % {"n": importer.enterprises_created})
    return report


def employment_form_label(value: str) -> str:
    return EMPLOYMENT_FORM_LABELS.get(value, value)
