"""Demo skill certifications, training sessions and job drills."""

from common.bulk_copy import bulk_copy
from skills.demo._common import OCCUPATIONS, YEAR, _day, _split
from skills.models import (
    SkillCertification,
    SkillSession,
)


def _certifications(n, pool, rng) -> int:
    L = SkillCertification.Level
    levels = [L.LEVEL5, L.LEVEL4, L.LEVEL3, L.LEVEL2, L.LEVEL1]
    # Plain tuples written by COPY (common/bulk_copy.py): no model instance per row.
    rows: list[tuple] = []
    people = pool.sample(n["new_skilled_talents"])
    for i, (pk, union_id, *_rest) in enumerate(people):
        occupation = OCCUPATIONS[i % len(OCCUPATIONS)]
        level_index = rng.choices(range(5), weights=[30, 35, 25, 7, 3])[0]
        rows.append(
            (
                pk,
                union_id,
                levels[level_index],
                occupation,
                _day(rng, YEAR),
                f"S{YEAR}{i:07d}",
            )
        )
        if i % 10 == 0 and level_index > 0:  # came up from the level below, certified in 2023
            rows.append(
                (pk, union_id, levels[level_index - 1], occupation, _day(rng, YEAR - 1), "")
            )
        if i % 25 == 0:  # a second occupation the same year: still one new skilled talent
            rows.append((pk, union_id, L.LEVEL5, "其他工种", _day(rng, YEAR), ""))
    columns = ("member_id", "union_id", "level", "occupation", "certified_on", "certificate_no")
    bulk_copy(SkillCertification, columns, rows)
    return len(rows)


def _sessions(n, rng, enterprises) -> int:
    rows: list[SkillSession] = []
    for i in range(n["skill_training_sessions"]):
        enterprise = rng.choice(enterprises)
        rows.append(
            SkillSession(
                kind=SkillSession.Kind.TRAINING,
                title=f"{rng.choice(OCCUPATIONS)}技术培训（第{i + 1}期）",
                union_id=enterprise.union_id,
                enterprise=enterprise,
                held_on=_day(rng, YEAR),
                headcount=rng.randrange(15, 80),
            )
        )
    for i, headcount in enumerate(_split(n["job_drill_person_times"], n["job_drill_events"], rng)):
        enterprise = rng.choice(enterprises)
        occupation = rng.choice(OCCUPATIONS)
        rows.append(
            SkillSession(
                kind=SkillSession.Kind.DRILL,
                title=f"{occupation}岗位练兵（{i + 1}）",
                union_id=enterprise.union_id,
                enterprise=enterprise,
                occupation=occupation,
                held_on=_day(rng, YEAR),
                headcount=headcount,
            )
        )
    SkillSession.objects.bulk_create(rows, batch_size=5000)
    return len(rows)
