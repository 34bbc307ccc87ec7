"""Roster files as clerks send them."""

import csv
import io

import openpyxl

from members.importing import ROSTER_HEADERS


def roster_csv(
    rows: list[list[str]], encoding: str = "utf-8", headers: list[str] | None = None
) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers or ROSTER_HEADERS)
    writer.writerows(rows)
    text = buffer.getvalue()
    if encoding == "utf-8-sig":
        return text.encode("utf-8-sig")
    return text.encode(encoding)


def roster_xlsx(rows: list[list[object]]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(ROSTER_HEADERS)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def row(
    name,
    id_number,
    union_code,
    *,
    phone="13800001111",
    enterprise="",
    credit="",
    joined="2024-03-01",
    form="标准",
):
    return [name, id_number, phone, union_code, enterprise, credit, joined, form]
